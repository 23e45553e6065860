"""Trainer: shuffling, mini-batch bookkeeping, determinism, fast path = step path, divergence,
saving and resuming."""
import ast
import inspect
import json

import numpy as np
import pytest

from playground.engine import NonFiniteError, Network, Trainer
from playground.engine import trainer as trainer_module
from playground.engine.optimizers import make_optimizer


def _xor(n=53, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, (n, 2))
    return X, (X[:, :1] * X[:, 1:] > 0).astype(float)


def _three_classes(n=41, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    labels = (X[:, 0] > 0).astype(int) + (X[:, 1] > 0.5).astype(int)
    return X, np.eye(3)[labels]


def _pair(kind="bce", optimizer="sgd", batch_size=7, l1=0.0, l2=0.0, seed=0):
    if kind == "bce":
        net = Network([2, 6, 5, 1], activation=["tanh", "relu"], l1=l1, l2=l2, seed=seed)
    else:
        net = Network([2, 6, 5, 3], activation=["elu", "sigmoid"], output_activation="softmax",
                      loss="cross_entropy", l1=l1, l2=l2, seed=seed)
    return net, Trainer(net, optimizer=optimizer, learning_rate=0.05, batch_size=batch_size,
                        seed=seed)


def _epoch_by_batches(trainer, X, Y):
    results = [trainer.train_batch(X, Y)]
    while not results[-1].epoch_finished:
        results.append(trainer.train_batch(X, Y))
    return results


# --- determinism -----------------------------------------------------------------------------

def test_same_seeds_give_bit_identical_weights():
    X, Y = _xor()
    runs = []
    for _ in range(2):
        net, trainer = _pair(optimizer="adam", l2=0.001)
        for _ in range(6):
            trainer.train_epoch(X, Y)
        runs.append(net.parameters.copy())
    assert np.array_equal(runs[0], runs[1])
    net, trainer = _pair(optimizer="adam", l2=0.001)
    trainer.reset(seed=1)
    for _ in range(6):
        trainer.train_epoch(X, Y)
    assert not np.array_equal(net.parameters, runs[0])


@pytest.mark.parametrize("kind", ["bce", "cross_entropy"])
@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "nesterov", "rmsprop", "adam"])
def test_train_epoch_and_train_batch_give_bit_identical_weights(kind, optimizer):
    X, Y = _xor() if kind == "bce" else _three_classes()
    fast_net, fast = _pair(kind, optimizer, l1=0.002, l2=0.003)
    step_net, step = _pair(kind, optimizer, l1=0.002, l2=0.003)
    for _ in range(3):
        fast_loss = fast.train_epoch(X, Y)
        results = _epoch_by_batches(step, X, Y)
        assert np.array_equal(fast_net.parameters, step_net.parameters)
        assert fast_loss == pytest.approx(results[-1].epoch_mean_loss, rel=1e-12)
    assert fast.epoch == step.epoch == 3


def test_finishing_an_epoch_begun_with_train_batch():
    X, Y = _xor()
    net_a, a = _pair()
    net_b, b = _pair()
    first = [a.train_batch(X, Y) for _ in range(3)]
    mean = a.train_epoch(X, Y)
    results = _epoch_by_batches(b, X, Y)
    assert np.array_equal(net_a.parameters, net_b.parameters)
    assert a.epoch == 1 and a.batch_in_epoch == 0
    assert mean == pytest.approx(results[-1].epoch_mean_loss, rel=1e-12)
    assert [r.loss for r in first] == [r.loss for r in results[:3]]


# --- mini-batches ----------------------------------------------------------------------------

def test_an_epoch_is_a_permutation_in_batches_with_the_last_partial():
    X, Y = _xor(n=23)
    _, trainer = _pair(batch_size=5)
    results = _epoch_by_batches(trainer, X, Y)
    assert [len(r.indices) for r in results] == [5, 5, 5, 5, 3]
    assert [r.batch_index for r in results] == [0, 1, 2, 3, 4]
    assert sorted(np.concatenate([r.indices for r in results])) == list(range(23))
    assert [r.epoch_finished for r in results] == [False] * 4 + [True]
    assert all(r.epoch_mean_loss is None for r in results[:-1])
    weights = np.array([len(r.indices) for r in results])
    mean = np.dot(weights, [r.loss for r in results]) / 23
    assert results[-1].epoch_mean_loss == pytest.approx(mean, rel=1e-12)
    for r in results:
        assert np.array_equal(r.forward.a[0], X[r.indices])
        assert np.array_equal(r.targets, Y[r.indices])
    second = _epoch_by_batches(trainer, X, Y)
    assert not np.array_equal(np.concatenate([r.indices for r in second]),
                              np.concatenate([r.indices for r in results]))
    assert trainer.epoch == 2 and second[0].epoch == 1


