"""The backprop inspector: one mini-batch, forward and backward, with every number.

A panel for a dock (objectName ``inspectorPanel``). "Step one mini-batch" only emits
``sigStepBatch``; the window forwards it to the worker, whose next Snapshot carries a
BatchInspection (copies of the engine's caches of that step) and is given to ``show_snapshot``.
The panel then shows, layer by layer:

1. Forward: the inputs, z = a·W + b and a = f(z) as heatmap tables (samples are rows; the sample
   under the mouse is framed in every table), marked as the cache the backward pass reuses.
2. Backward: δ at the output, δ of earlier layers, ∂L/∂W = aᵀ·δ and ∂L/∂b = Σδ.
3. Update of one picked weight: the chain rule with the cached factors, the step, and the slope
   in words.

"Check gradients" runs the engine's finite-difference check on the same mini-batch, in the
training worker when the panel has one (a few seconds on an 8 × 32 network, with the window
responsive meanwhile). All values come from the snapshot; the panel computes nothing but the
per-sample products it displays.
Run alone: ``python -m playground.qt.inspector.panel``.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QApplication, QFrame, QHBoxLayout, QLabel, QPushButton,
                               QScrollArea, QSlider, QStackedWidget, QTabWidget, QVBoxLayout,
                               QWidget)

from playground.data import FEATURES
from playground.inspection import (chain_rule, check_gradients, demo_step, nearest_kink,
                                   optimizer_rule, snapshot_after_step, weight_update)
from playground.qt import theme
from playground.qt.inspector.matrix_table import CELL_WIDTH, MatrixModel, MatrixTable, arrow, block
from playground.snapshot import BatchInspection, Structure

GRADIENT_TOLERANCE = 1e-6
# (light theme, dark theme) colours of the verdicts and of the "cached" mark
OK_COLORS = ("#1a7f37", "#3fb950")
ERROR_COLORS = ("#c62828", "#ff6b61")
CACHE_COLORS = ("#6f42c1", "#b694f5")
# the animation speed slider: milliseconds per layer, slowest on the left
ANIMATION_MS_RANGE = (60, 1500)
DEFAULT_ANIMATION_MS = 350

SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def sub(number: int) -> str:
    """A number as Unicode subscript digits (layer indices in formulas)."""
    return str(number).translate(SUBSCRIPTS)


def precise(value: float) -> str:
    """Six significant digits, for formulas written out in sentences."""
    return f"{value:.6g}"


def signed(value: float) -> str:
    """``precise`` with negative values in parentheses, for the right side of an operator."""
    return f"({precise(value)})" if value < 0 else precise(value)


def feature_label(name: str) -> str:
    """x₁, sin(x₂), … for a feature name; the name itself if it is not a known feature."""
    feature = FEATURES.get(name)
    return feature.label if feature is not None else name


# --- the panel ---------------------------------------------------------------------------------


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
        self._models: dict[tuple[str, int], MatrixModel] = {}
        self._sample_tables: list[MatrixTable] = []
        self._factor_table: MatrixTable | None = None
        self._animation = None
        self.chain_model: MatrixModel | None = None
        self.update_model: MatrixModel | None = None
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
        self.speed_slider.setToolTip("Animation speed on the network: left is slower")
        # the slider shows speed, so its value is reversed milliseconds per layer
        low, high = ANIMATION_MS_RANGE
        self.speed_slider.setRange(low, high)
        self.speed_slider.setValue(low + high - DEFAULT_ANIMATION_MS)
        self.speed_slider.setMaximumWidth(140)
        self.speed_slider.valueChanged.connect(self._speed_changed)

        buttons = QHBoxLayout()
        buttons.addWidget(self.step_button)
        buttons.addWidget(self.check_button)
        buttons.addStretch(1)
        buttons.addWidget(QLabel("Animation:"))
        buttons.addWidget(QLabel("slow"))
        buttons.addWidget(self.speed_slider)
        buttons.addWidget(QLabel("fast"))
        buttons.addWidget(self.replay_button)

        self.summary_label = QLabel()
        self.summary_label.setObjectName("inspectorSummary")
        self.summary_label.setWordWrap(True)
        self.animation_label = QLabel()
        self.animation_label.setObjectName("inspectorAnimationPhase")
        self.animation_label.setWordWrap(True)
        self.animation_label.hide()
        self.gradient_label = QLabel()
        self.gradient_label.setObjectName("inspectorGradientCheck")
        self.gradient_label.setTextFormat(Qt.TextFormat.RichText)
        self.gradient_label.setWordWrap(True)
        self.gradient_label.hide()

        self.tabs = QTabWidget()
        self.tabs.setObjectName("inspectorTabs")
        self.forward_note, self.forward_area = QLabel(), self._scroll_area()
        self.backward_note, self.backward_area = QLabel(), self._scroll_area()
        self.update_note, self.update_area = QLabel(), self._scroll_area()
        self.tabs.addTab(self._page(self.forward_note, self.forward_area), "① Forward pass")
        self.tabs.addTab(self._page(self.backward_note, self.backward_area), "② Backward pass")
        self.tabs.addTab(self._page(self.update_note, self.update_area), "③ Update of a weight")

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
        layout.addWidget(self.animation_label)
        layout.addWidget(self.gradient_label)
        layout.addWidget(self.stack, 1)

    @property
    def ok_color(self) -> str:
        return OK_COLORS[theme.is_dark(self.palette())]

    @property
    def error_color(self) -> str:
        return ERROR_COLORS[theme.is_dark(self.palette())]

    @property
    def cache_color(self) -> str:
        """Colour of the ↺ mark on values the forward pass cached for the backward pass."""
        return CACHE_COLORS[theme.is_dark(self.palette())]

    def _cached(self, text: str) -> str:
        """A formula title carrying the 'kept in the cache' mark."""
        return f'{text} <span style="color:{self.cache_color}">↺</span>'

    @staticmethod
    def _page(note: QLabel, area: QScrollArea) -> QWidget:
        """A tab: an explanation that wraps to the dock's width above the scrolling tables."""
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(4, 4, 4, 0)
        note.setWordWrap(True)
        note.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(note)
        layout.addWidget(area, 1)
        return page

    @staticmethod
    def _scroll_area() -> QScrollArea:
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        return area

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
        self._models.clear()
        self._sample_tables.clear()
        self.gradient_errors = None
        self.gradient_label.hide()
        self.forward_area.setWidget(self._build_forward())
        self.backward_area.setWidget(self._build_backward())
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
        self._models.clear()
        self._sample_tables.clear()
        self.chain_model = self.update_model = None
        self.gradient_errors = None
        self.gradient_label.hide()
        self.summary_label.clear()
        self._show_check_state()
        self.replay_button.setEnabled(False)
        self.stack.setCurrentIndex(0)

    def model(self, kind: str, layer: int = 0) -> MatrixModel:
        """The table model of one matrix: kind in "a" (a[layer], a[0] inputs), "z", "W", "b",
        "delta", "dW", "db" (engine layer index), or "target" (layer 0)."""
        return self._models[(kind, layer)]

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
                self._models[(kind, self._picked[0])].set_picked_cell(None)
        self._picked = (layer, i, j)
        for kind in ("W", "dW"):
            self._models[(kind, layer)].set_picked_cell((i, j))
        self.update_area.setWidget(self._build_update(layer, i, j))
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
        self.gradient_label.setText(
            f"Gradient check (largest relative error per layer, central differences; "
            f"green below {GRADIENT_TOLERANCE:g}): " + " · ".join(parts) + f" — {verdict}")
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

    # --- building the tabs ---------------------------------------------------------------------

    def _default_pick(self) -> tuple[int, int, int]:
        """The first layer's weight with the steepest slope: the most instructive one."""
        gradient = np.abs(self._inspection.weight_gradients[0])
        i, j = np.unravel_index(int(np.argmax(gradient)), gradient.shape)
        return 0, int(i), int(j)

    def _labels(self):
        structure, inspection = self._structure, self._inspection
        samples = [f"#{int(k)}" for k in inspection.indices]
        inputs = [feature_label(name) for name in structure.features]
        if len(inputs) != structure.layer_sizes[0]:
            inputs = [f"x{k + 1}" for k in range(structure.layer_sizes[0])]
        units = [[f"n{k + 1}" for k in range(size)] for size in structure.layer_sizes[1:]]
        if structure.output_activation == "softmax":
            units[-1] = [f"c{k}" for k in range(structure.layer_sizes[-1])]
        return samples, inputs, units

    def _matrix(self, kind: str, layer: int, name: str, values, rows, columns, samples: bool,
                row_labels: bool = False) -> MatrixTable:
        model = MatrixModel(name, values, rows, columns, sample_rows=samples)
        self._models[(kind, layer)] = model
        table = MatrixTable(model, show_row_labels=row_labels)
        if samples:
            self._register_sample_table(table)
        return table

    def _register_sample_table(self, table: MatrixTable) -> None:
        """Join the shared sample highlight and scroll with the other sample tables, so a
        row is the same sample everywhere."""
        self._sample_tables.append(table)
        table.sigHoverRow.connect(self._highlight_sample)
        table.verticalScrollBar().valueChanged.connect(self._sync_scroll)

    def _activation_name(self, layer: int) -> str:
        structure = self._structure
        return (structure.activations[layer] if layer < len(structure.activations)
                else structure.output_activation)

    def _build_forward(self) -> QWidget:
        inspection = self._inspection
        samples, inputs, units = self._labels()
        n_layers = len(inspection.z)
        self.forward_note.setText(
            f'<span style="color:{self.cache_color}"><b>↺ cached</b></span> — the forward pass '
            f"keeps "
            f"every z and a below; the backward pass reuses them instead of recomputing. "
            f"Rows are the {len(samples)} samples of the mini-batch (hover one to follow it "
            f"through every table); W and b are the weights before the step.")
        widget = QWidget()
        outer = QVBoxLayout(widget)
        row = QHBoxLayout()
        row.addWidget(block(self._cached("a₀ = x (inputs)"), "The mini-batch's input features",
                            [("", self._matrix("a", 0, "a₀", inspection.a[0], samples, inputs,
                                               True, row_labels=True))]))
        for layer in range(n_layers):
            n = layer + 1
            fan_in = inputs if layer == 0 else units[layer - 1]
            name = self._activation_name(layer)
            row.addWidget(arrow(f"·W{sub(n)} + b{sub(n)}<br>→"))
            row.addWidget(block(
                self._cached(f"z{sub(n)} = a{sub(layer)}·W{sub(n)} + b{sub(n)}"),
                "Pre-activations of layer %d" % n,
                [("", self._matrix("z", layer, f"z{sub(n)}", inspection.z[layer], samples,
                                   units[layer], True)),
                 (f"W{sub(n)} (rows: inputs of layer {n})",
                  self._matrix("W", layer, f"W{sub(n)}", inspection.weights_before[layer], fan_in,
                               units[layer], False, row_labels=True)),
                 (f"b{sub(n)}", self._matrix("b", layer, f"b{sub(n)}",
                                             inspection.biases_before[layer][None, :], ["b"],
                                             units[layer], False, row_labels=True))]))
            row.addWidget(arrow(f"{name}<br>→"))
            title = (f"a{sub(n)} = {name}(z{sub(n)})" if layer < n_layers - 1
                     else f"output a{sub(n)} = {name}(z{sub(n)})")
            row.addWidget(block(self._cached(title), f"Activations of layer {n}",
                                [("", self._matrix("a", n, f"a{sub(n)}", inspection.a[n], samples,
                                                   units[layer], True))]))
        row.addWidget(block("target y", "What the loss compares the output with",
                            [("", self._matrix("target", 0, "y", inspection.targets, samples,
                                               units[-1], True))]))
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        return widget

    def _output_delta_formula(self) -> str:
        structure = self._structure
        pair = (structure.output_activation, structure.loss)
        if pair in {("sigmoid", "bce"), ("softmax", "cross_entropy"), ("linear", "mse")}:
            return "(a − y) / n"
        return "∂L/∂a ⊙ f′(z) / n"

    def _build_backward(self) -> QWidget:
        inspection = self._inspection
        samples, inputs, units = self._labels()
        n_layers = len(inspection.z)
        penalty = ""
        if inspection.l1:
            penalty = f" + {inspection.l1:g}·sign(W)"
        if inspection.l2:
            penalty += f" + {inspection.l2:g}·W"
        self.backward_note.setText(
            f"Read right to left: δ = ∂L/∂z starts at the output (n = {len(samples)} samples, "
            f"the loss is their mean) and flows back through each Wᵀ; "
            f'<span style="color:{self.cache_color}">↺</span> marks what is taken from the forward '
            f"cache. Click a cell of a ∂L/∂W table to see that weight's update.")
        widget = QWidget()
        outer = QVBoxLayout(widget)
        row = QHBoxLayout()
        for layer in range(n_layers):
            n = layer + 1
            fan_in = inputs if layer == 0 else units[layer - 1]
            if layer == n_layers - 1:
                delta_title = (f"step 1: δ{sub(n)} = ∂L/∂z{sub(n)} = {self._output_delta_formula()}"
                               f' <span style="color:{self.cache_color}">↺ a{sub(n)}</span>')
            else:
                name = self._activation_name(layer)
                delta_title = (f"step {n_layers - layer}: δ{sub(n)} = "
                               f"(δ{sub(n + 1)}·W{sub(n + 1)}ᵀ)"
                               f" ⊙ {name}′(z{sub(n)})"
                               f' <span style="color:{self.cache_color}">↺ z{sub(n)}</span>')
            dW_table = self._matrix("dW", layer, f"∂L/∂W{sub(n)}",
                                    inspection.weight_gradients[layer],
                                    fan_in, units[layer], False, row_labels=True)
            dW_table.sigCellClicked.connect(
                lambda i, j, layer=layer: self.pick_weight(layer, i, j))
            dW_table.setToolTip("Click a cell to see how this weight is updated")
            dW_table.setCursor(Qt.CursorShape.PointingHandCursor)
            if layer:
                row.addWidget(arrow(f"←<br>·W{sub(n)}ᵀ"))
            row.addWidget(block(
                delta_title, f"δ of layer {n}: how the loss changes with each z{sub(n)}",
                [("", self._matrix("delta", layer, f"δ{sub(n)}", inspection.delta[layer], samples,
                                   units[layer], True, row_labels=(layer == 0))),
                 (f"∂L/∂W{sub(n)} = a{sub(layer)}ᵀ·δ{sub(n)}{penalty}"
                  f' <span style="color:{self.cache_color}">↺ a{sub(layer)}</span>', dW_table),
                 (f"∂L/∂b{sub(n)} = Σ<sub>samples</sub> δ{sub(n)}",
                  self._matrix("db", layer, f"∂L/∂b{sub(n)}",
                               inspection.bias_gradients[layer][None, :], ["Σδ"], units[layer],
                               False, row_labels=True))]))
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        return widget

    def _build_update(self, layer: int, i: int, j: int) -> QWidget:
        inspection = self._inspection
        samples, inputs, units = self._labels()
        rule = chain_rule(inspection, layer, i, j)
        update = weight_update(inspection, layer, i, j)
        n = layer + 1
        source = inputs[i] if layer == 0 else f"neuron {i + 1} of layer {layer}"
        target = (f"output {units[layer][j]}" if layer == len(inspection.z) - 1
                  else f"neuron {j + 1} of layer {n}")
        w = f"w = W{sub(n)}[{i + 1},{j + 1}]"
        a_i, d_j = f"a{sub(layer)},{sub(i + 1)}", f"δ{sub(n)},{sub(j + 1)}"

        self.update_note.setText(f"<b>{w}</b>: the link from {source} to {target}. Click a "
                                 "cell of a ∂L/∂W table or a link in the network to pick another.")
        widget = QWidget()
        outer = QVBoxLayout(widget)

        penalty_text = ""
        if inspection.l1 or inspection.l2:
            terms = []
            if inspection.l1:
                terms.append(f"{inspection.l1:g}·sign(w)")
            if inspection.l2:
                terms.append(f"{inspection.l2:g}·w")
            penalty_text = (f"<br>&nbsp;&nbsp;+ regularisation {' + '.join(terms)} = "
                            f"{precise(rule.penalty)}")
        chain = QLabel(
            f"<b>Chain rule</b>: z{sub(n)},{sub(j + 1)} = Σ<sub>i</sub> a{sub(layer)},ᵢ·"
            f"W{sub(n)}[i,"
            f"{j + 1}] + b, so ∂z/∂w = {a_i}, and<br>"
            f"∂L/∂w = Σ<sub>samples</sub> ∂L/∂a · ∂a/∂z · ∂z/∂w"
            f" = Σ<sub>samples</sub> ∂L/∂z{sub(n)},{sub(j + 1)} · ∂z{sub(n)},{sub(j + 1)}/∂w"
            f" = Σ<sub>samples</sub> {d_j} · {a_i}, where the backward pass already folded "
            f"∂L/∂a · ∂a/∂z into {d_j}<br>"
            f"&nbsp;&nbsp;= {precise(rule.data_term)} (sum of the products in the table)"
            f"{penalty_text}<br>"
            f"&nbsp;&nbsp;= <b>{precise(rule.gradient)}</b> = the backward pass's "
            f"∂L/∂W{sub(n)}[{i + 1},{j + 1}] "
            f'<span style="color:{self.cache_color}">(δ from the backward cache, a ↺ from the '
            f"forward "
            f"cache)</span>")
        chain.setTextFormat(Qt.TextFormat.RichText)
        chain.setWordWrap(True)
        outer.addWidget(chain)

        factors = np.stack([rule.delta_j, rule.a_i, rule.products], axis=1)
        self.chain_model = MatrixModel(
            "chain rule", factors, samples,
            [f"{d_j} = ∂L/∂z", f"{a_i} = ∂z/∂w", f"{d_j}·{a_i}"], sample_rows=True,
            heatmap="column")
        factor_table = MatrixTable(self.chain_model, show_row_labels=True)
        factor_table.set_column_width(CELL_WIDTH * 2)
        # the previous weight's factor table is being replaced: stop syncing with it
        if self._factor_table in self._sample_tables:
            self._sample_tables.remove(self._factor_table)
        self._factor_table = factor_table
        self._register_sample_table(factor_table)

        quantities = [(f"Σ {d_j}·{a_i} over the batch", rule.data_term),
                      ("+ regularisation term", rule.penalty),
                      ("= ∂L/∂w (backprop cache)", rule.gradient),
                      ("w before", update.weight_before),
                      ("η (learning rate)", update.learning_rate),
                      ("−η·∂L/∂w", update.sgd_step), ("w − η·∂L/∂w", update.sgd_result),
                      ("w after the step", update.weight_after),
                      ("actual change", update.actual_change)]
        self.update_model = MatrixModel("update", np.array([[v] for _, v in quantities]),
                                        [label for label, _ in quantities], ["value"],
                                        sample_rows=False, heatmap="none", digits=6)
        update_table = MatrixTable(self.update_model, show_row_labels=True)
        update_table.set_column_width(CELL_WIDTH * 2)

        tables = QHBoxLayout()
        tables.addWidget(block("per-sample factors", "", [("", factor_table)]))
        tables.addWidget(block("the step", "", [("", update_table)]))
        tables.addStretch(1)
        outer.addLayout(tables)

        words = QLabel(self._update_in_words(update))
        words.setTextFormat(Qt.TextFormat.RichText)
        words.setWordWrap(True)
        words.setObjectName("inspectorUpdateWords")
        outer.addWidget(words)
        outer.addStretch(1)
        return widget

    @staticmethod
    def _update_in_words(update) -> str:
        gradient = update.gradient
        if gradient < 0:
            slope = (f"The slope ∂L/∂w = {precise(gradient)} is <b>negative</b>: a larger w "
                     "lowers the loss, so gradient descent makes the weight <b>grow</b>.")
        elif gradient > 0:
            slope = (f"The slope ∂L/∂w = {precise(gradient)} is <b>positive</b>: a smaller w "
                     "lowers the loss, so gradient descent makes the weight <b>shrink</b>.")
        else:
            slope = "The slope ∂L/∂w is exactly 0: this batch gives no reason to move the weight."
        formula = (f"W<sub>new</sub> = W<sub>old</sub> − η·∂L/∂W = {precise(update.weight_before)}"
                   f" − {update.learning_rate:g} × {signed(gradient)} = "
                   f"{precise(update.sgd_result)}")
        if update.is_sgd:
            applied = (f"{formula}. SGD applies exactly this step: the weight went from "
                       f"{precise(update.weight_before)} to {precise(update.weight_after)} "
                       f"(change {precise(update.actual_change)}).")
        else:
            label, rule = optimizer_rule(update.optimizer)
            applied = (f"Plain gradient descent would give {formula}. The optimizer is "
                       f"<b>{label}</b>, which applies {rule} instead: its actual step for this "
                       f"weight was <b>{precise(update.actual_change)}</b> (from "
                       f"{precise(update.weight_before)} to {precise(update.weight_after)}), "
                       f"against {precise(update.sgd_step)} for plain SGD.")
        return f"{slope}<br>{applied}"

    # --- shared sample highlight and scrolling -------------------------------------------------

    def _highlight_sample(self, row: int) -> None:
        for model in self._models.values():
            model.set_highlighted_row(row)
        if self.chain_model is not None:
            self.chain_model.set_highlighted_row(row)

    def _sync_scroll(self, value: int) -> None:
        for table in self._sample_tables:
            bar = table.verticalScrollBar()
            if bar.value() != value:
                bar.setValue(value)

    def _summarise(self) -> None:
        inspection = self._inspection
        label, _ = optimizer_rule(inspection.optimizer)
        regularisation = ""
        if inspection.l1:
            regularisation = f", L1 {inspection.l1:g}"
        if inspection.l2:
            regularisation += f", L2 {inspection.l2:g}"
        self.summary_label.setText(
            f"Epoch {inspection.epoch + 1}, mini-batch {inspection.batch_index + 1}: "
            f"{len(inspection.indices)} samples, loss {inspection.loss:.6g} "
            f"(before the step) · {label}, η = {inspection.learning_rate:g}{regularisation}")

    def _mark_stale(self) -> None:
        text = self.summary_label.text()
        marker = " — training has moved on since; step again to inspect the current weights"
        if not text.endswith(marker):
            self.summary_label.setText(text + marker)

    def _show_phase(self, text: str) -> None:
        self.animation_label.setText(f"Animation: {text}" if text else "")
        self.animation_label.setVisible(bool(text))

    def _speed_changed(self, value: int) -> None:
        low, high = ANIMATION_MS_RANGE
        if self._animation is not None:
            self._animation.set_layer_duration(low + high - value)


