"""The pure Playground session: building, training, live settings, rebuilds and grid maps."""
from dataclasses import replace

import numpy as np
import pytest

from playground.config import DataSpec, Hyperparameters, NetworkSpec, PlaygroundConfig
from playground.data import DATA_EXTENT, Dataset, feature_matrix, make_dataset
from playground.epoch_log import EpochLog, Evaluation
from playground.session import Playground


def config(**hyper) -> PlaygroundConfig:
    return PlaygroundConfig(data=DataSpec(generator="circle", n_samples=200, seed=3),
                            network=NetworkSpec(hidden_layers=(4, 2), activations=("tanh", "tanh"),
                                                seed=5),
                            hyper=Hyperparameters(**hyper))


def weights_of(playground):
    return [w.copy() for w in playground.network.weights]


def test_build_from_config():
    pg = Playground(config(regularization="l2", regularization_rate=0.01))
    assert len(pg.train_indices) == 100 and len(pg.test_indices) == 100
    assert pg.F_train.shape == (100, 2) and pg.Y_train.shape == (100, 1)
    np.testing.assert_array_equal(pg.X_train_raw, pg.dataset.X[pg.train_indices])
    np.testing.assert_array_equal(pg.y_test, pg.dataset.y[pg.test_indices])
    assert tuple(pg.network.layer_sizes) == (2, 4, 2, 1)
    assert pg.network.l2 == 0.01 and pg.network.l1 == 0.0
    assert pg.trainer.learning_rate == 0.03 and pg.trainer.batch_size == 10
    assert pg.epoch == 0 and len(pg.history) == 0 and pg.last_batch is None
    assert pg.batches_per_epoch == 10
    pg.apply_hyperparameters(replace(pg.config.hyper, batch_size=30))
    assert pg.batches_per_epoch == 4             # the last partial batch counts


def test_features_feed_the_network():
    spec = NetworkSpec(hidden_layers=(3,), activations=("relu",),
                       features=("x1", "x2", "x1_sq", "sin_x2"))
    pg = Playground(replace(config(), network=spec))
    assert tuple(pg.network.layer_sizes) == (4, 3, 1)
    np.testing.assert_array_equal(pg.F_train, feature_matrix(pg.X_train_raw, spec.features))


def test_three_classes_get_a_softmax_output():
    pg = Playground(replace(config(), data=DataSpec(generator="blobs", classes=3, n_samples=90)))
    assert tuple(pg.network.layer_sizes)[-1] == 3
    assert pg.network.output_activation == "softmax" and pg.Y_train.shape[1] == 3


def test_step_batch_and_step_epoch_record_history():
    pg = Playground(config())
    result = pg.step_batch()
    assert pg.last_batch is result and pg.batch_in_epoch == 1 and not result.epoch_finished
    assert len(pg.history) == 0
    pg.step_epoch()                        # finishes the started epoch
    assert pg.epoch == 1 and pg.batch_in_epoch == 0 and len(pg.history) == 1
    pg.step_epoch()
    columns = pg.history.columns()
    np.testing.assert_array_equal(columns["epochs"], [1, 2])
    np.testing.assert_array_equal(columns["learning_rate"], [0.03, 0.03])
    np.testing.assert_array_equal(columns["batch_size"], [10, 10])
    evaluation = pg.evaluate()
    assert columns["train_loss"][-1] == evaluation.train_loss
    assert columns["test_accuracy"][-1] == evaluation.test_accuracy


def test_training_learns_the_circle():
    pg = Playground(replace(config(learning_rate=0.1)))
    before = pg.evaluate()
    for _ in range(150):
        pg.step_epoch()
    after = pg.evaluate()
    assert after.train_loss < 0.5 * before.train_loss
    assert after.test_accuracy >= 0.9


def test_evaluate_matches_the_definitions():
    pg = Playground(config())
    evaluation = pg.evaluate()
    output = pg.network.predict(pg.F_test)[:, 0]
    y = pg.y_test
    bce = -np.mean(y * np.log(output) + (1 - y) * np.log(1 - output))
    assert evaluation.test_loss == pytest.approx(bce, rel=1e-9)
    assert evaluation.test_accuracy == np.mean((output >= 0.5) == y)