def test_batch_size_change_mid_epoch_applies_to_the_next_batch():
    X, Y = _xor(n=20)
    _, trainer = _pair(batch_size=4)
    sizes = [len(trainer.train_batch(X, Y).indices) for _ in range(2)]
    trainer.batch_size = 7
    while True:
        result = trainer.train_batch(X, Y)
        sizes.append(len(result.indices))
        if result.epoch_finished:
            break
    assert sizes == [4, 4, 7, 5]


def test_learning_rate_change_mid_epoch_applies_to_the_next_batch():
    X, Y = _xor()
    net, trainer = _pair()
    trainer.train_batch(X, Y)
    trainer.learning_rate = 0.5
    before = net.parameters.copy()
    result = trainer.train_batch(X, Y)
    assert np.array_equal(net.parameters, before - 0.5 * result.gradients.vector)


def test_batch_larger_than_the_data_is_full_batch():
    X, Y = _xor(n=30)
    _, trainer = _pair(batch_size=1000)
    result = trainer.train_batch(X, Y)
    assert result.epoch_finished and len(result.indices) == 30
    assert trainer.train_epoch(X, Y) > 0 and trainer.epoch == 2


def test_batch_result_exposes_the_step():
    X, Y = _xor()
    net, trainer = _pair(l2=0.01)
    before = net.parameters.copy()
    result = trainer.train_batch(X, Y)
    assert len(result.forward.z) == 3 and len(result.forward.a) == 4
    assert [d.shape for d in result.gradients.delta] == [(7, 6), (7, 5), (7, 1)]
    assert result.loss == result.gradients.loss > result.gradients.penalty > 0
    change = np.concatenate([np.concatenate([dW.ravel(), db]) for dW, db in result.update])
    assert np.allclose(net.parameters - before, change, rtol=1e-12, atol=1e-16)
    for (dW, db), (gW, gb) in zip(trainer.last_gradients(), result.gradients.pairs()):
        assert np.array_equal(dW, gW) and np.array_equal(db, gb)
    # copies: the next step must not change what this result holds
    kept = result.gradients.delta[0].copy()
    trainer.train_batch(X, Y)
    assert np.array_equal(result.gradients.delta[0], kept)


def test_changing_the_number_of_points_restarts_the_epoch():
    X, Y = _xor(n=30)
    _, trainer = _pair(batch_size=4)
    trainer.train_batch(X, Y)
    result = trainer.train_batch(X[:20], Y[:20])
    assert result.batch_index == 0 and max(result.indices) < 20


# --- divergence ------------------------------------------------------------------------------

def _exploding():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2)) * 50
    Y = rng.normal(size=(40, 1)) * 50
    net = Network([2, 8, 1], activation="linear", output_activation="linear", loss="mse", seed=0)
    return net, X, Y


@pytest.mark.parametrize("optimizer", ["sgd", "momentum"])
def test_divergence_raises_before_touching_the_weights(optimizer):
    net, X, Y = _exploding()
    trainer = Trainer(net, optimizer=optimizer, learning_rate=10.0, batch_size=8)
    before = net.parameters.copy()
    with pytest.raises(NonFiniteError) as caught:
        for _ in range(1000):
            before = net.parameters.copy()
            trainer.train_batch(X, Y)
    error = caught.value
    assert isinstance(error, ValueError)
    assert f"epoch {error.epoch}" in str(error) and error.what in str(error)
    assert error.what in ("loss", "gradient", "update")
    assert np.all(np.isfinite(net.parameters)) and np.array_equal(net.parameters, before)
    for value in trainer.optimizer_state().values():
        assert np.all(np.isfinite(value))


def test_divergence_in_train_epoch_leaves_finite_weights():
    net, X, Y = _exploding()
    trainer = Trainer(net, optimizer="nesterov", learning_rate=10.0, batch_size=8)
    with pytest.raises(NonFiniteError, match=r"training diverged in epoch \d+, mini-batch \d+"):
        for _ in range(500):
            trainer.train_epoch(X, Y)
    assert np.all(np.isfinite(net.parameters))


def test_non_finite_loss_is_reported_as_the_loss():
    net, X, Y = _exploding()
    net.weights[1][...] = 1e200
    net.weights[0][...] = 1e200
    trainer = Trainer(net)
    before = net.parameters.copy()
    with pytest.raises(NonFiniteError, match="the loss became") as caught:
        trainer.train_batch(X, Y)
    assert caught.value.what == "loss" and caught.value.epoch == 1
    assert np.array_equal(net.parameters, before)


