"""Dataset validation and helpers, the train/test split, features and targets."""
import numpy as np
import pytest

from playground.config import CLASSIFICATION, REGRESSION
from playground.data import (
    FEATURE_NAMES, FEATURES, Dataset, class_targets, feature_label, feature_matrix, make_dataset,
    one_hot, predicted_classes, split, targets,
)


# -- Dataset --------------------------------------------------------------------------------------
def test_dataset_copies_its_inputs_and_freezes_them():
    X = np.array([[0.0, 1.0], [2.0, 3.0]])
    y = np.array([0, 1])
    ds = Dataset(X, y, CLASSIFICATION, 2)
    X[0, 0] = 99.0
    y[0] = 1
    assert ds.X[0, 0] == 0.0 and ds.y[0] == 0
    assert not ds.X.flags.writeable and not ds.y.flags.writeable
    with pytest.raises(AttributeError):
        ds.kind = REGRESSION


def test_empty_canvas():
    canvas = Dataset.empty(CLASSIFICATION, 3)
    assert canvas.X.shape == (0, 2) and canvas.y.shape == (0,) and canvas.y.dtype == np.int64
    assert canvas.n_classes == 3 and list(canvas.class_counts()) == [0, 0, 0]
    blank = Dataset.empty(REGRESSION)
    assert blank.n_classes == 0 and blank.y.dtype == np.float64 and len(blank) == 0


@pytest.mark.parametrize("X, y, kind, n_classes, message", [
    (np.zeros((2, 3)), [0, 1], CLASSIFICATION, 2, r"shape \(n, 2\)"),
    (np.zeros((2, 2)), [0, 1, 1], CLASSIFICATION, 2, r"y must have shape \(2,\)"),
    ([[0, np.nan]], [0], CLASSIFICATION, 2, "finite"),
    ([[0, 0]], [2], CLASSIFICATION, 2, r"0\.\.1"),
    ([[0, 0]], [-1], CLASSIFICATION, 2, r"0\.\.1"),
    ([[0, 0]], [0.5], CLASSIFICATION, 2, "whole numbers"),
    ([[0, 0]], [0], CLASSIFICATION, 7, r"2\.\.6"),
    ([[0, 0]], [0], CLASSIFICATION, 1, r"2\.\.6"),
    ([[0, 0]], [0.5], REGRESSION, 2, "n_classes 0"),
    ([[0, 0]], [np.inf], REGRESSION, 0, "finite"),
    ([[0, 0]], [0], "clustering", 0, "kind must be one of"),
])
def test_invalid_datasets_are_refused(X, y, kind, n_classes, message):
    with pytest.raises(ValueError, match=message):
        Dataset(np.asarray(X, dtype=float), np.asarray(y), kind, n_classes)


def test_equality_compares_arrays_kind_and_classes():
    a = make_dataset("xor", n=50)
    assert a == a.with_points(a.X.copy(), a.y.copy())
    assert a != a.with_n_classes(3)
    moved = a.X.copy()
    moved[0, 0] += 1e-12
    assert a != a.with_points(moved, a.y)


def test_subset_keeps_kind_and_classes():
    ds = make_dataset("blobs", n=60, classes=4)
    part = ds.subset([5, 0, 7])
    assert part.n_classes == 4 and np.array_equal(part.X, ds.X[[5, 0, 7]])


# -- split ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("ratio", [0.1, 0.5, 0.8, 1.0])
def test_split_partitions_sorted_and_by_ratio(ratio):
    ds = make_dataset("spiral", n=500, classes=3)
    train, test = split(ds, ratio, seed=4)
    assert train.dtype == np.int64 and test.dtype == np.int64
    assert np.all(np.diff(train) > 0) and np.all(np.diff(test) > 0)
    assert np.array_equal(np.sort(np.concatenate((train, test))), np.arange(500))
    assert abs(len(train) - ratio * 500) <= 3


def test_split_is_stratified_and_deterministic():
    ds = make_dataset("blobs", n=600, classes=6)
    train, test = split(ds, 0.5, seed=1)
    assert list(np.bincount(ds.y[train], minlength=6)) == [50] * 6
    again = split(ds, 0.5, seed=1)
    assert np.array_equal(train, again[0]) and np.array_equal(test, again[1])
    assert not np.array_equal(train, split(ds, 0.5, seed=2)[0])


def test_split_regression():
    ds = make_dataset("plane", n=101)
    train, test = split(ds, 0.3, seed=0)
    assert len(train) == 30 and len(test) == 71


