"""Activation functions and their derivatives: one registry for hidden layers, one for outputs.

Each function is written once, as the short list of NumPy calls that computes it into given
buffers, e.g. tanh'(z) = 1 - a^2 is ``[(np.multiply, (a, a, out)), (np.subtract, (1.0, out, out))]``.
The training loop records these calls once per buffer set and replays them for every mini-batch
(see tape.py: on networks this small NumPy's per-call overhead is the cost, docs/NOTES.md
"Engine speed"); ``function(z)`` and ``derivative(z, a)`` run the same calls right away, so both
paths compute identical bits.

Calls see arrays laid out one row per unit and one column per sample (the engine's storage).
Elementwise functions do not care; softmax normalises over the units, axis 0 there, and its
public ``function`` takes the usual (samples, units) arrays.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Callable

import numpy as np

from .tape import Calls, run

LEAKY_RELU_SLOPE = 0.01
ELU_ALPHA = 1.0  # with alpha = 1 the derivative is continuous at 0 and equals a + 1 for z <= 0


# --- each function as calls: forward(z, a) writes a = f(z); derivative(z, a, out, spare) writes
# --- f'(z) into out (spare is another buffer shaped like z); col is a (samples,) buffer

def _linear(z, a, col) -> Calls:
    return [(np.copyto, (a, z))]


def _linear_prime(z, a, out, spare) -> Calls:
    return [(np.copyto, (out, 1.0))]


def _relu(z, a, col) -> Calls:
    return [(partial(np.maximum, out=a), (z, 0.0))]


def _relu_prime(z, a, out, spare) -> Calls:
    return [(np.greater, (z, 0.0, out))]                       # 1 where z > 0, else 0


def _leaky_relu(z, a, col) -> Calls:
    return [(np.multiply, (z, LEAKY_RELU_SLOPE, a)),
            (partial(np.maximum, out=a), (z, a))]              # max(z, 0.01 z)


def _leaky_relu_prime(z, a, out, spare) -> Calls:
    return [(np.greater, (z, 0.0, out)),                       # 1 or 0
            (np.multiply, (out, 1.0 - LEAKY_RELU_SLOPE, out)),
            (np.add, (out, LEAKY_RELU_SLOPE, out))]            # 1 or 0.01


def _elu(z, a, col) -> Calls:
    return [(partial(np.minimum, out=a), (z, 0.0)),
            (np.expm1, (a, a)),                                # e^min(z,0) - 1
            (partial(np.maximum, out=a), (z, a))]              # z above 0 (e^z - 1 >= z)


def _elu_prime(z, a, out, spare) -> Calls:
    return [(partial(np.minimum, out=out), (a, 0.0)),          # 0 above zero, e^z - 1 below
            (np.add, (out, 1.0, out))]


def _tanh(z, a, col) -> Calls:
    return [(np.tanh, (z, a))]


def _tanh_prime(z, a, out, spare) -> Calls:
    return [(np.multiply, (a, a, out)),
            (np.subtract, (1.0, out, out))]                    # 1 - a^2


def _sigmoid(z, a, col) -> Calls:
    # 1 / (1 + e^-z) = e^(z - log(1 + e^z)): never overflows, and stays accurate in both tails
    return [(np.logaddexp, (0.0, z, a)),
            (np.subtract, (z, a, a)),
            (np.exp, (a, a))]


def _sigmoid_prime(z, a, out, spare) -> Calls:
    return [(np.subtract, (1.0, a, out)),
            (np.multiply, (out, a, out))]                      # a (1 - a)


def _softplus(z, a, col) -> Calls:
    return [(np.logaddexp, (0.0, z, a))]                       # log(1 + e^z), stable


def _softplus_prime(z, a, out, spare) -> Calls:
    return _sigmoid(z, out, None)                              # sigmoid(z)


def _swish(z, a, col) -> Calls:
    return _sigmoid(z, a, col) + [(np.multiply, (a, z, a))]    # z sigmoid(z)


def _swish_prime(z, a, out, spare) -> Calls:
    # d/dz z s = s + z s (1 - s) = s + a (1 - s)
    return _sigmoid(z, out, None) + [
        (np.subtract, (1.0, out, spare)),
        (np.multiply, (spare, a, spare)),
        (np.add, (out, spare, out))]


def _sine(z, a, col) -> Calls:
    return [(np.sin, (z, a))]


def _sine_prime(z, a, out, spare) -> Calls:
    return [(np.cos, (z, out))]


def _softmax(z, a, col) -> Calls:
    # units along axis 0: shift each sample's column by its max so exp cannot overflow
    return [(np.maximum.reduce, (z, 0, None, col)),
            (np.subtract, (z, col, a)),
            (np.exp, (a, a)),
            (np.add.reduce, (a, 0, None, col)),
            (np.divide, (a, col, a))]


def _softmax_prime(z, a, out, spare) -> Calls:
    """Diagonal of the softmax Jacobian, a_k (1 - a_k); backprop uses the full Jacobian."""
    return _sigmoid_prime(z, a, out, spare)


# --- the registry entries --------------------------------------------------------------------


@dataclass(frozen=True)
class Activation:
    """An activation f with its elementwise derivative f'.

    ``function(z, out=None)`` returns a = f(z); ``derivative(z, a, out=None)`` returns f'(z);
    ``default_init`` names the initializer that keeps signal variance steady through f.
    """

    name: str
    forward_calls: Callable[..., Calls]
    derivative_calls: Callable[..., Calls]
    default_init: str = "xavier"
    identity: bool = False

    def backprop_calls(self, z, a, grad, scratch, spare, col) -> Calls:
        """Chain rule through f in place: grad (dL/da) becomes dL/dz = dL/da * f'(z)."""
        if self.identity:
            return []
        return self.derivative_calls(z, a, scratch, spare) + [(np.multiply, (grad, scratch, grad))]

    def function(self, z, out=None) -> np.ndarray:
        z = np.asarray(z, dtype=np.float64)
        out = np.empty_like(z) if out is None else out
        run(self.forward_calls(z, out, None))
        return out

    def derivative(self, z, a, out=None) -> np.ndarray:
        z = np.asarray(z, dtype=np.float64)
        out = np.empty_like(z) if out is None else out
        run(self.derivative_calls(z, a, out, np.empty_like(z)))
        return out


