"""Opt-in float32 training: everything of a float32 network stays float32, it trains like
float64 to float32's tolerance, its state converts both ways, and the gradient check says so."""
import numpy as np
import pytest

from playground.engine import OPTIMIZERS, PRECISIONS, Network, Trainer, gradient_check


def _data(n=60, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(0.0, 1.0, (n, 3))
    return X, (X[:, :1] * X[:, 1:2] + 0.3 * X[:, 2:] > 0).astype(float)


def _network(precision, **options):
    settings = dict(activation=["tanh", "relu"], l2=0.001, seed=4)
    settings.update(options)
    return Network([3, 16, 8, 1], precision=precision, **settings)


def test_the_registry_names_float64_first_as_the_default():
    assert list(PRECISIONS) == ["float64", "float32"]
    assert Network([2, 1]).precision == "float64" and Network([2, 1]).dtype == np.float64


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
@pytest.mark.parametrize("l1", [0.0, 0.002])
def test_float32_training_follows_float64_to_single_precision(optimizer, l1):
    X, Y = _data()
    runs = {}
    for precision in PRECISIONS:
        net = _network(precision, l1=l1)
        trainer = Trainer(net, optimizer=optimizer, learning_rate=0.01, batch_size=16, seed=1)
        losses = [trainer.train_batch(X, Y).loss for _ in range(6)]
        losses.append(trainer.train_epoch(X, Y))
        runs[precision] = net, np.array(losses)
    (wide, wide_losses), (narrow, narrow_losses) = runs["float64"], runs["float32"]
    # a few dozen float32 roundings per value: relative errors of a few 1e-7, far below 1e-4
    np.testing.assert_allclose(narrow_losses, wide_losses, rtol=1e-5)
    np.testing.assert_allclose(narrow.parameters, wide.parameters, rtol=1e-4, atol=1e-5)
    assert not np.array_equal(narrow.parameters.astype(np.float64), wide.parameters)


def test_a_float32_network_and_its_trainer_compute_in_float32_throughout():
    X, Y = _data()
    net = _network("float32")
    trainer = Trainer(net, optimizer="adam", learning_rate=0.01, batch_size=16)
    result = trainer.train_batch(X, Y)
    assert net.parameters.dtype == np.float32
    arrays = [*result.forward.z, *result.forward.a, *result.gradients.delta,
              *result.gradients.dW, *(W for W, _ in result.update)]
    assert {array.dtype for array in arrays} == {np.dtype(np.float32)}
    optimizer = trainer._optimizer
    assert {optimizer.m.dtype, optimizer.v.dtype, optimizer.change.dtype} == {np.dtype(np.float32)}
    assert net.predict(X).dtype == np.float32
    assert net.layer_outputs(X, np.float32)[-1].dtype == np.float32


def test_saved_state_is_float64_and_loads_into_either_precision():
    X, Y = _data()
    net = _network("float32")
    trainer = Trainer(net, optimizer="momentum", learning_rate=0.05, batch_size=16, seed=2)
    trainer.train_batch(X, Y)
    state = trainer.optimizer_state()
    assert state["velocity"].dtype == np.float64
    # widening is exact: a float64 twin continues from the very same numbers
    wide = net.with_precision("float64")
    assert wide.precision == "float64"
    np.testing.assert_array_equal(wide.parameters, net.parameters.astype(np.float64))
    twin = Trainer(wide, optimizer="momentum", learning_rate=0.05, batch_size=16)
    twin.load_state_dict(trainer.state_dict())
    twin.load_optimizer_state(state)
    np.testing.assert_array_equal(twin.optimizer_state()["velocity"], state["velocity"])
    assert twin.train_batch(X, Y).indices.tolist() == trainer.train_batch(X, Y).indices.tolist()


def test_the_gradient_check_of_a_float32_network_runs_in_float64_and_says_so():
    X, Y = _data(8)
    net = _network("float32", activation=["tanh", "sigmoid"])
    before = net.parameters.copy()
    check = gradient_check(net, X, Y)
    assert check.precision == "float32" and len(check) == 3
    assert max(check) < 1e-6                 # the algorithm, checked in float64
    np.testing.assert_array_equal(net.parameters, before)
    assert gradient_check(net.with_precision("float64"), X, Y).precision == "float64"


def test_unknown_precision_and_inputs_beyond_float32_are_refused():
    with pytest.raises(ValueError, match="unknown precision 'float16'; choose one of float64"):
        Network([2, 1], precision="float16")
    net = Network([2, 1], precision="float32")
    with pytest.raises(ValueError, match="beyond the range of float32"):
        net.predict(np.array([[1e39, 0.0]]))


def test_losses_for_display_are_summed_in_float64():
    X, Y = _data(500)
    narrow = _network("float32", l1=0.001)
    wide = narrow.with_precision("float64")
    # the same parameters: the two differ only by float32's rounding inside the pass
    assert narrow.compute_loss(X, Y) == pytest.approx(wide.compute_loss(X, Y), rel=1e-6)
    assert narrow.penalty() == wide.penalty()
