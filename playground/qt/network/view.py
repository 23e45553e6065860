"""The drawing of the network, live from snapshots; read-only, or with editing gestures.

One view draws the network wherever it appears: features, neurons as activation thumbnails,
links coloured and sized by their weights. Items are re-created only when the snapshot's
structure version changes; otherwise each frame restyles, in one NumPy pass per weight matrix
and per layer of maps, only the link layers and thumbnails whose look changed. Labels and
buttons keep a readable pixel size however far a large network (8 × 32) is scaled down to fit.

With ``editable`` the view also shows every input feature (the unused ones faded) and "+"/"−"
buttons above each hidden layer, and reports what the user does on its signals; it never
changes the network itself (:class:`~playground.qt.network.editor.NetworkEditor` turns the
intent into a new NetworkSpec).
"""
from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from playground.classroom import HIDDEN, LOCKED, SHOWN
from playground.data import FEATURE_NAMES, FEATURES, feature_matrix
from playground.network_edits import MAX_UNITS, MIN_UNITS
from playground.qt import theme
from playground.qt.network.items import (
    NODE_GAP, NODE_SIZE, THUMBNAIL_PIXELS, WEIGHT_COLOR_RANGE,
    FeatureItem, LayerButtonItem, LinkItem, LinkLayerItem, NeuronItem, ThumbnailItem,
    layer_lut_indices, link_style_codes, thumbnail_pixels,
)
from playground.qt.network.layer_titles import ColumnTitles
from playground.snapshot import PLAYING, Snapshot, Structure

HEADER_PIXELS = 62.0        # room above the columns for the +/- buttons and the layer labels
LEFT_PIXELS = 56.0          # room left of the features for their labels
RIGHT_PIXELS = 40.0         # room right of the output for its label
MARGIN_PIXELS = 8.0
MIN_COLUMN_GAP = 90.0
MAX_COLUMN_GAP = 480.0
MAX_SCALE = 2.0             # small networks are not blown up beyond this
HIT_PIXELS = 5.0            # how close to a link or bias the mouse must be
FADED_OPACITY = 0.3         # features switched off
# links restyled per frame at most: one 32 × 32 layer (~10-15 ms to paint here); a large network's
# layers take turns, so each is at most a few frames behind
LINK_BUDGET = 1100
FLUSH_INTERVAL_MS = 30


def layer_activation(structure: Structure, layer: int) -> str:
    """The activation of weight layer ``layer`` (the output's for the last one)."""
    hidden = len(structure.layer_sizes) - 2
    return structure.activations[layer] if layer < hidden else structure.output_activation