@pytest.mark.parametrize("bias", [40.0, -40.0, 800.0])
def test_the_history_shows_the_exact_loss_of_confidently_wrong_points(bias):
    # every point gets the logit ``bias``: the wrong class costs |bias| each, the right one
    # log1p(e^-|bias|); from the clipped outputs the history showed 36.74 for 40 and 690.8 for 800
    pg = Playground(config())
    for weights in pg.network.weights:
        weights[...] = 0.0
    pg.network.biases[-1][...] = bias
    wrong = np.count_nonzero(pg.y_train != (bias > 0))
    expected = (wrong * abs(bias) + (len(pg.y_train) - wrong) * np.log1p(np.exp(-abs(bias))))
    pg.apply_hyperparameters(replace(pg.config.hyper, learning_rate=0.0))
    pg.step_epoch()
    assert pg.evaluate().train_loss == pytest.approx(expected / len(pg.y_train), rel=1e-15)
    assert pg.history.columns()["train_loss"][-1] == pytest.approx(expected / len(pg.y_train),
                                                                   rel=1e-15)


def test_regression_accuracy_is_nan():
    pg = Playground(replace(config(), data=DataSpec(generator="plane", problem="regression",
                                                    n_samples=50)))
    assert pg.network.output_activation == "linear" and pg.network.loss_name == "mse"
    evaluation = pg.evaluate()
    assert np.isnan(evaluation.train_accuracy) and np.isfinite(evaluation.train_loss)


def test_hyperparameters_change_live_without_touching_weights():
    pg = Playground(config())
    pg.step_epoch()
    weights = weights_of(pg)
    pg.apply_hyperparameters(Hyperparameters(learning_rate=0.2, batch_size=7, optimizer="adam",
                                             regularization="l1", regularization_rate=0.003))
    for w, w0 in zip(pg.network.weights, weights):
        np.testing.assert_array_equal(w, w0)
    assert pg.trainer.learning_rate == 0.2 and pg.trainer.batch_size == 7
    assert pg.network.l1 == 0.003 and pg.network.l2 == 0.0
    assert pg.config.hyper.optimizer == "adam"
    result = pg.step_batch()
    assert len(result.indices) == 7
    pg.step_epoch()
    np.testing.assert_array_equal(pg.history.column("epochs"), [1, 2])
    np.testing.assert_array_equal(pg.history.column("learning_rate"), [0.03, 0.2])


def test_precision_changes_live_carrying_the_training_over():
    pg = Playground(config(optimizer="adam", batch_size=30))
    pg.step_epoch()
    pg.step_batch()                                    # one mini-batch into epoch 2
    weights = weights_of(pg)
    moments = pg.trainer.optimizer_state()
    pg.apply_hyperparameters(replace(pg.config.hyper, precision="float32"))
    assert pg.network.parameters.dtype == np.float32 and pg.network is pg.trainer.net
    for w, w0 in zip(pg.network.weights, weights):
        np.testing.assert_array_equal(w, w0.astype(np.float32))
    assert pg.trainer.optimizer_state()["t"] == moments["t"] and pg.batch_in_epoch == 1
    gradient = pg.last_gradients()[0][0]
    assert gradient.dtype == np.float32 and np.any(gradient != 0)     # the last step's, kept
    pg.step_epoch()                                    # the epoch under way finishes
    assert pg.epoch == 2 and len(pg.history) == 2
    pg.apply_hyperparameters(replace(pg.config.hyper, precision="float64"))
    narrowed = pg.network.parameters.copy()
    assert narrowed.dtype == np.float64 and np.array_equal(narrowed, narrowed.astype(np.float32))
    assert Playground(pg.config).network.precision == "float64"


def test_a_float32_playground_trains_like_a_float64_one():
    wide, narrow = Playground(config()), Playground(config(precision="float32"))
    assert narrow.network.precision == "float32"
    for _ in range(5):
        wide.step_epoch()
        narrow.step_epoch()
    np.testing.assert_allclose(narrow.network.parameters, wide.network.parameters, rtol=1e-4,
                               atol=1e-6)
    np.testing.assert_allclose(narrow.history.column("train_loss"),
                               wide.history.column("train_loss"), rtol=1e-5)
    extent, output, maps = narrow.grid_maps(20)
    assert output.dtype == np.float32 and np.isfinite(output).all()


