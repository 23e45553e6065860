"""The read-out under the mouse of a live plot: the nearest point's curve, epoch and value."""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui


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
