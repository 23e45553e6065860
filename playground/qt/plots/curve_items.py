"""The two items the live plots draw: curves sharing x, and per-group distributions over time."""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui

from playground.qt.plots.decimated_item import (DecimatedItem, SeriesView, polygon, polylines,
                                                view_values)


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
