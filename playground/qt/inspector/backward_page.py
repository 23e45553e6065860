"""② Backward pass: δ = ∂L/∂z from the output back to the first layer, ∂L/∂W = aᵀ·δ and
∂L/∂b = Σδ, each marked with the cached values it reuses. A click on a ∂L/∂W cell picks that
weight for the update page."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal

from playground.qt.inspector.matrix_table import arrow, block
from playground.qt.inspector.notation import activation_name, penalty_terms, step_labels, sub
from playground.qt.inspector.pass_page import PassPage, joined
from playground.snapshot import BatchInspection, Structure


def output_delta_formula(structure: Structure) -> str:
    """δ at the output: (a − y) / n for the output and loss pairs whose derivatives cancel."""
    pair = (structure.output_activation, structure.loss)
    if pair in {("sigmoid", "bce"), ("softmax", "cross_entropy"), ("linear", "mse")}:
        return "(a − y) / n"
    return "∂L/∂a ⊙ f′(z) / n"


class BackwardPage(PassPage):
    """The backward pass of the step on show; ``sigWeightClicked(layer, i, j)`` when a cell of
    a ∂L/∂W table is clicked (engine indices of ``weights[layer][i, j]``)."""

    sigWeightClicked = Signal(int, int, int)

    def show_step(self, structure: Structure, inspection: BatchInspection) -> None:
        """Build the page for one mini-batch step."""
        samples, inputs, units = step_labels(structure, inspection)
        n_layers = len(inspection.z)
        penalty = "".join(f" + {term}" for term in penalty_terms(inspection, "W"))
        self.note.setText(
            f"Read right to left: δ = ∂L/∂z starts at the output (n = {len(samples)} samples, "
            f"the loss is their mean) and flows back through each Wᵀ; "
            f'<span style="color:{self.cache_color}">↺</span> marks what is taken from the forward '
            f"cache. Click a cell of a ∂L/∂W table to see that weight's update.")
        blocks = []
        for layer in range(n_layers):
            n = layer + 1
            fan_in = inputs if layer == 0 else units[layer - 1]
            if layer == n_layers - 1:
                delta_title = (f"step 1: δ{sub(n)} = ∂L/∂z{sub(n)} = {output_delta_formula(structure)}"
                               f' <span style="color:{self.cache_color}">↺ a{sub(n)}</span>')
            else:
                name = activation_name(structure, layer)
                delta_title = (f"step {n_layers - layer}: δ{sub(n)} = "
                               f"(δ{sub(n + 1)}·W{sub(n + 1)}ᵀ)"
                               f" ⊙ {name}′(z{sub(n)})"
                               f' <span style="color:{self.cache_color}">↺ z{sub(n)}</span>')
            dW_table = self.tables.matrix("dW", layer, f"∂L/∂W{sub(n)}",
                                    inspection.weight_gradients[layer],
                                    fan_in, units[layer], False, row_labels=True)
            dW_table.sigCellClicked.connect(
                lambda i, j, layer=layer: self.sigWeightClicked.emit(layer, i, j))
            dW_table.setToolTip("Click a cell to see how this weight is updated")
            dW_table.setCursor(Qt.CursorShape.PointingHandCursor)
            layer_block = block(
                delta_title, f"δ of layer {n}: how the loss changes with each z{sub(n)}",
                [("", self.tables.matrix("delta", layer, f"δ{sub(n)}", inspection.delta[layer], samples,
                                   units[layer], True, row_labels=(layer == 0))),
                 (f"∂L/∂W{sub(n)} = a{sub(layer)}ᵀ·δ{sub(n)}{penalty}"
                  f' <span style="color:{self.cache_color}">↺ a{sub(layer)}</span>', dW_table),
                 (f"∂L/∂b{sub(n)} = Σ<sub>samples</sub> δ{sub(n)}",
                  self.tables.matrix("db", layer, f"∂L/∂b{sub(n)}",
                               inspection.bias_gradients[layer][None, :], ["Σδ"], units[layer],
                               False, row_labels=True))])
            blocks.append(joined(arrow(f"←<br>·W{sub(n)}ᵀ"), layer_block) if layer
                          else layer_block)
        self.show_blocks(blocks)