def test_non_finite_gradient_is_reported_with_its_layer(monkeypatch):
    X, Y = _xor()
    net, trainer = _pair(optimizer="adam")
    original = Network.backward_calls

    def poisoned(self, ws, grad, **options):
        # after the real backward pass, the flat gradient's last entry (output bias) turns nan
        return original(self, ws, grad, **options) + [(grad.__setitem__, (-1, np.nan))]

    monkeypatch.setattr(Network, "backward_calls", poisoned)
    before = net.parameters.copy()
    with pytest.raises(NonFiniteError, match="gradient of layer 3 became non-finite"):
        trainer.train_epoch(X, Y)
    assert np.array_equal(net.parameters, before)
    assert all(np.all(v == 0) for k, v in trainer.optimizer_state().items() if k != "t")


# --- settings and errors ---------------------------------------------------------------------

def test_invalid_trainer_settings():
    net = Network([2, 3, 1])
    with pytest.raises(ValueError, match=r"unknown optimizer 'adagrad'; choose one of"):
        Trainer(net, optimizer="adagrad")
    with pytest.raises(ValueError, match="learning_rate must be a finite number >= 0"):
        Trainer(net, learning_rate=-1)
    for bad in (0, 2.5, True, "10"):
        with pytest.raises(ValueError, match="batch_size must be an integer >= 1"):
            Trainer(net, batch_size=bad)
    trainer = Trainer(net)
    with pytest.raises(ValueError, match="learning_rate"):
        trainer.learning_rate = float("nan")
    with pytest.raises(ValueError, match="empty dataset"):
        trainer.train_epoch(np.zeros((0, 2)), np.zeros((0, 1)))
    with pytest.raises(ValueError, match=r"Y must have shape"):
        trainer.train_batch(np.zeros((4, 2)), np.zeros(4))


def test_set_optimizer_restarts_its_state_and_reseed_applies_next_epoch():
    X, Y = _xor(n=20)
    net, trainer = _pair(optimizer="adam")
    trainer.train_epoch(X, Y)
    trainer.set_optimizer("momentum")
    assert trainer.optimizer_name == "momentum"
    assert np.all(trainer.optimizer_state()["velocity"] == 0)
    first = trainer.train_batch(X, Y)
    trainer.reseed(42)
    rest = _epoch_by_batches(trainer, X, Y)
    assert sorted(np.concatenate([first.indices] + [r.indices for r in rest])) == list(range(20))
    assert trainer.seed == 42 and trainer.epoch == 2


# --- saving and resuming ---------------------------------------------------------------------

@pytest.mark.parametrize("optimizer", ["sgd", "adam", "nesterov"])
def test_saved_state_resumes_bit_identically(optimizer):
    X, Y = _xor()
    net, trainer = _pair(optimizer=optimizer, l2=0.001)
    trainer.train_epoch(X, Y)
    for _ in range(3):                  # stop in the middle of an epoch
        trainer.train_batch(X, Y)
    saved_params = net.parameters.copy()
    saved_state = json.loads(json.dumps(trainer.state_dict()))
    saved_optimizer = {k: (v.copy() if isinstance(v, np.ndarray) else v)
                       for k, v in trainer.optimizer_state().items()}
    for _ in range(3):
        trainer.train_epoch(X, Y)
    expected = net.parameters.copy()

    restored_net, restored = _pair(optimizer="sgd", l2=0.001, seed=5)  # other trainer settings
    restored_net.parameters = saved_params
    restored.load_state_dict(saved_state)
    restored.load_optimizer_state(saved_optimizer)
    assert restored.epoch == 1 and restored.batch_in_epoch == 3
    for _ in range(3):
        restored.train_epoch(X, Y)
    assert np.array_equal(restored_net.parameters, expected)


def test_invalid_saved_state_is_rejected():
    _, trainer = _pair()
    state = trainer.state_dict()
    with pytest.raises(ValueError, match=r"missing \['rng'\]"):
        trainer.load_state_dict({k: v for k, v in state.items() if k != "rng"})
    with pytest.raises(ValueError, match="invalid 'rng'"):
        trainer.load_state_dict({**state, "rng": {"bit_generator": "nothing"}})
    with pytest.raises(ValueError, match="must be a permutation"):
        trainer.load_state_dict({**state, "permutation": [0, 0, 1], "position": 0})
    with pytest.raises(ValueError, match="position"):
        trainer.load_state_dict({**state, "permutation": [0, 2, 1], "position": 5})
    with pytest.raises(ValueError, match="batch_size"):
        trainer.load_state_dict({**state, "batch_size": 0})
    with pytest.raises(ValueError, match="needs exactly the keys"):
        Trainer(Network([2, 3, 1]), optimizer="adam").load_optimizer_state({})


