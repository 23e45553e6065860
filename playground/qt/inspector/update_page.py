"""③ Update of a weight: for the weight picked (a ∂L/∂W cell or a link of the network), the chain
rule with its per-sample factors from the caches, the step the optimizer applied, and the slope
in words."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from playground.inspection import L1_PROXIMAL_RULE, chain_rule, optimizer_rule, weight_update
from playground.qt.inspector.matrix_table import CELL_WIDTH, MatrixModel, MatrixTable, block
from playground.qt.inspector.notation import precise, signed, step_labels, sub
from playground.qt.inspector.pass_page import PassPage
from playground.qt.inspector.step_tables import StepTables
from playground.snapshot import BatchInspection, Structure


class UpdatePage(PassPage):
    """The update of one weight of the step on show: ``chain_model`` holds the per-sample
    factors δ_j, a_i and their products, ``update_model`` the step's quantities."""

    def __init__(self, tables: StepTables, parent=None) -> None:
        super().__init__(tables, parent)
        self.chain_model: MatrixModel | None = None
        self.update_model: MatrixModel | None = None
        self._factor_table: MatrixTable | None = None

    def clear(self) -> None:
        """Forget the weight shown (the step is gone)."""
        self.chain_model = self.update_model = None

    def show_weight(self, structure: Structure, inspection: BatchInspection, layer: int, i: int,
                    j: int) -> None:
        """Build the page for weights[layer][i, j] (engine indices) of one step."""
        samples, inputs, units = step_labels(structure, inspection)
        rule = chain_rule(inspection, layer, i, j)
        update = weight_update(inspection, layer, i, j)
        n = layer + 1
        source = inputs[i] if layer == 0 else f"neuron {i + 1} of layer {layer}"
        target = (f"output {units[layer][j]}" if layer == len(inspection.z) - 1
                  else f"neuron {j + 1} of layer {n}")
        w = f"w = W{sub(n)}[{i + 1},{j + 1}]"
        a_i, d_j = f"a{sub(layer)},{sub(i + 1)}", f"δ{sub(n)},{sub(j + 1)}"

        self.note.setText(f"<b>{w}</b>: the link from {source} to {target}. Click a "
                                 "cell of a ∂L/∂W table or a link in the network to pick another.")
        penalty_text = ""
        if inspection.l2:
            penalty_text = (f"<br>&nbsp;&nbsp;+ L2 term {inspection.l2:g}·w = "
                            f"{precise(rule.penalty)}")
        if inspection.l1:
            penalty_text += "<br>&nbsp;&nbsp;(no L1 term: L1 acts after the step, see below)"
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
        chain.setObjectName("inspectorChainRule")

        factors = np.stack([rule.delta_j, rule.a_i, rule.products], axis=1)
        self.chain_model = MatrixModel(
            "chain rule", factors, samples,
            [f"{d_j} = ∂L/∂z", f"{a_i} = ∂z/∂w", f"{d_j}·{a_i}"], sample_rows=True,
            heatmap="column")
        factor_table = MatrixTable(self.chain_model, show_row_labels=True)
        factor_table.set_column_width(CELL_WIDTH * 2)
        # the previous weight's factor table is being replaced: stop syncing with it
        self.tables.remove_sample_table(self._factor_table)
        self._factor_table = factor_table
        self.tables.add_sample_table(factor_table)

        quantities = [(f"Σ {d_j}·{a_i} over the batch", rule.data_term),
                      ("+ L2 term", rule.penalty),
                      ("= ∂L/∂w (backprop cache)", rule.gradient),
                      ("w before", update.weight_before),
                      ("η (learning rate)", update.learning_rate),
                      ("−η·∂L/∂w", update.sgd_step), ("w − η·∂L/∂w", update.sgd_result)]
        if update.l1_threshold:
            quantities.append(("L1 threshold η·λ₁", update.l1_threshold))
        quantities += [("w after the step", update.weight_after),
                       ("actual change", update.actual_change)]
        self.update_model = MatrixModel("update", np.array([[v] for _, v in quantities]),
                                        [label for label, _ in quantities], ["value"],
                                        sample_rows=False, heatmap="none", digits=6)
        update_table = MatrixTable(self.update_model, show_row_labels=True)
        update_table.set_column_width(CELL_WIDTH * 2)

        words = QLabel(self._update_in_words(update))
        words.setTextFormat(Qt.TextFormat.RichText)
        words.setWordWrap(True)
        words.setObjectName("inspectorUpdateWords")
        self.show_blocks([block("per-sample factors", "", [("", factor_table)]),
                          block("the step", "", [("", update_table)])],
                         above=[chain], below=[words])

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
        if update.is_sgd and update.l1_threshold:
            applied = (f"{formula}. SGD takes this step, then applies L1 as a proximal step, "
                       f"{L1_PROXIMAL_RULE} (η·λ₁ = {precise(update.l1_threshold)}): the weight "
                       f"went from {precise(update.weight_before)} to "
                       f"{precise(update.weight_after)} (change {precise(update.actual_change)}).")
        elif update.is_sgd:
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
            if update.l1_threshold:
                applied += (f" That includes L1, applied after the optimizer's step as a "
                            f"proximal step: {L1_PROXIMAL_RULE} (η·λ₁ = "
                            f"{precise(update.l1_threshold)}).")
        return f"{slope}<br>{applied}"
