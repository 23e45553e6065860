"""Input features computed from the two coordinates, and their registry."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np


@dataclass(frozen=True)
class Feature:
    """One selectable input: a vectorised function of (x1, x2) and its display label."""

    name: str
    label: str
    function: Callable[[np.ndarray, np.ndarray], np.ndarray]


def _feature(name: str, label: str, function) -> tuple[str, Feature]:
    return name, Feature(name, label, function)


FEATURES: dict[str, Feature] = dict([
    _feature("x1", "x₁", lambda x1, x2: x1),
    _feature("x2", "x₂", lambda x1, x2: x2),
    _feature("x1_sq", "x₁²", lambda x1, x2: x1 * x1),
    _feature("x2_sq", "x₂²", lambda x1, x2: x2 * x2),
    _feature("x1_x2", "x₁x₂", lambda x1, x2: x1 * x2),
    _feature("sin_x1", "sin(x₁)", lambda x1, x2: np.sin(x1)),
    _feature("sin_x2", "sin(x₂)", lambda x1, x2: np.sin(x2)),
    _feature("cos_x1", "cos(x₁)", lambda x1, x2: np.cos(x1)),
    _feature("cos_x2", "cos(x₂)", lambda x1, x2: np.cos(x2)),
])
FEATURE_NAMES: tuple[str, ...] = tuple(FEATURES)
DEFAULT_FEATURES: tuple[str, ...] = ("x1", "x2")


def check_feature_names(names: Sequence[str]) -> tuple[str, ...]:
    """The names as a tuple; ValueError for an unknown name, a repeat, or none at all."""
    names = tuple(names)
    unknown = [name for name in names if name not in FEATURES]
    if unknown:
        raise ValueError(f"unknown feature(s) {', '.join(map(repr, unknown))}; "
                         f"allowed: {', '.join(FEATURE_NAMES)}")
    if len(set(names)) != len(names):
        raise ValueError(f"features must not repeat, got {names}")
    if not names:
        raise ValueError(f"select at least one feature of {', '.join(FEATURE_NAMES)}")
    return names


def feature_label(name: str) -> str:
    """Display label of a feature, e.g. "x₁²" for "x1_sq"."""
    return FEATURES[check_feature_names([name])[0]].label


def feature_matrix(X: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """(n, len(names)) float64 matrix of the named features of the points X (n, 2)."""
    names = check_feature_names(names)
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (n, 2), got {X.shape}")
    x1, x2 = X[:, 0], X[:, 1]
    out = np.empty((X.shape[0], len(names)), dtype=np.float64)
    for column, name in enumerate(names):
        out[:, column] = FEATURES[name].function(x1, x2)
    return out
