"""The training worker, driven from the GUI thread and checked on the snapshots it sends.

Waits use qtbot.waitUntil on the controller's GUI-thread signals (never waitSignal on a
worker-thread signal, which makes pytest-qt stop timers from the wrong thread).
"""
import random
import time
import typing
from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QThread, QTimer

from playground import commands
from playground.config import DataSpec, Hyperparameters, NetworkSpec, PlaygroundConfig
from playground.data import Dataset, make_dataset
from playground.engine import NonFiniteError
from playground.epoch_log import EpochLog
from playground.qt.worker import SNAPSHOT_PERIOD, TrainingController, divergence_message
from playground.session import Playground
from playground.snapshot import PAUSED, PLAYING, Snapshot

WAIT_MS = 10_000  # generous: two shared cores
# The loss views work within a share of the training thread's time, so how soon a slice is
# complete follows the CPU the thread gets: 1.5-7 s beside two busy processes. The wait ends as
# soon as it is, so a long limit costs nothing on a quiet machine.
LOSS_VIEW_WAIT_MS = 90_000


class Recorder:
    """Everything the controller emitted, in order."""

    def __init__(self, controller):
        self.snapshots: list[Snapshot] = []
        self.states: list[str] = []
        self.errors: list[str] = []
        self.divergences: list[str] = []
        self.received_at: list[float] = []
        controller.sigSnapshot.connect(self._snapshot)
        controller.sigStateChanged.connect(self.states.append)
        controller.sigError.connect(self.errors.append)
        controller.sigDiverged.connect(self.divergences.append)

    def _snapshot(self, snapshot):
        self.snapshots.append(snapshot)
        self.received_at.append(time.perf_counter())

    @property
    def last(self) -> Snapshot:
        return self.snapshots[-1]

    def epochs(self, start: int = 0) -> np.ndarray:
        parts = [s.history.epochs for s in self.snapshots[start:]]
        return np.concatenate(parts) if parts else np.zeros(0, np.int64)

    def history(self, name: str, start: int = 0) -> np.ndarray:
        return np.concatenate([getattr(s.history, name) for s in self.snapshots[start:]])


def small_config(**hyper) -> PlaygroundConfig:
    # as fast as possible unless a test sets a limit: these tests are about the worker's loop,
    # not about the speed a new playground starts at
    hyper.setdefault("epochs_per_second", None)
    return PlaygroundConfig(data=DataSpec(generator="circle", n_samples=200, seed=1),
                            network=NetworkSpec(hidden_layers=(4, 2), activations=("tanh", "tanh")),
                            hyper=Hyperparameters(**hyper))


@pytest.fixture
def make_controller(qtbot):
    made = []

    def make(config=None, **kwargs):
        controller = TrainingController(config or small_config(), **kwargs)
        recorder = Recorder(controller)
        made.append(controller)
        qtbot.waitUntil(lambda: bool(recorder.snapshots), timeout=WAIT_MS)   # the initial snapshot
        return controller, recorder

    yield make
    for controller in made:
        controller.shutdown()
        assert not controller.is_running


def wait_for_snapshot(qtbot, recorder, condition, timeout=WAIT_MS) -> Snapshot:
    """Wait for a snapshot (received after this call) satisfying ``condition``."""
    start = len(recorder.snapshots)
    found = []

    def check():
        for snapshot in recorder.snapshots[start:]:
            if condition(snapshot):
                found.append(snapshot)
                return True
        return False

    qtbot.waitUntil(check, timeout=timeout)
    return found[0]


def pause_and_settle(qtbot, controller, recorder) -> Snapshot:
    controller.pause()
    return wait_for_snapshot(qtbot, recorder, lambda s: s.state == PAUSED)


# ----------------------------------------------------------------------------- basics
def test_initial_snapshot_is_paused_complete_and_read_only(make_controller):
    controller, recorder = make_controller()
    snap = recorder.last
    assert snap.state == PAUSED and snap.epoch == 0 and snap.batch_in_epoch == 0
    assert len(snap.history) == 0
    assert snap.structure.layer_sizes == (2, 4, 2, 1)
    assert snap.structure.features == ("x1", "x2")
    assert snap.structure.output_activation == "sigmoid" and snap.structure.loss == "bce"
    assert [w.shape for w in snap.weights] == [(2, 4), (4, 2), (2, 1)]
    assert [b.shape for b in snap.biases] == [(4,), (2,), (1,)]
    assert [g.shape for g in snap.weight_gradients] == [(2, 4), (4, 2), (2, 1)]
    assert snap.gradient_norms.shape == (3,)
    assert snap.grid_output.shape == (100, 100, 1) and snap.grid_output.dtype == np.float32
    assert [m.shape for m in snap.neuron_maps] == [(100, 100, 4), (100, 100, 2), (100, 100, 1)]
    assert snap.grid_extent == (-6.0, 6.0, -6.0, 6.0)
    assert len(snap.data.X_train) + len(snap.data.X_test) == 200
    assert snap.data.kind == "classification" and snap.data.n_classes == 2
    assert 0.0 <= snap.train_accuracy <= 1.0 and np.isfinite(snap.train_loss)
    arrays = [*snap.weights, *snap.biases, snap.grid_output, *snap.neuron_maps,
              snap.data.X_train, snap.history.epochs, snap.gradient_norms]
    assert all(not a.flags.writeable for a in arrays)
    assert controller.state == PAUSED
    assert controller.config.data.n_samples == 200


