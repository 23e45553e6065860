"""Saving and reopening a whole Playground: every part survives, and training resumes exactly."""
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from playground.config import DataSpec, Hyperparameters, NetworkSpec, PlaygroundConfig
from playground.data import Append, Move, apply_edit
from playground.session import Playground
from playground.storage import (
    StorageError, capture, load_playground, read_content, save_playground, write_content,
)
from playground.storage import format as fmt
from playground.storage.playground_state import restore


def make_playground(optimizer="adam", generator="spiral", classes=2, hidden=(5, 3),
                    features=("x1", "x2", "x1_sq", "sin_x2"), regularization="l2") -> Playground:
    activations = ("tanh", "relu", "sigmoid", "elu")[: len(hidden)]
    config = PlaygroundConfig(
        data=DataSpec(generator=generator, n_samples=120, noise=0.1, train_ratio=0.6,
                      classes=classes, seed=7),
        network=NetworkSpec(hidden_layers=hidden, activations=activations, features=features,
                            seed=11),
        hyper=Hyperparameters(learning_rate=0.02, batch_size=7, optimizer=optimizer,
                              regularization=regularization, regularization_rate=0.001,
                              shuffle_seed=13),
    )
    return Playground(config)


def paint(pg: Playground) -> None:
    """Hand-edit the dataset: add and move points, as the painter would."""
    dataset = pg.dataset
    if dataset.kind == "classification":
        labels = np.array([1, 0, 1])
    else:
        labels = np.array([0.5, -0.25, 1.0])
    points = np.array([[0.5, 0.5], [-1.0, 2.0], [3.0, -3.0]])
    dataset, _ = apply_edit(dataset, Append(points, labels))
    dataset, _ = apply_edit(dataset, Move(np.array([0]), np.array([[1.25, -2.5]])))
    pg.set_dataset(dataset)


def assert_same_playground(a: Playground, b: Playground) -> None:
    assert a.config == b.config
    assert a.dataset == b.dataset
    np.testing.assert_array_equal(a.train_indices, b.train_indices)
    np.testing.assert_array_equal(a.test_indices, b.test_indices)
    np.testing.assert_array_equal(a.F_train, b.F_train)
    assert a.network.layer_sizes == b.network.layer_sizes
    assert a.network.activations == b.network.activations
    assert (a.network.output_activation, a.network.loss_name) == (b.network.output_activation,
                                                                  b.network.loss_name)
    assert (a.network.l1, a.network.l2) == (b.network.l1, b.network.l2)
    assert a.network.parameters.tobytes() == b.network.parameters.tobytes()
    state_a, state_b = a.trainer.state_dict(), b.trainer.state_dict()
    assert state_a == state_b
    opt_a, opt_b = a.trainer.optimizer_state(), b.trainer.optimizer_state()
    assert opt_a.keys() == opt_b.keys()
    for key in opt_a:
        np.testing.assert_array_equal(opt_a[key], opt_b[key])
    cols_a, cols_b = a.history.columns(), b.history.columns()
    for name in cols_a:
        assert cols_a[name].tobytes() == cols_b[name].tobytes(), name


@pytest.mark.parametrize("kind", ["adam-spiral", "momentum-xor", "rmsprop-blobs3", "sgd-bumps",
                                  "nesterov-no-hidden"])
def test_round_trip_of_every_part(tmp_path, kind):
    pg = {
        "adam-spiral": lambda: make_playground("adam"),
        "momentum-xor": lambda: make_playground("momentum", "xor", regularization="l1"),
        "rmsprop-blobs3": lambda: make_playground("rmsprop", "blobs", classes=3),
        "sgd-bumps": lambda: make_playground("sgd", "bumps", hidden=(6, 4, 3)),
        "nesterov-no-hidden": lambda: make_playground("nesterov", "circle", hidden=(),
                                                      regularization="none"),
    }[kind]()
    paint(pg)
    for _ in range(3):
        pg.step_epoch()
    for _ in range(2):
        pg.step_batch()                       # save in the middle of an epoch
    path = tmp_path / "run.bpp"
    save_playground(path, pg)
    loaded = load_playground(path)
    assert_same_playground(pg, loaded)
    assert loaded.trainer.batch_in_epoch == 2 and loaded.epoch == 3


