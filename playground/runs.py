"""Compare runs: runs pinned for later, what differs between two runs' settings, and the
comparison as a table (pure; no Qt).

"Pin this run" keeps the run's history (epochs, train/test loss and accuracy), the settings
that produced it and a small boundary thumbnail; the window draws pinned runs as ghost curves
under the live ones, labelled by :func:`describe_difference` ("lr 0.3 vs 0.03"). A
:class:`PinnedRuns` collection is an immutable value: every change returns a new one, so the
window can hand it to the training thread (saving) while it keeps drawing it.
"""
from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field, replace

import numpy as np

from playground import limits
from playground.config import PlaygroundConfig
from playground.messages import quote
from playground.settings_text import SETTINGS
from playground.validation import check_config

RUN_COLUMNS = {"epochs": np.int64, "train_loss": np.float64, "test_loss": np.float64,
               "train_accuracy": np.float64, "test_accuracy": np.float64}
METRIC_NAMES = {"train_loss": "train loss", "test_loss": "test loss",
                "train_accuracy": "train accuracy", "test_accuracy": "test accuracy"}
# settings that change how a run goes; the speed only changes how fast it is watched
_COMPARED = [setting for setting in SETTINGS if setting.key != "speed"]
# training settings first (the ones most often varied between runs), seeds last
_COMPARED.sort(key=lambda setting: (setting.key.endswith("seed"), -setting.line))
_ROWS_AT_A_TIME = 10_000


@dataclass(frozen=True, eq=False)
class PinnedRun:
    """One run kept for comparison: its label, settings, history, thumbnail and visibility.

    ``history`` holds the columns of RUN_COLUMNS (read-only copies, at least one row, epochs
    increasing, at most MAX_PINNED_ROWS); ``thumbnail`` is None or a uint8 (h, w, 3) array of
    at most MAX_THUMBNAIL_SIDE pixels a side. ValueError naming the field for anything else.
    ``pin_id`` is given by the collection.
    """

    label: str
    config: PlaygroundConfig
    history: dict
    thumbnail: np.ndarray | None = None
    visible: bool = True
    pin_id: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "label", checked_label(self.label))
        check_config(self.config)
        object.__setattr__(self, "history", _checked_history(self.history))
        if self.thumbnail is not None:
            object.__setattr__(self, "thumbnail", _checked_thumbnail(self.thumbnail))
        if not isinstance(self.visible, bool):
            raise ValueError("visible must be true or false")

    @property
    def last_epoch(self) -> int:
        return int(self.history["epochs"][-1])


def checked_label(label) -> str:
    """The label without surrounding spaces; ValueError unless it is one short line."""
    if not isinstance(label, str) or not label.strip():
        raise ValueError(f"label is {quote(label)}; it must be a non-empty text")
    label = label.strip()
    if "\n" in label or "\r" in label or len(label) > limits.MAX_LABEL_CHARACTERS:
        raise ValueError(f"label is {quote(label)}; it must be one line of at most "
                         f"{limits.MAX_LABEL_CHARACTERS} characters")
    return label


def _checked_history(history) -> dict:
    if not isinstance(history, dict) or set(history) != set(RUN_COLUMNS):
        raise ValueError(f"history must hold exactly the columns {', '.join(RUN_COLUMNS)}")
    columns = {}
    for name, dtype in RUN_COLUMNS.items():
        column = history[name]
        if not isinstance(column, np.ndarray) or column.dtype != dtype or column.ndim != 1:
            raise ValueError(f"history.{name} must be a 1-D {np.dtype(dtype).name} array")
        column = np.array(column, copy=True)
        column.flags.writeable = False
        columns[name] = column
    lengths = {len(column) for column in columns.values()}
    if len(lengths) != 1:
        raise ValueError("history columns have different lengths")
    rows = lengths.pop()
    if not 1 <= rows <= limits.MAX_PINNED_ROWS:
        raise ValueError(f"history has {rows:,} rows; a pinned run has "
                         f"1..{limits.MAX_PINNED_ROWS:,}")
    epochs = columns["epochs"]
    if epochs[0] < 0 or epochs[-1] > limits.MAX_COUNT or np.any(np.diff(epochs) <= 0):
        raise ValueError(f"history.epochs must increase within 0..{limits.MAX_COUNT:,}")
    return columns


