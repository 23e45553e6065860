"""The tool bar's speed control: a limit in epochs per second, and "as fast as possible" one
click away.

The combo (objectName ``speedInput``) offers the ladder of limits and "As fast as possible";
the "Fast" toggle beside it switches to full speed and, clicked again, back to the limit that
was in force before. The control only reports intent (``sigSpeedChanged``); the window merges
it into the hyperparameters it sends to the worker, and shows the worker's speed with
``set_speed`` (a loaded file or lesson brings its own).
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QToolButton, QWidget

from playground.config import DEFAULT_EPOCHS_PER_SECOND
from playground.qt.widgets import SPACE_KEY, describe, tab_focus_only
from playground.qt.shell.training_controls import format_number

# None means "as fast as possible"; the others span limits.EPOCHS_PER_SECOND_RANGE
SPEEDS = (1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0, None)


def format_speed(epochs_per_second: float | None) -> str:
    """The combo's text for a speed: "30 epochs/s", "1 epoch/s", "As fast as possible"."""
    if epochs_per_second is None:
        return "As fast as possible"
    unit = "epoch/s" if epochs_per_second == 1 else "epochs/s"
    return f"{format_number(epochs_per_second)} {unit}"


def _speed_data(epochs_per_second: float | None) -> float:
    # item data cannot hold None reliably, so 0 stands for "as fast as possible"
    return 0.0 if epochs_per_second is None else float(epochs_per_second)


def _speed_value(data: float) -> float | None:
    return None if not data else float(data)


class SpeedControl(QWidget):
    """"Speed [30 epochs/s ▾] [Fast]": the most epochs trained per second.

    ``sigSpeedChanged(rate)`` with a float, or None for as fast as possible, when the user
    changes it; ``set_speed`` shows a speed without emitting.
    """

    sigSpeedChanged = Signal(object)

    def __init__(self, epochs_per_second: float | None = DEFAULT_EPOCHS_PER_SECOND,
                 parent=None):
        super().__init__(parent)
        self.combo = QComboBox()
        for speed in SPEEDS:
            self.combo.addItem(format_speed(speed), _speed_data(speed))
        describe(self.combo, "speedInput", "Speed limit",
                 "Most epochs trained per second: slow enough to watch the boundary form, or as "
                 "fast as possible.")
        self.fast = QToolButton()
        self.fast.setText("Fast")
        self.fast.setCheckable(True)
        describe(self.fast, "fastSpeedButton", "As fast as possible",
                 "Train as fast as possible; click again to go back to the speed limit.")
        for control in (self.combo, self.fast):
            tab_focus_only(control, SPACE_KEY)
        label = QLabel("Speed")
        label.setBuddy(self.combo)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.setSpacing(4)
        layout.addWidget(label)
        layout.addWidget(self.combo)
        layout.addWidget(self.fast)
        # where "Fast" switched off returns to: the last limit chosen
        self._limit = DEFAULT_EPOCHS_PER_SECOND
        self._speed: float | None = DEFAULT_EPOCHS_PER_SECOND
        self.set_speed(epochs_per_second)
        self.combo.currentIndexChanged.connect(lambda index: self._choose(
            _speed_value(self.combo.itemData(index))))
        self.fast.toggled.connect(lambda on: self._choose(None if on else self._limit))

    def speed(self) -> float | None:
        """The speed shown: epochs per second, or None for as fast as possible."""
        return self._speed

    def set_speed(self, epochs_per_second: float | None) -> None:
        """Show a speed without emitting (a configuration loaded or echoed by the worker)."""
        self._speed = epochs_per_second
        if epochs_per_second is not None:
            self._limit = epochs_per_second
        index = self.combo.findData(_speed_data(epochs_per_second))
        if index < 0:   # a saved speed off the ladder gets its own entry
            self.combo.addItem(format_speed(epochs_per_second), _speed_data(epochs_per_second))
            index = self.combo.count() - 1
        for widget in (self.combo, self.fast):
            widget.blockSignals(True)
        self.combo.setCurrentIndex(index)
        self.fast.setChecked(epochs_per_second is None)
        for widget in (self.combo, self.fast):
            widget.blockSignals(False)

    def _choose(self, epochs_per_second: float | None) -> None:
        changed = epochs_per_second != self._speed
        self.set_speed(epochs_per_second)
        if changed:
            self.sigSpeedChanged.emit(epochs_per_second)
