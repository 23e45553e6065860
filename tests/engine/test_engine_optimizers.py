"""Optimizer steps: SGD to the last bit, the others against values computed by hand."""
import math

import numpy as np
import pytest

from playground.engine import OPTIMIZERS, Network, Trainer
from playground.engine.optimizers import make_optimizer

LR = 0.1
G1 = np.array([0.5, -2.0])
G2 = np.array([0.25, 1.0])


def _two_steps(name):
    optimizer = make_optimizer(name, 2)
    first = optimizer.step(G1, LR).copy()
    second = optimizer.step(G2, LR).copy()
    return first, second


def test_momentum_by_hand():
    # v1 = g1; step -lr v1 = (-0.05, 0.2); v2 = 0.9 v1 + g2; step -lr v2 = (-0.045 - 0.025, ...)
    first, second = _two_steps("momentum")
    assert first == pytest.approx([-0.05, 0.2], rel=1e-15)
    assert second == pytest.approx([-0.07, 0.08], rel=1e-14)


def test_nesterov_by_hand():
    # step = -lr (g + 0.9 v_new): (0.9 * -0.05 - 0.05, 0.9 * 0.2 + 0.2), then with
    # -lr v2 = (-0.07, 0.08): (0.9 * -0.07 - 0.025, 0.9 * 0.08 - 0.1)
    first, second = _two_steps("nesterov")
    assert first == pytest.approx([-0.095, 0.38], rel=1e-14)
    assert second == pytest.approx([-0.088, -0.028], rel=1e-13)


def test_rmsprop_by_hand():
    # s1 = 0.1 g1^2 = (0.025, 0.4); s2 = 0.9 s1 + 0.1 g2^2 = (0.02875, 0.46)
    first, second = _two_steps("rmsprop")
    eps = 1e-8
    assert first == pytest.approx([-0.05 / (math.sqrt(0.025) + eps),
                                   0.2 / (math.sqrt(0.4) + eps)], rel=1e-14)
    assert first == pytest.approx([-0.3162277, 0.3162277], rel=1e-6)
    assert second == pytest.approx([-0.025 / (math.sqrt(0.02875) + eps),
                                    -0.1 / (math.sqrt(0.46) + eps)], rel=1e-14)


def test_adam_by_hand():
    # t=1: m = 0.1 g1, v = 0.001 g1^2, bias-corrected to g1 and g1^2: step = -lr g1 / (|g1| + eps)
    # t=2: m = (0.07, -0.08), v = (0.00031225, 0.004996); corrections 1 - 0.9^2, 1 - 0.999^2
    first, second = _two_steps("adam")
    eps = 1e-8
    assert first == pytest.approx([-0.1 * 0.5 / (0.5 + eps), 0.1 * 2.0 / (2.0 + eps)], rel=1e-14)
    m2 = np.array([0.07, -0.08])
    v2 = np.array([0.00031225, 0.004996])
    expected = -LR * (m2 / 0.19) / (np.sqrt(v2 / (1 - 0.999 ** 2)) + eps)
    assert second == pytest.approx(expected, rel=1e-12)
    assert second == pytest.approx([-0.0932180, 0.0266337], rel=1e-5)


def _network_and_batch():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(12, 2))
    Y = (X[:, :1] > X[:, 1:]).astype(float)
    return Network([2, 5, 3, 1], activation=["tanh", "relu"], l2=0.01, seed=1), X, Y


def test_sgd_step_is_w_minus_lr_grad_to_the_last_bit():
    net, X, Y = _network_and_batch()
    trainer = Trainer(net, optimizer="sgd", learning_rate=0.37, batch_size=5, seed=3)
    for _ in range(4):   # full and partial batches, across an epoch boundary
        W_before = [w.copy() for w in net.weights]
        b_before = [b.copy() for b in net.biases]
        result = trainer.train_batch(X, Y)
        # the same gradient straight from the network, on the same rows
        _, grads = Network.loss_and_gradients(_copy_of(net, W_before, b_before), X[result.indices],
                                              Y[result.indices])
        for layer, (dW, db) in enumerate(grads):
            assert np.array_equal(result.gradients.dW[layer], dW)
            assert np.array_equal(net.weights[layer], W_before[layer] - 0.37 * dW)
            assert np.array_equal(net.biases[layer], b_before[layer] - 0.37 * db)
            assert np.array_equal(result.update[layer][0], -0.37 * dW)


