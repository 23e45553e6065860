"""CSV import and export of points: a header naming the columns, then one point per line.

The columns, in any order (names are case-insensitive):

* ``x1`` and ``x2``: the point's coordinates;
* the label, under one of three names that also say what kind of problem the file holds:
  ``class`` (classification: whole numbers 0..5), ``value`` (regression: any number) or
  ``label`` (decided by the content: classification when every label is a whole number 0..5,
  regression otherwise);
* optionally ``split``: ``train`` or ``test`` on every line, the point's part. Without it the
  points are split by the playground's ratio and seed.

The writer names the label ``class`` or ``value``, so the kind survives a round trip (a
regression whose values happen to be 0 and 1 stays a regression), and writes the split when it
is given one.

Reading is all or nothing: the whole file is checked first and a dataset is built only when every
line is valid, so a bad file never leaves half its points behind. Errors name the line (lines
end at a line feed, a carriage return or both; no other character ends one) and, for a cell, its
column (1-based, as an editor or a spreadsheet counts, with its name), and quote at most an
excerpt of what is wrong. A file is read only if it is a regular file of at most MAX_CSV_BYTES
with at most MAX_POINTS points, each within ±COORDINATE_LIMIT (playground.limits).
"""
from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass

import numpy as np

from playground.config import CLASSIFICATION, PROBLEM_TYPES, REGRESSION
from playground.data.dataset import MAX_CLASSES, MIN_CLASSES, Dataset
from playground.files import NotARegularFile, open_regular_file
from playground.limits import COORDINATE_LIMIT, MAX_POINTS
from playground.messages import quote, shorten

COORDINATES = ("x1", "x2")
# the label column's name -> the kind it forces (None: decided by the labels themselves)
LABEL_COLUMNS = {"label": None, "class": CLASSIFICATION, "value": REGRESSION}
SPLIT_COLUMN = "split"
TRAIN, TEST = "train", "test"
HEADER = ("x1", "x2", "label")       # the smallest header a hand-written file needs
EXPECTED = "x1,x2,label (or class, or value) and optionally split"
# room for MAX_POINTS rows of full-precision numbers with spaces around them and a split cell
MAX_CSV_BYTES = 256 * (MAX_POINTS + 1)
_LINE_END = re.compile(r"\r\n|\r|\n")


class CsvError(ValueError):
    """A malformed CSV file: ``line`` is the 1-based line number and ``column`` the 1-based
    column number, ``column_name`` its name in the header (each None when the problem is not
    in one line or one cell)."""

    def __init__(self, line: int | None, problem: str, column: int | None = None,
                 column_name: str | None = None) -> None:
        self.line = line
        self.column = column
        self.column_name = column_name
        self.problem = problem
        where = [] if line is None else [f"line {line}"]
        if column is not None:
            where.append(f"column {column}" + (f" ({column_name})" if column_name else ""))
        super().__init__(shorten(f"{', '.join(where)}: {problem}" if where else problem))


@dataclass(frozen=True, eq=False)
class CsvPoints:
    """What a CSV file holds: the points, and their split when the file has a split column
    (sorted train and test row indices, as ``playground.data.split`` gives them)."""

    dataset: Dataset
    split: tuple[np.ndarray, np.ndarray] | None = None


def write_csv(path: str | os.PathLike, dataset: Dataset,
              split: tuple[np.ndarray, np.ndarray] | None = None) -> None:
    """Write the points (and, with ``split`` = (train indices, test indices), each point's
    part); values use Python's shortest exact float repr, so reading is lossless."""
    if dataset.is_classification:
        label_column, labels = "class", [str(int(c)) for c in dataset.y]
    else:
        label_column, labels = "value", [repr(float(v)) for v in dataset.y]
    header = [*COORDINATES, label_column]
    rows = [f"{float(x1)!r},{float(x2)!r},{label}"
            for (x1, x2), label in zip(dataset.X.tolist(), labels)]
    if split is not None:
        header.append(SPLIT_COLUMN)
        parts = np.full(dataset.n, TEST, dtype=object)
        parts[np.asarray(split[0], dtype=np.int64)] = TRAIN
        rows = [f"{row},{part}" for row, part in zip(rows, parts)]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(header) + "\n")
        handle.writelines(row + "\n" for row in rows)


