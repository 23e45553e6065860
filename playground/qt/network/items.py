"""The graphics items of the network drawing, and how weights and maps become colours.

Items are addressed with the engine's indices: NeuronItem ``(layer, unit)`` is a unit of weight
layer ``layer`` (0 = the first hidden layer, the last one is the output), LinkItem
``(layer, i, j)`` shows ``weights[layer][i, j]`` from node i of the column before. The links of
one weight matrix are painted together by one LinkLayerItem; a LinkItem only holds its path
for hit-testing and for overlays that follow it (the backprop animation).
"""
from __future__ import annotations

import functools

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from playground.qt import theme

NODE_SIZE = 36.0          # thumbnail side, scene units
NODE_GAP = 12.0           # vertical gap between nodes
THUMBNAIL_PIXELS = 48     # thumbnails are downsampled to at most this many pixels a side
BIAS_SIZE = 8.0
BUTTON_PIXELS = 18.0
MAX_LINK_WIDTH = 6.0
MIN_LINK_WIDTH = 0.5
LINK_WIDTH_PER_UNIT = 2.0  # pen width per unit of |w| before clamping
WEIGHT_COLOR_RANGE = 1.0   # |w| (or |b|) at which the colour saturates
LINK_WIDTH_STEP = 0.5      # link pen widths are multiples of this
LINK_COLOR_LEVELS = 32     # colour steps across -WEIGHT_COLOR_RANGE … +WEIGHT_COLOR_RANGE


# --- colours --------------------------------------------------------------------------------------
def link_style_codes(weights: np.ndarray) -> np.ndarray:
    """Every link's look, packed as width_quarters * 256 + LUT index, for a whole matrix at once.

    Widths step by LINK_WIDTH_STEP and colours take LINK_COLOR_LEVELS + 1 of the LUT's entries
    (both ends and the neutral middle among them): finer steps are invisible on a curve a few
    pixels wide, but would make nearly every frame of training repaint every link. Links whose
    code did not change need no repaint.
    """
    magnitude = np.where(np.isfinite(weights), np.abs(weights), 0.0)   # NaN: thin and neutral
    # past the widest link the magnitude no longer matters (and near 1e308 it would overflow)
    magnitude = np.minimum(magnitude, MAX_LINK_WIDTH / LINK_WIDTH_PER_UNIT)
    widths = np.rint(np.clip(magnitude * LINK_WIDTH_PER_UNIT, MIN_LINK_WIDTH,
                             MAX_LINK_WIDTH) / LINK_WIDTH_STEP) * LINK_WIDTH_STEP
    top = theme.LUT_SIZE - 1
    levels = np.rint(theme.lut_indices(weights, -WEIGHT_COLOR_RANGE, WEIGHT_COLOR_RANGE)
                     * (LINK_COLOR_LEVELS / top))
    indices = np.rint(levels * (top / LINK_COLOR_LEVELS)).astype(np.int64)
    return np.rint(widths * 4.0).astype(np.int64) * 256 + indices


@functools.lru_cache(maxsize=1024)
def link_pen(code: int) -> QtGui.QPen:
    """The pen of a packed link style (see link_style_codes); pens are reused across frames."""
    quarters, index = divmod(code, 256)
    r, g, b = theme.diverging_lut()[index]
    pen = QtGui.QPen(QtGui.QColor(int(r), int(g), int(b)), quarters / 4.0)
    pen.setCapStyle(QtCore.Qt.PenCapStyle.FlatCap)
    return pen


def layer_lut_indices(maps: np.ndarray, activation: str) -> np.ndarray:
    """(res, res, units) maps → (h, w, units) LUT indices of their thumbnails (y up), one pass.

    Bounded activations use their fixed range, others each map's own symmetric range.
    """
    stride = max(1, int(np.ceil(max(maps.shape[:2]) / THUMBNAIL_PIXELS)))
    sampled = maps[::-stride, ::stride, :]
    if activation in theme.BOUNDED_LEVELS:
        return theme.lut_indices(sampled, *theme.BOUNDED_LEVELS[activation])
    magnitude = np.abs(sampled)
    np.copyto(magnitude, 0.0, where=~np.isfinite(magnitude))
    scale = magnitude.max(axis=(0, 1)) if magnitude.size else np.ones(maps.shape[-1])
    high = np.where(scale > 0, scale, 1.0)
    return theme.lut_indices(sampled, -high, high)


def thumbnail_pixels(maps: np.ndarray, activation: str) -> np.ndarray:
    """(res, res, units) maps → (h, w, units) 0xffRRGGBB thumbnail pixels (y up)."""
    return theme.diverging_lut_rgb32()[layer_lut_indices(maps, activation)]


