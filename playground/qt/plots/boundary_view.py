"""The decision boundary: the network's output over the data plane, with the data on top.

Renders only from Snapshots. The heatmap is one persistent ImageItem (row-major, float32 with
fixed levels and the shared 256-entry LUT, or a uint8 RGB image for multi-class); the points
are two persistent ScatterPlotItems rebuilt only when ``snapshot.data.version`` changes.

What the colours mean:
- binary classification (sigmoid): probability of class 1, 0 orange … 1 blue;
- multi-class (softmax): class colours blended by probability;
- regression: the value on a symmetric scale fixed per dataset (negative orange, positive blue).
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from playground.qt import theme
from playground.snapshot import Snapshot

# the background is lightened so the saturated data points stand out against it
BACKGROUND_LIGHTEN = 0.3

# outlines are drawn over the (light) map colours, not over the themed background, so they
# stay the same in dark mode: white for training points, near-black for test points; a training
# point whose fill is itself light (a regression target near 0 is the palette's near-white
# middle) gets a dark outline instead, or it would vanish into the lightened map behind it
TRAIN_OUTLINE = "#ffffff"
LIGHT_POINT_OUTLINE = "#505050"
TEST_OUTLINE = "#202020"
LIGHT_FILL = 0.6      # relative luminance above which a fill counts as light

PROBABILITY = "probability"
CLASSES = "classes"
VALUE = "value"
NEURON = "neuron"


def output_mode(snapshot: Snapshot) -> str:
    """How the output is coloured: PROBABILITY, CLASSES or VALUE."""
    if snapshot.data.kind == "regression" or snapshot.structure.output_activation == "linear":
        return VALUE
    return CLASSES if snapshot.grid_output.shape[-1] > 1 else PROBABILITY


class MapImageItem(pg.ImageItem):
    """An ImageItem whose rendered QImage is RGB32, made straight from the shared LUT.

    pyqtgraph renders a LUT-coloured map as an 8-bit indexed QImage, building its 256-entry
    colour table in Python on every frame, and the raster painter converts an indexed (or RGB888)
    image again on every repaint while scaling it up to the plot: ~1 ms for 100 × 100 shown at
    ~400 px, against ~0.13 ms for RGB32. A scalar map with a 256-colour LUT is coloured here with
    theme.lut_indices; anything else (class colours) is rendered by pyqtgraph and converted once.
    """

    def setLookupTable(self, lut, update=True) -> None:
        self._rgb32_lut = None if lut is None else theme.rgb32_table(np.asarray(lut))
        super().setLookupTable(lut, update)

    def render(self) -> None:
        image, table = self.image, getattr(self, "_rgb32_lut", None)
        if (image is None or image.ndim != 2 or table is None or self.levels is None
                or self.autoDownsample or self.axisOrder != "row-major"):
            super().render()
            if self.qimage is not None and self.qimage.format() not in _FAST_FORMATS:
                self.qimage = self.qimage.convertToFormat(
                    QtGui.QImage.Format.Format_ARGB32_Premultiplied
                    if self.qimage.hasAlphaChannel() else QtGui.QImage.Format.Format_RGB32)
            return
        low, high = (float(level) for level in self.levels)
        pixels = table[theme.lut_indices(image, low, high)]
        height, width = pixels.shape
        self.qimage = QtGui.QImage(pixels.data, width, height, 4 * width,
                                   QtGui.QImage.Format.Format_RGB32)
        self._rgb32_pixels = pixels          # the QImage reads this buffer: keep it alive
        self._unrenderable = False
        self._renderRequired = False


_FAST_FORMATS = (QtGui.QImage.Format.Format_RGB32, QtGui.QImage.Format.Format_ARGB32_Premultiplied)


def blend_class_colors(probabilities: np.ndarray, lighten: float = 0.0) -> np.ndarray:
    """(h, w, k) class probabilities → (h, w, 3) uint8 RGB, each class colour weighted.

    An undefined probability (NaN, from a diverged network) weighs nothing: such a pixel is
    drawn dark rather than making NumPy cast NaN to a colour.
    """
    colors = theme.class_colors_rgb(probabilities.shape[-1])
    colors = colors + (255.0 - colors) * lighten
    weights = np.nan_to_num(probabilities.astype(np.float32), nan=0.0)
    rgb = np.tensordot(weights, colors, axes=([2], [0]))
    return np.clip(rgb + 0.5, 0, 255).astype(np.uint8)


class BoundaryView(pg.GraphicsLayoutWidget):
    """Heatmap of the network output (or of one neuron) with train and test points.

    ``set_show_test``, ``set_discretize``, ``show_neuron_map(layer, unit)`` and
    ``clear_neuron_map()`` change what is drawn; ``layer`` indexes snapshot.neuron_maps
    (0 = first hidden layer, last = output layer).
    """

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        # GraphicsLayoutWidget copies its layout's clear (remove every item) onto the instance;
        # our clear() is the views' common "forget the snapshot" and must not be shadowed
        del self.clear
        self.plot = self.addPlot(row=0, col=0)
        self.plot.setAspectLocked(True)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setLabel("bottom", "x₁")
        self.plot.setLabel("left", "x₂")
        for axis in ("left", "bottom"):
            # the plane never moves: keep the axes as pixmaps instead of redrawing their text
            self.plot.getAxis(axis).setCacheMode(
                QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.image = MapImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.train_points = pg.ScatterPlotItem(size=7, pxMode=True, symbol="o")
        self.test_points = pg.ScatterPlotItem(size=7, pxMode=True, symbol="o")
        self.test_points.setZValue(2)
        self.train_points.setZValue(1)
        for points in (self.train_points, self.test_points):
            # the map under the points changes every frame, the points only with the data:
            # blit them from a pixmap instead of placing every symbol again (~0.7 ms a frame)
            points.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.plot.addItem(self.train_points)
        self.plot.addItem(self.test_points)
        self.test_points.hide()
        self.color_bar = pg.ColorBarItem(values=(0.0, 1.0), width=12, interactive=False,
                                         colorMap=theme.diverging_colormap(BACKGROUND_LIGHTEN),
                                         colorMapMenu=False)
        self.addItem(self.color_bar, row=0, col=1)
        self.class_legend = pg.LegendItem(offset=(-6, 6), labelTextSize="8pt")
        self.class_legend.setParentItem(self.plot.getViewBox())
        self.class_legend.hide()

        self.discretize = False
        self.show_test = False
        self.neuron_map: tuple[int, int] | None = None
        self.mode: str | None = None          # the mode currently drawn (for tests and the window)
        self.levels: tuple[float, float] = (0.0, 1.0)
        self._snapshot: Snapshot | None = None
        self._data_version: int | None = None
        self._extent: tuple[float, float, float, float] | None = None
        self._value_scale = 1.0
        self._mode_key = None
        self.setMinimumSize(200, 180)
        self.apply_theme()

    # --- public API -------------------------------------------------------------------------
    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Draw ``snapshot``'s output map; points are refreshed when the data changed."""
        previous = self._snapshot
        self._snapshot = snapshot
        if snapshot.data.version != self._data_version:
            self._data_version = snapshot.data.version
            self._update_points(snapshot)
        if previous is not None and previous.structure.version != snapshot.structure.version:
            self.neuron_map = None      # the unit may no longer exist
        self._render()

    def clear(self) -> None:
        """Forget the current snapshot and draw nothing."""
        self._snapshot = None
        self._data_version = None
        self._extent = None
        self.mode = None
        self._mode_key = None
        self.image.clear()
        self.train_points.setData([], [])
        self.test_points.setData([], [])

    def set_show_test(self, visible: bool) -> None:
        self.show_test = bool(visible)
        self.test_points.setVisible(self.show_test)

    def set_discretize(self, enabled: bool) -> None:
        """Show hard decisions (threshold 0.5 / argmax / sign) instead of the soft output."""
        self.discretize = bool(enabled)
        self._render()

    def show_neuron_map(self, layer: int, unit: int) -> None:
        """Show one neuron's activation over the plane instead of the output."""
        self.neuron_map = (int(layer), int(unit))
        self._render()

    def clear_neuron_map(self) -> None:
        self.neuron_map = None
        self._render()

    def apply_theme(self) -> None:
        palette = self.palette()
        foreground = theme.plot_foreground(palette)
        self.setBackground(theme.plot_background(palette))
        theme.apply_plot_theme(self.plot, self)
        self.color_bar.axis.setPen(pg.mkPen(foreground))
        self.color_bar.axis.setTextPen(pg.mkPen(foreground))
        self.class_legend.setLabelTextColor(foreground)

    def changeEvent(self, event: QtCore.QEvent) -> None:
        # the base constructor changes the palette before our items exist
        if event.type() == QtCore.QEvent.Type.PaletteChange and "color_bar" in self.__dict__:
            self.apply_theme()
        super().changeEvent(event)

    # --- drawing ----------------------------------------------------------------------------
    def _render(self) -> None:
        snapshot = self._snapshot
        if snapshot is None:
            return
        if self.neuron_map is not None and self._neuron_map_exists(snapshot):
            self._render_neuron(snapshot, *self.neuron_map)
            return
        mode = output_mode(snapshot)
        output = snapshot.grid_output
        if mode == CLASSES:
            probabilities = output
            if self.discretize:
                probabilities = np.eye(output.shape[-1], dtype=np.float32)[output.argmax(axis=2)]
            self._set_mode(CLASSES, snapshot)
            self._set_image(blend_class_colors(probabilities, BACKGROUND_LIGHTEN), (0, 255),
                            snapshot)
            return
        values = output[..., 0]
        if mode == PROBABILITY:
            levels = (0.0, 1.0)
            if self.discretize:
                values = (values >= 0.5).astype(np.float32)
        else:
            levels = (-self._value_scale, self._value_scale)
            if self.discretize:
                values = np.where(values >= 0.0, levels[1], levels[0]).astype(np.float32)
        self._set_mode(mode, snapshot, levels)
        self._set_image(values, levels, snapshot)

    def _render_neuron(self, snapshot: Snapshot, layer: int, unit: int) -> None:
        values = snapshot.neuron_maps[layer][..., unit]
        activation = (snapshot.structure.activations[layer]
                      if layer < len(snapshot.structure.activations)
                      else snapshot.structure.output_activation)
        levels = theme.activation_levels(activation, values)
        self._set_mode(NEURON, snapshot, levels, label=f"neuron {layer + 1}.{unit + 1}")
        self._set_image(values, levels, snapshot)

    def _neuron_map_exists(self, snapshot: Snapshot) -> bool:
        layer, unit = self.neuron_map
        maps = snapshot.neuron_maps
        return 0 <= layer < len(maps) and 0 <= unit < maps[layer].shape[-1]

    def _set_mode(self, mode: str, snapshot: Snapshot, levels: tuple[float, float] = (0, 1),
                  label: str | None = None) -> None:
        """Switch LUT, colour bar and legend; cheap when nothing changed."""
        key = (mode, levels, label, snapshot.data.n_classes)
        if key == self._mode_key:
            return
        self._mode_key = key
        self.mode = mode
        self.levels = levels
        if mode == CLASSES:
            self.image.setLookupTable(None)
            self.color_bar.hide()
            self._fill_class_legend(snapshot.data.n_classes or snapshot.grid_output.shape[-1])
            self.class_legend.show()
            return
        self.class_legend.hide()
        self.color_bar.show()
        self.image.setLookupTable(theme.diverging_lut(BACKGROUND_LIGHTEN))
        self.color_bar.setLevels(levels)
        if label is None:
            label = "P(class 1)" if mode == PROBABILITY else "output"
        self.color_bar.axis.setLabel(label)

    def _fill_class_legend(self, n_classes: int) -> None:
        self.class_legend.clear()
        for k in range(n_classes):
            sample = pg.ScatterPlotItem(symbol="s", size=10, brush=pg.mkBrush(theme.class_color(k)),
                                        pen=pg.mkPen(theme.plot_foreground(self.palette())))
            self.class_legend.addItem(sample, f"class {k}")

    def _set_image(self, image: np.ndarray, levels, snapshot: Snapshot) -> None:
        extent = snapshot.grid_extent
        xmin, xmax, ymin, ymax = extent
        # ImageItem keeps a view of the array: hand over arrays nobody writes (snapshot arrays
        # are read-only; arrays computed here are new each time)
        self.image.setImage(image, levels=levels, autoLevels=False,
                            rect=QtCore.QRectF(xmin, ymin, xmax - xmin, ymax - ymin))
        if extent != self._extent:
            self._extent = extent
            self.plot.setRange(xRange=(xmin, xmax), yRange=(ymin, ymax), padding=0.02)

    def _update_points(self, snapshot: Snapshot) -> None:
        data = snapshot.data
        if data.kind == "regression":
            values = np.concatenate([data.y_train, data.y_test]).astype(np.float64)
            finite = values[np.isfinite(values)]
            # fixed per dataset so colours do not drift while training
            self._value_scale = max(1.0, float(np.max(np.abs(finite)))) if finite.size else 1.0
        brushes = self._brushes(data, data.y_train)
        self.train_points.setData(pos=np.asarray(data.X_train, dtype=np.float64),
                                  brush=brushes, pen=train_outlines(brushes))
        self.test_points.setData(pos=np.asarray(data.X_test, dtype=np.float64),
                                 brush=self._brushes(data, data.y_test),
                                 pen=pg.mkPen(TEST_OUTLINE, width=1.5))

    def _brushes(self, data, labels: np.ndarray) -> list[QtGui.QBrush]:
        if data.kind == "regression":
            lut = theme.diverging_lut()
            indices = theme.lut_indices(labels, -self._value_scale, self._value_scale)
            cache = {}
            brushes = []
            for index in indices:
                if index not in cache:
                    cache[index] = pg.mkBrush(*lut[index])
                brushes.append(cache[index])
            return brushes
        by_class = [pg.mkBrush(theme.class_color(k)) for k in range(max(data.n_classes, 1))]
        return [by_class[int(label) % len(by_class)] for label in labels]


def relative_luminance(color: QtGui.QColor) -> float:
    """WCAG relative luminance of a colour, 0 (black) … 1 (white)."""
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4
    return (0.2126 * linear(color.redF()) + 0.7152 * linear(color.greenF())
            + 0.0722 * linear(color.blueF()))


def train_outlines(brushes: list[QtGui.QBrush]) -> list[QtGui.QPen]:
    """One outline per training point: white, or dark around a light fill."""
    light, dark = pg.mkPen(TRAIN_OUTLINE, width=1), pg.mkPen(LIGHT_POINT_OUTLINE, width=1)
    pens, by_brush = [], {}
    for brush in brushes:
        key = brush.color().rgba()
        if key not in by_brush:
            by_brush[key] = dark if relative_luminance(brush.color()) > LIGHT_FILL else light
        pens.append(by_brush[key])
    return pens
