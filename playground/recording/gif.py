"""Animated GIF, written frame by frame around Pillow's LZW encoder.

Pillow's own ``save(..., save_all=True)`` wants every frame up front, so the container is
written here: the header and the looping extension once, then per frame a graphic control
extension (its delay, "keep the previous frame") and the image block of the changed rectangle,
taken from a one-frame GIF Pillow encodes (its global colour table becomes the frame's local
one), then the trailer. (Pillow's ``GifImagePlugin.getdata`` would hand over the block
directly, but every call leaves a class in a reference cycle holding the frame's bytes until
the cyclic collector runs, and the app runs that collector only now and then.)

Each frame has its own palette, chosen for that frame by median cut (Pillow's
``quantize``, no dithering): a frame with at most 256 colours -- the network view, the plots,
the painter -- is exact, and the decision boundary's continuous orange-white-blue shading,
which a fixed palette would band, stays within a few levels. A local table costs at most 768
bytes a frame, and only the rectangle that changed since the previous frame is encoded.
"""
from __future__ import annotations

import io
import struct

import numpy as np
from PIL import Image

from playground.recording.frames import RecordingWriter, centisecond_delays, changed_box

LOOP_FOREVER = 0
# browsers show delays below 2/100 s as 1/10 s, so a GIF plays at most 50 frames a second
MAX_GIF_FPS = 50.0
KEEP_PREVIOUS = 1 << 2          # disposal method 1 in the packed field


class GifWriter(RecordingWriter):
    """Streams frames into an animated GIF that loops forever."""

    suffix = ".gif"
    max_fps = MAX_GIF_FPS

    def __init__(self, path, fps: float) -> None:
        super().__init__(path, fps)
        self._delays = centisecond_delays(self.fps)
        self._previous: np.ndarray | None = None

    def _write_frame(self, frame: np.ndarray) -> None:
        if self._previous is None:
            self._write_header(*self.size)
        x, y, width, height = changed_box(self._previous, frame)
        patch = Image.fromarray(frame[y: y + height, x: x + width])
        indexed = patch.quantize(colors=256, method=Image.Quantize.MEDIANCUT,
                                 dither=Image.Dither.NONE)
        encoded = io.BytesIO()
        indexed.save(encoded, "GIF", interlace=False)
        self._stream.write(b"!\xf9\x04" + struct.pack("<BHBB", KEEP_PREVIOUS, next(self._delays),
                                                      0, 0))
        self._stream.write(image_block(encoded.getvalue(), x, y))
        self._previous = frame.copy()

    def _write_header(self, width: int, height: int) -> None:
        # no global colour table: every frame brings its own
        self._stream.write(b"GIF89a" + struct.pack("<HHBBB", width, height, 0, 0, 0))
        self._stream.write(b"!\xff\x0bNETSCAPE2.0\x03\x01" + struct.pack("<H", LOOP_FOREVER)
                           + b"\x00")

    def _finish(self) -> None:
        self._stream.write(b";")


def image_block(gif: bytes, x: int, y: int) -> bytes:
    """The image of a one-frame GIF, placed at (x, y), carrying its colour table with it: the
    image descriptor with a local table (the file's global one, unless it has its own), then
    the LZW data up to its terminating empty sub-block."""
    flags = gif[10]
    at, table, table_bits = 13, b"", flags & 7
    if flags & 0x80:
        table = gif[at: at + (3 << table_bits + 1)]
        at += len(table)
    while gif[at] == 0x21:                          # an extension: its label, then sub-blocks
        at = _after_sub_blocks(gif, at + 2)
    if gif[at] != 0x2C:
        raise ValueError(f"unexpected GIF block {gif[at]:#x} from the encoder")
    _, _, width, height, packed = struct.unpack("<HHHHB", gif[at + 1: at + 10])
    at += 10
    if packed & 0x80:
        table_bits = packed & 7
        table = gif[at: at + (3 << table_bits + 1)]
        at += len(table)
    data_end = _after_sub_blocks(gif, at + 1)        # after the LZW minimum code size
    descriptor = b"," + struct.pack("<HHHHB", x, y, width, height,
                                    0x80 | (packed & 0x40) | table_bits)
    return descriptor + table + gif[at: data_end]


def _after_sub_blocks(gif: bytes, at: int) -> int:
    while gif[at]:
        at += gif[at] + 1
    return at + 1