# --- nodes ----------------------------------------------------------------------------------------
class ThumbnailItem(QtWidgets.QGraphicsItem):
    """A square node showing a map over the data plane (base of features and neurons)."""

    def __init__(self, label: str) -> None:
        super().__init__()
        self.label = label
        self.image: QtGui.QImage | None = None
        self._frame_pen = QtGui.QPen(QtGui.QColor("#888888"), 1.0)
        self._frame_pen.setCosmetic(True)
        self.setAcceptHoverEvents(True)

    def boundingRect(self) -> QtCore.QRectF:
        return QtCore.QRectF(-1.0, -1.0, NODE_SIZE + 2.0, NODE_SIZE + 2.0)

    def set_frame_color(self, color: QtGui.QColor) -> None:
        self._frame_pen.setColor(color)
        self.update()

    def set_pixels(self, pixels: np.ndarray) -> None:
        """Show (h, w) uint32 0xffRRGGBB pixels, written into the item's own RGB32 image
        (no new image per frame once the size is known)."""
        height, width = pixels.shape
        image = self.image
        if image is None or image.width() != width or image.height() != height:
            image = self.image = QtGui.QImage(width, height, QtGui.QImage.Format.Format_RGB32)
        rows = np.frombuffer(image.bits(), np.uint32).reshape(height, image.bytesPerLine() // 4)
        rows[:, :width] = pixels
        self.update()

    def anchor_in(self) -> QtCore.QPointF:
        return self.mapToScene(QtCore.QPointF(0.0, NODE_SIZE / 2.0))

    def anchor_out(self) -> QtCore.QPointF:
        return self.mapToScene(QtCore.QPointF(NODE_SIZE, NODE_SIZE / 2.0))

    def paint(self, painter: QtGui.QPainter, option, widget=None) -> None:
        # square pixels and frames gain nothing from antialiasing, and it makes every repaint
        # of a thumbnail take the slow transformed-image path (~40 µs instead of a few)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)
        rect = QtCore.QRectF(0.0, 0.0, NODE_SIZE, NODE_SIZE)
        if self.image is not None:
            painter.drawImage(rect, self.image)
        painter.setPen(self._frame_pen)
        painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        painter.drawRect(rect)


class FeatureItem(ThumbnailItem):
    """An input feature: its map over the plane and its label on the left.

    ``index`` is its column in the network's inputs, -1 for a feature the network does not use.
    """

    def __init__(self, index: int, name: str, label: str) -> None:
        super().__init__(label)
        self.index = index
        self.name = name
        self.text = QtWidgets.QGraphicsSimpleTextItem(label, self)

    @property
    def used(self) -> bool:
        return self.index >= 0


class NeuronItem(ThumbnailItem):
    """A hidden or output neuron: its activation map and a small square showing its bias."""

    BIAS_RECT = QtCore.QRectF(-BIAS_SIZE / 2.0, NODE_SIZE - BIAS_SIZE / 2.0, BIAS_SIZE, BIAS_SIZE)

    def __init__(self, layer: int, unit: int, activation: str, on_hover=None) -> None:
        super().__init__(f"neuron {layer + 1}.{unit + 1}")
        # on_hover(layer, unit) on enter and on_hover(-1, -1) on leave (items are no QObjects)
        self.on_hover = on_hover
        self.layer = layer
        self.unit = unit
        self.activation = activation
        self.bias = 0.0
        self._bias_color = QtGui.QColor(theme.NEUTRAL)

    def set_bias_color(self, color: QtGui.QColor) -> None:
        self._bias_color = color
        self.update()

    def hoverEnterEvent(self, event) -> None:
        # tooltips are static in Qt: refresh the numbers when the mouse arrives
        self.setToolTip(f"{self.label} ({self.activation})\nbias {self.bias:.4g}")
        if self.on_hover is not None:
            self.on_hover(self.layer, self.unit)
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event) -> None:
        if self.on_hover is not None:
            self.on_hover(-1, -1)
        super().hoverLeaveEvent(event)

    def paint(self, painter: QtGui.QPainter, option, widget=None) -> None:
        super().paint(painter, option, widget)
        painter.setBrush(self._bias_color)
        painter.drawRect(self.BIAS_RECT)


