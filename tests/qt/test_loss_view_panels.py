"""The Slope and Landscape panels in the real window: computed by the worker only while their
tab is in front, drawn from the snapshots, and equal to the engine's own numbers."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from playground.config import DataSpec, Hyperparameters, NetworkSpec, PlaygroundConfig
from playground.lessons import lesson
from playground.snapshot import PAUSED

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise)\(\)")
TIMEOUT_MS = 20_000
CONFIG = PlaygroundConfig(data=DataSpec(n_samples=120, noise=0.1, seed=2),
                          network=NetworkSpec(hidden_layers=(4, 2), activations=("tanh", "tanh"),
                                              seed=3),
                          hyper=Hyperparameters(learning_rate=0.3, epochs_per_second=None))


@pytest.fixture
def window(open_window):
    return open_window(CONFIG)


def rendered(qtbot, window, condition):
    """Wait for a rendered snapshot meeting ``condition``; returns it."""
    qtbot.waitUntil(lambda: condition(window.rendered_snapshot), timeout=TIMEOUT_MS)
    return window.rendered_snapshot


def in_worker(qtbot, window, job):
    """``job(playground)`` run by the worker between two mini-batches; its result."""
    done = []
    window.controller.run_in_worker(job, done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=TIMEOUT_MS)
    return done[0]


def step_and_measure(playground):
    """Take the next step for real and measure the mini-batch's loss before and after it."""
    result = playground.step_batch()
    rows = result.indices
    return result.loss, playground.network.compute_loss(playground.F_train[rows],
                                                        playground.Y_train[rows])


def test_the_slope_panel_draws_where_the_real_step_starts_and_lands(qtbot, window):
    window.controller.step_epoch()
    snapshot = rendered(qtbot, window, lambda s: s.epoch == 1)
    assert snapshot.slope is None                    # behind the Plots tab: not computed
    window.docks["slopeDock"].raise_()
    snapshot = rendered(qtbot, window, lambda s: s.slope is not None and s.epoch == 1)
    panel, slope = window.slope_panel, snapshot.slope
    t, losses = panel.curve.getData()
    np.testing.assert_array_equal(t, slope.t)
    np.testing.assert_array_equal(losses, slope.losses)
    assert list(panel.current.getData()[1]) == [slope.loss]
    assert list(panel.landing.getData()[0]) == [0.3] and slope.plain_gradient_step
    # the tangent falls at -|g|^2 per unit of t: the first-order prediction
    (t0, t1), (y0, y1) = panel.tangent.getData()
    assert y0 == slope.loss
    assert (y1 - y0) / (t1 - t0) == pytest.approx(-slope.gradient_norm_sq, rel=1e-9)
    assert list(panel.landing.getData()[1]) == [slope.landing_loss]
    assert "After the step (t = η = 0.3)" in panel.readout.text()
    # what the panel drew is the engine's loss where the real step starts and lands
    loss_before, loss_after = in_worker(qtbot, window, step_and_measure)
    assert slope.loss == pytest.approx(loss_before, rel=1e-12)
    assert slope.landing_loss == pytest.approx(loss_after, rel=1e-12, abs=1e-15)

    window.docks["plotsDock"].raise_()           # behind again: the worker stops computing it
    window.controller.step_epoch()
    assert rendered(qtbot, window, lambda s: s.epoch == 2).slope is None


def test_a_learning_rate_too_high_lands_beyond_the_valley(qtbot, open_window):
    window = open_window(replace(CONFIG, hyper=replace(CONFIG.hyper, learning_rate=8.0)))
    window.controller.step_epoch()
    window.slope_panel.set_data("train")
    window.docks["slopeDock"].raise_()
    slope = rendered(qtbot, window, lambda s: s.slope is not None and s.epoch == 1
                     and s.slope.data == "train").slope
    lowest = int(np.argmin(slope.losses))
    assert 0 < slope.t[lowest] < 8.0 and slope.landing_loss > slope.losses[lowest]
    text = window.slope_panel.readout.text()
    assert "beyond the valley" in text and f"t = {slope.t[lowest]:.3g}" in text
    training_loss = in_worker(qtbot, window, lambda pg: pg.network.compute_loss(pg.F_train,
                                                                                 pg.Y_train))
    assert slope.loss == training_loss


def test_the_landscape_panel_follows_training_and_draws_the_engines_loss(qtbot, window):
    window.docks["landscapeDock"].raise_()
    window.landscape_panel.set_settings("pca", 15)
    window.controller.play()
    rendered(qtbot, window, lambda s: s.epoch >= 30)
    window.controller.pause()
    snapshot = rendered(qtbot, window, lambda s: s.state == PAUSED and s.landscape is not None
                        and s.landscape.complete and s.landscape.epoch == s.epoch
                        and s.landscape.resolution == 15)
    view, panel = snapshot.landscape, window.landscape_panel
    assert view.directions == "pca" and len(view.path) >= 3
    training_loss = in_worker(qtbot, window, lambda pg: pg.network.compute_loss(pg.F_train,
                                                                                 pg.Y_train))
    assert view.values[7, 7] == view.centre_loss == training_loss
    assert panel.image.image.shape == (15, 15, 4)
    low, high = panel.levels
    assert low == pytest.approx(np.log10(view.values.min()))
    assert high == pytest.approx(np.log10(view.values.max()))
    path_x, path_y = panel.path.getData()
    np.testing.assert_allclose(path_x[:-1], view.path[:, 0])
    assert (path_x[-1], path_y[-1]) == view.current
    assert "of its movement" in panel.readout.text()

    window.landscape_panel.set_settings("random", 31)
    view = rendered(qtbot, window, lambda s: s.landscape is not None
                    and s.landscape.resolution == 31 and s.landscape.complete).landscape
    assert view.directions == "random" and panel.image.image.shape == (31, 31, 4)


@pytest.mark.parametrize("title, dock, field", [
    ("Learning rate too high", "slopeDock", "slope"),
    ("Momentum vs SGD on a ravine", "landscapeDock", "landscape")])
def test_a_lesson_opens_the_panel_it_names_in_front(qtbot, window, title, dock, field):
    window.docks[dock].close()                      # even one the user closed
    menu = window.file_actions.lessons.menu
    next(action for action in menu.actions() if action.text() == title).trigger()
    qtbot.waitUntil(lambda: window.file_actions.lessons.dock is not None
                    and window.file_actions.lessons.dock.isVisible(), timeout=TIMEOUT_MS)
    snapshot = rendered(qtbot, window, lambda s: getattr(s, field) is not None)
    assert snapshot.epoch == 0 and not window.docks[dock].isHidden()
    assert window.config.hyper == lesson(title).config.hyper
