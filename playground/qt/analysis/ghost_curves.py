"""Pinned runs drawn faintly under the live curves of the loss or the accuracy plot.

Each shown pin gets two thin curves in its own colour (train dashed, test dotted) and, at the
end of its train curve, its label and what differs from the running settings ("Run 1: lr 0.3
vs 0.03"). The plot's range takes the ghosts in, so a new run races against them from epoch 0.
Ghost curves are plain pyqtgraph items (down-sampled to the screen's width, clipped to the
view): they change only when the pins or the running settings do.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont

from playground.qt import theme
from playground.qt.analysis.pinned_runs import pin_colour
from playground.runs import PinnedRuns

GHOST_ALPHA = 190
GHOST_Z = -5                    # under the live curves
LABEL_POINTS = 8
LABEL_FILL_ALPHA = 170          # a label stays readable over the curves it crosses


class GhostCurves:
    """The pinned runs' curves of one metric pair (``train_field``, ``test_field`` of the
    history) on ``plot`` (a TrainTestPlot). ``show_runs`` draws the shown pins; the window
    hands every snapshot to ``show_snapshot`` after the plot, which puts the ghosts back in the
    plot's range after a Reset cleared it."""

    def __init__(self, plot, train_field: str, test_field: str) -> None:
        self.plot = plot
        self.fields = (train_field, test_field)
        self.items: list = []
        self.labels: list[pg.TextItem] = []
        self._bounds: tuple | None = None     # (last epoch, values) the range must hold
        self._ends: list[tuple[float, float]] = []      # (epoch, value) of each label
        self._log_y = False
        plot.getPlotItem().getViewBox().sigRangeChanged.connect(
            lambda *_: self._place_labels() if self.labels else None)

    def show_runs(self, runs: PinnedRuns, differences: dict[int, str]) -> None:
        plot_item = self.plot.getPlotItem()
        for item in self.items + self.labels:
            plot_item.removeItem(item)
        self.items, self.labels, self._ends = [], [], []
        epochs_seen, values_seen = [], []
        self._log_y = bool(plot_item.getAxis("left").logMode)
        fill = QColor(theme.plot_background(self.plot.palette()))
        fill.setAlpha(LABEL_FILL_ALPHA)
        font = QFont(self.plot.font())
        font.setPointSizeF(LABEL_POINTS)
        for run in runs.visible:
            colour = pin_colour(run.pin_id)
            colour.setAlpha(GHOST_ALPHA)
            epochs = np.asarray(run.history["epochs"], np.float64)
            for field, style in zip(self.fields, (Qt.PenStyle.DashLine, Qt.PenStyle.DotLine)):
                values = np.asarray(run.history[field], np.float64)
                if not np.isfinite(values).any():
                    continue            # no test points, or the accuracy of a regression
                item = pg.PlotDataItem(pen=pg.mkPen(colour, width=1, style=style),
                                       connect="finite")
                item.setZValue(GHOST_Z)
                # in the view box before it clips to it (added with clipping on, pyqtgraph
                # 0.14 asks the plot widget, not the view box, for its range and fails)
                plot_item.addItem(item, ignoreBounds=True)
                item.setLogMode(False, self._log_y)
                item.setDownsampling(auto=True, method="peak")
                item.setClipToView(True)
                item.setData(epochs, values)
                self.items.append(item)
                epochs_seen.append(epochs)
                values_seen.append(values[np.isfinite(values)])
            train = float(run.history[self.fields[0]][-1])
            if np.isfinite(train):
                label = pg.TextItem(f"{run.label}: {differences.get(run.pin_id, '')}",
                                    color=pin_colour(run.pin_id), anchor=(1, 1), fill=fill)
                label.setFont(font)
                label.setZValue(GHOST_Z)
                plot_item.addItem(label, ignoreBounds=True)
                self.labels.append(label)
                self._ends.append((float(epochs[-1]), train))
        self._place_labels()
        self._bounds = None
        if epochs_seen:
            values = np.concatenate(values_seen)
            self._bounds = (float(np.concatenate(epochs_seen).max()), values)
        self._extend_range(force=True)

    def show_snapshot(self, _snapshot) -> None:
        """After the plot took the snapshot: keep the ghosts in its range and their labels
        at their curves' ends (also on a log axis)."""
        if bool(self.plot.getPlotItem().getAxis("left").logMode) != self._log_y:
            self._log_y = not self._log_y
            self._place_labels()
        self._extend_range()

    def _place_labels(self) -> None:
        # the label at its curve's end, anchored at the same fraction of its width as the end
        # is of the plot's (its left end at the left edge, its right end at the right edge),
        # above the end, or below it in the upper half: it stays on the plot
        (left, right), (bottom, top) = self.plot.getPlotItem().getViewBox().viewRange()
        for label, (epoch, value) in zip(self.labels, self._ends):
            y = np.log10(value) if self._log_y and value > 0 else value
            across = min(max((epoch - left) / (right - left), 0.0), 1.0) if right > left else 1
            label.setAnchor((across, 0 if y > (bottom + top) / 2 else 1))
            label.setPos(epoch, y)

    def _extend_range(self, force: bool = False) -> None:
        if self._bounds is None:
            return
        stepped = self.plot.stepped_range
        last_epoch, values = self._bounds
        if len(values) == 0:
            return
        # a Reset makes the plot forget every bound, the ghosts' too
        forgotten = (stepped.x_max < last_epoch or stepped.y_min > values.min()
                     or stepped.y_max < values.max())
        if force or forgotten:
            stepped.extend(np.array([0.0, last_epoch]), values)
            stepped.update(force=True)
