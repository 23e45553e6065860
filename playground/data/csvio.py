"""CSV import and export of points: a header ``x1,x2,label`` and one point per line.

Reading is all or nothing: the whole file is checked first and a Dataset is built only when every
line is valid, so a bad file never leaves half its points behind. Errors name the line.
"""
from __future__ import annotations

import math
import os
from typing import Iterable

import numpy as np

from playground.config import CLASSIFICATION, PROBLEM_TYPES, REGRESSION
from playground.data.dataset import MAX_CLASSES, MIN_CLASSES, Dataset

HEADER = ("x1", "x2", "label")


class CsvError(ValueError):
    """A malformed CSV file; ``line`` is the 1-based line number (None if not line-specific)."""

    def __init__(self, line: int | None, problem: str) -> None:
        self.line = line
        self.problem = problem
        super().__init__(f"line {line}: {problem}" if line is not None else problem)


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
    with open(path, "rb") as handle:
        raw = handle.read()
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
    lines = text.splitlines()
    numbered = [(number, line) for number, line in enumerate(lines, start=1) if line.strip()]
    if not numbered:
        raise CsvError(1, f"empty file; expected the header {','.join(HEADER)}")
    header_number, header_line = numbered[0]
    header = tuple(cell.strip().lower() for cell in header_line.split(","))
    if header != HEADER:
        raise CsvError(header_number,
                       f"bad header {header_line.strip()!r}; expected {','.join(HEADER)}")
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
            raise CsvError(number, f"{column} is not a number: {cell!r}") from None
        if not math.isfinite(value):
            raise CsvError(number, f"{column} is not finite: {cell!r}")
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