# --- settings changed after the step was recorded ----------------------------------------------

def test_regularization_change_takes_effect_on_the_next_batch():
    X, Y = _xor()
    net, trainer = _pair()
    trainer.train_batch(X, Y)
    net.l2, net.l1 = 0.5, 0.25
    before = [w.copy() for w in net.weights], [b.copy() for b in net.biases]
    result = trainer.train_batch(X, Y)
    reference = _pair()[0]
    reference.weights, reference.biases = before
    reference.l2, reference.l1 = 0.5, 0.25
    batch = X[result.indices], Y[result.indices]
    assert result.loss == reference.loss_and_gradients(*batch)[0] and result.gradients.penalty > 0
    # the optimizer steps on the gradient without the L1 term (L1 is a proximal step)
    reference.l1 = 0.0
    _, smooth_gradients = reference.loss_and_gradients(*batch)
    for (dW, db), (gW, gb) in zip(result.gradients.pairs(), smooth_gradients):
        assert np.array_equal(dW, gW) and np.array_equal(db, gb)


def test_parameters_and_state_loaded_into_a_trained_trainer_are_used():
    X, Y = _xor()
    net, trainer = _pair(optimizer="adam")
    trainer.train_epoch(X, Y)
    saved = net.parameters.copy(), trainer.state_dict(), trainer.optimizer_state()
    trainer.train_epoch(X, Y)
    expected = net.parameters.copy()
    net.parameters = saved[0]            # in place, while the recorded steps still exist
    trainer.load_state_dict(saved[1])
    trainer.load_optimizer_state(saved[2])
    trainer.train_epoch(X, Y)
    assert np.array_equal(net.parameters, expected)


def test_reinitialized_weights_are_used_by_the_next_step():
    X, Y = _xor()
    net, trainer = _pair()
    trainer.train_epoch(X, Y)
    net.reinitialize(3)
    start = net.parameters.copy()
    result = trainer.train_batch(X, Y)
    fresh = _pair(seed=3)[0]
    assert np.array_equal(fresh.parameters, start)
    _, grads = fresh.loss_and_gradients(X[result.indices], Y[result.indices])
    assert np.array_equal(result.gradients.dW[0], grads[0][0])


def test_data_made_non_finite_in_place_after_checking_is_still_caught():
    X, Y = _xor()
    net, trainer = _pair(optimizer="momentum")
    trainer.train_epoch(X, Y)
    X[:, 0] = np.nan                     # same array object: not re-checked up front
    before = net.parameters.copy()
    with pytest.raises(NonFiniteError):
        trainer.train_epoch(X, Y)
    assert np.array_equal(net.parameters, before)
    with pytest.raises(ValueError, match="X contains non-finite"):
        trainer.train_epoch(X.copy(), Y)


def test_a_stop_request_ends_train_epoch_at_a_mini_batch_boundary_and_the_next_call_resumes():
    X, Y = _xor(n=23)
    net_a, a = _pair(batch_size=5)
    net_b, b = _pair(batch_size=5)
    calls = []

    def stop_after_two():
        calls.append("asked")
        return len(calls) == 2

    assert a.train_epoch(X, Y, stop=stop_after_two) is None
    assert a.epoch == 0 and a.batch_in_epoch == 2          # stopped after the second batch
    mean = a.train_epoch(X, Y)                              # the rest of the same epoch
    results = _epoch_by_batches(b, X, Y)
    assert np.array_equal(net_a.parameters, net_b.parameters)
    assert a.epoch == 1 and mean == pytest.approx(results[-1].epoch_mean_loss, rel=1e-12)
    # never asked after the last batch: a finished epoch is not "stopped"
    assert a.train_epoch(X, Y, stop=lambda: True) is None and a.batch_in_epoch == 1
    assert len(calls) == 2


def test_the_trainer_uses_no_private_part_of_the_network_or_the_optimizer():
    # the Trainer drives both through their documented methods (Network.forward_calls,
    # backward_calls, proximal_calls, losses_after; the optimizer's calls and change buffer)
    private = {name for part in (Network([2, 3, 1], l1=0.1, l2=0.1), make_optimizer("adam", 13))
               for name in dir(part) if name.startswith("_") and not name.startswith("__")}
    tree = ast.parse(inspect.getsource(trainer_module))
    used = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    assert "_penalty_terms" in private and used & private == set()
