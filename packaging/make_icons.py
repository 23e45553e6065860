"""Render the app icon's PNG sizes, the Windows .ico and the macOS .icns from the SVG sources.

    python packaging/make_icons.py            # rewrites resources/icons/*.png, .ico, .icns

Uses only Qt (QtSvg ships with PySide6-Essentials) and struct, so it adds no dependency and runs
on any platform; the generated files are committed, so building an installer never needs it.
Sizes of 24 px and below are rendered from backprop-playground-small.svg, a simplified drawing:
the full network turns to mush at that scale.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

ICON_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"
NAME = "backprop-playground"
FULL_SVG = ICON_DIR / f"{NAME}.svg"
SMALL_SVG = ICON_DIR / f"{NAME}-small.svg"
SMALL_SVG_MAX_SIZE = 24

# The freedesktop hicolor theme sizes; also what app_icon() loads into the window icon.
PNG_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types holding PNG data (macOS 10.7+), with their pixel sizes; the @2x "retina"
# variants are separate entries of the same pixel size as the next larger 1x entry.
ICNS_TYPES = (
    (b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256),
    (b"ic09", 512), (b"ic10", 1024), (b"ic11", 32), (b"ic12", 64), (b"ic13", 256),
    (b"ic14", 512),
)


def render(size: int):
    """Return a QImage of the icon at size x size pixels (ARGB32, transparent background)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    source = SMALL_SVG if size <= SMALL_SVG_MAX_SIZE else FULL_SVG
    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        raise ValueError(f"cannot parse {source}")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image.convertToFormat(QImage.Format.Format_ARGB32)


def png_bytes(image) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise OSError("PNG encoding failed")
    buffer.close()
    return bytes(data)


def bmp_dib_bytes(image) -> bytes:
    """An ICO image entry as a BITMAPINFOHEADER DIB: 32-bit BGRA rows bottom-up plus AND mask.

    Small ICO entries are stored this way rather than as PNG because older Windows shell code
    and some resource compilers only understand PNG for the 256 px entry.
    """
    size = image.width()
    # Format_ARGB32 is 0xAARRGGBB per pixel, i.e. bytes B, G, R, A on little-endian machines,
    # which is exactly the DIB's BGRA layout; build the rows explicitly so big-endian hosts agree.
    rows = []
    for y in reversed(range(size)):  # DIB rows run bottom-up
        row = bytearray()
        for x in range(size):
            argb = image.pixel(x, y)
            row += struct.pack("<I", argb)
        rows.append(bytes(row))
    # The AND mask is ignored for 32-bit images with alpha but must be present: 1 bit per pixel,
    # rows padded to 4 bytes; all zero = "use the colour data".
    mask_row_bytes = ((size + 31) // 32) * 4
    mask = bytes(mask_row_bytes * size)
    header = struct.pack(
        "<IiiHHIIiiII",
        40,          # biSize
        size,        # biWidth
        size * 2,    # biHeight covers colour + mask, as ICO requires
        1,           # biPlanes
        32,          # biBitCount
        0,           # biCompression = BI_RGB
        len(mask) + 4 * size * size,  # biSizeImage
        0, 0, 0, 0,  # resolution and palette fields: unused
    )
    return header + b"".join(rows) + mask


def ico_bytes(images: dict[int, object]) -> bytes:
    """A Windows .ico holding every size in ICO_SIZES (PNG-compressed only at 256 px)."""
    entries = []
    for size in ICO_SIZES:
        image = images[size]
        payload = png_bytes(image) if size >= 256 else bmp_dib_bytes(image)
        entries.append((size, payload))
    header = struct.pack("<HHH", 0, 1, len(entries))  # reserved, type 1 = icon, count
    offset = len(header) + 16 * len(entries)
    directory = b""
    for size, payload in entries:
        dimension = 0 if size >= 256 else size  # 0 means 256 in the one-byte size fields
        directory += struct.pack(
            "<BBBBHHII", dimension, dimension, 0, 0, 1, 32, len(payload), offset
        )
        offset += len(payload)
    return header + directory + b"".join(payload for _, payload in entries)


def icns_bytes(images: dict[int, object]) -> bytes:
    """A macOS .icns: big-endian type/length records of PNG data, lengths include the header."""
    body = b""
    for icon_type, size in ICNS_TYPES:
        payload = png_bytes(images[size])
        body += icon_type + struct.pack(">I", len(payload) + 8) + payload
    return b"icns" + struct.pack(">I", len(body) + 8) + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ICON_DIR, help="output folder")
    args = parser.parse_args(argv)

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (keeps Qt alive)
    sizes = sorted(set(PNG_SIZES) | set(ICO_SIZES) | {size for _, size in ICNS_TYPES})
    images = {size: render(size) for size in sizes}

    args.out.mkdir(parents=True, exist_ok=True)
    for size in PNG_SIZES:
        (args.out / f"{NAME}-{size}.png").write_bytes(png_bytes(images[size]))
    (args.out / f"{NAME}.ico").write_bytes(ico_bytes(images))
    (args.out / f"{NAME}.icns").write_bytes(icns_bytes(images))
    print(f"wrote {len(PNG_SIZES)} PNGs, {NAME}.ico and {NAME}.icns to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
