"""Optimizers working on the flat parameter and gradient vectors.

``step(grad, learning_rate)`` returns the change to *add* to the parameters (an internal buffer,
overwritten by the next step) and advances the optimizer's state; the Trainer checks that change
before applying it.  The learning rate is passed on every step, so it can change at any time
without resetting the state.  Each update is written as NumPy calls the Trainer records once
and replays (tape.py).
"""
from __future__ import annotations

import math

import numpy as np

from .tape import Calls, run


class Optimizer:
    """Base class: state arrays of the parameter vector's size, exposed as a dict for saving.

    An update is :meth:`prepare` (per-step scalars, in Python) followed by :meth:`calls`
    (NumPy calls writing the change into ``step``), which the Trainer records once and replays.
    """

    name = ""
    #: names of the state arrays, all shaped like the parameter vector
    array_names: tuple[str, ...] = ()
    #: names of the integer/float state scalars
    scalar_names: tuple[str, ...] = ()

    def __init__(self, size: int, dtype=np.float64):
        self.size = size
        self.dtype = np.dtype(dtype)
        #: the buffer each update writes the change to add to the parameters into
        self.change = np.zeros(size, dtype)
        self._scratch = np.zeros(size, dtype)
        # per-step scalars as 0-d arrays of the parameters' dtype, so recorded calls see their
        # current values (a float64 scalar array would make float32 calls compute in float64)
        self._lr = np.zeros((), dtype)
        self._neg_lr = np.zeros((), dtype)
        self._prepared_lr = None
        #: whether the optimizer keeps state a bad gradient could spoil
        self.stateful = bool(self.array_names)
        for name in self.array_names:
            setattr(self, name, np.zeros(size, dtype))
        for name in self.scalar_names:
            setattr(self, name, 0)

    def prepare(self, learning_rate: float) -> None:
        """Set the scalars of the coming step."""
        if learning_rate != self._prepared_lr:
            self._lr[...] = learning_rate
            self._neg_lr[...] = -learning_rate
            self._prepared_lr = learning_rate

    def calls(self, grad: np.ndarray, step: np.ndarray) -> Calls:
        """Calls that advance the state and write the change to add to the parameters."""
        raise NotImplementedError

    def step(self, grad: np.ndarray, learning_rate: float) -> np.ndarray:
        """One update right away: returns the change (an internal buffer, reused next step)."""
        self.prepare(learning_rate)
        run(self.calls(grad, self.change))
        return self.change

    def state(self) -> dict:
        """The optimizer's state: float64 copies of its arrays, and its scalars, by name
        (float64 whatever the precision, so saved files hold one kind of state)."""
        state = {name: getattr(self, name).astype(np.float64) for name in self.array_names}
        state.update({name: getattr(self, name) for name in self.scalar_names})
        return state

    def load_state(self, state: dict) -> None:
        """Restore a dict from :meth:`state`; ValueError if it does not fit this optimizer."""
        expected = set(self.array_names) | set(self.scalar_names)
        if set(state) != expected:
            raise ValueError(f"{self.name} optimizer state needs exactly the keys "
                             f"{sorted(expected)}, got {sorted(state)}")
        arrays = {}
        for name in self.array_names:
            array = np.asarray(state[name], dtype=np.float64)
            if array.shape != (self.size,):
                raise ValueError(f"{self.name} state {name!r} must have shape ({self.size},), "
                                 f"got {array.shape}")
            arrays[name] = array
        self._check_scalars(state)
        for name, array in arrays.items():
            getattr(self, name)[...] = array       # in place: recorded calls keep working
        for name in self.scalar_names:
            setattr(self, name, int(state[name]))

    def _check_scalars(self, state: dict) -> None:
        pass


class SGD(Optimizer):
    """Plain gradient descent: W <- W - lr * dL/dW."""

    name = "sgd"

    def calls(self, grad, step):
        return [(np.multiply, (grad, self._neg_lr, step))]


class Momentum(Optimizer):
    """Heavy-ball momentum as PyTorch's SGD has it: v <- mu v + g; W <- W - lr v.

    The velocity v is a running sum of gradients, without the learning rate, which is applied at
    the update: a learning rate changed mid-run scales the next step at once, momentum included,
    exactly as torch.optim.SGD(momentum=0.9) does when its lr is changed (scikit-learn and many
    textbooks keep the rate inside the velocity, v <- mu v - lr g, which gives the same steps only
    while the rate stays constant).
    """

    name = "momentum"
    array_names = ("velocity",)
    mu = 0.9

    def calls(self, grad, step):
        v = self.velocity
        return [(np.multiply, (v, self.mu, v)),
                (np.add, (v, grad, v)),
                (np.multiply, (v, self._neg_lr, step))]