def test_painted_points_and_empty_history_survive(tmp_path):
    pg = make_playground()
    paint(pg)
    assert len(pg.history) == 0
    save_playground(tmp_path / "fresh.bpp", pg)
    loaded = load_playground(tmp_path / "fresh.bpp")
    assert_same_playground(pg, loaded)
    np.testing.assert_array_equal(loaded.dataset.X[0], [1.25, -2.5])


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "nesterov", "rmsprop", "adam"])
@pytest.mark.parametrize("batches_into_epoch", [0, 3])
def test_reopening_continues_training_bit_identically(tmp_path, optimizer, batches_into_epoch):
    original = make_playground(optimizer)
    paint(original)
    for _ in range(4):
        original.step_epoch()
    for _ in range(batches_into_epoch):
        original.step_batch()
    path = tmp_path / "resume.bpp"
    save_playground(path, original)
    reopened = load_playground(path)
    for _ in range(3):                       # the next epochs, with and without save/load
        original.step_epoch()
        reopened.step_epoch()
        assert original.network.parameters.tobytes() == reopened.network.parameters.tobytes()
    assert_same_playground(original, reopened)


def test_a_split_made_by_hand_is_installed_on_opening_and_training_resumes_exactly(tmp_path):
    pg = make_playground()
    paint(pg)
    n = pg.dataset.n
    train = np.arange(0, n, 3)
    pg.set_split(train, np.setdiff1d(np.arange(n), train))     # not the ratio's 0.6
    pg.step_epoch()
    pg.step_batch()
    save_playground(tmp_path / "hand.bpp", pg)
    reopened = load_playground(tmp_path / "hand.bpp")
    assert_same_playground(pg, reopened)
    np.testing.assert_array_equal(reopened.train_indices, train)
    pg.step_epoch()
    reopened.step_epoch()
    assert pg.network.parameters.tobytes() == reopened.network.parameters.tobytes()


def test_resume_after_changing_settings_while_training(tmp_path):
    pg = make_playground("adam")
    pg.step_epoch()
    pg.apply_hyperparameters(replace(pg.config.hyper, learning_rate=0.005, batch_size=4,
                                     shuffle_seed=99))
    pg.step_epoch()
    pg.step_batch()
    save_playground(tmp_path / "s.bpp", pg)
    reopened = load_playground(tmp_path / "s.bpp")
    pg.step_epoch()
    reopened.step_epoch()
    assert pg.network.parameters.tobytes() == reopened.network.parameters.tobytes()
    np.testing.assert_array_equal(reopened.history.column("batch_size"), [7, 4, 4])
    np.testing.assert_array_equal(reopened.history.column("learning_rate"), [0.02, 0.005, 0.005])


def test_capture_holds_copies_not_references():
    pg = make_playground()
    content = capture(pg)
    before = content["network"]["parameters"].copy()
    pg.step_epoch()
    np.testing.assert_array_equal(content["network"]["parameters"], before)
    assert not np.shares_memory(content["network"]["parameters"], pg.network.parameters)


def test_saving_twice_gives_identical_bytes(tmp_path):
    pg = make_playground()
    pg.step_epoch()
    save_playground(tmp_path / "a.bpp", pg)
    save_playground(tmp_path / "b.bpp", pg)
    assert (tmp_path / "a.bpp").read_bytes() == (tmp_path / "b.bpp").read_bytes()


# ------------------------------------------------------------------ semantic damage in the file
def _content_edit(tmp_path, edit):
    pg = make_playground()
    paint(pg)
    pg.step_epoch()
    pg.step_batch()
    content = capture(pg)
    edit(content)
    path = tmp_path / "edited.bpp"
    write_content(path, content)
    return path


