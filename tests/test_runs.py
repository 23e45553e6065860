"""Compare runs: a pinned run keeps what it should, the collection changes only by returning a
new one, two runs' settings are told apart in a few words, and the table reads in a
spreadsheet."""
import csv
import io
from dataclasses import replace

import numpy as np
import pytest

from playground import limits, runs
from playground.config import DataSpec, Hyperparameters, NetworkSpec, PlaygroundConfig
from playground.runs import (PinnedRun, PinnedRuns, comparison_csv, describe_difference,
                             pin_run, thinned)
from playground.session import Playground


def trained(epochs=5, **hyper) -> Playground:
    playground = Playground(PlaygroundConfig(DataSpec(n_samples=80),
                                             hyper=Hyperparameters(**hyper)))
    for _ in range(epochs):
        playground.step_epoch()
    return playground


def history(epochs, loss=0.5, accuracy=0.75) -> dict:
    epochs = np.asarray(epochs, np.int64)
    value = np.full(len(epochs), 1.0)
    return {"epochs": epochs, "train_loss": value * loss, "test_loss": value * loss * 2,
            "train_accuracy": value * accuracy, "test_accuracy": value * accuracy}


THUMBNAIL = np.full((48, 64, 3), 200, np.uint8)


def test_a_pinned_run_keeps_its_history_settings_and_thumbnail():
    playground = trained(learning_rate=0.3)
    run = pin_run(playground, " Fast ", THUMBNAIL)
    assert run.label == "Fast" and run.config == playground.config and run.visible
    assert run.last_epoch == 5
    for name in runs.RUN_COLUMNS:
        assert np.array_equal(run.history[name], playground.history.column(name))
    assert np.array_equal(run.thumbnail, THUMBNAIL) and not run.thumbnail.flags.writeable
    playground.step_epoch()                                  # the pin does not follow the run
    assert run.last_epoch == 5
    with pytest.raises(ValueError, match="nothing to pin yet"):
        pin_run(Playground(), "Empty")


def test_a_long_history_is_thinned_evenly_keeping_first_and_last():
    columns = history(np.arange(1, 1001))
    kept = thinned(columns, most=100)
    assert len(kept["epochs"]) <= 100 and kept["epochs"][0] == 1 and kept["epochs"][-1] == 1000
    assert np.all(np.diff(kept["epochs"]) > 0) and np.ptp(np.diff(kept["epochs"])) <= 1
    assert thinned(columns, most=2000) is columns


@pytest.mark.parametrize("change, message", [
    (dict(label=""), "label is ''; it must be a non-empty text"),
    (dict(label="a\nb"), "label is 'a\\\\nb'; it must be one line of at most 80"),
    (dict(label=3), "label is 3"),
    (dict(history=history([1, 3, 2])), "history.epochs must increase"),
    (dict(history=history([])), "history has 0 rows; a pinned run has 1..50,000"),
    (dict(history={**history([1]), "train_loss": np.zeros(2)}), "different lengths"),
    (dict(history={**history([1]), "epochs": np.ones(1)}), "history.epochs must be a 1-D int64"),
    (dict(history={"epochs": np.ones(1, np.int64)}), "history must hold exactly the columns"),
    (dict(thumbnail=np.zeros((65, 10, 3), np.uint8)),
     "thumbnail must be a uint8 RGB image of at most 64×64 pixels, not \\(65, 10, 3\\)"),
    (dict(thumbnail=np.zeros((8, 8, 3))), "thumbnail must be a uint8 RGB image"),
    (dict(config=PlaygroundConfig(hyper=Hyperparameters(learning_rate=500.0))),
     "config.hyper.learning_rate is 500.0"),
    (dict(visible="yes"), "visible must be true or false"),
])
def test_a_pinned_run_refuses_what_no_run_has(change, message):
    fields = dict(label="Run", config=PlaygroundConfig(), history=history([1, 2]))
    with pytest.raises(ValueError, match=message):
        PinnedRun(**{**fields, **change})


def test_the_collection_adds_removes_toggles_and_relabels_by_id():
    first = PinnedRun("Run 1", PlaygroundConfig(), history([1]))
    empty = PinnedRuns()
    one = empty.add(first)
    two = one.add(replace(first, label="Run 2"))
    assert len(empty) == 0 and [run.pin_id for run in two] == [1, 2]
    hidden = two.toggled(1)
    assert [run.visible for run in hidden] == [False, True] and two.get(1).visible
    assert [run.label for run in hidden.visible] == ["Run 2"]
    assert hidden.with_visible(1, True).get(1).visible
    assert two.relabelled(2, "  lr 0.3 ").get(2).label == "lr 0.3"
    after = two.remove(1)
    assert [run.pin_id for run in after] == [2]
    assert [run.pin_id for run in after.add(first)] == [2, 3]
    assert [run.pin_id for run in two.remove(2).add(first)] == [1, 3]   # never given twice
    assert two.next_label() == "Run 3" and after.next_label() == "Run 3"
    with pytest.raises(KeyError):
        two.remove(7)
    with pytest.raises(ValueError, match="label is ' '; it must be a non-empty text"):
        two.relabelled(1, " ")


