"""Network: parameter views, forward cache, backward quantities, losses, activations, errors."""
import numpy as np
import pytest

from playground.engine import (
    ACTIVATIONS, INITIALIZERS, LOSSES, OUTPUT_ACTIVATIONS, Network,
)


def _data(n=7, d=2, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    return X, (X[:, :1] * X[:, 1:2] > 0).astype(float)


# --- parameters ------------------------------------------------------------------------------

def test_shapes_follow_layer_sizes():
    net = Network([2, 8, 5, 1])
    assert [w.shape for w in net.weights] == [(2, 8), (8, 5), (5, 1)]
    assert [b.shape for b in net.biases] == [(8,), (5,), (1,)]
    assert net.parameters.shape == (2 * 8 + 8 + 8 * 5 + 5 + 5 + 1,)
    assert net.parameters.dtype == np.float64
    assert net.layer_sizes == (2, 8, 5, 1) and net.activations == ("tanh", "tanh")


def test_weights_and_biases_are_views_of_the_flat_vector():
    net = Network([2, 3, 1])
    X, _ = _data()
    before = net.predict(X)
    net.weights[0][1, 2] = 4.0
    assert 4.0 in net.parameters
    net.biases[1][0] = -2.0
    assert -2.0 in net.parameters
    assert not np.allclose(net.predict(X), before)
    net.parameters[...] = 0.0
    assert np.all(net.weights[0] == 0.0) and np.all(net.biases[1] == 0.0)


def test_assigning_a_layer_copies_into_the_views():
    net = Network([2, 3, 1])
    flat = net.parameters
    net.weights[0] = np.ones((2, 3))
    net.biases = [np.full(3, 0.5), np.full(1, -0.5)]
    assert net.parameters is flat
    assert np.all(net.weights[0] == 1.0) and net.biases[0][0] == 0.5 and net.biases[1][0] == -0.5
    with pytest.raises(ValueError, match=r"shape \(2, 3\)"):
        net.weights[0] = np.ones((3, 2))
    with pytest.raises(ValueError, match="needs 2 arrays"):
        net.weights = [np.ones((2, 3))]
    net.parameters = np.arange(net.parameters.size, dtype=float)
    assert net.parameters is flat and flat[5] == 5.0
    with pytest.raises(ValueError, match="parameters must have shape"):
        net.parameters = np.zeros(3)


def test_set_parameter():
    net = Network([2, 3, 1])
    net.set_parameter("weight", 0, (1, 2), 0.25)
    net.set_parameter("bias", 1, 0, -0.75)
    assert net.weights[0][1, 2] == 0.25 and net.biases[1][0] == -0.75
    for args, message in [(("neuron", 0, 0, 1.0), "kind must be one of"),
                          (("weight", 2, (0, 0), 1.0), "layer must be in 0..1"),
                          (("weight", 0, (2, 0), 1.0), "outside layer 0"),
                          (("weight", 0, 0, 1.0), "outside layer 0"),
                          (("bias", 0, 3, 1.0), "outside layer 0"),
                          (("bias", 0, 0, float("nan")), "must be finite")]:
        with pytest.raises(ValueError, match=message):
            net.set_parameter(*args)


def test_initialization_is_deterministic_and_follows_the_activation():
    assert np.array_equal(Network([2, 8, 1], seed=4).parameters, Network([2, 8, 1], seed=4).parameters)
    assert not np.array_equal(Network([2, 8, 1], seed=4).parameters,
                              Network([2, 8, 1], seed=5).parameters)
    net = Network([2, 4, 4, 1], activation=["relu", "tanh"])
    assert net.initializer_names() == ("he", "xavier", "xavier")
    assert Network([2, 4, 1], activation="elu").initializer_names() == ("he", "xavier")
    assert all(np.all(b == 0.0) for b in net.biases)


def test_initializers():
    big = Network([200, 300, 1], init="uniform", seed=1)
    assert -0.5 <= big.weights[0].min() < -0.49 and 0.49 < big.weights[0].max() < 0.5
    assert np.all(Network([2, 3, 1], init="zeros").parameters == 0.0)
    he = Network([400, 400, 1], init="he", seed=1).weights[0]
    xavier = Network([400, 400, 1], init="xavier", seed=1).weights[0]
    assert he.std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    assert xavier.std() == pytest.approx(np.sqrt(2 / 800), rel=0.02)
    per_layer = Network([2, 3, 1], init=["zeros", "uniform"])
    assert np.all(per_layer.weights[0] == 0.0) and np.any(per_layer.weights[1] != 0.0)
    assert {"xavier", "he", "uniform", "zeros"} <= set(INITIALIZERS)


def test_reinitialize():
    net = Network([2, 5, 1], seed=0)
    first = net.parameters.copy()
    net.reinitialize(9)
    assert net.seed == 9 and not np.array_equal(net.parameters, first)
    assert np.array_equal(net.parameters, Network([2, 5, 1], seed=9).parameters)
    net.reinitialize(0)
    assert np.array_equal(net.parameters, first)


# --- forward and backward --------------------------------------------------------------------

@pytest.mark.parametrize("output,loss,k", [("sigmoid", "bce", 1), ("softmax", "cross_entropy", 3),
                                           ("linear", "mse", 2)])
def test_forward_cache_holds_every_z_and_a(output, loss, k):
    X, _ = _data(9, 3)
    net = Network([3, 6, 4, k], activation=["relu", "swish"], output_activation=output, loss=loss)
    cache = net.forward(X)
    assert len(cache.z) == 3 and len(cache.a) == 4
    assert np.array_equal(cache.a[0], X)
    functions = [ACTIVATIONS["relu"], ACTIVATIONS["swish"], OUTPUT_ACTIVATIONS[output]]
    for layer, function in enumerate(functions):
        assert np.allclose(cache.z[layer], cache.a[layer] @ net.weights[layer] + net.biases[layer],
                           rtol=1e-13, atol=1e-14)
        assert np.allclose(cache.a[layer + 1], function.function(cache.z[layer]), rtol=1e-14)
    assert np.allclose(cache.output, net.predict(X), rtol=1e-15)
    outputs = net.layer_outputs(X)
    assert [o.shape for o in outputs] == [(9, 6), (9, 4), (9, k)]
    assert np.array_equal(outputs[-1], net.predict(X))


@pytest.mark.parametrize("output,loss,k", [("sigmoid", "bce", 2), ("softmax", "cross_entropy", 3),
                                           ("tanh", "mse", 2)])
def test_backward_is_the_chain_rule_layer_by_layer(output, loss, k):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(5, 2))
    Y = np.eye(k)[[0, 1, 1, 0, 1]] if output != "tanh" else rng.uniform(-1, 1, (5, k))
    net = Network([2, 4, 3, k], activation=["tanh", "sine"], output_activation=output, loss=loss,
                  l2=0.1)
    cache = net.forward(X)
    grads = net.backward(cache, Y)
    o, n = cache.output, len(X)
    if loss == "mse":
        expected_out = (o - Y) * (1 - o ** 2) / n
    else:
        expected_out = (o - Y) / n     # the matched pairs: the output derivative cancels
    assert np.allclose(grads.delta[-1], expected_out, rtol=1e-14, atol=1e-17)
    primes = [1 - cache.a[1] ** 2, np.cos(cache.z[1])]
    for layer in (2, 1):
        below = (grads.delta[layer] @ net.weights[layer].T) * primes[layer - 1]
        assert np.allclose(grads.delta[layer - 1], below, rtol=1e-13, atol=1e-17)
    for layer in range(3):
        dW = cache.a[layer].T @ grads.delta[layer] + 0.1 * net.weights[layer]
        assert np.allclose(grads.dW[layer], dW, rtol=1e-13, atol=1e-17)
        assert np.allclose(grads.db[layer], grads.delta[layer].sum(axis=0), rtol=1e-13, atol=1e-17)
    loss_value, pairs = net.loss_and_gradients(X, Y)
    assert loss_value == grads.loss
    assert all(np.array_equal(a, b) for (a, _), b in zip(pairs, grads.dW))


