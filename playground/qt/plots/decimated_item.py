"""The base of the live plots' items: several series sharing x, kept at full resolution and
drawn decimated (at most ~2 points per pixel column), synced only when the plot is visible.

Why not PlotDataItem: its setData re-scans the whole history every frame (bounds, finite
check, downsampling, clipping): ~0.4 ms per curve at a few thousand points. Here each row is
looked at once, when it arrives (PeakBins), and paths are built only when painted.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui

from playground.qt.plots.peak_bins import PeakBins


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