@pytest.mark.parametrize("edit, message", [
    (lambda c: c.pop("history"), "missing the sections \\['history'\\]"),
    (lambda c: c.update(extra=1), "unknown sections"),
    (lambda c: c["config"]["hyper"].pop("learning_rate"), "missing \\['learning_rate'\\]"),
    (lambda c: c["config"]["hyper"].update(learning_rate="fast"), "learning_rate must be a number"),
    (lambda c: c["config"]["network"].update(activations=["tanh", "bogus"]), "bogus"),
    (lambda c: c["config"]["network"].update(hidden_layers=[5, 10**9]),
     "hidden_layers\\[1\\] is 1000000000; it must be 1..32"),
    (lambda c: c["config"]["network"].update(hidden_layers=[5, -3]), "it must be 1..32"),
    (lambda c: c["config"]["hyper"].update(batch_size=10**12), "batch_size"),
    (lambda c: c["dataset"].update(kind="painting"), "dataset is invalid"),
    (lambda c: c["dataset"].update(y=c["dataset"]["y"] + 5), "class labels"),
    (lambda c: c["dataset"].update(X=c["dataset"]["X"][:-1]), "dataset is invalid"),
    (lambda c: c["dataset"]["X"].__setitem__((0, 0), np.nan), "dataset.X holds nan"),
    (lambda c: c["network"].update(parameters=c["network"]["parameters"][:-1]), "needs"),
    (lambda c: c["network"]["parameters"].__setitem__(0, np.inf),
     "network.parameters holds inf"),
    (lambda c: c["network"].update(output_activation="linear"), "output_activation"),
    (lambda c: c["network"].update(l2=0.5), "network.l2"),
    (lambda c: c["split"].update(train_indices=c["split"]["train_indices"][::-1].copy()), "split"),
    (lambda c: c["split"].update(test_indices=c["split"]["train_indices"]), "partition"),
    (lambda c: c["split"].update(test_indices=np.append(c["split"]["test_indices"], 10**6)),
     "saved split cannot be used: .*test index 1000000 is outside 0..122"),
    (lambda c: c["split"].update(train_indices=c["split"]["train_indices"][1:].copy()),
     "saved split cannot be used: .*point 0 is in neither"),
    (lambda c: c["trainer"]["state"].update(learning_rate=0.5), "learning_rate"),
    (lambda c: c["trainer"]["state"].update(epoch=-1), "epoch"),
    (lambda c: c["trainer"]["state"].update(epoch=7), "history ends at epoch 1"),
    (lambda c: c["trainer"]["state"].update(rng={"bit_generator": "MT19937"}), "rng"),
    (lambda c: c["trainer"]["state"].update(permutation=np.arange(5)), "permutation"),
    (lambda c: c["trainer"]["state"].update(position=10**6), "position"),
    (lambda c: c["trainer"]["optimizer"].pop("m"), "optimizer state"),
    (lambda c: c["trainer"]["optimizer"].update(t=-4), "trainer.optimizer.t is -4"),
    (lambda c: c["trainer"]["optimizer"]["v"].__setitem__(0, np.nan), "non-finite"),
    (lambda c: c["history"].update(epochs=np.zeros(5, np.int64)), "different lengths"),
    (lambda c: c["history"].update(train_loss=c["history"]["train_loss"].astype(np.float32)),
     "float64"),
])
def test_inconsistent_content_is_named(tmp_path, edit, message):
    path = _content_edit(tmp_path, edit)
    with pytest.raises(StorageError, match=message):
        load_playground(path)


def test_a_failed_open_leaves_the_open_playground_untouched(tmp_path):
    open_playground = make_playground()
    open_playground.step_epoch()
    before = capture(open_playground)
    bad = tmp_path / "bad.bpp"
    save_playground(bad, open_playground)
    data = bytearray(bad.read_bytes())
    data[100] ^= 0xFF
    bad.write_bytes(bytes(data))
    with pytest.raises(StorageError):
        load_playground(bad)
    after = capture(open_playground)
    assert fmt.encode_archive(before) == fmt.encode_archive(after)


