"""Loss functions, averaged over the samples of a mini-batch, with their gradient at the output.

Each loss gives its value and delta = dL/dz at the output layer (z = pre-activation).  For the
matched pairs sigmoid + bce and softmax + cross_entropy that delta is simply (o - y) / n, which is
why those pairs are the only ones allowed for those losses; the values are computed from the
logits z so they stay finite when o saturates to 0 or 1.
"""
from __future__ import annotations

import numpy as np

from .activations import Activation

# Rows of one-hot or probability targets must sum to 1 within this tolerance
ROW_SUM_TOLERANCE = 1e-9


class Loss:
    """Base class: ``name``, the allowed output activations, value and output delta."""

    name: str = ""
    output_activations: tuple[str, ...] = ()

    def check_targets(self, Y: np.ndarray) -> None:
        """Raise ValueError if Y holds values this loss is not defined for."""

    def value(self, z: np.ndarray, a: np.ndarray, Y: np.ndarray) -> float:
        """Mean loss over the rows of a mini-batch."""
        raise NotImplementedError

    def value_and_delta(self, z, a, Y, output: Activation, delta, scratch) -> float:
        """Return the mean loss and write dL/dz at the output into ``delta``.

        ``scratch`` is a buffer shaped like z; all arrays are (n, n_out).
        """
        raise NotImplementedError


class MeanSquaredError(Loss):
    """mean over samples of 1/2 * sum_k (o_k - y_k)^2."""

    name = "mse"
    output_activations = ("linear", "tanh", "sigmoid", "softmax")

    def value(self, z, a, Y):
        diff = a - Y
        return 0.5 * float(np.vdot(diff, diff)) / len(Y)

    def value_and_delta(self, z, a, Y, output, delta, scratch):
        n = len(Y)
        np.subtract(a, Y, out=delta)                     # dL/da, before averaging
        loss = 0.5 * float(np.vdot(delta, delta)) / n
        output.backprop(z, a, delta, scratch)            # dL/dz = dL/da * f'(z)
        np.divide(delta, n, out=delta)
        return loss


class BinaryCrossEntropy(Loss):
    """mean over samples of sum_k -[y log o + (1 - y) log(1 - o)], o = sigmoid(z).

    From the logits: -[y log s(z) + (1-y) log(1-s(z))] = softplus(z) - y z, stable for any z.
    """

    name = "bce"
    output_activations = ("sigmoid",)

    def check_targets(self, Y):
        if Y.size and (Y.min() < 0.0 or Y.max() > 1.0):
            raise ValueError("bce targets must lie in [0, 1] (class labels 0/1 or probabilities)")

    def value(self, z, a, Y):
        return (float(np.logaddexp(0.0, z).sum()) - float(np.vdot(Y, z))) / len(Y)

    def value_and_delta(self, z, a, Y, output, delta, scratch):
        n = len(Y)
        np.logaddexp(0.0, z, out=scratch)
        loss = (float(scratch.sum()) - float(np.vdot(Y, z))) / n
        np.subtract(a, Y, out=delta)                     # sigmoid' cancels: dL/dz = o - y
        np.divide(delta, n, out=delta)
        return loss


class CrossEntropy(Loss):
    """mean over samples of -sum_k y_k log softmax(z)_k (rows of Y sum to 1).

    log softmax(z) = (z - max z) - log sum exp(z - max z), stable for any z.
    """

    name = "cross_entropy"
    output_activations = ("softmax",)

    def check_targets(self, Y):
        if not Y.size:
            return
        if Y.min() < 0.0:
            raise ValueError("cross_entropy targets must be non-negative (one-hot rows)")
        if np.abs(Y.sum(axis=1) - 1.0).max() > ROW_SUM_TOLERANCE:
            raise ValueError("cross_entropy targets must be one-hot or probability rows summing to 1")

    @staticmethod
    def _log_softmax_loss(z, Y, shifted):
        np.subtract(z, z.max(axis=1, keepdims=True), out=shifted)
        log_norm = np.log(np.exp(shifted).sum(axis=1))
        # -sum_k y_k (shifted_k - log_norm) and sum_k y_k = 1 per row
        return (float(log_norm.sum()) - float(np.vdot(Y, shifted))) / len(Y)

    def value(self, z, a, Y):
        return self._log_softmax_loss(z, Y, np.empty_like(z))

    def value_and_delta(self, z, a, Y, output, delta, scratch):
        loss = self._log_softmax_loss(z, Y, scratch)
        np.subtract(a, Y, out=delta)                     # softmax Jacobian cancels: dL/dz = o - y
        np.divide(delta, len(Y), out=delta)
        return loss


LOSSES: dict[str, Loss] = {loss.name: loss for loss in (
    MeanSquaredError(), BinaryCrossEntropy(), CrossEntropy())}
"""Losses by name."""


def get_loss(name: str) -> Loss:
    try:
        return LOSSES[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown loss {name!r}; choose one of {sorted(LOSSES)}") from None
