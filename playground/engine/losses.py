"""Loss functions, averaged over the samples of a mini-batch, with their gradient at the output.

Each loss gives its value and delta = dL/dz at the output layer (z = pre-activation).  For the
matched pairs sigmoid + bce and softmax + cross_entropy that delta is simply (o - y) / n, which is
why those pairs are the only ones allowed for those losses.  Their values are computed from the
logits z, in forms that are exact to rounding for every z: a confidently wrong sample costs its
full |z| (z = 40 costs 40, not a capped 36.7), a confidently right one its tiny true loss (never
a negative one from subtracting two large sums).

Like the activations, a loss is written as NumPy calls on buffers laid out one row per output
unit and one column per sample (see tape.py).  The calls leave two partial sums in ``terms``
and :meth:`Loss.value_from_terms` turns them into the mean loss.
"""
from __future__ import annotations

import numpy as np

from .activations import Activation
from .tape import Calls, run, scalar_view

# Rows of one-hot or probability targets must sum to 1 within this tolerance
ROW_SUM_TOLERANCE = 1e-9


class Loss:
    """Base class: ``name``, the allowed output activations, value and output delta."""

    name: str = ""
    output_activations: tuple[str, ...] = ()

    def check_targets(self, Y: np.ndarray) -> None:
        """Raise ValueError if Y (samples, outputs) holds values this loss is not defined for."""

    def calls(self, z, a, y, output: Activation, delta, scratch, spare, col, terms) -> Calls:
        """Calls that write dL/dz at the output into ``delta`` and partial sums into ``terms``
        (a 2-vector).  Arrays are (outputs, samples); col is a (samples,) buffer."""
        raise NotImplementedError

    def value_from_terms(self, terms: np.ndarray, n: int) -> float:
        return (float(terms[0]) - float(terms[1])) / n

    def value(self, z, a, Y) -> float:
        """Mean loss for (samples, outputs) arrays of logits z, outputs a and targets Y."""
        z_t = np.ascontiguousarray(np.asarray(z, dtype=np.float64).T)
        a_t = np.ascontiguousarray(np.asarray(a, dtype=np.float64).T)
        y_t = np.ascontiguousarray(np.asarray(Y, dtype=np.float64).T)
        n = z_t.shape[1]
        terms = np.zeros(2)
        buffers = [np.empty_like(z_t) for _ in range(3)]
        run(self.calls(z_t, a_t, y_t, _NO_OUTPUT, *buffers, np.empty(n), terms))
        return self.value_from_terms(terms, n)


class MeanSquaredError(Loss):
    """mean over samples of 1/2 * sum_k (o_k - y_k)^2."""

    name = "mse"
    output_activations = ("linear", "tanh", "sigmoid", "softmax")

    def calls(self, z, a, y, output, delta, scratch, spare, col, terms):
        n = z.shape[1]
        flat = delta.reshape(-1)
        return [(np.subtract, (a, y, delta)),                      # dL/da before averaging
                (np.dot, (flat, flat, scalar_view(terms, 0))),     # sum (o - y)^2
                *output.backprop_calls(z, a, delta, scratch, spare, col),  # * f'(z)
                (np.divide, (delta, n, delta))]

    def value_from_terms(self, terms, n):
        return 0.5 * float(terms[0]) / n


class BinaryCrossEntropy(Loss):
    """mean over samples of sum_k -[y log o + (1 - y) log(1 - o)], o = sigmoid(z).

    Per element that is softplus(z) - y z = max(z, 0) - z y + log(1 + e^-|z|), computed as
    logaddexp(-z y, z - z y): NumPy's logaddexp(p, q) is max(p, q) + log1p(e^-|p - q|), and for
    a label y of 0 or 1 the larger argument is exactly max(z, 0) - z y.  So each term is exact to
    rounding for every z (z = 40, y = 0 costs 40), never negative (also for probabilities y), and
    for labels the same for z, y as for -z, 1 - y.  Summing softplus(z) and y z separately and
    subtracting would cancel: a confident, correct batch came out as e.g. -2.3e-13.
    """

    name = "bce"
    output_activations = ("sigmoid",)

    def check_targets(self, Y):
        if Y.size and (Y.min() < 0.0 or Y.max() > 1.0):
            raise ValueError("bce targets must lie in [0, 1] (class labels 0/1 or probabilities)")

    def calls(self, z, a, y, output, delta, scratch, spare, col, terms):
        n = z.shape[1]
        ones = np.ones(z.size, z.dtype)   # a dot product with ones sums faster than add.reduce
        return [(np.multiply, (z, y, scratch)),
                (np.subtract, (z, scratch, spare)),                # z (1 - y)
                (np.negative, (scratch, scratch)),                 # -z y
                (np.logaddexp, (scratch, spare, scratch)),         # the loss of each element
                (np.dot, (scratch.reshape(-1), ones, scalar_view(terms, 0))),
                (np.subtract, (a, y, delta)),                      # sigmoid' cancels: o - y
                (np.divide, (delta, n, delta))]

    def value_from_terms(self, terms, n):
        return float(terms[0]) / n


class CrossEntropy(Loss):
    """mean over samples of -sum_k y_k log softmax(z)_k (each sample's targets sum to 1).

    With s = z - max z (so s <= 0, and s = 0 at the largest logit): -log softmax(z)_k
    = log sum_j e^(s_j) - s_k.  The sum is 1 + (the terms below the maximum) + (1 for each further
    tie), and it is taken as log1p of all but that 1: log(1 + 1e-13) computed after forming
    1 + 1e-13 would keep only about three digits of a confident, correct sample's loss.
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

    def calls(self, z, a, y, output, delta, scratch, spare, col, terms):
        units, n = z.shape
        shifted, exps = scratch, spare
        below = delta                      # room until the last two calls write delta itself
        ties = exps[0]                     # one row of room once exps is summed
        return [(np.maximum.reduce, (z, 0, None, col)),
                (np.subtract, (z, col, shifted)),                  # s = z - max z
                (np.exp, (shifted, exps)),
                (np.less, (shifted, 0.0, below)),                  # 1 below the max, 0 at it
                (np.multiply, (exps, below, exps)),
                (np.add.reduce, (exps, 0, None, col)),             # sum of the terms below
                (np.add.reduce, (below, 0, None, ties)),           # units - maxima
                (np.subtract, (units - 1, ties, ties)),            # maxima - 1
                (np.add, (col, ties, col)),
                (np.log1p, (col, col)),                            # log sum exp(s), per sample
                (np.add.reduce, (col, 0, None, scalar_view(terms, 0))),
                # sum_k y_k (s_k - log_norm) = y . s - log_norm, as sum_k y_k = 1
                (np.dot, (y.reshape(-1), shifted.reshape(-1), scalar_view(terms, 1))),
                (np.subtract, (a, y, delta)),                      # softmax Jacobian cancels
                (np.divide, (delta, n, delta))]


class _NoOutput(Activation):
    """Stands in for the output activation when only the loss value is wanted."""

    def backprop_calls(self, z, a, grad, scratch, spare, col):
        return []


_NO_OUTPUT = _NoOutput("none", None, None)

LOSSES: dict[str, Loss] = {loss.name: loss for loss in (
    MeanSquaredError(), BinaryCrossEntropy(), CrossEntropy())}
"""Losses by name."""


def get_loss(name: str) -> Loss:
    try:
        return LOSSES[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown loss {name!r}; choose one of {sorted(LOSSES)}") from None