@pytest.mark.parametrize("bad", [
    {"batch_size": 0}, {"learning_rate": -1.0}, {"optimizer": "no-such-optimizer"},
    {"regularization": "l3"}, {"regularization": "l2", "regularization_rate": -0.5},
    {"precision": "float16"},
])
def test_invalid_hyperparameters_change_nothing(bad):
    pg = Playground(config())
    good = Hyperparameters(learning_rate=0.5, batch_size=20, regularization="l1",
                           regularization_rate=0.01)
    pg.apply_hyperparameters(good)
    with pytest.raises(ValueError):
        pg.apply_hyperparameters(replace(good, **bad))
    assert pg.config.hyper == good
    assert (pg.trainer.learning_rate, pg.trainer.batch_size) == (0.5, 20)
    assert (pg.network.l1, pg.network.l2) == (0.01, 0.0)
    assert pg.trainer.optimizer_name == "sgd"


def test_same_config_same_weights():
    a, b = Playground(config()), Playground(config())
    for pg in (a, b):
        for _ in range(3):
            pg.step_epoch()
    for wa, wb in zip(a.network.weights, b.network.weights):
        np.testing.assert_array_equal(wa, wb)


def test_reset_restores_seed_weights_and_restarts():
    pg = Playground(config())
    initial = weights_of(pg)
    for _ in range(3):
        pg.step_epoch()
    pg.reset()
    assert pg.epoch == 0 and len(pg.history) == 0 and pg.last_batch is None
    for w, w0 in zip(pg.network.weights, initial):
        np.testing.assert_array_equal(w, w0)
    generation = pg.history.generation
    pg.reset(seed=11)
    assert pg.config.network.seed == 11 and pg.network.seed == 11
    assert pg.history.generation == generation + 1
    fresh = Playground(replace(config(), network=replace(config().network, seed=11)))
    for w, w0 in zip(pg.network.weights, fresh.network.weights):
        np.testing.assert_array_equal(w, w0)


def test_set_network_rebuilds():
    pg = Playground(config())
    pg.step_epoch()
    version = pg.structure_version
    pg.set_network(NetworkSpec(hidden_layers=(5, 5, 3), activations=("relu", "tanh", "sigmoid"),
                               features=("x1", "x2", "x1_x2")))
    assert tuple(pg.network.layer_sizes) == (3, 5, 5, 3, 1)
    assert pg.F_train.shape == (100, 3) and pg.structure_version == version + 1
    assert pg.epoch == 0 and len(pg.history) == 0
    pg.step_epoch()
    assert pg.epoch == 1


def test_set_data_spec_regenerates_and_rebuilds():
    pg = Playground(config())
    version = pg.data_version
    pg.set_data_spec(DataSpec(generator="spiral", n_samples=120, classes=3, train_ratio=0.75))
    assert pg.data_version == version + 1 and len(pg.train_indices) == 90
    assert tuple(pg.network.layer_sizes)[-1] == 3
    assert pg.config.data.generator == "spiral" and pg.config.data.classes == 3


def test_set_dataset_uses_a_hand_made_dataset():
    pg = Playground(config())
    dataset = Dataset(np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 2.0], [-1.0, -3.0]]),
                      np.array([0, 1, 0, 1]), "classification", 2)
    pg.set_dataset(dataset)
    assert pg.dataset is dataset
    assert len(pg.train_indices) + len(pg.test_indices) == 4
    pg.step_epoch()
    # the generator's own count, for the next Regenerate, whatever the hand-made dataset holds
    assert pg.epoch == 1 and pg.config.data.n_samples == config().data.n_samples


