"""Weight initializers: ``init(rng, fan_in, fan_out) -> (fan_in, fan_out) float64 array``.

Biases always start at zero; only the weights are drawn.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

Initializer = Callable[[np.random.Generator, int, int], np.ndarray]


def xavier(rng: np.random.Generator, fan_in: int, fan_out: int) -> np.ndarray:
    """Glorot/Xavier normal: variance 2 / (fan_in + fan_out), keeps tanh/sigmoid layers unsaturated."""
    return rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), size=(fan_in, fan_out))


def he(rng: np.random.Generator, fan_in: int, fan_out: int) -> np.ndarray:
    """He/Kaiming normal: variance 2 / fan_in, compensates for relu zeroing half the inputs."""
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))


def uniform(rng: np.random.Generator, fan_in: int, fan_out: int) -> np.ndarray:
    """Uniform on [-0.5, 0.5), like the classic web playground."""
    return rng.uniform(-0.5, 0.5, size=(fan_in, fan_out))


def zeros(rng: np.random.Generator, fan_in: int, fan_out: int) -> np.ndarray:
    """All zeros: shows why symmetric units never learn different features."""
    return np.zeros((fan_in, fan_out))


INITIALIZERS: dict[str, Initializer] = {
    "xavier": xavier,
    "glorot": xavier,
    "he": he,
    "uniform": uniform,
    "zeros": zeros,
}
"""Initializers by name ("glorot" is an alias of "xavier")."""


def get_initializer(name: str) -> Initializer:
    try:
        return INITIALIZERS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown initializer {name!r}; choose one of {sorted(INITIALIZERS)}") from None
