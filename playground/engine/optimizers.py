"""Optimizers working on the flat parameter and gradient vectors.

``step(grad, learning_rate)`` returns the change to *add* to the parameters (an internal buffer,
overwritten by the next step) and advances the optimizer's state; the Trainer checks that change
before applying it.  The learning rate is passed on every step, so it can change at any time
without resetting the state.
"""
from __future__ import annotations

import math

import numpy as np


class Optimizer:
    """Base class: state arrays of the parameter vector's size, exposed as a dict for saving."""

    name = ""
    #: names of the state arrays, all shaped like the parameter vector
    array_names: tuple[str, ...] = ()
    #: names of the integer/float state scalars
    scalar_names: tuple[str, ...] = ()

    def __init__(self, size: int):
        self.size = size
        self._step = np.zeros(size)
        self._scratch = np.zeros(size)
        for name in self.array_names:
            setattr(self, name, np.zeros(size))
        for name in self.scalar_names:
            setattr(self, name, 0)

    def step(self, grad: np.ndarray, learning_rate: float) -> np.ndarray:
        raise NotImplementedError

    def state(self) -> dict:
        """The optimizer's state: copies of its arrays and its scalars, by name."""
        state = {name: getattr(self, name).copy() for name in self.array_names}
        state.update({name: getattr(self, name) for name in self.scalar_names})
        return state

    def load_state(self, state: dict) -> None:
        """Restore a dict from :meth:`state`; ValueError if it does not fit this optimizer."""
        expected = set(self.array_names) | set(self.scalar_names)
        if set(state) != expected:
            raise ValueError(f"{self.name} optimizer state needs exactly the keys "
                             f"{sorted(expected)}, got {sorted(state)}")
        for name in self.array_names:
            array = np.asarray(state[name], dtype=np.float64)
            if array.shape != (self.size,):
                raise ValueError(f"{self.name} state {name!r} must have shape ({self.size},), "
                                 f"got {array.shape}")
            getattr(self, name)[...] = array
        for name in self.scalar_names:
            setattr(self, name, state[name])


class SGD(Optimizer):
    """Plain gradient descent: W <- W - lr * dL/dW."""

    name = "sgd"

    def step(self, grad, learning_rate):
        return np.multiply(grad, -learning_rate, out=self._step)


class Momentum(Optimizer):
    """Heavy-ball momentum: v <- mu v - lr g; W <- W + v."""

    name = "momentum"
    array_names = ("velocity",)
    mu = 0.9

    def step(self, grad, learning_rate):
        v = self.velocity
        v *= self.mu
        np.multiply(grad, learning_rate, out=self._scratch)
        v -= self._scratch
        np.copyto(self._step, v)
        return self._step


class Nesterov(Optimizer):
    """Nesterov momentum (Sutskever's form): v <- mu v - lr g; W <- W + mu v - lr g."""

    name = "nesterov"
    array_names = ("velocity",)
    mu = 0.9

    def step(self, grad, learning_rate):
        v, lr_grad = self.velocity, self._scratch
        v *= self.mu
        np.multiply(grad, learning_rate, out=lr_grad)
        v -= lr_grad
        np.multiply(v, self.mu, out=self._step)
        self._step -= lr_grad
        return self._step


class RMSProp(Optimizer):
    """RMSProp: s <- rho s + (1 - rho) g^2; W <- W - lr g / (sqrt(s) + eps)."""

    name = "rmsprop"
    array_names = ("square_average",)
    rho = 0.9
    eps = 1e-8

    def step(self, grad, learning_rate):
        s, scratch, step = self.square_average, self._scratch, self._step
        s *= self.rho
        np.multiply(grad, grad, out=scratch)
        scratch *= 1.0 - self.rho
        s += scratch
        np.sqrt(s, out=step)
        step += self.eps
        np.divide(grad, step, out=step)
        step *= -learning_rate
        return step


class Adam(Optimizer):
    """Adam (Kingma & Ba): m <- b1 m + (1-b1) g; v <- b2 v + (1-b2) g^2;
    W <- W - lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)."""

    name = "adam"
    array_names = ("m", "v")
    scalar_names = ("t",)
    beta1 = 0.9
    beta2 = 0.999
    eps = 1e-8

    def step(self, grad, learning_rate):
        m, v, scratch, step = self.m, self.v, self._scratch, self._step
        self.t += 1
        m *= self.beta1
        np.multiply(grad, 1.0 - self.beta1, out=scratch)
        m += scratch
        v *= self.beta2
        np.multiply(grad, grad, out=scratch)
        scratch *= 1.0 - self.beta2
        v += scratch
        np.divide(v, 1.0 - self.beta2 ** self.t, out=step)     # v hat
        np.sqrt(step, out=step)
        step += self.eps
        np.divide(m, 1.0 - self.beta1 ** self.t, out=scratch)  # m hat
        np.divide(scratch, step, out=step)
        step *= -learning_rate
        return step

    def load_state(self, state):
        super().load_state(state)
        t = self.t
        if isinstance(t, bool) or not isinstance(t, (int, np.integer)) or t < 0:
            raise ValueError(f"adam state 't' must be a step count >= 0, got {t!r}")
        self.t = int(t)


OPTIMIZERS: dict[str, type[Optimizer]] = {
    cls.name: cls for cls in (SGD, Momentum, Nesterov, RMSProp, Adam)}
"""Optimizer classes by name; ``OPTIMIZERS[name](n_parameters)`` makes one."""


def make_optimizer(name: str, size: int) -> Optimizer:
    try:
        cls = OPTIMIZERS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown optimizer {name!r}; choose one of {sorted(OPTIMIZERS)}") from None
    return cls(size)


def check_learning_rate(value) -> float:
    value = float(value)
    if not (math.isfinite(value) and value >= 0.0):
        raise ValueError(f"learning_rate must be a finite number >= 0, got {value}")
    return value
