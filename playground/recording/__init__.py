"""Recording training as animated images or video, a frame at a time (pure; no Qt).

    writer = open_recording(path, fps)          # the format from the suffix: .gif .png .apng .mp4
    writer.add_frame(rgb)                       # uint8 (height, width, 3), each as it is drawn
    writer.close()                              # or writer.cancel(): nothing is left behind

Memory stays at about two frames whatever the length: each frame is encoded and written as it
comes (Pillow for GIF and PNG; an ffmpeg program, when installed, for MP4). The file is
written beside the target and moved into place by ``close``. See docs/RECORDING.md.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from playground.recording.apng import ApngWriter
from playground.recording.frames import FPS_RANGE, RecordingWriter
from playground.recording.gif import MAX_GIF_FPS, GifWriter
from playground.recording.mp4 import Mp4Writer, find_ffmpeg


@dataclass(frozen=True)
class RecordingFormat:
    """A format the Record dialog offers: its name, file suffixes and writer."""

    label: str
    suffixes: tuple[str, ...]
    writer: type

    @property
    def available(self) -> bool:
        return self.writer is not Mp4Writer or find_ffmpeg() is not None


FORMATS = {
    "gif": RecordingFormat("Animated GIF", (".gif",), GifWriter),
    "apng": RecordingFormat("Animated PNG", (".png", ".apng"), ApngWriter),
    "mp4": RecordingFormat("MP4 video (ffmpeg)", (".mp4",), Mp4Writer),
}


def format_for(path) -> str:
    """The key of FORMATS whose suffix the path has; ValueError naming the suffixes."""
    suffix = Path(path).suffix.lower()
    for key, entry in FORMATS.items():
        if suffix in entry.suffixes:
            return key
    known = ", ".join(suffix for entry in FORMATS.values() for suffix in entry.suffixes)
    raise ValueError(f"a recording is saved as {known}, not {suffix or 'a file without suffix'}")


def open_recording(path, fps: float) -> RecordingWriter:
    """A writer for ``path`` in the format its suffix names (StorageError if it cannot be
    created, or if MP4 is asked for and no ffmpeg is installed)."""
    return FORMATS[format_for(path)].writer(path, fps)


__all__ = ["ApngWriter", "FORMATS", "FPS_RANGE", "GifWriter", "MAX_GIF_FPS", "Mp4Writer",
           "RecordingFormat", "RecordingWriter", "find_ffmpeg", "format_for", "open_recording"]