def test_loss_includes_the_penalty_on_weights_only():
    X, Y = _data()
    net = Network([2, 4, 1], l1=0.1, l2=0.2, seed=2)
    net.biases[0][...] = 3.0    # biases must not count
    data = Network([2, 4, 1], seed=2)
    data.parameters = net.parameters
    weights = np.concatenate([w.ravel() for w in net.weights])
    penalty = 0.1 * np.abs(weights).sum() + 0.5 * 0.2 * (weights ** 2).sum()
    assert net.penalty() == pytest.approx(penalty, rel=1e-14)
    assert net.compute_loss(X, Y) == pytest.approx(data.compute_loss(X, Y) + penalty, rel=1e-14)
    assert net.loss_and_gradients(X, Y)[0] == pytest.approx(net.compute_loss(X, Y), rel=1e-14)
    net.l1 = net.l2 = 0.0    # plain attributes, read at every pass
    assert net.compute_loss(X, Y) == pytest.approx(data.compute_loss(X, Y), rel=1e-15)


# --- losses ----------------------------------------------------------------------------------

def test_loss_values_match_their_definitions():
    z = np.array([[0.3, -1.2], [2.0, 0.1], [-0.4, 0.9]])
    Y01 = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    s = 1 / (1 + np.exp(-z))
    bce = -(Y01 * np.log(s) + (1 - Y01) * np.log(1 - s)).sum(axis=1).mean()
    assert LOSSES["bce"].value(z, s, Y01) == pytest.approx(bce, rel=1e-14)
    Y = np.array([[0.5, -0.5], [1.0, 2.0], [0.0, 0.0]])
    assert LOSSES["mse"].value(z, z, Y) == pytest.approx(0.5 * ((z - Y) ** 2).sum(axis=1).mean())
    onehot = np.array([[0.0, 1.0], [1.0, 0.0], [0.0, 1.0]])
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    ce = -(onehot * np.log(p)).sum(axis=1).mean()
    assert LOSSES["cross_entropy"].value(z, p, onehot) == pytest.approx(ce, rel=1e-14)


