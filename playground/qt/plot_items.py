"""The building blocks of the live plots: bounded history buffers, peak-preserving decimation
done as rows arrive, light curve and band items, a legend outside the data area, a stepped
view range and a log axis whose labels never overlap.

Why not PlotDataItem: its setData re-scans the whole history every frame (bounds, finite
check, downsampling, clipping): ~0.4 ms per curve at a few thousand points. Here each row is
looked at once, when it arrives, and a curve paints at most ~2 points per pixel column.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

MAX_ROWS = 1_000_000        # a GrowingColumns passing this many rows is halved


class GrowingColumns:
    """Named float64 columns appended in chunks, stored in buffers grown by doubling.

    ``column(name)`` returns a view of the filled part. Filled positions are never written
    again (growing copies into new buffers, ``clear`` and compaction allocate new ones), so
    pyqtgraph can keep the views it is handed. Memory is bounded: when the rows would pass
    ``max_rows``, every group of four rows becomes two (the rows holding each column's lowest and
    highest value, in order), so the curves keep every peak while the row count halves.
    """

    def __init__(self, names: Sequence[str], capacity: int = 256,
                 max_rows: int = MAX_ROWS) -> None:
        self.names = tuple(names)
        self._initial_capacity = capacity
        self.max_rows = max_rows
        self.clear()

    def clear(self) -> None:
        self._size = 0
        self._data = {name: np.empty(self._initial_capacity) for name in self.names}

    def __len__(self) -> int:
        return self._size

    def append(self, columns: dict[str, np.ndarray]) -> bool:
        """Append equally long chunks, one per column name.

        Returns True if earlier rows were rewritten (the buffer was compacted): views handed
        out before then no longer match the new columns' first rows.
        """
        count = len(next(iter(columns.values())))
        if count == 0:
            return False
        compacted = False
        while self._size > 0 and self._size + count > self.max_rows:
            self._compact()
            compacted = True
        needed = self._size + count
        capacity = len(next(iter(self._data.values())))
        if needed > capacity:
            while capacity < needed:
                capacity *= 2
            capacity = max(min(capacity, self.max_rows), needed)
            self._reallocate(capacity, {name: old[:self._size] for name, old in self._data.items()})
        for name in self.names:
            self._data[name][self._size:needed] = columns[name]
        self._size = needed
        return compacted

    def column(self, name: str) -> np.ndarray:
        return self._data[name][:self._size]

    def _reallocate(self, capacity: int, kept: dict[str, np.ndarray]) -> None:
        for name, rows in kept.items():
            new = np.empty(capacity)
            new[:len(rows)] = rows
            self._data[name] = new
        self._size = len(next(iter(kept.values())))

    def _compact(self) -> None:
        """Halve the rows: each group of 4 rows keeps 2, per column its min and max in order.

        The first column (x, e.g. the epoch) gets the first and last x of each group, so x
        stays increasing; a leftover group shorter than 4 rows is kept as it is.
        """
        full = self._size // 4 * 4
        kept = {}
        x_name, *y_names = self.names
        x = self.column(x_name)
        kept[x_name] = np.concatenate([x[:full].reshape(-1, 4)[:, [0, 3]].ravel(), x[full:]])
        for name in y_names:
            groups = self.column(name)[:full].reshape(-1, 4)
            low = np.argmin(np.where(np.isnan(groups), np.inf, groups), axis=1)
            high = np.argmax(np.where(np.isnan(groups), -np.inf, groups), axis=1)
            rows = np.arange(len(groups))
            first, last = np.minimum(low, high), np.maximum(low, high)
            pairs = np.stack([groups[rows, first], groups[rows, last]], axis=1).ravel()
            kept[name] = np.concatenate([pairs, self.column(name)[full:]])
        self._reallocate(len(next(iter(self._data.values()))), kept)


def nan_aware_extremes(low: np.ndarray, high: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row of 2-D arrays: index of the lowest ``low`` and of the highest ``high``, NaN last."""
    return (np.argmin(np.where(np.isnan(low), np.inf, low), axis=1),
            np.argmax(np.where(np.isnan(high), -np.inf, high), axis=1))


