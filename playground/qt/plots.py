"""Live training plots: loss, accuracy, weight distributions and gradient norms.

Every plot renders only from Snapshots. ``show_snapshot`` is cheap and may be called with the
same snapshot again (it is then ignored); per-epoch numbers come from ``snapshot.history`` and
are appended, so no epoch is dropped; weights and gradient norms exist only at snapshot times
and are sampled once per snapshot. An epoch going backwards (Reset) clears the history.

pyqtgraph rules followed (see FIELD_NOTES): one persistent item per series updated with
setData, width-1 pens without antialiasing, buffers grown by doubling whose handed-out slices
are never written again, auto "peak" downsampling and clip-to-view for long histories.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from playground.qt import theme
from playground.qt.snapshot import Snapshot


class GrowingColumns:
    """Named float64 columns appended in chunks, stored in buffers grown by doubling.

    ``column(name)`` returns a view of the filled part. Filled positions are never written
    again (growing copies into new buffers, ``clear`` allocates new ones), so pyqtgraph can keep
    the views it is handed.
    """

    def __init__(self, names: Sequence[str], capacity: int = 256) -> None:
        self.names = tuple(names)
        self._initial_capacity = capacity
        self.clear()

    def clear(self) -> None:
        self._size = 0
        self._data = {name: np.empty(self._initial_capacity) for name in self.names}

    def __len__(self) -> int:
        return self._size

    def append(self, columns: dict[str, np.ndarray]) -> None:
        """Append equally long chunks, one per column name."""
        count = len(next(iter(columns.values())))
        if count == 0:
            return
        needed = self._size + count
        capacity = len(next(iter(self._data.values())))
        if needed > capacity:
            while capacity < needed:
                capacity *= 2
            for name, old in self._data.items():
                new = np.empty(capacity)
                new[:self._size] = old[:self._size]
                self._data[name] = new
        for name in self.names:
            self._data[name][self._size:needed] = columns[name]
        self._size = needed

    def column(self, name: str) -> np.ndarray:
        return self._data[name][:self._size]


class HoverReadout:
    """Shows the value of the data point nearest the mouse (in screen distance) of a plot.

    The plot registers the curves that can be read out; the text names the curve, the x value
    (epoch) and the y value. ``show_nearest`` is public so tests and other code can drive it.
    """

    def __init__(self, plot: pg.PlotWidget) -> None:
        self._plot_item = plot.getPlotItem()
        self._curves: list[pg.PlotDataItem] = []
        self.text_item = pg.TextItem(anchor=(0, 1))
        self.text_item.setZValue(100)
        self.marker = pg.ScatterPlotItem(size=7, pen=pg.mkPen(width=1), brush=None)
        self.marker.setZValue(99)
        for item in (self.text_item, self.marker):
            self._plot_item.addItem(item, ignoreBounds=True)
            item.hide()
        self.text = ""
        plot.scene().sigMouseMoved.connect(self._on_mouse_moved)

    def set_curves(self, curves: Sequence[pg.PlotDataItem]) -> None:
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


class QuietLogAxis(pg.AxisItem):
    """A log axis that labels only 1, 2 and 5 × 10^k.

    pyqtgraph labels every minor tick (2, 3, … 9 × 10^k) of a log axis spanning few decades,
    and the labels overlap on a plot of ordinary height.
    """

    def logTickStrings(self, values, scale, spacing):
        strings = super().logTickStrings(values, scale, spacing)
        quiet = []
        for value, text in zip(values, strings):
            mantissa = 10.0 ** (value - np.floor(value + 1e-9))
            quiet.append(text if int(round(mantissa)) in (1, 2, 5) else "")
        return quiet


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 x 10^k that is >= value (for axis limits)."""
    if value <= 0:
        return 1.0
    power = 10.0 ** np.floor(np.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if step * power >= value * (1 - 1e-12):
            return step * power
    return 10.0 * power


class SteppedRange:
    """Follows the data like auto-range, but changes the view range only in steps.

    Auto-range moves the axes on every update, so pyqtgraph re-lays out the tick labels and
    repaints both axes each frame (~5 ms of a ~6 ms plot update). Here the x range jumps to a
    "nice" limit ahead of the data and the y range changes only when the data leave it; the
    axes are cached as pixmaps between changes. The plot reports each appended chunk with
    ``extend`` (running bounds: the view's own bounds are useless with clip-to-view, which
    hides exactly the points beyond the range). A user's pan/zoom stops the following; a
    double-click resumes it.
    """

    Y_MARGIN = 0.08
    INITIAL_X = (0.0, 10.0)

    def __init__(self, plot_item: pg.PlotItem, fixed_y: tuple[float, float] | None = None) -> None:
        self.plot_item = plot_item
        self.fixed_y = fixed_y
        self.following = True
        view_box = plot_item.getViewBox()
        view_box.disableAutoRange()
        view_box.sigRangeChangedManually.connect(self._stop_following)
        for axis in ("left", "bottom"):
            plot_item.getAxis(axis).setCacheMode(
                QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.reset()

    def _stop_following(self, *args) -> None:
        self.following = False

    def follow(self) -> None:
        """Resume following the data (after a pan/zoom)."""
        self.following = True
        self.update(force=True)

    def reset(self) -> None:
        """Forget the data bounds (the plot was cleared)."""
        self.x_max = -np.inf
        self.y_min = self.y_min_positive = np.inf
        self.y_max = -np.inf
        self._x_range = self.INITIAL_X
        self._y_range = self.fixed_y or (0.0, 1.0)
        self._fitted = False          # the first data replace the placeholder range
        if self.following:
            self._apply()

    def extend(self, x: np.ndarray, *ys: np.ndarray) -> None:
        """Take the bounds of a newly appended chunk into account."""
        if len(x):
            self.x_max = max(self.x_max, float(np.max(x)))
        for y in ys:
            finite = y[np.isfinite(y)]
            if finite.size:
                self.y_min = min(self.y_min, float(finite.min()))
                self.y_max = max(self.y_max, float(finite.max()))
                positive = finite[finite > 0]
                if positive.size:
                    self.y_min_positive = min(self.y_min_positive, float(positive.min()))

    def update(self, force: bool = False) -> None:
        """Move the view if the data left it (or always, with ``force``)."""
        if not self.following:
            return
        if not self._fitted and np.isfinite(self.x_max):
            self._fitted = force = True
        x_range, y_range = self._x_range, self._y_range
        if np.isfinite(self.x_max) and (force or self.x_max > x_range[1]):
            x_range = (0.0, nice_ceiling(max(self.x_max, 1.0) * 1.2))
        low, high = self._y_bounds()
        if self.fixed_y is None and np.isfinite(low) and np.isfinite(high):
            if force or low < y_range[0] or high > y_range[1]:
                span = high - low
                margin = self.Y_MARGIN * (span if span > 0 else max(abs(high), 1e-3))
                y_range = (low - margin, high + margin)
        if force or (x_range, y_range) != (self._x_range, self._y_range):
            self._x_range, self._y_range = x_range, y_range
            self._apply()

    def _y_bounds(self) -> tuple[float, float]:
        """Data bounds in view coordinates (log10 when the y axis is logarithmic)."""
        if self.plot_item.getAxis("left").logMode:
            if not np.isfinite(self.y_min_positive):
                return np.inf, -np.inf
            return np.log10(self.y_min_positive), np.log10(self.y_max)
        return self.y_min, self.y_max

    def _apply(self) -> None:
        self.plot_item.getViewBox().setRange(xRange=self._x_range, yRange=self._y_range,
                                             padding=0.0)


class LivePlot(pg.PlotWidget):
    """Base of the live plots: theming, downsampling, hover read-out, snapshot bookkeeping.

    Subclasses implement ``_ingest(snapshot)`` (append what is new and call setData) and
    ``_reset_data()`` (empty their buffers and curves).
    """

    FIXED_Y_RANGE: tuple[float, float] | None = None

    def __init__(self, parent: QtWidgets.QWidget | None = None, title: str = "",
                 y_label: str = "", axis_items: dict | None = None) -> None:
        super().__init__(parent, axisItems=axis_items)
        # PlotWidget copies PlotItem.clear (remove every item) onto the instance; our clear()
        # is the views' common "forget the history" and must not be shadowed
        del self.clear
        plot_item = self.getPlotItem()
        plot_item.setDownsampling(auto=True, mode="peak")
        plot_item.setClipToView(True)
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
        for axis in ("left", "bottom"):
            # "(x0.001)" scale prefixes on the axis label confuse more than they help
            plot_item.getAxis(axis).enableAutoSIPrefix(False)
        self.setMinimumSize(160, 120)
        self.legend = plot_item.addLegend(offset=(-8, 8), labelTextSize="8pt")
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
        self.stepped_range.update()

    def clear(self) -> None:  # noqa: D401 - Qt-style name shared by every view
        """Forget the history (e.g. on Reset)."""
        self._last_snapshot = None
        self._last_epoch = -1
        self.readout.hide()
        self._reset_data()
        self.stepped_range.reset()

    def leaveEvent(self, event: QtCore.QEvent) -> None:
        self.readout.hide()
        super().leaveEvent(event)

    def _on_mouse_clicked(self, event) -> None:
        if event.double():
            self.stepped_range.follow()

    def apply_theme(self) -> None:
        """Re-read the widget palette (light/dark) for background, axes and read-out."""
        theme.apply_plot_theme(self.getPlotItem(), self)
        self.readout.restyle(theme.plot_foreground(self.palette()),
                             theme.plot_background(self.palette()))
        self.legend.setLabelTextColor(theme.plot_foreground(self.palette()))
        legend_background = theme.plot_background(self.palette())
        legend_background.setAlpha(200)
        self.legend.setBrush(pg.mkBrush(legend_background))

    def changeEvent(self, event: QtCore.QEvent) -> None:
        # the base constructor changes the palette before our items exist
        if event.type() == QtCore.QEvent.Type.PaletteChange and hasattr(self, "readout"):
            self.apply_theme()
        super().changeEvent(event)

    # --- helpers for subclasses -------------------------------------------------------------
    def _make_curve(self, name: str, color: QtGui.QColor, in_legend: bool = True,
                    alpha: int = 255) -> pg.PlotDataItem:
        pen_color = QtGui.QColor(color)
        pen_color.setAlpha(alpha)
        curve = pg.PlotDataItem(name=name, pen=pg.mkPen(pen_color, width=1), antialias=False)
        self.getPlotItem().addItem(curve)
        if not in_legend:
            self.legend.removeItem(curve)
        return curve

    def _remove_items(self, items: Sequence[QtWidgets.QGraphicsItem]) -> None:
        for item in items:
            if isinstance(item, pg.PlotDataItem):
                self.legend.removeItem(item)
            self.getPlotItem().removeItem(item)

    def _ingest(self, snapshot: Snapshot) -> None:
        raise NotImplementedError

    def _reset_data(self) -> None:
        raise NotImplementedError


class TrainTestPlot(LivePlot):
    """Train and test curves of one per-epoch History quantity."""

    train_field = ""
    test_field = ""

    def __init__(self, parent=None, title="", y_label="") -> None:
        super().__init__(parent, title, y_label)
        self.buffer = GrowingColumns(("epoch", "train", "test"))
        self.train_curve = self._make_curve("train", QtGui.QColor(theme.POSITIVE))
        self.test_curve = self._make_curve("test", QtGui.QColor(theme.NEGATIVE))
        self.readout.set_curves([self.train_curve, self.test_curve])

    def _ingest(self, snapshot: Snapshot) -> None:
        history = snapshot.history
        if len(history) == 0:
            return
        train, test = getattr(history, self.train_field), getattr(history, self.test_field)
        self.buffer.append({"epoch": history.epochs, "train": train, "test": test})
        self.stepped_range.extend(history.epochs, train, test)
        epochs = self.buffer.column("epoch")
        self.train_curve.setData(epochs, self.buffer.column("train"))
        self.test_curve.setData(epochs, self.buffer.column("test"))

    def _reset_data(self) -> None:
        self.buffer.clear()
        self.train_curve.setData([], [])
        self.test_curve.setData([], [])


class LossPlot(TrainTestPlot):
    """Train and test loss per epoch; ``set_log_scale`` switches the y axis to log10."""

    train_field = "train_loss"
    test_field = "test_loss"

    def __init__(self, parent=None) -> None:
        super().__init__(parent, title="Loss", y_label="loss")

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

    def _ingest(self, snapshot: Snapshot) -> None:
        self.set_applicable(snapshot.data.kind != "regression")
        super()._ingest(snapshot)

    def set_applicable(self, applicable: bool) -> None:
        if applicable == self.applicable:
            return
        self.applicable = applicable
        self.train_curve.setVisible(applicable)
        self.test_curve.setVisible(applicable)
        self.legend.setVisible(applicable)
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


PERCENTILES = (0, 25, 50, 75, 100)
MAX_BAND_POINTS = 2000     # bands are drawn from at most this many (peak-preserving) bins


class BandItem(pg.GraphicsObject):
    """A filled area between a lower and an upper series sharing x.

    One path is rebuilt per update (FillBetweenItem rebuilds once per bounding curve change,
    and was most of the weights plot's cost). Long series are binned keeping each bin's
    lowest low and highest high, so the band never looks narrower than the data.
    """

    def __init__(self, brush: QtGui.QBrush) -> None:
        super().__init__()
        self._brush = brush
        self._path = QtGui.QPainterPath()
        self._bounds = QtCore.QRectF()
        self.x = self.low = self.high = np.empty(0)

    def set_data(self, x: np.ndarray, low: np.ndarray, high: np.ndarray) -> None:
        self.x, self.low, self.high = x, low, high
        if len(x) > MAX_BAND_POINTS:
            starts = np.unique(np.linspace(0, len(x), MAX_BAND_POINTS, endpoint=False).astype(int))
            x = x[starts]
            low, high = np.minimum.reduceat(low, starts), np.maximum.reduceat(high, starts)
        self.prepareGeometryChange()
        if len(x):
            self._path = pg.arrayToQPath(np.concatenate([x, x[::-1]]),
                                         np.concatenate([high, low[::-1]]))
            self._path.closeSubpath()
        else:
            self._path = QtGui.QPainterPath()
        self._bounds = self._path.boundingRect()
        self.informViewBoundsChanged()
        self.update()

    def dataBounds(self, axis: int, frac: float = 1.0, orthoRange=None):
        if len(self.x) == 0:
            return None, None
        if axis == 0:
            return float(self.x.min()), float(self.x.max())
        return float(np.nanmin(self.low)), float(np.nanmax(self.high))

    def boundingRect(self) -> QtCore.QRectF:
        return self._bounds

    def paint(self, painter: QtGui.QPainter, *args) -> None:
        painter.setPen(QtCore.Qt.PenStyle.NoPen)
        painter.setBrush(self._brush)
        painter.drawPath(self._path)


class BandEdge:
    """One edge of a BandItem, readable by HoverReadout like a curve."""

    def __init__(self, band: BandItem, label: str, upper: bool) -> None:
        self.band, self.label, self.upper = band, label, upper

    def name(self) -> str:
        return self.label

    def isVisible(self) -> bool:
        return self.band.isVisible()

    def getOriginalDataset(self):
        return self.band.x, (self.band.high if self.upper else self.band.low)


class LayerDistribution:
    """One layer's weight distribution items: min–max band, quartile band, median line."""

    def __init__(self, plot: "WeightsPlot", label: str, color: QtGui.QColor,
                 n_layers: int) -> None:
        self.label = label
        self.median = plot._make_curve(f"{label} median", color, in_legend=False)
        # many layers' bands overlap: make each fainter so the stack stays readable
        fade = min(1.0, 3.0 / max(n_layers, 1))
        self.outer = BandItem(self._brush(color, int(12 + 28 * fade)))
        self.inner = BandItem(self._brush(color, int(30 + 60 * fade)))
        for band in (self.outer, self.inner):
            plot.getPlotItem().addItem(band)
        self.series = {"min": BandEdge(self.outer, f"{label} min", upper=False),
                       "q25": BandEdge(self.inner, f"{label} q25", upper=False),
                       "median": self.median,
                       "q75": BandEdge(self.inner, f"{label} q75", upper=True),
                       "max": BandEdge(self.outer, f"{label} max", upper=True)}

    @staticmethod
    def _brush(color: QtGui.QColor, alpha: int) -> QtGui.QBrush:
        fill = QtGui.QColor(color)
        fill.setAlpha(alpha)
        return pg.mkBrush(fill)

    def items(self) -> list:
        return [self.median, self.outer, self.inner]

    def set_data(self, x: np.ndarray, columns: GrowingColumns) -> None:
        stat = {name: columns.column(f"{self.label} {name}") for name in self.series}
        self.median.setData(x, stat["median"])
        self.outer.set_data(x, stat["min"], stat["max"])
        self.inner.set_data(x, stat["q25"], stat["q75"])


class WeightsPlot(PerLayerPlot):
    """Per-layer weight distribution over time (min–max and quartile bands, median line).

    ``select_weights([(layer, i, j), ...])`` switches to the trajectories of those weights
    (from the next snapshot on); an empty list switches back to the distributions.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent, title="Weights", y_label="weight")
        self.bands: list[LayerDistribution] = []
        self.band_buffer = GrowingColumns(("epoch",))
        self.selection: list[tuple[int, int, int]] = []
        self.trajectories: list[pg.PlotDataItem] = []
        self.trajectory_buffer = GrowingColumns(("epoch",))
        self.getPlotItem().addLine(y=0.0, pen=pg.mkPen(theme.muted_foreground(self.palette()),
                                                       width=1))

    def select_weights(self, selection: Sequence[tuple[int, int, int]]) -> None:
        """Show trajectories of the weights W[layer][i, j] instead of the distributions."""
        self._remove_items(self.trajectories)
        self.selection = [tuple(int(v) for v in key) for key in selection]
        names = [f"w{layer + 1}[{i},{j}]" for layer, i, j in self.selection]
        self.trajectory_buffer = GrowingColumns(("epoch", *names))
        self.trajectories = [self._make_curve(name, theme.series_color(k))
                             for k, name in enumerate(names)]
        distribution = not self.selection
        for layer in self.bands:
            for item in layer.items():
                item.setVisible(distribution)
            self.legend.removeItem(layer.median)
            if distribution:
                self.legend.addItem(layer.median, layer.label)
        distributions = [series for layer in self.bands for series in layer.series.values()]
        self.readout.set_curves(self.trajectories if self.selection else distributions)
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
        self._remove_items([item for layer in self.bands for item in layer.items()])
        self.bands = [LayerDistribution(self, self.layer_name(snapshot, layer),
                                        theme.series_color(layer), self._n_layers)
                      for layer in range(self._n_layers)]
        self.band_buffer = GrowingColumns(
            ["epoch", *(f"{layer.label} {name}" for layer in self.bands for name in layer.series)])
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
            self.trajectory_buffer.append(row)
            self.stepped_range.extend(epoch,
                                      *(row[name] for name in self.trajectory_buffer.names[1:]))
            x = self.trajectory_buffer.column("epoch")
            for name, curve in zip(self.trajectory_buffer.names[1:], self.trajectories):
                curve.setData(x, self.trajectory_buffer.column(name))
            return
        row = {"epoch": epoch}
        for layer, distribution in enumerate(self.bands):
            stats = np.percentile(snapshot.weights[layer], PERCENTILES)
            for name, value in zip(distribution.series, stats):
                row[f"{distribution.label} {name}"] = np.array([value])
        self.band_buffer.append(row)
        self.stepped_range.extend(epoch, *(row[name] for name in self.band_buffer.names[1:]))
        x = self.band_buffer.column("epoch")
        for distribution in self.bands:
            distribution.set_data(x, self.band_buffer)

    def _clear_samples(self) -> None:
        self.band_buffer.clear()
        self.trajectory_buffer.clear()
        for curve in self.trajectories:
            curve.setData([], [])
        for distribution in self.bands:
            distribution.set_data(np.empty(0), self.band_buffer)


class GradientPlot(PerLayerPlot):
    """Norm of the last mini-batch's gradient per layer over time, log y axis."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent, title="Gradient norm", y_label="‖∇‖",
                         axis_items={"left": QuietLogAxis("left")})
        self.getPlotItem().setLogMode(x=False, y=True)
        self.curves: list[pg.PlotDataItem] = []
        self.buffer = GrowingColumns(("epoch",))

    def _rebuild(self, snapshot: Snapshot) -> None:
        self._remove_items(self.curves)
        names = [self.layer_name(snapshot, layer) for layer in range(self._n_layers)]
        self.curves = [self._make_curve(name, theme.series_color(k))
                       for k, name in enumerate(names)]
        self.buffer = GrowingColumns(("epoch", *names))
        self.readout.set_curves(self.curves)

    def _sample(self, snapshot: Snapshot) -> None:
        norms = np.asarray(snapshot.gradient_norms, dtype=np.float64)
        # zero norms have no logarithm: store them as gaps
        norms = np.where(norms > 0, norms, np.nan)
        row = {"epoch": np.array([snapshot.epoch], dtype=np.float64)}
        for layer, name in enumerate(self.buffer.names[1:]):
            row[name] = norms[layer:layer + 1]
        self.buffer.append(row)
        self.stepped_range.extend(row["epoch"], norms)
        x = self.buffer.column("epoch")
        for name, curve in zip(self.buffer.names[1:], self.curves):
            curve.setData(x, self.buffer.column(name))

    def _clear_samples(self) -> None:
        self.buffer.clear()
        for curve in self.curves:
            curve.setData([], [])


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