def _copy_of(net, weights, biases):
    clone = Network(net.layer_sizes, activation=list(net.activations),
                    output_activation=net.output_activation, loss=net.loss_name,
                    l1=net.l1, l2=net.l2)
    clone.weights = weights
    clone.biases = biases
    return clone


@pytest.mark.parametrize("name", ["momentum", "nesterov", "rmsprop", "adam"])
def test_first_two_training_steps_follow_the_formulas(name):
    """Full-batch steps on a real network, against the textbook formulas written out here; the
    learning rate changes between the two steps, as a live change in the app does."""
    net, X, Y = _network_and_batch()
    lr1, lr2 = 0.05, 0.08
    trainer = Trainer(net, optimizer=name, learning_rate=lr1, batch_size=100, seed=0)
    w0 = net.parameters.copy()
    g1 = trainer.train_batch(X, Y).gradients.vector
    w1 = net.parameters.copy()
    trainer.learning_rate = lr2
    g2 = trainer.train_batch(X, Y).gradients.vector
    w2 = net.parameters.copy()
    if name in ("momentum", "nesterov"):
        v1 = g1
        v2 = 0.9 * v1 + g2
        steps = ((-lr1 * v1, -lr2 * v2) if name == "momentum"
                 else (-lr1 * (g1 + 0.9 * v1), -lr2 * (g2 + 0.9 * v2)))
    elif name == "rmsprop":
        s1 = 0.1 * g1 ** 2
        s2 = 0.9 * s1 + 0.1 * g2 ** 2
        steps = (-lr1 * g1 / (np.sqrt(s1) + 1e-8), -lr2 * g2 / (np.sqrt(s2) + 1e-8))
    else:
        m1, v1 = 0.1 * g1, 0.001 * g1 ** 2
        m2, v2 = 0.9 * m1 + 0.1 * g2, 0.999 * v1 + 0.001 * g2 ** 2
        steps = (-lr1 * (m1 / 0.1) / (np.sqrt(v1 / 0.001) + 1e-8),
                 -lr2 * (m2 / (1 - 0.9 ** 2)) / (np.sqrt(v2 / (1 - 0.999 ** 2)) + 1e-8))
    assert np.allclose(w1, w0 + steps[0], rtol=1e-12, atol=1e-15)
    assert np.allclose(w2, w1 + steps[1], rtol=1e-12, atol=1e-15)
    assert not np.allclose(w2, w1)


@pytest.mark.parametrize("name", ["momentum", "nesterov"])
def test_momentum_applies_the_learning_rate_at_the_update_as_pytorch_does(name):
    # v <- 0.9 v + g holds gradients only; a learning rate changed between two steps scales the
    # whole next step, momentum included (with v <- 0.9 v - lr g the old rate 0.1 would linger)
    optimizer = make_optimizer(name, 2)
    first = optimizer.step(G1, 0.1).copy()
    second = optimizer.step(G2, 0.2)
    velocity = 0.9 * G1 + G2
    np.testing.assert_allclose(optimizer.state()["velocity"], velocity, rtol=1e-15)
    if name == "momentum":
        assert first == pytest.approx(-0.1 * G1, rel=1e-15)
        assert second == pytest.approx(-0.2 * velocity, rel=1e-15)
    else:
        assert first == pytest.approx(-0.1 * 1.9 * G1, rel=1e-15)
        assert second == pytest.approx(-0.2 * (G2 + 0.9 * velocity), rel=1e-15)


def test_optimizer_state_round_trip_and_errors():
    optimizer = make_optimizer("adam", 2)
    optimizer.step(G1, LR)
    state = optimizer.state()
    assert set(state) == {"m", "v", "t"} and state["t"] == 1
    fresh = make_optimizer("adam", 2)
    fresh.load_state(state)
    assert np.array_equal(fresh.step(G2, LR), optimizer.step(G2, LR))
    with pytest.raises(ValueError, match=r"needs exactly the keys \['m', 't', 'v'\]"):
        fresh.load_state({"m": np.zeros(2)})
    with pytest.raises(ValueError, match=r"must have shape \(2,\)"):
        fresh.load_state({"m": np.zeros(3), "v": np.zeros(2), "t": 1})
    with pytest.raises(ValueError, match="step count"):
        fresh.load_state({"m": np.zeros(2), "v": np.zeros(2), "t": -1})
    assert make_optimizer("sgd", 2).state() == {}
    with pytest.raises(ValueError, match=r"unknown optimizer 'lbfgs'; choose one of \['adam'"):
        make_optimizer("lbfgs", 2)
    assert set(OPTIMIZERS) == {"sgd", "momentum", "nesterov", "rmsprop", "adam"}
