"""A drawing of the current network: features, neurons as activation thumbnails, weighted links.

Renders only from Snapshots. Graphics items are created when ``structure.version`` changes and
updated in place otherwise: each LinkItem re-pens itself only when its quantised width/colour
changes, each NeuronItem swaps its thumbnail image. Items are addressable for the editor that
extends this view: ``features[i]``, ``neurons[(layer, unit)]`` and ``links[(layer, i, j)]``, where
``layer`` indexes snapshot.weights / snapshot.neuron_maps (0 = first hidden layer) and
``links[(layer, i, j)]`` shows ``weights[layer][i, j]`` from node i of the layer before.
"""
from __future__ import annotations

import time

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from playground.qt import theme
from playground.qt.snapshot import Snapshot

NODE_SIZE = 36.0          # thumbnail side, scene units
NODE_GAP = 12.0           # vertical gap between nodes
COLUMN_GAP = 120.0        # horizontal distance between columns
THUMBNAIL_PIXELS = 48     # thumbnails are downsampled to at most this many pixels a side
BIAS_SIZE = 8.0
MAX_LINK_WIDTH = 6.0
MIN_LINK_WIDTH = 0.5
LINK_WIDTH_PER_UNIT = 2.0  # pen width per unit of |w| before clamping
WEIGHT_COLOR_RANGE = 1.0   # |w| at which the link colour saturates
LINK_WIDTH_STEP = 0.5      # link pen widths are multiples of this
LINK_COLOR_LEVELS = 32     # colour steps across -WEIGHT_COLOR_RANGE … +WEIGHT_COLOR_RANGE


def map_to_image(values: np.ndarray, levels: tuple[float, float]) -> QtGui.QImage:
    """A (rows = y from ymin up) map → an RGB32 QImage in the shared palette, y up."""
    stride = max(1, int(np.ceil(max(values.shape) / THUMBNAIL_PIXELS)))
    pixels = theme.diverging_lut_rgb32()[theme.lut_indices(values[::-stride, ::stride], *levels)]
    height, width = pixels.shape
    image = QtGui.QImage(pixels.data, width, height, 4 * width, QtGui.QImage.Format.Format_RGB32)
    # RGB32 is what the painter draws without converting on every repaint; copy the pixels
    # out of `pixels`, which is freed when we return
    return image.copy()


