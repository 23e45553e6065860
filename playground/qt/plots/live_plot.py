"""Live training plots: loss, accuracy, weight distributions and gradient norms.

Every plot renders only from Snapshots. ``show_snapshot`` is cheap and may be called with the
same snapshot again (it is then ignored); per-epoch numbers come from ``snapshot.history`` and
are appended, so no epoch is dropped; weights and gradient norms exist only at snapshot times
and are sampled once per snapshot. An epoch going backwards (Reset) clears the history.

Cost rules (a frame of the whole window must stay under 10 ms; see plot_items): one persistent
item per series, decimated as rows arrive to ~2 points per pixel column, width-1 pens without
antialiasing, buffers whose handed-out slices are never written again, a view range that moves
in steps, a legend outside the data area, and no item updates while the plot is hidden.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from playground.qt import theme
from playground.qt.plots.decimated_item import (SUMMARY, DecimatedItem, DistributionItem, GrowingColumns,
                                      LiveCurves, PlotLegend, QuietLogAxis, SeriesView,
                                      SteppedRange)
from playground.snapshot import Snapshot

__all__ = ["AccuracyPlot", "GradientPlot", "GrowingColumns", "HoverReadout", "LivePlot",
           "LossPlot", "WeightsPlot"]


class HoverReadout:
    """Shows the value of the data point nearest the mouse (in screen distance) of a plot.

    The plot registers the curves that can be read out; the text names the curve, the x value
    (epoch) and the y value. ``show_nearest`` is public so tests and other code can drive it.
    """

    def __init__(self, plot: pg.PlotWidget) -> None:
        self._plot_item = plot.getPlotItem()
        self._curves: list = []
        self.text_item = pg.TextItem(anchor=(0, 1))
        self.text_item.setZValue(100)
        self.marker = pg.ScatterPlotItem(size=7, pen=pg.mkPen(width=1), brush=None)
        self.marker.setZValue(99)
        for item in (self.text_item, self.marker):
            self._plot_item.addItem(item, ignoreBounds=True)
            item.hide()
        self.text = ""
        plot.scene().sigMouseMoved.connect(self._on_mouse_moved)

    def set_curves(self, curves: Sequence) -> None:
        self._curves = list(curves)
        self.hide()

    def restyle(self, foreground: QtGui.QColor, background: QtGui.QColor) -> None:
        fill = QtGui.QColor(background)
        fill.setAlpha(220)
        self.text_item.setColor(foreground)
        self.text_item.fill = pg.mkBrush(fill)
        self.text_item.border = pg.mkPen(foreground, width=1)
        self.marker.setPen(pg.mkPen(foreground, width=1))

    def hide(self) -> None:
        self.text = ""
        self.text_item.hide()
        self.marker.hide()

    def _on_mouse_moved(self, scene_pos: QtCore.QPointF) -> None:
        view_box = self._plot_item.getViewBox()
        if not view_box.sceneBoundingRect().contains(scene_pos):
            self.hide()
            return
        self.show_nearest(view_box.mapSceneToView(scene_pos))

    def show_nearest(self, view_pos: QtCore.QPointF) -> str:
        """Mark the nearest point to ``view_pos`` (view coordinates); return the text shown."""
        view_box = self._plot_item.getViewBox()
        log_x = self._plot_item.getAxis("bottom").logMode
        log_y = self._plot_item.getAxis("left").logMode
        target = view_box.mapViewToScene(view_pos)
        best = None
        for curve in self._curves:
            if not curve.isVisible():
                continue
            x, y = curve.getOriginalDataset()
            if x is None or len(x) == 0:
                continue
            index = self._nearest_index(x, 10.0 ** view_pos.x() if log_x else view_pos.x())
            px, py = float(x[index]), float(y[index])
            if not np.isfinite(py) or (log_y and py <= 0):
                continue
            shown = QtCore.QPointF(np.log10(px) if log_x else px, np.log10(py) if log_y else py)
            delta = view_box.mapViewToScene(shown) - target
            distance = delta.x() ** 2 + delta.y() ** 2
            if best is None or distance < best[0]:
                best = (distance, curve, px, py, shown)
        if best is None:
            self.hide()
            return ""
        _, curve, px, py, shown = best
        self.text = f"{curve.name() or ''}\nepoch {px:g}\n{py:.4g}".strip()
        self.text_item.setText(self.text)
        # keep the label inside the plot: it hangs left of points in the right half
        (x0, x1), (y0, y1) = view_box.viewRange()
        self.text_item.setAnchor((1 if shown.x() > (x0 + x1) / 2 else 0,
                                  0 if shown.y() > (y0 + y1) / 2 else 1))
        self.text_item.setPos(shown)
        self.marker.setData([shown.x()], [shown.y()])
        self.text_item.show()
        self.marker.show()
        return self.text

    @staticmethod
    def _nearest_index(x: np.ndarray, value: float) -> int:
        index = int(np.searchsorted(x, value))
        if index <= 0:
            return 0
        if index >= len(x):
            return len(x) - 1
        return index if abs(x[index] - value) < abs(x[index - 1] - value) else index - 1


class LivePlot(pg.PlotWidget):
    """Base of the live plots: theming, legend, hover read-out, snapshot bookkeeping.

    Subclasses implement ``_ingest(snapshot)`` (append what is new to their buffers and hand
    the columns to their items with set_data) and ``_reset_data()`` (empty buffers and items).
    Items only record what they are handed; ``sync_items`` makes them show it, at once when the
    plot is visible, else when it is shown or grabbed.
    """

    FIXED_Y_RANGE: tuple[float, float] | None = None
    MIN_BLOCKS = 64

    def __init__(self, parent: QtWidgets.QWidget | None = None, title: str = "",
                 y_label: str = "", axis_items: dict | None = None) -> None:
        super().__init__(parent, axisItems=axis_items)
        # PlotWidget copies PlotItem.clear (remove every item) onto the instance; our clear()
        # is the views' common "forget the history" and must not be shadowed
        del self.clear
        self.live_items: list[DecimatedItem] = []
        self._max_blocks = 512
        plot_item = self.getPlotItem()
        plot_item.showGrid(x=True, y=True, alpha=0.15)
        for axis in ("left", "bottom"):
            # grid lines at major ticks only: minor grid lines cost ~4 ms a repaint
            plot_item.getAxis(axis).setStyle(maxTickLevel=0)
        plot_item.setLabel("bottom", "epoch")
        if y_label:
            plot_item.setLabel("left", y_label)
        if title:
            plot_item.setTitle(title)
        plot_item.hideButtons()
        # pyqtgraph's "Plot Options" menu (FFT, log x, alpha, downsampling) drives PlotDataItem
        # methods our decimated items do not have; the view box menu (view all, export) stays
        plot_item.setMenuEnabled(False, True)
        for axis in ("left", "bottom", "top", "right"):
            # "(x0.001)" scale prefixes on the axis label confuse more than they help; on the
            # hidden axes they re-set the label's HTML on every range change
            plot_item.getAxis(axis).enableAutoSIPrefix(False)
        self.setMinimumSize(160, 120)
        self.legend = PlotLegend(plot_item)
        self.readout = HoverReadout(self)
        self.stepped_range = SteppedRange(plot_item, fixed_y=self.FIXED_Y_RANGE)
        self.scene().sigMouseClicked.connect(self._on_mouse_clicked)
        self._last_snapshot: Snapshot | None = None
        self._last_epoch = -1
        self.apply_theme()

    # --- public API -------------------------------------------------------------------------
    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Append what ``snapshot`` adds; ignored if this snapshot was already shown."""
        # the window's timer hands over the latest snapshot, possibly the same object again
        if snapshot is self._last_snapshot:
            return
        history = snapshot.history
        went_back = snapshot.epoch < self._last_epoch or (
            len(history) > 0 and int(history.epochs[0]) <= self._last_epoch)
        if went_back:
            self.clear()
        self._last_snapshot = snapshot
        self._ingest(snapshot)
        self._last_epoch = max(self._last_epoch, snapshot.epoch)
        if self.isVisible():
            self.sync_items()
        self.stepped_range.update()

    def clear(self) -> None:  # noqa: D401 - Qt-style name shared by every view
        """Forget the history (e.g. on Reset)."""
        self._last_snapshot = None
        self._last_epoch = -1
        self.readout.hide()
        self._reset_data()
        self.sync_items()
        self.stepped_range.reset()

    def close(self) -> bool:
        self.legend.detach()
        return super().close()

    def sync_items(self) -> None:
        """Make every item show the data it was handed."""
        for item in self.live_items:
            item.sync()

    def showEvent(self, event: QtGui.QShowEvent) -> None:
        self.sync_items()           # catch up on what arrived while hidden
        super().showEvent(event)

    def grab(self, *args) -> QtGui.QPixmap:
        self.sync_items()
        return super().grab(*args)

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        if "legend" not in self.__dict__:
            return              # the base constructor resizes before our items exist
        self.legend.set_width(self.width() - 16)
        # about one block per pixel column of the data area: <= ~2 points per column
        data_width = max(self.width() - 60, self.MIN_BLOCKS)
        self._max_blocks = 1 << int(np.log2(data_width))
        for item in self.live_items:
            item.set_max_blocks(self._max_blocks)
        if self.isVisible():
            self.sync_items()

    def leaveEvent(self, event: QtCore.QEvent) -> None:
        self.readout.hide()
        super().leaveEvent(event)

    def _on_mouse_clicked(self, event) -> None:
        if event.double():
            self.stepped_range.follow()

    def apply_theme(self) -> None:
        """Re-read the widget palette (light/dark) for background, axes and read-out."""
        theme.apply_plot_theme(self.getPlotItem(), self)
        foreground = theme.plot_foreground(self.palette())
        self.readout.restyle(foreground, theme.plot_background(self.palette()))
        self.legend.set_foreground(foreground)

    def changeEvent(self, event: QtCore.QEvent) -> None:
        # the base constructor changes the palette before our items exist
        if event.type() == QtCore.QEvent.Type.PaletteChange and hasattr(self, "readout"):
            self.apply_theme()
        super().changeEvent(event)

    # --- helpers for subclasses -------------------------------------------------------------
    def _add_live_item(self, item: DecimatedItem) -> DecimatedItem:
        item.set_max_blocks(self._max_blocks)
        # bounds are ours to keep (SteppedRange): the view box need not track the items'
        self.getPlotItem().addItem(item, ignoreBounds=True)
        self.live_items.append(item)
        return item

    def _make_curves(self, name: str, labels: Sequence[str],
                     colors: Sequence[QtGui.QColor]) -> LiveCurves:
        return self._add_live_item(LiveCurves(name, labels,
                                              [pg.mkPen(color, width=1) for color in colors]))

    def _remove_items(self, items: Sequence[QtWidgets.QGraphicsItem]) -> None:
        for item in items:
            self.getPlotItem().removeItem(item)
            if item in self.live_items:
                self.live_items.remove(item)

    def _ingest(self, snapshot: Snapshot) -> None:
        raise NotImplementedError

    def _reset_data(self) -> None:
        raise NotImplementedError


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


