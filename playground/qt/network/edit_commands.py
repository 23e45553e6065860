"""Network edits as undo steps: shape, features, activations, initializer and typed weights.

Every network edit of the window (the editor's gestures and keys, the Training panel's
activation and initializer) goes through :class:`NetworkEdits`, which pushes it onto an undo
stack; the step's first ``redo`` sends it to the worker as before. Undoing a shape edit brings
back the earlier shape *with the weights it had* (hand-typed ones included), which a rebuild
from the seed would not; undoing a typed weight puts its old value back. Redoing a shape edit
rebuilds it from the seed, exactly as the edit first did.
"""
from __future__ import annotations

import collections

from PySide6 import QtCore, QtGui

from playground.config import NetworkSpec
from playground.network_edits import describe_change


def layers_of(snapshot, spec: NetworkSpec) -> tuple | None:
    """(W, b) per layer of ``snapshot`` when it shows the network ``spec`` describes (None when
    the worker has not drawn that network yet: quick successive edits)."""
    if snapshot is None:
        return None
    structure = snapshot.structure
    if (structure.features != tuple(spec.features)
            or structure.layer_sizes[1:-1] != tuple(spec.hidden_layers)
            or structure.activations != tuple(spec.activations)):
        return None
    return tuple(zip(snapshot.weights, snapshot.biases))


class NetworkShapeCommand(QtGui.QUndoCommand):
    """One shape edit: the spec before (with its weights, when known) and the spec after."""

    def __init__(self, controller, before: NetworkSpec, layers: tuple | None,
                 after: NetworkSpec) -> None:
        super().__init__(describe_change(before, after))
        self.controller = controller
        self.before, self.layers, self.after = before, layers, after

    def redo(self) -> None:
        self.controller.set_network(self.after)

    def undo(self) -> None:
        self.controller.set_network(self.before, self.layers)


class ParameterCommand(QtGui.QUndoCommand):
    """One typed weight or bias: its value before and after."""

    def __init__(self, controller, kind: str, layer: int, index, old: float,
                 new: float) -> None:
        super().__init__(f"edit {'weight' if kind == 'weight' else 'bias'}")
        self.controller = controller
        self.key = (kind, layer, index)
        self.old, self.new = float(old), float(new)

    def redo(self) -> None:
        self.controller.set_parameter(*self.key, self.new)

    def undo(self) -> None:
        self.controller.set_parameter(*self.key, self.old)


class NetworkEdits(QtCore.QObject):
    """Sends network edits to the controller as steps of ``stack`` (a QUndoStack)."""

    def __init__(self, controller, stack: QtGui.QUndoStack,
                 parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.stack = stack
        # specs asked for and not yet seen back from the worker: quick edits build on each
        # other, not on a spec the worker has not confirmed yet
        self._pending: collections.deque[NetworkSpec] = collections.deque(maxlen=32)
        self._confirmed = controller.config.network
        controller.sigConfigChanged.connect(self._config_arrived)

    @property
    def spec(self) -> NetworkSpec:
        """The network the next edit starts from."""
        return self._pending[-1] if self._pending else self.controller.config.network

    def change_network(self, spec: NetworkSpec) -> None:
        """Rebuild the network as ``spec`` says, as an undoable step."""
        before = self.spec
        if spec == before:
            return
        layers = layers_of(self.controller.latest_snapshot, before)
        self._pending.append(spec)
        self.stack.push(NetworkShapeCommand(self.controller, before, layers, spec))

    def set_parameter(self, kind: str, layer: int, index, value: float) -> None:
        """Set one weight (index (i, j)) or bias (index j) to a typed value, undoably."""
        snapshot = self.controller.latest_snapshot
        if snapshot is None or layer >= len(snapshot.weights):
            self.controller.set_parameter(kind, layer, index, value)
            return
        old = snapshot.weights[layer][index] if kind == "weight" else snapshot.biases[layer][index]
        self.stack.push(ParameterCommand(self.controller, kind, layer, index, old, value))

    def _config_arrived(self, config) -> None:
        network = config.network
        if network in self._pending:
            while self._pending.popleft() != network:
                pass
        elif network != self._confirmed:
            self._pending.clear()     # changed elsewhere (an undo, a file): follow the worker
        # else: the same network again, sent along with other settings
        self._confirmed = network