def test_adding_points_keeps_the_weights_and_the_training():
    pg = Playground(config(optimizer="adam"))
    pg.step_epoch()
    pg.step_epoch()
    pg.step_batch()
    weights, biases = weights_of(pg), [b.copy() for b in pg.network.biases]
    moments = pg.trainer.optimizer_state()
    data_version, structure_version = pg.data_version, pg.structure_version
    extra = np.array([[0.5, 0.5], [-2.0, 1.0], [3.0, 3.0]])
    pg.set_dataset(pg.dataset.with_points(np.vstack([pg.dataset.X, extra]),
                                          np.concatenate([pg.dataset.y, [1, 0, 1]])))
    assert len(pg.train_indices) + len(pg.test_indices) == 203
    for w, w0 in zip(pg.network.weights, weights):
        np.testing.assert_array_equal(w, w0)
    for b, b0 in zip(pg.network.biases, biases):
        np.testing.assert_array_equal(b, b0)
    np.testing.assert_array_equal(pg.trainer.optimizer_state()["m"], moments["m"])
    assert pg.epoch == 2 and len(pg.history) == 2 and pg.last_batch is None
    assert pg.data_version == data_version + 1 and pg.structure_version == structure_version
    assert pg.F_train.shape == (len(pg.train_indices), 2)
    np.testing.assert_array_equal(pg.F_train, pg.dataset.X[pg.train_indices])
    pg.step_epoch()                      # the epoch under way restarts on the new points
    assert pg.epoch == 3 and pg.batch_in_epoch == 0
    np.testing.assert_array_equal(pg.history.column("epochs"), [1, 2, 3])


def test_a_new_class_or_problem_type_rebuilds_the_network():
    pg = Playground(config())
    pg.step_epoch()
    dataset = pg.dataset
    three = Dataset(np.vstack([dataset.X, [[1.0, 1.0]]]), np.concatenate([dataset.y, [2]]),
                    "classification", 3)
    pg.set_dataset(three)
    assert tuple(pg.network.layer_sizes)[-1] == 3 and pg.epoch == 0 and len(pg.history) == 0
    fresh = Playground(replace(config(), data=pg.config.data), three)
    for w, w0 in zip(pg.network.weights, fresh.network.weights):
        np.testing.assert_array_equal(w, w0)       # from the network's seed
    pg.step_epoch()
    regression = Dataset(dataset.X, dataset.y.astype(np.float64), "regression", 0)
    pg.set_dataset(regression)
    assert pg.network.output_activation == "linear" and pg.epoch == 0


def test_set_split_installs_a_given_split_and_keeps_the_training():
    pg = Playground(config())
    pg.step_epoch()
    weights, data_version = weights_of(pg), pg.data_version
    train = np.arange(0, 200, 2)
    test = np.arange(1, 200, 2)
    pg.set_split(train, test)
    np.testing.assert_array_equal(pg.train_indices, train)
    np.testing.assert_array_equal(pg.X_test_raw, pg.dataset.X[test])
    np.testing.assert_array_equal(pg.y_train, pg.dataset.y[train])
    np.testing.assert_array_equal(pg.F_train, pg.dataset.X[train])
    assert pg.data_version == data_version + 1 and pg.epoch == 1
    for w, w0 in zip(pg.network.weights, weights):
        np.testing.assert_array_equal(w, w0)
    expected = pg.network.data_loss(pg.network.predict(pg.dataset.X[test]), pg.Y_test)
    assert pg.evaluate().test_loss == pytest.approx(float(expected))
    pg.step_epoch()
    assert pg.epoch == 2


@pytest.mark.parametrize("train, test, message", [
    (np.arange(150), np.arange(150, 201), "test index 200 is outside 0..199"),
    (np.arange(-1, 150), np.arange(150, 200), "train index -1 is outside"),
    (np.arange(150)[::-1], np.arange(150, 200), "the train indices are not in increasing order"),
    (np.r_[0, 0, 1:150], np.arange(150, 200), "the train indices .* repeat a point"),
    (np.arange(151), np.arange(150, 200), "point 150 is in both$"),
    (np.arange(140), np.arange(150, 200), "point 140 is in neither \\(10 points are\\)"),
    (np.arange(150) + 0.5, np.arange(150, 200), "the train indices are not a list of whole"),
])
def test_a_bad_split_is_refused_saying_why_and_changes_nothing(train, test, message):
    pg = Playground(config())
    before = pg.train_indices.copy(), pg.data_version
    with pytest.raises(ValueError, match="must partition the 200 points: " + message):
        pg.set_split(train, test)
    np.testing.assert_array_equal(pg.train_indices, before[0])
    assert pg.data_version == before[1]


