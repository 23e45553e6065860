"""The pure edits of a network's shape the network editor is made of."""
from dataclasses import replace

import pytest

from playground.config import ACTIVATION_NAMES, NetworkSpec
from playground.data import FEATURE_NAMES
from playground.network_edits import (MAX_HIDDEN_LAYERS, MAX_UNITS, MIN_UNITS, NEW_LAYER_UNITS,
                                      add_layer, remove_layer, resize_layer, set_layer_activation,
                                      toggle_feature)


def test_spec_edits_respect_the_limits():
    spec = NetworkSpec(hidden_layers=(), activations=(), features=("x1",))
    assert toggle_feature(spec, "x1") == spec                    # the last feature stays on
    assert toggle_feature(spec, "cos_x2").features == ("x1", "cos_x2")
    assert toggle_feature(toggle_feature(spec, "sin_x1"), "x1").features == ("sin_x1",)
    assert remove_layer(spec) == spec
    for _ in range(MAX_HIDDEN_LAYERS + 3):
        spec = add_layer(spec)
    assert len(spec.hidden_layers) == MAX_HIDDEN_LAYERS == len(spec.activations)
    assert resize_layer(spec, 0, -10).hidden_layers[0] == MIN_UNITS
    assert resize_layer(spec, 0, +100).hidden_layers[0] == MAX_UNITS
    assert set_layer_activation(spec, 2, "relu").activations[2] == "relu"
    with pytest.raises(ValueError):
        toggle_feature(spec, "x3")


def test_features_keep_the_canonical_order_whatever_order_they_are_switched_in():
    spec = NetworkSpec(features=("x1",))
    for name in reversed(FEATURE_NAMES):
        spec = toggle_feature(spec, name) if name not in spec.features else spec
    assert spec.features == FEATURE_NAMES
    assert toggle_feature(spec, "x2").features == tuple(n for n in FEATURE_NAMES if n != "x2")


def test_an_added_layer_copies_the_last_one_and_a_removed_layer_is_the_last():
    spec = NetworkSpec(hidden_layers=(6, 3), activations=("relu", "sine"))
    assert add_layer(spec) == NetworkSpec(hidden_layers=(6, 3, 3),
                                          activations=("relu", "sine", "sine"))
    assert remove_layer(spec) == NetworkSpec(hidden_layers=(6,), activations=("relu",))
    first = add_layer(NetworkSpec(hidden_layers=(), activations=()))
    assert first.hidden_layers == (NEW_LAYER_UNITS,) and first.activations == ("tanh",)


def test_resizing_and_activations_change_one_layer_only():
    spec = NetworkSpec(hidden_layers=(4, 2, 5), activations=("tanh", "tanh", "tanh"))
    assert resize_layer(spec, 1, +3).hidden_layers == (4, 5, 5)
    assert resize_layer(spec, 2, -1).hidden_layers == (4, 2, 4)
    assert set_layer_activation(spec, 0, "elu").activations == ("elu", "tanh", "tanh")
    assert spec.features == resize_layer(spec, 0, 1).features and spec.seed == add_layer(spec).seed


def test_edits_refuse_a_layer_or_an_activation_that_does_not_exist():
    spec = NetworkSpec(hidden_layers=(4, 2), activations=("tanh", "tanh"))
    for layer in (2, -1):
        with pytest.raises(IndexError):
            resize_layer(spec, layer, +1)
        with pytest.raises(IndexError):
            set_layer_activation(spec, layer, "relu")
    with pytest.raises(ValueError):
        set_layer_activation(spec, 0, "softmax")         # an output activation, not a hidden one
    assert "softmax" not in ACTIVATION_NAMES


def test_each_change_is_described_in_a_few_words():
    from playground.network_edits import describe_change

    spec = NetworkSpec()
    assert describe_change(spec, toggle_feature(spec, "x1_sq")) == "switch feature x₁² on"
    assert describe_change(spec, toggle_feature(spec, "x1")) == "switch feature x₁ off"
    assert describe_change(spec, add_layer(spec)) == "add a hidden layer"
    assert describe_change(spec, remove_layer(spec)) == "remove a hidden layer"
    assert describe_change(spec, resize_layer(spec, 1, 1)) == "neurons of hidden layer 2"
    assert describe_change(spec, set_layer_activation(spec, 0, "relu")) == \
        "activation of hidden layer 1"
    assert describe_change(spec, spec.with_activation("relu")) == \
        "activation of the hidden layers"
    assert describe_change(spec, replace(spec, init="zeros")) == "initial weights"