def read_csv(path: str | os.PathLike, kind: str | None = None) -> Dataset:
    """The points of a CSV file as a new Dataset (a split column is checked, then left out);
    see :func:`read_csv_points`."""
    return read_csv_points(path, kind).dataset


def read_csv_points(path: str | os.PathLike, kind: str | None = None) -> CsvPoints:
    """Read a CSV written by :func:`write_csv` (or by hand): its points and split.

    ``kind`` decides the problem of a ``label`` column instead of its content (a ``class`` or
    ``value`` column of another kind is an error). Raises CsvError (a ValueError) naming the
    first bad line and cell; OSError when the file cannot be opened.
    """
    try:
        with open_regular_file(path) as handle:
            raw = handle.read(MAX_CSV_BYTES + 1)
    except NotARegularFile as error:
        raise CsvError(None, str(error)) from None
    if len(raw) > MAX_CSV_BYTES:
        raise CsvError(None, f"the file is larger than {MAX_CSV_BYTES / 2**20:.1f} MB; a dataset "
                             f"has at most {MAX_POINTS:,} points")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        raise CsvError(line, "not UTF-8 text") from None
    return parse_csv_points(text, kind)


def parse_csv(text: str, kind: str | None = None) -> Dataset:
    """The points of CSV text (see :func:`read_csv_points`)."""
    return parse_csv_points(text, kind).dataset


def parse_csv_points(text: str, kind: str | None = None) -> CsvPoints:
    """Points and split of CSV text (see :func:`read_csv_points`)."""
    if kind is not None and kind not in PROBLEM_TYPES:
        raise ValueError(f"kind must be None or one of {PROBLEM_TYPES}, not {kind!r}")
    lines = _LINE_END.split(text)
    numbered = [(number, line) for number, line in enumerate(lines, start=1) if line.strip()]
    if len(numbered) - 1 > MAX_POINTS:
        raise CsvError(None, f"the file has {len(numbered) - 1:,} rows; a dataset has at most "
                             f"{MAX_POINTS:,} points")
    if not numbered:
        raise CsvError(1, f"empty file; expected the header {EXPECTED}")
    columns = _Columns(*numbered[0])
    kind = columns.kind(kind)
    rows = [columns.row(number, line) for number, line in numbered[1:]]
    X = np.array([row[:2] for row in rows], dtype=np.float64).reshape(-1, 2)
    labels = [row[2] for row in rows]
    if kind is None:
        kind = CLASSIFICATION if all(_is_class(label) for label in labels) else REGRESSION
    if kind == REGRESSION:
        dataset = Dataset(X, np.array(labels, dtype=np.float64), REGRESSION, 0)
    else:
        for (number, _), label in zip(numbered[1:], labels):
            columns.check_class(number, label)
        y = np.array(labels, dtype=np.int64)
        dataset = Dataset(X, y, CLASSIFICATION, max(MIN_CLASSES, int(y.max()) + 1 if y.size else 0))
    if columns.split is None:
        return CsvPoints(dataset)
    in_training = np.array([row[3] == TRAIN for row in rows], dtype=bool)
    if len(rows) and not in_training.any():
        raise CsvError(None, f"no point is marked {TRAIN}: at least one training point is "
                             "needed", columns.split + 1, SPLIT_COLUMN)
    return CsvPoints(dataset, (np.flatnonzero(in_training).astype(np.int64),
                               np.flatnonzero(~in_training).astype(np.int64)))