def test_a_replacing_playground_numbers_its_versions_after_the_old_ones():
    old = Playground(config())
    for _ in range(3):
        old.set_network(old.config.network)
        old.set_data_spec(old.config.data)
    new = Playground(config())
    new.number_versions_after(old)
    assert new.data_version == old.data_version + 1
    assert new.structure_version == old.structure_version + 1


def test_failed_rebuild_leaves_the_playground_as_it_was():
    pg = Playground(config())
    pg.step_epoch()
    network, dataset, weights = pg.network, pg.dataset, weights_of(pg)
    with pytest.raises(ValueError):
        pg.set_network(NetworkSpec(hidden_layers=(3,), activations=("no-such-activation",)))
    with pytest.raises(ValueError):
        pg.set_network(NetworkSpec(hidden_layers=(3, 3), activations=("tanh",)))
    with pytest.raises(ValueError):
        pg.set_network(NetworkSpec(hidden_layers=(3,), activations=("tanh",),
                                   features=("x1", "no-such-feature")))
    with pytest.raises(ValueError):
        pg.set_data_spec(DataSpec(generator="no-such-data"))
    assert pg.network is network and pg.dataset is dataset and pg.epoch == 1
    assert pg.F_train.shape == (100, 2) and pg.config.network == config().network
    for w, w0 in zip(pg.network.weights, weights):
        np.testing.assert_array_equal(w, w0)
    pg.step_epoch()
    assert pg.epoch == 2


def test_set_parameter():
    pg = Playground(config())
    pg.set_parameter("weight", 0, (1, 2), 0.75)
    pg.set_parameter("bias", 1, 0, -2.0)
    assert pg.network.weights[0][1, 2] == 0.75 and pg.network.biases[1][0] == -2.0


def test_grid_maps_cover_the_plane_row_y_column_x():
    pg = Playground(config())
    extent, output, maps = pg.grid_maps(resolution=20)
    low, high = DATA_EXTENT
    assert extent == (low, high, low, high)
    assert output.shape == (20, 20, 1) and output.dtype == np.float32
    assert [m.shape for m in maps] == [(20, 20, 4), (20, 20, 2), (20, 20, 1)]
    assert all(m.dtype == np.float32 for m in maps)
    corners = np.array([[low, low], [high, low], [low, high]])
    expected = pg.network.predict(feature_matrix(corners, ("x1", "x2")))[:, 0]
    np.testing.assert_allclose([output[0, 0, 0], output[0, -1, 0], output[-1, 0, 0]],
                               expected, rtol=1e-6)
    hidden = pg.network.layer_outputs(feature_matrix(corners[1:2], ("x1", "x2")))[0][0]
    np.testing.assert_allclose(maps[0][0, -1], hidden, rtol=1e-6)


def test_grid_extent_widens_for_points_outside_the_plane():
    pg = Playground(config())
    far = Dataset(np.array([[0.0, 0.0], [9.0, -1.0], [1.0, -8.0], [2.0, 2.0]]),
                  np.array([0, 1, 0, 1]), "classification", 2)
    pg.set_dataset(far)
    xmin, xmax, ymin, ymax = pg.grid_extent()
    assert xmin == DATA_EXTENT[0] and xmax > 9.0 and ymin < -8.0 and ymax == DATA_EXTENT[1]


@pytest.mark.parametrize("points, extent", [
    ([[0.0, 0.0], [5.9, -6.0]], (-6.0, 6.0, -6.0, 6.0)),         # inside: the classic plane
    ([[6.5, 0.0]], (-6.0, 8.0, -6.0, 6.0)),                       # a margin, to a whole step
    ([[0.0, 0.0], [1000.0, 500.0]], (-6.0, 1100.0, -6.0, 600.0)),  # steps of 100 at this size
    ([[-1e4, 1e4], [1e4, -1e4]], (-11000.0, 11000.0, -11000.0, 11000.0)),  # the limit's corners
])
def test_grid_extent_takes_in_every_point_with_a_margin_in_round_steps(points, extent):
    X = np.array(points)
    pg = Playground(config(), Dataset(X, np.zeros(len(X), dtype=np.int64), "classification", 2))
    assert pg.grid_extent() == extent
    xmin, xmax, ymin, ymax = extent
    assert (xmin < X[:, 0].min() or xmin == -6.0) and (xmax > X[:, 0].max() or xmax == 6.0)
    _, output, maps = pg.grid_maps(resolution=10)
    assert np.isfinite(output).all() and all(np.isfinite(m).all() for m in maps)


