"""The Landscape panel: the training loss on a plane through the weights, with the path to them.

A heatmap of L(W₀ + a·d₁ + b·d₂) on a grid (log colour scale, contour lines), the optimizer's
path projected onto the plane and the weights now. The directions are the two principal
directions of the path (they show the path best) or filter-normalised random directions (Li et
al. 2018: the shape of the loss around the weights). The numbers are the snapshot's
``landscape`` (``playground.snapshot.LandscapeView``), which the worker computes a few rows at
a time, only while the panel is shown; the first slice of a run fills in row by row.
"""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from playground.commands import LANDSCAPE_RESOLUTIONS
from playground.qt import theme
from playground.qt.analysis.side_column import (choice_box, plot_beside_column,
                                                readout_label)
from playground.qt.widgets import describe
from playground.snapshot import LandscapeView, Snapshot

DIRECTION_CHOICES = (("pca", "Along the path (PCA)"), ("random", "Random (filter-normalised)"))
DEFAULT_RESOLUTION = 31
COLOUR_MAP = "viridis"          # perceptually even, readable with colour-vision deficiencies
CONTOUR_LEVELS = 8
CURRENT_COLOUR = "#ff7f0e"
SIDE_WIDTH = 250
# the heatmap's square plus its axes and colour bar: wider than this leaves empty margins
GRAPHICS_EXTRA_WIDTH = 120
LOSS_FLOOR = 1e-12              # the log colour scale of a loss of exactly 0


