"""App identity: the About dialog, the window icon and the icon files the installers use."""

from __future__ import annotations

import configparser
import struct
from pathlib import Path

import numpy
import pyqtgraph
import PySide6
import pytest
from PySide6.QtCore import QSize, qVersion
from PySide6.QtGui import QColor, QImageReader
from PySide6.QtWidgets import QLabel

from playground import __version__
from playground.qt.icon import ICON_SIZES, app_icon, icon_png_bytes
from playground.qt.shell.about import LICENCE_TEXT, AboutDialog, credits

REPO = Path(__file__).resolve().parents[2]
ICON_DIR = REPO / "resources" / "icons"
ORANGE = QColor("#f59322")
BLUE = QColor("#0877bd")


def _has_colour_near(image, colour: QColor, tolerance: int = 24) -> bool:
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = image.pixelColor(x, y)
            if pixel.alpha() > 200 and all(
                abs(a - b) <= tolerance
                for a, b in zip(pixel.getRgb()[:3], colour.getRgb()[:3])
            ):
                return True
    return False


def test_licence_text_matches_the_license_file():
    assert LICENCE_TEXT == (REPO / "LICENSE").read_text(encoding="utf-8")
    assert "Backprop Playground developers" in LICENCE_TEXT


def test_dialog_shows_version_licence_and_credits(qtbot):
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    assert dialog.objectName() == "aboutDialog"
    assert __version__ in dialog.version_label.text()
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == [
        "About", "Credits", "Licence",
    ]
    assert dialog.licence_view.toPlainText() == LICENCE_TEXT
    assert "MIT License" in dialog.findChild(QLabel, "aboutText").text()
    credits_text = dialog.findChild(QLabel, "aboutCredits").text()
    for name, version in [
        ("NumPy", numpy.__version__),
        ("PySide6", PySide6.__version__),
        ("Qt", qVersion()),
        ("pyqtgraph", pyqtgraph.__version__),
    ]:
        assert name in credits_text
        assert version in credits_text


def test_credits_report_running_versions():
    by_name = {credit.name: credit for credit in credits()}
    assert by_name["NumPy"].version == numpy.__version__
    assert by_name["pyqtgraph"].version == pyqtgraph.__version__
    assert by_name["Qt"].version == qVersion()
    assert all(credit.url.startswith("https://") for credit in by_name.values())


def test_dialog_renders_the_icon(qtbot):
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    icon_label = dialog.findChild(QLabel, "aboutIcon")
    image = icon_label.grab().toImage()
    assert image.width() >= AboutDialog.ICON_SIZE
    assert _has_colour_near(image, ORANGE)
    assert _has_colour_near(image, BLUE)
    assert not dialog.windowIcon().isNull()


def test_app_icon_holds_every_size_from_the_package_resources(qapp):
    icon = app_icon()
    assert not icon.isNull()
    available = {size.width() for size in icon.availableSizes()}
    assert available == set(ICON_SIZES)
    pixmap = icon.pixmap(QSize(48, 48))
    assert pixmap.width() == 48
    image = pixmap.toImage()
    assert _has_colour_near(image, ORANGE) and _has_colour_near(image, BLUE)
    # Corners are transparent: the tile is a rounded square.
    assert image.pixelColor(0, 0).alpha() < 64


def test_unknown_icon_size_is_refused():
    with pytest.raises(ValueError, match="available sizes"):
        icon_png_bytes(20)


@pytest.mark.parametrize("size", ICON_SIZES)
def test_committed_pngs_have_their_nominal_size(size):
    width, height = struct.unpack(">II", icon_png_bytes(size)[16:24])  # PNG IHDR
    assert (width, height) == (size, size)


@pytest.mark.parametrize(
    ("filename", "expected_sizes"),
    [
        ("backprop-playground.ico", [16, 24, 32, 48, 64, 128, 256]),
        ("backprop-playground.icns", [16, 32, 64, 128, 256, 512, 1024, 32, 64, 256, 512]),
    ],
)
def test_windows_and_macos_icon_files_decode(qapp, filename, expected_sizes):
    reader = QImageReader(str(ICON_DIR / filename))
    if not reader.canRead():
        pytest.skip(f"this Qt build has no image plugin for {filename}")
    sizes = []
    for index in range(reader.imageCount()):
        assert reader.jumpToImage(index)
        image = reader.read()
        assert not image.isNull(), reader.errorString()
        assert image.width() == image.height()
        assert _has_colour_near(image.scaled(64, 64), ORANGE)
        sizes.append(image.width())
    assert sizes == expected_sizes


def test_desktop_entry_names_the_command_and_the_icon():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # desktop keys are case-sensitive
    entry.read(REPO / "resources" / "backprop-playground.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Name"] == "Backprop Playground"
    assert section["Exec"].split()[0] == "backprop-playground"
    assert section["Icon"] == "backprop-playground"
    assert (ICON_DIR / "backprop-playground.svg").is_file()
