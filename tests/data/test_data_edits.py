"""Undoable dataset edits: each edit's inverse, errors, merging, and a random-sequence property."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.config import CLASSIFICATION, REGRESSION
from playground.data import (
    Append, Batch, Clear, Dataset, Delete, Insert, Move, Relabel, SetClassCount, apply_edit,
    indices_near, make_dataset, merge_edits,
)


def small() -> Dataset:
    return Dataset(np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0], [3.0, 3.0]]),
                   np.array([0, 1, 0, 1]), CLASSIFICATION, 2)


def undo_restores(ds: Dataset, edit):
    new, inverse = apply_edit(ds, edit)
    restored, redo = apply_edit(new, inverse)
    assert restored == ds
    again, _ = apply_edit(restored, redo)
    assert again == new
    return new


def test_append_adds_at_the_end_and_undoes():
    new = undo_restores(small(), Append([[5.0, 5.0], [6.0, -1.0]], [1, 0]))
    assert new.n == 6 and new.X[-2:].tolist() == [[5.0, 5.0], [6.0, -1.0]]
    assert new.y[-2:].tolist() == [1, 0] and new.y.dtype == np.int64


def test_delete_inverse_puts_points_back_where_they_were():
    ds = small()
    new, inverse = apply_edit(ds, Delete([3, 1]))
    assert new.X[:, 0].tolist() == [0.0, 2.0]
    assert isinstance(inverse, Insert) and inverse.indices.tolist() == [1, 3]
    assert apply_edit(new, inverse)[0] == ds


def test_move_relabel_clear_and_class_count_undo():
    ds = small()
    moved = undo_restores(ds, Move([2], [[-4.0, 4.0]]))
    assert moved.X[2].tolist() == [-4.0, 4.0]
    relabelled = undo_restores(ds, Relabel([0, 3], [1, 0]))
    assert relabelled.y.tolist() == [1, 1, 0, 0]
    cleared = undo_restores(ds, Clear())
    assert cleared.n == 0 and cleared.n_classes == 2
    assert undo_restores(ds, SetClassCount(5)).n_classes == 5


def test_regression_edits_keep_float_values():
    ds = make_dataset("plane", n=10)
    new = undo_restores(ds, Append([[0.5, 0.5]], [0.25]))
    assert new.y[-1] == 0.25 and new.y.dtype == np.float64
    assert undo_restores(ds, Relabel([3], [-0.75])).y[3] == -0.75


def test_batch_applies_in_order_and_undoes_in_reverse():
    ds = small()
    batch = Batch([SetClassCount(3), Append([[9.0, 9.0]], [2]), Delete([0])])
    new = undo_restores(ds, batch)
    assert new.n_classes == 3 and new.n == 4 and new.y.tolist() == [1, 0, 1, 2]


def test_a_brush_stroke_merges_into_one_append():
    stroke = Append([[0.0, 1.0]], [1])
    for i in range(2, 5):
        stroke = merge_edits(stroke, Append([[0.0, float(i)]], [1]))
    assert isinstance(stroke, Append) and stroke.points[:, 1].tolist() == [1, 2, 3, 4]
    new, inverse = apply_edit(small(), stroke)
    assert isinstance(inverse, Delete) and inverse.indices.tolist() == [4, 5, 6, 7]
    assert apply_edit(new, inverse)[0] == small()


def test_an_erase_stroke_merges_into_one_flat_batch():
    ds = small()
    erase = merge_edits(merge_edits(Delete([0]), Delete([0])), Delete([1]))
    assert isinstance(erase, Batch) and len(erase.edits) == 3
    new = undo_restores(ds, erase)
    assert new.X[:, 0].tolist() == [2.0]


def test_eraser_finds_points_under_the_brush_and_deletes_them_in_one_step():
    ds = small()
    hit = indices_near(ds, (1.2, 1.2), 1.2)
    assert hit.tolist() == [1, 2]  # (1,1) and (2,2) lie within 1.2, (0,0) and (3,3) do not
    assert indices_near(ds, (10.0, 10.0), 1.0).size == 0
    erased = undo_restores(ds, Delete(hit))
    assert erased.X[:, 0].tolist() == [0.0, 3.0]


@pytest.mark.parametrize("edit, error, message", [
    (Delete([4]), IndexError, r"0\.\.3"),
    (Move([-1], [[0.0, 0.0]]), IndexError, r"0\.\.3"),
    (Append([[0.0, 0.0]], [2]), ValueError, r"class labels must be in 0\.\.1"),
    (Append([[0.0, 0.0]], [0.5]), ValueError, "do not fit"),
    (Relabel([0], [-1]), ValueError, r"0\.\.1"),
    (Append([[0.0, np.nan]], [0]), ValueError, "finite"),
    (SetClassCount(7), ValueError, r"2\.\.6"),
    (Insert([0, 9], [[0, 0], [1, 1]], [0, 0]), IndexError, r"0\.\.5"),
    (Batch([Append([[0.0, 0.0]], [1]), Delete([99])]), IndexError, "indices"),
])
def test_bad_edits_raise_and_change_nothing(edit, error, message):
    ds = small()
    with pytest.raises(error, match=message):
        apply_edit(ds, edit)
    assert ds == small()


def test_malformed_edits_are_refused_on_construction():
    with pytest.raises(ValueError, match="must not repeat"):
        Delete([1, 1])
    with pytest.raises(ValueError, match="integers"):
        Delete([0.5])
    with pytest.raises(ValueError, match="2 positions but 1 values"):
        Move([0, 1], [[0.0, 0.0]])
    with pytest.raises(ValueError, match="increasing"):
        Insert([2, 1], [[0, 0], [1, 1]], [0, 0])
    with pytest.raises(TypeError, match="not a dataset edit"):
        apply_edit(small(), "clear")


def test_edits_hold_their_own_read_only_copies():
    points = np.array([[1.0, 2.0]])
    edit = Append(points, [0])
    points[0, 0] = 42.0
    assert edit.points[0, 0] == 1.0 and not edit.points.flags.writeable


# -- property: 200 random edits, undo all, redo all -----------------------------------------------
EDIT_KINDS = ("append", "delete", "move", "relabel", "class_count", "batch", "clear")


def edit_for(ds: Dataset, kind_number: int, seed: int):
    """A valid edit for ``ds``: Hypothesis picks the kind and a seed, NumPy draws the details.

    Drawing the details from a seed keeps Hypothesis' input small for 200-step sequences.
    """
    rng = np.random.default_rng(seed)
    n = ds.n
    kind = EDIT_KINDS[kind_number % len(EDIT_KINDS)]
    if n == 0 and kind in ("delete", "move", "relabel", "clear"):
        kind = "append"

    def labels(m):
        if ds.kind == REGRESSION:
            return rng.uniform(-1.0, 1.0, m)
        return rng.integers(0, ds.n_classes, m)

    def points(m):
        # scaled by powers of two so both plain and awkward floats (tiny, huge) appear
        return rng.uniform(-6.0, 6.0, (m, 2)) * 2.0 ** rng.integers(-40, 40, (m, 1))

    def indices():
        return rng.choice(n, size=int(rng.integers(1, min(n, 4) + 1)), replace=False)

    if kind == "append":
        m = int(rng.integers(1, 6))
        return Append(points(m), labels(m))
    if kind == "delete":
        return Delete(indices())
    if kind == "move":
        picked = indices()
        return Move(picked, points(len(picked)))
    if kind == "relabel":
        picked = indices()
        return Relabel(picked, labels(len(picked)))
    if kind == "clear":
        return Clear() if rng.integers(0, 10) == 0 else Delete(indices())  # rare, keeps points
    if kind == "class_count":
        if ds.kind == REGRESSION:
            return Move([], np.empty((0, 2)))  # an empty edit is valid too
        lowest = max(2, int(ds.y.max()) + 1 if n else 2)
        return SetClassCount(int(rng.integers(lowest, 7)))
    m = int(rng.integers(1, 4))
    return Batch([Append(points(m), labels(m)), Delete([int(rng.integers(0, n + m))])])


@settings(max_examples=30, deadline=None)
@given(kind=st.sampled_from([CLASSIFICATION, REGRESSION]), start_n=st.integers(0, 30),
       seed=st.integers(0, 2 ** 16),
       recipe=st.lists(st.tuples(st.integers(0, len(EDIT_KINDS) - 1), st.integers(0, 2 ** 32 - 1)),
                       min_size=200, max_size=200))
def test_200_random_edits_undo_and_redo_exactly(kind, start_n, seed, recipe):
    if start_n == 0:
        original = Dataset.empty(kind)
    elif kind == CLASSIFICATION:
        original = make_dataset("blobs", n=start_n, noise=0.2, seed=seed, classes=3)
    else:
        original = make_dataset("ripple", n=start_n, noise=0.2, seed=seed)
    history = [original]
    inverses = []
    ds = original
    for kind_number, edit_seed in recipe:
        ds, inverse = apply_edit(ds, edit_for(ds, kind_number, edit_seed))
        history.append(ds)
        inverses.append(inverse)
    final = ds

    redos = []
    for step in range(len(inverses) - 1, -1, -1):
        ds, redo = apply_edit(ds, inverses[step])
        assert ds == history[step]
        redos.append(redo)
    assert ds == original
    assert ds.X.dtype == np.float64 and ds.y.dtype == original.y.dtype

    for redo in reversed(redos):
        ds, _ = apply_edit(ds, redo)
    assert ds == final


def test_a_mutated_inverse_is_caught_by_equality():
    # guards the property above: equality must notice a one-ulp change
    ds = make_dataset("circle", n=20)
    new, inverse = apply_edit(ds, Delete([3]))
    wrong = Insert(inverse.indices, np.nextafter(inverse.points, np.inf), inverse.labels)
    assert apply_edit(new, wrong)[0] != ds