class LayerButtonItem(QtWidgets.QGraphicsItem):
    """A small "+" or "−" button above a hidden column (clicks are handled by the view)."""

    def __init__(self, layer: int, delta: int) -> None:
        super().__init__()
        self.layer, self.delta = layer, delta
        self.enabled = True
        self.setToolTip(f"{'Add a neuron to' if delta > 0 else 'Remove a neuron from'} "
                        f"hidden layer {layer + 1}")
        self.setZValue(2)
        # a button keeps its pixel size however far a large network is scaled down
        self.setFlag(QtWidgets.QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)

    def boundingRect(self) -> QtCore.QRectF:
        return QtCore.QRectF(0.0, 0.0, BUTTON_PIXELS, BUTTON_PIXELS)

    def set_enabled(self, enabled: bool) -> None:
        if enabled != self.enabled:
            self.enabled = enabled
            self.update()

    def paint(self, painter: QtGui.QPainter, option, widget=None) -> None:
        palette = widget.palette() if widget is not None else QtWidgets.QApplication.palette()
        rect = self.boundingRect().adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(theme.muted_foreground(palette))
        painter.setBrush(palette.color(QtGui.QPalette.ColorRole.Button))
        painter.drawRoundedRect(rect, 3.0, 3.0)
        text = theme.plot_foreground(palette) if self.enabled else theme.muted_foreground(palette)
        painter.setPen(QtGui.QPen(text, 1.6))
        middle = BUTTON_PIXELS / 2.0
        painter.drawLine(QtCore.QPointF(5.0, middle), QtCore.QPointF(BUTTON_PIXELS - 5.0, middle))
        if self.delta > 0:
            painter.drawLine(QtCore.QPointF(middle, 5.0),
                             QtCore.QPointF(middle, BUTTON_PIXELS - 5.0))


# --- links ----------------------------------------------------------------------------------------
class LinkItem(QtWidgets.QGraphicsPathItem):
    """The path of weight W[layer][i, j]: found by hit-tests, painted by its LinkLayerItem.

    Child items (the backprop animation's overlays) still paint, and follow the path.
    """

    def __init__(self, layer: int, i: int, j: int) -> None:
        super().__init__()
        self.layer, self.i, self.j = layer, i, j
        self.setZValue(-1)
        self.setFlag(QtWidgets.QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, True)

    @property
    def key(self) -> tuple[int, int, int]:
        return self.layer, self.i, self.j

    def set_ends(self, start: QtCore.QPointF, end: QtCore.QPointF) -> None:
        """Route the link as an S-curve from the source's right edge to the target's left."""
        path = QtGui.QPainterPath(start)
        middle = (start.x() + end.x()) / 2.0
        path.cubicTo(QtCore.QPointF(middle, start.y()), QtCore.QPointF(middle, end.y()), end)
        self.setPath(path)

    def distance_to(self, point: QtCore.QPointF, samples: int = 64) -> float:
        """Distance from ``point`` to the curve, sampled along its length."""
        path = self.path()
        points = np.array([(p.x(), p.y()) for p in map(path.pointAtPercent,
                                                       np.linspace(0.0, 1.0, samples))])
        return float(np.min(np.hypot(points[:, 0] - point.x(), points[:, 1] - point.y())))


class LinkLayerItem(QtWidgets.QGraphicsItem):
    """Every link of one weight matrix, painted in one call and cached as a device pixmap.

    One item per layer instead of one painted item per link: thousands of separately painted
    items cost ~200 ms a frame for an 8 × 32 network, and other changes (thumbnails) blit the
    cached links instead of drawing them again. ``drawn`` counts the links the last paint drew.
    """

    def __init__(self, layer: int, links: list[LinkItem]) -> None:
        super().__init__()
        self.layer = layer
        self.links = links                      # row-major: (i, j) at i * n_out + j
        self.codes: np.ndarray | None = None    # packed styles, same shape as the weights
        self.drawn = 0
        self._rect = QtCore.QRectF()
        self._paths: list[QtGui.QPainterPath] = []
        self.setZValue(-1)
        self.setAcceptedMouseButtons(QtCore.Qt.MouseButton.NoButton)
        self.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def relayout(self) -> None:
        """The links were routed anew: take their new extent."""
        self.prepareGeometryChange()
        self._paths = [link.path() for link in self.links]     # path() returns a copy
        rect = QtCore.QRectF()
        for path in self._paths:
            rect = rect.united(path.controlPointRect())
        margin = MAX_LINK_WIDTH
        self._rect = rect.adjusted(-margin, -margin, margin, margin)
        self.update()

    def set_codes(self, codes: np.ndarray) -> None:
        self.codes = codes
        self.update()

    def pen_of(self, i: int, j: int) -> QtGui.QPen | None:
        """The pen link (i, j) is drawn with (None before the first weights arrive)."""
        return None if self.codes is None else link_pen(int(self.codes[i, j]))

    def boundingRect(self) -> QtCore.QRectF:
        return self._rect

    def paint(self, painter: QtGui.QPainter, option, widget=None) -> None:
        self.drawn = 0
        if self.codes is None or len(self._paths) != self.codes.size:
            return
        codes = self.codes.ravel()
        order = np.argsort(codes, kind="stable")     # group equal pens: one setPen per style
        painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        paths = self._paths
        current = -1
        for index, code in zip(order.tolist(), codes[order].tolist()):
            if code != current:
                current = code
                painter.setPen(link_pen(code))
            painter.drawPath(paths[index])
        self.drawn = len(order)
