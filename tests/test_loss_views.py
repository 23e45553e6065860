"""The Slope panel's and the landscape's numbers from a live Playground: the engine's own loss,
the step training really takes, and nothing in the playground changed by computing them."""
from dataclasses import replace

import numpy as np
import pytest

from playground.config import DataSpec, Hyperparameters, NetworkSpec, PlaygroundConfig
from playground.engine.landscape import Trajectory
from playground.loss_views import landscape_slice, slope_profile
from playground.session import Playground


def _playground(**hyper):
    return Playground(PlaygroundConfig(data=DataSpec(n_samples=120, noise=0.1, seed=2),
                                       network=NetworkSpec(seed=3),
                                       hyper=Hyperparameters(**hyper)))


def _state(pg):
    return (pg.network.parameters.copy(), pg.trainer.state_dict(), pg.trainer.optimizer_state(),
            pg.last_gradients()[0][0])


@pytest.mark.parametrize("optimizer", ["sgd", "nesterov", "adam"])
def test_the_batch_profile_lands_where_the_next_step_lands(optimizer):
    pg = _playground(optimizer=optimizer, learning_rate=0.5, regularization="l1",
                     regularization_rate=0.001)
    pg.step_epoch()
    pg.step_batch()
    before = _state(pg)
    profile = slope_profile(pg, "batch")
    after = _state(pg)
    np.testing.assert_array_equal(after[0], before[0])
    assert after[1] == before[1] and np.array_equal(after[3], before[3])
    for key, value in before[2].items():
        np.testing.assert_array_equal(after[2][key], value)
    result = pg.step_batch()
    rows = result.indices
    assert profile.loss == pytest.approx(result.loss, rel=1e-12)
    assert profile.landing_loss == pg.network.compute_loss(pg.F_train[rows], pg.Y_train[rows])
    assert profile.learning_rate == 0.5 and profile.t[-1] == 1.0


def test_the_training_set_profile_starts_at_the_training_loss_and_plain_sgd_follows_the_gradient():
    pg = _playground(learning_rate=0.1)
    pg.step_epoch()
    profile = slope_profile(pg, "train", reach=3.0, points=31)
    assert profile.loss == pg.network.compute_loss(pg.F_train, pg.Y_train)
    assert profile.s[10] == 1.0 and len(profile.losses) == 31
    assert profile.slope == pytest.approx(-0.1 * profile.gradient_norm_sq, rel=1e-9)
    assert profile.predicted_landing < profile.loss and profile.landing_loss < profile.loss


def test_a_learning_rate_too_high_lands_beyond_the_valley():
    pg = _playground(learning_rate=8.0)
    pg.step_epoch()
    profile = slope_profile(pg, "train")
    # the curve dips, then rises again before the step lands: the step overshoots the valley
    lowest = int(np.argmin(profile.losses))
    assert 0 < lowest < 20 and profile.landing_loss > profile.losses[lowest]


@pytest.mark.parametrize("directions", ["random", "pca"])
def test_a_landscape_slice_is_the_training_loss_around_the_weights(directions):
    pg = _playground(optimizer="momentum", learning_rate=0.1)
    trajectory = Trajectory()
    for _ in range(6):
        pg.step_epoch()
        trajectory.record(pg.network.parameters)
    pg.step_epoch()
    plane = landscape_slice(pg, trajectory, directions, resolution=9)
    plane.compute_rows(9)
    assert plane.done and plane.values[4, 4] == pg.network.compute_loss(pg.F_train, pg.Y_train)
    twin = pg.network.with_precision("float64")
    for i, j in [(0, 8), (2, 3), (7, 7)]:
        twin.parameters = (plane.surface.centre + plane.a[j] * plane.directions[0]
                           + plane.b[i] * plane.directions[1])
        assert plane.values[i, j] == pytest.approx(twin.compute_loss(pg.F_train, pg.Y_train),
                                                   rel=1e-12)
    assert plane.trajectory.shape == (6, 2)
    if directions == "pca":     # the grid covers the trajectory with room to spare
        assert np.abs(plane.trajectory).max() * 1.25 == pytest.approx(plane.a[-1])


def test_a_float32_playground_is_sliced_in_float64_at_its_own_weights():
    pg = _playground(precision="float32")
    pg.step_epoch()
    plane = landscape_slice(pg, resolution=3)
    plane.compute_rows(3)
    wide = pg.network.with_precision("float64")
    assert plane.values[1, 1] == wide.compute_loss(pg.F_train, pg.Y_train)
    assert slope_profile(pg).learning_rate == pg.trainer.learning_rate


def test_unknown_choices_and_missing_trajectories_are_refused():
    pg = _playground()
    with pytest.raises(ValueError, match="data must be one of"):
        slope_profile(pg, "test")
    with pytest.raises(ValueError, match="directions must be one of"):
        landscape_slice(pg, directions="hessian")
    with pytest.raises(ValueError, match="need a recorded trajectory"):
        landscape_slice(pg, Trajectory(), "pca")
    empty = replace(pg.dataset, X=pg.dataset.X[:0], y=pg.dataset.y[:0])
    pg.set_dataset(empty)
    with pytest.raises(ValueError, match="no training points"):
        slope_profile(pg)
