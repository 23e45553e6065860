"""Animate one inspected mini-batch step on the network drawing.

Forward: the columns of the NetworkView light up from the inputs to the output, one layer per
beat, with the links that carry the values into each layer pulsing. Backward: from the output
back to the first layer, each layer's links are overdrawn in the colour of their gradient ∂L/∂w
(orange negative, blue positive, width by magnitude within the layer) and its neurons are
ringed in the colour of their mean δ. The gradient colours stay until the animation ends.

The animation never changes the view's own items: it hangs overlay items under them (a pen along
each link, a ring in each node) and removes them when it ends, so snapshots arriving meanwhile
keep updating the drawing and a re-layout moves the overlay along. A rebuild of the view (new
structure) deletes the overlay with the view's items; the animation notices and stops.
"""
from __future__ import annotations

import numpy as np
import shiboken6
from PySide6 import QtCore, QtGui, QtWidgets

from playground.qt import theme
from playground.qt.network.items import NODE_SIZE
from playground.qt.network.view import NetworkView
from playground.snapshot import BatchInspection, Structure

FORWARD_COLOR = "#6f42c1"      # the inspector's "cached value" colour
PULSE_ALPHA = 150
RING_WIDTH = 3.0
MIN_GRADIENT_WIDTH = 1.5
MAX_GRADIENT_WIDTH = 7.0
HOLD_BEATS = 4                 # the finished picture stays this many beats before it clears


class LinkOverlay(QtWidgets.QGraphicsItem):
    """A pen drawn along its parent LinkItem's current path.

    As a child of the link it follows every re-layout of the view (resizes route the links
    anew) and is deleted with it; it draws above its link and, like the link, below the nodes.
    """

    def __init__(self, link: QtWidgets.QGraphicsPathItem, pen: QtGui.QPen) -> None:
        super().__init__(link)
        self._pen = QtGui.QPen(pen)
        self.setAcceptedMouseButtons(QtCore.Qt.MouseButton.NoButton)

    def pen(self) -> QtGui.QPen:
        return QtGui.QPen(self._pen)

    def boundingRect(self) -> QtCore.QRectF:
        margin = self._pen.widthF() / 2.0 + 1.0
        return self.parentItem().path().boundingRect().adjusted(-margin, -margin, margin, margin)

    def paint(self, painter: QtGui.QPainter, option, widget=None) -> None:
        painter.setPen(self._pen)
        painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        painter.drawPath(self.parentItem().path())


