"""Backpropagation against central finite differences, for every hidden activation, every
output/loss pairing and every kind of regularization, on networks with mixed activations."""
import numpy as np
import pytest

from playground.engine import ACTIVATIONS, Network, gradient_check, numerical_gradients

KINKED = {"relu", "leaky_relu"}   # derivative jumps at z = 0: keep every z away from it
OUTPUTS = [  # (output activation, loss, output units)
    ("linear", "mse", 2),
    ("tanh", "mse", 2),
    ("sigmoid", "bce", 2),
    ("softmax", "cross_entropy", 3),
]
REGULARIZATIONS = {"none": (0.0, 0.0), "l1": (0.03, 0.0), "l2": (0.0, 0.05)}
TOLERANCE = 1e-6


def _targets(output: str, k: int, n: int, rng) -> np.ndarray:
    if output == "softmax":
        return np.eye(k)[rng.integers(0, k, n)]
    if output == "sigmoid":
        return rng.integers(0, 2, (n, k)).astype(float)
    return rng.uniform(-0.9, 0.9, (n, k))


def _partner(name: str) -> str:
    """A different activation, so every network mixes activations across its layers."""
    names = sorted(ACTIVATIONS)
    return names[(names.index(name) + 3) % len(names)]


def _far_from_kinks(net: Network, X: np.ndarray, margin: float = 1e-3) -> bool:
    cache = net.forward(X)
    return all(np.abs(z).min() > margin for z, name in zip(cache.z, net.activations)
               if name in KINKED)


def _network_and_data(activation, output, loss, k, l1, l2):
    """A 3-hidden-layer network [act, partner, act] whose relu-family inputs avoid 0."""
    for seed in range(50):
        rng = np.random.default_rng(seed)
        X = rng.normal(size=(6, 3))
        net = Network([3, 5, 4, 4, k], activation=[activation, _partner(activation), activation],
                      output_activation=output, loss=loss, l1=l1, l2=l2, seed=seed)
        # non-zero biases so bias gradients are exercised away from the symmetric start
        for b in net.biases:
            b[...] = rng.normal(scale=0.3, size=b.shape)
        if _far_from_kinks(net, X):
            return net, X, _targets(output, k, len(X), rng)
    raise AssertionError("no seed kept the kinked activations away from z = 0")


@pytest.mark.parametrize("regularization", sorted(REGULARIZATIONS))
@pytest.mark.parametrize("output,loss,k", OUTPUTS)
@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_backprop_matches_finite_differences(activation, output, loss, k, regularization):
    l1, l2 = REGULARIZATIONS[regularization]
    net, X, Y = _network_and_data(activation, output, loss, k, l1, l2)
    errors = gradient_check(net, X, Y, eps=1e-6)
    assert len(errors) == net.n_layers
    assert max(errors) < TOLERANCE, errors


def test_gradient_check_leaves_parameters_untouched():
    net, X, Y = _network_and_data("tanh", "sigmoid", "bce", 2, 0.01, 0.01)
    before = net.parameters.copy()
    gradient_check(net, X, Y)
    assert np.array_equal(net.parameters, before)


@pytest.mark.parametrize("corrupt_layer", [0, 2, 3])
def test_gradient_check_flags_a_corrupted_gradient(corrupt_layer):
    net, X, Y = _network_and_data("tanh", "softmax", "cross_entropy", 3, 0.0, 0.01)

    def corrupted(X_, Y_):
        grads = [(dW.copy(), db.copy()) for dW, db in net.loss_and_gradients(X_, Y_)[1]]
        grads[corrupt_layer][0][0, 0] += 0.05 * np.abs(grads[corrupt_layer][0]).max() + 1e-3
        return grads

    errors = gradient_check(net, X, Y, gradients=corrupted)
    assert errors[corrupt_layer] > 1e-3
    assert all(e < TOLERANCE for i, e in enumerate(errors) if i != corrupt_layer), errors


def test_gradient_check_flags_a_missing_bias_gradient():
    net, X, Y = _network_and_data("sine", "linear", "mse", 2, 0.0, 0.0)

    def without_bias(X_, Y_):
        return [(dW, np.zeros_like(db)) for dW, db in net.loss_and_gradients(X_, Y_)[1]]

    assert min(gradient_check(net, X, Y, gradients=without_bias)) > 0.5


def test_gradient_function_with_wrong_layer_count_is_rejected():
    net, X, Y = _network_and_data("tanh", "linear", "mse", 2, 0.0, 0.0)
    with pytest.raises(ValueError, match="returned 1 layers"):
        gradient_check(net, X, Y, gradients=lambda X_, Y_: net.loss_and_gradients(X_, Y_)[1][:1])


def test_numerical_gradients_of_the_penalty_alone():
    """Targets equal to the output make the data gradient zero, leaving l2 * W (weights only)."""
    net = Network([2, 3, 1], activation="linear", output_activation="linear", loss="mse",
                  l2=0.5, seed=3)
    X = np.random.default_rng(0).normal(size=(4, 2))
    Y = net.predict(X)
    _, grads = net.loss_and_gradients(X, Y)
    for (dW, db), W in zip(grads, net.weights):
        assert np.allclose(dW, 0.5 * W, atol=1e-15)
        assert np.allclose(db, 0.0, atol=1e-15)
    numeric = numerical_gradients(net, X, Y, eps=1e-5)
    for (nW, _), W in zip(numeric, net.weights):
        assert np.allclose(nW, 0.5 * W, atol=1e-8)