def test_play_trains_and_pause_stops(qtbot, make_controller):
    controller, recorder = make_controller()
    controller.play()
    wait_for_snapshot(qtbot, recorder, lambda s: s.epoch >= 20)
    assert controller.state == PLAYING
    paused = pause_and_settle(qtbot, controller, recorder)
    assert recorder.states[:2] == [PLAYING, PAUSED]
    count = len(recorder.snapshots)
    qtbot.wait(300)
    assert len(recorder.snapshots) == count          # nothing more while paused
    assert recorder.last.epoch == paused.epoch >= 20
    assert recorder.last.train_loss < recorder.snapshots[0].train_loss


def test_resume_continues_the_same_run(qtbot, make_controller):
    controller, recorder = make_controller()
    controller.play()
    wait_for_snapshot(qtbot, recorder, lambda s: s.epoch >= 5)
    first = pause_and_settle(qtbot, controller, recorder)
    controller.play()
    wait_for_snapshot(qtbot, recorder, lambda s: s.epoch >= first.epoch + 5)
    pause_and_settle(qtbot, controller, recorder)
    epochs = recorder.epochs()
    np.testing.assert_array_equal(epochs, np.arange(1, len(epochs) + 1))


def test_step_epoch_sends_one_epoch(qtbot, make_controller):
    controller, recorder = make_controller()
    controller.step_epoch()
    snap = wait_for_snapshot(qtbot, recorder, lambda s: s.epoch == 1)
    assert snap.state == PAUSED and snap.batch_in_epoch == 0
    np.testing.assert_array_equal(snap.history.epochs, [1])
    assert snap.history.learning_rate[0] == 0.03 and snap.history.batch_size[0] == 10
    controller.step_epoch()
    snap = wait_for_snapshot(qtbot, recorder, lambda s: s.epoch == 2)
    np.testing.assert_array_equal(snap.history.epochs, [2])
    assert snap.inspection is None


def test_step_batch_sends_the_batch_and_its_caches(qtbot, make_controller):
    controller, recorder = make_controller()
    before = recorder.last
    controller.step_batch()
    snap = wait_for_snapshot(qtbot, recorder, lambda s: s.inspection is not None)
    assert snap.epoch == 0 and snap.batch_in_epoch == 1 and len(snap.history) == 0
    inspection = snap.inspection
    assert inspection.batch_index == 0 and len(inspection.indices) == 10
    assert inspection.targets.shape == (10, 1)
    assert len(inspection.z) == 3 and len(inspection.a) == 4 and len(inspection.delta) == 3
    for layer in range(3):
        np.testing.assert_array_equal(inspection.weights_before[layer], before.weights[layer])
        np.testing.assert_array_equal(inspection.weights_after[layer], snap.weights[layer])
        np.testing.assert_array_equal(inspection.weight_gradients[layer],
                                      snap.weight_gradients[layer])
        # plain SGD without regularisation: W_new = W_old - lr * dL/dW
        np.testing.assert_allclose(
            snap.weights[layer],
            before.weights[layer] - 0.03 * inspection.weight_gradients[layer], rtol=0, atol=1e-15)
    assert inspection.optimizer == "sgd" and inspection.learning_rate == 0.03
    assert np.all(snap.gradient_norms > 0)
    controller.step_batch()
    snap = wait_for_snapshot(qtbot, recorder, lambda s: s.batch_in_epoch == 2)
    assert snap.inspection.batch_index == 1


def test_reset_restores_the_seed_weights_and_new_seed_changes_them(qtbot, make_controller):
    controller, recorder = make_controller()
    initial = recorder.last
    controller.play()
    wait_for_snapshot(qtbot, recorder, lambda s: s.epoch >= 5)
    controller.reset()
    snap = wait_for_snapshot(qtbot, recorder, lambda s: s.epoch == 0)
    assert len(snap.history) == 0
    for w, w0 in zip(snap.weights, initial.weights):
        np.testing.assert_array_equal(w, w0)
    assert controller.state == PLAYING          # reset keeps playing
    pause_and_settle(qtbot, controller, recorder)
    controller.reset_new_seed()
    snap = wait_for_snapshot(qtbot, recorder, lambda s: s.epoch == 0 and not any(
        np.array_equal(w, w0) for w, w0 in zip(s.weights, initial.weights)))
    assert snap.state == PAUSED
    qtbot.waitUntil(lambda: controller.config.network.seed != small_config().network.seed,
                    timeout=WAIT_MS)