class PerLayerPlot(LivePlot):
    """A plot whose series are per layer, sampled once per snapshot (not per epoch).

    The series are rebuilt when the network structure changes (the layer count may differ).
    """

    def __init__(self, parent=None, title="", y_label="", axis_items=None) -> None:
        super().__init__(parent, title, y_label, axis_items)
        self._structure_version: int | None = None
        self._n_layers = 0
        self._last_sample: tuple[int, int] | None = None

    def _ingest(self, snapshot: Snapshot) -> None:
        if snapshot.structure.version != self._structure_version:
            self._structure_version = snapshot.structure.version
            self._n_layers = len(snapshot.structure.layer_sizes) - 1
            self._rebuild(snapshot)
        sample_key = (snapshot.epoch, snapshot.batch_in_epoch)
        if sample_key == self._last_sample:
            return
        self._last_sample = sample_key
        self._sample(snapshot)

    def _reset_data(self) -> None:
        self._last_sample = None
        self._clear_samples()

    @staticmethod
    def layer_name(snapshot: Snapshot, layer: int) -> str:
        sizes = snapshot.structure.layer_sizes
        return f"layer {layer + 1} ({sizes[layer]}→{sizes[layer + 1]})"

    def _rebuild(self, snapshot: Snapshot) -> None:
        raise NotImplementedError

    def _sample(self, snapshot: Snapshot) -> None:
        raise NotImplementedError

    def _clear_samples(self) -> None:
        raise NotImplementedError