@dataclass(frozen=True)
class SoftmaxActivation(Activation):
    """Softmax couples the units of a sample, so backprop applies its full Jacobian:
    dL/dz_k = a_k (g_k - sum_j g_j a_j) where g = dL/da."""

    def backprop_calls(self, z, a, grad, scratch, spare, col) -> Calls:
        return [(np.multiply, (grad, a, scratch)),
                (np.add.reduce, (scratch, 0, None, col)),   # sum_j g_j a_j per sample
                (np.subtract, (grad, col, grad)),
                (np.multiply, (grad, a, grad))]

    def function(self, z, out=None) -> np.ndarray:
        """Softmax over the last axis of a (samples, units) array."""
        z = np.asarray(z, dtype=np.float64)
        result = np.empty((z.shape[-1], z.shape[0]))
        run(self.forward_calls(np.ascontiguousarray(z.T), result, np.empty(z.shape[0])))
        if out is None:
            return result.T.copy()
        out[...] = result.T
        return out


def _entry(name, forward, derivative, init="xavier", identity=False) -> Activation:
    return Activation(name, forward, derivative, init, identity)


ACTIVATIONS: dict[str, Activation] = {
    "linear": _entry("linear", _linear, _linear_prime, identity=True),
    "relu": _entry("relu", _relu, _relu_prime, init="he"),
    "leaky_relu": _entry("leaky_relu", _leaky_relu, _leaky_relu_prime, init="he"),
    "elu": _entry("elu", _elu, _elu_prime, init="he"),
    "tanh": _entry("tanh", _tanh, _tanh_prime),
    "sigmoid": _entry("sigmoid", _sigmoid, _sigmoid_prime),
    "softplus": _entry("softplus", _softplus, _softplus_prime),
    "swish": _entry("swish", _swish, _swish_prime),
    "sine": _entry("sine", _sine, _sine_prime),
}
"""Hidden-layer activations by name."""

OUTPUT_ACTIVATIONS: dict[str, Activation] = {
    "linear": ACTIVATIONS["linear"],
    "tanh": ACTIVATIONS["tanh"],
    "sigmoid": ACTIVATIONS["sigmoid"],
    "softmax": SoftmaxActivation("softmax", _softmax, _softmax_prime),
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
