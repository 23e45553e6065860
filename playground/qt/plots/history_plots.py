"""The plots of per-epoch numbers: train and test loss, train and test accuracy.

Every epoch arrives in some snapshot's ``history`` and is appended, so no epoch is dropped.
"""
from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from playground.qt import theme
from playground.qt.plots.growing_columns import GrowingColumns
from playground.qt.plots.live_plot import LivePlot
from playground.qt.plots.log_axis import QuietLogAxis
from playground.snapshot import Snapshot


class TrainTestPlot(LivePlot):
    """Train and test curves of one per-epoch History quantity."""

    train_field = ""
    test_field = ""

    def __init__(self, parent=None, title="", y_label="", axis_items=None) -> None:
        super().__init__(parent, title, y_label, axis_items)
        self.buffer = GrowingColumns(("epoch", "train", "test"))
        self.lines = self._make_curves("train and test", ["train", "test"],
                                       [QtGui.QColor(theme.POSITIVE), QtGui.QColor(theme.NEGATIVE)])
        self.train_curve, self.test_curve = self.lines.series
        self.readout.set_curves(self.lines.series)
        self.legend.set_entries([("train", QtGui.QColor(theme.POSITIVE)),
                                 ("test", QtGui.QColor(theme.NEGATIVE))])

    def _ingest(self, snapshot: Snapshot) -> None:
        history = snapshot.history
        if len(history) == 0:
            return
        train, test = getattr(history, self.train_field), getattr(history, self.test_field)
        compacted = self.buffer.append({"epoch": history.epochs, "train": train, "test": test})
        self.stepped_range.extend(history.epochs, train, test)
        epochs = self.buffer.column("epoch")
        self.lines.set_data(epochs, [self.buffer.column("train"), self.buffer.column("test")],
                            extends=not compacted)

    def _reset_data(self) -> None:
        self.buffer.clear()
        self.lines.set_data([], [[], []])


class LossPlot(TrainTestPlot):
    """Train and test loss per epoch; ``set_log_scale`` switches the y axis to log10."""

    train_field = "train_loss"
    test_field = "test_loss"

    def __init__(self, parent=None) -> None:
        # a log axis that keeps its labels apart when the log scale is switched on
        super().__init__(parent, title="Loss", y_label="loss",
                         axis_items={"left": QuietLogAxis("left")})

    def set_log_scale(self, enabled: bool) -> None:
        self.getPlotItem().setLogMode(x=False, y=bool(enabled))
        self.stepped_range.update(force=True)

    def log_scale(self) -> bool:
        return bool(self.getPlotItem().getAxis("left").logMode)


class AccuracyPlot(TrainTestPlot):
    """Train and test accuracy per epoch; shows a message instead for regression."""

    train_field = "train_accuracy"
    test_field = "test_accuracy"
    FIXED_Y_RANGE = (-0.02, 1.02)

    def __init__(self, parent=None) -> None:
        super().__init__(parent, title="Accuracy", y_label="accuracy")
        self.message = QtWidgets.QLabel("Accuracy applies to classification only", self)
        self.message.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self.message.setAttribute(QtCore.Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.message.setWordWrap(True)
        self.message.hide()
        self.applicable = True
        self._entries = list(self.legend.entries)

    def _ingest(self, snapshot: Snapshot) -> None:
        self.set_applicable(snapshot.data.kind != "regression")
        super()._ingest(snapshot)

    def set_applicable(self, applicable: bool) -> None:
        """For regression: no curves, no legend, no axes, only the message."""
        if applicable == self.applicable:
            return
        self.applicable = applicable
        self.lines.setVisible(applicable)
        self.legend.set_entries(self._entries if applicable else [])
        plot_item = self.getPlotItem()
        for axis in ("left", "bottom"):
            plot_item.showAxis(axis, applicable)
        self.message.setVisible(not applicable)
        self.readout.hide()

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        # the base constructor resizes before the message label exists
        if "message" in self.__dict__:
            self.message.setGeometry(self.rect())