@pytest.mark.parametrize("ratio", [0.01, 0.99])
def test_split_keeps_both_parts_nonempty(ratio):
    ds = make_dataset("circle", n=4)
    train, test = split(ds, ratio, seed=0)
    assert len(train) >= 1 and len(test) >= 1 and len(train) + len(test) == 4


def test_split_of_one_point_and_of_nothing():
    one = make_dataset("circle", n=1)
    assert [len(part) for part in split(one, 0.5)] == [1, 0]
    empty = Dataset.empty()
    assert [len(part) for part in split(empty, 0.5)] == [0, 0]


@pytest.mark.parametrize("ratio", [0.0, -0.1, 1.01, float("nan")])
def test_split_ratio_is_checked(ratio):
    with pytest.raises(ValueError, match=r"train_ratio must be in \(0, 1\]"):
        split(make_dataset("circle"), ratio, seed=0)


# -- features -------------------------------------------------------------------------------------
def test_feature_registry_names_and_labels():
    assert FEATURE_NAMES == ("x1", "x2", "x1_sq", "x2_sq", "x1_x2",
                             "sin_x1", "sin_x2", "cos_x1", "cos_x2")
    assert feature_label("x1_sq") == "x₁²" and feature_label("x1_x2") == "x₁x₂"
    assert feature_label("sin_x2") == "sin(x₂)"
    assert all(FEATURES[name].label for name in FEATURE_NAMES)


def test_feature_matrix_matches_the_formulas():
    X = np.array([[0.5, -2.0], [3.0, 1.5], [-1.0, 0.0]])
    x1, x2 = X[:, 0], X[:, 1]
    expected = np.column_stack((x1, x2, x1 ** 2, x2 ** 2, x1 * x2,
                                np.sin(x1), np.sin(x2), np.cos(x1), np.cos(x2)))
    F = feature_matrix(X, FEATURE_NAMES)
    assert F.shape == (3, 9) and F.dtype == np.float64
    assert np.allclose(F, expected, rtol=0, atol=1e-15)
    assert np.array_equal(feature_matrix(X, ["cos_x2", "x1"]), expected[:, [8, 0]])
    F[0, 0] = 7.0
    assert X[0, 0] == 0.5  # the matrix is a fresh array, never a view of X


def test_feature_matrix_of_a_read_only_dataset_and_of_nothing():
    ds = make_dataset("circle", n=10)
    assert feature_matrix(ds.X, ["x1"]).flags.writeable
    assert feature_matrix(np.empty((0, 2)), ["x1", "x2"]).shape == (0, 2)


@pytest.mark.parametrize("names, message", [
    (["x3"], "allowed: x1, x2, x1_sq"),
    (["x1", "x1"], "must not repeat"),
    ([], "at least one feature"),
])
def test_feature_names_are_checked(names, message):
    with pytest.raises(ValueError, match=message):
        feature_matrix(np.zeros((2, 2)), names)


# -- targets --------------------------------------------------------------------------------------
def test_two_class_targets_are_a_zero_one_column():
    ds = make_dataset("xor", n=40)
    Y = targets(ds)
    assert Y.shape == (40, 1) and Y.dtype == np.float64
    assert np.array_equal(Y[:, 0], ds.y.astype(float))


def test_multiclass_targets_are_one_hot():
    ds = make_dataset("blobs", n=30, classes=3)
    Y = targets(ds)
    assert Y.shape == (30, 3) and np.array_equal(Y.sum(axis=1), np.ones(30))
    assert np.array_equal(np.argmax(Y, axis=1), ds.y)


def test_regression_targets_are_a_value_column():
    ds = make_dataset("bumps", n=20)
    assert np.array_equal(targets(ds), ds.y.reshape(-1, 1))


def test_target_helpers():
    assert np.array_equal(one_hot(np.array([2, 0]), 3), [[0, 0, 1], [1, 0, 0]])
    assert class_targets(np.array([1, 0, 1]), 2).tolist() == [[1.0], [0.0], [1.0]]
    assert class_targets(np.array([1]), 4).shape == (1, 4)
    with pytest.raises(ValueError, match=r"0\.\.2"):
        one_hot(np.array([3]), 3)
    assert predicted_classes(np.array([[0.2], [0.5], [0.9]])).tolist() == [0, 1, 1]
    assert predicted_classes(np.array([[0.1, 0.7, 0.2], [0.6, 0.3, 0.1]])).tolist() == [1, 0]