def _checked_thumbnail(thumbnail) -> np.ndarray:
    side = limits.MAX_THUMBNAIL_SIDE
    if (not isinstance(thumbnail, np.ndarray) or thumbnail.dtype != np.uint8
            or thumbnail.ndim != 3 or thumbnail.shape[2] != 3
            or not (1 <= thumbnail.shape[0] <= side and 1 <= thumbnail.shape[1] <= side)):
        shape = getattr(thumbnail, "shape", None)
        raise ValueError(f"thumbnail must be a uint8 RGB image of at most {side}×{side} pixels, "
                         f"not {quote(shape) if shape is not None else type(thumbnail).__name__}")
    frozen = np.array(thumbnail, copy=True)
    frozen.flags.writeable = False
    return frozen


def thinned(columns: dict, most: int = limits.MAX_PINNED_ROWS) -> dict:
    """The rows of ``columns`` evenly spaced down to at most ``most``, first and last kept."""
    rows = len(columns["epochs"])
    if rows <= most:
        return columns
    keep = np.unique(np.linspace(0, rows - 1, most).round().astype(np.int64))
    return {name: np.asarray(column)[keep] for name, column in columns.items()}


def pin_run(playground, label: str, thumbnail: np.ndarray | None = None) -> PinnedRun:
    """The run of ``playground`` (a ``playground.session.Playground``) as it is now; a history
    longer than MAX_PINNED_ROWS is thinned. ValueError when no epoch was trained yet."""
    if len(playground.history) == 0:
        raise ValueError("there is nothing to pin yet: train at least one epoch")
    history = thinned({name: playground.history.column(name) for name in RUN_COLUMNS})
    return PinnedRun(label, playground.config, history, thumbnail)


@dataclass(frozen=True)
class PinnedRuns:
    """Pinned runs in the order they were pinned, each with an id; every method returns a new
    collection. At most MAX_PINNED_RUNS."""

    runs: tuple[PinnedRun, ...] = field(default=())
    last_id: int = 0        # ids are never given twice, so a stale id finds nothing

    def __post_init__(self) -> None:
        if len(self.runs) > limits.MAX_PINNED_RUNS:
            raise ValueError(f"{len(self.runs)} pinned runs; at most {limits.MAX_PINNED_RUNS} "
                             "can be kept")

    def __len__(self) -> int:
        return len(self.runs)

    def __iter__(self):
        return iter(self.runs)

    @property
    def is_full(self) -> bool:
        return len(self.runs) >= limits.MAX_PINNED_RUNS

    @property
    def visible(self) -> tuple[PinnedRun, ...]:
        return tuple(run for run in self.runs if run.visible)

    def get(self, pin_id: int) -> PinnedRun:
        for run in self.runs:
            if run.pin_id == pin_id:
                return run
        raise KeyError(f"no pinned run {pin_id}")

    def add(self, run: PinnedRun) -> "PinnedRuns":
        """The collection with ``run`` added under a new id (ValueError when full)."""
        if self.is_full:
            raise ValueError(f"at most {limits.MAX_PINNED_RUNS} runs can be pinned; remove one "
                             "first")
        new_id = max([self.last_id, *(item.pin_id for item in self.runs)]) + 1
        return PinnedRuns(self.runs + (replace(run, pin_id=new_id),), new_id)

    def remove(self, pin_id: int) -> "PinnedRuns":
        self.get(pin_id)
        return PinnedRuns(tuple(run for run in self.runs if run.pin_id != pin_id), self.last_id)

    def with_visible(self, pin_id: int, visible: bool) -> "PinnedRuns":
        return self._changed(pin_id, visible=visible)

    def toggled(self, pin_id: int) -> "PinnedRuns":
        return self._changed(pin_id, visible=not self.get(pin_id).visible)

    def relabelled(self, pin_id: int, label: str) -> "PinnedRuns":
        return self._changed(pin_id, label=label)

    def next_label(self) -> str:
        """The label a new pin gets unless the user names it: Run 1, Run 2, … (one not taken)."""
        taken = {run.label for run in self.runs}
        number = len(self.runs) + 1
        while f"Run {number}" in taken:
            number += 1
        return f"Run {number}"

    def _changed(self, pin_id: int, **changes) -> "PinnedRuns":
        self.get(pin_id)
        return PinnedRuns(tuple(replace(run, **changes) if run.pin_id == pin_id else run
                                for run in self.runs), self.last_id)


