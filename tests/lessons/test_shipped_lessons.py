"""Shipped lessons: every one loads, builds a Playground and trains without a warning; version-1
lesson files still read."""
import warnings

import numpy as np
import pytest

from playground.storage import StorageError
from playground.lessons import shipped_lessons_folder
from playground.lessons import lesson, lessons, parse_lesson, read_lessons

REQUIRED_TITLES = [
    "XOR needs a hidden layer", "Spiral: features vs depth", "Learning rate too high",
    "Vanishing gradients with sigmoid", "Three classes with softmax",
    "Regression of a bumpy surface", "Overfitting with few points and L2",
    "Zero weights never break the symmetry",
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


def test_zero_weights_keep_every_hidden_neuron_the_same_and_random_ones_do_not():
    from dataclasses import replace

    from playground.session import Playground

    item = lesson("Zero weights never break the symmetry")
    assert item.config.network.init == "zeros"
    results = {}
    for init in ("zeros", "default"):
        config = replace(item.config, network=replace(item.config.network, init=init))
        pg = Playground(config)
        for _ in range(300):
            pg.step_epoch()
        weights = pg.network.weights[0]
        results[init] = (np.allclose(weights, weights[:, :1]), pg.evaluate().test_accuracy)
    identical, accuracy = results["zeros"]
    assert identical and accuracy < 0.8          # four neurons, one feature: no circle
    identical, accuracy = results["default"]
    assert not identical and accuracy > 0.95     # the symmetry broken, the circle closed


def test_unknown_lesson_lists_the_choices():
    with pytest.raises(KeyError, match="XOR needs a hidden layer"):
        lesson("no such lesson")


@pytest.mark.parametrize("text, message", [
    ("{", "not valid JSON"),
    ("[]", "JSON object"),
    ('{"format": "backprop-playground-lesson", "version": 3}',
     "is a version 3 lesson; this app reads versions 1 to 2 \\(please update the app\\)"),
    ('{"format": "backprop-playground-lesson", "version": "2"}', "whole-number \"version\""),
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


def test_shipped_lessons_are_version_2_and_some_play_at_a_watchable_speed():
    from playground.lessons import lesson as by_title
    for path in shipped_lessons_folder().iterdir():
        if path.name.endswith(".json"):
            assert '"version": 2' in path.read_text(encoding="utf-8"), path.name
    # the divergence must be seen epoch by epoch, the three regions claimed one after another,
    # the XOR and spiral boundaries form and the overfitting curves part over seconds; only the
    # sigmoid's long plateau is worth crossing as fast as possible
    speeds = {title: by_title(title).config.hyper.epochs_per_second for title in (
        "Learning rate too high", "Three classes with softmax", "XOR needs a hidden layer",
        "Spiral: features vs depth", "Overfitting with few points and L2",
        "Regression of a bumpy surface", "Vanishing gradients with sigmoid")}
    assert list(speeds.values()) == [10, 5, 30, 30, 30, 60, None]


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


# -- broken and hostile lesson files --------------------------------------------------------------
def lesson_text(config="{}", title="T") -> str:
    return ('{"format": "backprop-playground-lesson", "version": 1, "title": "%s", '
            '"explanation": "e", "config": %s}' % (title, config))


@pytest.mark.parametrize("text, message", [
    ("[" * 30_000 + "]" * 30_000, "lesson deep is nested too deeply"),
    (lesson_text('{"data": {"seed": %s}}' % ("9" * 5000)),
     "lesson deep holds a whole number of 5,000 digits; at most 40 are allowed"),
    (lesson_text('{"data": {"generator": "swirl"}}'), "generator is 'swirl'; it must be one of"),
    (lesson_text('{"network": {"hidden_layers": [64], "activations": ["tanh"]}}'),
     r"hidden_layers\[0\] is 64; it must be 1..32"),
])
def test_hostile_lesson_text_is_refused_with_our_own_message(text, message):
    with pytest.raises(StorageError, match=message):
        parse_lesson("deep", text)


def test_a_broken_lesson_file_is_left_out_with_a_message(tmp_path):
    (tmp_path / "01-good.json").write_text(lesson_text(title="Good"), encoding="utf-8")
    (tmp_path / "02-broken.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "03-binary.json").write_bytes(b"\xff\xfe")
    (tmp_path / "04-also-good.json").write_text(lesson_text(title="Also good"), encoding="utf-8")
    found, problems = read_lessons(tmp_path)
    assert [item.title for item in found] == ["Good", "Also good"]
    assert problems == (
        "02-broken.json was left out of the lessons: lesson 02-broken is not valid JSON "
        "(Expecting property name enclosed in double quotes at line 1, column 2)",
        "03-binary.json was left out of the lessons: lesson 03-binary.json is not UTF-8 text")


def test_a_lesson_that_cannot_be_built_says_so():
    # within every limit, but circle has two classes only
    item = parse_lesson("k", lesson_text('{"data": {"generator": "circle", "classes": 3}}'))
    with pytest.raises(StorageError, match="lesson k cannot be set up: circle supports classes "
                                           "only 2, got 3"):
        item.build()
