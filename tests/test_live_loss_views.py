"""What the worker computes for the Slope and Landscape panels: nothing but the path while they
are hidden, the engine's own numbers while they are shown, within a share of its time."""
import numpy as np
import pytest

from playground.config import DataSpec, Hyperparameters, NetworkSpec, PlaygroundConfig
from playground.live_loss_views import LiveLossViews, ThinnedPath, TimeBudget, run_key
from playground.session import Playground
from playground.snapshot_builder import SnapshotBuilder, history_since


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def playground(**hyper) -> Playground:
    return Playground(PlaygroundConfig(data=DataSpec(n_samples=120, noise=0.1, seed=2),
                                       network=NetworkSpec(seed=3),
                                       hyper=Hyperparameters(**hyper)))


def snapshot_of(pg, views, playing=False):
    snapshot = SnapshotBuilder(10).build(pg, "paused", history_since(pg, 0), 0.0, None)
    return views.attach(snapshot, pg, playing)


def train(pg, views, epochs):
    for _ in range(epochs):
        pg.step_epoch()
        views.after_training(pg)


def finish_idle_work(pg, views):
    for _ in range(10_000):
        if not views.idle_work(pg, None):
            return
    raise AssertionError("idle work never ended")


def test_the_budget_grows_at_its_share_of_the_time_up_to_a_cap_and_work_leaves_a_debt():
    clock = FakeClock()
    budget = TimeBudget(share=0.1, most_credit=0.05, clock=clock)
    assert budget.allows()                       # full credit at first
    budget.charge(0.2)                           # a long piece of work: 0.15 s in debt
    clock.now = 1.0
    assert not budget.allows()                   # 0.1 s of credit back, still 0.05 short
    clock.now = 1.6
    assert budget.allows() and budget.credit == pytest.approx(0.01)
    clock.now = 100.0
    assert budget.allows() and budget.credit == 0.05      # never more than the cap
    assert budget.spent == 0.2


def test_the_path_keeps_the_whole_run_in_a_bounded_number_of_points():
    path = ThinnedPath(capacity=8)
    for epoch in range(0, 40):
        path.record("run", epoch, np.full(3, float(epoch)))
    assert len(path) <= 8 and path.stride == 8
    epochs = path.epochs()
    assert epochs[0] == 0 and np.all(np.diff(epochs) > 0) and epochs[-1] >= 32
    np.testing.assert_array_equal(path.points()[:, 0], epochs)
    path.record("another run", 1, np.zeros(3))       # a Reset: the path starts afresh
    assert path.epochs() == [1] and path.stride == 1
    path.record("another run", 2, np.zeros(5))       # another network size, too
    assert path.epochs() == [2]


def test_hidden_views_cost_nothing_but_the_path():
    pg, views = playground(), LiveLossViews()
    train(pg, views, 3)
    built = SnapshotBuilder(10).build(pg, "paused", history_since(pg, 0), 0.0, None)
    assert views.attach(built, pg, playing=False) is built      # the very same snapshot
    assert not views.idle_work(pg, None)
    assert views.path.epochs() == [1, 2, 3] and views.budget.spent == 0.0


def test_the_slope_shown_is_the_engines_loss_where_the_next_step_starts_and_lands():
    pg, views = playground(learning_rate=0.5), LiveLossViews()
    views.watch_slope("batch")
    train(pg, views, 2)
    slope = snapshot_of(pg, views).slope
    rows = pg.trainer.upcoming_batch(len(pg.F_train))
    assert slope.loss == pg.network.compute_loss(pg.F_train[rows], pg.Y_train[rows])
    assert (slope.epoch, slope.data, slope.plain_gradient_step) == (2, "batch", True)
    assert slope.slope / slope.learning_rate == pytest.approx(-slope.gradient_norm_sq, rel=1e-9)
    result = pg.step_batch()
    np.testing.assert_array_equal(result.indices, rows)
    assert slope.landing_loss == pg.network.compute_loss(pg.F_train[rows], pg.Y_train[rows])
    assert not slope.t.flags.writeable and not slope.losses.flags.writeable


def test_a_slope_that_cannot_be_drawn_says_why():
    pg, views = playground(), LiveLossViews()
    views.watch_slope("train")
    pg.set_split(np.array([], dtype=np.int64), np.arange(pg.dataset.n))
    slope = snapshot_of(pg, views).slope
    assert "no training points" in slope.problem and len(slope.losses) == 0


def test_the_landscape_shown_is_the_engines_training_loss_around_the_weights():
    pg, views = playground(optimizer="momentum", learning_rate=0.1), LiveLossViews()
    views.watch_landscape("pca", 15)
    train(pg, views, 8)
    finish_idle_work(pg, views)
    view = snapshot_of(pg, views).landscape
    assert view.complete and view.directions == view.requested == "pca"
    assert view.values[7, 7] == view.centre_loss == pg.network.compute_loss(pg.F_train,
                                                                             pg.Y_train)
    plane = views._shown.plane
    twin = pg.network.with_precision("float64")
    for i, j in [(0, 14), (3, 5), (11, 2)]:
        twin.parameters = plane.surface.centre + view.a[j] * plane.directions[0] \
            + view.b[i] * plane.directions[1]
        assert view.values[i, j] == pytest.approx(twin.compute_loss(pg.F_train, pg.Y_train),
                                                  rel=1e-12)
    assert view.current == pytest.approx((0.0, 0.0), abs=1e-9)     # paused at the centre
    assert len(view.path) == 8 and 0.5 < view.path_share <= 1.0
    assert not views.idle_work(pg, None)                # nothing changed: nothing to redo


def test_the_principal_directions_wait_for_a_path_and_random_ones_serve_meanwhile():
    pg, views = playground(), LiveLossViews()
    views.watch_landscape("pca", 15)
    finish_idle_work(pg, views)
    view = snapshot_of(pg, views).landscape
    assert (view.requested, view.directions) == ("pca", "random") and view.complete


def test_while_training_the_landscape_works_only_with_credit_and_follows_the_weights():
    pg, views = playground(), LiveLossViews()
    views.watch_landscape("random", 15)
    views.budget.credit = -1.0                  # deep in debt: no work at all
    train(pg, views, 3)
    assert views._slice is None
    views.budget.credit = views.budget.most_credit
    train(pg, views, 40)
    assert views._shown is not None and views._shown.epoch > 0
    first = views._shown
    # a new slice replaces the first when done: how many epochs that takes depends on how long
    # an epoch takes here (the credit grows with the wall time), so train until it happens
    for _ in range(100):
        train(pg, views, 50)
        if views._shown is not first:
            break
    assert views._shown is not first and views._shown.plane.done


def test_a_new_run_drops_the_slice_of_the_old_one():
    pg, views = playground(), LiveLossViews()
    views.watch_landscape("random", 15)
    train(pg, views, 3)
    finish_idle_work(pg, views)
    before = run_key(pg)
    pg.reset()
    assert run_key(pg) != before
    assert snapshot_of(pg, views).landscape.path.shape == (0, 2)    # the old path is not this run's
    finish_idle_work(pg, views)
    assert snapshot_of(pg, views).landscape.epoch == 0


def test_a_landscape_that_cannot_be_computed_says_why_and_waits_for_a_change():
    pg, views = playground(), LiveLossViews()
    views.watch_landscape("random", 15)
    pg.set_split(np.array([], dtype=np.int64), np.arange(pg.dataset.n))
    assert views.idle_work(pg, None)            # tried once...
    assert not views.idle_work(pg, None)        # ...and not again until something changes
    view = snapshot_of(pg, views).landscape
    assert "no training points" in view.problem and view.values.shape == (0, 0)
