"""L1 as a proximal step: weights that the L1 step would carry across zero land on exactly 0 and
stay there, for every optimizer; the step is a soft threshold of the optimizer's result."""
import numpy as np
import pytest

from playground.engine import OPTIMIZERS, Network, Trainer


def _data_with_a_dead_input(n=40, seed=0):
    """Inputs (x, 0, y): the middle input is always 0, so its weights get no data gradient."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, (n, 3))
    X[:, 1] = 0.0
    return X, (X[:, :1] * X[:, 2:] > 0).astype(float)


def soft_threshold(values, threshold):
    return np.sign(values) * np.maximum(np.abs(values) - threshold, 0.0)


def test_a_weight_the_l1_step_would_carry_across_zero_lands_on_exactly_zero():
    # a subgradient step with l1 = 1, lr = 0.03 and no data gradient took 0.001 to -0.029 and back
    X, Y = _data_with_a_dead_input(n=10)
    net = Network([3, 1], l1=1.0, seed=0)
    net.weights[0][1, 0] = 0.001
    trainer = Trainer(net, learning_rate=0.03, batch_size=10)
    for _ in range(50):
        trainer.train_epoch(X, Y)
        assert net.weights[0][1, 0] == 0.0


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_unused_weights_reach_exactly_zero_and_stay_there(optimizer):
    X, Y = _data_with_a_dead_input()
    net = Network([3, 6, 1], activation="tanh", l1=0.01, seed=1)
    trainer = Trainer(net, optimizer=optimizer, learning_rate=0.05, batch_size=8, seed=2)
    for _ in range(300):
        trainer.train_epoch(X, Y)
    assert np.all(net.weights[0][1] == 0.0)
    for _ in range(50):
        trainer.train_epoch(X, Y)
        assert np.all(net.weights[0][1] == 0.0)
    assert np.count_nonzero(net.weights[0][[0, 2]]) > 0    # the used inputs keep weights


def test_the_sgd_step_is_a_soft_threshold_of_the_gradient_step_and_spares_the_biases():
    X, Y = _data_with_a_dead_input()
    net = Network([3, 4, 1], activation="tanh", l1=0.2, l2=0.1, seed=3)
    trainer = Trainer(net, learning_rate=0.5, batch_size=40)
    smooth = Network([3, 4, 1], activation="tanh", l2=0.1)   # the same without L1
    for _ in range(5):
        smooth.parameters = net.parameters
        weights, biases = [w.copy() for w in net.weights], [b.copy() for b in net.biases]
        result = trainer.train_batch(X, Y)
        _, gradients = smooth.loss_and_gradients(X[result.indices], Y[result.indices])
        for layer, (dW, db) in enumerate(gradients):
            assert np.array_equal(result.gradients.dW[layer], dW)
            np.testing.assert_array_equal(net.weights[layer],
                                          soft_threshold(weights[layer] - 0.5 * dW, 0.5 * 0.2))
            np.testing.assert_array_equal(net.biases[layer], biases[layer] - 0.5 * db)
            np.testing.assert_allclose(result.update[layer][0], net.weights[layer] - weights[layer],
                                       rtol=0, atol=1e-15)
    assert np.count_nonzero(net.weights[0] == 0.0) >= 3


def test_the_fast_path_applies_l1_as_the_step_path_does():
    X, Y = _data_with_a_dead_input(n=37)
    runs = []
    for by_batches in (False, True):
        net = Network([3, 5, 1], l1=0.03, seed=4)
        trainer = Trainer(net, optimizer="momentum", learning_rate=0.1, batch_size=6, seed=5)
        for _ in range(20):
            if by_batches:
                while not trainer.train_batch(X, Y).epoch_finished:
                    pass
            else:
                trainer.train_epoch(X, Y)
        runs.append(net.parameters.copy())
    np.testing.assert_array_equal(*runs)
    assert np.count_nonzero(runs[0] == 0.0) > 0
