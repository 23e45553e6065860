"""What the dataset painter draws on the boundary plot while painting: every point of the
dataset being edited, at once, and the brush circle under the mouse."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from playground.config import REGRESSION
from playground.data import MAX_CLASSES, REGRESSION_RANGE, Dataset
from playground.qt import theme

POINT_SIZE = 7               # as the boundary view's points
OVERLAY_Z = 5                # above the map and the view's own points


class PaintOverlay:
    """What the painter draws on the boundary plot: the edited points and the brush circle.

    One scatter item per class (a single brush each, so thousands of points stay cheap) and one
    for regression values (brushes cached per palette entry).
    """

    def __init__(self, plot: pg.PlotItem) -> None:
        self.plot = plot
        white = pg.mkPen(255, 255, 255, width=1)
        self.classes = []
        for k in range(MAX_CLASSES):
            item = pg.ScatterPlotItem(size=POINT_SIZE, pxMode=True, symbol="o", pen=white,
                                      brush=pg.mkBrush(theme.class_color(k)))
            self.classes.append(item)
        self._shown = [np.empty((0, 2))] * MAX_CLASSES     # positions each item shows
        self.values = pg.ScatterPlotItem(size=POINT_SIZE, pxMode=True, symbol="o", pen=white)
        self._value_brushes = [pg.mkBrush(int(r), int(g), int(b))
                               for r, g, b in theme.diverging_lut()]
        self.cursor = QtWidgets.QGraphicsEllipseItem()
        cursor_pen = QtGui.QPen(QtGui.QColor(40, 40, 40, 200), 1.5)
        cursor_pen.setCosmetic(True)
        cursor_pen.setStyle(QtCore.Qt.PenStyle.DashLine)
        self.cursor.setPen(cursor_pen)
        self.cursor.hide()
        for item in [*self.classes, self.values, self.cursor]:
            item.setZValue(OVERLAY_Z)
            plot.addItem(item, ignoreBounds=True)
        self.set_visible(False)

    @property
    def items(self) -> list:
        return [*self.classes, self.values]

    def set_visible(self, visible: bool) -> None:
        for item in self.items:
            item.setVisible(visible)
        if not visible:
            self.cursor.hide()

    def show_dataset(self, dataset: Dataset) -> None:
        if dataset.kind == REGRESSION:
            self._shown = [np.empty((0, 2))] * len(self.classes)
            for item in self.classes:
                item.setData([], [])
            indices = theme.lut_indices(dataset.y, *REGRESSION_RANGE)
            self.values.setData(pos=dataset.X, brush=[self._value_brushes[i] for i in indices])
            return
        self.values.setData([], [])
        for k, item in enumerate(self.classes):
            points = dataset.X[dataset.y == k]
            # a stroke changes one class: re-setting the others would cost more than comparing
            if not np.array_equal(points, self._shown[k]):
                self._shown[k] = points
                item.setData(pos=points)

    def show_cursor(self, centre: QtCore.QPointF, radius: float) -> None:
        self.cursor.setRect(QtCore.QRectF(centre.x() - radius, centre.y() - radius,
                                          2 * radius, 2 * radius))
        self.cursor.show()

    def point_count(self) -> int:
        return sum(len(item.data) for item in self.items)