# ----------------------------------------------------------------------------- live settings
def test_learning_rate_applies_at_the_next_batch_and_keeps_weights(qtbot, make_controller):
    controller, recorder = make_controller()
    controller.step_batch()
    first = wait_for_snapshot(qtbot, recorder, lambda s: s.inspection is not None)
    controller.set_hyperparameters(Hyperparameters(learning_rate=0.5))
    controller.step_batch()
    second = wait_for_snapshot(qtbot, recorder, lambda s: s.batch_in_epoch == 2)
    inspection = second.inspection
    assert inspection.learning_rate == 0.5
    for layer in range(3):
        # the weights were kept: the second step started from the first step's result
        np.testing.assert_array_equal(inspection.weights_before[layer], first.weights[layer])
        np.testing.assert_allclose(
            inspection.weights_after[layer],
            first.weights[layer] - 0.5 * inspection.weight_gradients[layer], rtol=0, atol=1e-15)


def test_batch_size_applies_at_the_next_batch(qtbot, make_controller):
    controller, recorder = make_controller()
    controller.step_batch()
    wait_for_snapshot(qtbot, recorder, lambda s: s.inspection is not None)
    controller.set_hyperparameters(Hyperparameters(batch_size=25))
    controller.step_batch()
    snap = wait_for_snapshot(qtbot, recorder, lambda s: s.batch_in_epoch == 2)
    assert len(snap.inspection.indices) == 25


def test_settings_change_mid_run_is_recorded_in_history_without_reset(qtbot, make_controller):
    controller, recorder = make_controller()
    controller.play()
    wait_for_snapshot(qtbot, recorder, lambda s: s.epoch >= 10)
    controller.set_hyperparameters(Hyperparameters(learning_rate=0.1, batch_size=20))
    qtbot.waitUntil(lambda: controller.config.hyper.learning_rate == 0.1, timeout=WAIT_MS)
    changed_by = recorder.last.epoch
    wait_for_snapshot(qtbot, recorder, lambda s: s.epoch >= changed_by + 10)
    pause_and_settle(qtbot, controller, recorder)
    epochs = recorder.epochs()
    np.testing.assert_array_equal(epochs, np.arange(1, len(epochs) + 1))   # no reset, no gap
    lr, batch = recorder.history("learning_rate"), recorder.history("batch_size")
    switch = int(np.argmax(lr == 0.1))
    assert switch >= 10 and np.all(lr[:switch] == 0.03) and np.all(lr[switch:] == 0.1)
    assert np.all(batch[:switch] == 10) and np.all(batch[switch:] == 20)
    assert recorder.last.epoch > changed_by


def test_optimizer_and_regularization_change_live(qtbot, make_controller):
    controller, recorder = make_controller()
    controller.step_batch()
    wait_for_snapshot(qtbot, recorder, lambda s: s.inspection is not None)
    controller.set_hyperparameters(Hyperparameters(optimizer="adam", regularization="l2",
                                                   regularization_rate=0.01))
    controller.step_batch()
    snap = wait_for_snapshot(qtbot, recorder, lambda s: s.batch_in_epoch == 2)
    assert snap.inspection.optimizer == "adam" and snap.inspection.l2 == 0.01
    assert snap.inspection.l1 == 0.0


def test_speed_limit_bounds_the_epoch_rate(qtbot, make_controller):
    controller, recorder = make_controller(small_config(epochs_per_second=10))
    controller.play()
    start = time.perf_counter()
    qtbot.wait(1500)
    pause_and_settle(qtbot, controller, recorder)
    elapsed = time.perf_counter() - start
    epochs = recorder.last.epoch
    assert epochs <= 10 * elapsed + 2
    assert epochs >= 3          # loose: the machine is shared
    # removing the limit goes much faster
    controller.set_hyperparameters(Hyperparameters(epochs_per_second=None))
    controller.play()
    wait_for_snapshot(qtbot, recorder, lambda s: s.epoch >= epochs + 100)


# ----------------------------------------------------------------------------- streaming
def test_two_seconds_at_full_speed_every_epoch_arrives_and_rate_is_throttled(qtbot,
                                                                             make_controller):
    controller, recorder = make_controller()
    first = len(recorder.snapshots)
    controller.play()
    started = time.perf_counter()
    qtbot.wait(2000)
    stopped = time.perf_counter()
    during = [t for t in recorder.received_at[first:] if started <= t <= stopped]
    last = pause_and_settle(qtbot, controller, recorder)
    epochs = recorder.epochs()
    assert len(epochs) > 20
    np.testing.assert_array_equal(epochs, np.arange(1, len(epochs) + 1))
    assert epochs[-1] == last.epoch
    rate = len(during) / (stopped - started)
    assert rate <= 36, f"{rate:.1f} snapshots/s"
    assert len(during) >= 5
    serials = [s.serial for s in recorder.snapshots]
    assert serials == sorted(serials) and len(set(serials)) == len(serials)
    assert last.epochs_per_second == 0.0
    assert max(s.epochs_per_second for s in recorder.snapshots) > 0


def test_commands_apply_between_mini_batches_even_when_epochs_are_short(qtbot, make_controller):
    # 100 training points in batches of 10: an epoch takes a few milliseconds, trained on the
    # engine's fast path, and a command must still wait only for the mini-batch under way
    controller, recorder = make_controller()
    controller.play()
    wait_for_snapshot(qtbot, recorder, lambda s: s.state == PLAYING and s.epoch > 5)
    seen = []
    for _ in range(20):
        controller.run_in_worker(lambda playground: playground.batch_in_epoch, seen.append)
        qtbot.wait(7)
    qtbot.waitUntil(lambda: len(seen) == 20, timeout=WAIT_MS)
    controller.pause()
    assert any(batch > 0 for batch in seen), seen     # not only at epoch ends