def test_losses_stay_finite_for_extreme_logits():
    z = np.array([[800.0, -800.0]])
    Y = np.array([[0.0, 1.0]])
    s = OUTPUT_ACTIVATIONS["sigmoid"].function(z)
    assert LOSSES["bce"].value(z, s, Y) == pytest.approx(1600.0)
    p = OUTPUT_ACTIVATIONS["softmax"].function(z)
    assert np.all(np.isfinite(p)) and LOSSES["cross_entropy"].value(z, p, Y) == pytest.approx(1600.0)


def test_data_loss_from_outputs():
    X, Y = _data()
    net = Network([2, 4, 1], l2=0.3)
    assert net.data_loss(net.predict(X), Y) == pytest.approx(net.compute_loss(X, Y) - net.penalty(),
                                                            rel=1e-12)
    saturated = np.array([[1.0], [0.0]])
    assert np.isfinite(net.data_loss(saturated, np.array([[0.0], [1.0]])))
    regression = Network([2, 4, 1], output_activation="linear", loss="mse")
    values = np.array([[0.5], [-1.0], [2.0], [0.0], [1.0], [3.0], [-2.0]])
    assert regression.data_loss(regression.predict(X), values) == pytest.approx(
        regression.compute_loss(X, values), rel=1e-12)
    assert regression.data_loss(values + 1.0, values) == pytest.approx(0.5)


# --- activations -----------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_derivatives_match_finite_differences(name):
    act = ACTIVATIONS[name]
    z = np.linspace(-3, 3, 61).reshape(-1, 1) + 0.013   # never exactly on a kink
    h = 1e-6
    numeric = (act.function(z + h) - act.function(z - h)) / (2 * h)
    assert np.allclose(act.derivative(z, act.function(z)), numeric, rtol=1e-7, atol=1e-8)
    out = np.empty_like(z)
    assert act.function(z, out=out) is out


def test_activations_known_values():
    z = np.array([[-2.0, 0.5]])
    expect = {"linear": z, "relu": [[0, 0.5]], "leaky_relu": [[-0.02, 0.5]],
              "elu": [[np.exp(-2) - 1, 0.5]], "tanh": np.tanh(z), "sigmoid": 1 / (1 + np.exp(-z)),
              "softplus": np.log1p(np.exp(z)), "swish": z / (1 + np.exp(-z)), "sine": np.sin(z)}
    assert set(expect) == set(ACTIVATIONS)
    for name, value in expect.items():
        assert np.allclose(ACTIVATIONS[name].function(z), value, rtol=1e-14), name
    assert set(OUTPUT_ACTIVATIONS) == {"linear", "tanh", "sigmoid", "softmax"}
    assert np.allclose(OUTPUT_ACTIVATIONS["softmax"].function(z).sum(axis=1), 1.0)