# ------------------------------------------------------------------------- what differs
def describe_difference(this: PlaygroundConfig, other: PlaygroundConfig, most: int = 2) -> str:
    """What differs between two runs' settings, in a few words: "lr 0.3 vs 0.03",
    "optimizer adam vs sgd, layers 4,2 vs 8,8 (+1 more)"; "same settings" when nothing that
    changes a run differs (the speed does not). Seeds are named only when nothing else differs:
    Reset draws a new network seed, so two runs compared for their learning rates almost always
    differ in it too, and "lr 0.3 vs 0.03" says what was changed on purpose."""
    differences, seeds = [], []
    for setting in _COMPARED:
        mine, theirs = (setting.format(setting.value_in(config)) for config in (this, other))
        # one activation name stands for every layer; with no hidden layer there is none
        if mine != theirs and (setting.key != "activation" or (mine and theirs)):
            (seeds if setting.key.endswith("seed") else differences).append(
                f"{setting.key} {_short(mine)} vs {_short(theirs)}")
    differences = differences or seeds
    if not differences:
        return "same settings"
    shown = ", ".join(differences[:most])
    return shown + (f" (+{len(differences) - most} more)" if len(differences) > most else "")


def _short(text: str, characters: int = 24) -> str:
    return text if len(text) <= characters else text[: characters - 1] + "…"


# ------------------------------------------------------------------------- the table
def write_comparison_csv(stream, runs) -> None:
    """The runs side by side as CSV, for a spreadsheet: one row per epoch that any run has, a
    column per run and metric, grouped by metric ("Run 1: test loss", "Run 2: test loss", …)
    so one metric's columns chart together. ``runs`` is a sequence of (label, history) with
    the history's columns by RUN_COLUMNS names. A run without that epoch, a NaN (an empty
    test set) and the accuracy of a regression are empty cells; accuracy columns are left out
    when no run has any. Numbers are exact (Python's repr)."""
    runs = list(runs)
    epochs = np.unique(np.concatenate([np.asarray(history["epochs"], np.int64)
                                       for _, history in runs])) if runs else np.zeros(0, int)
    metrics = [name for name in METRIC_NAMES
               if not name.endswith("accuracy")
               or any(np.any(~np.isnan(history[name])) for _, history in runs)]
    header = ["epoch"] + [_cell_text(f"{label}: {METRIC_NAMES[metric]}")
                          for metric in metrics for label, _ in runs]
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(header)
    for start in range(0, len(epochs), _ROWS_AT_A_TIME):    # memory stays a block of rows
        block = epochs[start: start + _ROWS_AT_A_TIME]
        cells = [_column_at(history, metric, block) for metric in metrics for _, history in runs]
        for row, epoch in enumerate(block.tolist()):
            writer.writerow([epoch] + [_number(column[row]) for column in cells])


def _column_at(history: dict, metric: str, epochs: np.ndarray) -> np.ndarray:
    """The run's ``metric`` at each of ``epochs``; NaN where the run has no such epoch."""
    own = np.asarray(history["epochs"], np.int64)
    if len(own) == 0:
        return np.full(len(epochs), np.nan)
    at = np.minimum(np.searchsorted(own, epochs), len(own) - 1)
    return np.where(own[at] == epochs, np.asarray(history[metric], np.float64)[at], np.nan)


def comparison_csv(runs) -> str:
    """:func:`write_comparison_csv` as a string."""
    text = io.StringIO()
    write_comparison_csv(text, runs)
    return text.getvalue()


def _number(value: float) -> str:
    return "" if math.isnan(value) else repr(float(value))


def _cell_text(text: str) -> str:
    # a spreadsheet runs a cell that starts with one of these as a formula; a label is text
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
