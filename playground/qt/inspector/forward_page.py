"""① Forward pass: the inputs, z = a·W + b and a = f(z) layer by layer, as heatmap tables whose
rows are the mini-batch's samples, each marked as the cache the backward pass reuses."""
from __future__ import annotations

from playground.qt.inspector.matrix_table import arrow, block
from playground.qt.inspector.notation import activation_name, step_labels, sub
from playground.qt.inspector.pass_page import PassPage, joined
from playground.snapshot import BatchInspection, Structure


class ForwardPage(PassPage):
    """The forward pass of the step on show, with the weights before the step."""

    def show_step(self, structure: Structure, inspection: BatchInspection) -> None:
        """Build the page for one mini-batch step."""
        samples, inputs, units = step_labels(structure, inspection)
        n_layers = len(inspection.z)
        self.note.setText(
            f'<span style="color:{self.cache_color}"><b>↺ cached</b></span> — the forward pass '
            f"keeps "
            f"every z and a below; the backward pass reuses them instead of recomputing. "
            f"Rows are the {len(samples)} samples of the mini-batch (hover one to follow it "
            f"through every table); W and b are the weights before the step.")
        blocks = []
        blocks.append(block(self.cached("a₀ = x (inputs)"), "The mini-batch's input features",
                            [("", self.tables.matrix("a", 0, "a₀", inspection.a[0], samples, inputs,
                                               True, row_labels=True))]))
        for layer in range(n_layers):
            n = layer + 1
            fan_in = inputs if layer == 0 else units[layer - 1]
            name = activation_name(structure, layer)
            blocks.append(joined(arrow(f"·W{sub(n)} + b{sub(n)}<br>→"), block(
                self.cached(f"z{sub(n)} = a{sub(layer)}·W{sub(n)} + b{sub(n)}"),
                "Pre-activations of layer %d" % n,
                [("", self.tables.matrix("z", layer, f"z{sub(n)}", inspection.z[layer], samples,
                                   units[layer], True)),
                 (f"W{sub(n)} (rows: inputs of layer {n})",
                  self.tables.matrix("W", layer, f"W{sub(n)}", inspection.weights_before[layer], fan_in,
                               units[layer], False, row_labels=True)),
                 (f"b{sub(n)}", self.tables.matrix("b", layer, f"b{sub(n)}",
                                             inspection.biases_before[layer][None, :], ["b"],
                                             units[layer], False, row_labels=True))])))
            title = (f"a{sub(n)} = {name}(z{sub(n)})" if layer < n_layers - 1
                     else f"output a{sub(n)} = {name}(z{sub(n)})")
            blocks.append(joined(arrow(f"{name}<br>→"), block(
                self.cached(title), f"Activations of layer {n}",
                [("", self.tables.matrix("a", n, f"a{sub(n)}", inspection.a[n], samples,
                                         units[layer], True))])))
        blocks.append(block("target y", "What the loss compares the output with",
                            [("", self.tables.matrix("target", 0, "y", inspection.targets, samples,
                                               units[-1], True))]))
        self.show_blocks(blocks)
