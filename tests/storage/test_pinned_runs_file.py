"""Pinned runs in the saved file (format version 3): saved and reopened exactly, absent from older
files, and refused, naming the pin, when a file holds what no app could have pinned."""
import csv
import shutil
from pathlib import Path

import numpy as np
import pytest

from playground import limits
from playground.config import Hyperparameters, PlaygroundConfig
from playground.runs import RUN_COLUMNS, PinnedRuns, pin_run
from playground.session import Playground
from playground.storage import (StorageError, capture, load_playground, pins_from_content,
                                read_content, save_playground)
from playground.storage import export
from playground.storage import format as fmt
from playground.storage.playground_state import HISTORY_COLUMNS

DATA = Path(__file__).parent / "data"


def two_pins() -> tuple[Playground, PinnedRuns]:
    playground = Playground(PlaygroundConfig(hyper=Hyperparameters(learning_rate=0.3)))
    for _ in range(4):
        playground.step_epoch()
    thumbnail = np.arange(40 * 30 * 3, dtype=np.uint8).reshape(30, 40, 3)
    pins = PinnedRuns().add(pin_run(playground, "lr 0.3", thumbnail))
    playground.apply_hyperparameters(Hyperparameters(learning_rate=0.03))
    playground.reset()
    for _ in range(6):
        playground.step_epoch()
    pins = pins.add(pin_run(playground, "lr 0.03")).toggled(2)
    playground.reset()
    playground.step_epoch()
    return playground, pins


def test_pins_are_saved_and_reopened_exactly(tmp_path):
    playground, pins = two_pins()
    save_playground(tmp_path / "p.bpp", playground, pins)
    content = read_content(tmp_path / "p.bpp")
    again = pins_from_content(content)
    assert [(run.label, run.visible, run.pin_id) for run in again] == \
        [("lr 0.3", True, 1), ("lr 0.03", False, 2)]
    for saved, loaded in zip(pins, again):
        assert loaded.config == saved.config
        for name in RUN_COLUMNS:
            assert np.array_equal(loaded.history[name], saved.history[name])
    assert np.array_equal(again.get(1).thumbnail, pins.get(1).thumbnail)
    assert again.get(2).thumbnail is None
    reopened = load_playground(tmp_path / "p.bpp")
    assert reopened.epoch == 1 and reopened.config == playground.config


def test_a_playground_without_pins_saves_none_and_older_files_open_with_none(tmp_path):
    save_playground(tmp_path / "p.bpp", Playground())
    assert len(pins_from_content(read_content(tmp_path / "p.bpp"))) == 0
    for old in sorted(DATA.glob("*.bpp")):                 # saved by format version 1
        copy = tmp_path / old.name
        shutil.copy(old, copy)
        assert len(pins_from_content(read_content(copy))) == 0
        load_playground(copy)


def content_with(pins_part) -> bytes:
    playground, pins = two_pins()
    content = capture(playground, pins)
    content["pins"] = pins_part(content["pins"])
    return fmt.encode_archive(content)


def refused(pins_part, message):
    from playground.storage.playground_state import restore

    data = content_with(pins_part)
    with pytest.raises(StorageError, match=message):
        restore(fmt.decode_archive(data))


@pytest.mark.parametrize("pins_part, message", [
    (lambda pins: pins * 5, "the file has 10 pinned runs; at most 8 are kept"),
    (lambda pins: {"0": pins[0]}, "pins must be a list"),
    (lambda pins: [{**pins[0], "colour": "red"}], "pins\\[0\\] must hold exactly config, "),
    (lambda pins: [pins[0], {**pins[1], "label": ""}], "pins\\[1\\].label is ''"),
    (lambda pins: [{**pins[0], "visible": 1}], "pins\\[0\\].visible must be true or false"),
    (lambda pins: [{**pins[0], "thumbnail": np.zeros((65, 65, 3), np.uint8)}],
     "pins\\[0\\].thumbnail must be a uint8 RGB image of at most 64×64"),
    (lambda pins: [{**pins[0], "thumbnail": np.zeros((8, 8, 3), np.float32)}],
     "pins\\[0\\].thumbnail must be a uint8 RGB image"),
    (lambda pins: [{**pins[0], "history": {**pins[0]["history"],
                                          "epochs": np.array([1, 1, 2, 3], np.int64)}}],
     "pins\\[0\\].history.epochs must increase"),
    (lambda pins: [{**pins[0], "history": {name: np.zeros(limits.MAX_PINNED_ROWS + 1, dtype)
                                          for name, dtype in RUN_COLUMNS.items()}}],
     "pins\\[0\\].history has 50,001 rows; a pinned run has 1..50,000"),
    (lambda pins: [{**pins[0], "config": {"hyper": {"batch_size": 0}}}],
     "pins\\[0\\].config.hyper.batch_size is 0"),
    (lambda pins: [{**pins[0], "config": {"hyper": {"learnin_rate": 0.1}}}],
     "pins\\[0\\].config.hyper has unknown fields"),
])
def test_a_file_with_a_pin_no_app_could_make_is_refused_naming_it(pins_part, message):
    refused(pins_part, message)


def test_a_pins_config_may_leave_out_fields_a_later_version_added():
    playground, pins = two_pins()
    content = capture(playground, pins)
    del content["pins"][0]["config"]["hyper"]["shuffle_seed"]
    assert pins_from_content(fmt.decode_archive(fmt.encode_archive(content))).get(1).config == \
        pins.get(1).config


def test_the_largest_file_the_limits_allow_stays_within_the_unpacked_bound():
    history_bytes = limits.MAX_HISTORY_ROWS * 8 * len(HISTORY_COLUMNS)
    pins_bytes = limits.MAX_PINNED_RUNS * (limits.MAX_PINNED_ROWS * 8 * len(RUN_COLUMNS)
                                           + limits.MAX_THUMBNAIL_SIDE ** 2 * 3)
    points_bytes = limits.MAX_POINTS * (16 + 8 + 8)        # X, y and the split's indices
    weights_bytes = 3 * 8 * (10 * 32 + 7 * 33 * 32 + 33 * 6)   # weights, two optimizer moments
    assert history_bytes + pins_bytes + points_bytes + weights_bytes < \
        fmt.MAX_UNCOMPRESSED_BYTES * 0.8


def test_the_comparison_exports_the_shown_pins_beside_this_run(tmp_path):
    playground, pins = two_pins()
    export.export_comparison_csv(tmp_path / "c.csv", capture(playground, pins))
    with open(tmp_path / "c.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:3] == ["epoch", "lr 0.3: train loss", "this run: train loss"]  # 2 is hidden
    assert [row[0] for row in rows[1:]] == ["1", "2", "3", "4"]
    assert float(rows[1][1]) == pins.get(1).history["train_loss"][0]
    assert float(rows[1][2]) == playground.history.column("train_loss")[0]
    assert rows[2][2] == ""
