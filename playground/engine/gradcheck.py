"""Check backpropagation against central finite differences.

Each parameter p is nudged to p + eps and p - eps; (L(p + eps) - L(p - eps)) / (2 eps) estimates
dL/dp with an error of order eps^2.  The comparison per layer is a relative error in max-norm:
max |backprop - numeric| / max(|backprop|, |numeric|), taken separately over the layer's weights
and its biases (the larger is reported).  Scaling by the layer's largest gradient rather than
entry by entry keeps entries that are nearly zero from turning round-off into a false alarm.

Finite differences need float64: a nudge of 1e-6 is below float32's resolution near 1.  A
network training in float32 is checked on a float64 twin holding the same parameters (widening
is exact), which checks the algorithm both precisions run; the result says so (``precision``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from .buffers import block_views
from .network import Network

GradientFunction = Callable[[np.ndarray, np.ndarray], Sequence[tuple[np.ndarray, np.ndarray]]]
# below this scale a layer's gradient counts as zero and the absolute difference is reported
_TINY = 1e-12


@dataclass(frozen=True)
class GradientCheck:
    """The largest relative error per layer (iterating over it, or indexing it, gives them),
    and the precision the checked network trains in: with "float32" the check ran on a float64
    twin of the network, so it vouches for the algorithm, not for float32's rounding."""

    errors: tuple[float, ...]
    precision: str = "float64"

    def __iter__(self):
        return iter(self.errors)

    def __len__(self) -> int:
        return len(self.errors)

    def __getitem__(self, index):
        return self.errors[index]


def _in_float64(net: Network) -> Network:
    return net if net.precision == "float64" else net.with_precision("float64")


def numerical_gradients(net: Network, X, Y, eps: float = 1e-6) -> list[tuple[np.ndarray, np.ndarray]]:
    """Central-difference estimate of (dL/dW, dL/db) per layer of the total loss, in float64
    (on a float64 twin of a float32 network)."""
    net = _in_float64(net)
    X = net.check_inputs(X)
    Y = net.check_targets(Y, len(X))
    params = net.parameters
    numeric = np.zeros_like(params)
    for i in range(params.size):
        original = params[i]
        params[i] = original + eps
        loss_plus = net.compute_loss(X, Y)
        params[i] = original - eps
        loss_minus = net.compute_loss(X, Y)
        params[i] = original
        numeric[i] = (loss_plus - loss_minus) / (2.0 * eps)
    return [(block[:-1], block[-1]) for block in block_views(numeric, net.layer_sizes)]


def _relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    analytic, numeric = np.asarray(analytic, dtype=np.float64), np.asarray(numeric, dtype=np.float64)
    if analytic.shape != numeric.shape:
        raise ValueError(f"gradient shape {analytic.shape} does not match the layer's {numeric.shape}")
    if not np.isfinite(analytic).all():
        return float("inf")
    scale = max(np.abs(analytic).max(initial=0.0), np.abs(numeric).max(initial=0.0))
    difference = np.abs(analytic - numeric).max(initial=0.0)
    return float(difference / scale) if scale > _TINY else float(difference)


def gradient_check(net: Network, X, Y, eps: float = 1e-6,
                   gradients: GradientFunction | None = None) -> GradientCheck:
    """Per-layer relative error between a gradient and central finite differences.

    ``gradients(X, Y)`` returns [(dW, db), ...]; by default the network's own backprop
    (``net.loss_and_gradients``, on the float64 twin of a float32 network).  Pass another
    function to check it instead.
    """
    if gradients is None:
        analytic = _in_float64(net).loss_and_gradients(X, Y)[1]
    else:
        analytic = list(gradients(X, Y))
    if len(analytic) != net.n_layers:
        raise ValueError(f"the gradient function returned {len(analytic)} layers, "
                         f"the network has {net.n_layers}")
    numeric = numerical_gradients(net, X, Y, eps)
    return GradientCheck(tuple(max(_relative_error(dW, nW), _relative_error(db, nb))
                               for (dW, db), (nW, nb) in zip(analytic, numeric)),
                         precision=net.precision)
