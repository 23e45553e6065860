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
    ``max_rows``, every group of four rows becomes two: each y column keeps its group's lowest and
    highest value, in order, and x the group's first and last value, so the curves keep every
    peak (placed within its group's span of x) while the row count halves.
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
            before = self._size
            self._compact()
            if self._size == before:     # under 4 rows: nothing left to halve
                break
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


class PeakBins:
    """Peak-preserving decimation of growing series sharing x, done once per row as rows arrive.

    Rows are grouped into blocks of ``rows_per_block`` rows; each complete block keeps its first
    x and, per series, its lowest and highest value (with their x). When there are more than
    ``max_blocks`` blocks, neighbouring blocks merge in pairs and new blocks get twice as many
    rows, so the kept points stay between ``max_blocks`` and twice that, whatever the length.
    Rows of the unfinished block are kept as they are. All series are reduced together, in a
    handful of NumPy calls whatever their number.
    """

    def __init__(self, max_blocks: int = 512, series: int = 1) -> None:
        self.max_blocks = max_blocks
        self.series = series
        self.reset()

    def reset(self) -> None:
        k = self.series
        self.rows = 0                                   # rows taken in so far
        self.rows_per_block = 1
        # rows: x_first, then per series x_low, low, x_high, high (k rows each)
        self._blocks = np.empty((1 + 4 * k, 0))
        self._pending = np.empty((1 + k, 0))            # x, then the series, of the unfinished block
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

    def _extend_bounds(self, x: np.ndarray, ys: np.ndarray) -> None:
        finite_x = np.isfinite(x)
        if not finite_x.any():
            return
        self.x_min = min(self.x_min, float(x[finite_x].min()))
        self.x_max = max(self.x_max, float(x[finite_x].max()))
        extremes = finite_extremes(ys[:, finite_x])
        if extremes is not None:
            self.low_min = min(self.low_min, extremes[0])
            self.high_max = max(self.high_max, extremes[1])
            self.low_min_positive = min(self.low_min_positive, extremes[2])

    def add(self, x: np.ndarray, *ys: np.ndarray) -> None:
        """Take in new rows: x and one array per series, all equally long."""
        if len(x) == 0:
            return
        rows = np.array([x, *ys], dtype=np.float64)
        self.rows += len(x)
        self._extend_bounds(rows[0], rows[1:])
        pending = np.concatenate([self._pending, rows], axis=1) if self._pending.size else rows
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

    def _reduce(self, rows: np.ndarray, size: int) -> np.ndarray:
        x, ys = rows[0], rows[1:]
        if size == 1:
            xs = rows[[0] * self.series]            # x once per series (np.broadcast_to is slower)
            return np.concatenate([x[None], xs, ys, xs, ys])
        x = x.reshape(-1, size)
        ys = ys.reshape(self.series, -1, size)
        lowest = np.argmin(np.where(np.isnan(ys), np.inf, ys), axis=2)
        highest = np.argmax(np.where(np.isnan(ys), -np.inf, ys), axis=2)
        series, blocks = np.arange(self.series)[:, None], np.arange(len(x))
        return np.concatenate([x[None, :, 0], x[blocks, lowest], ys[series, blocks, lowest],
                               x[blocks, highest], ys[series, blocks, highest]])

    def _merge_pairs(self) -> None:
        k, blocks = self.series, self._blocks
        paired = blocks.shape[1] // 2 * 2
        first, second = blocks[:, 0:paired:2], blocks[:, 1:paired:2]
        lows, highs = slice(1, 1 + 2 * k), slice(1 + 2 * k, 1 + 4 * k)   # x and value rows
        low, high = slice(1 + k, 1 + 2 * k), slice(1 + 3 * k, 1 + 4 * k)  # value rows
        take_low = (second[low] < first[low]) | np.isnan(first[low])
        take_high = (second[high] > first[high]) | np.isnan(first[high])
        merged = np.vstack([first[:1],
                            np.where(np.tile(take_low, (2, 1)), second[lows], first[lows]),
                            np.where(np.tile(take_high, (2, 1)), second[highs], first[highs])])
        self._blocks = np.concatenate([merged, blocks[:, paired:]], axis=1)

    def line_points(self, series: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """x, y of a line through each block's low and high point of one series in x order (one
        point when they are the same row), then the unfinished block's rows."""
        x, y = self.lines(series, 1)
        return x[0], y[0]

    def lines(self, first: int = 0, count: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Like ``line_points`` for ``count`` series from ``first`` on, all at once: x and y of
        shape (count, points). A block gives every series two points if any series needs two
        (one of them may then repeat a point)."""
        k = self.series
        count = k - first if count is None else count
        rows = slice(first, first + count)
        blocks = self._blocks
        x_low, low = blocks[1:1 + k][rows], blocks[1 + k:1 + 2 * k][rows]
        x_high, high = blocks[1 + 2 * k:1 + 3 * k][rows], blocks[1 + 3 * k:][rows]
        pending_x = self._pending[[0] * count]
        pending_y = self._pending[1:][rows]
        two = (x_low != x_high).any(axis=0)
        if not two.any():                       # one row per block, or every extreme shared
            return (np.concatenate([x_low, pending_x], axis=1),
                    np.concatenate([low, pending_y], axis=1))
        low_first = x_low <= x_high
        xs = np.stack([np.where(low_first, x_low, x_high), np.where(low_first, x_high, x_low)], 2)
        ys = np.stack([np.where(low_first, low, high), np.where(low_first, high, low)], 2)
        keep = np.ones(xs.shape[1:], dtype=bool)
        keep[:, 1] = two
        return (np.concatenate([xs[:, keep], pending_x], axis=1),
                np.concatenate([ys[:, keep], pending_y], axis=1))

    def band_points(self, low_series: int = 0,
                    high_series: int = -1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """x, lowest ``low_series`` and highest ``high_series`` value of each block (at its
        first x), then the unfinished block's rows."""
        k = self.series
        x, low, high = self.bands([low_series % k], [high_series % k])
        return x, low[0], high[0]

    def bands(self, low_series, high_series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Like ``band_points`` for several pairs of series at once (index lists or slices):
        x, then the lows and highs, each of shape (pairs, points)."""
        k, blocks, pending = self.series, self._blocks, self._pending
        return (np.concatenate([blocks[0], pending[0]]),
                np.concatenate([blocks[1 + k:1 + 2 * k][low_series],
                                pending[1:][low_series]], axis=1),
                np.concatenate([blocks[1 + 3 * k:][high_series],
                                pending[1:][high_series]], axis=1))


def finite_extremes(values: np.ndarray) -> tuple[float, float, float] | None:
    """(min, max, smallest positive or inf) of the finite values, None if there are none: the
    running bounds a plot's items and its stepped range keep, log axes included."""
    finite = values[np.isfinite(values)]
    if not finite.size:
        return None
    positive = finite[finite > 0]
    return (float(finite.min()), float(finite.max()),
            float(positive.min()) if positive.size else np.inf)


def view_values(values: np.ndarray, log: bool) -> np.ndarray:
    """Values in view coordinates: log10 on a log axis, non-positive values becoming gaps."""
    if not log:
        return values
    return np.log10(values, out=np.full(values.shape, np.nan), where=values > 0)


def polygon(x: np.ndarray, y: np.ndarray) -> QtGui.QPolygonF:
    """The points (x, y) as a QPolygonF, filled in place through a NumPy view of its memory."""
    shape = QtGui.QPolygonF()
    if len(x):          # an empty polygon has no memory to view (a read-only, empty buffer)
        shape.resize(len(x))
        points = pg.functions.ndarray_from_qpolygonf(shape)
        points[:, 0], points[:, 1] = x, y
    return shape


def polylines(x: np.ndarray, y: np.ndarray) -> list[QtGui.QPolygonF]:
    """The runs of finite points of a line, each as a polygon for QPainter.drawPolyline.

    Drawn directly, without building a QPainterPath (pyqtgraph's arrayToQPath builds the same
    polygon, then copies it into a path that the painter strokes more slowly).
    """
    finite = np.isfinite(x) & np.isfinite(y)
    if finite.all():
        return [polygon(x, y)] if len(x) > 1 else []
    # a run starts where a finite point follows a gap, and ends before the next gap
    edges = np.flatnonzero(np.diff(np.concatenate([[False], finite, [False]]).astype(np.int8)))
    return [polygon(x[start:end], y[start:end])
            for start, end in zip(edges[::2], edges[1::2]) if end - start > 1]


class DecimatedItem(pg.GraphicsObject):
    """Base of the curve and distribution items: several series sharing x, kept at full
    resolution, displayed decimated, synced lazily.

    ``setData``/``set_data`` only record the arrays (cheap); ``sync`` decimates the new rows,
    drops the display and moves the item's bounds; the owning plot calls it when it is visible
    (a plot in a dock tab behind another catches up when shown). Paths are built when painted.
    """

    def __init__(self, name: str, max_blocks: int, series: int) -> None:
        super().__init__()
        self._name = name
        # read by tests and by pyqtgraph (log mode); there are no symbols or fills here
        self.opts = {"name": name, "logMode": [False, False], "antialias": False}
        self.bins = PeakBins(max_blocks, series)
        self._columns: tuple[np.ndarray, ...] = (np.empty(0),) * (1 + series)
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

    def original_columns(self) -> tuple[np.ndarray, ...]:
        """x and every series as handed over (full resolution)."""
        return self._columns

    def sync(self) -> None:
        if not self._stale:
            return
        self._stale = False
        if self._rebin:
            self._rebin = False
            self.bins.reset()
        start = self.bins.rows
        self.bins.add(*(column[start:] for column in self._columns))
        self._display = self._path = None           # both rebuilt when painted
        bounds = self.bins.bounds(self.opts["logMode"][1])
        if bounds != self._bounds:
            self.prepareGeometryChange()
            self._bounds = bounds
        self.update()

    def getData(self):
        """The first series' points as drawn (decimated), like PlotDataItem.getData."""
        return self.series_line(0)

    def series_line(self, series: int) -> tuple[np.ndarray, np.ndarray]:
        """x, y of one series' decimated line, in view coordinates."""
        x, y = self.display()
        return x[series], y[series]

    def display(self) -> tuple[np.ndarray, np.ndarray]:
        """x and y of every series' decimated line (one row per series), in view coordinates."""
        if self._display is None:
            x, y = self.bins.lines()
            self._display = x, view_values(y, self.opts["logMode"][1])
        return self._display

    def boundingRect(self) -> QtCore.QRectF:
        return self._bounds

    def dataBounds(self, axis: int, frac: float = 1.0, orthoRange=None):
        """Bounds of the finite data handed over (not only of what was synced)."""
        x, *ys = self._columns
        values = [x] if axis == 0 else [view_values(y, self.opts["logMode"][1]) for y in ys]
        finite = np.concatenate([v[np.isfinite(v)] for v in values])
        if finite.size == 0:
            return None, None
        return float(finite.min()), float(finite.max())


class SeriesView:
    """One series of a multi-series item, read like a curve by HoverReadout and tests."""

    def __init__(self, item: DecimatedItem, series: int, label: str) -> None:
        self.item, self.series, self.label = item, series, label

    def name(self) -> str:
        return self.label

    def isVisible(self) -> bool:
        return self.item.isVisible()

    def getOriginalDataset(self):
        columns = self.item.original_columns()
        return columns[0], columns[1 + self.series]

    def getData(self):
        """The points drawn (decimated), in view coordinates."""
        return self.item.series_line(self.series)


class LiveCurves(DecimatedItem):
    """Series sharing x (train and test loss, one per layer, ...), each a width-1 polyline in
    its own pen through at most ~2 points per block.

    One item for all: one decimation, one bounds update and one paint call per frame.
    ``series`` reads each like a curve.
    """

    def __init__(self, name: str, labels: Sequence[str], pens: Sequence[QtGui.QPen],
                 max_blocks: int = 512) -> None:
        super().__init__(name, max_blocks, series=len(labels))
        self.pens = list(pens)
        self.series = [SeriesView(self, k, label) for k, label in enumerate(labels)]

    def set_data(self, x, ys: Sequence, extends: bool = False) -> None:
        """Show the series ys over x; ``extends`` says the first rows are the ones given before."""
        self._set_columns((np.asarray(x, dtype=np.float64),
                           *(np.asarray(y, dtype=np.float64) for y in ys)), extends)

    def paint(self, painter: QtGui.QPainter, *args) -> None:
        if self._path is None:
            self._path = [polylines(x, y) for x, y in zip(*self.display())]
        for pen, lines in zip(self.pens, self._path):
            painter.setPen(pen)
            for line in lines:
                painter.drawPolyline(line)


SUMMARY = ("min", "q25", "median", "q75", "max")


class DistributionItem(DecimatedItem):
    """How several groups' values (e.g. each layer's weights) are spread over time: per group a
    filled, edged band between the quartiles, a median line and faint min and max lines.

    One item for every group: one decimation, one bounds update and one paint call per frame.
    Bands are filled first and lines drawn on
    top, so no fill hides another group's lines. Only the quartile band is filled: filled
    min–max bands of several groups overlapped into muddy colours.
    """

    EXTREMES_ALPHA = 110
    QUARTILE_EDGE_ALPHA = 170

    def __init__(self, name: str, labels: Sequence[str], colors: Sequence[QtGui.QColor],
                 max_blocks: int = 512) -> None:
        super().__init__(name, max_blocks, series=len(SUMMARY) * len(labels))
        self.labels, self.colors = list(labels), list(colors)
        # overlapping fills mix into mud: the more groups, the lighter each fill
        fill_alpha = 70 if len(labels) <= 2 else 30
        self._styles = [(pg.mkBrush(faded(color, fill_alpha)),
                         pg.mkPen(faded(color, self.QUARTILE_EDGE_ALPHA), width=1),
                         pg.mkPen(color, width=1),
                         pg.mkPen(faded(color, self.EXTREMES_ALPHA), width=1))
                        for color in self.colors]
        self.series = [{stat: SeriesView(self, len(SUMMARY) * group + k, f"{label} {stat}")
                        for k, stat in enumerate(SUMMARY)} for group, label in enumerate(labels)]

    def set_data(self, x: np.ndarray, summaries: Sequence[np.ndarray],
                 extends: bool = False) -> None:
        """x and, per group, its min, q25, median, q75 and max columns, in that order."""
        self._set_columns((x, *summaries), extends)

    def group_shapes(self, group: int) -> tuple:
        """What is painted for a group: the quartile band (a closed polygon, filled), its two
        edges (the q25 and q75 lines), the median line and the min and max lines (each a list
        of polylines)."""
        if self._path is None:
            self._path = self._build_shapes()
        return self._path[group]

    def _build_shapes(self) -> list[tuple]:
        n, log = len(SUMMARY), self.opts["logMode"][1]
        lines = [polylines(x, y) for x, y in zip(*self.display())]
        band_x, q25s, q75s = self.bins.bands(slice(1, None, n), slice(3, None, n))
        shapes = []
        for group, (q25, q75) in enumerate(zip(view_values(q25s, log), view_values(q75s, log))):
            keep = np.isfinite(band_x) & np.isfinite(q25) & np.isfinite(q75)
            x = band_x[keep]
            band = polygon(np.concatenate([x, x[::-1]]), np.concatenate([q75[keep], q25[keep][::-1]]))
            low, q25_line, median, q75_line, high = lines[n * group:n * (group + 1)]
            shapes.append((band, q25_line + q75_line, median, low + high))
        return shapes

    def paint(self, painter: QtGui.QPainter, *args) -> None:
        groups = range(len(self.labels))
        painter.setPen(QtCore.Qt.PenStyle.NoPen)
        for group in groups:
            painter.setBrush(self._styles[group][0])
            painter.drawPolygon(self.group_shapes(group)[0])
        for group in groups:
            _, edge_pen, median_pen, extremes_pen = self._styles[group]
            _, edges, median, extremes = self.group_shapes(group)
            for pen, lines in ((extremes_pen, extremes), (edge_pen, edges), (median_pen, median)):
                painter.setPen(pen)
                for line in lines:
                    painter.drawPolyline(line)


def faded(color: QtGui.QColor, alpha: int) -> QtGui.QColor:
    """``color`` with the given alpha (0-255)."""
    faded_color = QtGui.QColor(color)
    faded_color.setAlpha(alpha)
    return faded_color


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
        # across every column (axis included) so the legend alone sets no wider minimum width
        plot_item.layout.addItem(self.label, 4, 0, 1, 3)
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
    Y_LIMIT = 1e300
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
            extremes = finite_extremes(y)
            if extremes is not None:
                self.y_min = min(self.y_min, extremes[0])
                self.y_max = max(self.y_max, extremes[1])
                self.y_min_positive = min(self.y_min_positive, extremes[2])

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
        # beyond this the span, the margins and the steps would overflow; farther values are
        # drawn off the top or the bottom
        low, high = max(low, -self.Y_LIMIT), min(high, self.Y_LIMIT)
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