def samples_for_an_epoch_lasting(seconds: float, config: PlaygroundConfig) -> int:
    """How many samples make one epoch of ``config`` last about ``seconds`` on this machine now:
    an epoch's length, not a sample count, is what a test of long epochs depends on."""
    playground = Playground(config)
    playground.step_epoch()                         # warm up
    started = time.perf_counter()
    playground.step_epoch()
    per_sample = (time.perf_counter() - started) / len(playground.train_indices)
    return int(seconds / per_sample / config.data.train_ratio) + 1


def test_long_epochs_go_batch_by_batch_and_pause_promptly(qtbot, make_controller):
    # an epoch of ~20 frames: several snapshots must land while it is under way, however fast
    # the machine (a fixed size was shorter than one frame on a quiet, fast machine)
    config = replace(small_config(batch_size=1),
                     data=DataSpec(generator="circle", n_samples=1000, seed=1))
    n_samples = samples_for_an_epoch_lasting(20 * SNAPSHOT_PERIOD, config)
    config = replace(config, data=replace(config.data, n_samples=n_samples))
    controller, recorder = make_controller(config)
    controller.play()
    wait_for_snapshot(qtbot, recorder, lambda s: s.state == PLAYING and s.batch_in_epoch > 0)
    started = time.perf_counter()
    controller.pause()
    qtbot.waitUntil(lambda: recorder.last.state == PAUSED, timeout=WAIT_MS)
    assert time.perf_counter() - started < 1.0


# ----------------------------------------------------------------------------- rebuilds
def test_network_change_rebuilds_and_keeps_playing(qtbot, make_controller):
    controller, recorder = make_controller()
    version = recorder.last.structure.version
    controller.play()
    wait_for_snapshot(qtbot, recorder, lambda s: s.epoch >= 5)
    spec = NetworkSpec(hidden_layers=(6, 3, 2), activations=("relu", "tanh", "sigmoid"),
                       features=("x1", "x2", "x1_sq", "x2_sq"))
    controller.set_network(spec)
    snap = wait_for_snapshot(qtbot, recorder, lambda s: s.structure.version > version)
    assert snap.structure.layer_sizes == (4, 6, 3, 2, 1)
    assert snap.structure.activations == ("relu", "tanh", "sigmoid")
    assert snap.structure.features == ("x1", "x2", "x1_sq", "x2_sq")
    assert [m.shape[-1] for m in snap.neuron_maps] == [6, 3, 2, 1]
    assert snap.epoch < 5 and snap.state == PLAYING
    wait_for_snapshot(qtbot, recorder, lambda s: s.epoch >= 5
                      and s.structure.version == snap.structure.version)
    assert controller.state == PLAYING


def test_data_spec_change_to_three_classes_changes_the_output(qtbot, make_controller):
    controller, recorder = make_controller()
    data_version = recorder.last.data.version
    controller.set_data_spec(DataSpec(generator="spiral", n_samples=150, classes=3,
                                      train_ratio=0.6, seed=2))
    snap = wait_for_snapshot(qtbot, recorder, lambda s: s.data.version > data_version)
    assert snap.data.n_classes == 3 and len(snap.data.X_train) == 90
    assert snap.structure.layer_sizes[-1] == 3 and snap.structure.loss == "cross_entropy"
    assert snap.grid_output.shape == (100, 100, 3)
    controller.step_epoch()
    snap = wait_for_snapshot(qtbot, recorder, lambda s: s.epoch == 1)
    assert 0.0 <= snap.test_accuracy <= 1.0


def test_regression_data_gives_nan_accuracy(qtbot, make_controller):
    controller, recorder = make_controller()
    controller.set_data_spec(DataSpec(generator="bumps", problem="regression", n_samples=100))
    controller.step_epoch()
    snap = wait_for_snapshot(qtbot, recorder, lambda s: s.epoch == 1)
    assert snap.data.kind == "regression" and snap.structure.output_activation == "linear"
    assert np.isnan(snap.train_accuracy) and np.isnan(snap.history.test_accuracy[0])
    assert np.isfinite(snap.history.train_loss[0])


def test_hand_made_dataset_is_split_and_trained(qtbot, make_controller):
    controller, recorder = make_controller()
    data_version = recorder.last.data.version
    dataset = make_dataset("xor", n=60, seed=5)
    controller.set_dataset(dataset)
    snap = wait_for_snapshot(qtbot, recorder, lambda s: s.data.version > data_version)
    assert len(snap.data.X_train) + len(snap.data.X_test) == 60
    together = np.concatenate([snap.data.train_indices, snap.data.test_indices])
    np.testing.assert_array_equal(np.sort(together), np.arange(60))
    np.testing.assert_array_equal(snap.data.X_train, dataset.X[snap.data.train_indices])


