"""The network editor: the network drawing made editable, live from snapshots.

Extends :class:`~playground.qt.network_view.NetworkView` (which stays read-only) with:

- every input feature shown, the unused ones faded; a click switches one on or off (at least one
  stays on);
- a header bar adding or removing hidden layers (0 … MAX_HIDDEN_LAYERS) and per-layer "+"/"−"
  buttons above each hidden column (1 … MAX_UNITS neurons); a layer's activation from the context
  menu of any of its neurons;
- hover a link or a bias: a tooltip with its value and its gradient ∂L/∂w (last mini-batch);
  click one: an in-place editor sets its value.

The editor never touches the engine. Structure edits become a new
:class:`~playground.config.NetworkSpec` on ``sigNetworkChanged``; value edits go out on
``sigParameterEdited(kind, layer, index, value)``; the window forwards both to the worker.

Live updates are vectorised per layer (one NumPy pass per weight matrix and per layer of maps) and
touch only the graphics items whose look changed; items are re-created only when the snapshot's
structure version changes. Labels and buttons keep a readable pixel size however far a large
network (8 × 32) is scaled down to fit.
"""
from __future__ import annotations

import collections
import functools
from dataclasses import replace
from typing import Sequence

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from playground.config import NetworkSpec
from playground.data import FEATURE_NAMES, FEATURES, feature_matrix
from playground.engine import ACTIVATIONS
from playground.limits import MAX_HIDDEN_LAYERS, MAX_UNITS, MIN_UNITS
from playground.qt import theme
from playground.qt.network_view import (
    BIAS_SIZE, MAX_LINK_WIDTH, NODE_GAP, NODE_SIZE, THUMBNAIL_PIXELS, WEIGHT_COLOR_RANGE,
    FeatureItem, LinkItem, NetworkView, NeuronItem, link_styles,
)
from playground.qt.snapshot import Snapshot

NEW_LAYER_UNITS = 4
HEADER_PIXELS = 62.0        # room above the columns for the +/- buttons and the layer labels
LEFT_PIXELS = 56.0          # room left of the features for their labels
RIGHT_PIXELS = 40.0         # room right of the output for its label
MARGIN_PIXELS = 8.0
BUTTON_PIXELS = 18.0
MIN_COLUMN_GAP = 90.0
MAX_COLUMN_GAP = 480.0
# links restyled per frame at most: one 32 × 32 layer (~10-15 ms to paint here); a large network's
# layers take turns, so each is at most a few frames behind
LINK_BUDGET = 1100
FLUSH_INTERVAL_MS = 30
MAX_SCALE = 2.0             # small networks are not blown up beyond this
HIT_PIXELS = 5.0            # how close to a link or bias the mouse must be
FADED_OPACITY = 0.3         # features switched off
# the order of the activation context menu; any other registered activation follows
ACTIVATION_ORDER = ("tanh", "relu", "leaky_relu", "elu", "sigmoid", "softplus", "swish", "sine",
                    "linear")


def activation_names() -> list[str]:
    """Hidden-layer activations, in menu order."""
    return ([name for name in ACTIVATION_ORDER if name in ACTIVATIONS]
            + [name for name in ACTIVATIONS if name not in ACTIVATION_ORDER])


# --- pure spec edits (no Qt; the tests call them too) --------------------------------------------
def toggle_feature(spec: NetworkSpec, name: str) -> NetworkSpec:
    """Switch ``name`` on or off, features kept in canonical order; the last one stays on."""
    if name not in FEATURES:
        raise ValueError(f"unknown feature {name!r}")
    chosen = set(spec.features) ^ {name}
    if not chosen:
        return spec
    return replace(spec, features=tuple(n for n in FEATURE_NAMES if n in chosen))


def add_layer(spec: NetworkSpec) -> NetworkSpec:
    """One more hidden layer at the end, as wide as (and with the activation of) the last one."""
    if len(spec.hidden_layers) >= MAX_HIDDEN_LAYERS:
        return spec
    units = spec.hidden_layers[-1] if spec.hidden_layers else NEW_LAYER_UNITS
    activation = spec.activations[-1] if spec.activations else "tanh"
    return replace(spec, hidden_layers=(*spec.hidden_layers, units),
                   activations=(*spec.activations, activation))


def remove_layer(spec: NetworkSpec) -> NetworkSpec:
    """Drop the last hidden layer (none left is allowed: a linear model)."""
    if not spec.hidden_layers:
        return spec
    return replace(spec, hidden_layers=spec.hidden_layers[:-1],
                   activations=spec.activations[:-1])


def resize_layer(spec: NetworkSpec, layer: int, delta: int) -> NetworkSpec:
    """Add ``delta`` neurons to hidden layer ``layer``, kept within MIN_UNITS … MAX_UNITS."""
    sizes = list(spec.hidden_layers)
    sizes[layer] = int(np.clip(sizes[layer] + delta, MIN_UNITS, MAX_UNITS))
    return replace(spec, hidden_layers=tuple(sizes))


def set_layer_activation(spec: NetworkSpec, layer: int, name: str) -> NetworkSpec:
    activations = list(spec.activations)
    activations[layer] = name
    return replace(spec, activations=tuple(activations))