class Nesterov(Optimizer):
    """Nesterov momentum as PyTorch's SGD has it: v <- mu v + g; W <- W - lr (g + mu v)
    (the learning rate outside the velocity, as for :class:`Momentum`)."""

    name = "nesterov"
    array_names = ("velocity",)
    mu = 0.9

    def calls(self, grad, step):
        v = self.velocity
        return [(np.multiply, (v, self.mu, v)),
                (np.add, (v, grad, v)),
                (np.multiply, (v, self.mu, step)),
                (np.add, (grad, step, step)),
                (np.multiply, (step, self._neg_lr, step))]


class RMSProp(Optimizer):
    """RMSProp: s <- rho s + (1 - rho) g^2; W <- W - lr g / (sqrt(s) + eps)."""

    name = "rmsprop"
    array_names = ("square_average",)
    rho = 0.9
    eps = 1e-8

    def calls(self, grad, step):
        s, scratch = self.square_average, self._scratch
        return [(np.multiply, (s, self.rho, s)),
                (np.multiply, (grad, grad, scratch)),
                (np.multiply, (scratch, 1.0 - self.rho, scratch)),
                (np.add, (s, scratch, s)),
                (np.sqrt, (s, step)),
                (np.add, (step, self.eps, step)),
                (np.divide, (grad, step, step)),
                (np.multiply, (step, self._neg_lr, step))]


class Adam(Optimizer):
    """Adam (Kingma & Ba): m <- b1 m + (1-b1) g; v <- b2 v + (1-b2) g^2;
    W <- W - lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)."""

    name = "adam"
    array_names = ("m", "v")
    scalar_names = ("t",)
    beta1 = 0.9
    beta2 = 0.999
    eps = 1e-8

    def __init__(self, size, dtype=np.float64):
        super().__init__(size, dtype)
        self._correction1 = np.ones((), dtype)
        self._correction2 = np.ones((), dtype)

    def prepare(self, learning_rate):
        super().prepare(learning_rate)
        self.t += 1
        self._correction1[...] = 1.0 - self.beta1 ** self.t
        self._correction2[...] = 1.0 - self.beta2 ** self.t

    def calls(self, grad, step):
        m, v, scratch = self.m, self.v, self._scratch
        return [(np.multiply, (m, self.beta1, m)),
                (np.multiply, (grad, 1.0 - self.beta1, scratch)),
                (np.add, (m, scratch, m)),
                (np.multiply, (v, self.beta2, v)),
                (np.multiply, (grad, grad, scratch)),
                (np.multiply, (scratch, 1.0 - self.beta2, scratch)),
                (np.add, (v, scratch, v)),
                (np.divide, (v, self._correction2, step)),       # v hat
                (np.sqrt, (step, step)),
                (np.add, (step, self.eps, step)),
                (np.divide, (m, self._correction1, scratch)),    # m hat
                (np.divide, (scratch, step, step)),
                (np.multiply, (step, self._neg_lr, step))]

    def _check_scalars(self, state):
        t = state["t"]
        if isinstance(t, bool) or not isinstance(t, (int, np.integer)) or t < 0:
            raise ValueError(f"adam state 't' must be a step count >= 0, got {t!r}")


OPTIMIZERS: dict[str, type[Optimizer]] = {
    cls.name: cls for cls in (SGD, Momentum, Nesterov, RMSProp, Adam)}
"""Optimizer classes by name; ``OPTIMIZERS[name](n_parameters, dtype)`` makes one."""


def make_optimizer(name: str, size: int, dtype=np.float64) -> Optimizer:
    try:
        cls = OPTIMIZERS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown optimizer {name!r}; choose one of {sorted(OPTIMIZERS)}") from None
    return cls(size, dtype)


def check_learning_rate(value) -> float:
    value = float(value)
    if not (math.isfinite(value) and value >= 0.0):
        raise ValueError(f"learning_rate must be a finite number >= 0, got {value}")
    return value