def test_the_edit_number_sent_with_a_dataset_comes_back_with_its_data(qtbot, make_controller):
    controller, recorder = make_controller()
    assert recorder.last.data.edit is None                    # generated data
    controller.set_dataset(make_dataset("xor", n=60, seed=5), edit=7)
    painted = wait_for_snapshot(qtbot, recorder, lambda s: s.data.edit is not None)
    assert painted.data.edit == 7 and painted.data.n_classes == 2
    controller.step_epoch()                                   # the same data: the same number
    assert wait_for_snapshot(qtbot, recorder, lambda s: s.epoch == 1).data.edit == 7
    controller.set_data_spec(DataSpec(generator="spiral", n_samples=90, seed=0))
    regenerated = wait_for_snapshot(qtbot, recorder, lambda s: s.data.version > painted.data.version)
    assert regenerated.data.edit is None                      # not the sender's any more


def test_set_parameter_by_hand(qtbot, make_controller):
    controller, recorder = make_controller()
    controller.set_parameter("weight", 1, (2, 1), 1.25)
    controller.set_parameter("bias", 0, 3, -0.5)
    snap = wait_for_snapshot(qtbot, recorder, lambda s: s.biases[0][3] == -0.5)
    assert snap.weights[1][2, 1] == 1.25


def test_dragging_a_weight_is_throttled_and_the_last_value_arrives(qtbot, make_controller):
    controller, recorder = make_controller()
    first = len(recorder.snapshots)
    values = np.linspace(-1.0, 1.0, 200)
    started = time.perf_counter()
    for value in values:                 # far faster than 30 per second
        controller.set_parameter("weight", 0, (0, 0), value)
    wait_for_snapshot(qtbot, recorder, lambda s: s.weights[0][0, 0] == values[-1])
    elapsed = time.perf_counter() - started
    assert len(recorder.snapshots) - first <= 2 + 36 * elapsed


# ----------------------------------------------------------------------------- failures
def huge_learning_rate_config() -> PlaygroundConfig:
    return PlaygroundConfig(
        data=DataSpec(generator="plane", problem="regression", n_samples=100),
        network=NetworkSpec(hidden_layers=(8, 8), activations=("linear", "linear")),
        hyper=Hyperparameters(learning_rate=50.0))


def test_divergence_pauses_with_a_plain_reason_and_reset_recovers(qtbot, make_controller):
    controller, recorder = make_controller(huge_learning_rate_config())
    controller.play()
    qtbot.waitUntil(lambda: bool(recorder.divergences), timeout=WAIT_MS)
    message = recorder.divergences[0]
    assert "made the" in message and "learning rate 50" in message and "Reset" in message
    assert "stopped at epoch" in message
    qtbot.waitUntil(lambda: recorder.last.state == PAUSED and controller.state == PAUSED,
                    timeout=WAIT_MS)
    assert all(np.all(np.isfinite(w)) for w in recorder.last.weights)    # never propagated
    controller.reset()
    controller.set_hyperparameters(replace(huge_learning_rate_config().hyper, learning_rate=0.01))
    controller.step_epoch()
    snap = wait_for_snapshot(qtbot, recorder, lambda s: s.epoch == 1)
    assert np.isfinite(snap.train_loss)
    assert recorder.errors == []


def test_play_after_a_divergence_says_it_cannot_continue_until_something_changes(
        qtbot, make_controller):
    controller, recorder = make_controller(huge_learning_rate_config())
    controller.play()
    qtbot.waitUntil(lambda: bool(recorder.divergences), timeout=WAIT_MS)
    assert recorder.divergences[0].startswith("Training stopped at epoch")
    controller.play()
    qtbot.waitUntil(lambda: len(recorder.divergences) == 2, timeout=WAIT_MS)
    assert recorder.divergences[1].startswith("Play cannot continue from epoch")
    controller.reset_new_seed()
    controller.play()
    qtbot.waitUntil(lambda: len(recorder.divergences) == 3, timeout=WAIT_MS)
    assert recorder.divergences[2].startswith("Training stopped at epoch")


def test_divergence_message_names_what_went_wrong():
    error = NonFiniteError("training diverged in epoch 312, mini-batch 4: the loss became inf",
                           epoch=312, batch_index=3, what="loss")
    # the position as the tool bar shows it: 311 epochs and 3 mini-batches done
    assert divergence_message(error, 3.0) == (
        "Training stopped at epoch 311 · batch 3: the next mini-batch made the loss infinite "
        "— the learning rate 3 is too high for this network; lower it, or press Reset for new "
        "weights")
    error = NonFiniteError("the gradient of layer 2 became nan", epoch=7, batch_index=0,
                           what="gradient")
    assert divergence_message(error, 10.0).startswith(
        "Training stopped at epoch 6: the next mini-batch made a gradient not a number (NaN)")
    assert divergence_message(error, 10.0, again=True).startswith(
        "Play cannot continue from epoch 6: the next mini-batch still makes a gradient")


def test_errors_in_the_worker_become_signals_and_the_thread_lives_on(qtbot, make_controller):
    controller, recorder = make_controller()
    controller.set_network(NetworkSpec(hidden_layers=(3,), activations=("no-such-activation",)))
    qtbot.waitUntil(lambda: bool(recorder.errors), timeout=WAIT_MS)
    assert "no-such-activation" in recorder.errors[0]

    def fail(_playground):
        raise RuntimeError("storage blew up")

    controller.run_in_worker(fail, lambda value: None)
    qtbot.waitUntil(lambda: len(recorder.errors) == 2, timeout=WAIT_MS)
    assert recorder.errors[1] == "RuntimeError: storage blew up"
    assert controller.is_running
    controller.step_epoch()          # the old network is still there and trains
    snap = wait_for_snapshot(qtbot, recorder, lambda s: s.epoch == 1)
    assert snap.structure.layer_sizes == (2, 4, 2, 1)


