"""The limits of :mod:`playground.limits` applied to what a file or a lesson says.

Saved files and lessons go through :func:`check_config` (and a saved file's points and weights
through :func:`check_points` and :func:`check_parameters`) before anything is built from them, so
a value the controls could not have set is refused with a message naming the field, instead of
failing later in the window or on the training thread. Each function raises ValueError.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from playground import limits
from playground.config import (INITIALIZER_NAMES, PROBLEM_TYPES, REGRESSION, REGULARIZATIONS,
                               PlaygroundConfig)
from playground.data import FEATURES, GENERATORS
from playground.engine import ACTIVATIONS, OPTIMIZERS, PRECISIONS
from playground.messages import quote


def check_config(config: PlaygroundConfig, where: str = "config",
                 name: Callable[[str], str] | None = None, unlimited: str = "null") -> None:
    """ValueError naming the first field outside the limits the controls allow.

    A field is named ``where.section.field`` ("config.hyper.learning_rate"), or by
    ``name("section.field")`` when given: the settings text names its own keys ("lr").
    ``unlimited`` is how the format spells a speed without limit (JSON's null).
    """
    if name is None:
        def name(path: str) -> str:
            return f"{where}.{path}"

    data, network, hyper = config.data, config.network, config.hyper
    _choice(data.generator, GENERATORS, name("data.generator"))
    _choice(data.problem, PROBLEM_TYPES, name("data.problem"))
    _within(data.n_samples, 1, limits.MAX_POINTS, name("data.n_samples"))
    _within(data.noise, *limits.NOISE_RANGE, name("data.noise"))
    _within(data.train_ratio, *limits.TRAIN_RATIO_RANGE, name("data.train_ratio"))
    _within(data.classes, limits.MIN_CLASSES, limits.MAX_CLASSES, name("data.classes"))
    _within(data.seed, 0, limits.MAX_SEED, name("data.seed"))

    layers = network.hidden_layers
    _within(len(layers), 0, limits.MAX_HIDDEN_LAYERS,
            f"the number of {name('network.hidden_layers')}")
    for index, units in enumerate(layers):
        _within(units, limits.MIN_UNITS, limits.MAX_UNITS,
                f"{name('network.hidden_layers')}[{index}]")
    if len(network.activations) != len(layers):
        raise ValueError(f"{name('network.activations')} names {len(network.activations)} "
                         f"activations for {len(layers)} hidden layers")
    for index, activation in enumerate(network.activations):
        _choice(activation, ACTIVATIONS, f"{name('network.activations')}[{index}]")
    if not network.features:
        raise ValueError(f"{name('network.features')} is empty; at least one input is needed")
    for index, feature in enumerate(network.features):
        _choice(feature, FEATURES, f"{name('network.features')}[{index}]")
    if len(set(network.features)) != len(network.features):
        raise ValueError(f"{name('network.features')} names a feature twice")
    _within(network.seed, 0, limits.MAX_SEED, name("network.seed"))
    _choice(network.init, INITIALIZER_NAMES, name("network.init"))

    _within(hyper.learning_rate, *limits.LEARNING_RATE_RANGE, name("hyper.learning_rate"))
    _within(hyper.batch_size, *limits.BATCH_SIZE_RANGE, name("hyper.batch_size"))
    _choice(hyper.optimizer, OPTIMIZERS, name("hyper.optimizer"))
    _choice(hyper.regularization, REGULARIZATIONS, name("hyper.regularization"))
    if hyper.regularization_rate != 0:
        _within(hyper.regularization_rate, *limits.REGULARIZATION_RATE_RANGE,
                name("hyper.regularization_rate"), "0 or ")
    if hyper.epochs_per_second is not None:
        _within(hyper.epochs_per_second, *limits.EPOCHS_PER_SECOND_RANGE,
                name("hyper.epochs_per_second"), f"{unlimited} (as fast as possible) or ")
    _within(hyper.shuffle_seed, 0, limits.MAX_SEED, name("hyper.shuffle_seed"))
    _choice(hyper.precision, PRECISIONS, name("hyper.precision"))


def check_points(X: np.ndarray, y: np.ndarray, kind: str, where: str = "dataset") -> None:
    """ValueError unless there are at most MAX_POINTS points, each coordinate (and regression
    value) within ±COORDINATE_LIMIT. NaN and infinity count as outside."""
    if len(X) > limits.MAX_POINTS:
        raise ValueError(f"{where} has {len(X):,} points; at most {limits.MAX_POINTS:,} are "
                         "allowed")
    arrays = [(f"{where}.X", X)] + ([(f"{where}.y", y)] if kind == REGRESSION else [])
    for name, values in arrays:
        _bounded(values, limits.COORDINATE_LIMIT, name)


def check_parameters(values: np.ndarray, where: str) -> None:
    """ValueError unless every weight or bias lies within ±PARAMETER_LIMIT."""
    _bounded(values, limits.PARAMETER_LIMIT, where)


def check_count(value: int, where: str) -> None:
    """ValueError unless ``value`` is a count (epochs, steps) in 0..MAX_COUNT."""
    _within(value, 0, limits.MAX_COUNT, where)


def _bounded(values: np.ndarray, bound: float, where: str) -> None:
    values = np.asarray(values)
    with np.errstate(invalid="ignore"):
        outside = ~(np.abs(values) <= bound)        # NaN is outside too
    if outside.any():
        first = values.ravel()[int(np.argmax(outside.ravel()))]
        raise ValueError(f"{where} holds {float(first):g}; values must lie within "
                         f"±{bound:g}")


def _choice(value, choices, where: str) -> None:
    if value not in choices:
        raise ValueError(f"{where} is {quote(value)}; it must be one of {', '.join(choices)}")


def _within(value, low, high, where: str, alternatives: str = "") -> None:
    if not low <= value <= high:
        raise ValueError(f"{where} is {quote(value)}; it must be {alternatives}"
                         f"{_number(low)}..{_number(high)}")


def _number(value) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"