class LandscapePanel(QWidget):
    """A slice of the loss landscape with the optimizer's path.

    ``sigSettingsChanged(directions, resolution)`` when the user picks other directions or
    another grid; ``show_snapshot`` draws a snapshot's ``landscape`` (one without keeps the
    last drawing: the panel was hidden meanwhile).
    """

    sigSettingsChanged = Signal(str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("landscapePanel")
        self.view: LandscapeView | None = None
        self.levels: tuple[float, float] | None = None      # log10 loss at the colour ends
        self.directions_choice = choice_box(
            DIRECTION_CHOICES, "landscapeDirectionsInput", "Directions",
            "The plane's two directions: the principal directions of the optimizer's path so "
            "far, or random directions scaled to each neuron's weights.")
        self.resolution_choice = choice_box(
            [(n, f"{n} × {n}") for n in LANDSCAPE_RESOLUTIONS], "landscapeResolutionInput",
            "Grid", "Points per side of the grid; a finer grid takes longer to compute.")
        self.resolution_choice.setCurrentIndex(
            self.resolution_choice.findData(DEFAULT_RESOLUTION))
        for choice in (self.directions_choice, self.resolution_choice):
            choice.currentIndexChanged.connect(lambda _index: self.sigSettingsChanged.emit(
                self.directions(), self.resolution()))
        self.readout = readout_label("landscapeReadout")
        self.graphics = pg.GraphicsLayoutWidget()
        describe(self.graphics, "landscapePlot", "Loss landscape",
                 "The training loss on a plane through the weights (dark is low), the "
                 "optimizer's path projected onto it and the weights now (★).")
        self.graphics.setMinimumSize(200, 140)
        self._build_items()

        controls = QGridLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        controls.addWidget(QLabel("Directions"), 0, 0)
        controls.addWidget(self.directions_choice, 0, 1)
        controls.addWidget(QLabel("Grid"), 1, 0)
        controls.addWidget(self.resolution_choice, 1, 1)
        plot_beside_column(self, self.graphics, controls, self.readout, SIDE_WIDTH, widens=True)
        self.readout.setText("The loss around the weights shows here while the panel is "
                             "open; it follows training at a bounded cost.")

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        # the plane is square: the room beside it goes to the read-out
        self.graphics.setMaximumWidth(max(self.graphics.height() + GRAPHICS_EXTRA_WIDTH, 200))

    def directions(self) -> str:
        return self.directions_choice.currentData()

    def resolution(self) -> int:
        return int(self.resolution_choice.currentData())

    def set_settings(self, directions: str, resolution: int) -> None:
        self.directions_choice.setCurrentIndex(self.directions_choice.findData(directions))
        self.resolution_choice.setCurrentIndex(self.resolution_choice.findData(resolution))

    def _build_items(self) -> None:
        self.plot = self.graphics.addPlot(row=0, col=0)
        plot = self.plot
        plot.setAspectLocked(True)
        plot.hideButtons()
        plot.setMenuEnabled(False, True)
        plot.setLabel("bottom", "a (along d₁)")
        plot.setLabel("left", "b (along d₂)")
        for axis in ("left", "bottom"):
            plot.getAxis(axis).enableAutoSIPrefix(False)    # "(x0.001)" confuses more than helps
        self.image = pg.ImageItem(axisOrder="row-major")
        plot.addItem(self.image)
        self.contours = []
        for _ in range(CONTOUR_LEVELS):
            contour = pg.IsocurveItem(pen=pg.mkPen((255, 255, 255, 110), width=1))
            contour.setParentItem(self.image)
            contour.setPos(0.5, 0.5)            # vertices at pixel centres, the grid's points
            self.contours.append(contour)
        self.path_shadow = pg.PlotDataItem(pen=pg.mkPen((0, 0, 0, 160), width=4))
        self.path = pg.PlotDataItem(pen=pg.mkPen("w", width=2), symbol="o", symbolSize=4,
                                    symbolBrush="w", symbolPen=None)
        self.start = pg.ScatterPlotItem(size=10, symbol="s", brush=None,
                                        pen=pg.mkPen("w", width=2))
        self.centre = pg.ScatterPlotItem(size=12, symbol="+", pen=pg.mkPen("w", width=1.5))
        self.current = pg.ScatterPlotItem(size=16, symbol="star",
                                          brush=pg.mkBrush(CURRENT_COLOUR), pen=pg.mkPen("k"))
        for item in (self.path_shadow, self.path, self.start, self.centre, self.current):
            plot.addItem(item)
        self.color_bar = pg.ColorBarItem(values=(0.0, 1.0), width=12, interactive=False,
                                         colorMap=pg.colormap.get(COLOUR_MAP),
                                         colorMapMenu=False, label="log₁₀ loss")
        self.graphics.addItem(self.color_bar, row=0, col=1)
        theme.apply_plot_theme(plot, self.graphics)
        self._lut = pg.colormap.get(COLOUR_MAP).getLookupTable(nPts=256, alpha=True)

    # ------------------------------------------------------------------ drawing
    def show_snapshot(self, snapshot: Snapshot) -> None:
        view = snapshot.landscape
        if view is None or view is self.view:
            return
        previous, self.view = self.view, view
        if view.problem:
            self._clear(f"No landscape to show: {view.problem}")
            return
        values = np.asarray(view.values)
        same_grid = (previous is not None and not previous.problem
                     and previous.values is not None and previous.values.shape == values.shape
                     and np.array_equal(previous.a, view.a) and np.array_equal(previous.b, view.b)
                     and np.array_equal(previous.values, values, equal_nan=True))
        if not same_grid:
            self._draw_grid(view, values)
        self._draw_path(view)
        self.readout.setText(describe_landscape(view))

    def _draw_grid(self, view: LandscapeView, values: np.ndarray) -> None:
        with np.errstate(invalid="ignore", divide="ignore"):
            logs = np.log10(np.maximum(values, LOSS_FLOOR))
        finite = np.isfinite(logs)
        if not finite.any():
            self.image.clear()
            return
        low, high = float(logs[finite].min()), float(logs[finite].max())
        if not high > low:
            high = low + 1e-6
        self.levels = (low, high)
        indices = np.clip(np.rint((logs - low) / (high - low) * 255), 0, 255)
        rgba = self._lut[np.where(finite, indices, 0).astype(np.intp)]
        rgba[~finite, 3] = 0            # rows not computed yet (or non-finite) stay clear
        a, b = view.a, view.b
        da = (a[-1] - a[0]) / (len(a) - 1)
        db = (b[-1] - b[0]) / (len(b) - 1)
        self.image.setImage(rgba, autoLevels=False,
                            rect=QRectF(a[0] - da / 2, b[0] - db / 2, da * len(a), db * len(b)))
        self.color_bar.setLevels((low, high))
        complete = view.complete and finite.all()
        for k, contour in enumerate(self.contours):
            if complete:
                level = low + (high - low) * (k + 0.5) / CONTOUR_LEVELS
                contour.setData(logs, level=level)
                contour.show()
            else:
                contour.hide()
        self.plot.setRange(xRange=(a[0] - da / 2, a[-1] + da / 2),
                           yRange=(b[0] - db / 2, b[-1] + db / 2), padding=0.02)

    def _draw_path(self, view: LandscapeView) -> None:
        path = np.asarray(view.path)
        current = np.array([view.current])
        line = np.vstack([path, current]) if len(path) else current
        self.path_shadow.setData(line[:, 0], line[:, 1])
        self.path.setData(line[:, 0], line[:, 1])
        if len(path):
            self.start.setData(path[:1, 0], path[:1, 1])
        else:
            self.start.setData([], [])
        self.centre.setData([0.0], [0.0])
        self.current.setData(current[:, 0], current[:, 1])

    def _clear(self, text: str) -> None:
        self.image.clear()
        for contour in self.contours:
            contour.hide()
        for item in (self.path_shadow, self.path, self.start, self.centre, self.current):
            item.setData([], [])
        self.readout.setText(text)


def describe_landscape(view: LandscapeView) -> str:
    """The panel's read-out: what the slice is, its lowest and highest loss, what is drawn."""
    n = len(view.a)
    if view.directions == "pca":
        share = ("" if not math.isfinite(view.path_share)
                 else f": the plane holds {view.path_share:.0%} of its movement")
        directions = f"Principal directions of the path{share}."
    elif view.requested == "pca":
        directions = ("Random directions until the path has a few epochs that do not lie on "
                      "one line.")
    else:
        directions = "Filter-normalised random directions (a = 1: a step as large as the weights)."
    lines = [f"Slice through the weights of epoch {view.epoch}, {n} × {n}; loss at the centre "
             f"(+) <b>{view.centre_loss:.4g}</b>.", directions]
    values = np.asarray(view.values)
    finite = np.isfinite(values)
    if not view.complete:
        lines.append(f"Computing: {view.rows_done} of {len(view.b)} rows.")
    elif finite.any():
        i, j = np.unravel_index(np.argmin(np.where(finite, values, np.inf)), values.shape)
        lines.append(f"Lowest {values[i, j]:.4g} at a = {view.a[j]:.3g}, b = {view.b[i]:.3g}; "
                     f"highest {np.max(values[finite]):.4g}.")
    lines.append("Dark is low loss. The white line is the optimizer's path (□ its start), "
                 f"<span style='color:{CURRENT_COLOUR}'>★</span> the weights now.")
    return "<br>".join(lines)
