"""The Slope panel: the loss along the step the optimizer takes, with the engine's numbers.

The curve is L(W + s·ΔW) drawn against t = s·η, so for SGD it is L(W − t·g) and the step lands
at t = η; the tangent at t = 0 is the first-order prediction (slope −‖g‖² for SGD), and the
marker is where the step lands. With a learning rate too high the curve dips and rises again
before the marker: the step jumps over the valley. Everything drawn comes from the snapshot's
``slope`` (``playground.snapshot.SlopeView``), which the worker computes only while the panel
is shown.
"""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from playground.qt import theme
from playground.qt.analysis.side_column import (choice_box, plot_beside_column,
                                                readout_label)
from playground.qt.widgets import describe
from playground.snapshot import SlopeView, Snapshot

DATA_CHOICES = (("batch", "Next mini-batch"), ("train", "Whole training set"))
LANDING_COLOR = "#d62728"
# the landing lies this much (relative to the curve's span) above the lowest point before it:
# the step went past the valley
OVERSHOOT_TOLERANCE = 0.02
SIDE_WIDTH = 250


class SlopePanel(QWidget):
    """The loss along the step: curve, current point, tangent and where the step lands.

    ``sigDataChanged(data)`` when the user picks the loss of the next mini-batch ("batch") or
    of the whole training set ("train"); ``show_snapshot`` draws a snapshot's ``slope`` (one
    without keeps the last drawing: the panel was hidden meanwhile).
    """

    sigDataChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("slopePanel")
        self.view: SlopeView | None = None
        self.data_choice = choice_box(
            DATA_CHOICES, "slopeDataInput", "Loss of",
            "Draw the loss of the mini-batch the next step trains on, or of the whole training "
            "set along the same kind of step.")
        self.data_choice.currentIndexChanged.connect(
            lambda _index: self.sigDataChanged.emit(self.data()))
        self.readout = readout_label("slopeReadout")
        self.plot = pg.PlotWidget()
        describe(self.plot, "slopePlot", "Slope plot",
                 "The loss along the optimizer's step: the curve, the tangent at the current "
                 "weights (the first-order prediction) and where the step lands.")
        self.plot.setMinimumSize(200, 120)
        self._build_items()

        row = QHBoxLayout()
        row.addWidget(QLabel("Loss of"))
        row.addWidget(self.data_choice, 1)
        plot_beside_column(self, self.plot, row, self.readout, SIDE_WIDTH, widens=False)
        self._show_nothing("The loss along the next step shows here while training runs "
                           "or when you step.")

    def data(self) -> str:
        """"batch" or "train": what the panel asks the worker for."""
        return self.data_choice.currentData()

    def set_data(self, data: str) -> None:
        self.data_choice.setCurrentIndex(self.data_choice.findData(data))

    def _build_items(self) -> None:
        plot_item = self.plot.getPlotItem()
        plot_item.hideButtons()
        plot_item.setMenuEnabled(False, True)
        plot_item.showGrid(x=True, y=True, alpha=0.15)
        plot_item.setLabel("left", "loss")
        for axis in ("left", "bottom"):
            plot_item.getAxis(axis).enableAutoSIPrefix(False)
        theme.apply_plot_theme(plot_item, self.plot)
        foreground = theme.plot_foreground(self.palette())
        self.curve = pg.PlotDataItem(pen=pg.mkPen(foreground, width=2), name="loss")
        self.tangent = pg.PlotDataItem(pen=pg.mkPen(theme.POSITIVE, width=1.5,
                                                    style=Qt.PenStyle.DashLine))
        self.landing_line = pg.InfiniteLine(angle=90, pen=pg.mkPen(
            LANDING_COLOR, width=1, style=Qt.PenStyle.DotLine))
        self.current = pg.ScatterPlotItem(size=9, symbol="o", brush=pg.mkBrush(foreground),
                                          pen=pg.mkPen(foreground))
        self.predicted = pg.ScatterPlotItem(size=10, symbol="d", brush=None,
                                            pen=pg.mkPen(theme.POSITIVE, width=1.5))
        self.landing = pg.ScatterPlotItem(size=13, symbol="d", brush=pg.mkBrush(LANDING_COLOR),
                                          pen=pg.mkPen(foreground))
        for item in (self.landing_line, self.tangent, self.curve, self.predicted, self.current,
                     self.landing):
            plot_item.addItem(item)
        self.landing.setZValue(10)
        plot_item.getViewBox().disableAutoRange()

    # ------------------------------------------------------------------ drawing
    def show_snapshot(self, snapshot: Snapshot) -> None:
        view = snapshot.slope
        if view is None or view is self.view:
            return
        self.view = view
        if view.problem:
            self._show_nothing(f"No slope to show: {view.problem}")
            return
        t, losses = np.asarray(view.t), np.asarray(view.losses)
        lr = view.learning_rate
        self.curve.setData(t, losses, connect="finite")
        # the tangent L + slope·s, in t = s·η
        self.tangent.setData([0.0, t[-1]], [view.loss, view.loss + view.slope * t[-1] / lr])
        self.current.setData([0.0], [view.loss])
        self.predicted.setData([lr], [view.predicted_landing])
        self.landing.setData([lr], [view.landing_loss])
        self.landing_line.setValue(lr)
        self.landing_line.show()
        self._fit(t, losses, view)
        self.plot.getPlotItem().setLabel(
            "bottom", "t: step length along −g (the step lands at t = η)"
            if view.plain_gradient_step else
            f"t = s·η along {view.optimizer}'s step (it lands at t = η)")
        self.readout.setText(describe_slope(view))

    def _show_nothing(self, text: str) -> None:
        for item in (self.curve, self.tangent, self.current, self.predicted, self.landing):
            item.setData([], [])
        self.landing_line.hide()
        self.readout.setText(text)

    def _fit(self, t: np.ndarray, losses: np.ndarray, view: SlopeView) -> None:
        finite = losses[np.isfinite(losses)]
        if len(finite) == 0:
            return
        low, high = float(finite.min()), float(finite.max())
        span = high - low if high > low else max(abs(high) * 0.1, 1e-6)
        # the tangent may dive far below the curve: show where it predicts the landing only
        # when that is within half a span below the curve
        if math.isfinite(view.predicted_landing):
            low = min(low, max(view.predicted_landing, low - 0.5 * span))
        high = min(high, max(view.loss, view.landing_loss) + 1.5 * span) \
            if math.isfinite(view.landing_loss) else high
        margin = 0.08 * (high - low if high > low else span)
        self.plot.getPlotItem().getViewBox().setRange(
            xRange=(-0.02 * float(t[-1]), float(t[-1])), yRange=(low - margin, high + margin),
            padding=0.0)

    def apply_theme(self) -> None:
        theme.apply_plot_theme(self.plot.getPlotItem(), self.plot)


