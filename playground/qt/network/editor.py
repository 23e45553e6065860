"""The network editor: the network drawing in its editable mode, under a header bar.

- click an input feature to switch it on or off (at least one stays on);
- the header adds or removes hidden layers (0 … MAX_HIDDEN_LAYERS), the "+"/"−" buttons above
  each hidden column change its neurons (MIN_UNITS … MAX_UNITS), a neuron's context menu sets
  its layer's activation;
- hover a link or a bias for its value and gradient ∂L/∂w (last mini-batch); click one to type a
  new value in place;
- the keyboard reaches all of it (:mod:`~playground.qt.network.keyboard`): Tab or the arrows
  mark an item, Enter acts on it, and a neuron's menu holds its activation, its bias and its
  incoming weights.

The editor never touches the engine: structure edits are the pure edits of
:mod:`playground.network_edits` and go out as a new NetworkSpec on ``sigNetworkChanged``; value
edits go out on ``sigParameterEdited(kind, layer, index, value)``; the window forwards both to
the worker.
"""
from __future__ import annotations

import collections
from typing import Sequence

import shiboken6
from PySide6 import QtCore, QtGui, QtWidgets

from playground.classroom import CONTROLS, HIDDEN, LOCKED, SHOWN
from playground.config import ACTIVATION_NAMES, NetworkSpec
from playground.limits import MAX_HIDDEN_LAYERS
from playground.network_edits import (add_layer, remove_layer, resize_layer, set_layer_activation,
                                      toggle_feature)
from playground.qt import theme
from playground.qt.flow_layout import FlowLayout
from playground.qt.network.items import BIAS_SIZE, NODE_SIZE
from playground.qt.network.keyboard import NetworkKeyboard
from playground.qt.network.view import NetworkView
from playground.qt.widgets import number_field
from playground.snapshot import Snapshot

# the order of the activation context menu; any other activation follows
ACTIVATION_ORDER = ("tanh", "relu", "leaky_relu", "elu", "sigmoid", "softplus", "swish", "sine",
                    "linear")
HINTS = ("click a feature to switch it", "click a link or bias to edit",
         "right-click a neuron for its activation")


def _group(*widgets: QtWidgets.QWidget) -> QtWidgets.QWidget:
    """Widgets side by side that a wrapping header keeps on one line, never narrower."""
    group = QtWidgets.QWidget()
    group.setSizePolicy(QtWidgets.QSizePolicy.Policy.Fixed, QtWidgets.QSizePolicy.Policy.Preferred)
    row = QtWidgets.QHBoxLayout(group)
    row.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        row.addWidget(widget)
    return group