class _Columns:
    """Where each column is, read from the header line; reads the rows below it."""

    def __init__(self, number: int, line: str) -> None:
        self.header_line = number
        self.names = [_cell(cell).lower() for cell in line.split(",")]
        positions: dict[str, int] = {}
        for index, name in enumerate(self.names):
            known = name in COORDINATES or name in LABEL_COLUMNS or name == SPLIT_COLUMN
            if not known:
                raise CsvError(number, self._unknown(name, line), index + 1)
            if name in positions:
                raise CsvError(number, f"{quote(name)} appears twice", index + 1)
            if name in LABEL_COLUMNS and positions.keys() & LABEL_COLUMNS.keys():
                raise CsvError(number, f"a second label column {quote(name)}; a file has one "
                                       f"of {', '.join(LABEL_COLUMNS)}", index + 1)
            positions[name] = index
        for name in COORDINATES:
            if name not in positions:
                raise CsvError(number, f"no {name} column; expected the header {EXPECTED}")
        labels = [name for name in positions if name in LABEL_COLUMNS]
        if not labels:
            raise CsvError(number, f"no label column; expected the header {EXPECTED}")
        self.label = labels[0]
        self.order = [positions["x1"], positions["x2"], positions[self.label]]
        self.split = positions.get(SPLIT_COLUMN)

    def _unknown(self, name: str, line: str) -> str:
        if len(self.names) == 1 and (";" in line or "\t" in line):
            return (f"the header {quote(line.strip())} is not separated by commas; expected "
                    f"{EXPECTED}")
        if _is_number(name):
            return (f"the first line must name the columns ({EXPECTED}); found "
                    f"{quote(line.strip())}")
        return f"unknown column {quote(name)}; expected {EXPECTED}"

    def kind(self, asked: str | None) -> str | None:
        """The kind of problem: the label column's, else ``asked`` (None: by the labels)."""
        forced = LABEL_COLUMNS[self.label]
        if forced is not None and asked is not None and asked != forced:
            raise CsvError(self.header_line, f"the {self.label} column holds {forced} labels, "
                                             f"not {asked}", self.order[2] + 1, self.label)
        return forced or asked

    def row(self, number: int, line: str) -> tuple:
        """(x1, x2, label, part) of one line; part is None without a split column."""
        cells = line.split(",")
        if len(cells) != len(self.names):
            raise CsvError(number, f"expected {len(self.names)} columns "
                                   f"({','.join(self.names)}), found {len(cells)}")
        values = [self._number(number, cells, index) for index in self.order]
        part = None
        if self.split is not None:
            part = _cell(cells[self.split]).lower()
            if part not in (TRAIN, TEST):
                raise CsvError(number, f"{quote(_cell(cells[self.split]))} is neither {TRAIN} "
                                       f"nor {TEST}", self.split + 1, SPLIT_COLUMN)
        return values[0], values[1], values[2], part

    def _number(self, number: int, cells: list[str], index: int) -> float:
        cell, name = _cell(cells[index]), self.names[index]
        try:
            value = float(cell)
        except ValueError:
            raise CsvError(number, f"not a number: {quote(cell)}", index + 1, name) from None
        if not math.isfinite(value):
            raise CsvError(number, f"not finite: {quote(cell)}", index + 1, name)
        if abs(value) > COORDINATE_LIMIT:
            raise CsvError(number, f"{value:g} is too far out; values must lie within "
                                   f"±{COORDINATE_LIMIT:g}", index + 1, name)
        return value

    def check_class(self, number: int, label: float) -> None:
        """CsvError at the label's cell unless ``label`` is a class index."""
        column = self.order[2] + 1
        if label < 0:
            raise CsvError(number, f"class label is negative: {label:g}", column, self.label)
        if not label.is_integer():
            raise CsvError(number, f"class label is not a whole number: {label:g}", column,
                           self.label)
        if label >= MAX_CLASSES:
            raise CsvError(number, f"class label {label:g} is above the largest class "
                                   f"{MAX_CLASSES - 1}", column, self.label)


def _cell(text: str) -> str:
    """A cell without the spaces around it and without the double quotes a spreadsheet may put
    around it."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1].strip()
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _is_class(label: float) -> bool:
    return label.is_integer() and 0 <= label < MAX_CLASSES
