"""Animated PNG, written frame by frame around Pillow's PNG encoder.

Pillow's own APNG writer wants every frame up front, so the chunks are written here: the
signature, the header (IHDR) of the first frame, an animation control chunk (acTL) whose frame
count is filled in when the recording is closed, and per frame a frame control chunk (fcTL:
the changed rectangle, the delay, "keep the previous frame") followed by the image data Pillow
compressed for that rectangle -- as IDAT for the first frame (which is also the still image a
viewer without animation shows) and rewrapped as fdAT with a sequence number for the others.
Lossless: every frame reads back exactly.
"""
from __future__ import annotations

import io
import struct
import zlib

import numpy as np
from PIL import Image

from playground.recording.frames import RecordingWriter, changed_box, frame_interval

SIGNATURE = b"\x89PNG\r\n\x1a\n"
PLAY_FOREVER = 0
DISPOSE_NONE, BLEND_SOURCE = 0, 0
# zlib level (tests/benchmarks/bench_recording.py, a 600 × 400 boundary panel): 6 encodes a
# frame in ~25 ms and 10 s at 15 fps in 7.6 MB; 1 takes ~12 ms but 12.9 MB
COMPRESS_LEVEL = 6


def chunk(kind: bytes, data: bytes) -> bytes:
    """A PNG chunk: length, type, data and the CRC-32 of type and data."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_chunks(data: bytes):
    """(type, data) of each chunk of a PNG file Pillow wrote."""
    at = len(SIGNATURE)
    while at < len(data):
        length, = struct.unpack(">I", data[at: at + 4])
        yield data[at + 4: at + 8], data[at + 8: at + 8 + length]
        at += 12 + length


class ApngWriter(RecordingWriter):
    """Streams frames into an animated PNG that loops forever."""

    suffix = ".png"

    def __init__(self, path, fps: float) -> None:
        super().__init__(path, fps)
        interval = frame_interval(self.fps)
        self._delay = (interval.numerator, interval.denominator)
        self._sequence = 0
        self._frame_count_at: int | None = None      # where acTL's frame count sits
        self._previous: np.ndarray | None = None

    def _write_frame(self, frame: np.ndarray) -> None:
        x, y, width, height = changed_box(self._previous, frame)
        encoded = io.BytesIO()
        Image.fromarray(frame[y: y + height, x: x + width]).save(
            encoded, "PNG", compress_level=COMPRESS_LEVEL)
        chunks = list(png_chunks(encoded.getvalue()))
        if self._previous is None:
            self._write_header(dict(chunks)[b"IHDR"])
        self._stream.write(chunk(b"fcTL", struct.pack(
            ">IIIIIHHBB", self._next_sequence(), width, height, x, y, *self._delay,
            DISPOSE_NONE, BLEND_SOURCE)))
        for kind, data in chunks:
            if kind != b"IDAT":
                continue
            if self._previous is None:
                self._stream.write(chunk(b"IDAT", data))
            else:
                self._stream.write(chunk(b"fdAT", struct.pack(">I", self._next_sequence())
                                         + data))
        self._previous = frame.copy()

    def _write_header(self, header: bytes) -> None:
        self._stream.write(SIGNATURE + chunk(b"IHDR", header))
        self._frame_count_at = self._stream.tell()
        self._stream.write(chunk(b"acTL", struct.pack(">II", 0, PLAY_FOREVER)))

    def _next_sequence(self) -> int:
        self._sequence += 1
        return self._sequence - 1

    def _finish(self) -> None:
        self._stream.write(chunk(b"IEND", b""))
        end = self._stream.tell()
        self._stream.seek(self._frame_count_at)
        self._stream.write(chunk(b"acTL", struct.pack(">II", self.frames_written, PLAY_FOREVER)))
        self._stream.seek(end)