# --- running the panel alone ----------------------------------------------------------------------


def _demo(argv: list[str]) -> int:
    """``[--three-class] [--adam] [--tab N] [--scroll-right] [--network [--beat N]]
    [--screenshot PATH]``.

    The panel after one real mini-batch step; with ``--network`` a network view above it plays
    the step's animation (``--beat N`` stops it at beat N for the screenshot).
    """
    from PySide6.QtWidgets import QSplitter

    from playground.qt.demo_snapshot import demo_snapshot
    from playground.qt.network.view import NetworkView

    app = QApplication.instance() or QApplication(argv)
    panel = InspectorPanel()
    structure, inspection = demo_step("--three-class" in argv,
                                      "adam" if "--adam" in argv else "sgd")
    kind = "three_class" if structure.output_activation == "softmax" else "circle"
    snapshot = snapshot_after_step(demo_snapshot(kind, epochs=1, resolution=40), structure,
                                   inspection)
    window: QWidget = panel
    if "--network" in argv:
        view = NetworkView()
        view.show_snapshot(snapshot)
        panel.attach_network_view(view)
        window = QSplitter(Qt.Orientation.Vertical)
        window.addWidget(view)
        window.addWidget(panel)
        window.resize(1100, 900)
        window.setSizes([330, 570])
    else:
        panel.resize(1100, 600)
    window.setWindowTitle("Backprop Playground — backprop inspector")
    panel.show_snapshot(snapshot)
    panel.check_gradients()
    if "--tab" in argv:
        panel.tabs.setCurrentIndex(int(argv[argv.index("--tab") + 1]))
    if "--scroll-right" in argv:      # show the output end of a wide network
        for area in (panel.forward_area, panel.backward_area):
            area.widget().adjustSize()
            area.horizontalScrollBar().setRange(0, area.widget().width())
            area.horizontalScrollBar().setValue(area.widget().width())
    if "--beat" in argv and panel.animation is not None:
        panel.animation.set_layer_duration(3_600_000)      # hold still for the screenshot
        for _ in range(int(argv[argv.index("--beat") + 1])):
            panel.animation.advance()
    if "--screenshot" in argv:
        window.grab().save(argv[argv.index("--screenshot") + 1])
        return 0
    window.show()
    return app.exec()


if __name__ == "__main__":
    import sys

    sys.exit(_demo(sys.argv))
