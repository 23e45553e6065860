"""Lesson format version 2: what the app writes reads back equal and builds the same playground;
every bad field is refused with a message naming it."""
import json
from dataclasses import replace

import numpy as np
import pytest

from playground.classroom import Classroom
from playground.config import DataSpec, Hyperparameters, NetworkSpec, PlaygroundConfig
from playground.data import Dataset
from playground.lessons import (Goal, LessonData, lesson_from_playground, lesson_to_json,
                                make_lesson, makes_same_data, parse_lesson, save_lesson)
from playground.session import Playground
from playground.storage import StorageError

TEXT = "# Watch the boundary\n\nPress **Play**; see <https://example.org> and `a<b`."


def painted_playground() -> Playground:
    config = PlaygroundConfig(DataSpec(generator="xor", n_samples=60, seed=3),
                              NetworkSpec((5, 3), ("relu", "tanh"), ("x1", "x2", "x1_x2"), 4),
                              Hyperparameters(learning_rate=0.1, optimizer="adam",
                                              epochs_per_second=12.0))
    playground = Playground(config)
    rng = np.random.default_rng(0)
    painted = Dataset(rng.uniform(-5, 5, (40, 2)), rng.integers(0, 3, 40), "classification", 3)
    playground.set_dataset(painted)
    for _ in range(5):
        playground.step_epoch()
    return playground


def test_a_lesson_with_everything_reads_back_equal_and_builds_the_same_playground(tmp_path):
    playground = painted_playground()
    goal = Goal("test_accuracy", ">=", 0.9, 500)
    classroom = Classroom(hidden=frozenset({"optimizer", "inspector"}),
                          locked=frozenset({"learning_rate"}))
    lesson = lesson_from_playground(playground, "Three painted classes", TEXT,
                                    include_weights=True, classroom=classroom, goal=goal,
                                    panels=("landscape", "plots"))
    save_lesson(tmp_path / "painted.json", lesson)
    again = parse_lesson("painted", (tmp_path / "painted.json").read_text(encoding="utf-8"))
    assert (again.title, again.text, again.config) == ("Three painted classes", TEXT,
                                                       playground.config)
    assert again.goal == goal and again.classroom == classroom
    assert again.panels == ("landscape", "plots")
    assert again.data.dataset == playground.dataset
    assert np.array_equal(again.data.train_indices, playground.train_indices)
    assert np.array_equal(again.weights, playground.network.parameters)      # exactly
    built = again.build()
    assert built.config == playground.config and built.config.hyper.epochs_per_second == 12.0
    assert built.dataset == playground.dataset
    assert np.array_equal(built.test_indices, playground.test_indices)
    assert np.array_equal(built.network.parameters, playground.network.parameters)
    assert built.epoch == 0 and len(built.history) == 0


def test_generated_points_and_seeded_weights_are_left_out():
    playground = Playground(PlaygroundConfig(DataSpec(generator="spiral", seed=9)))
    assert makes_same_data(playground)
    lesson = lesson_from_playground(playground, "Spiral", "Train it.")
    raw = json.loads(lesson_to_json(lesson))
    assert set(raw) == {"format", "version", "title", "text", "config"}
    assert raw["version"] == 2 and lesson.data is None and lesson.weights is None
    assert raw["config"]["data"]["seed"] == 9


def test_points_go_in_when_the_settings_would_not_make_them_again():
    playground = Playground()
    train, test = playground.train_indices, playground.test_indices
    playground.set_split(np.sort(np.concatenate([train, test[:5]])), test[5:])
    assert not makes_same_data(playground)
    lesson = lesson_from_playground(playground, "Other split", "Text.")
    assert np.array_equal(lesson.build().train_indices, playground.train_indices)


def test_the_file_keeps_one_point_and_one_weight_row_a_line():
    playground = painted_playground()
    text = lesson_to_json(lesson_from_playground(playground, "T", "x", include_weights=True))
    lines = text.splitlines()
    assert len(lines) > playground.dataset.n * 2      # X and y rows, indices, weight rows
    assert max(len(line) for line in lines) < 400 + len(json.dumps("x"))


# -- refused, naming the field --------------------------------------------------------------------
def lesson_json(**entries) -> str:
    raw = {"format": "backprop-playground-lesson", "version": 2, "title": "T", "text": "Text."}
    raw.update(entries)
    return json.dumps(raw)


DATA = {"kind": "classification", "n_classes": 2, "X": [[0, 0], [1, 1], [2, 2]], "y": [0, 1, 1],
        "train": [0, 2]}