def test_restore_of_read_content_equals_load(tmp_path):
    pg = make_playground()
    save_playground(tmp_path / "x.bpp", pg)
    assert_same_playground(restore(read_content(tmp_path / "x.bpp")), pg)


@pytest.mark.parametrize("optimizer", ["momentum", "nesterov"])
def test_a_momentum_playground_saved_in_format_1_continues_as_it_would_have(optimizer):
    # Made by the format-1 app (momentum as v <- 0.9 v - lr g, learning rate 0.05 then 0.2):
    # the file, and the parameters that app reached two epochs after saving. Format 2 keeps the
    # rate out of the velocity; the file's velocity is converted on opening.
    data = Path(__file__).parent / "data"
    loaded = load_playground(data / f"{optimizer}-format-1.bpp")
    assert loaded.trainer.learning_rate == 0.2 and loaded.trainer.batch_in_epoch == 1
    loaded.step_epoch()
    loaded.step_epoch()
    expected = np.load(data / f"{optimizer}-format-1-two-epochs-later.npy")
    np.testing.assert_allclose(loaded.network.parameters, expected, rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("name, batches", [("adam-format-2", 4), ("rmsprop-format-3", 3)])
def test_a_playground_saved_before_format_4_opens_in_float64_and_continues_bit_identically(
        name, batches):
    # Made by the format-2 and format-3 apps (no precision setting; paused a few mini-batches
    # into an epoch): the file, and the parameters that app reached two epochs after saving.
    data = Path(__file__).parent / "data"
    loaded = load_playground(data / f"{name}.bpp")
    assert loaded.config.hyper.precision == "float64"
    assert loaded.network.parameters.dtype == np.float64
    assert loaded.trainer.batch_in_epoch == batches
    loaded.step_epoch()
    loaded.step_epoch()
    expected = np.load(data / f"{name}-two-epochs-later.npy")
    np.testing.assert_array_equal(loaded.network.parameters, expected)


def test_a_float32_playground_saved_in_format_4_opens_and_continues_bit_identically():
    # Made by the format-4 app (precision, but no initializer and no per-layer samples; paused
    # five mini-batches into an epoch): the file, and the parameters that app reached two
    # epochs after opening it.
    data = Path(__file__).parent / "data"
    loaded = load_playground(data / "momentum-float32-format-4.bpp")
    assert loaded.config.hyper.precision == "float32"
    assert loaded.config.network.init == "default"
    assert len(loaded.layer_log) == 0 and not loaded.layer_log.restored
    assert loaded.network.parameters.dtype == np.float32
    assert loaded.trainer.batch_in_epoch == 5
    loaded.step_epoch()
    loaded.step_epoch()
    expected = np.load(data / "momentum-float32-format-4-two-epochs-later.npy")
    assert loaded.network.parameters.tobytes() == expected.tobytes()


def test_a_float32_playground_saves_reopens_and_continues_in_float32(tmp_path):
    pg = make_playground(optimizer="momentum")
    pg.apply_hyperparameters(replace(pg.config.hyper, precision="float32"))
    pg.step_epoch()
    pg.step_batch()
    save_playground(tmp_path / "single.bpp", pg)
    content = read_content(tmp_path / "single.bpp")
    assert content["config"]["hyper"]["precision"] == "float32"
    assert content["network"]["parameters"].dtype == np.float64      # widened exactly
    loaded = load_playground(tmp_path / "single.bpp")
    assert_same_playground(loaded, pg)
    assert loaded.network.parameters.dtype == np.float32
    pg.step_epoch()
    loaded.step_epoch()
    assert loaded.network.parameters.tobytes() == pg.network.parameters.tobytes()

