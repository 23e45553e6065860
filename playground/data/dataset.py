"""The Dataset value object and the train/test split.

A Dataset is immutable: its arrays are private read-only copies, so a snapshot, an undo step or a
worker can hold one without anybody changing it underneath them. Every change (generating,
painting, importing) makes a new Dataset.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.config import CLASSIFICATION, PROBLEM_TYPES, REGRESSION
from playground.limits import MAX_CLASSES, MIN_CLASSES  # class labels are 0 .. MAX_CLASSES - 1


def _frozen_copy(values: np.ndarray) -> np.ndarray:
    # Always copy: a read-only *view* could still change through a writable base array.
    frozen = np.array(values, copy=True)
    frozen.flags.writeable = False
    return frozen


@dataclass(frozen=True, eq=False)
class Dataset:
    """Points X (n, 2) float64 with labels y (n,): int64 class indices or float64 values.

    ``kind`` is "classification" or "regression"; ``n_classes`` is the number of classes a
    classifier must output (2..6), 0 for regression. Classes may be empty (a painted canvas).
    Two datasets compare equal when kind, class count and arrays (including dtype) are equal.
    """

    X: np.ndarray
    y: np.ndarray
    kind: str
    n_classes: int

    def __post_init__(self) -> None:
        if self.kind not in PROBLEM_TYPES:
            raise ValueError(f"kind must be one of {PROBLEM_TYPES}, not {self.kind!r}")
        X = np.asarray(self.X, dtype=np.float64)
        if X.size == 0:
            X = X.reshape(0, 2)
        if X.ndim != 2 or X.shape[1] != 2:
            raise ValueError(f"X must have shape (n, 2), got {X.shape}")
        if not np.all(np.isfinite(X)):
            raise ValueError("X must hold finite numbers only")
        y = np.asarray(self.y)
        if y.shape != (X.shape[0],):
            raise ValueError(f"y must have shape ({X.shape[0]},), got {y.shape}")
        if self.kind == REGRESSION:
            y = self._checked_values(y)
            if self.n_classes != 0:
                raise ValueError(f"a regression dataset has n_classes 0, not {self.n_classes}")
        else:
            y = self._checked_classes(y, self.n_classes)
        object.__setattr__(self, "X", _frozen_copy(X))
        object.__setattr__(self, "y", _frozen_copy(y))
        object.__setattr__(self, "n_classes", int(self.n_classes))

    @staticmethod
    def _checked_values(y: np.ndarray) -> np.ndarray:
        if y.dtype.kind not in "biuf":
            raise ValueError(f"regression values must be numbers, got dtype {y.dtype}")
        y = y.astype(np.float64)
        if not np.all(np.isfinite(y)):
            raise ValueError("regression values must be finite")
        return y

    @staticmethod
    def _checked_classes(y: np.ndarray, n_classes: int) -> np.ndarray:
        if isinstance(n_classes, bool) or not isinstance(n_classes, (int, np.integer)):
            raise ValueError(f"n_classes must be an integer, not {n_classes!r}")
        if not MIN_CLASSES <= n_classes <= MAX_CLASSES:
            raise ValueError(
                f"n_classes must be in {MIN_CLASSES}..{MAX_CLASSES} for classification, "
                f"not {n_classes}")
        if y.dtype.kind == "f":
            if not np.all(np.isfinite(y)) or np.any(y != np.round(y)):
                raise ValueError("class labels must be whole numbers")
        elif y.dtype.kind not in "biu":
            raise ValueError(f"class labels must be integers, got dtype {y.dtype}")
        y = y.astype(np.int64)
        if y.size and (y.min() < 0 or y.max() >= n_classes):
            raise ValueError(
                f"class labels must be in 0..{n_classes - 1}, found {y.min()}..{y.max()}")
        return y

    # -- constructors -----------------------------------------------------------------------
    @classmethod
    def empty(cls, kind: str = CLASSIFICATION, n_classes: int | None = None) -> "Dataset":
        """An empty canvas to paint on (n_classes defaults to 2, or 0 for regression)."""
        if n_classes is None:
            n_classes = 0 if kind == REGRESSION else MIN_CLASSES
        dtype = np.float64 if kind == REGRESSION else np.int64
        return cls(np.empty((0, 2)), np.empty(0, dtype=dtype), kind, n_classes)

    def with_points(self, X: np.ndarray, y: np.ndarray) -> "Dataset":
        """Same kind and class count, other points."""
        return Dataset(X, y, self.kind, self.n_classes)

    def with_n_classes(self, n_classes: int) -> "Dataset":
        """Same points, another class count (ValueError when a label would not fit)."""
        return Dataset(self.X, self.y, self.kind, n_classes)

    def subset(self, indices: np.ndarray) -> "Dataset":
        """The points at ``indices`` (in that order), e.g. a train or test part."""
        indices = np.asarray(indices, dtype=np.int64)
        return self.with_points(self.X[indices], self.y[indices])

    # -- queries -------------------------------------------------------------------------------
    @property
    def n(self) -> int:
        return int(self.X.shape[0])

    def __len__(self) -> int:
        return self.n

    @property
    def is_classification(self) -> bool:
        return self.kind == CLASSIFICATION

    def class_counts(self) -> np.ndarray:
        """Points per class (length n_classes); ValueError for regression."""
        if not self.is_classification:
            raise ValueError("class_counts needs a classification dataset")
        return np.bincount(self.y, minlength=self.n_classes)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Dataset):
            return NotImplemented
        return (self.kind == other.kind and self.n_classes == other.n_classes
                and self.y.dtype == other.y.dtype
                and np.array_equal(self.X, other.X) and np.array_equal(self.y, other.y))

    __hash__ = None  # mutable-looking arrays inside: compare, don't hash

    def __repr__(self) -> str:
        return f"Dataset(kind={self.kind!r}, n={self.n}, n_classes={self.n_classes})"


def split(dataset: Dataset, train_ratio: float, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Sorted (train_idx, test_idx) int64 arrays partitioning the dataset's points.

    Classification is stratified: each class is split by the ratio on its own, so both parts see
    every class in proportion. When ``train_ratio < 1`` and there are at least two points, both
    parts are non-empty; ``train_ratio == 1`` puts everything in the training part.
    """
    ratio = float(train_ratio)
    if not 0.0 < ratio <= 1.0:
        raise ValueError(f"train_ratio must be in (0, 1], got {train_ratio!r}")
    rng = np.random.default_rng(seed)
    if dataset.is_classification:
        groups = [np.flatnonzero(dataset.y == c) for c in range(dataset.n_classes)]
    else:
        groups = [np.arange(dataset.n)]
    train_parts, test_parts = [], []
    for group in groups:
        shuffled = rng.permutation(group)
        n_train = int(np.floor(ratio * len(group) + 0.5))
        train_parts.append(shuffled[:n_train])
        test_parts.append(shuffled[n_train:])
    _keep_both_nonempty(train_parts, test_parts, want_test=ratio < 1.0)
    train = np.sort(np.concatenate(train_parts)).astype(np.int64)
    test = np.sort(np.concatenate(test_parts)).astype(np.int64)
    return train, test


def _keep_both_nonempty(train_parts: list, test_parts: list, want_test: bool) -> None:
    # Rounding per class can leave one side empty on tiny datasets; move one point across,
    # taken from the group that has the most to spare.
    n_total = sum(len(p) for p in train_parts) + sum(len(p) for p in test_parts)
    if n_total >= 2 and want_test and sum(len(p) for p in test_parts) == 0:
        g = int(np.argmax([len(p) for p in train_parts]))
        test_parts[g] = train_parts[g][-1:]
        train_parts[g] = train_parts[g][:-1]
    if n_total >= 1 and sum(len(p) for p in train_parts) == 0:
        g = int(np.argmax([len(p) for p in test_parts]))
        train_parts[g] = test_parts[g][:1]
        test_parts[g] = test_parts[g][1:]
