"""File ▸ Record…: training recorded as an animated GIF, an animated PNG or an MP4 video.

Frames come from the window's own rendering: after every snapshot the views have shown
(``MainWindow.sigRendered``), a frame is due once training is at least N epochs past the last
one (as fast as possible, that is every screen update). The GUI thread grabs the panel, turns
it into a NumPy copy and hands it to the encoder thread (``playground.recording.background``);
when that thread is still busy with two frames, the moment is skipped and the next screen
update is taken instead, so nothing waits and memory stays bounded. Record starts training if
it was paused (and pauses it again at the end); Cancel removes the file being written.
"""
from __future__ import annotations

import os
import time

import numpy as np
from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QImage

from playground.messages import ERROR, SUCCESS
from playground.qt.files.record_dialog import (TARGETS, RecordDialog, RecordingProgress,
                                               RecordingRequest)
from playground.recording import open_recording
from playground.recording.background import BackgroundEncoder
from playground.snapshot import PLAYING
from playground.storage import StorageError

PROGRESS_INTERVAL_MS = 100
CLOSE_WAIT_SECONDS = 5.0


def grab_rgb(widget, size: tuple[int, int] | None = None) -> np.ndarray:
    """The widget as it is drawn now: a (height, width, 3) uint8 copy, scaled to ``size``
    (width, height) if it has another (the window was resized while recording)."""
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    if size is not None and (image.width(), image.height()) != size:
        image = image.scaled(*size)
    width, height = image.width(), image.height()
    rows = np.frombuffer(image.constBits(), np.uint8, count=image.sizeInBytes())
    rows = rows.reshape(height, image.bytesPerLine())
    return rows[:, :3 * width].reshape(height, width, 3).copy()


def describe_size(size: int) -> str:
    """A file size for people: 812 kB, 9.2 MB."""
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{max(size / 1e3, 0.1):.0f} kB"


class Recorder(QObject):
    """One recording under way. ``progress()`` is (frames taken, frames asked); ``finished``
    becomes True once it ended, with ``summary`` (what the user is told) and ``path`` (None
    when cancelled or failed)."""

    def __init__(self, window, request: RecordingRequest, on_end):
        super().__init__(window)
        self.window = window
        self.request = request
        self._on_end = on_end
        self.widget = TARGETS[request.target][1](window)
        self.encoder = BackgroundEncoder(open_recording(request.path, request.fps))
        self.frames = 0
        self.size: tuple[int, int] | None = None
        self.finished = False
        self.cancelled = False
        self.path: str | None = None
        self.summary = ""
        self.widest_gap = 0             # most epochs between two frames
        controller = window.controller
        latest = controller.latest_snapshot
        playing = controller.state == PLAYING
        self.speed_before = latest.epochs_per_second if playing and latest is not None else None
        self._started_training = not playing
        self._first_epoch = self._last_epoch = None
        self._first_time = self._last_time = None
        self._poll = QTimer(self, interval=PROGRESS_INTERVAL_MS)
        self._poll.timeout.connect(self._check_encoder)
        window.sigRendered.connect(self._rendered)
        self._take(window.rendered_snapshot)     # the picture as it stands: the first frame
        self._poll.start()
        if self._started_training and self.frames < request.frames:     # (one frame: done)
            controller.play()

    def progress(self) -> tuple[int, int]:
        return self.frames, self.request.frames

    def _rendered(self, snapshot) -> None:
        if self.frames >= self.request.frames or self.cancelled:
            return
        epoch = snapshot.epoch
        due = (self._last_epoch is None or epoch < self._last_epoch
               or epoch >= self._last_epoch + self.request.epochs_per_frame)
        if due and self.encoder.has_room():
            self._take(snapshot)

    def _take(self, snapshot) -> None:
        frame = grab_rgb(self.widget, self.size)
        self.size = (frame.shape[1], frame.shape[0])
        self.encoder.put(frame)
        self.frames += 1
        epoch = 0 if snapshot is None else snapshot.epoch
        now = time.perf_counter()
        if self._last_epoch is not None and epoch >= self._last_epoch:
            self.widest_gap = max(self.widest_gap, epoch - self._last_epoch)
        if self._first_epoch is None or epoch < self._first_epoch:     # (a Reset: start over)
            self._first_epoch, self._first_time = epoch, now
        self._last_epoch, self._last_time = epoch, now
        if self.frames >= self.request.frames:
            self._stop_capturing()
            self.encoder.finish()

    def _stop_capturing(self) -> None:
        self.window.sigRendered.disconnect(self._rendered)
        if self._started_training:
            self.window.controller.pause()

    def cancel(self) -> None:
        """Stop now and remove the file being written."""
        if self.finished or self.cancelled:
            return
        self.cancelled = True
        if self.frames < self.request.frames:
            self._stop_capturing()
        self.encoder.cancel()

    def speed_while_recording(self) -> float | None:
        """Epochs trained per second between the first and the last frame."""
        if self._first_time is None or self._last_time <= self._first_time:
            return None
        return (self._last_epoch - self._first_epoch) / (self._last_time - self._first_time)

    def _check_encoder(self) -> None:
        encoder = self.encoder
        if not encoder.done.is_set():
            return
        self._poll.stop()
        encoder.wait()
        if self.frames < self.request.frames and not self.cancelled:
            self._stop_capturing()      # the encoder failed: no more frames
        self.finished = True
        if encoder.error is not None:
            self.summary = f"The recording failed: {encoder.error}"
        elif self.cancelled:
            self.summary = "Recording cancelled: no file was written."
        else:
            self.path = str(encoder.path)
            self.summary = self._describe_result()
        self._on_end(self)

    def _describe_result(self) -> str:
        request, (width, height) = self.request, self.size
        lines = [f"Recorded {self.frames} frames of {width} × {height} pixels at "
                 f"{request.fps:g} frames per second ({self.frames / request.fps:.1f} s) to "
                 f"{self.path} — {describe_size(os.path.getsize(self.path))}."]
        while_recording = self.speed_while_recording()
        if while_recording is not None:
            speed = f"Training ran at {while_recording:,.0f} epochs/s while recording"
            before = self.speed_before
            if before:
                speed += (f"; {before:,.0f} epochs/s just before "
                          f"({100 * while_recording / before:.0f} %).")
            else:
                speed += " (it was paused before: no speed to compare with)."
            lines.append(speed)
        asked = request.epochs_per_frame
        if self.widest_gap > asked:
            lines.append(f"Frames are {asked} epoch{'s' * (asked != 1)} apart or more (up to "
                         f"{self.widest_gap:,}): a frame is taken at a screen update, when the "
                         "encoder is free.")
        return "\n".join(lines)

    def close_now(self) -> None:
        """The window closes: cancel, and wait (briefly) for the encoder thread to end."""
        self.cancel()
        self._poll.stop()
        self.encoder.wait(CLOSE_WAIT_SECONDS)