NO_HIDDEN = {"network": {"hidden_layers": [], "activations": []}}
WEIGHTS = [{"weights": [[0.5], [-0.25]], "biases": [0.1]}]


@pytest.mark.parametrize("entries, message", [
    ({"goal": {"metric": "test_accuracy", "comparison": ">=", "value": 95}},
     "lesson k: goal.value is 95; an accuracy is a fraction 0..1 \\(0.95 for 95 %\\)"),
    ({"goal": {"metric": "speed", "comparison": "<", "value": 1}},
     "goal.metric is 'speed'; it must be one of train_loss"),
    ({"goal": {"metric": "test_loss", "comparison": "=<", "value": 0.1}},
     "goal.comparison is '=<'; it must be one of <, <=, >, >="),
    ({"goal": {"metric": "test_loss", "comparison": "<", "value": -1}},
     "goal.value is -1; a loss is never negative"),
    ({"goal": {"metric": "test_loss", "comparison": "<", "value": "0.1"}},
     "goal.value is '0.1'; it must be a finite number"),
    ({"goal": {"metric": "test_loss", "comparison": "<", "value": 0.1, "within_epochs": 0}},
     "goal.within_epochs is 0; it must be a whole number 1.."),
    ({"goal": {"metric": "test_loss", "value": 0.1}}, "goal is missing \\['comparison'\\]"),
    ({"goal": {"metric": "test_loss", "comparison": "<", "value": 0.1, "by": 3}},
     "goal has unknown entries \\['by'\\]"),
    ({"goal": {"metric": "test_accuracy", "comparison": ">", "value": 0.9},
      "config": {"data": {"generator": "bumps"}}},
     "goal.metric is 'test_accuracy', but a regression has no accuracy"),
    ({"classroom": {"hidden": ["learning_rat"]}},
     "classroom.hidden names the unknown control 'learning_rat'; the controls are dataset"),
    ({"classroom": {"hidden": ["noise"], "locked": ["noise"]}},
     "classroom.locked names 'noise', which is hidden too"),
    ({"classroom": {"hidden": "noise"}}, "classroom.hidden must be a list of control names"),
    ({"panels": ["slopes"]}, "panels names the unknown panel 'slopes'; the panels are plots, "
                             "inspector, slope, landscape"),
    ({"panels": "slope"}, "panels must be a list of panel names"),
    ({"panels": ["slope", "slope"]}, "panels names a panel twice"),
    ({"dataset": {**DATA, "X": [[0, 0], [1], [2, 2]]}},
     "dataset.X\\[1\\] must be a list of 2 numbers"),
    ({"dataset": {**DATA, "X": [[0, 0], [1, True], [2, 2]]}},
     "dataset.X\\[1\\] is \\[1, True\\]; it must hold numbers"),
    ({"dataset": {**DATA, "X": [[0, 0], [1, 1e5], [2, 2]]}},
     "dataset.X holds 100000; values must lie within ±10000"),
    ({"dataset": {**DATA, "y": [0, 1]}}, "dataset.y has 2 entries; 3 are needed"),
    ({"dataset": {**DATA, "y": [0, 1, 0.5]}}, "dataset.y\\[2\\] is 0.5; it must hold whole"),
    ({"dataset": {**DATA, "y": [0, 1, 2]}}, "dataset: class labels must be in 0..1"),
    ({"dataset": {**DATA, "kind": "ranking"}}, "dataset.kind is 'ranking'; it must be one of"),
    ({"dataset": {**DATA, "train": [0, 3]}}, "dataset.train: .* index 3 is outside 0..2"),
    ({"dataset": {**DATA, "train": [2, 0]}}, "dataset.train: .* not in increasing order"),
    ({"dataset": {**DATA, "train": [0, 2**70]}}, "dataset.train holds .*, too large"),
    ({"config": NO_HIDDEN, "weights": WEIGHTS * 2},
     "weights must be a list of 1 layers for the network \\[2, 1\\]"),
    ({"config": NO_HIDDEN, "weights": [{"weights": [[0.5]], "biases": [0.1]}]},
     "weights\\[0\\].weights has 1 entries; 2 are needed"),
    ({"dataset": {**DATA, "kind": "regression", "n_classes": 0, "y": [0.5, 1, 2]},
      "goal": {"metric": "train_accuracy", "comparison": ">", "value": 0.9}},
     "goal.metric is 'train_accuracy', but a regression has no accuracy"),
    ({"config": NO_HIDDEN, "weights": [{"weights": [[0.5], [1e200]], "biases": [0.1]}]},
     "weights holds 1e\\+200; values must lie within ±1e\\+150"),
    ({"config": NO_HIDDEN, "weights": [{"weights": [[0.5], ["x"]], "biases": [0.1]}]},
     "weights\\[0\\].weights\\[1\\] is \\['x'\\]; it must hold numbers"),
    ({"text": "See ![the plot](file:///etc/passwd)"},
     "text, line 1: images are not allowed in a lesson's text"),
    ({"text": "Line one\n<b>bold</b>"}, "text, line 2: HTML is not allowed .*'<b>bold</b>'"),
    ({"text": "x <!-- hidden -->"}, "text, line 1: HTML is not allowed"),
    ({"text": "[run me](file:///usr/bin/xterm)"},
     "text, line 1: the link 'file:///usr/bin/xterm' must start with http:, https:, mailto:"),
    ({"text": "[site]: javascript:alert(1)"}, "the link 'javascript:alert\\(1\\)' must start"),
    ({"text": "<file:///etc>"}, "the link 'file:///etc' must start with"),
    ({"title": "a\nb"}, "title must be one line"),
    ({"title": "x" * 121}, "title has 121 characters; at most 120"),
    ({"text": "  "}, "lesson k needs a non-empty 'text'"),
    ({"explanation": "v1 field"}, "unknown entries \\['explanation'\\]"),
    ({"config": {"hyper": {"epochs_per_second": 0.5}}},
     "config.hyper.epochs_per_second is 0.5; it must be null \\(as fast as possible\\) or 1..60"),
])
def test_a_bad_field_is_refused_naming_it(entries, message):
    with pytest.raises(StorageError, match=message):
        parse_lesson("k", lesson_json(**entries))


