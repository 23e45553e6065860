"""Points from a CSV file for the open playground (File ▸ Import data…, a dropped .csv).

The file is read and checked whole before anything is sent (at most ~4.9 MB and 20,000 rows:
a fraction of a second), so a bad file changes nothing; FileActions then hands the points, and
the file's split if it has one, to the worker in one command. Like painting, importing keeps the
network, its weights and its history while the kind of problem and the number of classes stay
the same; otherwise the network is rebuilt for the new output. The columns are described in
``playground.data.csvio`` and docs/FILE_FORMAT.md.
"""
from __future__ import annotations

from pathlib import Path

from playground.config import REGRESSION, DataSpec
from playground.data import CsvError, CsvPoints, Dataset, read_csv_points

CSV_SUFFIX = ".csv"
CSV_FILTER = "Points as CSV (*.csv);;All files (*)"


def read_points_file(path: str) -> tuple[CsvPoints | None, str]:
    """(the file's points, "") or (None, what is wrong with it, naming line and column)."""
    try:
        return read_csv_points(path), ""
    except CsvError as error:
        return None, str(error)
    except OSError as error:
        return None, f"it cannot be read: {error.strerror or error}"


def keeps_network(dataset: Dataset, current: DataSpec) -> bool:
    """Whether the network in force fits ``dataset`` (the same output layer), so that training
    goes on with its weights as after painting."""
    if dataset.kind != current.problem:
        return False
    return dataset.kind == REGRESSION or dataset.n_classes == current.classes


def import_summary(points: CsvPoints, name: str, current: DataSpec) -> str:
    """What importing ``points`` from the file ``name`` does, for the status bar (short: the
    status bar clips what does not fit)."""
    dataset = points.dataset
    kind = "values" if dataset.kind == REGRESSION else f"{dataset.n_classes} classes"
    if points.split is None:
        split = "split by the training share"
    else:
        split = f"the file's split ({len(points.split[0])} train, {len(points.split[1])} test)"
    network = ("training goes on" if keeps_network(dataset, current)
               else "a new network for this output")
    return f"Imported {dataset.n} points from {name}: {kind}, {split}; {network}"


def is_points_file(path: str) -> bool:
    return Path(path).suffix.lower() == CSV_SUFFIX