class PeakBins:
    """Peak-preserving decimation of a growing series, done once per row as rows arrive.

    Rows are grouped into blocks of ``rows_per_block`` rows; each complete block keeps its first
    x, its lowest ``low`` and highest ``high`` (with their x). When there are more than
    ``max_blocks`` blocks, neighbouring blocks merge in pairs and new blocks get twice as many
    rows, so the kept points stay between ``max_blocks`` and twice that, whatever the length.
    Rows of the unfinished block are kept as they are.
    """

    def __init__(self, max_blocks: int = 512) -> None:
        self.max_blocks = max_blocks
        self.reset()

    def reset(self) -> None:
        self.rows = 0                                   # rows taken in so far
        self.rows_per_block = 1
        self._blocks = np.empty((5, 0))                 # x_first, x_low, low, x_high, high
        self._pending = np.empty((3, 0))                # x, low, high of the unfinished block
        # running bounds of the finite values (merging keeps every extreme, so they stay exact)
        self.x_min = self.low_min = self.low_min_positive = np.inf
        self.x_max = self.high_max = -np.inf

    def bounds(self, log: bool) -> QtCore.QRectF:
        """The rectangle holding the finite points, in view coordinates."""
        low, high = self.low_min, self.high_max
        if log:
            low = np.log10(self.low_min_positive) if self.low_min_positive < np.inf else np.inf
            high = np.log10(high) if high > 0 else -np.inf
        if not (self.x_min <= self.x_max and low <= high):
            return QtCore.QRectF()
        return QtCore.QRectF(float(self.x_min), float(low), float(self.x_max - self.x_min),
                             float(high - low))

    def _extend_bounds(self, x: np.ndarray, low: np.ndarray, high: np.ndarray) -> None:
        finite_x = np.isfinite(x)
        low, high = low[finite_x & np.isfinite(low)], high[finite_x & np.isfinite(high)]
        if finite_x.any():
            self.x_min = min(self.x_min, float(x[finite_x].min()))
            self.x_max = max(self.x_max, float(x[finite_x].max()))
        if low.size:
            self.low_min = min(self.low_min, float(low.min()))
            positive = low[low > 0]
            if positive.size:
                self.low_min_positive = min(self.low_min_positive, float(positive.min()))
        if high.size:
            self.high_max = max(self.high_max, float(high.max()))

    def add(self, x: np.ndarray, low: np.ndarray, high: np.ndarray) -> None:
        if len(x) == 0:
            return
        self.rows += len(x)
        self._extend_bounds(x, low, high)
        pending = np.concatenate([self._pending, np.vstack([x, low, high])], axis=1)
        size = self.rows_per_block
        complete = pending.shape[1] // size
        if complete:
            self._blocks = np.concatenate(
                [self._blocks, self._reduce(pending[:, :complete * size], size)], axis=1)
            pending = pending[:, complete * size:]
        self._pending = pending
        while self._blocks.shape[1] > self.max_blocks:
            self._merge_pairs()
            self.rows_per_block *= 2

    @staticmethod
    def _reduce(rows: np.ndarray, size: int) -> np.ndarray:
        if size == 1:
            x, low, high = rows
            return np.vstack([x, x, low, x, high])
        x, low, high = (part.reshape(-1, size) for part in rows)
        lowest, highest = nan_aware_extremes(low, high)
        index = np.arange(len(x))
        return np.vstack([x[:, 0], x[index, lowest], low[index, lowest],
                          x[index, highest], high[index, highest]])

    def _merge_pairs(self) -> None:
        blocks = self._blocks
        paired = blocks.shape[1] // 2 * 2
        first, second = blocks[:, 0:paired:2], blocks[:, 1:paired:2]
        take_low = (second[2] < first[2]) | np.isnan(first[2])
        take_high = (second[4] > first[4]) | np.isnan(first[4])
        merged = np.vstack([first[0],
                            np.where(take_low, second[1], first[1]),
                            np.where(take_low, second[2], first[2]),
                            np.where(take_high, second[3], first[3]),
                            np.where(take_high, second[4], first[4])])
        self._blocks = np.concatenate([merged, blocks[:, paired:]], axis=1)

    def line_points(self) -> tuple[np.ndarray, np.ndarray]:
        """x, y of a line through each block's low and high point in x order (one point when
        they are the same row), then the unfinished block's rows."""
        _, x_low, low, x_high, high = self._blocks
        low_first = x_low <= x_high
        xs = np.stack([np.where(low_first, x_low, x_high), np.where(low_first, x_high, x_low)], 1)
        ys = np.stack([np.where(low_first, low, high), np.where(low_first, high, low)], 1)
        keep = np.ones(xs.shape, dtype=bool)
        keep[:, 1] = x_low != x_high
        return (np.concatenate([xs[keep], self._pending[0]]),
                np.concatenate([ys[keep], self._pending[1]]))

    def band_points(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """x, low, high of each block (at its first x), then the unfinished block's rows."""
        x_first, _, low, _, high = self._blocks
        pending_x, pending_low, pending_high = self._pending
        return (np.concatenate([x_first, pending_x]), np.concatenate([low, pending_low]),
                np.concatenate([high, pending_high]))


def view_values(values: np.ndarray, log: bool) -> np.ndarray:
    """Values in view coordinates: log10 on a log axis, non-positive values becoming gaps."""
    if not log:
        return values
    return np.log10(values, out=np.full(len(values), np.nan), where=values > 0)


class DecimatedItem(pg.GraphicsObject):
    """Base of the curve and band items: full-resolution data, decimated display, lazy sync.

    ``setData`` only records the arrays (cheap); ``sync`` decimates the new rows, rebuilds the
    display and moves the item's bounds; the owning plot calls it when it is visible (a plot in
    a dock tab behind another catches up when shown). The path is built when painted.
    """

    def __init__(self, name: str, max_blocks: int) -> None:
        super().__init__()
        self._name = name
        # read by tests and by pyqtgraph (log mode); there are no symbols or fills here
        self.opts = {"name": name, "logMode": [False, False], "antialias": False}
        self.bins = PeakBins(max_blocks)
        self._columns: tuple[np.ndarray, ...] = (np.empty(0),) * 3
        self._stale = self._rebin = False
        self._display = self._path = None           # built when painted
        self._bounds = QtCore.QRectF()

    def implements(self, interface: str | None = None):
        # listed among the PlotItem's data items (for tests and exporters), never averaged
        return interface == "plotData" if interface else ["plotData"]

    def name(self) -> str:
        return self._name

    def setLogMode(self, x: bool, y: bool) -> None:
        self.opts["logMode"] = [bool(x), bool(y)]
        self._stale = True
        self.sync()

    def set_max_blocks(self, max_blocks: int) -> None:
        """Change the display resolution (re-decimates everything once)."""
        if max_blocks != self.bins.max_blocks:
            self.bins.max_blocks = max_blocks
            self._rebin = self._stale = True

    def _set_columns(self, columns: tuple[np.ndarray, ...], extends: bool) -> None:
        # pyqtgraph's rule holds for us too: these arrays are never written after this
        self._columns = columns
        self._rebin |= not extends or len(columns[0]) < self.bins.rows
        self._stale = True

    def sync(self) -> None:
        if not self._stale:
            return
        self._stale = False
        x, low, high = self._columns
        if self._rebin:
            self._rebin = False
            self.bins.reset()
        start = self.bins.rows
        self.bins.add(x[start:], low[start:], high[start:])
        self._display = self._path = None           # both rebuilt when painted
        bounds = self.bins.bounds(self.opts["logMode"][1])
        if bounds != self._bounds:
            self.prepareGeometryChange()
            self._bounds = bounds
        self.update()

    def getData(self):
        """The x and (first) y of the decimated points drawn, like PlotDataItem.getData."""
        return self.display()[:2]

    def display(self) -> tuple[np.ndarray, ...]:
        """The decimated points drawn, in view coordinates."""
        if self._display is None:
            self._display = self._decimated_points()
        return self._display

    def _decimated_points(self) -> tuple[np.ndarray, ...]:
        raise NotImplementedError

    def boundingRect(self) -> QtCore.QRectF:
        return self._bounds

    def dataBounds(self, axis: int, frac: float = 1.0, orthoRange=None):
        """Bounds of the finite data handed over (not only of what was synced)."""
        x, low, high = self._columns
        if axis == 0:
            values = [x]
        else:
            values = [low, high] if self.opts["logMode"][1] is False else [
                view_values(low, True), view_values(high, True)]
        finite = np.concatenate([v[np.isfinite(v)] for v in values])
        if finite.size == 0:
            return None, None
        return float(finite.min()), float(finite.max())


class LiveCurve(DecimatedItem):
    """One series drawn as a width-1 polyline through at most ~2 points per block."""

    def __init__(self, name: str, pen: QtGui.QPen, max_blocks: int = 512) -> None:
        super().__init__(name, max_blocks)
        self.opts["pen"] = pen

    def setData(self, x, y, extends: bool = False) -> None:
        """Show the series (x, y); ``extends`` says the first rows are the ones given before."""
        x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
        self._set_columns((x, y, y), extends)

    def getOriginalDataset(self):
        return self._columns[0], self._columns[1]

    def _decimated_points(self) -> tuple[np.ndarray, ...]:
        x, y = self.bins.line_points()
        return x, view_values(y, self.opts["logMode"][1])

    def paint(self, painter: QtGui.QPainter, *args) -> None:
        if self._path is None:
            self._path = pg.arrayToQPath(*self.display(), connect="finite")
        painter.setPen(self.opts["pen"])
        painter.drawPath(self._path)


class BandItem(DecimatedItem):
    """The area between a lower and an upper series sharing x: filled, edged, or both.

    Decimated keeping each block's lowest low and highest high, so the band never looks
    narrower than the data.
    """

    def __init__(self, name: str, brush: QtGui.QBrush | None = None,
                 edge_pen: QtGui.QPen | None = None, max_blocks: int = 512) -> None:
        super().__init__(name, max_blocks)
        self._brush, self._edge_pen = brush, edge_pen

    def set_data(self, x: np.ndarray, low: np.ndarray, high: np.ndarray,
                 extends: bool = False) -> None:
        self._set_columns((x, low, high), extends)

    @property
    def filled(self) -> bool:
        return self._brush is not None

    @property
    def x(self) -> np.ndarray:
        return self._columns[0]

    @property
    def low(self) -> np.ndarray:
        return self._columns[1]

    @property
    def high(self) -> np.ndarray:
        return self._columns[2]

    def _decimated_points(self) -> tuple[np.ndarray, ...]:
        x, low, high = self.bins.band_points()
        log = self.opts["logMode"][1]
        return x, view_values(low, log), view_values(high, log)

    def paint(self, painter: QtGui.QPainter, *args) -> None:
        if self._path is None:
            self._path = self._build_path()
        fill, edges = self._path
        if self._brush is not None:
            painter.setPen(QtCore.Qt.PenStyle.NoPen)
            painter.setBrush(self._brush)
            painter.drawPath(fill)
        if self._edge_pen is not None:
            painter.setPen(self._edge_pen)
            painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
            painter.drawPath(edges)

    def _build_path(self) -> tuple[QtGui.QPainterPath, QtGui.QPainterPath]:
        """The filled area and the two edges (as two separate lines)."""
        x, low, high = self.display()
        keep = np.isfinite(x) & np.isfinite(low) & np.isfinite(high)
        x, low, high = x[keep], low[keep], high[keep]
        fill = edges = QtGui.QPainterPath()
        if self._brush is not None:
            fill = pg.arrayToQPath(np.concatenate([x, x[::-1]]),
                                   np.concatenate([high, low[::-1]]))
            fill.closeSubpath()
        if self._edge_pen is not None:
            edges = pg.arrayToQPath(x, low)
            edges.addPath(pg.arrayToQPath(x, high))
        return fill, edges


class PlotLegend:
    """The series' names in their colours, on a line of their own under the plot.

    Outside the data area it never covers a curve and is not repainted when the curves
    change. Entries wrap onto more lines when the plot is narrow.
    """

    FONT_POINTS = 8

    def __init__(self, plot_item: pg.PlotItem) -> None:
        self.label = pg.LabelItem("", size=f"{self.FONT_POINTS}pt", justify="center",
                                  parent=plot_item)
        self._plot_item = plot_item
        plot_item.layout.addItem(self.label, 4, 1)
        self.entries: list[tuple[str, QtGui.QColor]] = []
        self.width = 300.0
        self._html = None

    def detach(self) -> None:
        """Take the label out of the scene: PlotWidget.close's scene.clear() segfaults on
        layout widgets still in it (pyqtgraph's PlotItem.close does the same for its own)."""
        self._plot_item.layout.removeItem(self.label)
        scene = self.label.scene()
        if scene is not None:
            scene.removeItem(self.label)

    def set_entries(self, entries: Sequence[tuple[str, QtGui.QColor]]) -> None:
        self.entries = list(entries)
        self._render()

    def set_width(self, width: float) -> None:
        self.width = width
        self._render()

    def set_foreground(self, color: QtGui.QColor) -> None:
        self.label.setAttr("color", color)
        self._html = None
        self._render()

    def lines(self) -> list[list[str]]:
        """The entry names on each line, as laid out for the current width."""
        font = QtGui.QFont(self.label.item.font())
        font.setPointSizeF(self.FONT_POINTS)
        metrics = QtGui.QFontMetricsF(font)
        lines: list[list[str]] = []
        used = 0.0
        for name, _ in self.entries:
            width = metrics.horizontalAdvance(f"━━ {name}    ")
            if not lines or used + width > self.width:
                lines.append([])
                used = 0.0
            lines[-1].append(name)
            used += width
        return lines

    def _render(self) -> None:
        colors = dict(self.entries)
        html = "<br>".join("&nbsp;&nbsp;&nbsp;".join(
            f"<span style='color:{colors[name].name()}'>━━</span>&nbsp;{name}" for name in line)
            for line in self.lines())
        if html != self._html:
            self._html = html
            self.label.setText(html)


def nice_step(value: float) -> float:
    """The largest of 1, 2, 5 × 10^k that is <= value."""
    if not value > 0:
        return 1.0
    power = 10.0 ** np.floor(np.log10(value))
    for step in (5.0, 2.0, 1.0):
        if step * power <= value * (1 + 1e-12):
            return step * power
    return power


class SteppedRange:
    """Follows the data like auto-range, but changes the view range only in steps.

    Auto-range moves the axes on every update, so pyqtgraph re-lays out the tick labels and
    repaints both axes each frame. Here the x range ends a little ahead of the data (15-20 %),
    on a round number, and each y limit moves, to a round number past the data, only when the
    data leave the range; a log axis moves by whole decades. The axes are cached as pixmaps
    between changes. The plot reports each appended chunk with ``extend``. A user's pan/zoom
    stops the following; a double-click resumes it.
    """

    X_HEADROOM = 0.15           # the x range ends at least this fraction past the data...
    X_STEP = 0.05               # ...rounded up to a round step of at most this fraction
    Y_MARGIN = 0.04             # y limits lie at least this fraction of the span past the data
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
        if np.isfinite(self.x_max) and (force or self.x_max >= x_range[1]):
            x_range = (0.0, self.x_limit(self.x_max))
        low, high = self._y_bounds()
        if self.fixed_y is None and np.isfinite(low) and np.isfinite(high):
            if force or low < y_range[0] or high > y_range[1]:
                y_range = self._y_limits(low, high)
        if force or (x_range, y_range) != (self._x_range, self._y_range):
            self._x_range, self._y_range = x_range, y_range
            self._apply()

    @classmethod
    def x_limit(cls, x_max: float) -> float:
        """Where the x range ends for data reaching ``x_max``: a round number 15-20 % past it."""
        x_max = max(x_max, 1.0)
        step = nice_step(max(x_max, 10.0) * cls.X_STEP)
        return float(np.ceil(x_max * (1 + cls.X_HEADROOM) / step) * step)

    def _y_limits(self, low: float, high: float) -> tuple[float, float]:
        if self.plot_item.getAxis("left").logMode:       # whole decades
            return float(np.floor(low - 0.05)), float(np.ceil(high + 0.05))
        span = high - low
        if not span > 0:
            span = max(abs(high), 1e-3)
        step = nice_step(span * 0.1)
        margin = self.Y_MARGIN * span
        return (float(np.floor((low - margin) / step) * step),
                float(np.ceil((high + margin) / step) * step))

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


class QuietLogAxis(pg.AxisItem):
    """A log axis whose labelled ticks are always far enough apart not to overlap.

    pyqtgraph labels every minor tick (2, 3, … 9 × 10^k) of a log axis spanning few decades,
    and every decade of one spanning many; on a plot of ordinary height the labels overlap.
    Here ticks are 1 × 10^k every n decades, n chosen so labels are at least LABEL_GAP text
    heights apart, plus 2 and 5 × 10^k when a decade is tall enough for them.
    """

    LABEL_GAP = 1.8

    def logTickValues(self, minVal, maxVal, size, stdTicks):
        span = maxVal - minVal
        if not (span > 0 and size > 0):
            return super().logTickValues(minVal, maxVal, size, stdTicks)
        min_spacing = self.LABEL_GAP * QtGui.QFontMetricsF(
            self.style.get("tickFont") or self.font()).height()
        decade_px = size / span
        stride = next(s for s in (1, 2, 3, 5, 10, 20, 50, 100, 10 ** 9)
                      if s * decade_px >= min_spacing)
        values = [float(k) for k in range(int(np.ceil(minVal)), int(np.floor(maxVal)) + 1)
                  if k % stride == 0]
        # 2 and 5 × 10^k: log10(5) - log10(2) ≈ 0.4 decade is their closest gap
        if stride == 1 and 0.3 * decade_px >= min_spacing:
            values += [k + np.log10(m) for k in range(int(np.floor(minVal)), int(maxVal) + 1)
                       for m in (2, 5) if minVal <= k + np.log10(m) <= maxVal]
        if not values:                          # less than a decade without a round number
            return super().logTickValues(minVal, maxVal, size, stdTicks)[:1]
        return [(float(stride), sorted(values))]
