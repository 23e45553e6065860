"""What every recording writer shares: frames checked as they come, the file written beside its
target and moved into place only when the recording is closed, and frame timing.

A writer holds at most the previous frame (to encode only the part that changed) and the frame
being encoded, whatever the length of the recording: each frame is encoded and written to the
file as it arrives. Cancelling, or leaving a ``with`` block by an exception, removes what was
written; the target file (if one existed) stays as it was.
"""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from playground.messages import quote
from playground.storage.atomic import AtomicFile
from playground.storage.errors import StorageError

MAX_SIDE = 8192         # pixels; far beyond any panel, well within every format's limit
FPS_RANGE = (1.0, 60.0)


class RecordingWriter:
    """Base of the writers: ``add_frame(rgb)`` for each frame, then ``close()`` (or ``cancel()``).

    Frames are NumPy uint8 arrays of shape (height, width, 3), all of the first frame's size.
    ``fps`` is frames per second of the recording (its playback speed, not the app's).
    """

    suffix = ""
    max_fps = FPS_RANGE[1]

    def __init__(self, path, fps: float) -> None:
        if isinstance(fps, bool) or not isinstance(fps, (int, float)) or not math.isfinite(fps) \
                or not FPS_RANGE[0] <= fps <= self.max_fps:
            raise ValueError(f"fps is {quote(fps)}; it must be {FPS_RANGE[0]:g}..{self.max_fps:g}")
        self.fps = float(fps)
        self.frames_written = 0
        self.size: tuple[int, int] | None = None        # (width, height) from the first frame
        self._file = AtomicFile(path)
        self.path = self._file.path
        self._finished = False

    # -- the writer's life -------------------------------------------------------------------
    def add_frame(self, frame: np.ndarray) -> None:
        """Encode one frame and write it to the file (StorageError if the disk refuses)."""
        if self._finished:
            raise ValueError("the recording is closed")
        frame = self._checked(frame)
        try:
            self._write_frame(frame)
        except OSError as error:        # the disk is full, the folder went away
            self.cancel()
            raise StorageError(f"cannot record {self.path}: {error.strerror or error}") from None
        except Exception:
            self.cancel()
            raise
        self.frames_written += 1

    def close(self):
        """Finish the file and move it over the target; returns the target's path."""
        if self._finished:
            raise ValueError("the recording is closed")
        if self.frames_written == 0:
            self.cancel()
            raise StorageError("nothing was recorded: a recording needs at least one frame")
        try:
            self._finish()
            self._file.commit()
        except OSError as error:
            self.cancel()
            raise StorageError(f"cannot record {self.path}: {error.strerror or error}") from None
        except Exception:
            self.cancel()
            raise
        self._finished = True
        return self.path

    def cancel(self) -> None:
        """Stop and remove everything written; the target is untouched. Safe to call twice."""
        if not self._finished:
            self._finished = True
            self._abort()
            self._file.discard()

    def __enter__(self):
        return self

    def __exit__(self, kind, error, trace) -> None:
        if kind is None:
            self.close()
        else:
            self.cancel()

    # -- for the formats ----------------------------------------------------------------------
    def _write_frame(self, frame: np.ndarray) -> None:
        raise NotImplementedError

    def _finish(self) -> None:
        """Write what ends the file (the stream is still open)."""

    def _abort(self) -> None:
        """Release whatever the format holds beyond the file (an encoder process)."""

    @property
    def _stream(self):
        return self._file.stream

    def _checked(self, frame) -> np.ndarray:
        if not isinstance(frame, np.ndarray) or frame.dtype != np.uint8 or frame.ndim != 3 \
                or frame.shape[2] != 3:
            described = (f"a {frame.dtype} array of shape {frame.shape}"
                         if isinstance(frame, np.ndarray) else type(frame).__name__)
            raise ValueError(f"a frame must be a uint8 array of shape (height, width, 3), "
                             f"not {described}")
        height, width = frame.shape[:2]
        if self.size is None:
            if not (1 <= width <= MAX_SIDE and 1 <= height <= MAX_SIDE):
                raise ValueError(f"a frame of {width}×{height} pixels; each side must be "
                                 f"1..{MAX_SIDE}")
            self.size = (width, height)
        elif (width, height) != self.size:
            raise ValueError(f"frame {self.frames_written + 1} is {width}×{height} pixels; the "
                             f"recording is {self.size[0]}×{self.size[1]}")
        return np.ascontiguousarray(frame)


def changed_box(previous: np.ndarray | None, frame: np.ndarray) -> tuple[int, int, int, int]:
    """(x, y, width, height) of the smallest rectangle holding every pixel that differs from
    ``previous`` (the whole frame when there is none; one pixel when nothing changed, since
    every format needs a frame there to keep the timing)."""
    height, width = frame.shape[:2]
    if previous is None:
        return 0, 0, width, height
    differs = np.any(previous != frame, axis=2)
    rows = np.flatnonzero(differs.any(axis=1))
    if rows.size == 0:
        return 0, 0, 1, 1
    columns = np.flatnonzero(differs[rows[0]: rows[-1] + 1].any(axis=0))
    return (int(columns[0]), int(rows[0]), int(columns[-1] - columns[0] + 1),
            int(rows[-1] - rows[0] + 1))


def frame_interval(fps: float) -> Fraction:
    """Seconds a frame is shown, as a fraction with a small denominator (1/15, 2/25)."""
    return 1 / Fraction(fps).limit_denominator(1000)


def centisecond_delays(fps: float):
    """GIF delays (whole hundredths of a second) for frames 0, 1, 2, ...: each rounded so the
    running total stays on time (15 fps: 7, 6, 7, 7, 6, 7, ... exactly 100 every 15 frames)."""
    interval = frame_interval(fps) * 100
    index = 0
    while True:
        yield round((index + 1) * interval) - round(index * interval)
        index += 1