def describe_slope(view: SlopeView) -> str:
    """The panel's read-out: where the step starts and lands, what the tangent predicted."""
    what = "the next mini-batch" if view.data == "batch" else "the training set"
    change = view.landing_loss - view.loss
    slope_t = view.slope / view.learning_rate
    slope_name = "−‖g‖²" if view.plain_gradient_step else "slope"
    lines = [
        f"Loss of {what} at epoch {view.epoch}: <b>{view.loss:.4g}</b>",
        f"After the step (t = η = {view.learning_rate:g}): <b>{view.landing_loss:.4g}</b> "
        f"({'+' if change >= 0 else '−'}{abs(change):.3g})",
        f"<span style='color:{theme.POSITIVE}'>Tangent</span> predicts "
        f"{signed(view.predicted_landing, '.4g')} ({slope_name} = {signed(slope_t, '.3g')} per "
        "unit of t)",
        f"‖g‖ = {math.sqrt(view.gradient_norm_sq):.3g}, step length ‖ΔW‖ = "
        f"{view.step_norm:.3g}",
    ]
    overshoot = view.overshoot(OVERSHOOT_TOLERANCE)
    if overshoot is not None:
        lines.append(f"<span style='color:{LANDING_COLOR}'><b>The step lands beyond the "
                     f"valley</b></span>: the loss was lowest, {overshoot[1]:.4g}, at t = "
                     f"{overshoot[0]:.3g}. A smaller η would land nearer the bottom.")
    elif change > 0:
        lines.append(f"<span style='color:{LANDING_COLOR}'><b>The step goes uphill</b></span> "
                     "on this loss.")
    return "<br>".join(lines)


def signed(value: float, spec: str) -> str:
    """``value`` formatted with a true minus sign (−), as the rest of the read-out writes it."""
    return format(value, spec).replace("-", "−")
