"""The File ▸ Record… dialog, and the small window that follows a recording and reports it.

The dialog chooses what to record (the whole window or one panel, with its size in pixels),
the format (MP4 only when ffmpeg is installed: otherwise listed, disabled, saying why), frames
per second, epochs per frame and the length, in seconds or frames; it gathers a
``RecordingRequest`` (what can be recorded: ``TARGETS``). The progress window shows the frames taken, has Cancel, and ends with
the result: the file, its size, the frames and the training speed.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QProgressBar, QPushButton, QSpinBox,
                               QVBoxLayout, QWidget)

from playground.recording import FORMATS, FPS_RANGE, MAX_GIF_FPS

DEFAULT_FPS = 15
DEFAULT_SECONDS = 10
MAX_EPOCHS_PER_FRAME = 100_000
MAX_FRAMES = 100_000
MP4_REASON = "MP4 needs the ffmpeg program, which is not installed (or not on PATH)."
FAST_NOTE = ("As fast as possible, a frame is taken at a screen update (4 to 30 a second, fewer "
             "for large networks) at least this many epochs after the last.")


# what can be recorded: key -> (label, the widget of a MainWindow)
TARGETS = {
    "window": ("The whole window", lambda window: window),
    "boundary": ("Decision boundary", lambda window: window.boundary_view),
    "network": ("Network", lambda window: window.network_editor.view),
    "plots": ("Plots", lambda window: window.plots_row),
}
@dataclass(frozen=True)
class RecordingRequest:
    """A recording to make: ``frames`` frames of ``target`` (a TARGETS key) at least
    ``epochs_per_frame`` epochs apart, played back at ``fps``, written to ``path`` (the format
    follows its suffix)."""

    path: str
    target: str
    fps: float
    epochs_per_frame: int
    frames: int


def frames_for(length: float, unit: str, fps: float) -> int:
    """The frames a length makes: seconds at ``fps``, or a number of frames."""
    return max(1, math.ceil(length * fps - 1e-9) if unit == "seconds" else round(length))


def default_epochs_per_frame(epochs_per_second: float | None, fps: float) -> int:
    """Epochs per frame that play back at the speed training runs at (1 as fast as
    possible, where screen updates set the pace)."""
    if epochs_per_second is None:
        return 1
    return max(1, round(epochs_per_second / fps))


class RecordDialog(QDialog):
    """Gathers a recording; ``sigRecord(request)`` when Record is pressed. ``choose(suggested,
    filters)`` asks for a file (Browse…)."""

    sigRecord = Signal(object)

    def __init__(self, window, stem_path: str, choose):
        super().__init__(window)
        self.setObjectName("recordDialog")
        self.setWindowTitle("Record training")
        self._window = window
        self._stem = stem_path
        self._choose = choose
        self.target = QComboBox()
        self.target.setObjectName("recordTargetInput")
        for key, (label, widget_of) in TARGETS.items():
            size = widget_of(window).size()
            self.target.addItem(f"{label} ({size.width()} × {size.height()})", key)
        self.target.setCurrentIndex(self.target.findData("boundary"))
        self.format = QComboBox()
        self.format.setObjectName("recordFormatInput")
        for key, entry in FORMATS.items():
            self.format.addItem(entry.label, key)
            if not entry.available:
                item = self.format.model().item(self.format.count() - 1)
                item.setEnabled(False)
                item.setToolTip(MP4_REASON)
        self.format_note = QLabel("" if FORMATS["mp4"].available else MP4_REASON)
        self.format_note.setObjectName("recordFormatNote")
        self.format_note.setWordWrap(True)
        self.fps = QSpinBox()
        self.fps.setObjectName("recordFpsInput")
        self.fps.setSuffix(" frames/s")
        self.fps.setValue(DEFAULT_FPS)
        self.epochs_per_frame = QSpinBox()
        self.epochs_per_frame.setObjectName("recordEpochsInput")
        self.epochs_per_frame.setRange(1, MAX_EPOCHS_PER_FRAME)
        self._speed = window.config.hyper.epochs_per_second
        self.epochs_per_frame.setValue(default_epochs_per_frame(self._speed, DEFAULT_FPS))
        self._epochs_edited = False     # until the user sets it, it follows frames per second
        self.epochs_per_frame.valueChanged.connect(self._epochs_set)
        self.epochs_per_frame.setToolTip(FAST_NOTE)
        self.length = QSpinBox()
        self.length.setObjectName("recordLengthInput")
        self.length.setRange(1, MAX_FRAMES)
        self.length.setValue(DEFAULT_SECONDS)
        self.unit = QComboBox()
        self.unit.setObjectName("recordUnitInput")
        self.unit.addItem("seconds", "seconds")
        self.unit.addItem("frames", "frames")
        self.total = QLabel()
        self.total.setObjectName("recordTotal")
        self.path = QLineEdit()
        self.path.setObjectName("recordPathInput")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.record_button = buttons.addButton("Record", QDialogButtonBox.ButtonRole.AcceptRole)
        self.record_button.setObjectName("recordButton")
        buttons.accepted.connect(self._record)
        buttons.rejected.connect(self.reject)
        self.problem = QLabel()
        self.problem.setObjectName("recordProblem")
        self.problem.setStyleSheet("color: #c01c28;")
        self.problem.setWordWrap(True)
        self.problem.hide()

        form = QFormLayout()
        form.addRow("Record", self.target)
        form.addRow("Format", self.format)
        form.addRow("", self.format_note)
        form.addRow("Frames per second", self.fps)
        form.addRow("Epochs per frame", self.epochs_per_frame)
        form.addRow("Length", _row(self.length, self.unit))
        form.addRow("", self.total)
        form.addRow("File", _row(self.path, browse))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        if self._speed is None:
            note = QLabel(FAST_NOTE)
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addWidget(QLabel("Record starts training if it is paused, and pauses it again "
                                "when the recording is done."))
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        for widget in (self.target, self.format):
            widget.currentIndexChanged.connect(self._suggest_path)
        self.format.currentIndexChanged.connect(self._format_changed)
        for spin in (self.fps, self.epochs_per_frame, self.length):
            spin.valueChanged.connect(self._show_total)
        self.unit.currentIndexChanged.connect(self._show_total)
        self.fps.valueChanged.connect(self._follow_fps)
        self._format_changed()
        self._suggest_path()
        self._show_total()
        self.resize(520, self.sizeHint().height())

    def _epochs_set(self) -> None:
        self._epochs_edited = True

    def _follow_fps(self, fps: int) -> None:
        # playback keeps the training's pace at any frame rate, unless epochs were chosen
        if not self._epochs_edited:
            self.epochs_per_frame.blockSignals(True)
            self.epochs_per_frame.setValue(default_epochs_per_frame(self._speed, fps))
            self.epochs_per_frame.blockSignals(False)
            self._show_total()

    def request(self) -> RecordingRequest:
        """The recording asked for; ValueError when the file does not suit the format."""
        path = self.path.text().strip()
        if not path:
            raise ValueError("choose a file to record to")
        key = self.format.currentData()
        if Path(path).suffix.lower() not in FORMATS[key].suffixes:
            path += FORMATS[key].suffixes[0]
        fps = float(self.fps.value())
        return RecordingRequest(path, self.target.currentData(), fps,
                                self.epochs_per_frame.value(), self.frames())

    def frames(self) -> int:
        return frames_for(self.length.value(), self.unit.currentData(), self.fps.value())

    def choose(self, target: str | None = None, format_key: str | None = None,
               fps: int | None = None, epochs_per_frame: int | None = None,
               length: int | None = None, unit: str | None = None,
               path: str | None = None) -> None:
        """Set any of the choices (what the user does by hand; the path last)."""
        for combo, data in ((self.target, target), (self.format, format_key),
                            (self.unit, unit)):
            if data is not None:
                combo.setCurrentIndex(combo.findData(data))
        for spin, value in ((self.fps, fps), (self.epochs_per_frame, epochs_per_frame),
                            (self.length, length)):
            if value is not None:
                spin.setValue(value)
        if path is not None:
            self.path.setText(path)

    def _format_changed(self) -> None:
        key = self.format.currentData()
        self.fps.setRange(int(FPS_RANGE[0]), int(MAX_GIF_FPS if key == "gif" else FPS_RANGE[1]))
        self._suggest_path()

    def _suggest_path(self) -> None:
        key = self.format.currentData()
        suffix = FORMATS[key].suffixes[0]
        current = self.path.text().strip()
        if current:
            self.path.setText(str(Path(current).with_suffix(suffix)))
        else:
            self.path.setText(f"{self._stem}-{self.target.currentData()}{suffix}")

    def _show_total(self) -> None:
        frames = self.frames()
        self.total.setText(f"{frames:,} frames, {frames / self.fps.value():.1f} s of playback, "
                           f"at least {frames * self.epochs_per_frame.value():,} epochs of "
                           "training")

    def _browse(self) -> None:
        key = self.format.currentData()
        entry = FORMATS[key]
        patterns = " ".join(f"*{suffix}" for suffix in entry.suffixes)
        path = self._choose(self.path.text(), f"{entry.label} ({patterns});;All files (*)")
        if path:
            self.path.setText(path)

    def _record(self) -> None:
        try:
            request = self.request()
        except ValueError as error:
            self.problem.setText(f"Cannot record: {error}.")
            self.problem.show()
            return
        self.sigRecord.emit(request)


class RecordingProgress(QDialog):
    """Follows a recording: frames taken of all, Cancel; then the result and Open / Close.

    Not modal: the window goes on training and drawing under it (a window recorded is grabbed
    without this one in it)."""

    def __init__(self, window, recorder):
        super().__init__(window)
        self.setObjectName("recordingProgress")
        self.setWindowTitle("Recording")
        self.recorder = recorder
        request = recorder.request
        label = TARGETS[request.target][0].lower()
        self.heading = QLabel(f"Recording {label} to {request.path}")
        self.heading.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setObjectName("recordingProgressBar")
        self.bar.setRange(0, request.frames)
        self.detail = QLabel()
        self.detail.setObjectName("recordingDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox()
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setObjectName("recordingCancel")
        self.cancel_button.clicked.connect(recorder.cancel)
        self.open_button = self.buttons.addButton("Open", QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.hide()
        self.open_button.clicked.connect(self._open_file)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.hide()
        self.close_button.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        for widget in (self.heading, self.bar, self.detail, self.buttons):
            layout.addWidget(widget)
        self._timer_id = self.startTimer(100)
        self._show_progress()
        self.resize(480, self.sizeHint().height())

    def timerEvent(self, event) -> None:
        self._show_progress()

    def _show_progress(self) -> None:
        taken, asked = self.recorder.progress()
        self.bar.setValue(taken)
        if taken >= asked:
            self.detail.setText(f"{taken} frames taken; finishing the file…")
            self.cancel_button.setEnabled(False)
        else:
            self.detail.setText(f"Frame {taken} of {asked}")

    def show_result(self) -> None:
        """The recording ended: say how (the recorder's summary)."""
        self.killTimer(self._timer_id)
        recorder = self.recorder
        self.bar.setValue(recorder.frames)
        self.heading.setText("Recording done" if recorder.path else "No recording")
        self.detail.setText(recorder.summary)
        self.cancel_button.hide()
        self.open_button.setVisible(recorder.path is not None)
        self.close_button.show()
        self.adjustSize()

    def _open_file(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(self.recorder.path))


def _row(*widgets) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        row.addWidget(widget)
    return box
