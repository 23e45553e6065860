"""The inspector's numbers say which precision the step was computed in, and stay float64."""
from dataclasses import replace

import numpy as np

from playground.config import Hyperparameters, PlaygroundConfig
from playground.inspection import check_gradients, train_batch_inspected
from playground.session import Playground
from playground.snapshot_builder import SnapshotBuilder, history_since


def _inspected(precision):
    pg = Playground(PlaygroundConfig(hyper=Hyperparameters(precision=precision)))
    pg.step_batch()
    return pg, train_batch_inspected(pg.trainer, pg.F_train, pg.Y_train)[1]


def test_a_float32_step_is_flagged_and_shown_in_float64():
    _, inspection = _inspected("float32")
    assert inspection.precision == "float32"
    arrays = [*inspection.z, *inspection.a, *inspection.delta, *inspection.weight_gradients,
              *inspection.weights_before, *inspection.weights_after]
    assert {array.dtype for array in arrays} == {np.dtype(np.float64)}
    # float32 numbers widened exactly
    assert np.array_equal(inspection.weights_after[0],
                          inspection.weights_after[0].astype(np.float32))
    assert _inspected("float64")[1].precision == "float64"


def test_the_gradient_check_says_the_step_was_float32_and_checks_in_float64():
    for precision in ("float64", "float32"):
        pg, inspection = _inspected(precision)
        structure = SnapshotBuilder(8).build(pg, "paused", history_since(pg, 0), 0.0,
                                             inspection).structure
        check = check_gradients(structure, inspection)
        assert check.precision == precision and max(check) < 1e-6
    # the same step flagged float32 is checked the same way, in float64
    flagged = check_gradients(structure, replace(inspection, precision="float64"))
    assert tuple(flagged) == tuple(check) and flagged.precision == "float64"


def test_snapshots_of_a_float32_playground_hold_float64_arrays():
    pg, _ = _inspected("float32")
    snapshot = SnapshotBuilder(8).build(pg, "paused", history_since(pg, 0), 0.0, None)
    arrays = [*snapshot.weights, *snapshot.biases, *snapshot.weight_gradients]
    assert {array.dtype for array in arrays} == {np.dtype(np.float64)}
