"""Activation functions and their derivatives: one registry for hidden layers, one for outputs.

Every function works on a whole mini-batch at once and accepts ``out=`` so the training loop can
write into preallocated buffers (on networks this small NumPy's per-call overhead dominates, see
FIELD_NOTES "Engine speed").  Derivatives are given as a function of both the pre-activation ``z``
and the activation ``a = f(z)``; several are cheaper from ``a`` (tanh' = 1 - a^2).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

ArrayFn = Callable[..., np.ndarray]

LEAKY_RELU_SLOPE = 0.01
ELU_ALPHA = 1.0  # with alpha = 1 the derivative is continuous at 0 and equals a + 1 for z <= 0


def _target(z: np.ndarray, out: np.ndarray | None) -> np.ndarray:
    return np.empty_like(z) if out is None else out


# --- the functions ---------------------------------------------------------------------------


def linear(z, out=None):
    out = _target(z, out)
    np.copyto(out, z)
    return out


def linear_prime(z, a, out=None):
    out = _target(z, out)
    out.fill(1.0)
    return out


def relu(z, out=None):
    return np.maximum(z, 0.0, out=_target(z, out))


def relu_prime(z, a, out=None):
    return np.greater(z, 0.0, out=_target(z, out))


def leaky_relu(z, out=None):
    out = _target(z, out)
    np.multiply(z, LEAKY_RELU_SLOPE, out=out)
    return np.maximum(z, out, out=out)  # max(z, 0.01 z) is z for z > 0 and 0.01 z below


def leaky_relu_prime(z, a, out=None):
    out = _target(z, out)
    np.greater(z, 0.0, out=out)
    out *= 1.0 - LEAKY_RELU_SLOPE
    out += LEAKY_RELU_SLOPE
    return out


def elu(z, out=None):
    out = _target(z, out)
    np.minimum(z, 0.0, out=out)
    np.expm1(out, out=out)
    return np.maximum(z, out, out=out)  # expm1(z) >= z, so the max picks expm1 below 0 and z above


def elu_prime(z, a, out=None):
    out = _target(z, out)
    np.minimum(a, 0.0, out=out)  # 0 above zero, a = e^z - 1 below
    out += 1.0
    return out


def tanh(z, out=None):
    return np.tanh(z, out=_target(z, out))


def tanh_prime(z, a, out=None):
    out = _target(z, out)
    np.multiply(a, a, out=out)
    return np.subtract(1.0, out, out=out)


def sigmoid(z, out=None):
    # 1/(1+e^-z) written through tanh: no overflow warning for very negative z
    out = _target(z, out)
    np.multiply(z, 0.5, out=out)
    np.tanh(out, out=out)
    out *= 0.5
    out += 0.5
    return out


def sigmoid_prime(z, a, out=None):
    out = _target(z, out)
    np.subtract(1.0, a, out=out)
    out *= a
    return out


def softplus(z, out=None):
    return np.logaddexp(0.0, z, out=_target(z, out))  # log(1 + e^z), stable


def softplus_prime(z, a, out=None):
    return sigmoid(z, out)


def swish(z, out=None):
    out = sigmoid(z, out)
    out *= z
    return out


def swish_prime(z, a, out=None):
    # d/dz z s(z) = s + z s (1 - s) = s (1 + z (1 - s))
    s = sigmoid(z)
    out = _target(z, out)
    np.subtract(1.0, s, out=out)
    out *= z
    out += 1.0
    out *= s
    return out


def sine(z, out=None):
    return np.sin(z, out=_target(z, out))


def sine_prime(z, a, out=None):
    return np.cos(z, out=_target(z, out))


def softmax(z, out=None):
    out = _target(z, out)
    np.subtract(z, z.max(axis=1, keepdims=True), out=out)  # shift by the row max: no overflow
    np.exp(out, out=out)
    out /= out.sum(axis=1, keepdims=True)
    return out


def softmax_prime(z, a, out=None):
    """Diagonal of the softmax Jacobian, a_k (1 - a_k); backprop uses the full Jacobian."""
    return sigmoid_prime(z, a, out)


# --- the registry entries --------------------------------------------------------------------


@dataclass(frozen=True)
class Activation:
    """An activation f with its elementwise derivative f'.

    ``function(z, out=None)`` returns a = f(z); ``derivative(z, a, out=None)`` returns f'(z).
    ``default_init`` names the initializer that keeps signal variance steady through f.
    """

    name: str
    function: ArrayFn
    derivative: ArrayFn
    default_init: str = "xavier"
    identity: bool = False
    #: False when units of a row interact (softmax): then it needs (samples, units) arrays;
    #: elementwise functions may be given arrays of any shape or layout
    elementwise: bool = True

    def backprop(self, z: np.ndarray, a: np.ndarray, grad: np.ndarray, scratch: np.ndarray) -> None:
        """Chain rule through f in place: grad (dL/da on entry) becomes dL/dz = dL/da * f'(z)."""
        if self.identity:
            return
        self.derivative(z, a, out=scratch)
        np.multiply(grad, scratch, out=grad)


@dataclass(frozen=True)
class SoftmaxActivation(Activation):
    """Softmax couples the units of a row, so backprop applies its full Jacobian:
    dL/dz_k = a_k (g_k - sum_j g_j a_j) where g = dL/da."""

    def backprop(self, z, a, grad, scratch):
        np.multiply(grad, a, out=scratch)
        grad -= scratch.sum(axis=1, keepdims=True)
        grad *= a


def _entry(name, function, derivative, init="xavier", identity=False) -> Activation:
    return Activation(name, function, derivative, init, identity)


ACTIVATIONS: dict[str, Activation] = {
    "linear": _entry("linear", linear, linear_prime, identity=True),
    "relu": _entry("relu", relu, relu_prime, init="he"),
    "leaky_relu": _entry("leaky_relu", leaky_relu, leaky_relu_prime, init="he"),
    "elu": _entry("elu", elu, elu_prime, init="he"),
    "tanh": _entry("tanh", tanh, tanh_prime),
    "sigmoid": _entry("sigmoid", sigmoid, sigmoid_prime),
    "softplus": _entry("softplus", softplus, softplus_prime),
    "swish": _entry("swish", swish, swish_prime),
    "sine": _entry("sine", sine, sine_prime),
}
"""Hidden-layer activations by name."""

OUTPUT_ACTIVATIONS: dict[str, Activation] = {
    "linear": ACTIVATIONS["linear"],
    "tanh": ACTIVATIONS["tanh"],
    "sigmoid": ACTIVATIONS["sigmoid"],
    "softmax": SoftmaxActivation("softmax", softmax, softmax_prime, elementwise=False),
}
"""Output-layer activations by name."""


def hidden_activation(name: str) -> Activation:
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown hidden activation {name!r}; choose one of {sorted(ACTIVATIONS)}") from None


def output_activation(name: str) -> Activation:
    try:
        return OUTPUT_ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown output activation {name!r}; choose one of {sorted(OUTPUT_ACTIVATIONS)}"
        ) from None
