"""Lessons: every shipped preset loads, builds a Playground and trains without a warning."""
import warnings

import numpy as np
import pytest

from playground.storage import StorageError
from playground.storage.presets import lesson, lessons, parse_lesson

REQUIRED_TITLES = [
    "XOR needs a hidden layer", "Spiral: features vs depth", "Learning rate too high",
    "Vanishing gradients with sigmoid", "Three classes with softmax",
    "Regression of a bumpy surface", "Overfitting with few points and L2",
]
EPOCHS = 30


def test_the_required_lessons_ship_in_order():
    titles = [item.title for item in lessons()]
    assert titles[: len(REQUIRED_TITLES)] == REQUIRED_TITLES


@pytest.mark.parametrize("title", REQUIRED_TITLES)
def test_each_lesson_has_one_paragraph(title):
    text = lesson(title).explanation
    assert 60 <= len(text.split()) <= 200 and "\n" not in text


@pytest.mark.parametrize("title", REQUIRED_TITLES)
def test_each_lesson_opens_and_trains_without_a_warning(title):
    item = lesson(title)
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        pg = item.build()
        assert pg.config.network == item.config.network
        assert pg.config.hyper == item.config.hyper
        for _ in range(EPOCHS):
            pg.step_epoch()
        evaluation = pg.evaluate()
    assert pg.epoch == EPOCHS and len(pg.history) == EPOCHS
    assert np.isfinite(evaluation.train_loss) and np.isfinite(evaluation.test_loss)


def test_lessons_that_should_learn_do_learn():
    # the lessons whose point is that training works (the others show a failure on purpose)
    for title in ("Three classes with softmax", "Spiral: features vs depth"):
        pg = lesson(title).build()
        before = pg.evaluate().train_loss
        for _ in range(EPOCHS):
            pg.step_epoch()
        assert pg.evaluate().train_loss < 0.8 * before, title


def test_unknown_lesson_lists_the_choices():
    with pytest.raises(KeyError, match="XOR needs a hidden layer"):
        lesson("no such lesson")


@pytest.mark.parametrize("text, message", [
    ("{", "not valid JSON"),
    ("[]", "JSON object"),
    ('{"format": "backprop-playground-lesson", "version": 2}', "version 1"),
    ('{"format": "backprop-playground-lesson", "version": 1, "title": "t"}', "explanation"),
    ('{"format": "backprop-playground-lesson", "version": 1, "title": "t", "explanation": "e",'
     ' "config": {"hyper": {"learning_rat": 0.1}}}', "unknown fields \\['learning_rat'\\]"),
    ('{"format": "backprop-playground-lesson", "version": 1, "title": "t", "explanation": "e",'
     ' "colour": 1}', "unknown entries"),
])
def test_bad_preset_files_are_named(text, message):
    with pytest.raises(StorageError, match=message):
        parse_lesson("broken", text)


def test_partial_config_takes_defaults():
    item = parse_lesson("k", '{"format": "backprop-playground-lesson", "version": 1, '
                             '"title": " T ", "explanation": "one\\n  two", '
                             '"config": {"hyper": {"learning_rate": 0.1}}}')
    assert item.title == "T" and item.explanation == "one two"
    assert item.config.hyper.learning_rate == 0.1 and item.config.hyper.batch_size == 10


def test_the_high_learning_rate_lesson_oscillates_but_never_diverges():
    # it must show a jumpy loss, not the divergence error, for as long as a student watches it
    pg = lesson("Learning rate too high").build()
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        for _ in range(300):
            pg.step_epoch()
    losses = pg.history.column("train_loss")
    assert np.all(np.isfinite(losses))
    assert np.sum(np.diff(losses) > 0) > 30          # it goes up again and again