def test_playing_an_empty_canvas_reports_and_pauses(qtbot, make_controller):
    controller, recorder = make_controller()
    controller.set_dataset(Dataset.empty())
    controller.play()
    qtbot.waitUntil(lambda: bool(recorder.errors), timeout=WAIT_MS)
    assert "no training points" in recorder.errors[0]
    qtbot.waitUntil(lambda: controller.state == PAUSED and recorder.last.state == PAUSED,
                    timeout=WAIT_MS)
    assert len(recorder.errors) == 1


def test_invalid_speed_limit_is_reported(qtbot, make_controller):
    controller, recorder = make_controller()
    controller.set_hyperparameters(Hyperparameters(epochs_per_second=0))
    qtbot.waitUntil(lambda: bool(recorder.errors), timeout=WAIT_MS)
    assert "epochs per second" in recorder.errors[0]


def test_run_in_worker_returns_in_the_gui_thread(qtbot, make_controller):
    controller, recorder = make_controller()
    results = []

    def read(playground):
        return playground.epoch, QThread.currentThread()

    controller.run_in_worker(read, lambda value: results.append((value, QThread.currentThread())))
    qtbot.waitUntil(lambda: bool(results), timeout=WAIT_MS)
    (epoch, worker_thread), gui_thread = results[0]
    assert epoch == 0
    assert gui_thread is QCoreApplication.instance().thread()
    assert worker_thread is not gui_thread


def test_a_wrong_command_fails_where_it_is_sent_not_on_the_training_thread(qtbot,
                                                                            make_controller):
    controller, recorder = make_controller()
    with pytest.raises(TypeError):
        controller.send("step_epoch")                  # a name is not a command
    with pytest.raises(TypeError):
        controller.send(commands.StepEpoch)            # nor is a command's type
    with pytest.raises(TypeError):
        commands.SetNetwork()                          # a missing argument
    with pytest.raises(TypeError):
        controller.set_parameter("weight", 0, (0, 0))  # the value forgotten
    with pytest.raises(AttributeError):
        controller.step_epcoh()                        # a misspelt command
    controller.step_epoch()                            # none of them reached the worker
    wait_for_snapshot(qtbot, recorder, lambda s: s.epoch == 1)
    assert recorder.errors == []


def test_every_command_type_is_carried_out(qtbot, make_controller):
    controller, recorder = make_controller()
    sent = [commands.Play(), commands.Pause(), commands.StepEpoch(), commands.StepBatch(),
            commands.Reset(), commands.Reset(new_seed=True),
            commands.SetHyperparameters(Hyperparameters(learning_rate=0.1)),
            commands.SetNetwork(NetworkSpec(hidden_layers=(3,), activations=("relu",))),
            commands.SetDataSpec(DataSpec(generator="xor", n_samples=80)),
            commands.SetDataset(make_dataset("circle", n=50, seed=2), edit=1),
            commands.SetParameter("bias", 0, 1, 0.5),
            commands.LoadPlayground(Playground(small_config())),
            commands.WatchSlope("train"), commands.WatchLandscape("random", 15),
            commands.WatchSlope(None), commands.WatchLandscape(None)]
    for command in sent:
        controller.send(command)
    done = []
    controller.run_in_worker(lambda playground: playground.epoch, done.append)   # a RunJob
    qtbot.waitUntil(lambda: bool(done), timeout=WAIT_MS)      # after every command before it
    assert {type(c) for c in sent} | {commands.RunJob} == set(typing.get_args(commands.Command))
    assert recorder.errors == []


def test_a_failed_job_calls_its_failure_callback_instead(qtbot, make_controller):
    controller, recorder = make_controller()
    results, failures = [], []

    def fail(playground):
        raise RuntimeError("no good")

    controller.run_in_worker(fail, results.append, lambda: failures.append(True))
    qtbot.waitUntil(lambda: bool(failures), timeout=WAIT_MS)
    assert results == [] and "no good" in recorder.errors[0]
    assert controller._jobs == {}                             # nothing kept once reported


def test_capture_in_the_worker_and_load_a_playground_back(qtbot, make_controller):
    from playground.storage.playground_state import capture, restore

    controller, recorder = make_controller()
    for _ in range(3):
        controller.step_epoch()
    saved_snapshot = wait_for_snapshot(qtbot, recorder, lambda s: s.epoch == 3)
    captured = []
    controller.run_in_worker(capture, captured.append)
    qtbot.waitUntil(lambda: bool(captured), timeout=WAIT_MS)
    controller.reset_new_seed()
    controller.step_epoch()
    wait_for_snapshot(qtbot, recorder, lambda s: s.epoch == 1)

    controller.load_playground(restore(captured[0]))
    snap = wait_for_snapshot(qtbot, recorder, lambda s: s.epoch == 3)
    np.testing.assert_array_equal(snap.history.epochs, [1, 2, 3])     # the whole saved history
    for w, w0 in zip(snap.weights, saved_snapshot.weights):
        np.testing.assert_array_equal(w, w0)
    controller.step_epoch()
    snap = wait_for_snapshot(qtbot, recorder, lambda s: s.epoch == 4)
    np.testing.assert_array_equal(snap.history.epochs, [4])


