"""The limits of :mod:`playground.limits` applied to what a file or a lesson says.

Saved files and lessons go through :func:`check_config` (and a saved file's points and weights
through :func:`check_points` and :func:`check_parameters`) before anything is built from them, so
a value the controls could not have set is refused with a message naming the field, instead of
failing later in the window or on the training thread. Each function raises ValueError.
"""
from __future__ import annotations

import numpy as np

from playground import limits
from playground.config import PROBLEM_TYPES, REGRESSION, REGULARIZATIONS, PlaygroundConfig
from playground.data import FEATURES, GENERATORS
from playground.engine import ACTIVATIONS, OPTIMIZERS, PRECISIONS
from playground.messages import quote


def check_config(config: PlaygroundConfig, where: str = "config") -> None:
    """ValueError naming the first field outside the limits the controls allow."""
    data, network, hyper = config.data, config.network, config.hyper
    section = f"{where}.data"
    _choice(data.generator, GENERATORS, f"{section}.generator")
    _choice(data.problem, PROBLEM_TYPES, f"{section}.problem")
    _within(data.n_samples, 1, limits.MAX_POINTS, f"{section}.n_samples")
    _within(data.noise, *limits.NOISE_RANGE, f"{section}.noise")
    _within(data.train_ratio, *limits.TRAIN_RATIO_RANGE, f"{section}.train_ratio")
    _within(data.classes, limits.MIN_CLASSES, limits.MAX_CLASSES, f"{section}.classes")
    _within(data.seed, 0, limits.MAX_SEED, f"{section}.seed")

    section = f"{where}.network"
    layers = network.hidden_layers
    _within(len(layers), 0, limits.MAX_HIDDEN_LAYERS, f"the number of {section}.hidden_layers")
    for index, units in enumerate(layers):
        _within(units, limits.MIN_UNITS, limits.MAX_UNITS, f"{section}.hidden_layers[{index}]")
    if len(network.activations) != len(layers):
        raise ValueError(f"{section}.activations names {len(network.activations)} activations "
                         f"for {len(layers)} hidden layers")
    for index, name in enumerate(network.activations):
        _choice(name, ACTIVATIONS, f"{section}.activations[{index}]")
    if not network.features:
        raise ValueError(f"{section}.features is empty; at least one input is needed")
    for index, name in enumerate(network.features):
        _choice(name, FEATURES, f"{section}.features[{index}]")
    if len(set(network.features)) != len(network.features):
        raise ValueError(f"{section}.features names a feature twice")
    _within(network.seed, 0, limits.MAX_SEED, f"{section}.seed")

    section = f"{where}.hyper"
    _within(hyper.learning_rate, *limits.LEARNING_RATE_RANGE, f"{section}.learning_rate")
    _within(hyper.batch_size, *limits.BATCH_SIZE_RANGE, f"{section}.batch_size")
    _choice(hyper.optimizer, OPTIMIZERS, f"{section}.optimizer")
    _choice(hyper.regularization, REGULARIZATIONS, f"{section}.regularization")
    if hyper.regularization_rate != 0:
        _within(hyper.regularization_rate, *limits.REGULARIZATION_RATE_RANGE,
                f"{section}.regularization_rate", "0 or ")
    if hyper.epochs_per_second is not None:
        _within(hyper.epochs_per_second, *limits.EPOCHS_PER_SECOND_RANGE,
                f"{section}.epochs_per_second", "null (as fast as possible) or ")
    _within(hyper.shuffle_seed, 0, limits.MAX_SEED, f"{section}.shuffle_seed")
    _choice(hyper.precision, PRECISIONS, f"{section}.precision")


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