# --- graphics items ------------------------------------------------------------------------------
class LayerButtonItem(QtWidgets.QGraphicsItem):
    """A small "+" or "−" button above a hidden column (clicks are handled by the view)."""

    def __init__(self, layer: int, delta: int) -> None:
        super().__init__()
        self.layer, self.delta = layer, delta
        self.enabled = True
        self.setToolTip(f"{'Add a neuron to' if delta > 0 else 'Remove a neuron from'} "
                        f"hidden layer {layer + 1}")
        self.setZValue(2)

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
        text = theme.plot_foreground(palette)
        if not self.enabled:
            text = theme.muted_foreground(palette)
        pen = QtGui.QPen(text, 1.6)
        painter.setPen(pen)
        middle = BUTTON_PIXELS / 2.0
        painter.drawLine(QtCore.QPointF(5.0, middle), QtCore.QPointF(BUTTON_PIXELS - 5.0, middle))
        if self.delta > 0:
            painter.drawLine(QtCore.QPointF(middle, 5.0),
                             QtCore.QPointF(middle, BUTTON_PIXELS - 5.0))


class ValueEditor(QtWidgets.QLineEdit):
    """The in-place editor of one weight or bias: Enter applies, Escape or leaving cancels."""

    sigCommitted = QtCore.Signal(float)
    sigClosed = QtCore.Signal()

    def __init__(self, parent: QtWidgets.QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("parameterEditor")
        self.setAccessibleName("Parameter value")
        validator = QtGui.QDoubleValidator(-1e6, 1e6, 8, self)
        validator.setNotation(QtGui.QDoubleValidator.Notation.ScientificNotation)
        validator.setLocale(QtCore.QLocale.c())
        self.setValidator(validator)
        self.setFixedWidth(110)
        self.returnPressed.connect(self._commit)
        self.hide()

    def open_at(self, position: QtCore.QPoint, value: float, tooltip: str) -> None:
        self.setText(f"{value:.6g}")
        self.setToolTip(tooltip)
        self.move(position)
        self.show()
        self.raise_()
        self.setFocus(QtCore.Qt.FocusReason.MouseFocusReason)
        self.selectAll()

    def _commit(self) -> None:
        try:
            value = float(self.text())
        except ValueError:
            return
        self.hide()
        self.sigCommitted.emit(value)

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        if event.key() == QtCore.Qt.Key.Key_Escape:
            self.hide()
            return
        super().keyPressEvent(event)

    def hideEvent(self, event: QtGui.QHideEvent) -> None:
        super().hideEvent(event)
        self.sigClosed.emit()

    def focusOutEvent(self, event: QtGui.QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.hide()


# --- the editable view ---------------------------------------------------------------------------
class EditableNetworkView(NetworkView):
    """The NetworkView with every feature shown, per-layer buttons, hit-testing and fast updates.

    It only reports intent (signals); :class:`NetworkEditor` turns intent into a NetworkSpec.
    """

    sigNeuronLeft = QtCore.Signal()
    sigFeatureClicked = QtCore.Signal(str)
    sigLayerResized = QtCore.Signal(int, int)          # hidden layer, +1 / -1
    sigActivationChosen = QtCore.Signal(int, str)      # hidden layer, activation
    sigParameterEdited = QtCore.Signal(str, int, object, float)
    sigLinkClicked = QtCore.Signal(int, int, int)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        self.faded: dict[str, FeatureItem] = {}
        self.buttons: list[LayerButtonItem] = []
        self.link_layers: list[LinkLayerItem] = []
        # layer -> style codes waiting for a repaint (insertion order = oldest first)
        self._dirty: dict[int, np.ndarray] = {}
        self._bias_codes: list[np.ndarray] = []
        self._thumbnail_indices: list[np.ndarray | None] = []   # per layer, as last drawn
        self._text_scale = 1.0
        super().__init__(parent)
        # a frame dirties every thumbnail and often a layer of links, small areas spread over
        # the drawing: one repaint of their bounding rectangle is cheaper (~0.3 ms here) than
        # painting the same items clipped to a region of many rectangles
        self.setViewportUpdateMode(
            QtWidgets.QGraphicsView.ViewportUpdateMode.BoundingRectViewportUpdate)
        self.setMouseTracking(True)
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.ClickFocus)
        self.value_editor = ValueEditor(self.viewport())
        self.value_editor.sigCommitted.connect(self._commit_edit)
        self.value_editor.sigClosed.connect(self._remove_edit_marker)
        self._editing: tuple[str, int, object] | None = None
        self._edit_marker: QtWidgets.QGraphicsItem | None = None
        self._flush_timer = QtCore.QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(FLUSH_INTERVAL_MS)
        self._flush_timer.timeout.connect(self._flush_links)

    # --- live updates (vectorised; replaces the base class's per-item loop) ---------------------
    def show_snapshot(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        if snapshot.structure.version != self._structure_version:
            self._rebuild(snapshot)
        self._update_features(snapshot)
        self._update_links(snapshot)
        self._update_neurons(snapshot)

    def _update_links(self, snapshot: Snapshot) -> None:
        """Restyle the layers whose quantised link styles changed, within a per-frame budget.

        Painting thousands of anti-aliased curves is what costs (about 9 ms per 32 × 32 layer
        here), so a large network repaints its changed layers in turn, LINK_BUDGET links a frame;
        layers not reached yet keep their previous look for a frame or two and a timer finishes
        them when no further snapshot comes.
        """
        # one vectorised pass over every weight (NumPy's per-call cost dominates small layers)
        every = link_style_codes(np.concatenate([w.ravel() for w in snapshot.weights]))
        start = 0
        for layer, weights in enumerate(snapshot.weights):
            codes = every[start:start + weights.size].reshape(weights.shape)
            start += weights.size
            if not np.array_equal(codes, self.link_layers[layer].codes):
                self._dirty[layer] = codes
        self._flush_links()

    def drawBackground(self, painter: QtGui.QPainter, rect: QtCore.QRectF) -> None:
        # the base view paints links into its background; here LinkLayerItems paint them
        QtWidgets.QGraphicsView.drawBackground(self, painter, rect)

    def _flush_links(self) -> None:
        for layer in [layer for layer in self._dirty if self.link_layers[layer].codes is None]:
            self.link_layers[layer].set_codes(self._dirty.pop(layer))     # never drawn yet
        spent = 0
        while self._dirty:
            layer = next(iter(self._dirty))          # the longest waiting
            size = self._dirty[layer].size
            if spent and spent + size > LINK_BUDGET:
                break
            self.link_layers[layer].set_codes(self._dirty.pop(layer))
            spent += size
        if self._dirty:
            self._flush_timer.start()

    def _update_neurons(self, snapshot: Snapshot) -> None:
        """Repaint the thumbnails whose colours changed, in place; recolour changed biases."""
        structure = snapshot.structure
        n_layers = len(snapshot.neuron_maps)
        lut = theme.diverging_lut()
        bias_codes = theme.lut_indices(np.concatenate(snapshot.biases), -WEIGHT_COLOR_RANGE,
                                       WEIGHT_COLOR_RANGE)
        bias_start = 0
        for layer, maps in enumerate(snapshot.neuron_maps):
            activation = (structure.activations[layer] if layer < n_layers - 1
                          else structure.output_activation)
            indices = layer_lut_indices(maps, activation)
            previous = self._thumbnail_indices[layer]
            if previous is None or previous.shape != indices.shape:
                changed = np.arange(indices.shape[-1])
            else:
                changed = np.flatnonzero((indices != previous).any(axis=(0, 1)))
            self._thumbnail_indices[layer] = indices
            if changed.size:
                pixels = _RGB32_TABLE[indices[..., changed]]
                for column, unit in enumerate(changed.tolist()):
                    self.neurons[(layer, unit)].set_pixels(pixels[..., column])
            biases = snapshot.biases[layer]
            codes = bias_codes[bias_start:bias_start + biases.size]
            bias_start += biases.size
            for unit in np.flatnonzero(codes != self._bias_codes[layer]).tolist():
                neuron = self.neurons[(layer, unit)]
                r, g, b = lut[codes[unit]]
                neuron._bias_color = QtGui.QColor(int(r), int(g), int(b))
                neuron.update()
            for unit, neuron_bias in enumerate(biases.tolist()):
                self.neurons[(layer, unit)].bias = neuron_bias
            self._bias_codes[layer] = codes

    def _update_features(self, snapshot: Snapshot) -> None:
        """Feature maps (used and unused) depend only on the plane: computed once per extent."""
        key = (self._structure_version, snapshot.grid_extent)
        if key == self._feature_key or not self.features:
            return
        self._feature_key = key
        items = [*self.features, *self.faded.values()]
        xmin, xmax, ymin, ymax = snapshot.grid_extent
        gx, gy = np.meshgrid(np.linspace(xmin, xmax, THUMBNAIL_PIXELS),
                             np.linspace(ymin, ymax, THUMBNAIL_PIXELS))
        values = feature_matrix(np.column_stack([gx.ravel(), gy.ravel()]),
                                [item.name for item in items])
        planes = values.reshape(THUMBNAIL_PIXELS, THUMBNAIL_PIXELS, len(items))
        for column, item in enumerate(items):
            item.set_image(layer_images(planes[..., column:column + 1], "")[0])

    # --- building ---------------------------------------------------------------------------
    def clear(self) -> None:
        self._edit_marker = None           # deleted with the scene's items
        if "value_editor" in self.__dict__:
            self.value_editor.hide()
        super().clear()
        self.faded, self.buttons = {}, []
        self.link_layers, self._dirty, self._bias_codes = [], {}, []
        self._thumbnail_indices = []

    def _rebuild(self, snapshot: Snapshot) -> None:
        super()._rebuild(snapshot)
        structure = snapshot.structure
        labels = {name: feature.label for name, feature in FEATURES.items()}
        foreground = theme.plot_foreground(self.palette())
        for name in FEATURE_NAMES:
            if name in structure.features:
                continue
            item = FeatureItem(-1, name, labels[name])
            item.setOpacity(FADED_OPACITY)
            item.text.setBrush(foreground)
            item.set_frame_color(theme.muted_foreground(self.palette()))
            self.scene().addItem(item)
            self.faded[name] = item
        for item in [*self.features, *self.faded.values()]:
            state = "used" if item.index >= 0 else "not used"
            item.setToolTip(f"input feature {item.label} ({state}) — click to switch it "
                            f"{'off' if item.index >= 0 else 'on'}")
        n_hidden = len(structure.layer_sizes) - 2
        for layer in range(n_hidden):
            for delta in (-1, +1):
                button = LayerButtonItem(layer, delta)
                units = structure.layer_sizes[layer + 1]
                button.set_enabled(MIN_UNITS < units if delta < 0 else units < MAX_UNITS)
                button.setFlag(QtWidgets.QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
                self.scene().addItem(button)
                self.buttons.append(button)
        for label in self.layer_labels:
            label.setToolTip("Right-click a neuron to change its layer's activation")
        # what does not change while training is blitted from pixmaps when the thumbnails and
        # links around it repaint, instead of being drawn again (text above all)
        static = [*self.layer_labels, *self.buttons]
        for item in [*self.features, *self.faded.values()]:
            static += [item, item.text]
        for item in static:
            item.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
        sizes = structure.layer_sizes
        for layer in range(len(sizes) - 1):
            links = [self.links[(layer, i, j)] for i in range(sizes[layer])
                     for j in range(sizes[layer + 1])]
            for link in links:
                # drawn by the layer's LinkLayerItem; the items stay for hit-testing, their
                # paths and the backprop animation's overlays (children still paint)
                link.setFlag(QtWidgets.QGraphicsItem.GraphicsItemFlag.ItemHasNoContents)
            bundle = LinkLayerItem(layer, links)
            self.scene().addItem(bundle)
            self.link_layers.append(bundle)
        self._bias_codes = [np.full(units, -1, np.int64) for units in structure.layer_sizes[1:]]
        self._thumbnail_indices: list[np.ndarray | None] = [None] * (len(structure.layer_sizes) - 1)
        self._column_gap = None
        self._fit()

    def _feature_column(self) -> list[FeatureItem]:
        by_name = {item.name: item for item in [*self.features, *self.faded.values()]}
        return [by_name[name] for name in FEATURE_NAMES if name in by_name]

    def _display_columns(self) -> list[list]:
        return [self._feature_column(), *self.columns[1:]]

    def _node_extent(self, column_gap: float) -> tuple[float, float]:
        columns = self._display_columns()
        tallest = max(len(column) for column in columns)
        return ((len(columns) - 1) * column_gap + NODE_SIZE,
                tallest * (NODE_SIZE + NODE_GAP) - NODE_GAP)

    def _available_pixels(self) -> tuple[float, float]:
        viewport = self.viewport()
        return (max(viewport.width() - LEFT_PIXELS - RIGHT_PIXELS - 2 * MARGIN_PIXELS, 40.0),
                max(viewport.height() - HEADER_PIXELS - 2 * MARGIN_PIXELS, 40.0))

    def _column_gap_for_view(self) -> float:
        """Spread the columns so the drawing fills the widget's width at the height-fit scale."""
        columns = self._display_columns()
        width_px, height_px = self._available_pixels()
        _, height = self._node_extent(MIN_COLUMN_GAP)
        scale = min(height_px / height, MAX_SCALE)
        wanted = (width_px / scale - NODE_SIZE) / max(len(columns) - 1, 1)
        return float(np.clip(wanted, MIN_COLUMN_GAP, MAX_COLUMN_GAP))

    def _layout(self, column_gap: float) -> None:
        """Place nodes in columns (centred vertically) and route the links between them."""
        self._column_gap = column_gap
        columns = self._display_columns()
        tallest = max(len(column) for column in columns)
        for index, column in enumerate(columns):
            offset = (tallest - len(column)) * (NODE_SIZE + NODE_GAP) / 2.0
            for row, item in enumerate(column):
                item.setPos(index * column_gap, offset + row * (NODE_SIZE + NODE_GAP))
        for (layer, i, j), link in self.links.items():
            link.set_ends(self.columns[layer][i].anchor_out(),
                          self.columns[layer + 1][j].anchor_in())
        for bundle in self.link_layers:
            bundle.relayout()

    def _fit(self) -> None:
        """Scale the nodes to the widget; keep texts and buttons at their pixel size."""
        if not self.neurons:
            return
        gap = self._column_gap_for_view()
        if self._column_gap is None or abs(gap - self._column_gap) > 1.0:
            self._layout(gap)
        width, height = self._node_extent(self._column_gap)
        width_px, height_px = self._available_pixels()
        scale = min(width_px / width, height_px / height, MAX_SCALE)
        left = (LEFT_PIXELS + MARGIN_PIXELS) / scale
        top = (HEADER_PIXELS + MARGIN_PIXELS) / scale
        rect = QtCore.QRectF(-left, -top, width + left + (RIGHT_PIXELS + MARGIN_PIXELS) / scale,
                             height + top + MARGIN_PIXELS / scale)
        self.setSceneRect(rect)
        self.resetTransform()
        self.scale(scale, scale)
        self.centerOn(rect.center())
        self._place_texts(1.0 / scale)

    def _place_texts(self, pixel: float) -> None:
        """Labels and buttons above their columns, ``pixel`` scene units per screen pixel."""
        text_scale = max(pixel, 1.0 / MAX_SCALE)
        self._text_scale = text_scale
        for item in self._feature_column():
            item.text.setScale(text_scale)
            rect = item.text.boundingRect()
            item.text.setPos(-rect.width() * text_scale - 6.0 * pixel,
                             (NODE_SIZE - rect.height() * text_scale) / 2.0)
        gap = self._column_gap
        label_top = -(HEADER_PIXELS - BUTTON_PIXELS - 6.0) * pixel
        for index, label in enumerate(self.layer_labels):
            label.setScale(text_scale)
            rect = label.boundingRect()
            label.setPos(index * gap + (NODE_SIZE - rect.width() * text_scale) / 2.0, label_top)
        for button in self.buttons:
            centre = (button.layer + 1) * gap + NODE_SIZE / 2.0
            offset = 2.0 if button.delta > 0 else -BUTTON_PIXELS - 2.0
            button.setPos(centre + offset * pixel, -(HEADER_PIXELS - 2.0) * pixel)

    # --- hit-testing --------------------------------------------------------------------------
    def hit(self, position: QtCore.QPoint):
        """What is under a viewport position: ("button", item), ("feature", name),
        ("bias", (layer, unit)), ("neuron", (layer, unit)), ("link", (layer, i, j)) or None."""
        scene_pos = self.mapToScene(position)
        tolerance = HIT_PIXELS / max(self.transform().m11(), 1e-6)
        area = QtCore.QRectF(scene_pos.x() - tolerance, scene_pos.y() - tolerance,
                             2 * tolerance, 2 * tolerance)
        for item in self.items(position):
            if isinstance(item, LayerButtonItem):
                return "button", item
        nearby = self.scene().items(area, QtCore.Qt.ItemSelectionMode.IntersectsItemBoundingRect)
        for item in nearby:
            if isinstance(item, NeuronItem):
                local = item.mapFromScene(scene_pos)
                bias = QtCore.QRectF(-BIAS_SIZE / 2.0, NODE_SIZE - BIAS_SIZE / 2.0, BIAS_SIZE,
                                     BIAS_SIZE).adjusted(-tolerance, -tolerance, tolerance,
                                                         tolerance)
                if bias.contains(local):
                    return "bias", (item.layer, item.unit)
        for item in nearby:
            if isinstance(item, FeatureItem) and item.contains(item.mapFromScene(scene_pos)):
                return "feature", item.name
            if isinstance(item, NeuronItem) and item.contains(item.mapFromScene(scene_pos)):
                return "neuron", (item.layer, item.unit)
        links = [item for item in self.scene().items(
                 area, QtCore.Qt.ItemSelectionMode.IntersectsItemShape)
                 if isinstance(item, LinkItem)]
        if links:
            # links cross near the middle of each gap: take the one passing closest
            nearest = min(links, key=lambda link: _distance_to_path(link.path(), scene_pos))
            return "link", nearest.key
        return None

    def parameter_text(self, kind: str, layer: int, index) -> str:
        """The tooltip of a weight or bias: value and gradient of the last mini-batch."""
        snapshot = self.snapshot
        if kind == "weight":
            i, j = index
            value = snapshot.weights[layer][i, j]
            gradient = snapshot.weight_gradients[layer][i, j]
            source = self._node_name(layer - 1, i) if layer > 0 else \
                FEATURES[snapshot.structure.features[i]].label
            name = f"w from {source} to {self._node_name(layer, j)}"
            symbol = "∂L/∂w"
        else:
            value = snapshot.biases[layer][index]
            gradient = snapshot.bias_gradients[layer][index]
            name = f"bias of {self._node_name(layer, index)}"
            symbol = "∂L/∂b"
        return (f"{name}\nvalue {value:.4g}\n{symbol} {gradient:.4g} (last mini-batch)\n"
                "click to edit")

    def _node_name(self, layer: int, unit: int) -> str:
        n_layers = len(self.snapshot.weights)
        return f"output {unit + 1}" if layer == n_layers - 1 else f"neuron {layer + 1}.{unit + 1}"

    # --- mouse --------------------------------------------------------------------------------
    def viewportEvent(self, event: QtCore.QEvent) -> bool:
        if event.type() == QtCore.QEvent.Type.ToolTip and self.snapshot is not None:
            found = self.hit(event.pos())
            if found is not None and found[0] in ("link", "bias"):
                kind, key = found
                text = (self.parameter_text("weight", key[0], key[1:]) if kind == "link"
                        else self.parameter_text("bias", *key))
                QtWidgets.QToolTip.showText(event.globalPos(), text, self.viewport())
                return True
        return super().viewportEvent(event)

    def mousePressEvent(self, event: QtGui.QMouseEvent) -> None:
        if event.button() != QtCore.Qt.MouseButton.LeftButton or self.snapshot is None:
            super().mousePressEvent(event)
            return
        found = self.hit(event.position().toPoint())
        if found is None:
            super().mousePressEvent(event)
            return
        kind, key = found
        if kind == "button":
            if key.enabled:
                self.sigLayerResized.emit(key.layer, key.delta)
        elif kind == "feature":
            self.sigFeatureClicked.emit(key)
        elif kind == "link":
            layer, i, j = key
            self.sigLinkClicked.emit(layer, i, j)
            self.open_editor("weight", layer, (i, j), event.position().toPoint())
        elif kind == "bias":
            self.open_editor("bias", key[0], key[1], event.position().toPoint())
        event.accept()

    def open_editor(self, kind: str, layer: int, index, position: QtCore.QPoint) -> None:
        """Edit one weight (index (i, j)) or bias (index unit) in place at ``position``."""
        snapshot = self.snapshot
        value = (snapshot.weights[layer][index] if kind == "weight"
                 else snapshot.biases[layer][index])
        self._editing = (kind, layer, index)
        self._mark(kind, layer, index)
        viewport = self.viewport()
        x = min(position.x() + 8, viewport.width() - self.value_editor.width())
        y = min(position.y() + 8, viewport.height() - self.value_editor.sizeHint().height())
        self.value_editor.open_at(QtCore.QPoint(max(x, 0), max(y, 0)), float(value),
                                  self.parameter_text(kind, layer, index))

    def _mark(self, kind: str, layer: int, index) -> None:
        """Outline the weight or bias being edited, until the editor closes."""
        self._remove_edit_marker()
        pen = QtGui.QPen(theme.plot_foreground(self.palette()), 2.0)
        pen.setCosmetic(True)
        pen.setStyle(QtCore.Qt.PenStyle.DashLine)
        if kind == "weight":
            marker = QtWidgets.QGraphicsPathItem(self.links[(layer, *index)].path())
        else:
            neuron = self.neurons[(layer, index)]
            rect = QtCore.QRectF(-BIAS_SIZE, NODE_SIZE - BIAS_SIZE, 2 * BIAS_SIZE, 2 * BIAS_SIZE)
            marker = QtWidgets.QGraphicsEllipseItem(neuron.mapRectToScene(rect))
        marker.setPen(pen)
        marker.setZValue(3)
        marker.setAcceptedMouseButtons(QtCore.Qt.MouseButton.NoButton)
        self.scene().addItem(marker)
        self._edit_marker = marker

    def _remove_edit_marker(self) -> None:
        marker, self._edit_marker = self._edit_marker, None
        if marker is not None and marker.scene() is self.scene():
            self.scene().removeItem(marker)

    def _commit_edit(self, value: float) -> None:
        if self._editing is not None:
            kind, layer, index = self._editing
            self._editing = None
            self.sigParameterEdited.emit(kind, layer, index, value)

    def contextMenuEvent(self, event: QtGui.QContextMenuEvent) -> None:
        found = self.hit(event.pos())
        n_hidden = len(self.columns) - 2
        if found is None or found[0] not in ("neuron", "bias") or found[1][0] >= n_hidden:
            super().contextMenuEvent(event)
            return
        layer = found[1][0]
        self.popup_menu(self.activation_menu(layer), event.globalPos())

    def popup_menu(self, menu: QtWidgets.QMenu, position: QtCore.QPoint) -> None:
        """Show a context menu until it closes (its own method so tests can stand in for it)."""
        menu.exec(position)

    def activation_menu(self, layer: int) -> QtWidgets.QMenu:
        """The context menu choosing hidden layer ``layer``'s activation."""
        menu = QtWidgets.QMenu(self)
        menu.setObjectName("activationMenu")
        menu.addSection(f"Hidden layer {layer + 1} activation")
        current = self.snapshot.structure.activations[layer]
        for name in activation_names():
            action = menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(name == current)
            action.triggered.connect(
                lambda _=False, n=name: self.sigActivationChosen.emit(layer, n))
        return menu

    def _on_neuron_hover(self, layer: int, unit: int) -> None:
        super()._on_neuron_hover(layer, unit)   # (-1, -1) on leave, as the base view promises
        if layer < 0:
            self.sigNeuronLeft.emit()


def _distance_to_path(path: QtGui.QPainterPath, point: QtCore.QPointF, samples: int = 64) -> float:
    """Distance from ``point`` to a (smooth) path, sampled along its length."""
    fractions = np.linspace(0.0, 1.0, samples)
    points = np.array([(p.x(), p.y()) for p in map(path.pointAtPercent, fractions)])
    return float(np.min(np.hypot(points[:, 0] - point.x(), points[:, 1] - point.y())))


class LinkLayerItem(QtWidgets.QGraphicsItem):
    """Every link of one weight matrix, painted in one call and cached as a device pixmap.

    One item per layer instead of one painted item per link: other changes (thumbnails) then
    blit the cached links, and a layer is repainted only when its styles change.
    ``drawn`` counts the links the last paint drew.
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


def link_style_codes(weights: np.ndarray) -> np.ndarray:
    """Every link's (quantised width, LUT colour) packed as width_quarters * 256 + index.

    The quantisation of network_view.link_styles, for a whole weight matrix at once.
    """
    widths, indices = link_styles(weights)
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


def layer_images(maps: np.ndarray, activation: str) -> list[QtGui.QImage]:
    """(res, res, units) maps → one RGB32 thumbnail per unit (y up)."""
    rgb = _RGB32_TABLE[layer_lut_indices(maps, activation)]
    return [rgb32_image(rgb[..., unit]) for unit in range(rgb.shape[-1])]


def rgb32_image(pixels: np.ndarray) -> QtGui.QImage:
    """A QImage owning a copy of (h, w) uint32 0xffRRGGBB pixels."""
    pixels = np.ascontiguousarray(pixels)
    height, width = pixels.shape
    image = QtGui.QImage(pixels.data, width, height, 4 * width, QtGui.QImage.Format.Format_RGB32)
    return image.copy()            # own the pixels: `pixels` is freed on return


_RGB32_TABLE = theme.rgb32_table(theme.diverging_lut())


# --- the widget the window installs --------------------------------------------------------------
class HintLabel(QtWidgets.QLabel):
    """Hints separated by " · ", as many whole ones as fit (all of them in the tooltip).

    It sets no minimum width: ~800 px of text would keep the window from fitting a 1366-pixel
    screen, and clipping mid-word looks broken."""

    def __init__(self, hints: Sequence[str], parent=None) -> None:
        super().__init__(parent)
        self._hints = tuple(hints)
        self.setToolTip(" · ".join(self._hints))
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored,
                           QtWidgets.QSizePolicy.Policy.Preferred)

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        metrics, shown = self.fontMetrics(), []
        for hint in self._hints:
            if metrics.horizontalAdvance(" · ".join([*shown, hint])) > self.width():
                break
            shown.append(hint)
        self.setText(" · ".join(shown))


class NetworkEditor(QtWidgets.QWidget):
    """The editable network (objectName "networkEditor"): a header bar over the drawing.

    Call ``show_snapshot`` with every snapshot and ``set_network_spec`` with the spec in force
    (the controller's ``sigConfigChanged``). Signals:

    - sigNetworkChanged(NetworkSpec) — a structure edit (controller.set_network);
    - sigParameterEdited(kind, layer, index, value) — kind "weight" (index (i, j)) or "bias"
      (index j) (controller.set_parameter);
    - sigLinkClicked(layer, i, j) — (inspector.pick_weight);
    - sigNeuronHovered(layer, unit) / sigNeuronLeft() — (boundary_view.show_neuron_map /
      clear_neuron_map); sigNeuronHovered also sends (-1, -1) on leave, like NetworkView.
    """

    sigNetworkChanged = QtCore.Signal(object)
    sigParameterEdited = QtCore.Signal(str, int, object, float)
    sigLinkClicked = QtCore.Signal(int, int, int)
    sigNeuronHovered = QtCore.Signal(int, int)
    sigNeuronLeft = QtCore.Signal()
    sigMessage = QtCore.Signal(str)

    def __init__(self, spec: NetworkSpec | None = None,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("networkEditor")
        self.setAccessibleName("Network editor")
        self.spec = spec or NetworkSpec()
        self._confirmed = self.spec         # the last spec the worker reported
        # specs sent and not yet seen back from the worker: an echo of one is not an outside
        # change, so quick successive edits build on each other instead of on a stale spec
        self._pending: collections.deque[NetworkSpec] = collections.deque(maxlen=32)
        self.view = EditableNetworkView(self)
        self.view.setObjectName("networkView")
        self.view.setAccessibleName("Network")
        self.setFocusProxy(self.view)

        self.add_layer_button = self._tool_button("addLayerButton", "+",
                                                  "Add a hidden layer", self._add_layer)
        self.remove_layer_button = self._tool_button("removeLayerButton", "−",
                                                     "Remove the last hidden layer",
                                                     self._remove_layer)
        self.layer_count = QtWidgets.QLabel()
        self.layer_count.setObjectName("hiddenLayerCount")
        hint = HintLabel(("click a feature to switch it", "click a link or bias to edit",
                          "right-click a neuron for its activation"))
        hint.setObjectName("networkEditorHint")
        hint.setEnabled(False)
        bar = QtWidgets.QHBoxLayout()
        bar.setContentsMargins(6, 2, 6, 0)
        bar.addWidget(self.add_layer_button)
        bar.addWidget(self.remove_layer_button)
        bar.addWidget(self.layer_count)
        bar.addSpacing(12)
        bar.addWidget(hint, 1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

        self.view.sigFeatureClicked.connect(self._toggle_feature)
        self.view.sigLayerResized.connect(self._resize_layer)
        self.view.sigActivationChosen.connect(self._set_activation)
        self.view.sigParameterEdited.connect(self.sigParameterEdited)
        self.view.sigLinkClicked.connect(self.sigLinkClicked)
        self.view.sigNeuronHovered.connect(self.sigNeuronHovered)
        self.view.sigNeuronLeft.connect(self.sigNeuronLeft)
        self._show_spec()

    def _tool_button(self, name: str, text: str, tip: str, slot) -> QtWidgets.QToolButton:
        button = QtWidgets.QToolButton()
        button.setObjectName(name)
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setAutoRaise(False)
        button.setMinimumWidth(26)
        button.clicked.connect(slot)
        return button

    # --- what the window calls ----------------------------------------------------------------
    def show_snapshot(self, snapshot: Snapshot) -> None:
        self.view.show_snapshot(snapshot)

    def clear(self) -> None:
        self.view.clear()

    def set_network_spec(self, spec: NetworkSpec) -> None:
        """The spec in force in the worker (an echo of our own edit, or an outside change)."""
        if spec in self._pending:
            while self._pending and self._pending.popleft() != spec:
                pass
            self._confirmed = spec
            if self._pending:
                return          # newer edits of ours are on their way
        elif spec == self._confirmed and self._pending:
            return              # the config re-sent for another reason (hyperparameters)
        else:
            self._pending.clear()
        self._confirmed = spec
        self.spec = spec
        self._show_spec()

    # --- edits --------------------------------------------------------------------------------
    def _apply(self, spec: NetworkSpec) -> None:
        if spec == self.spec:
            return
        self.spec = spec
        self._pending.append(spec)
        self._show_spec()
        self.sigNetworkChanged.emit(spec)

    def _toggle_feature(self, name: str) -> None:
        spec = toggle_feature(self.spec, name)
        if spec == self.spec:
            self.sigMessage.emit("At least one input feature must stay on.")
        self._apply(spec)

    def _add_layer(self) -> None:
        self._apply(add_layer(self.spec))

    def _remove_layer(self) -> None:
        self._apply(remove_layer(self.spec))

    def _resize_layer(self, layer: int, delta: int) -> None:
        if layer < len(self.spec.hidden_layers):
            self._apply(resize_layer(self.spec, layer, delta))

    def _set_activation(self, layer: int, name: str) -> None:
        if layer < len(self.spec.hidden_layers):
            self._apply(set_layer_activation(self.spec, layer, name))

    def _show_spec(self) -> None:
        n = len(self.spec.hidden_layers)
        self.layer_count.setText(f"{n} hidden layer{'s' * (n != 1)}")
        self.add_layer_button.setEnabled(n < MAX_HIDDEN_LAYERS)
        self.remove_layer_button.setEnabled(n > 0)


def install_network_editor(window, controller) -> NetworkEditor:
    """Put a NetworkEditor in ``window``'s centre in place of its read-only NetworkView.

    Works on the MainWindow as it is (attributes ``network_view``, ``views``, ``boundary_view``)
    and is a no-op for the swap if the window already built a NetworkEditor itself.
    """
    old = getattr(window, "network_view", None)
    editor = old if isinstance(old, NetworkEditor) else NetworkEditor(controller.config.network)
    if editor is not old:
        if old is not None:
            editor.setToolTip(old.toolTip())
            old.setObjectName("")                # deleted later; one "networkEditor" from now
        window.setCentralWidget(editor)          # schedules the old view's deletion
        window.network_view = editor
        if hasattr(window, "views"):
            window.views = tuple(editor if view is old else view for view in window.views)
    editor.set_network_spec(controller.config.network)
    controller.sigConfigChanged.connect(lambda config: editor.set_network_spec(config.network))
    editor.sigNetworkChanged.connect(controller.set_network)
    editor.sigParameterEdited.connect(controller.set_parameter)
    boundary = getattr(window, "boundary_view", None)
    if boundary is not None:
        editor.sigNeuronHovered.connect(
            lambda layer, unit: boundary.show_neuron_map(layer, unit) if layer >= 0 else None)
        editor.sigNeuronLeft.connect(boundary.clear_neuron_map)
    inspector = getattr(window, "inspector", None)
    if inspector is not None and hasattr(inspector, "pick_weight"):
        editor.sigLinkClicked.connect(inspector.pick_weight)
    if inspector is not None and hasattr(inspector, "attach_network_view"):
        inspector.attach_network_view(editor.view)     # the step animation plays on the editor
    status = getattr(window, "status", None)
    if status is not None and hasattr(status, "show_message"):
        editor.sigMessage.connect(status.show_message)
    if controller.latest_snapshot is not None:
        editor.show_snapshot(controller.latest_snapshot)
    return editor


def save_indexed_png(image: QtGui.QImage, path: str) -> bool:
    """Save ``image`` as a 256-colour PNG (screenshots must stay small in the repository).

    The palette is the 256 most frequent colours at 5 bits a channel; every pixel takes the
    nearest of them. Enough for flat UI colours and the palette's smooth ramps.
    """
    image = image.convertToFormat(QtGui.QImage.Format.Format_RGB32)
    width, height = image.width(), image.height()
    pixels = np.frombuffer(image.constBits(), np.uint32,
                           count=image.bytesPerLine() // 4 * height)
    pixels = pixels.reshape(height, -1)[:, :width]
    keys = (((pixels >> 19) & 31) << 10) | (((pixels >> 11) & 31) << 5) | ((pixels >> 3) & 31)
    unique, inverse, counts = np.unique(keys.ravel(), return_inverse=True, return_counts=True)
    palette_keys = unique[np.argsort(counts)[::-1][:256]]

    def rgb(k):
        return np.stack([(k >> 10) & 31, (k >> 5) & 31, k & 31], axis=-1).astype(np.int32) * 8 + 4

    palette = rgb(palette_keys)
    nearest = np.empty(len(unique), np.uint8)
    colors = rgb(unique)
    for start in range(0, len(unique), 4096):          # bounded memory for busy images
        chunk = colors[start:start + 4096]
        nearest[start:start + 4096] = np.argmin(
            ((chunk[:, None, :] - palette[None]) ** 2).sum(axis=2), axis=1)
    indices = np.ascontiguousarray(nearest[inverse].reshape(height, width))
    indexed = QtGui.QImage(indices.data, width, height, width, QtGui.QImage.Format.Format_Indexed8)
    indexed.setColorTable([QtGui.qRgb(int(r), int(g), int(b)) for r, g, b in palette])
    return indexed.copy().save(path, "PNG", 0)


def _demo(argv: list[str]) -> int:
    """Edit a live network: ``[--deep] [--epochs N] [--screenshot PATH]``.

    --deep starts from 8 hidden layers of 32 neurons on the spiral; training runs in a real
    TrainingController. With --screenshot, trains N epochs (default 200), saves and exits.
    """
    import time

    from playground.config import DataSpec, PlaygroundConfig
    from playground.qt.worker import TrainingController

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(argv)
    deep = "--deep" in argv
    spec = NetworkSpec(hidden_layers=(32,) * 8, activations=("tanh",) * 8,
                       features=("x1", "x2", "x1_sq", "x2_sq", "sin_x1", "sin_x2")) if deep \
        else NetworkSpec()
    config = PlaygroundConfig(data=DataSpec(generator="spiral" if deep else "circle",
                                            n_samples=300, noise=0.1), network=spec)
    controller = TrainingController(config)
    editor = NetworkEditor(spec)
    editor.setWindowTitle("Backprop Playground — network editor")
    editor.resize(1000, 650)
    controller.sigSnapshot.connect(editor.show_snapshot)
    controller.sigConfigChanged.connect(lambda c: editor.set_network_spec(c.network))
    editor.sigNetworkChanged.connect(controller.set_network)
    editor.sigParameterEdited.connect(controller.set_parameter)
    editor.show()
    if "--screenshot" not in argv:
        controller.play()
        return app.exec()
    epochs = int(argv[argv.index("--epochs") + 1]) if "--epochs" in argv else 200
    for _ in range(epochs):
        controller.step_epoch()
    deadline = time.monotonic() + 120.0
    while time.monotonic() < deadline and (controller.latest_snapshot is None
                                           or controller.latest_snapshot.epoch < epochs):
        app.processEvents()
        time.sleep(0.01)
    editor.show_snapshot(controller.latest_snapshot)
    view = editor.view
    while view._dirty:                          # every link layer in its latest style
        view._flush_links()
    app.processEvents()
    save_indexed_png(editor.grab().toImage(), argv[argv.index("--screenshot") + 1])
    controller.shutdown()
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(_demo(sys.argv))