class Recording(QObject):
    """File ▸ Record…: the dialog (``open_dialog``), the recording under way (``recorder``) and
    its progress window (``progress``)."""

    def __init__(self, window, file_actions):
        super().__init__(window)
        self.window = window
        self.files = file_actions
        self.dialog = None
        self.progress = None
        self.recorder: Recorder | None = None
        window.sigClosing.connect(self._window_closing)

    def open_dialog(self):
        """Show the Record dialog (window-modal, not blocking); returns it."""
        if self.recorder is not None and not self.recorder.finished:
            self.progress.show()            # closed with Esc, it is only hidden
            self.progress.raise_()
            return self.progress
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = RecordDialog(self.window, self.files.suggested_path(""),
                                   choose=self._choose_path)
        self.dialog.sigRecord.connect(self.start)
        self.dialog.open()
        return self.dialog

    def _choose_path(self, suggested: str, filters: str) -> str | None:
        return self.files.prompter.save_path("Record to", suggested, filters)

    def start(self, request: RecordingRequest) -> bool:
        """Start recording; False (after saying why) if the file cannot be created."""
        try:
            self.recorder = Recorder(self.window, request, self._ended)
        except (StorageError, ValueError, OSError) as error:
            self.files.prompter.error("Cannot record", f"{request.path}:\n{error}")
            return False
        if self.dialog is not None:
            self.dialog.accept()
        if self.progress is not None:
            self.progress.deleteLater()
        self.progress = RecordingProgress(self.window, self.recorder)
        self.progress.show()
        return True

    def _ended(self, recorder: Recorder) -> None:
        self.progress.show_result()
        if recorder.path is not None:
            self.files.message(recorder.summary.splitlines()[0], kind=SUCCESS)
        elif not recorder.cancelled:
            self.files.message(recorder.summary, kind=ERROR)

    def _window_closing(self) -> None:
        if self.recorder is not None and not self.recorder.finished:
            self.recorder.close_now()
