"""The base of the live plots (loss, accuracy, weights, gradients): theming, legend, hover
read-out, a stepped view range and the snapshot bookkeeping they share.

Every plot renders only from Snapshots. ``show_snapshot`` is cheap and may be called with the
same snapshot again (it is then ignored); an epoch going backwards (Reset) clears the history.

Cost rules (a frame of the whole window must stay under 10 ms; see decimated_item): one
persistent item per series, decimated as rows arrive to ~2 points per pixel column, width-1 pens
without antialiasing, buffers whose handed-out slices are never written again, a view range that
moves in steps, a legend outside the data area, and no item updates while the plot is hidden.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from playground.qt import theme
from playground.qt.plots.curve_items import LiveCurves
from playground.qt.plots.decimated_item import DecimatedItem
from playground.qt.plots.hover_readout import HoverReadout
from playground.qt.plots.legend import PlotLegend
from playground.qt.plots.stepped_range import SteppedRange
from playground.snapshot import Snapshot


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
