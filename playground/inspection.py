"""The numbers the backprop inspector explains, read from the engine's own caches.

No Qt here. Three jobs:

- ``inspection_from_batch`` turns the engine's result of one mini-batch step (its forward cache
  z, a and backward cache δ, ∂L/∂W, ∂L/∂b) into a frozen BatchInspection of private copies, for
  the worker to put in the Snapshot;
- ``chain_rule`` and ``weight_update`` pick out, for one weight, the factors the chain rule
  multiplies (δ_j and a_i straight from the caches) and the update that was applied;
- ``check_gradients`` rebuilds a throwaway engine Network from a snapshot's copies and lets the
  engine's ``gradient_check`` compare backprop with central finite differences (the window runs
  it on the training thread: it takes seconds on a large network).

Nothing here re-derives backprop: the only arithmetic is the product δ_j·a_i per sample and its
sum (which the inspector shows next to the cached ∂L/∂w, as the hand calculation), the L2 term
added to it, and the plain-SGD step −η·∂L/∂w it compares with the actual change.  (L1 is not
in ∂L/∂w: the engine applies it after the optimizer's step as a proximal step, see
L1_PROXIMAL_RULE.)
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Sequence

import numpy as np

from playground.snapshot import BatchInspection, Structure, frozen_copy

# What each optimizer applies to a weight instead of (or as) the plain step −η·∂L/∂w.
# Names follow the engine's OPTIMIZERS registry; the texts use the usual symbols.
OPTIMIZER_RULES: dict[str, tuple[str, str]] = {
    "sgd": ("SGD", "w ← w − η·∂L/∂w"),
    "momentum": ("SGD + momentum",
                 "v ← μ·v + ∂L/∂w, then w ← w − η·v (v sums earlier gradients; η is applied at "
                 "the update, as in PyTorch, so a new η scales the next step at once)"),
    "nesterov": ("Nesterov momentum",
                 "v ← μ·v + ∂L/∂w, then w ← w − η·(∂L/∂w + μ·v) (a look-ahead momentum step; "
                 "η is applied at the update, as in PyTorch)"),
    "rmsprop": ("RMSprop",
                "s ← ρ·s + (1−ρ)·(∂L/∂w)², then w ← w − η·∂L/∂w / (√s + ε)"),
    "adam": ("Adam",
             "m ← β₁·m + (1−β₁)·∂L/∂w, v ← β₂·v + (1−β₂)·(∂L/∂w)², "
             "then w ← w − η·m / (√v + ε) with m and v bias-corrected"),
    "adagrad": ("AdaGrad", "G ← G + (∂L/∂w)², then w ← w − η·∂L/∂w / (√G + ε)"),
}


# How L1 acts: not through ∂L/∂w but after the optimizer's step (λ₁ the L1 rate)
L1_PROXIMAL_RULE = ("w ← sign(w)·max(|w| − η·λ₁, 0): each weight moves η·λ₁ towards 0, and one "
                    "that would cross 0 stops at exactly 0")


def optimizer_rule(name: str) -> tuple[str, str]:
    """(display name, update rule in words) of an optimizer, with a fallback for new ones."""
    return OPTIMIZER_RULES.get(name, (name, "its own update rule (see the optimizer's docs)"))


def inspection_from_batch(result, trainer, weights_before: Sequence[np.ndarray],
                          biases_before: Sequence[np.ndarray]) -> BatchInspection:
    """A BatchInspection of frozen copies of one engine mini-batch step.

    ``result`` is the BatchResult ``trainer.train_batch`` just returned (forward cache z, a;
    gradients loss, delta, dW, db; epoch, batch_index, indices, targets); ``trainer`` the engine
    Trainer that made it, read right after the step for the parameters after the update, the
    optimizer, learning rate and l1/l2; ``weights_before``/``biases_before`` the parameters the
    batch was computed with, copied by the caller before the step. Every array is copied, as
    float64 whatever the network's precision (``precision`` says which it computed in), so later
    training cannot change what is shown.
    """
    network = trainer.net
    forward, gradients = result.forward, result.gradients

    def copies(arrays) -> tuple[np.ndarray, ...]:
        return tuple(frozen_copy(array, np.float64) for array in arrays)

    return BatchInspection(
        epoch=int(result.epoch),
        batch_index=int(result.batch_index),
        indices=frozen_copy(result.indices),
        targets=frozen_copy(result.targets),
        z=copies(forward.z),
        a=copies(forward.a),
        delta=copies(gradients.delta),
        weight_gradients=copies(gradients.dW),
        bias_gradients=copies(gradients.db),
        weights_before=copies(weights_before),
        biases_before=copies(biases_before),
        weights_after=copies(network.weights),
        biases_after=copies(network.biases),
        loss=float(gradients.loss),
        optimizer=str(trainer.optimizer_name),
        learning_rate=float(trainer.learning_rate),
        l1=float(network.l1),
        l2=float(network.l2),
        epoch_finished=bool(result.epoch_finished),
        precision=network.precision,
    )


def inspected_step(trainer, step: Callable[[], object]):
    """Run ``step()``, which trains one mini-batch with ``trainer`` (``trainer.train_batch`` or a
    session's ``step_batch``), with the parameters copied first; returns (its BatchResult, the
    BatchInspection of that step)."""
    weights_before = [np.array(W, copy=True) for W in trainer.net.weights]
    biases_before = [np.array(b, copy=True) for b in trainer.net.biases]
    result = step()
    return result, inspection_from_batch(result, trainer, weights_before, biases_before)


def train_batch_inspected(trainer, X: np.ndarray, Y: np.ndarray):
    """``trainer.train_batch(X, Y)`` with the parameters copied first; returns
    (BatchResult, BatchInspection)."""
    return inspected_step(trainer, lambda: trainer.train_batch(X, Y))


@dataclass(frozen=True)
class ChainRule:
    """∂L/∂w for w = W[layer][i, j], factor by factor, as the backward pass computed it.

    z_j = Σ_i a_i·w_ij + b_j, so ∂z_j/∂w_ij = a_i (the cached activation feeding the link) and
    ∂L/∂w_ij = Σ_samples ∂L/∂z_j · ∂z_j/∂w_ij = Σ_samples δ_j·a_i, plus the L2 term (L1 acts
    after the step, as L1_PROXIMAL_RULE).
    """

    layer: int
    i: int
    j: int
    a_i: np.ndarray          # (batch,) a[layer][:, i] — ∂z_j/∂w per sample, from the forward cache
    delta_j: np.ndarray      # (batch,) delta[layer][:, j] — ∂L/∂z_j per sample, backward cache
    products: np.ndarray     # (batch,) δ_j·a_i per sample
    data_term: float         # Σ over the batch of the products
    penalty: float           # l2·w (0 without L2)
    gradient: float          # the engine's cached ∂L/∂W[layer][i, j]


def chain_rule(inspection: BatchInspection, layer: int, i: int, j: int) -> ChainRule:
    """The chain-rule factors of weight W[layer][i, j] (engine indices) for this mini-batch."""
    _check_index(inspection, layer, i, j)
    a_i = inspection.a[layer][:, i]
    delta_j = inspection.delta[layer][:, j]
    products = frozen_copy(delta_j * a_i)
    penalty = inspection.l2 * float(inspection.weights_before[layer][i, j])
    return ChainRule(layer=layer, i=i, j=j, a_i=a_i, delta_j=delta_j, products=products,
                     data_term=float(np.sum(products)), penalty=float(penalty),
                     gradient=float(inspection.weight_gradients[layer][i, j]))


@dataclass(frozen=True)
class WeightUpdate:
    """What happened to one weight in the step: the plain gradient step and the actual change."""

    optimizer: str
    learning_rate: float
    gradient: float          # cached ∂L/∂w
    weight_before: float
    sgd_step: float          # −η·∂L/∂w
    sgd_result: float        # w − η·∂L/∂w
    weight_after: float      # the weight after the optimizer's update
    actual_change: float     # weight_after − weight_before
    l1_threshold: float = 0.0  # η·λ₁ of L1's proximal step (0 without L1)

    @property
    def is_sgd(self) -> bool:
        return self.optimizer == "sgd"


def weight_update(inspection: BatchInspection, layer: int, i: int, j: int) -> WeightUpdate:
    """The update of weight W[layer][i, j] (engine indices) in this mini-batch step."""
    _check_index(inspection, layer, i, j)
    gradient = float(inspection.weight_gradients[layer][i, j])
    before = float(inspection.weights_before[layer][i, j])
    after = float(inspection.weights_after[layer][i, j])
    step = -inspection.learning_rate * gradient
    return WeightUpdate(optimizer=inspection.optimizer, learning_rate=inspection.learning_rate,
                        gradient=gradient, weight_before=before, sgd_step=step,
                        sgd_result=before - inspection.learning_rate * gradient,
                        weight_after=after, actual_change=after - before,
                        l1_threshold=inspection.learning_rate * inspection.l1)


def _check_index(inspection: BatchInspection, layer: int, i: int, j: int) -> None:
    if not 0 <= layer < len(inspection.weights_before):
        raise IndexError(f"layer {layer} out of range 0..{len(inspection.weights_before) - 1}")
    rows, columns = inspection.weights_before[layer].shape
    if not (0 <= i < rows and 0 <= j < columns):
        raise IndexError(f"weight ({i}, {j}) out of range for a {rows}×{columns} matrix")


# what gradient_check may compare instead of the network's own backprop:
# gradients(X, Y) -> [(dW, db), ...]; it receives the throwaway network too, to be able to wrap it
GradientFactory = Callable


def check_gradients(structure: Structure, inspection: BatchInspection, eps: float = 1e-6,
                    gradient_factory: GradientFactory | None = None):
    """Largest relative error per layer between backprop and central finite differences: the
    engine's GradientCheck (iterates over the errors), whose ``precision`` is the one the step
    was computed in -- the check itself always runs in float64.

    A throwaway engine Network is rebuilt from the structure and the parameters the batch was
    computed with (``weights_before``), with the batch's l2 (L1 is no part of the gradient the
    step used and the inspector shows: it acts as a proximal step after it), and the engine's
    ``gradient_check`` is run on the batch's inputs and targets. ``gradient_factory(network)``,
    when given, returns the gradient function compared instead of the network's own backprop
    (tests pass one that corrupts it).
    """
    from playground.engine import Network, gradient_check

    network = Network(list(structure.layer_sizes), activation=list(structure.activations),
                      output_activation=structure.output_activation, loss=structure.loss,
                      l2=inspection.l2, seed=0)
    for layer, (W, b) in enumerate(zip(inspection.weights_before, inspection.biases_before)):
        network.weights[layer][...] = W
        network.biases[layer][...] = b
    X, Y = np.array(inspection.a[0]), np.array(inspection.targets)
    gradients = None if gradient_factory is None else gradient_factory(network)
    check = gradient_check(network, X, Y, eps=eps, gradients=gradients)
    return replace(check, errors=tuple(float(error) for error in check),
                   precision=inspection.precision)


# hidden activations whose derivative jumps at z = 0
KINKED_ACTIVATIONS = ("relu", "leaky_relu")
# a pre-activation this close to a kink can be pushed across it by the check's ±eps nudges
KINK_MARGIN = 1e-4


def nearest_kink(structure: Structure, inspection: BatchInspection) -> tuple[int, float] | None:
    """(layer, |z|) of the batch's pre-activation closest to a ReLU-type kink, if one lies
    within KINK_MARGIN of it: finite differences straddling a kink disagree with backprop
    although backprop is right."""
    nearest = None
    for layer, name in enumerate(structure.activations):
        if name in KINKED_ACTIVATIONS and inspection.z[layer].size:
            distance = float(np.min(np.abs(inspection.z[layer])))
            if distance < KINK_MARGIN and (nearest is None or distance < nearest[1]):
                nearest = (layer, distance)
    return nearest
