"""The lessons built on the Slope and Landscape panels and on pinned runs: what each tells the
student to watch happens, with the lesson's own settings."""
from dataclasses import replace

import pytest

from playground.lessons import lesson
from playground.live_loss_views import slope_view
from playground.session import Playground


def with_hyper(title: str, **hyper) -> Playground:
    config = lesson(title).config
    return Playground(replace(config, hyper=replace(config.hyper, **hyper)))


def train_loss_after(playground: Playground, epochs: int) -> float:
    for _ in range(epochs):
        playground.step_epoch()
    return playground.evaluate().train_loss


def test_the_lessons_name_the_panels_they_open():
    assert lesson("Learning rate too high").panels == ("slope",)
    assert lesson("Momentum vs SGD on a ravine").panels == ("landscape",)
    assert lesson("Mini-batches: many small noisy steps").panels == ("slope",)


@pytest.mark.parametrize("data", ["batch", "train"])
def test_a_learning_rate_of_3_lands_beyond_the_valley_and_0_03_does_not(data):
    steep, gentle = Playground(lesson("Learning rate too high").config), \
        with_hyper("Learning rate too high", learning_rate=0.03)
    assert steep.config.hyper.learning_rate == 3.0
    overshoots, impossible, calm = 0, 0, 0
    for _ in range(40):
        steep.step_epoch()
        gentle.step_epoch()
        view = slope_view(steep, data)
        overshoots += view.overshoot() is not None
        impossible += view.predicted_landing < 0        # the tangent promises a negative loss
        gentle_view = slope_view(gentle, data)
        calm += gentle_view.overshoot() is None and gentle_view.landing_loss < gentle_view.loss
    assert overshoots >= 3 and impossible >= 3 and calm == 40


def test_momentum_goes_down_the_ravine_where_sgd_crawls_and_a_faster_sgd_diverges():
    title = "Momentum vs SGD on a ravine"
    sgd = train_loss_after(Playground(lesson(title).config), 100)
    momentum = train_loss_after(with_hyper(title, optimizer="momentum"), 100)
    assert momentum < sgd / 10
    faster = with_hyper(title, learning_rate=0.01)
    start = faster.evaluate().train_loss
    assert train_loss_after(faster, 20) > 1e6 * start       # it flies across the walls


def test_mini_batches_step_downhill_and_beat_one_step_an_epoch():
    title = "Mini-batches: many small noisy steps"
    small = Playground(lesson(title).config)
    for _ in range(10):
        small.step_epoch()
        view = slope_view(small, "batch")
        assert view.slope < 0 and view.plain_gradient_step      # downhill on its own batch
    assert len(small.F_train) == 100
    batches = train_loss_after(small, 40)
    whole = train_loss_after(with_hyper(title, batch_size=100), 50)
    assert batches < whole / 4