def test_an_imported_split_is_installed_and_its_share_becomes_the_ratio():
    pg = Playground(config())
    weights = weights_of(pg)
    dataset = make_dataset("xor", n=50, seed=4)
    train, test = np.arange(0, 50, 5), np.setdiff1d(np.arange(50), np.arange(0, 50, 5))
    pg.set_dataset(dataset, (train, test))
    assert pg.dataset == dataset
    np.testing.assert_array_equal(pg.train_indices, train)
    np.testing.assert_array_equal(pg.X_test_raw, dataset.X[test])
    assert pg.config.data.train_ratio == pytest.approx(0.2)
    for w, before in zip(pg.network.weights, weights):      # same kind: the network is kept
        np.testing.assert_array_equal(w, before)
    with pytest.raises(ValueError, match="must partition the 50 points"):
        pg.set_dataset(make_dataset("circle", n=50, seed=1), (train, train))
    assert pg.dataset == dataset                             # refused: nothing changed
    four = make_dataset("blobs", n=40, seed=1, classes=4)
    pg.set_dataset(four, (np.arange(36), np.arange(36, 40)))    # other classes: rebuilt
    assert pg.network.layer_sizes[-1] == 4 and pg.config.data.train_ratio == pytest.approx(0.9)
    assert len(pg.test_indices) == 4


def test_a_new_training_share_splits_the_points_there_are_again():
    pg = Playground(config())
    imported = make_dataset("xor", n=60, seed=9)
    pg.set_dataset(imported)
    pg.set_data_spec(replace(pg.config.data, train_ratio=0.8))
    assert pg.dataset == imported and len(pg.train_indices) == 48
    pg.set_data_spec(replace(pg.config.data, noise=0.2))       # a generator setting: generates
    assert pg.dataset.n == 200


def test_epoch_log_grows_and_reads_from_a_cursor():
    log = EpochLog(capacity=2)
    for epoch in range(1, 6):
        log.append(epoch, Evaluation(1.0 / epoch, 2.0, 0.5, np.nan), 0.1 * epoch, epoch)
    assert len(log) == 5
    np.testing.assert_array_equal(log.column("epochs"), [1, 2, 3, 4, 5])
    since = log.read_from(3)
    np.testing.assert_array_equal(since["epochs"], [4, 5])
    np.testing.assert_array_equal(since["batch_size"], [4, 5])
    assert np.isnan(since["test_accuracy"]).all()
    since["epochs"][0] = 99                    # copies, never the log's own storage
    assert log.column("epochs")[3] == 4
    log.clear()
    assert len(log) == 0 and log.generation == 1
    log.replace_all({name: np.arange(3) for name in EpochLog.COLUMNS})
    np.testing.assert_array_equal(log.column("train_loss"), [0.0, 1.0, 2.0])
    with pytest.raises(ValueError):
        log.replace_all({name: np.arange(3 if name != "epochs" else 2)
                         for name in EpochLog.COLUMNS})


def append_epochs(log, epochs):
    for epoch in epochs:
        log.append(epoch, Evaluation(1.0 / epoch, 2.0 / epoch, 0.5, np.nan), 0.1, epoch % 7 + 1)


def test_epoch_log_thins_its_older_part_and_keeps_the_recent_part_exact():
    log = EpochLog(capacity=4, max_rows=16)
    for epoch in range(1, 1001):
        append_epochs(log, [epoch])
        assert len(log) <= 16
    epochs = log.column("epochs")
    assert epochs[0] == 1                                        # the curve starts where it did
    gaps = np.flatnonzero(np.diff(epochs) != 1)
    exact = epochs[gaps[-1] + 1:]
    assert len(exact) >= 8 and exact[-1] == 1000          # at least the newest half is exact
    older = epochs[1: gaps[-1] + 1]
    stride = older[1] - older[0]
    assert stride > 1 and np.all(np.diff(older) == stride)     # evenly spaced over the epochs
    assert np.all(older % stride == 0)
    # every column kept its own row
    np.testing.assert_array_equal(log.column("train_loss"), 1.0 / epochs)
    np.testing.assert_array_equal(log.column("batch_size"), epochs % 7 + 1)
    assert log.generation == 0                                  # thinning is no restart


