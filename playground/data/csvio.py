"""CSV import and export of points: a header ``x1,x2,label`` and one point per line.

Reading is all or nothing: the whole file is checked first and a Dataset is built only when every
line is valid, so a bad file never leaves half its points behind. Errors name the line (lines
end at a line feed, a carriage return or both; no other character ends one) and quote at most
an excerpt of what is wrong. A file is read only if it is a regular file of at most
MAX_CSV_BYTES with at most MAX_POINTS points, each within ±COORDINATE_LIMIT (playground.limits).
"""
from __future__ import annotations

import math
import os
import re
from typing import Iterable

import numpy as np

from playground.config import CLASSIFICATION, PROBLEM_TYPES, REGRESSION
from playground.data.dataset import MAX_CLASSES, MIN_CLASSES, Dataset
from playground.files import NotARegularFile, open_regular_file
from playground.limits import COORDINATE_LIMIT, MAX_POINTS
from playground.messages import quote, shorten

HEADER = ("x1", "x2", "label")
# room for MAX_POINTS rows of full-precision numbers with spaces around them
MAX_CSV_BYTES = 256 * (MAX_POINTS + 1)
_LINE_END = re.compile(r"\r\n|\r|\n")


class CsvError(ValueError):
    """A malformed CSV file; ``line`` is the 1-based line number (None if not line-specific)."""

    def __init__(self, line: int | None, problem: str) -> None:
        self.line = line
        self.problem = problem
        super().__init__(shorten(f"line {line}: {problem}" if line is not None else problem))


def write_csv(path: str | os.PathLike, dataset: Dataset) -> None:
    """Write the points; values use Python's shortest exact float repr, so reading is lossless."""
    if dataset.is_classification:
        labels: Iterable[str] = (str(int(c)) for c in dataset.y)
    else:
        labels = (repr(float(v)) for v in dataset.y)
    rows = (f"{float(x1)!r},{float(x2)!r},{label}\n"
            for (x1, x2), label in zip(dataset.X.tolist(), labels))
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(HEADER) + "\n")
        handle.writelines(rows)


def read_csv(path: str | os.PathLike, kind: str | None = None) -> Dataset:
    """Read a CSV written by :func:`write_csv` (or by hand) into a new Dataset.

    Without ``kind`` the file is classification when every label is a whole number 0..5, else
    regression. Raises CsvError (a ValueError) naming the first bad line.
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
    return parse_csv(text, kind)


def parse_csv(text: str, kind: str | None = None) -> Dataset:
    """Parse CSV text (see :func:`read_csv`)."""
    if kind is not None and kind not in PROBLEM_TYPES:
        raise ValueError(f"kind must be None or one of {PROBLEM_TYPES}, not {kind!r}")
    lines = _LINE_END.split(text)
    numbered = [(number, line) for number, line in enumerate(lines, start=1) if line.strip()]
    if len(numbered) - 1 > MAX_POINTS:
        raise CsvError(None, f"the file has {len(numbered) - 1:,} rows; a dataset has at most "
                             f"{MAX_POINTS:,} points")
    if not numbered:
        raise CsvError(1, f"empty file; expected the header {','.join(HEADER)}")
    header_number, header_line = numbered[0]
    header = tuple(cell.strip().lower() for cell in header_line.split(","))
    if header != HEADER:
        raise CsvError(header_number,
                       f"bad header {quote(header_line.strip())}; expected {','.join(HEADER)}")
    rows = [(number, _parse_row(number, line)) for number, line in numbered[1:]]
    if kind is None:
        kind = CLASSIFICATION if all(_is_class(row[2]) for _, row in rows) else REGRESSION
    X = np.array([row[:2] for _, row in rows], dtype=np.float64).reshape(-1, 2)
    if kind == REGRESSION:
        y = np.array([row[2] for _, row in rows], dtype=np.float64)
        return Dataset(X, y, REGRESSION, 0)
    for number, row in rows:
        _check_class(number, row[2])
    y = np.array([row[2] for _, row in rows], dtype=np.int64)
    n_classes = max(MIN_CLASSES, int(y.max()) + 1 if y.size else 0)
    return Dataset(X, y, CLASSIFICATION, n_classes)


def _parse_row(number: int, line: str) -> tuple[float, float, float]:
    cells = line.split(",")
    if len(cells) != len(HEADER):
        raise CsvError(number, f"expected {len(HEADER)} columns ({','.join(HEADER)}), "
                               f"found {len(cells)}")
    values = []
    for column, cell in zip(HEADER, cells):
        cell = cell.strip()
        try:
            value = float(cell)
        except ValueError:
            raise CsvError(number, f"{column} is not a number: {quote(cell)}") from None
        if not math.isfinite(value):
            raise CsvError(number, f"{column} is not finite: {quote(cell)}")
        if abs(value) > COORDINATE_LIMIT:
            raise CsvError(number, f"{column} is {value:g}; values must lie within "
                                   f"±{COORDINATE_LIMIT:g}")
        values.append(value)
    return values[0], values[1], values[2]


def _is_class(label: float) -> bool:
    return label.is_integer() and 0 <= label < MAX_CLASSES


def _check_class(number: int, label: float) -> None:
    if label < 0:
        raise CsvError(number, f"class label is negative: {label:g}")
    if not label.is_integer():
        raise CsvError(number, f"class label is not a whole number: {label:g}")
    if label >= MAX_CLASSES:
        raise CsvError(number, f"class label {label:g} is above the largest class "
                               f"{MAX_CLASSES - 1}")