class NetworkView(QtWidgets.QGraphicsView):
    """The network in the latest snapshot, fitted to the widget; ``editable`` adds gestures.

    Items: ``features`` (used inputs), ``faded`` (unused ones, editable only), ``neurons[(layer,
    unit)]``, ``links[(layer, i, j)]``, ``columns`` (features, then each layer's neurons),
    ``buttons`` and ``link_layers``.

    Signals, in both modes: sigNeuronHovered(layer, unit) on entering a neuron and (-1, -1) on
    leaving it; sigLinkClicked(layer, i, j). Editable only:
    sigFeatureClicked(name), sigLayerResized(hidden layer, ±1), sigParameterClicked(kind, layer,
    index, position) for a click on a link (kind "weight", index (i, j)) or a bias (kind "bias",
    index unit) at a viewport position, sigActivationMenuRequested(hidden layer, global position)
    for a right click on one of its neurons.
    """

    sigNeuronHovered = QtCore.Signal(int, int)
    sigLinkClicked = QtCore.Signal(int, int, int)
    sigFeatureClicked = QtCore.Signal(str)
    sigLayerResized = QtCore.Signal(int, int)
    sigParameterClicked = QtCore.Signal(str, int, object, QtCore.QPoint)
    sigActivationMenuRequested = QtCore.Signal(int, QtCore.QPoint)

    def __init__(self, parent: QtWidgets.QWidget | None = None, editable: bool = False) -> None:
        super().__init__(parent)
        self.editable = editable
        self.setScene(QtWidgets.QGraphicsScene(self))
        # items change every frame: a spatial index would be rebuilt constantly
        self.scene().setItemIndexMethod(QtWidgets.QGraphicsScene.ItemIndexMethod.NoIndex)
        self.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        self.setCacheMode(QtWidgets.QGraphicsView.CacheModeFlag.CacheBackground)
        # a frame dirties every thumbnail and often a layer of links, small areas spread over
        # the drawing: one repaint of their bounding rectangle is cheaper (~0.3 ms here) than
        # painting the same items clipped to a region of many rectangles
        self.setViewportUpdateMode(
            QtWidgets.QGraphicsView.ViewportUpdateMode.BoundingRectViewportUpdate)
        self.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumSize(200, 160)
        self.setMouseTracking(True)
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.ClickFocus)
        self._flush_timer = QtCore.QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(FLUSH_INTERVAL_MS)
        self._flush_timer.timeout.connect(self.flush_links)
        self.hovered: tuple[int, int] | None = None
        # classroom mode (editable only): whether the unused features are offered, and the
        # hidden layers' +/- buttons SHOWN, LOCKED (drawn disabled) or HIDDEN
        self.offers_unused_features = True
        self.layer_buttons = SHOWN
        self.clear()
        self.apply_theme()

    # --- public API -------------------------------------------------------------------------
    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Draw ``snapshot``: rebuild the items if the structure changed, else restyle them."""
        self.snapshot = snapshot
        if snapshot.structure.version != self._structure_version:
            self._rebuild(snapshot)
        self._update_features(snapshot)
        self._update_links(snapshot)
        self._update_neurons(snapshot)

    def clear(self) -> None:
        """Remove every item (the next snapshot rebuilds them)."""
        self._flush_timer.stop()
        self.scene().clear()
        self.snapshot: Snapshot | None = None
        self.features: list[FeatureItem] = []
        self.faded: dict[str, FeatureItem] = {}
        self.neurons: dict[tuple[int, int], NeuronItem] = {}
        self.links: dict[tuple[int, int, int], LinkItem] = {}
        self.link_layers: list[LinkLayerItem] = []
        self.buttons: list[LayerButtonItem] = []
        self.layer_labels: list[QtWidgets.QGraphicsSimpleTextItem] = []
        self.columns: list[list[ThumbnailItem]] = []
        self._column_gap: float | None = None
        self._structure_version: int | None = None
        self._feature_key = None
        # link layer -> style codes waiting for a repaint (insertion order = oldest first)
        self._dirty: dict[int, np.ndarray] = {}
        self._bias_codes: list[np.ndarray] = []
        self._thumbnail_indices: list[np.ndarray | None] = []   # per layer, as last drawn

    def restrict_editing(self, offer_unused_features: bool = True,
                         layer_buttons: str = SHOWN) -> None:
        """Classroom mode: leave the unused features out of the drawing, and show the hidden
        layers' +/- buttons (SHOWN), show them disabled (LOCKED) or leave them out (HIDDEN)."""
        if (offer_unused_features, layer_buttons) == (self.offers_unused_features,
                                                       self.layer_buttons):
            return
        self.offers_unused_features, self.layer_buttons = offer_unused_features, layer_buttons
        snapshot = self.snapshot
        if snapshot is not None:
            self._rebuild(snapshot)
            self.show_snapshot(snapshot)

    def flush_links(self) -> None:
        """Repaint the link layers waiting for it, oldest first, within the per-frame budget.

        While training plays, the next frame carries on with the rest: a timer of its own would
        repaint between frames, outside the window's frame pacing (on an 8 × 32 network that
        was five repaints a frame and most of the GUI thread's time). Paused, a timer finishes.
        """
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
        if self._dirty and (self.snapshot is None or self.snapshot.state != PLAYING):
            self._flush_timer.start()

    @property
    def links_pending(self) -> bool:
        """Whether some link layers still show an older frame's weights."""
        return bool(self._dirty)

    def link_pen(self, layer: int, i: int, j: int) -> QtGui.QPen | None:
        """The pen weight W[layer][i, j] is drawn with."""
        return self.link_layers[layer].pen_of(i, j)

    def apply_theme(self) -> None:
        palette = self.palette()
        self.setBackgroundBrush(theme.plot_background(palette))
        self.resetCachedContent()
        foreground = theme.plot_foreground(palette)
        for label in self.layer_labels:
            label.setBrush(foreground)
        for node in [*self.features, *self.faded.values(), *self.neurons.values()]:
            node.set_frame_color(theme.muted_foreground(palette))
            if isinstance(node, FeatureItem):
                node.text.setBrush(foreground)

    def changeEvent(self, event: QtCore.QEvent) -> None:
        if event.type() == QtCore.QEvent.Type.PaletteChange and "neurons" in self.__dict__:
            self.apply_theme()
        super().changeEvent(event)

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    # --- live updates -------------------------------------------------------------------------
    def _update_links(self, snapshot: Snapshot) -> None:
        """Queue the link layers whose quantised styles changed, then flush within the budget.

        Painting thousands of anti-aliased curves is what costs (about 9 ms per 32 × 32 layer
        here), so a large network repaints its changed layers in turn, LINK_BUDGET links a frame;
        layers not reached yet keep their previous look for a frame or two.
        """
        # one vectorised pass over every weight (NumPy's per-call cost dominates small layers)
        every = link_style_codes(np.concatenate([w.ravel() for w in snapshot.weights]))
        start = 0
        for layer, weights in enumerate(snapshot.weights):
            codes = every[start:start + weights.size].reshape(weights.shape)
            start += weights.size
            if not np.array_equal(codes, self.link_layers[layer].codes):
                self._dirty[layer] = codes
        self.flush_links()

    def _update_neurons(self, snapshot: Snapshot) -> None:
        """Rewrite the thumbnails whose colours changed, in place; recolour changed biases."""
        lut = theme.diverging_lut()
        rgb32 = theme.diverging_lut_rgb32()
        bias_codes = theme.lut_indices(np.concatenate(snapshot.biases), -WEIGHT_COLOR_RANGE,
                                       WEIGHT_COLOR_RANGE)
        bias_start = 0
        for layer, maps in enumerate(snapshot.neuron_maps):
            indices = layer_lut_indices(maps, layer_activation(snapshot.structure, layer))
            previous = self._thumbnail_indices[layer]
            if previous is None or previous.shape != indices.shape:
                changed = np.arange(indices.shape[-1])
            else:
                changed = np.flatnonzero((indices != previous).any(axis=(0, 1)))
            self._thumbnail_indices[layer] = indices
            if changed.size:
                pixels = rgb32[indices[..., changed]]
                for column, unit in enumerate(changed.tolist()):
                    self.neurons[(layer, unit)].set_pixels(pixels[..., column])
            biases = snapshot.biases[layer]
            codes = bias_codes[bias_start:bias_start + biases.size]
            bias_start += biases.size
            for unit in np.flatnonzero(codes != self._bias_codes[layer]).tolist():
                r, g, b = lut[codes[unit]]
                self.neurons[(layer, unit)].set_bias_color(QtGui.QColor(int(r), int(g), int(b)))
            for unit, neuron_bias in enumerate(biases.tolist()):
                self.neurons[(layer, unit)].bias = neuron_bias
            self._bias_codes[layer] = codes

    def _update_features(self, snapshot: Snapshot) -> None:
        """Feature maps depend only on the features and the plane: computed once per extent."""
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
            # each feature on its own symmetric scale
            item.set_pixels(thumbnail_pixels(planes[..., column:column + 1], "")[..., 0])

    # --- building -----------------------------------------------------------------------------
    def _rebuild(self, snapshot: Snapshot) -> None:
        self.clear()
        self.snapshot = snapshot
        structure = snapshot.structure
        self._structure_version = structure.version
        sizes = structure.layer_sizes
        labels = {name: feature.label for name, feature in FEATURES.items()}
        self.features = [FeatureItem(i, name, labels.get(name, name))
                         for i, name in enumerate(structure.features)]
        self.columns = [list(self.features)]
        for layer in range(len(sizes) - 1):
            activation = layer_activation(structure, layer)
            column = [NeuronItem(layer, unit, activation, on_hover=self._on_neuron_hover)
                      for unit in range(sizes[layer + 1])]
            self.neurons.update(((layer, neuron.unit), neuron) for neuron in column)
            self.columns.append(column)
        by_layer = []
        for layer in range(len(sizes) - 1):
            links = [LinkItem(layer, i, j) for i in range(sizes[layer])
                     for j in range(sizes[layer + 1])]
            self.links.update((link.key, link) for link in links)
            by_layer.append(links)
        self._add(*self.features, *self.neurons.values(), *self.links.values())
        self._add_layer_labels(structure)
        if self.editable:
            self._add_editing_items(structure)
        self.link_layers = [LinkLayerItem(layer, links) for layer, links in enumerate(by_layer)]
        self._add(*self.link_layers)
        for item in [*self.features, *self.faded.values()]:
            item.setToolTip(self._feature_tip(item))
        # what does not change while training is blitted from pixmaps when the thumbnails and
        # links around it repaint, instead of being drawn again (text above all)
        static = [*self.layer_labels, *self.buttons]
        for item in [*self.features, *self.faded.values()]:
            static += [item, item.text]
        for item in static:
            item.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._bias_codes = [np.full(units, -1, np.int64) for units in sizes[1:]]
        self._thumbnail_indices = [None] * (len(sizes) - 1)
        self.apply_theme()
        self._fit()

    def _add(self, *items: QtWidgets.QGraphicsItem) -> None:
        for item in items:
            self.scene().addItem(item)

    def _add_layer_labels(self, structure: Structure) -> None:
        self._titles = ColumnTitles(structure, self.editable)
        self.layer_labels = self._titles.labels
        self._add(*self.layer_labels)

    def _add_editing_items(self, structure: Structure) -> None:
        """The unused features, faded, and the +/- buttons of each hidden layer."""
        labels = {name: feature.label for name, feature in FEATURES.items()}
        if self.offers_unused_features:
            self.faded = {name: FeatureItem(-1, name, labels[name])
                          for name in FEATURE_NAMES if name not in structure.features}
        for item in self.faded.values():
            item.setOpacity(FADED_OPACITY)
        buttons_shown = self.layer_buttons != HIDDEN
        for layer, units in enumerate(structure.layer_sizes[1:-1] if buttons_shown else ()):
            for delta in (-1, +1):
                button = LayerButtonItem(layer, delta)
                button.set_enabled(self.layer_buttons == SHOWN and (
                    MIN_UNITS < units if delta < 0 else units < MAX_UNITS))
                if self.layer_buttons == LOCKED:    # plainly out of use, and saying why
                    button.setOpacity(FADED_OPACITY)
                    button.setToolTip(f"Locked by this lesson.\n{button.toolTip()}")
                self.buttons.append(button)
        self._add(*self.faded.values(), *self.buttons)

    def _feature_tip(self, item: FeatureItem) -> str:
        if not self.editable:
            return f"input feature {item.label}"
        return (f"input feature {item.label} ({'used' if item.used else 'not used'}) — click to "
                f"switch it {'off' if item.used else 'on'}")

    # --- layout -------------------------------------------------------------------------------
    def _feature_column(self) -> list[FeatureItem]:
        """Every feature shown, in canonical order (the used ones only unless editable)."""
        by_name = {item.name: item for item in [*self.features, *self.faded.values()]}
        return [by_name[name] for name in FEATURE_NAMES if name in by_name]

    def _display_columns(self) -> list[list[ThumbnailItem]]:
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
        row_pitch = (NODE_SIZE + NODE_GAP) / pixel      # screen pixels from feature to feature
        for item in self._feature_column():
            item.text.setScale(text_scale)
            rect = item.text.boundingRect()
            # squeezed shorter than a line of text (a short window), the names would overlap:
            # the thumbnails' tooltips still name them
            item.text.setVisible(rect.height() * text_scale / pixel <= row_pitch)
            item.text.setPos(-rect.width() * text_scale - 6.0 * pixel,
                             (NODE_SIZE - rect.height() * text_scale) / 2.0)
        self._titles.place(self.buttons, self._column_gap, pixel, text_scale, HEADER_PIXELS)

    # --- what is where ------------------------------------------------------------------------
    def hit(self, position: QtCore.QPoint):
        """What is under a viewport position: ("button", item), ("feature", name),
        ("bias", (layer, unit)), ("neuron", (layer, unit)), ("link", (layer, i, j)) or None."""
        scene_pos = self.mapToScene(position)
        tolerance = HIT_PIXELS / max(self.transform().m11(), 1e-6)
        area = QtCore.QRectF(scene_pos.x() - tolerance, scene_pos.y() - tolerance,
                             2 * tolerance, 2 * tolerance)
        for item in self.items(position):
            if isinstance(item, LayerButtonItem) and item.isVisible():
                return "button", item
        nearby = self.scene().items(area, QtCore.Qt.ItemSelectionMode.IntersectsItemBoundingRect)
        for item in nearby:
            if isinstance(item, NeuronItem):
                bias = NeuronItem.BIAS_RECT.adjusted(-tolerance, -tolerance, tolerance, tolerance)
                if bias.contains(item.mapFromScene(scene_pos)):
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
            return "link", min(links, key=lambda link: link.distance_to(scene_pos)).key
        return None

    def parameter_text(self, kind: str, layer: int, index) -> str:
        """The tooltip of a weight (index (i, j)) or bias (index unit): value and gradient of
        the last mini-batch."""
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
        return (f"{name}\nvalue {value:.4g}\n{symbol} {gradient:.4g} (last mini-batch)"
                + ("\nclick to edit" if self.editable else ""))

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
        found = None
        if event.button() == QtCore.Qt.MouseButton.LeftButton and self.snapshot is not None:
            found = self.hit(event.position().toPoint())
        if found is None or not (self.editable or found[0] == "link"):
            super().mousePressEvent(event)
            return
        kind, key = found
        position = event.position().toPoint()
        if kind == "link":
            self.sigLinkClicked.emit(*key)
        if self.editable and kind == "button" and key.enabled:
            self.sigLayerResized.emit(key.layer, key.delta)
        elif self.editable and kind == "feature":
            self.sigFeatureClicked.emit(key)
        elif self.editable and kind == "link":
            self.sigParameterClicked.emit("weight", key[0], key[1:], position)
        elif self.editable and kind == "bias":
            self.sigParameterClicked.emit("bias", key[0], key[1], position)
        event.accept()

    def contextMenuEvent(self, event: QtGui.QContextMenuEvent) -> None:
        found = self.hit(event.pos()) if self.editable else None
        n_hidden = len(self.columns) - 2
        if found is None or found[0] not in ("neuron", "bias") or found[1][0] >= n_hidden:
            super().contextMenuEvent(event)
            return
        self.sigActivationMenuRequested.emit(found[1][0], event.globalPos())

    def _on_neuron_hover(self, layer: int, unit: int) -> None:
        self.hovered = None if layer < 0 else (layer, unit)
        self.sigNeuronHovered.emit(layer, unit)
