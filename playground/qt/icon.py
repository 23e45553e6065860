"""The application icon, loaded from the installed package data (playground.resources)."""

from __future__ import annotations

from PySide6.QtGui import QIcon, QPixmap

from playground.resource_files import resource_root

ICON_NAME = "backprop-playground"
# Rendered by packaging/make_icons.py; every size goes into the QIcon so Qt picks a crisp one
# for the title bar, the task bar and the About dialog instead of scaling a single image.
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def icon_png_bytes(size: int) -> bytes:
    """The PNG data of the icon at size x size pixels (one of ICON_SIZES)."""
    if size not in ICON_SIZES:
        raise ValueError(f"no {size} px icon; available sizes: {ICON_SIZES}")
    resource = resource_root() / "icons" / f"{ICON_NAME}-{size}.png"
    return resource.read_bytes()


def app_icon() -> QIcon:
    """A QIcon holding every rendered size of the app icon.

    Reads bytes through importlib.resources, so it works from a source checkout, a wheel
    install and a PyInstaller bundle alike. Needs a QGuiApplication (QPixmap does).
    """
    icon = QIcon()
    for size in ICON_SIZES:
        pixmap = QPixmap()
        if not pixmap.loadFromData(icon_png_bytes(size), "PNG"):
            raise ValueError(f"the {size} px app icon is not a readable PNG")
        icon.addPixmap(pixmap)
    return icon
