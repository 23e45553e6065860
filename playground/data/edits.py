"""Dataset edits as small data objects, applied by a pure function that returns the inverse.

``apply_edit(dataset, edit) -> (new_dataset, inverse)``: applying ``inverse`` to ``new_dataset``
gives back ``dataset`` exactly (array-equal, same order), so an undo stack only has to keep edits.
Nothing here mutates a Dataset; every edit holds read-only copies of its arrays.

Edits: Append, Insert (the inverse of Delete: points back at their old positions), Delete, Move,
Relabel, Clear, SetClassCount and Batch (several edits as one undo step). Labels are class indices
for classification and values for regression.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

import numpy as np

from playground.data.dataset import Dataset


def _points(values) -> np.ndarray:
    points = np.array(values, dtype=np.float64, copy=True).reshape(-1, 2)
    points.flags.writeable = False
    return points


def _labels(values) -> np.ndarray:
    # Kept as given (int or float); Dataset converts and validates them on apply.
    labels = np.array(values, copy=True).reshape(-1)
    labels.flags.writeable = False
    return labels


def _indices(values) -> np.ndarray:
    indices = np.array(values, copy=True).reshape(-1)
    if indices.size and indices.dtype.kind not in "iu":
        raise ValueError(f"indices must be integers, got dtype {indices.dtype}")
    indices = indices.astype(np.int64)
    if len(np.unique(indices)) != len(indices):
        raise ValueError("indices must not repeat")
    indices.flags.writeable = False
    return indices


def _check_in_range(indices: np.ndarray, n: int) -> None:
    if indices.size and (indices.min() < 0 or indices.max() >= n):
        raise IndexError(f"indices must be in 0..{n - 1}, found {indices.min()}..{indices.max()}")


def _check_lengths(name: str, indices_or_points: np.ndarray, other: np.ndarray) -> None:
    if len(indices_or_points) != len(other):
        raise ValueError(f"{name}: {len(indices_or_points)} positions but {len(other)} values")


@dataclass(frozen=True, eq=False)
class Append:
    """Add points with their labels at the end."""

    points: np.ndarray
    labels: np.ndarray

    def __post_init__(self) -> None:
        object.__setattr__(self, "points", _points(self.points))
        object.__setattr__(self, "labels", _labels(self.labels))
        _check_lengths("Append", self.points, self.labels)

    def apply(self, dataset: Dataset) -> tuple[Dataset, "Edit"]:
        new = dataset.with_points(np.vstack((dataset.X, self.points)),
                                  np.concatenate((dataset.y, self.labels.astype(dataset.y.dtype))))
        if not np.array_equal(new.y[dataset.n:], self.labels):
            raise ValueError("labels do not fit the dataset kind")
        return new, Delete(np.arange(dataset.n, new.n))


@dataclass(frozen=True, eq=False)
class Insert:
    """Put points so that they end up at ``indices`` (increasing) of the result."""

    indices: np.ndarray
    points: np.ndarray
    labels: np.ndarray

    def __post_init__(self) -> None:
        object.__setattr__(self, "indices", _indices(self.indices))
        object.__setattr__(self, "points", _points(self.points))
        object.__setattr__(self, "labels", _labels(self.labels))
        _check_lengths("Insert", self.indices, self.points)
        _check_lengths("Insert", self.indices, self.labels)
        if np.any(np.diff(self.indices) <= 0):
            raise ValueError("Insert indices must be increasing")

    def apply(self, dataset: Dataset) -> tuple[Dataset, "Edit"]:
        n_new = dataset.n + len(self.indices)
        _check_in_range(self.indices, n_new)
        kept = np.ones(n_new, dtype=bool)
        kept[self.indices] = False
        X = np.empty((n_new, 2))
        y = np.empty(n_new, dtype=dataset.y.dtype)
        X[kept], y[kept] = dataset.X, dataset.y
        X[self.indices], y[self.indices] = self.points, self.labels
        if not np.array_equal(y[self.indices], self.labels):
            raise ValueError("labels do not fit the dataset kind")
        return dataset.with_points(X, y), Delete(self.indices)


@dataclass(frozen=True, eq=False)
class Delete:
    """Remove the points at ``indices`` (any order, no repeats)."""

    indices: np.ndarray

    def __post_init__(self) -> None:
        object.__setattr__(self, "indices", _indices(self.indices))

    def apply(self, dataset: Dataset) -> tuple[Dataset, "Edit"]:
        _check_in_range(self.indices, dataset.n)
        removed = np.sort(self.indices)
        kept = np.ones(dataset.n, dtype=bool)
        kept[removed] = False
        new = dataset.with_points(dataset.X[kept], dataset.y[kept])
        return new, Insert(removed, dataset.X[removed], dataset.y[removed])


@dataclass(frozen=True, eq=False)
class Move:
    """Give the points at ``indices`` new coordinates."""

    indices: np.ndarray
    points: np.ndarray

    def __post_init__(self) -> None:
        object.__setattr__(self, "indices", _indices(self.indices))
        object.__setattr__(self, "points", _points(self.points))
        _check_lengths("Move", self.indices, self.points)

    def apply(self, dataset: Dataset) -> tuple[Dataset, "Edit"]:
        _check_in_range(self.indices, dataset.n)
        X = dataset.X.copy()
        X[self.indices] = self.points
        return dataset.with_points(X, dataset.y), Move(self.indices, dataset.X[self.indices])


@dataclass(frozen=True, eq=False)
class Relabel:
    """Give the points at ``indices`` new labels (classes or values)."""

    indices: np.ndarray
    labels: np.ndarray

    def __post_init__(self) -> None:
        object.__setattr__(self, "indices", _indices(self.indices))
        object.__setattr__(self, "labels", _labels(self.labels))
        _check_lengths("Relabel", self.indices, self.labels)

    def apply(self, dataset: Dataset) -> tuple[Dataset, "Edit"]:
        _check_in_range(self.indices, dataset.n)
        y = dataset.y.copy()
        y[self.indices] = self.labels
        if not np.array_equal(y[self.indices], self.labels):
            raise ValueError("labels do not fit the dataset kind")
        return dataset.with_points(dataset.X, y), Relabel(self.indices, dataset.y[self.indices])


@dataclass(frozen=True, eq=False)
class Clear:
    """Remove every point (undone by an Insert of all of them)."""

    def apply(self, dataset: Dataset) -> tuple[Dataset, "Edit"]:
        return Delete(np.arange(dataset.n)).apply(dataset)


@dataclass(frozen=True, eq=False)
class SetClassCount:
    """Change how many classes a classification dataset has (labels must still fit)."""

    n_classes: int

    def apply(self, dataset: Dataset) -> tuple[Dataset, "Edit"]:
        return dataset.with_n_classes(self.n_classes), SetClassCount(dataset.n_classes)


@dataclass(frozen=True, eq=False)
class Batch:
    """Several edits applied in order as one step; its inverse undoes them in reverse order."""

    edits: tuple = field(default_factory=tuple)

    def __post_init__(self) -> None:
        object.__setattr__(self, "edits", tuple(self.edits))

    def apply(self, dataset: Dataset) -> tuple[Dataset, "Edit"]:
        inverses = []
        for edit in self.edits:
            dataset, inverse = edit.apply(dataset)
            inverses.append(inverse)
        return dataset, Batch(tuple(reversed(inverses)))


Edit = Union[Append, Insert, Delete, Move, Relabel, Clear, SetClassCount, Batch]
EDIT_TYPES = (Append, Insert, Delete, Move, Relabel, Clear, SetClassCount, Batch)


def apply_edit(dataset: Dataset, edit: Edit) -> tuple[Dataset, Edit]:
    """Apply ``edit`` to ``dataset``; return the new dataset and the edit that undoes it.

    Raises ValueError/IndexError (and leaves nothing changed) when the edit does not fit.
    """
    if not isinstance(edit, EDIT_TYPES):
        raise TypeError(f"not a dataset edit: {edit!r}")
    return edit.apply(dataset)


def indices_near(dataset: Dataset, centre, radius: float) -> np.ndarray:
    """Indices (increasing) of the points within ``radius`` of ``centre``: what an eraser hits."""
    offsets = dataset.X - np.asarray(centre, dtype=np.float64).reshape(1, 2)
    return np.flatnonzero(np.einsum("ij,ij->i", offsets, offsets) <= float(radius) ** 2)


def merge_edits(first: Edit, second: Edit) -> Edit:
    """One edit doing ``first`` then ``second``: how a brush stroke becomes one undo step.

    Two Appends become one Append (their inverse is then a single Delete); anything else becomes
    a flat Batch.
    """
    if isinstance(first, Append) and isinstance(second, Append):
        return Append(np.vstack((first.points, second.points)),
                      np.concatenate((first.labels, second.labels)))
    parts = []
    for edit in (first, second):
        parts.extend(edit.edits if isinstance(edit, Batch) else (edit,))
    return Batch(tuple(parts))