PERCENTILES = (0, 25, 50, 75, 100)         # SUMMARY's min, q25, median, q75, max


def percentiles(values: np.ndarray) -> np.ndarray:
    """np.percentile(values, PERCENTILES) (linear interpolation) at a tenth of its cost on the
    small weight matrices: one sort; NaN sorts last, so only the max (and what reaches it) is
    NaN."""
    ordered = np.sort(values, axis=None)
    position = np.asarray(PERCENTILES) / 100.0 * (len(ordered) - 1)
    below = np.floor(position).astype(int)
    above = np.minimum(below + 1, len(ordered) - 1)
    lower, upper, fraction = ordered[below], ordered[above], position - below
    with np.errstate(invalid="ignore", over="ignore"):    # inf - inf between equal extremes
        step = upper - lower
        between = lower + step * fraction
        # two finite values too far apart for their difference (near ±1e308): in halves
        halves = 2.0 * (lower / 2.0 + (upper / 2.0 - lower / 2.0) * fraction)
    too_far = np.isinf(step) & np.isfinite(lower) & np.isfinite(upper)
    return np.where(step == 0, lower, np.where(too_far, halves, between))


class WeightsPlot(PerLayerPlot):
    """Per-layer weight distribution over time (quartile band, median, min and max lines).

    ``select_weights([(layer, i, j), ...])`` switches to the trajectories of those weights
    (from the next snapshot on); an empty list switches back to the distributions.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent, title="Weights", y_label="weight")
        self.distribution: DistributionItem | None = None
        self.band_buffer = GrowingColumns(("epoch",))
        self.selection: list[tuple[int, int, int]] = []
        self.trajectory_lines: LiveCurves | None = None     # only while weights are selected
        self.trajectories: list[SeriesView] = []
        self.trajectory_buffer = GrowingColumns(("epoch",))
        self.getPlotItem().addLine(y=0.0, pen=pg.mkPen(theme.muted_foreground(self.palette()),
                                                       width=1))

    def select_weights(self, selection: Sequence[tuple[int, int, int]]) -> None:
        """Show trajectories of the weights W[layer][i, j] instead of the distributions."""
        if self.trajectory_lines is not None:
            self._remove_items([self.trajectory_lines])
        self.selection = [tuple(int(v) for v in key) for key in selection]
        names = [f"w{layer + 1}[{i},{j}]" for layer, i, j in self.selection]
        self.trajectory_buffer = GrowingColumns(("epoch", *names))
        self.trajectory_lines = self._make_curves(
            "weight trajectories", names,
            [theme.series_color(k) for k in range(len(names))]) if names else None
        self.trajectories = self.trajectory_lines.series if names else []
        distribution = self.distribution
        if distribution is not None:
            distribution.setVisible(not self.selection)
        if self.selection:
            self.legend.set_entries([(name, theme.series_color(k))
                                     for k, name in enumerate(names)])
            self.readout.set_curves(self.trajectories)
        elif distribution is not None:
            self.legend.set_entries(list(zip(distribution.labels, distribution.colors)))
            self.readout.set_curves([series for group in distribution.series
                                     for series in group.values()])
        self._refit_range()

    def _active_buffer(self) -> GrowingColumns:
        return self.trajectory_buffer if self.selection else self.band_buffer

    def _refit_range(self) -> None:
        """Fit the view to the mode now shown (the other mode's numbers must not count)."""
        buffer = self._active_buffer()
        self.stepped_range.reset()
        self.stepped_range.extend(buffer.column("epoch"),
                                  *(buffer.column(name) for name in buffer.names[1:]))
        self.stepped_range.update(force=len(buffer) > 0)

    def _rebuild(self, snapshot: Snapshot) -> None:
        if self.distribution is not None:
            self._remove_items([self.distribution])
        labels = [self.layer_name(snapshot, layer) for layer in range(self._n_layers)]
        self.distribution = self._add_live_item(DistributionItem(
            "weight distributions", labels,
            [theme.series_color(layer) for layer in range(self._n_layers)]))
        self.band_buffer = GrowingColumns(
            ["epoch", *(f"{label} {stat}" for label in labels for stat in SUMMARY)])
        valid = [key for key in self.selection if key[0] < self._n_layers
                 and key[1] < snapshot.structure.layer_sizes[key[0]]
                 and key[2] < snapshot.structure.layer_sizes[key[0] + 1]]
        self.select_weights(valid)

    def _sample(self, snapshot: Snapshot) -> None:
        epoch = np.array([snapshot.epoch], dtype=np.float64)
        if self.selection:
            row = {"epoch": epoch}
            for name, (layer, i, j) in zip(self.trajectory_buffer.names[1:], self.selection):
                row[name] = np.array([snapshot.weights[layer][i, j]])
            compacted = self.trajectory_buffer.append(row)
            self.stepped_range.extend(epoch,
                                      *(row[name] for name in self.trajectory_buffer.names[1:]))
            self.trajectory_lines.set_data(
                self.trajectory_buffer.column("epoch"),
                [self.trajectory_buffer.column(name) for name in self.trajectory_buffer.names[1:]],
                extends=not compacted)
            return
        stats = np.concatenate([percentiles(weights) for weights in snapshot.weights])
        names = self.band_buffer.names
        row = {"epoch": epoch, **{name: stats[k:k + 1] for k, name in enumerate(names[1:])}}
        compacted = self.band_buffer.append(row)
        self.stepped_range.extend(epoch, stats)
        self._show_band_buffer(extends=not compacted)

    def _show_band_buffer(self, extends: bool) -> None:
        self.distribution.set_data(self.band_buffer.column("epoch"),
                                   [self.band_buffer.column(name)
                                    for name in self.band_buffer.names[1:]], extends=extends)

    def _clear_samples(self) -> None:
        self.band_buffer.clear()
        self.trajectory_buffer.clear()
        if self.trajectory_lines is not None:
            self.trajectory_lines.set_data([], [[]] * len(self.trajectories))
        if self.distribution is not None:
            self._show_band_buffer(extends=False)


class GradientPlot(PerLayerPlot):
    """Norm of the last mini-batch's gradient per layer over time, log y axis."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent, title="Gradient norm", y_label="‖∇‖",
                         axis_items={"left": QuietLogAxis("left")})
        self.getPlotItem().setLogMode(x=False, y=True)
        self.lines: LiveCurves | None = None
        self.curves: list[SeriesView] = []
        self.buffer = GrowingColumns(("epoch",))

    def _rebuild(self, snapshot: Snapshot) -> None:
        if self.lines is not None:
            self._remove_items([self.lines])
        names = [self.layer_name(snapshot, layer) for layer in range(self._n_layers)]
        self.lines = self._make_curves("gradient norms", names,
                                       [theme.series_color(k) for k in range(len(names))])
        self.curves = self.lines.series
        self.legend.set_entries([(name, theme.series_color(k)) for k, name in enumerate(names)])
        self.buffer = GrowingColumns(("epoch", *names))
        self.readout.set_curves(self.curves)

    def _sample(self, snapshot: Snapshot) -> None:
        norms = np.asarray(snapshot.gradient_norms, dtype=np.float64)
        # zero norms have no logarithm: store them as gaps
        norms = np.where(norms > 0, norms, np.nan)
        row = {"epoch": np.array([snapshot.epoch], dtype=np.float64)}
        for layer, name in enumerate(self.buffer.names[1:]):
            row[name] = norms[layer:layer + 1]
        compacted = self.buffer.append(row)
        self.stepped_range.extend(row["epoch"], norms)
        self.lines.set_data(self.buffer.column("epoch"),
                            [self.buffer.column(name) for name in self.buffer.names[1:]],
                            extends=not compacted)

    def _clear_samples(self) -> None:
        self.buffer.clear()
        if self.lines is not None:
            self.lines.set_data([], [[]] * len(self.curves))


def _demo(argv: list[str]) -> int:
    """Show the four plots fed by a demo training run; ``--screenshot PATH`` saves and exits."""
    from playground.qt.demo_snapshot import DemoRun

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(argv)
    theme.configure_pyqtgraph()
    window = QtWidgets.QWidget()
    window.setWindowTitle("Backprop Playground — plots")
    layout = QtWidgets.QGridLayout(window)
    plots = [LossPlot(), AccuracyPlot(), WeightsPlot(), GradientPlot()]
    for k, plot in enumerate(plots):
        layout.addWidget(plot, k // 2, k % 2)
    window.resize(900, 600)
    run = DemoRun("circle")

    def tick() -> None:
        run.train(5)
        snapshot = run.snapshot()
        for plot in plots:
            plot.show_snapshot(snapshot)

    if "--screenshot" in argv:
        for _ in range(80):
            tick()
        window.show()
        app.processEvents()
        window.grab().save(argv[argv.index("--screenshot") + 1])
        return 0
    timer = QtCore.QTimer(window)
    timer.timeout.connect(tick)
    timer.start(33)
    window.show()
    return app.exec()


if __name__ == "__main__":
    import sys

    sys.exit(_demo(sys.argv))
