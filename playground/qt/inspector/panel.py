"""The backprop inspector: one mini-batch, forward and backward, with every number.

A panel for a dock (objectName ``inspectorPanel``). "Step one mini-batch" only emits
``sigStepBatch``; the window forwards it to the worker, whose next Snapshot carries a
BatchInspection (copies of the engine's caches of that step) and is given to ``show_snapshot``.
The panel then shows it on three pages, one per pass, that share the step's tables (samples are
rows; the sample under the mouse is framed in every table):

1. :mod:`~playground.qt.inspector.forward_page`: the inputs, z = a·W + b and a = f(z);
2. :mod:`~playground.qt.inspector.backward_page`: δ, ∂L/∂W = aᵀ·δ and ∂L/∂b = Σδ;
3. :mod:`~playground.qt.inspector.update_page`: the update of one picked weight.

"Check gradients" runs the engine's finite-difference check on the same mini-batch, in the
training worker when the panel has one (a few seconds on an 8 × 32 network, with the window
responsive meanwhile). All values come from the snapshot; the panel computes nothing but the
per-sample products it displays.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QLabel, QPushButton, QSlider,
                               QStackedWidget, QTabWidget, QVBoxLayout, QWidget)

from playground.inspection import check_gradients, nearest_kink, optimizer_rule
from playground.messages import describe_position
from playground.qt import theme
from playground.qt.inspector.backward_page import BackwardPage
from playground.qt.inspector.forward_page import ForwardPage
from playground.qt.inspector.matrix_table import MatrixModel
from playground.qt.inspector.notation import sub
from playground.qt.inspector.step_tables import StepTables
from playground.qt.inspector.update_page import UpdatePage
from playground.qt.widgets import OneLineLabel
from playground.snapshot import BatchInspection, Structure

GRADIENT_TOLERANCE = 1e-6
# (light theme, dark theme) colours of the verdicts
OK_COLORS = ("#1a7f37", "#3fb950")
ERROR_COLORS = ("#c62828", "#ff6b61")
# the animation speed slider: milliseconds per layer, slowest on the left
ANIMATION_MS_RANGE = (60, 1500)
DEFAULT_ANIMATION_MS = 350
SLIDER_WIDTH = 160
# said wherever the inspector shows a step computed in single precision
SINGLE_PRECISION_NOTE = " · computed in float32 (single precision: ~7 digits)"

class InspectorPanel(QWidget):
    """Backprop inspector panel: step one mini-batch and see the forward and backward pass.

    Signals: ``sigStepBatch`` (the user asked for one mini-batch), ``sigWeightPicked(layer, i, j)``
    (a weight was picked, engine indices of ``weights[layer][i, j]``). Slots: ``show_snapshot``,
    ``pick_weight``, ``check_gradients``, ``attach_network_view`` (animates the step on it).
    ``gradient_checker`` is called as ``gradient_checker(structure, inspection)`` and returns the
    largest relative error per layer. ``run_in_worker(job, done, failed)`` (the controller's)
    runs it off the GUI thread: ``job(playground)`` there, then ``done(result)`` or ``failed()``
    back here; without one the check runs at once, on the caller's thread.
    """

    sigStepBatch = Signal()
    sigWeightPicked = Signal(int, int, int)

    def __init__(self, parent=None, gradient_checker=check_gradients,
                 run_in_worker=None) -> None:
        super().__init__(parent)
        self.setObjectName("inspectorPanel")
        self.gradient_checker = gradient_checker
        self._run_in_worker = run_in_worker
        self._checking: BatchInspection | None = None     # the step whose check is running
        self._structure: Structure | None = None
        self._inspection: BatchInspection | None = None
        self._picked: tuple[int, int, int] | None = None
        self.tables = StepTables()
        self._animation = None
        self.gradient_errors: tuple[float, ...] | None = None

        self.step_button = QPushButton("Step one mini-batch")
        self.step_button.setObjectName("inspectorStepBatch")
        self.step_button.setToolTip("Train on the next mini-batch only and show every number of "
                                    "its forward and backward pass")
        self.step_button.clicked.connect(self.sigStepBatch)
        self.check_button = QPushButton("Check gradients")
        self.check_button.setObjectName("inspectorCheckGradients")
        self.check_button.setToolTip("Compare backprop's gradients of this mini-batch with central "
                                     "finite differences")
        self.check_button.setEnabled(False)
        self.check_button.clicked.connect(self.check_gradients)
        self.replay_button = QPushButton("Replay")
        self.replay_button.setObjectName("inspectorReplay")
        self.replay_button.setToolTip("Play the step's animation on the network again")
        self.replay_button.setEnabled(False)
        self.replay_button.clicked.connect(self.replay_animation)
        self.speed_slider = QSlider(Qt.Orientation.Horizontal)
        self.speed_slider.setObjectName("inspectorAnimationSpeed")
        self.speed_slider.setAccessibleName("Animation speed")
        self.speed_slider.setToolTip("Animation speed on the network: left is slower")
        # the slider shows speed, so its value is reversed milliseconds per layer
        low, high = ANIMATION_MS_RANGE
        self.speed_slider.setRange(low, high)
        self.speed_slider.setValue(low + high - DEFAULT_ANIMATION_MS)
        self.speed_slider.setPageStep((high - low) // 10)
        # wide enough to read as a slider, with ticks, never squeezed to a knob
        self.speed_slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.speed_slider.setTickInterval((high - low) // 6)
        self.speed_slider.setMinimumWidth(SLIDER_WIDTH)

        buttons = QHBoxLayout()
        buttons.addWidget(self.step_button)
        buttons.addWidget(self.check_button)
        buttons.addStretch(1)
        buttons.addWidget(QLabel("Animation speed:"))
        buttons.addWidget(QLabel("slow"))
        buttons.addWidget(self.speed_slider)
        buttons.addWidget(QLabel("fast"))
        buttons.addWidget(self.replay_button)
        self.speed_slider.valueChanged.connect(self._speed_changed)

        # captions that change with each step live on lines of fixed height, so the tabs under
        # the summary never move: the summary above them, the animation's phase below
        self.summary_label = OneLineLabel()
        self.summary_label.setObjectName("inspectorSummary")
        self.animation_label = OneLineLabel()
        self.animation_label.setObjectName("inspectorAnimationPhase")
        self.gradient_label = QLabel()
        self.gradient_label.setObjectName("inspectorGradientCheck")
        self.gradient_label.setTextFormat(Qt.TextFormat.RichText)
        self.gradient_label.setWordWrap(True)
        self.gradient_label.hide()

        self.tabs = QTabWidget()
        self.tabs.setObjectName("inspectorTabs")
        self.forward_page = ForwardPage(self.tables)
        self.backward_page = BackwardPage(self.tables)
        self.update_page = UpdatePage(self.tables)
        self.backward_page.sigWeightClicked.connect(self.pick_weight)
        self.tabs.addTab(self.forward_page, "① Forward pass")
        self.tabs.addTab(self.backward_page, "② Backward pass")
        self.tabs.addTab(self.update_page, "③ Update of a weight")

        empty = QLabel("Press <b>Step one mini-batch</b> to train on a single mini-batch and see "
                       "its forward pass, its backward pass and the update of any weight, with "
                       "the engine's own numbers.")
        empty.setWordWrap(True)
        empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        empty.setMargin(20)
        self.stack = QStackedWidget()
        self.stack.addWidget(empty)
        self.stack.addWidget(self.tabs)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(buttons)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.animation_label)
        layout.addWidget(self.gradient_label)

    @property
    def ok_color(self) -> str:
        return OK_COLORS[theme.is_dark(self.palette())]

    @property
    def error_color(self) -> str:
        return ERROR_COLORS[theme.is_dark(self.palette())]

    # --- public API ----------------------------------------------------------------------------

    def show_snapshot(self, snapshot) -> None:
        """Show the snapshot's inspection if it carries a new one; cheap otherwise."""
        inspection = snapshot.inspection
        if inspection is None:
            if self._inspection is None:
                return
            if snapshot.structure.version != self._structure.version:
                self.clear()
            else:
                self._mark_stale()
            return
        if inspection is self._inspection:
            return
        self.show_inspection(snapshot.structure, inspection)

    def show_inspection(self, structure: Structure, inspection: BatchInspection) -> None:
        """Rebuild the three tabs for one mini-batch step."""
        same_shape = (self._structure is not None
                      and self._structure.layer_sizes == structure.layer_sizes)
        self._structure, self._inspection = structure, inspection
        self.tables.clear()
        self.gradient_errors = None
        self.gradient_label.hide()
        self.forward_page.show_step(structure, inspection)
        self.backward_page.show_step(structure, inspection)
        self._summarise()
        self._show_check_state()
        self.replay_button.setEnabled(self._animation is not None)
        self.stack.setCurrentIndex(1)
        picked = self._picked if same_shape and self._picked is not None else self._default_pick()
        self._picked = None     # its cells belonged to the previous step's tables
        self.pick_weight(*picked, switch_tab=False)
        if self._animation is not None:
            self._animation.play(structure, inspection)

    def clear(self) -> None:
        """Forget the shown step (the network changed shape)."""
        self._structure = self._inspection = None
        self._picked = None
        self.tables.clear()
        self.update_page.clear()
        self.gradient_errors = None
        self.gradient_label.hide()
        self.summary_label.setText("")
        self._show_check_state()
        self.replay_button.setEnabled(False)
        self.stack.setCurrentIndex(0)

    def model(self, kind: str, layer: int = 0) -> MatrixModel:
        """The table model of one matrix: kind in "a" (a[layer], a[0] inputs), "z", "W", "b",
        "delta", "dW", "db" (engine layer index), or "target" (layer 0)."""
        return self.tables.models[(kind, layer)]

    def pick_weight(self, layer: int, i: int, j: int, switch_tab: bool = True) -> None:
        """Explain the update of weights[layer][i, j] (engine indices) in the Update tab."""
        if self._inspection is None:
            return
        weights = self._inspection.weights_before
        if not (0 <= layer < len(weights) and 0 <= i < weights[layer].shape[0]
                and 0 <= j < weights[layer].shape[1]):
            return      # a link of a network other than the one inspected
        if self._picked is not None:
            for kind in ("W", "dW"):
                self.model(kind, self._picked[0]).set_picked_cell(None)
        self._picked = (layer, i, j)
        for kind in ("W", "dW"):
            self.model(kind, layer).set_picked_cell((i, j))
        self.update_page.show_weight(self._structure, self._inspection, layer, i, j)
        if switch_tab:
            self.tabs.setCurrentIndex(2)
        self.sigWeightPicked.emit(layer, i, j)

    @property
    def picked_weight(self) -> tuple[int, int, int] | None:
        return self._picked

    def check_gradients(self) -> tuple[float, ...] | None:
        """Run the finite-difference check on the shown mini-batch and show the result.

        In the worker (``run_in_worker``) this returns None at once and the button shows that a
        check is running until its result arrives; otherwise it returns the errors."""
        structure, inspection, checker = self._structure, self._inspection, self.gradient_checker
        if inspection is None or self._checking is not None:
            return None
        if self._run_in_worker is None:
            # two losses per parameter: instant on small networks, a few seconds on 8 × 32
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                errors = checker(structure, inspection)
            finally:
                QApplication.restoreOverrideCursor()
            return self._show_gradient_check(errors)
        self._checking = inspection
        self._show_check_state()
        self._run_in_worker(lambda _playground: tuple(checker(structure, inspection)),
                            lambda errors: self._gradient_check_ended(inspection, errors),
                            lambda: self._gradient_check_ended(inspection, None))
        return None

    def _gradient_check_ended(self, inspection: BatchInspection, errors) -> None:
        self._checking = None
        self._show_check_state()
        # a newer step may have replaced the one checked meanwhile; a failure is on sigError
        if errors is not None and inspection is self._inspection:
            self._show_gradient_check(errors)

    def _show_check_state(self) -> None:
        busy = self._checking is not None
        self.check_button.setText("Checking gradients…" if busy else "Check gradients")
        self.check_button.setEnabled(not busy and self._inspection is not None)

    def _show_gradient_check(self, errors) -> tuple[float, ...]:
        self.gradient_errors = tuple(errors)
        parts = []
        for layer, error in enumerate(self.gradient_errors, start=1):
            good = error < GRADIENT_TOLERANCE
            color, mark = (self.ok_color, "✓") if good else (self.error_color, "✗")
            parts.append(f'<span style="color:{color}"><b>layer {layer}: {error:.2e} {mark}'
                         '</b></span>')
        verdict = "backprop agrees with finite differences"
        if not all(e < GRADIENT_TOLERANCE for e in self.gradient_errors):
            verdict = "backprop DISAGREES with finite differences"
            kink = nearest_kink(self._structure, self._inspection)
            if kink is not None:
                layer, distance = kink
                verdict += (f" — but z{sub(layer + 1)} has a value {distance:.1e} from "
                            f"{self._structure.activations[layer]}'s kink at 0, where the "
                            "check's small nudges cross the kink: there the finite differences, "
                            "not backprop, are off")
        precision = ""
        if self._inspection.precision == "float32":
            precision = (" The step was computed in float32; the check recomputes its gradients "
                         "in float64 from the same weights, so it checks the algorithm, and the "
                         "step's own numbers differ from these by ~1e-7.")
        self.gradient_label.setText(
            f"Gradient check (largest relative error per layer, central differences; "
            f"green below {GRADIENT_TOLERANCE:g}): " + " · ".join(parts) + f" — {verdict}."
            + precision)
        self.gradient_label.show()
        return self.gradient_errors

    def attach_network_view(self, network_view) -> None:
        """Animate each inspected step on ``network_view`` (a NetworkView)."""
        from playground.qt.network.backprop_animation import BackpropAnimation

        if self._animation is not None:
            self._animation.stop()
            self._animation.deleteLater()
        self._animation = BackpropAnimation(network_view, parent=self)
        self._animation.sigPhase.connect(self._show_phase)
        self._speed_changed(self.speed_slider.value())
        self.replay_button.setEnabled(self._inspection is not None)

    @property
    def animation(self):
        return self._animation

    def replay_animation(self) -> None:
        if self._animation is not None and self._inspection is not None:
            self._animation.play(self._structure, self._inspection)

    # --- internals -----------------------------------------------------------------------------
    def _default_pick(self) -> tuple[int, int, int]:
        """The first layer's weight with the steepest slope: the most instructive one."""
        gradient = np.abs(self._inspection.weight_gradients[0])
        i, j = np.unravel_index(int(np.argmax(gradient)), gradient.shape)
        return 0, int(i), int(j)

    def _summarise(self) -> None:
        inspection = self._inspection
        label, _ = optimizer_rule(inspection.optimizer)
        regularisation = ""
        if inspection.l1:
            regularisation = f", L1 {inspection.l1:g}"
        if inspection.l2:
            regularisation += f", L2 {inspection.l2:g}"
        # the position this step brought training to, written as the tool bar writes it
        self.summary_label.setText(
            f"{describe_position(*inspection.position_after)} (this step): "
            f"{len(inspection.indices)} samples, loss {inspection.loss:.6g} "
            f"(before the step) · {label}, η = {inspection.learning_rate:g}{regularisation}"
            f"{SINGLE_PRECISION_NOTE if inspection.precision == 'float32' else ''}")

    def _mark_stale(self) -> None:
        text = self.summary_label.text()
        marker = " — training has moved on since; step again to inspect the current weights"
        if not text.endswith(marker):
            self.summary_label.setText(text + marker)

    def _show_phase(self, text: str) -> None:
        self.animation_label.setText(f"Animation: {text}" if text else "")

    def _speed_changed(self, value: int) -> None:
        low, high = ANIMATION_MS_RANGE
        if self._animation is not None:
            self._animation.set_layer_duration(low + high - value)