@pytest.mark.parametrize("text", [
    "## Steps\n\n1. Press *Play*.\n2. Lower the **rate** to 0.3.\n\n> Watch the loss.",
    "Escaped \\<b> and &lt;i> stay text; x < 3 and 2<3 too.",
    "Code may hold tags: `<b>` and\n\n```\nif a<b: pass\n```",
    "Links: [the classic](https://playground.tensorflow.org), <mailto:t@example.org>.",
    "| rate | result |\n|---|---|\n| 3 | jumps |",
])
def test_the_markdown_qt_renders_is_allowed(text):
    assert parse_lesson("k", lesson_json(text=text)).text == text


def test_weights_and_points_build_the_lesson_network_exactly():
    lesson = parse_lesson("k", lesson_json(config=NO_HIDDEN, weights=WEIGHTS, dataset=DATA))
    playground = lesson.build()
    assert playground.network.weights[0].tolist() == [[0.5], [-0.25]]
    assert playground.network.biases[0].tolist() == [0.1]
    assert playground.train_indices.tolist() == [0, 2]
    assert playground.test_indices.tolist() == [1]


def test_a_lesson_that_would_not_read_back_is_not_written(tmp_path):
    playground = Playground(PlaygroundConfig(DataSpec(generator="bumps")))
    with pytest.raises(StorageError, match="a regression has no accuracy"):
        lesson_from_playground(playground, "T", "x", goal=Goal("test_accuracy", ">", 0.5))
    lesson = lesson_from_playground(playground, "T", "x")
    with pytest.raises(StorageError, match="images are not allowed"):
        save_lesson(tmp_path / "l.json", replace(lesson, text="![x](y.png)"))
    assert list(tmp_path.iterdir()) == []


def test_a_made_lesson_is_the_one_the_file_holds():
    lesson = make_lesson("  Spaced title ", "Text\n", PlaygroundConfig())
    assert (lesson.key, lesson.title, lesson.text) == ("spaced-title", "Spaced title", "Text")


def test_the_largest_lesson_the_limits_allow_fits_in_a_file(tmp_path):
    from playground import limits
    from playground.data import FEATURE_NAMES

    rng = np.random.default_rng(1)
    points = Dataset(rng.uniform(-6, 6, (limits.MAX_POINTS, 2)), rng.normal(size=limits.MAX_POINTS),
                     "regression", 0)
    layers = (limits.MAX_UNITS,) * limits.MAX_HIDDEN_LAYERS
    config = PlaygroundConfig(DataSpec(generator="bumps", problem="regression"),
                              NetworkSpec(layers, ("tanh",) * len(layers), FEATURE_NAMES))
    playground = Playground(config, points)
    lesson = lesson_from_playground(playground, "Largest", "x", include_weights=True)
    save_lesson(tmp_path / "largest.json", lesson)
    again = parse_lesson("largest", (tmp_path / "largest.json").read_text(encoding="utf-8"))
    assert again.data.dataset == points
    assert np.array_equal(again.weights, playground.network.parameters)
