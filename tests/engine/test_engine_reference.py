"""The fast engine equals the readable reference (playground/engine/reference.py) to 1e-12:
forward caches, loss, deltas, every gradient and the weights after a few training steps, for
every activation, output and loss, penalty and optimizer, on random networks."""
import itertools

import numpy as np
import pytest

from playground.engine import ACTIVATIONS, LOSSES, OPTIMIZERS, Network, Trainer, reference

OUTPUTS = [("sigmoid", "bce", 1), ("softmax", "cross_entropy", 3), ("linear", "mse", 2),
           ("tanh", "mse", 1), ("sigmoid", "mse", 2), ("softmax", "mse", 3)]
PENALTIES = [(0.0, 0.0), (0.01, 0.0), (0.0, 0.05), (0.02, 0.03)]


def assert_close(fast, expected, what):
    np.testing.assert_allclose(fast, expected, rtol=1e-12, atol=1e-12, err_msg=what)


def targets_for(loss, rng, n, units):
    if loss == "bce":
        return rng.integers(0, 2, (n, 1)).astype(float)
    if loss == "cross_entropy":
        return np.eye(units)[rng.integers(0, units, n)]
    return rng.normal(0.0, 1.0, (n, units))


def random_network(seed, hidden_names, output, loss, units, l1=0.0, l2=0.0):
    rng = np.random.default_rng(seed)
    sizes = [int(rng.integers(1, 4)), *(int(rng.integers(2, 6)) for _ in hidden_names), units]
    net = Network(sizes, activation=list(hidden_names), output_activation=output, loss=loss,
                  l1=l1, l2=l2, seed=seed)
    # larger than the initial draw, biases too, so the activations leave their linear part
    net.parameters = rng.normal(0.0, 1.0, net.parameters.size)
    X = rng.normal(0.0, 1.5, (7, sizes[0]))
    return net, X, targets_for(loss, rng, 7, units)


def check_training_matches(net, X, Y, optimizer, steps=4, learning_rate=0.1):
    """Train the engine and the reference side by side on the trainer's own mini-batches."""
    names = [*net.activations, net.output_activation]
    layers = [(W.copy(), b.copy()) for W, b in zip(net.weights, net.biases)]
    reference_optimizer = reference.Optimizer(optimizer)
    trainer = Trainer(net, optimizer=optimizer, learning_rate=learning_rate, batch_size=4, seed=3)
    for step in range(steps):                  # batches of 4 and 3 rows: a partial one too
        result = trainer.train_batch(X, Y)
        rows = result.indices
        zs, activations = reference.forward(layers, names, X[rows])
        _, _, deltas = reference.backward(layers, names, net.loss_name, zs, activations, Y[rows],
                                          net.l2)
        loss, gradients = reference.train_step(layers, names, net.loss_name, X[rows], Y[rows],
                                               reference_optimizer, learning_rate, net.l1, net.l2)
        where = f"step {step}"
        assert result.loss == pytest.approx(loss, rel=1e-12, abs=1e-12), where
        for layer, (dW, db) in enumerate(gradients):
            assert_close(result.forward.z[layer], zs[layer], f"{where}, z[{layer}]")
            assert_close(result.forward.a[layer + 1], activations[layer + 1], f"{where}, a")
            assert_close(result.gradients.delta[layer], deltas[layer], f"{where}, delta")
            assert_close(result.gradients.dW[layer], dW, f"{where}, dL/dW[{layer}]")
            assert_close(result.gradients.db[layer], db, f"{where}, dL/db[{layer}]")
            assert_close(net.weights[layer], layers[layer][0], f"{where}, W[{layer}] after")
            assert_close(net.biases[layer], layers[layer][1], f"{where}, b[{layer}] after")


HIDDEN_CASES = list(itertools.product(ACTIVATIONS, OUTPUTS))


@pytest.mark.parametrize("index", range(len(HIDDEN_CASES)))
def test_every_activation_output_and_loss_trains_as_the_reference(index):
    hidden, (output, loss, units) = HIDDEN_CASES[index]
    # the other hidden layer cycles through the activations; penalty and optimizer cycle too
    names = (hidden, list(ACTIVATIONS)[index % len(ACTIVATIONS)])
    l1, l2 = PENALTIES[index % len(PENALTIES)]
    net, X, Y = random_network(index, names, output, loss, units, l1, l2)
    check_training_matches(net, X, Y, list(OPTIMIZERS)[index % len(OPTIMIZERS)])


@pytest.mark.parametrize("optimizer, penalty", list(itertools.product(OPTIMIZERS, PENALTIES)))
def test_every_optimizer_and_penalty_trains_as_the_reference(optimizer, penalty):
    net, X, Y = random_network(7, ("tanh", "relu", "swish"), "sigmoid", "bce", 1, *penalty)
    check_training_matches(net, X, Y, optimizer, steps=6)


@pytest.mark.parametrize("output, loss, units", OUTPUTS)
def test_the_public_passes_equal_the_reference_with_l1_as_a_subgradient(output, loss, units):
    net, X, Y = random_network(11, ("elu", "softplus"), output, loss, units, l1=0.03, l2=0.02)
    names = [*net.activations, output]
    layers = [(W.copy(), b.copy()) for W, b in zip(net.weights, net.biases)]
    zs, activations = reference.forward(layers, names, X)
    data_loss, gradients, _ = reference.backward(layers, names, loss, zs, activations, Y, net.l2)
    total, pairs = net.loss_and_gradients(X, Y)
    assert total == pytest.approx(data_loss + reference.penalty(layers, 0.03, 0.02), rel=1e-12)
    assert net.compute_loss(X, Y) == pytest.approx(total, rel=1e-12)
    for (dW, db), (ref_dW, ref_db), (W, _) in zip(pairs, gradients, layers):
        assert_close(dW, ref_dW + 0.03 * np.sign(W), "dL/dW with l1 sign(W)")
        assert_close(db, ref_db, "dL/db")


def test_the_reference_covers_every_name_the_engine_knows():
    assert set(ACTIVATIONS) | {"softmax"} == set(reference.ACTIVATIONS)
    for loss in LOSSES:
        net, X, Y = random_network(1, ("tanh",), *next((o, lo, u) for o, lo, u in OUTPUTS
                                                       if lo == loss))
        assert np.isfinite(reference.data_loss_and_delta(
            loss, net.output_activation, X[:, :1], X[:, :1], Y[:, :1])[0])
    for name in OPTIMIZERS:
        layers = [(np.zeros((2, 1)), np.zeros(1))]
        reference.Optimizer(name).step(layers, [(np.ones((2, 1)), np.ones(1))], 0.1)
        assert np.all(layers[0][0] < 0), name          # every rule steps against the gradient


def test_extreme_logits_give_the_engines_exact_losses():
    # the reference uses the engine's exact forms: a confidently wrong logit costs all of it,
    # a confidently right one its tiny positive loss
    z = np.array([[40.0], [-40.0], [30.0]])
    y = np.array([[0.0], [0.0], [1.0]])
    value, _ = reference.data_loss_and_delta("bce", "sigmoid", z, reference.sigmoid(z), y)
    expected = (40.0 + 2 * np.log1p(np.exp(-40.0)) + np.log1p(np.exp(-30.0))) / 3
    assert value == pytest.approx(expected, rel=1e-15)
    logits = np.array([[35.0, 0.0, 0.0]])
    value, _ = reference.data_loss_and_delta("cross_entropy", "softmax", logits,
                                             reference.softmax(logits), np.array([[1.0, 0, 0]]))
    assert value == pytest.approx(2 * np.exp(-35.0), rel=1e-12) and value > 0
