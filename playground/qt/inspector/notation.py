"""How the inspector writes what it shows: layer subscripts, numbers in sentences, and the names
of a step's samples, inputs and units."""
from __future__ import annotations

from playground.data import FEATURES
from playground.snapshot import BatchInspection, Structure

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


def penalty_terms(inspection: BatchInspection, weight: str) -> list[str]:
    """The regularisation terms a step added to ∂L/∂``weight``: l1·sign(w) and l2·w, those in
    use."""
    terms = []
    if inspection.l1:
        terms.append(f"{inspection.l1:g}·sign({weight})")
    if inspection.l2:
        terms.append(f"{inspection.l2:g}·{weight}")
    return terms


def step_labels(structure: Structure, inspection: BatchInspection):
    """(samples, inputs, units): the row labels of the batch's samples (their index in the
    training set), the input features' labels, and per layer its units' labels (classes for a
    softmax output)."""
    samples = [f"#{int(k)}" for k in inspection.indices]
    inputs = [feature_label(name) for name in structure.features]
    if len(inputs) != structure.layer_sizes[0]:
        inputs = [f"x{k + 1}" for k in range(structure.layer_sizes[0])]
    units = [[f"n{k + 1}" for k in range(size)] for size in structure.layer_sizes[1:]]
    if structure.output_activation == "softmax":
        units[-1] = [f"c{k}" for k in range(structure.layer_sizes[-1])]
    return samples, inputs, units


def activation_name(structure: Structure, layer: int) -> str:
    """The activation of engine layer ``layer`` (the output's for the last one)."""
    return (structure.activations[layer] if layer < len(structure.activations)
            else structure.output_activation)
