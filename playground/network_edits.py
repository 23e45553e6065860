"""Edits of a network's shape: pure functions from one NetworkSpec to the next.

The network editor turns clicks into these; each returns the spec unchanged when the edit would
leave the limits (no hidden layer fewer than 0 or more than MAX_HIDDEN_LAYERS, no layer narrower
than MIN_UNITS or wider than MAX_UNITS, never no input feature at all).
"""
from __future__ import annotations

from dataclasses import replace

from playground.config import ACTIVATION_NAMES, NetworkSpec
from playground.data import FEATURE_NAMES, FEATURES
from playground.limits import MAX_HIDDEN_LAYERS, MAX_UNITS, MIN_UNITS

NEW_LAYER_UNITS = 4          # the first hidden layer added to a network without one
NEW_LAYER_ACTIVATION = "tanh"


def toggle_feature(spec: NetworkSpec, name: str) -> NetworkSpec:
    """Switch input feature ``name`` on or off, features kept in canonical order; the last one
    stays on."""
    if name not in FEATURES:
        raise ValueError(f"unknown feature {name!r}")
    chosen = set(spec.features) ^ {name}
    if not chosen:
        return spec
    return replace(spec, features=tuple(n for n in FEATURE_NAMES if n in chosen))


def add_layer(spec: NetworkSpec) -> NetworkSpec:
    """One more hidden layer at the end, as wide as (and with the activation of) the last one."""
    if len(spec.hidden_layers) >= MAX_HIDDEN_LAYERS:
        return spec
    units = spec.hidden_layers[-1] if spec.hidden_layers else NEW_LAYER_UNITS
    activation = spec.activations[-1] if spec.activations else NEW_LAYER_ACTIVATION
    return replace(spec, hidden_layers=(*spec.hidden_layers, units),
                   activations=(*spec.activations, activation))


def remove_layer(spec: NetworkSpec) -> NetworkSpec:
    """Drop the last hidden layer (none left is allowed: a linear model)."""
    if not spec.hidden_layers:
        return spec
    return replace(spec, hidden_layers=spec.hidden_layers[:-1],
                   activations=spec.activations[:-1])


def resize_layer(spec: NetworkSpec, layer: int, delta: int) -> NetworkSpec:
    """Add ``delta`` neurons to hidden layer ``layer``, kept within MIN_UNITS … MAX_UNITS."""
    _check_layer(spec, layer)
    sizes = list(spec.hidden_layers)
    sizes[layer] = min(max(sizes[layer] + delta, MIN_UNITS), MAX_UNITS)
    return replace(spec, hidden_layers=tuple(sizes))


def set_layer_activation(spec: NetworkSpec, layer: int, name: str) -> NetworkSpec:
    """Hidden layer ``layer`` with activation ``name``."""
    _check_layer(spec, layer)
    if name not in ACTIVATION_NAMES:
        raise ValueError(f"unknown activation {name!r}")
    activations = list(spec.activations)
    activations[layer] = name
    return replace(spec, activations=tuple(activations))


def _check_layer(spec: NetworkSpec, layer: int) -> None:
    # negative indices would silently edit a layer counted from the end
    if not 0 <= layer < len(spec.hidden_layers):
        raise IndexError(f"hidden layer {layer} out of range 0..{len(spec.hidden_layers) - 1}")


def describe_change(before: NetworkSpec, after: NetworkSpec) -> str:
    """A few words for what turned ``before`` into ``after`` (the Edit menu's "Undo …")."""
    if before.features != after.features:
        added = set(after.features) - set(before.features)
        name = min(added or set(before.features) - set(after.features))
        return f"switch feature {FEATURES[name].label} {'on' if added else 'off'}"
    n_before, n_after = len(before.hidden_layers), len(after.hidden_layers)
    if n_before != n_after:
        return "add a hidden layer" if n_after > n_before else "remove a hidden layer"
    resized = [layer for layer in range(n_after)
               if before.hidden_layers[layer] != after.hidden_layers[layer]]
    if resized:
        return f"neurons of hidden layer {resized[0] + 1}"
    changed = [layer for layer in range(n_after)
               if before.activations[layer] != after.activations[layer]]
    if len(changed) == 1:
        return f"activation of hidden layer {changed[0] + 1}"
    if changed:
        return "activation of the hidden layers"
    if before.init != after.init:
        return "initial weights"
    return "network edit"