def link_styles(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pen widths and LUT indices of a whole weight matrix at once, in perceptible steps.

    Widths step by LINK_WIDTH_STEP, colours take LINK_COLOR_LEVELS + 1 of the LUT's entries
    (both ends and the neutral middle among them): finer steps are not visible on a curve a few
    pixels wide, but would make nearly every frame of training repaint every link.
    """
    magnitude = np.where(np.isfinite(weights), np.abs(weights), 0.0)   # NaN: thin and neutral
    # past the widest link the magnitude no longer matters (and near 1e308 it would overflow)
    magnitude = np.minimum(magnitude, MAX_LINK_WIDTH / LINK_WIDTH_PER_UNIT)
    widths = np.rint(np.clip(magnitude * LINK_WIDTH_PER_UNIT, MIN_LINK_WIDTH,
                             MAX_LINK_WIDTH) / LINK_WIDTH_STEP) * LINK_WIDTH_STEP
    indices = theme.lut_indices(weights, -WEIGHT_COLOR_RANGE, WEIGHT_COLOR_RANGE)
    top = theme.LUT_SIZE - 1
    levels = np.rint(indices * (LINK_COLOR_LEVELS / top))
    return widths, np.rint(levels * (top / LINK_COLOR_LEVELS)).astype(np.int64)


def link_style(weight: float) -> tuple[float, int]:
    """(quantised pen width, LUT index) of a weight; equal styles need no repaint."""
    widths, indices = link_styles(np.array([weight], dtype=np.float64))
    return float(widths[0]), int(indices[0])


def link_color(index: int) -> QtGui.QColor:
    """The palette colour of a LUT index, fading out towards the neutral middle.

    The fade lets near-zero weights sink into the background in dark mode too (the palette's
    near-white middle would otherwise glare on a dark background).
    """
    r, g, b = theme.diverging_lut()[index]
    strength = abs(index - (theme.LUT_SIZE - 1) / 2.0) / ((theme.LUT_SIZE - 1) / 2.0)
    return QtGui.QColor(int(r), int(g), int(b), int(round(60 + 195 * strength)))


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

    def set_image(self, image: QtGui.QImage) -> None:
        self.image = image
        self.update()

    def set_pixels(self, pixels: np.ndarray) -> None:
        """Show (h, w) uint32 0xffRRGGBB pixels, written into the item's own RGB32 image
        (no new image per frame once the size is known)."""
        height, width = pixels.shape
        image = self.image
        if image is None or image.width() != width or image.height() != height \
                or image.format() != QtGui.QImage.Format.Format_RGB32:
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
    """An input feature: its map over the plane and its label on the left."""

    def __init__(self, index: int, name: str, label: str) -> None:
        super().__init__(label)
        self.index = index
        self.name = name
        self.text = QtWidgets.QGraphicsSimpleTextItem(label, self)
        rect = self.text.boundingRect()
        self.text.setPos(-rect.width() - 6.0, (NODE_SIZE - rect.height()) / 2.0)
        self.setToolTip(f"input feature {label}")


class NeuronItem(ThumbnailItem):
    """A hidden or output neuron: its activation map and a small square showing its bias."""

    def __init__(self, layer: int, unit: int, activation: str, on_hover=None) -> None:
        super().__init__(f"neuron {layer + 1}.{unit + 1}")
        # on_hover(layer, unit) on enter and on_hover(-1, -1) on leave (items are no QObjects)
        self.on_hover = on_hover
        self.layer = layer
        self.unit = unit
        self.activation = activation
        self.bias = 0.0
        self._bias_color = QtGui.QColor(theme.NEUTRAL)

    def set_bias(self, bias: float) -> None:
        self.bias = float(bias)
        color = theme.value_color(self.bias, -WEIGHT_COLOR_RANGE, WEIGHT_COLOR_RANGE)
        if color != self._bias_color:
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
        bias_rect = QtCore.QRectF(-BIAS_SIZE / 2.0, NODE_SIZE - BIAS_SIZE / 2.0,
                                  BIAS_SIZE, BIAS_SIZE)
        painter.setBrush(self._bias_color)
        painter.drawRect(bias_rect)


class LinkItem(QtWidgets.QGraphicsPathItem):
    """The weight W[layer][i, j]: a curve whose width grows with |w|, coloured by sign.

    The item holds the link's path, pen and weight and answers hit tests (shape), but does not
    paint itself: NetworkView draws all links into its cached background, because thousands
    of separately painted items cost ~200 ms a frame for an 8 x 32 network. Child items (e.g.
    highlight overlays) still paint normally, above the links and below the nodes.
    """

    def __init__(self, layer: int, i: int, j: int) -> None:
        super().__init__()
        self.layer, self.i, self.j = layer, i, j
        self.weight = 0.0
        self.style: tuple[float, int] | None = None
        self.setZValue(-1)
        self.setFlag(QtWidgets.QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, True)

    def set_ends(self, start: QtCore.QPointF, end: QtCore.QPointF) -> None:
        """Route the link as an S-curve from the source's right edge to the target's left."""
        path = QtGui.QPainterPath(start)
        middle = (start.x() + end.x()) / 2.0
        path.cubicTo(QtCore.QPointF(middle, start.y()), QtCore.QPointF(middle, end.y()), end)
        self.setPath(path)

    @property
    def key(self) -> tuple[int, int, int]:
        return self.layer, self.i, self.j

    def set_weight(self, weight: float, style: tuple[float, int] | None = None) -> bool:
        """Show ``weight``; ``style`` may be passed precomputed (see link_styles).

        Returns True when the drawn style changed (the view then redraws its links).
        """
        self.weight = float(weight)
        style = link_style(self.weight) if style is None else style
        if style == self.style:
            return False
        self.style = style
        width, index = style
        pen = QtGui.QPen(link_color(index), width)
        pen.setCapStyle(QtCore.Qt.PenCapStyle.FlatCap)
        self.setPen(pen)
        return True


class NetworkView(QtWidgets.QGraphicsView):
    """Read-only drawing of the network in the latest snapshot, fitted to the widget.

    Signals: sigNeuronHovered(layer, unit) when the mouse enters a neuron, (-1, -1) when it
    leaves — the window can show that neuron's map in the boundary view.
    """

    sigNeuronHovered = QtCore.Signal(int, int)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QtWidgets.QGraphicsScene(self))
        # items change every frame: a spatial index would be rebuilt constantly
        self.scene().setItemIndexMethod(QtWidgets.QGraphicsScene.ItemIndexMethod.NoIndex)
        self.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        # links are drawn in the background, which is cached and redrawn only when they change
        self.setCacheMode(QtWidgets.QGraphicsView.CacheModeFlag.CacheBackground)
        self._link_paint_seconds = 0.0
        self._links_painted_at = -np.inf
        # False until show_snapshot styles the links (a subclass may draw them its own way)
        self._links_styled = False
        self._link_redraw = QtCore.QTimer(self)
        self._link_redraw.setSingleShot(True)
        self._link_redraw.timeout.connect(self.redraw_links)
        self.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumSize(200, 160)
        self.features: list[FeatureItem] = []
        self.neurons: dict[tuple[int, int], NeuronItem] = {}
        self.links: dict[tuple[int, int, int], LinkItem] = {}
        self.layer_labels: list[QtWidgets.QGraphicsSimpleTextItem] = []
        self.columns: list[list[ThumbnailItem]] = []
        self._column_gap: float | None = None
        self._structure_version: int | None = None
        self._feature_key = None
        self.hovered: tuple[int, int] | None = None
        self.snapshot: Snapshot | None = None
        self.apply_theme()

    # --- public API -------------------------------------------------------------------------
    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Draw ``snapshot``: rebuild items if the structure changed, else update them."""
        self.snapshot = snapshot
        if snapshot.structure.version != self._structure_version:
            self._rebuild(snapshot)
        self._update_features(snapshot)
        # styles for whole matrices at once: big networks have thousands of links
        per_layer = [(W.tolist(), *(a.tolist() for a in link_styles(W))) for W in snapshot.weights]
        changed = False
        self._links_styled = True
        for (layer, i, j), link in self.links.items():
            weights, widths, indices = per_layer[layer]
            changed |= link.set_weight(weights[i][j], (widths[i][j], indices[i][j]))
        if changed:
            self._links_changed()
        for (layer, unit), neuron in self.neurons.items():
            values = snapshot.neuron_maps[layer][..., unit]
            neuron.set_image(map_to_image(values, theme.activation_levels(neuron.activation,
                                                                          values)))
            neuron.set_bias(snapshot.biases[layer][unit])

    def clear(self) -> None:
        """Remove every item (the next snapshot rebuilds them)."""
        self._link_redraw.stop()
        self._links_styled = False
        self.scene().clear()
        self.features, self.neurons, self.links, self.layer_labels = [], {}, {}, []
        self.columns = []
        self._column_gap = None
        self._structure_version = None
        self._feature_key = None
        self.snapshot = None

    def apply_theme(self) -> None:
        palette = self.palette()
        self.setBackgroundBrush(theme.plot_background(palette))
        self.resetCachedContent()
        foreground = theme.plot_foreground(palette)
        for label in self.layer_labels:
            label.setBrush(foreground)
        for node in [*self.features, *self.neurons.values()]:
            node.set_frame_color(theme.muted_foreground(palette))
            if isinstance(node, FeatureItem):
                node.text.setBrush(foreground)

    # --- links, drawn in the cached background ------------------------------------------------
    # Redrawing the links costs ~0.1 ms for the default network but ~200 ms for 8 x 32, so
    # links that took more than LINK_FREE_SECONDS to draw are redrawn at most once per
    # LINK_REDRAW_FACTOR times their last cost: every frame for small networks, every few
    # seconds for huge ones. redraw_links() forces it (e.g. before a screenshot).
    LINK_REDRAW_FACTOR = 10.0
    LINK_FREE_SECONDS = 0.005

    def drawBackground(self, painter: QtGui.QPainter, rect: QtCore.QRectF) -> None:
        super().drawBackground(painter, rect)
        if not self._links_styled:
            return
        started = time.perf_counter()
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        for link in self.links.values():
            if link.isVisible() and link.style is not None and rect.intersects(link.boundingRect()):
                painter.setPen(link.pen())
                painter.drawPath(link.path())
        self._links_painted_at = time.perf_counter()
        self._link_paint_seconds = self._links_painted_at - started

    def _links_changed(self) -> None:
        cost = self._link_paint_seconds
        wait = self.LINK_REDRAW_FACTOR * cost if cost > self.LINK_FREE_SECONDS else 0.0
        since = time.perf_counter() - self._links_painted_at
        if since >= wait:
            self.redraw_links()
        elif not self._link_redraw.isActive():
            self._link_redraw.start(int((wait - since) * 1000.0) + 1)

    def redraw_links(self) -> None:
        """Redraw the links now (cancels a postponed redraw)."""
        self._link_redraw.stop()
        self.resetCachedContent()
        self.viewport().update()

    def changeEvent(self, event: QtCore.QEvent) -> None:
        if event.type() == QtCore.QEvent.Type.PaletteChange and "neurons" in self.__dict__:
            self.apply_theme()
        super().changeEvent(event)

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    # --- building ---------------------------------------------------------------------------
    def _rebuild(self, snapshot: Snapshot) -> None:
        self.clear()
        self.snapshot = snapshot
        structure = snapshot.structure
        self._structure_version = structure.version
        sizes = structure.layer_sizes
        labels = _feature_labels()
        self.features = [FeatureItem(i, name, labels.get(name, name))
                         for i, name in enumerate(structure.features)]
        self.columns: list[list[ThumbnailItem]] = [list(self.features)]
        n_layers = len(sizes) - 1
        for layer in range(n_layers):
            activation = (structure.activations[layer] if layer < n_layers - 1
                          else structure.output_activation)
            column = []
            for unit in range(sizes[layer + 1]):
                neuron = NeuronItem(layer, unit, activation, on_hover=self._on_neuron_hover)
                self.neurons[(layer, unit)] = neuron
                column.append(neuron)
            self.columns.append(column)
        for layer in range(n_layers):
            for i in range(len(self.columns[layer])):
                for j in range(len(self.columns[layer + 1])):
                    self.links[(layer, i, j)] = LinkItem(layer, i, j)
        for item in [*self.features, *self.neurons.values(), *self.links.values()]:
            self.scene().addItem(item)
        self._add_layer_labels(structure)
        self._column_gap = None
        self.apply_theme()
        self._fit()

    def _layout(self, column_gap: float) -> None:
        """Place nodes in columns (centred vertically) and route the links between them."""
        self._column_gap = column_gap
        tallest = max(len(column) for column in self.columns)
        for index, column in enumerate(self.columns):
            offset = (tallest - len(column)) * (NODE_SIZE + NODE_GAP) / 2.0
            for row, item in enumerate(column):
                item.setPos(index * column_gap, offset + row * (NODE_SIZE + NODE_GAP))
        for (layer, i, j), link in self.links.items():
            link.set_ends(self.columns[layer][i].anchor_out(),
                          self.columns[layer + 1][j].anchor_in())
        for index, label in enumerate(self.layer_labels):
            rect = label.boundingRect()
            label.setPos(index * column_gap + (NODE_SIZE - rect.width()) / 2.0,
                         -rect.height() - 8.0)

    def _column_gap_for_view(self) -> float:
        """Spread the columns so the drawing fills the widget's aspect ratio (tall networks)."""
        tallest = max(len(column) for column in self.columns)
        height = tallest * (NODE_SIZE + NODE_GAP) + 60.0
        aspect = max(self.viewport().width(), 1) / max(self.viewport().height(), 1)
        wanted = (height * aspect - NODE_SIZE - 120.0) / max(len(self.columns) - 1, 1)
        return float(np.clip(wanted, COLUMN_GAP, 4.0 * COLUMN_GAP))

    def _add_layer_labels(self, structure) -> None:
        sizes = structure.layer_sizes
        n_layers = len(sizes) - 1
        texts = [f"Input\n{sizes[0]} feature{'s' * (sizes[0] != 1)}"]
        for layer in range(n_layers - 1):
            texts.append(f"Hidden {layer + 1}\n{sizes[layer + 1]} · {structure.activations[layer]}")
        texts.append(f"Output\n{sizes[-1]} · {structure.output_activation}")
        for text in texts:
            label = QtWidgets.QGraphicsSimpleTextItem(text)
            self.scene().addItem(label)
            self.layer_labels.append(label)

    def _update_features(self, snapshot: Snapshot) -> None:
        """Feature maps depend only on the features and the plane: compute them once."""
        key = (self._structure_version, snapshot.grid_extent)
        if key == self._feature_key or not self.features:
            return
        self._feature_key = key
        from playground.data import feature_matrix

        xmin, xmax, ymin, ymax = snapshot.grid_extent
        gx, gy = np.meshgrid(np.linspace(xmin, xmax, THUMBNAIL_PIXELS),
                             np.linspace(ymin, ymax, THUMBNAIL_PIXELS))
        values = feature_matrix(np.column_stack([gx.ravel(), gy.ravel()]),
                                [item.name for item in self.features])
        for column, item in enumerate(self.features):
            plane = values[:, column].reshape(THUMBNAIL_PIXELS, THUMBNAIL_PIXELS)
            item.set_image(map_to_image(plane, theme.activation_levels("", plane)))

    def _fit(self) -> None:
        if not self.neurons:
            return
        gap = self._column_gap_for_view()
        if self._column_gap is None or abs(gap - self._column_gap) > 1.0:
            self._layout(gap)
        rect = self.scene().itemsBoundingRect().adjusted(-8.0, -8.0, 8.0, 8.0)
        self.setSceneRect(rect)
        self.fitInView(rect, QtCore.Qt.AspectRatioMode.KeepAspectRatio)

    def _on_neuron_hover(self, layer: int, unit: int) -> None:
        self.hovered = None if layer < 0 else (layer, unit)
        self.sigNeuronHovered.emit(layer, unit)


def _feature_labels() -> dict[str, str]:
    """Display labels of the input features (x₁, sin(x₂), …) from the data package."""
    from playground.data import FEATURES

    return {name: feature.label for name, feature in FEATURES.items()}


def _demo(argv: list[str]) -> int:
    """Show a demo network: ``[--deep] [--screenshot PATH]`` (--deep = 8 hidden layers x 32)."""
    from playground.qt.demo_snapshot import demo_snapshot

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(argv)
    hidden = (32,) * 8 if "--deep" in argv else (4, 2)
    features = ("x1", "x2", "x1_sq", "x2_sq", "sin_x1") if "--deep" in argv else ("x1", "x2")
    view = NetworkView()
    view.setWindowTitle("Backprop Playground — network")
    view.resize(700, 480)
    view.show_snapshot(demo_snapshot("circle", hidden_layers=hidden, features=features,
                                     epochs=300))
    view.show()
    if "--screenshot" in argv:
        app.processEvents()
        view.grab().save(argv[argv.index("--screenshot") + 1])
        return 0
    return app.exec()


if __name__ == "__main__":
    import sys

    sys.exit(_demo(sys.argv))