# --- errors ----------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs,message", [
    (dict(activation="gelu"), r"unknown hidden activation 'gelu'; choose one of \[.*'tanh'"),
    (dict(output_activation="relu"), r"unknown output activation 'relu'; choose one of"),
    (dict(loss="hinge"), r"unknown loss 'hinge'; choose one of \['bce', 'cross_entropy', 'mse'\]"),
    (dict(output_activation="linear", loss="bce"), r"loss 'bce' needs output activation sigmoid"),
    (dict(output_activation="sigmoid", loss="cross_entropy"), r"needs output activation softmax"),
    (dict(activation=["tanh"]), r"list of 2 names"),
    (dict(l1=-0.1), r"l1 must be a finite number >= 0"),
    (dict(l2=float("inf")), r"l2 must be a finite number >= 0"),
    (dict(init="orthogonal"), r"unknown initializer 'orthogonal'; choose one of"),
    (dict(init=["he"]), r"list of 3"),
])
def test_invalid_networks_raise_value_error(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Network([2, 4, 4, 1], **kwargs)


@pytest.mark.parametrize("sizes", [[2], [2, 0, 1], [2, 2.5, 1], []])
def test_invalid_layer_sizes(sizes):
    with pytest.raises(ValueError, match="layer_sizes must list"):
        Network(sizes)


def test_softmax_needs_two_outputs():
    with pytest.raises(ValueError, match="at least 2 output units"):
        Network([2, 3, 1], output_activation="softmax", loss="cross_entropy")


def test_invalid_inputs_and_targets():
    net = Network([2, 3, 1])
    X, Y = _data(4)
    with pytest.raises(ValueError, match=r"X must have shape \(n, 2\)"):
        net.predict(np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"X must have shape"):
        net.predict(np.zeros(4))
    with pytest.raises(ValueError, match="X contains non-finite"):
        net.predict(np.array([[np.nan, 0.0]]))
    with pytest.raises(ValueError, match=r"Y must have shape \(n, n_outputs\) = \(4, 1\).*reshape"):
        net.loss_and_gradients(X, Y.ravel())
    with pytest.raises(ValueError, match=r"got \(3, 1\)"):
        net.loss_and_gradients(X, Y[:3])
    with pytest.raises(ValueError, match="Y contains non-finite"):
        net.loss_and_gradients(X, np.full((4, 1), np.inf))
    with pytest.raises(ValueError, match=r"bce targets must lie in \[0, 1\]"):
        net.loss_and_gradients(X, Y + 1.0)
    softmax = Network([2, 3, 3], output_activation="softmax", loss="cross_entropy")
    with pytest.raises(ValueError, match="one-hot or probability rows summing to 1"):
        softmax.compute_loss(X, np.full((4, 3), 0.5))
    with pytest.raises(ValueError, match="non-negative"):
        softmax.compute_loss(X, np.tile([[-1.0, 1.0, 1.0]], (4, 1)))
    with pytest.raises(ValueError, match="at least one row"):
        net.compute_loss(np.zeros((0, 2)), np.zeros((0, 1)))
    assert net.predict(np.zeros((0, 2))).shape == (0, 1)
    with pytest.raises(ValueError, match="backward needs the ForwardCache"):
        from playground.engine import ForwardCache
        net.backward(ForwardCache(z=[], a=[X]), Y)


def test_single_precision_layer_outputs_follow_the_current_parameters():
    X, _ = _data(50, 3)
    net = Network([3, 6, 4, 2], activation=["tanh", "relu"], output_activation="sigmoid", loss="bce")
    single = net.layer_outputs(X, np.float32)
    assert [o.dtype for o in single] == [np.float32] * 3
    for low, exact in zip(single, net.layer_outputs(X)):
        np.testing.assert_allclose(low, exact, rtol=1e-5, atol=1e-6)
    net.set_parameter("bias", 2, 0, 5.0)          # the float32 copy is refreshed every call
    np.testing.assert_allclose(net.layer_outputs(X, np.float32)[-1], net.predict(X),
                               rtol=1e-5, atol=1e-6)