def test_ten_minutes_as_fast_as_possible_keep_the_history_within_a_few_megabytes():
    # ~2,000 epochs a second for ten minutes, the reader (the worker) keeping up
    log, cursor, epochs = EpochLog(), 0, 1_200_000
    for start in range(1, epochs + 1, 2000):
        append_epochs(log, range(start, start + 2000))
        cursor += len(log.read_from(cursor)["epochs"])
    stored = sum(log.column(name).nbytes for name in EpochLog.COLUMNS)
    assert len(log) <= 1.25 * EpochLog.MAX_ROWS and stored < 8 * 2**20
    assert log.column("epochs")[-1] == epochs


def test_thinning_never_skips_or_repeats_an_epoch_for_the_streaming_reader():
    log = EpochLog(max_rows=16)
    rng = np.random.default_rng(0)
    cursor, received, epoch, largest = 0, [], 0, 0
    log.read_from(0)                                 # the worker reads before training starts
    for _ in range(300):
        lag = int(rng.choice([1, 3, 7, 12, 30]))     # 30: unsent rows outnumber max_rows
        append_epochs(log, range(epoch + 1, epoch + lag + 1))
        epoch += lag
        largest = max(largest, len(log))
        rows = log.read_from(cursor)
        cursor += len(rows["epochs"])
        received.append(rows["epochs"])
        np.testing.assert_array_equal(rows["train_loss"], 1.0 / rows["epochs"])
    np.testing.assert_array_equal(np.concatenate(received), np.arange(1, epoch + 1))
    assert len(log) <= 16 + 30 and largest <= 16 + 30
    assert log.column("epochs")[0] == 1 and log.column("epochs")[-1] == epoch
    log.clear()                                      # a restart: the reader starts again at 0
    append_epochs(log, [1, 2])
    np.testing.assert_array_equal(log.read_from(0)["epochs"], [1, 2])


def test_a_new_reader_of_a_thinned_log_gets_every_stored_row_then_continues():
    log = EpochLog(max_rows=16)
    append_epochs(log, range(1, 101))
    log.read_from(0)
    append_epochs(log, range(101, 201))
    log.read_from(0)                                 # the first reader's rows, thinned since
    stored = log.column("epochs")
    assert len(stored) < 200
    np.testing.assert_array_equal(log.read_from(0)["epochs"], stored)   # a second reader
    append_epochs(log, [201, 202])
    np.testing.assert_array_equal(log.read_from(len(stored))["epochs"], [201, 202])
    with pytest.raises(ValueError, match="cursor"):
        log.read_from(3)                             # behind rows already thinned away


def test_session_imports_no_qt():
    import subprocess
    import sys

    code = ("import sys, playground.session; "
            "print(any(m.startswith(('PySide6', 'pyqtgraph')) for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_make_dataset_dataset_can_be_given():
    dataset = make_dataset("xor", n=40, seed=1)
    pg = Playground(config(), dataset)
    assert pg.dataset is dataset and pg.config.data.n_samples == config().data.n_samples


def test_an_empty_canvas_refuses_to_train_instead_of_hanging():
    pg = Playground(config(), Dataset.empty())
    assert len(pg.F_train) == 0 and np.isnan(pg.evaluate().train_loss)
    with pytest.raises(ValueError, match="no training points"):
        pg.step_epoch()
    extent, output, _ = pg.grid_maps(resolution=8)
    assert output.shape == (8, 8, 1)


def test_after_clearing_or_painting_the_generator_still_makes_its_own_count():
    pg = Playground(config())
    pg.set_dataset(Dataset.empty())
    assert pg.config.data.n_samples == 200
    pg.set_data_spec(replace(pg.config.data, seed=pg.config.data.seed + 1))     # Regenerate
    assert pg.dataset.n == 200
    painted = Dataset(np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 2.0]]), np.array([0, 1, 0]),
                      "classification", 2)
    pg.set_dataset(painted)
    pg.set_data_spec(replace(pg.config.data, generator="xor"))                 # another dataset
    assert pg.dataset.n == 200 and pg.config.data.n_samples == 200