def test_the_collection_holds_a_limited_number_of_pins():
    pins = PinnedRuns()
    for index in range(limits.MAX_PINNED_RUNS):
        pins = pins.add(PinnedRun(f"Run {index}", PlaygroundConfig(), history([1])))
    assert pins.is_full
    with pytest.raises(ValueError, match="at most 8 runs can be pinned; remove one first"):
        pins.add(PinnedRun("One more", PlaygroundConfig(), history([1])))


@pytest.mark.parametrize("change, words", [
    (dict(hyper=Hyperparameters(learning_rate=0.3)), "lr 0.3 vs 0.03"),
    (dict(hyper=Hyperparameters(optimizer="adam")), "optimizer adam vs sgd"),
    (dict(network=NetworkSpec((8, 8))), "layers 8,8 vs 4,2"),
    (dict(network=NetworkSpec((), ())), "layers none vs 4,2"),
    (dict(network=NetworkSpec(activations=("relu", "relu"))), "activation relu vs tanh"),
    (dict(network=NetworkSpec(activations=("relu", "tanh"))), "activation relu,tanh vs tanh"),
    (dict(network=NetworkSpec((8, 8, 8), ("tanh",) * 3)), "layers 8,8,8 vs 4,2"),
    (dict(hyper=Hyperparameters(learning_rate=0.3, optimizer="adam", batch_size=30)),
     "lr 0.3 vs 0.03, batch 30 vs 10 (+1 more)"),
    (dict(data=DataSpec(noise=0.2), hyper=Hyperparameters(regularization="l2")),
     "reg l2 vs none, noise 0.2 vs 0"),
    (dict(network=NetworkSpec(seed=4)), "net_seed 4 vs 0"),
    (dict(network=NetworkSpec(seed=4), data=DataSpec(seed=5)), "net_seed 4 vs 0, data_seed 5 vs 0"),
    # after a Reset (a new network seed) the setting changed on purpose is what is named
    (dict(network=NetworkSpec(seed=4), hyper=Hyperparameters(learning_rate=0.3)),
     "lr 0.3 vs 0.03"),
    (dict(network=NetworkSpec(features=("x1", "x2", "x1_sq", "x2_sq", "sin_x1", "sin_x2"))),
     "features x1,x2,x1_sq,x2_sq,sin_x… vs x1,x2"),
    (dict(hyper=Hyperparameters(epochs_per_second=10.0)), "same settings"),
])
def test_what_differs_is_said_in_a_few_words(change, words):
    assert describe_difference(replace(PlaygroundConfig(), **change), PlaygroundConfig()) == words


def read_table(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_the_comparison_table_has_a_row_per_epoch_and_a_column_per_run_and_metric():
    fast = history([1, 2, 3], loss=0.1, accuracy=0.9)
    slow = history([2, 4], loss=0.7, accuracy=0.5)
    slow["test_loss"][1] = np.nan
    rows = read_table(comparison_csv([("lr 0.3", fast), ("=cmd()", slow)]))
    assert rows[0] == ["epoch", "lr 0.3: train loss", "'=cmd(): train loss", "lr 0.3: test loss",
                       "'=cmd(): test loss", "lr 0.3: train accuracy", "'=cmd(): train accuracy",
                       "lr 0.3: test accuracy", "'=cmd(): test accuracy"]
    assert [row[0] for row in rows[1:]] == ["1", "2", "3", "4"]
    assert rows[2] == ["2", "0.1", "0.7", "0.2", "1.4", "0.9", "0.5", "0.9", "0.5"]
    assert rows[1][2] == "" and rows[4][1] == "" and rows[4][4] == ""     # no row, NaN


def test_regression_runs_have_no_accuracy_columns_and_numbers_are_exact():
    values = history([1, 2])
    values["train_loss"] = np.array([0.1 + 0.2, 1 / 3])
    values["train_accuracy"] = values["test_accuracy"] = np.full(2, np.nan)
    rows = read_table(comparison_csv([("a", values)]))
    assert rows[0] == ["epoch", "a: train loss", "a: test loss"]
    assert [float(row[1]) for row in rows[1:]] == [0.1 + 0.2, 1 / 3]


def test_a_long_table_is_written_a_block_at_a_time_with_the_same_result(monkeypatch):
    one, other = history(np.arange(1, 50, 2), loss=0.3), history(np.arange(1, 60, 3), loss=0.4)
    whole = comparison_csv([("a", one), ("b", other)])
    monkeypatch.setattr(runs, "_ROWS_AT_A_TIME", 4)
    assert comparison_csv([("a", one), ("b", other)]) == whole
    assert comparison_csv([]) == "epoch\n"