def activation_names() -> list[str]:
    """Hidden-layer activations, in menu order."""
    return ([name for name in ACTIVATION_ORDER if name in ACTIVATION_NAMES]
            + [name for name in ACTIVATION_NAMES if name not in ACTIVATION_ORDER])


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
        number_field(self)
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
    - sigNeuronHovered(layer, unit) — (boundary_view.show_neuron_map), (-1, -1) when the mouse
      leaves the neuron (boundary_view.clear_neuron_map);
    - sigMessage(str) — an edit refused, for the status bar.
    """

    sigNetworkChanged = QtCore.Signal(object)
    sigParameterEdited = QtCore.Signal(str, int, object, float)
    sigLinkClicked = QtCore.Signal(int, int, int)
    sigNeuronHovered = QtCore.Signal(int, int)
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
        self._editing: tuple[str, int, object] | None = None
        # classroom mode: control id (features, layers, activation, edit_weights) -> its state
        self.classroom: dict[str, str] = {}
        self._marker: QtWidgets.QGraphicsItem | None = None
        self.view = NetworkView(self, editable=True)
        self.view.setObjectName("networkView")
        self.view.setAccessibleName("Network")
        self.setFocusProxy(self.view)
        self.value_editor = ValueEditor(self.view.viewport())
        self.value_editor.sigCommitted.connect(self._commit_value)
        self.value_editor.sigClosed.connect(self._unmark)
        self.keyboard = NetworkKeyboard(self.view, self._open_neuron_menu, parent=self)

        self.add_layer_button = self._tool_button("addLayerButton", "+",
                                                  "Add a hidden layer", self._add_layer)
        self.remove_layer_button = self._tool_button("removeLayerButton", "−",
                                                     "Remove the last hidden layer",
                                                     self._remove_layer)
        self.layer_count = QtWidgets.QLabel()
        self.layer_count.setObjectName("hiddenLayerCount")
        hint = HintLabel(HINTS)
        hint.setObjectName("networkEditorHint")
        hint.setEnabled(False)
        # the header wraps onto a second line rather than widening the window (flow_layout)
        header = QtWidgets.QWidget()
        header.setObjectName("networkEditorHeader")
        self.header = FlowLayout(header, spacing=12, centred=True)
        self.header.setContentsMargins(6, 2, 6, 0)
        self.header.addWidget(_group(self.add_layer_button, self.remove_layer_button,
                                     self.layer_count))
        self.header.addWidget(hint)
        self._hint = hint
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(header)
        layout.addWidget(self.view, 1)

        view = self.view
        view.sigFeatureClicked.connect(self._toggle_feature)
        view.sigLayerResized.connect(self._resize_layer)
        view.sigActivationMenuRequested.connect(self._activation_menu_requested)
        view.sigParameterClicked.connect(self.open_value_editor)
        view.sigLinkClicked.connect(self.sigLinkClicked)
        view.sigNeuronHovered.connect(self.sigNeuronHovered)
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
    def add_to_header(self, *groups) -> None:
        """Put more controls of the network in the header bar, before the hints: each group
        (a sequence of widgets, a label and its field say) stays together on one line."""
        for widgets in groups:
            self.header.insert_widget(self.header.index_of(self._hint), _group(*widgets))

    def set_classroom(self, states: dict[str, str]) -> None:
        """Classroom mode: each of the editor's controls ("features", "layers", "activation",
        "edit_weights") SHOWN, LOCKED or HIDDEN (left out: shown). A locked gesture is refused
        with a message; a hidden one silently, and the drawing leaves out what offers it."""
        self.classroom = dict(states)
        self.value_editor.hide()
        self.keyboard.take_mark_away()      # the items may be drawn again
        self.view.restrict_editing(offer_unused_features=self._state("features") != HIDDEN,
                                   layer_buttons=self._state("layers"))
        self.keyboard.refresh()

    def _state(self, control: str) -> str:
        return self.classroom.get(control, SHOWN)

    def _refused(self, control: str) -> bool:
        """True when classroom mode keeps ``control`` from being changed (and says so when it is
        locked: a hidden control is not offered, so nobody asked for it)."""
        state = self._state(control)
        if state == LOCKED:
            self.sigMessage.emit(f"Locked by this lesson: {CONTROLS[control].label.lower()}.")
        return state != SHOWN

    def show_snapshot(self, snapshot: Snapshot) -> None:
        drawn = self.view.snapshot
        rebuilt = drawn is None or drawn.structure.version != snapshot.structure.version
        if rebuilt:
            self.value_editor.hide()       # the parameter being edited may be gone
            self.keyboard.take_mark_away()     # before the rebuild deletes the item it frames
        self.view.show_snapshot(snapshot)
        if rebuilt:
            self.keyboard.refresh()        # the marked item was rebuilt with the others

    def clear(self) -> None:
        self.value_editor.hide()
        self.keyboard.take_mark_away()
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

    # --- structure edits ----------------------------------------------------------------------
    def _apply(self, spec: NetworkSpec) -> None:
        if spec == self.spec:
            return
        self.spec = spec
        self._pending.append(spec)
        self._show_spec()
        self.sigNetworkChanged.emit(spec)

    def _toggle_feature(self, name: str) -> None:
        if self._refused("features"):
            return
        spec = toggle_feature(self.spec, name)
        if spec == self.spec:
            self.sigMessage.emit("At least one input feature must stay on.")
        self._apply(spec)

    def _add_layer(self) -> None:
        if not self._refused("layers"):
            self._apply(add_layer(self.spec))

    def _remove_layer(self) -> None:
        if not self._refused("layers"):
            self._apply(remove_layer(self.spec))

    def _resize_layer(self, layer: int, delta: int) -> None:
        # a button of a layer removed meanwhile does nothing
        if layer < len(self.spec.hidden_layers) and not self._refused("layers"):
            self._apply(resize_layer(self.spec, layer, delta))

    def _set_activation(self, layer: int, name: str) -> None:
        if layer < len(self.spec.hidden_layers) and not self._refused("activation"):
            self._apply(set_layer_activation(self.spec, layer, name))

    def _show_spec(self) -> None:
        n = len(self.spec.hidden_layers)
        self.layer_count.setText(f"{n} hidden layer{'s' * (n != 1)}")
        self.add_layer_button.setEnabled(n < MAX_HIDDEN_LAYERS)
        self.remove_layer_button.setEnabled(n > 0)

    def activation_menu(self, layer: int) -> QtWidgets.QMenu:
        """The context menu choosing hidden layer ``layer``'s activation."""
        menu = QtWidgets.QMenu(self.view)
        menu.setObjectName("activationMenu")
        menu.addSection(f"Hidden layer {layer + 1} activation")
        current = self.view.snapshot.structure.activations[layer]
        locked = self._state("activation") != SHOWN
        if locked:
            menu.addSection("Locked by this lesson")
        for name in activation_names():
            action = menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(name == current)
            action.setEnabled(not locked)
            action.triggered.connect(lambda _=False, n=name: self._set_activation(layer, n))
        return menu

    def neuron_menu(self, layer: int, unit: int, position: QtCore.QPoint) -> QtWidgets.QMenu:
        """What the keyboard opens on a neuron: its layer's activation (hidden layers), editing
        its bias, and editing each weight that comes into it. ``position`` is in the viewport,
        where the value field opens."""
        view = self.view
        structure = view.snapshot.structure
        hidden = layer < len(structure.layer_sizes) - 2
        offers_activation = hidden and self._state("activation") != HIDDEN
        menu = self.activation_menu(layer) if offers_activation else QtWidgets.QMenu(view)
        menu.setObjectName("neuronMenu")
        name = view.parameter_text("bias", layer, unit).splitlines()[0].removeprefix("bias of ")
        menu.addSection(name.capitalize())
        bias = menu.addAction("Edit the bias…")
        bias.triggered.connect(
            lambda: self.open_value_editor("bias", layer, unit, position))
        weights = menu.addMenu("Edit an incoming weight")
        bias.setEnabled(self._state("edit_weights") == SHOWN)
        weights.setEnabled(bias.isEnabled())
        for i in range(structure.layer_sizes[layer]):
            text = view.parameter_text("weight", layer, (i, unit)).splitlines()[0]
            action = weights.addAction(text.removeprefix("w "))
            action.triggered.connect(lambda _=False, i=i: self.open_value_editor(
                "weight", layer, (i, unit), position))
        return menu

    def _activation_menu_requested(self, layer: int, position: QtCore.QPoint) -> None:
        if self._state("activation") != HIDDEN:
            self.popup_menu(self.activation_menu(layer), position)

    def _open_neuron_menu(self, layer: int, unit: int, position: QtCore.QPoint) -> None:
        if self.view.snapshot is not None:
            self.popup_menu(self.neuron_menu(layer, unit, position),
                            self.view.viewport().mapToGlobal(position))

    def popup_menu(self, menu: QtWidgets.QMenu, position: QtCore.QPoint) -> None:
        """Show a context menu until it closes (its own method so tests can stand in for it)."""
        menu.exec(position)

    # --- value edits --------------------------------------------------------------------------
    def open_value_editor(self, kind: str, layer: int, index, position: QtCore.QPoint) -> None:
        """Edit one weight (index (i, j)) or bias (index unit) in place at viewport
        ``position``, the parameter outlined until the field closes."""
        if self._refused("edit_weights"):
            return
        snapshot = self.view.snapshot
        value = (snapshot.weights[layer][index] if kind == "weight"
                 else snapshot.biases[layer][index])
        self._editing = (kind, layer, index)
        self._mark(kind, layer, index)
        field, viewport = self.value_editor, self.view.viewport()
        x = min(position.x() + 8, viewport.width() - field.width())
        y = min(position.y() + 8, viewport.height() - field.sizeHint().height())
        field.open_at(QtCore.QPoint(max(x, 0), max(y, 0)), float(value),
                      self.view.parameter_text(kind, layer, index))

    def _commit_value(self, value: float) -> None:
        if self._editing is not None:
            kind, layer, index = self._editing
            self._editing = None
            self.sigParameterEdited.emit(kind, layer, index, value)

    def _mark(self, kind: str, layer: int, index) -> None:
        self._unmark()
        view = self.view
        pen = QtGui.QPen(theme.plot_foreground(view.palette()), 2.0)
        pen.setCosmetic(True)
        pen.setStyle(QtCore.Qt.PenStyle.DashLine)
        if kind == "weight":
            marker = QtWidgets.QGraphicsPathItem(view.links[(layer, *index)].path())
        else:
            rect = QtCore.QRectF(-BIAS_SIZE, NODE_SIZE - BIAS_SIZE, 2 * BIAS_SIZE, 2 * BIAS_SIZE)
            marker = QtWidgets.QGraphicsEllipseItem(
                view.neurons[(layer, index)].mapRectToScene(rect))
        marker.setPen(pen)
        marker.setZValue(3)
        marker.setAcceptedMouseButtons(QtCore.Qt.MouseButton.NoButton)
        view.scene().addItem(marker)
        self._marker = marker

    def _unmark(self) -> None:
        if self.keyboard.marked is not None and not self.view.hasFocus():
            # the field was opened from the keyboard: the keys go back to the drawing
            self.view.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)
        marker, self._marker = self._marker, None
        # a rebuild of the view deletes the marker with every other item
        if marker is not None and shiboken6.isValid(marker):
            self.view.scene().removeItem(marker)