class BackpropAnimation(QtCore.QObject):
    """Plays forward-then-backward over a NetworkView; one beat per layer.

    Signals: ``sigPhase(str)`` describes the current beat ("" when done), ``sigFinished``.
    ``beats()`` lists the plan: ("forward", column) for columns 0..L, then ("backward", layer)
    for weight layers L-1..0, then ("hold", -1).
    """

    sigPhase = QtCore.Signal(str)
    sigFinished = QtCore.Signal()

    def __init__(self, view: NetworkView, parent: QtCore.QObject | None = None,
                 layer_duration_ms: int = 350) -> None:
        super().__init__(parent)
        self.view = view
        self.layer_duration_ms = int(layer_duration_ms)
        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._next_beat)
        self._plan: list[tuple[str, int]] = []
        self._position = -1
        self._inspection: BatchInspection | None = None
        self._overlay: list[QtWidgets.QGraphicsItem] = []
        self._pulses: list[QtWidgets.QGraphicsItem] = []
        # key -> overlay item, for tests and for anyone wanting to read the picture
        self.gradient_links: dict[tuple[int, int, int], QtWidgets.QGraphicsPathItem] = {}
        self.rings: dict[tuple[int, int], QtWidgets.QGraphicsRectItem] = {}

    # --- control ----------------------------------------------------------------------------

    def set_layer_duration(self, milliseconds: int) -> None:
        """Duration of one beat (one layer); takes effect from the next beat."""
        self.layer_duration_ms = max(1, int(milliseconds))

    def is_running(self) -> bool:
        return self._position >= 0

    @property
    def current_beat(self) -> tuple[str, int] | None:
        return self._plan[self._position] if self.is_running() else None

    def beats(self) -> list[tuple[str, int]]:
        return list(self._plan)

    def play(self, structure: Structure, inspection: BatchInspection) -> bool:
        """Start animating ``inspection``; False (and nothing drawn) if the view does not show
        a network of this shape."""
        self.stop()
        if not shiboken6.isValid(self.view) or not self._view_matches(structure):
            return False
        self._inspection = inspection
        n_layers = len(inspection.weights_before)
        self._plan = ([("forward", column) for column in range(n_layers + 1)]
                      + [("backward", layer) for layer in range(n_layers - 1, -1, -1)]
                      + [("hold", -1)])
        self._position = -1
        self._next_beat()
        return True

    def advance(self) -> None:
        """Go to the next beat now (the timer restarts from there)."""
        if self.is_running():
            self._timer.stop()
            self._next_beat()

    def stop(self) -> None:
        """End at once and remove everything drawn."""
        self._timer.stop()
        was_running = self.is_running()
        self._position = -1
        self._clear(self._overlay)
        self._pulses.clear()
        self.gradient_links.clear()
        self.rings.clear()
        if was_running:
            self.sigPhase.emit("")
            self.sigFinished.emit()

    # --- beats ------------------------------------------------------------------------------

    def _view_matches(self, structure: Structure) -> bool:
        return [len(column) for column in self.view.columns] == list(structure.layer_sizes)

    def _items_alive(self) -> bool:
        items = list(self.view.links.values())[:1] + self._overlay[:1]
        return all(shiboken6.isValid(item) for item in items)

    def _next_beat(self) -> None:
        if self._position >= 0 and not self._items_alive():
            self.stop()          # the view was rebuilt under us
            return
        self._position += 1
        if self._position >= len(self._plan):
            self.stop()
            return
        kind, index = self._plan[self._position]
        self._clear(self._pulses)
        if kind == "forward":
            self._forward_beat(index)
        elif kind == "backward":
            self._backward_beat(index)
        else:
            self.sigPhase.emit("gradients of every layer: orange ∂L/∂w < 0 (w grows), "
                               "blue ∂L/∂w > 0 (w shrinks)")
        beats = HOLD_BEATS if kind == "hold" else 1
        self._timer.start(self.layer_duration_ms * beats)

    def _forward_beat(self, column: int) -> None:
        inspection = self._inspection
        for ring in self.rings.values():        # earlier columns fade: the values moved on
            ring.setPen(self._ring_pen(QtGui.QColor(FORWARD_COLOR), alpha=90))
        nodes = self.view.columns[column]
        for unit, node in enumerate(nodes):
            self._ring(node, column, unit, QtGui.QColor(FORWARD_COLOR))
        if column > 0:
            color = QtGui.QColor(FORWARD_COLOR)
            color.setAlpha(PULSE_ALPHA)
            pen = QtGui.QPen(color, 2.5)
            for (layer, i, j), link in self.view.links.items():
                if layer == column - 1:
                    self._pulses.append(self._path_over(link, pen))
            mean = np.mean(inspection.a[column], axis=0)
            what = f"layer {column}: z = a·W + b, a = f(z) (mean a: " + \
                ", ".join(f"{v:.2f}" for v in mean[:4]) + ("…" if len(mean) > 4 else "") + ")"
        else:
            what = "inputs of the mini-batch"
        self.sigPhase.emit(f"forward → {what}")

    def _backward_beat(self, layer: int) -> None:
        inspection = self._inspection
        gradient = inspection.weight_gradients[layer]
        scale = float(np.max(np.abs(gradient), initial=0.0)) or 1.0
        for (link_layer, i, j), link in self.view.links.items():
            if link_layer != layer:
                continue
            value = float(gradient[i, j])
            width = (MIN_GRADIENT_WIDTH
                     + (MAX_GRADIENT_WIDTH - MIN_GRADIENT_WIDTH) * abs(value) / scale)
            pen = QtGui.QPen(theme.value_color(value, -scale, scale), width)
            pen.setCapStyle(QtCore.Qt.PenCapStyle.FlatCap)
            item = self._path_over(link, pen)
            item.setToolTip(f"∂L/∂W{layer + 1}[{i + 1},{j + 1}] = {value:.4g}")
            self.gradient_links[(layer, i, j)] = item
        delta = np.mean(inspection.delta[layer], axis=0)
        delta_scale = float(np.max(np.abs(delta), initial=0.0)) or 1.0
        for unit, node in enumerate(self.view.columns[layer + 1]):
            self._ring(node, layer + 1, unit, theme.value_color(float(delta[unit]),
                                                                -delta_scale, delta_scale))
        self.sigPhase.emit(f"backward ← layer {layer + 1}: δ = ∂L/∂z, links coloured by ∂L/∂W"
                           f"{layer + 1} (largest |∂L/∂w| {scale:.3g})")

    # --- overlay items ----------------------------------------------------------------------

    @staticmethod
    def _ring_pen(color: QtGui.QColor, alpha: int = 255) -> QtGui.QPen:
        color = QtGui.QColor(color)
        color.setAlpha(alpha)
        return QtGui.QPen(color, RING_WIDTH)

    def _ring(self, node, column: int, unit: int, color: QtGui.QColor) -> None:
        ring = self.rings.get((column, unit))
        if ring is None:
            # a child of the node, inside its bounds: it moves with the node on a re-layout and
            # leaves the view's fitted scene rect alone
            ring = QtWidgets.QGraphicsRectItem(1.5, 1.5, NODE_SIZE - 3.0, NODE_SIZE - 3.0, node)
            ring.setAcceptedMouseButtons(QtCore.Qt.MouseButton.NoButton)
            self._overlay.append(ring)
            self.rings[(column, unit)] = ring
        ring.setPen(self._ring_pen(color))

    def _path_over(self, link, pen: QtGui.QPen) -> LinkOverlay:
        item = LinkOverlay(link, pen)
        self._overlay.append(item)
        return item

    def _clear(self, items: list) -> None:
        for item in items:
            if shiboken6.isValid(item):
                scene = item.scene()
                if scene is not None:
                    scene.removeItem(item)
            if items is not self._overlay and item in self._overlay:
                self._overlay.remove(item)
        items.clear()
