"""MP4 video through an ``ffmpeg`` program, when one is installed (the app ships none).

Frames go to ffmpeg's standard input as raw RGB as they come; ffmpeg encodes them with its
default MP4 video codec (H.264 where it has one) in the yuv420p pixel format every player
reads, padding an odd width or height by one pixel, and writes the temporary file beside the
target, which is moved into place when the recording is closed.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile

import numpy as np

from playground.messages import shorten
from playground.recording.frames import RecordingWriter
from playground.storage.errors import StorageError

FFMPEG = "ffmpeg"
MESSAGE_CHARACTERS = 300


def find_ffmpeg() -> str | None:
    """The path of an ffmpeg program on PATH, or None (then MP4 is not offered)."""
    return shutil.which(FFMPEG)


class Mp4Writer(RecordingWriter):
    """Streams frames into an ffmpeg process writing an MP4 file."""

    suffix = ".mp4"

    def __init__(self, path, fps: float, ffmpeg: str | None = None) -> None:
        self._program = ffmpeg or find_ffmpeg()
        if self._program is None:
            raise StorageError("recording MP4 needs the ffmpeg program, which is not installed; "
                               "record a GIF or an animated PNG instead")
        super().__init__(path, fps)
        self._stream.close()            # ffmpeg writes the temporary file itself
        self._process: subprocess.Popen | None = None
        self._messages = tempfile.TemporaryFile()

    def _command(self, width: int, height: int) -> list[str]:
        return [self._program, "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
                "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}",
                "-r", f"{self.fps:g}", "-i", "pipe:0", "-an",
                "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", "-pix_fmt", "yuv420p",
                "-movflags", "+faststart", "-f", "mp4", str(self._file.temporary)]

    def _write_frame(self, frame: np.ndarray) -> None:
        if self._process is None:
            try:
                self._process = subprocess.Popen(self._command(*self.size), stdin=subprocess.PIPE,
                                                 stdout=subprocess.DEVNULL, stderr=self._messages)
            except OSError as error:
                raise StorageError(f"ffmpeg could not be started: {error.strerror or error}") \
                    from None
        try:
            self._process.stdin.write(frame.data)
        except (BrokenPipeError, OSError):
            raise StorageError(f"ffmpeg stopped: {self._ffmpeg_said()}") from None

    def _finish(self) -> None:
        try:
            self._process.stdin.close()
        except OSError:
            pass
        if self._process.wait() != 0:
            raise StorageError(f"ffmpeg failed (exit status {self._process.returncode}): "
                               f"{self._ffmpeg_said()}")
        self._process = None
        self._messages.close()

    def _abort(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process = None
        self._messages.close()

    def _ffmpeg_said(self) -> str:
        self._messages.seek(0)
        said = self._messages.read().decode("utf-8", "replace").strip()
        return shorten(said[-MESSAGE_CHARACTERS:] or "it gave no reason")