def test_a_capped_history_streams_every_epoch_once_while_it_is_thinned(qtbot, make_controller):
    playground = Playground(small_config())
    playground.history = EpochLog(max_rows=32)
    controller, recorder = make_controller(playground=playground)
    controller.play()
    wait_for_snapshot(qtbot, recorder, lambda s: s.epoch >= 1000, timeout=30_000)
    snap = pause_and_settle(qtbot, controller, recorder)
    np.testing.assert_array_equal(recorder.epochs(), np.arange(1, snap.epoch + 1))
    stored = []
    controller.run_in_worker(lambda pg: pg.history.column("epochs"), stored.append)
    qtbot.waitUntil(lambda: bool(stored), timeout=WAIT_MS)
    epochs = stored[0]
    print(f"\n{snap.epoch} epochs streamed, {len(epochs)} rows stored")
    assert epochs[0] == 1 and epochs[-1] == snap.epoch and len(epochs) < snap.epoch // 4
    controller.step_epoch()                 # streaming carries on after thinning
    snap = wait_for_snapshot(qtbot, recorder, lambda s: len(s.history) > 0)
    np.testing.assert_array_equal(snap.history.epochs, [epochs[-1] + 1])


def test_a_loaded_playground_numbers_its_versions_after_the_old_ones(qtbot, make_controller):
    controller, recorder = make_controller()
    controller.set_data_spec(DataSpec(generator="xor", n_samples=80, seed=3))
    controller.set_network(NetworkSpec(hidden_layers=(3,), activations=("relu",)))
    old = wait_for_snapshot(qtbot, recorder, lambda s: s.structure.layer_sizes == (2, 3, 1))
    assert old.data.version >= 2 and old.structure.version >= 2
    loaded = Playground(small_config())          # fresh: its own versions start at 1
    controller.load_playground(loaded)
    snap = wait_for_snapshot(qtbot, recorder, lambda s: s.structure.layer_sizes == (2, 4, 2, 1))
    assert snap.data.version > old.data.version
    assert snap.structure.version > old.structure.version
    np.testing.assert_array_equal(snap.data.X_train, loaded.X_train_raw)   # not a cached view
    controller.set_dataset(make_dataset("circle", n=50, seed=1))
    later = wait_for_snapshot(qtbot, recorder, lambda s: len(s.data.X_train) + len(s.data.X_test)
                              == 50)
    assert later.data.version > snap.data.version


# ----------------------------------------------------------------------------- loss views
def test_the_slope_in_a_snapshot_is_where_the_real_step_starts_and_lands(qtbot,
                                                                         make_controller):
    controller, recorder = make_controller(small_config(learning_rate=0.3))
    assert recorder.last.slope is None                  # nothing computed until watched
    controller.step_epoch()
    controller.watch_slope("batch")
    shown = wait_for_snapshot(qtbot, recorder, lambda s: s.slope is not None and s.epoch == 1)
    done = []

    def step_and_measure(playground):       # in the worker, where the snapshot was taken
        result = playground.step_batch()
        rows = result.indices
        return result.loss, playground.network.compute_loss(playground.F_train[rows],
                                                            playground.Y_train[rows])

    controller.run_in_worker(step_and_measure, done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=WAIT_MS)
    loss_before, loss_after = done[0]
    assert shown.slope.loss == pytest.approx(loss_before, rel=1e-12)
    assert shown.slope.landing_loss == pytest.approx(loss_after, rel=1e-12, abs=1e-15)
    controller.watch_slope(None)
    controller.step_epoch()
    assert wait_for_snapshot(qtbot, recorder, lambda s: s.epoch == 2).slope is None


def test_a_landscape_value_in_a_snapshot_equals_a_direct_engine_evaluation(qtbot,
                                                                           make_controller):
    controller, recorder = make_controller()
    controller.step_epoch()
    controller.watch_landscape("random", 15)
    view = wait_for_snapshot(qtbot, recorder, lambda s: s.landscape is not None
                             and s.landscape.complete).landscape
    done = []

    def evaluate_directly(playground):
        from playground.loss_views import landscape_slice

        # the same seeded directions at the same weights; the loss by the engine itself
        directions = landscape_slice(playground, None, "random", 15).directions
        twin = playground.network.with_precision("float64")
        centre = twin.parameters.copy()
        values = {}
        for i, j in [(7, 7), (0, 0), (4, 12), (14, 9)]:
            twin.parameters = centre + view.a[j] * directions[0] + view.b[i] * directions[1]
            values[i, j] = twin.compute_loss(playground.F_train, playground.Y_train)
        return values

    controller.run_in_worker(evaluate_directly, done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=WAIT_MS)
    assert view.values[7, 7] == done[0][7, 7] == view.centre_loss
    for (i, j), value in done[0].items():
        assert view.values[i, j] == pytest.approx(value, rel=1e-12)
    assert view.epoch == 1 and recorder.errors == []


def test_the_loss_views_follow_training_and_stop_when_hidden(qtbot, make_controller):
    controller, recorder = make_controller()
    controller.watch_slope("train")
    controller.watch_landscape("pca", 15)
    controller.play()
    wait_for_snapshot(qtbot, recorder, lambda s: s.landscape is not None and s.epoch >= 50
                      and s.landscape.directions == "pca" and s.landscape.complete
                      and s.landscape.epoch > 0 and s.slope is not None and s.slope.epoch > 0,
                      timeout=LOSS_VIEW_WAIT_MS)
    controller.watch_slope(None)
    controller.watch_landscape(None)
    later = wait_for_snapshot(qtbot, recorder, lambda s: s.slope is None and s.landscape is None)
    assert wait_for_snapshot(qtbot, recorder, lambda s: s.epoch > later.epoch + 20).slope is None
    assert recorder.errors == []


# ----------------------------------------------------------------------------- shutdown
def test_shutdown_while_playing_stops_within_a_second(qtbot, make_controller):
    controller, recorder = make_controller()
    controller.play()
    wait_for_snapshot(qtbot, recorder, lambda s: s.epoch >= 3)
    started = time.perf_counter()
    controller.shutdown()
    assert time.perf_counter() - started < 1.0
    assert not controller.is_running
    controller.play()                # commands after shutdown are ignored, not errors
    controller.shutdown()


def test_deleting_the_parent_without_shutdown_stops_the_thread(qtbot):
    import shiboken6
    from PySide6.QtCore import QObject

    parent = QObject()
    controller = TrainingController(small_config(), parent=parent)
    recorder = Recorder(controller)
    controller.play()
    wait_for_snapshot(qtbot, recorder, lambda s: s.epoch >= 3)
    thread = controller._thread
    shiboken6.delete(parent)           # as when a window is destroyed without being closed
    assert not thread.isRunning()


def test_controller_destroyed_after_its_thread_object_is_quiet(qtbot):
    import shiboken6

    controller = TrainingController(small_config())
    controller.shutdown()
    shiboken6.delete(controller._thread)   # as at interpreter exit, in whatever order
    shiboken6.delete(controller)           # the destroyed safety net must not raise


def test_stress_random_commands_for_ten_seconds(qtbot, make_controller):
    controller, recorder = make_controller()
    rng = random.Random(1234)
    hyper = Hyperparameters()
    specs = [NetworkSpec(), NetworkSpec(hidden_layers=(3,), activations=("relu",)),
             NetworkSpec(hidden_layers=(5, 5, 2), activations=("tanh", "sigmoid", "relu"),
                         features=("x1", "x2", "x1_x2", "sin_x1"))]
    data_specs = [DataSpec(generator=name, n_samples=rng.choice([20, 100, 300]),
                           classes=3 if name == "blobs" else 2,
                           problem="regression" if name == "saddle" else "classification")
                  for name in ("circle", "xor", "blobs", "saddle")]

    def random_command():
        nonlocal hyper
        choice = rng.randrange(13)
        if choice == 0:
            controller.play()
        elif choice == 1:
            controller.pause()
        elif choice == 2:
            controller.step_epoch()
        elif choice == 3:
            controller.step_batch()
        elif choice == 4:
            controller.reset()
        elif choice == 5:
            controller.reset_new_seed()
        elif choice in (6, 7):
            hyper = replace(hyper, learning_rate=rng.choice([0.001, 0.03, 0.3, 3.0]),
                            batch_size=rng.choice([1, 5, 10, 64, 1000]),
                            optimizer=rng.choice(["sgd", "momentum", "adam", "rmsprop"]),
                            regularization=rng.choice(["none", "l1", "l2"]),
                            regularization_rate=rng.choice([0.0, 0.001, 0.1]),
                            epochs_per_second=rng.choice([None, None, 5, 60]))
            controller.set_hyperparameters(hyper)
        elif choice == 8:
            controller.set_network(rng.choice(specs))
        elif choice == 9:
            controller.set_data_spec(rng.choice(data_specs))
        elif choice == 10:
            controller.set_dataset(make_dataset("gauss", n=rng.choice([10, 50]),
                                                seed=rng.randrange(100)))
        elif choice == 11:
            controller.set_parameter("bias", 0, 0, rng.uniform(-1, 1))
        else:
            controller.run_in_worker(lambda playground: playground.epoch, lambda value: None)

    timer = QTimer()
    timer.timeout.connect(random_command)
    timer.start(5)
    qtbot.wait(10_000)
    timer.stop()
    controller.play()
    before = len(recorder.snapshots)
    qtbot.waitUntil(lambda: len(recorder.snapshots) > before, timeout=WAIT_MS)
    controller.shutdown()
    assert not controller.is_running
    assert len(recorder.snapshots) > 50
    serials = [s.serial for s in recorder.snapshots]
    assert serials == sorted(serials)
    # every error was reported as a message (e.g. a set_parameter on a rebuilt layer), not a crash
    assert all(isinstance(e, str) and e for e in recorder.errors)
