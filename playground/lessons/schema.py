"""A lesson file (JSON) to a :class:`Lesson` and back; the schema is docs/LESSON_FORMAT.md.

Reading checks every part before anything is built and raises StorageError naming the field
("lesson k: goal.value is 2.0; ..."); it parses with ``playground.storage.json_text`` (no NaN,
no deep nesting, no endless numbers), never executes anything, and reads version-1 files
(title, one-paragraph explanation, config) as well as version 2. Writing produces text that
reading gives back equal, weights and points exactly (JSON numbers in Python's shortest exact
repr).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np

from playground import validation
from playground.classroom import Classroom
from playground.config import CLASSIFICATION, PROBLEM_TYPES, PlaygroundConfig, output_layer_for
from playground.data import GENERATORS, Dataset
from playground.lessons.goal import Goal
from playground.lessons.markdown import check_markdown
from playground.limits import MAX_POINTS
from playground.messages import quote
from playground.storage.config_codec import config_from_dict, config_to_dict
from playground.storage.errors import StorageError
from playground.storage.json_text import parse_json

LESSON_FORMAT = "backprop-playground-lesson"
LESSON_VERSION = 2
MAX_LESSON_BYTES = 4 * 2**20        # 20,000 painted points and the largest network fit
MAX_TITLE_CHARACTERS = 120
MAX_TEXT_CHARACTERS = 20_000
ENTRIES = {1: {"format", "version", "title", "explanation", "config"},
           2: {"format", "version", "title", "text", "config", "classroom", "goal", "dataset",
               "weights", "panels"}}
# the panels a lesson may open (its ``panels``): the tabs of the window's bottom row
LESSON_PANELS = ("plots", "inspector", "slope", "landscape")


@dataclass(frozen=True, eq=False)
class LessonData:
    """A hand-made dataset and its split: the training points by index, the rest for testing."""

    dataset: Dataset
    train_indices: np.ndarray

    @property
    def test_indices(self) -> np.ndarray:
        return np.setdiff1d(np.arange(self.dataset.n), self.train_indices)


@dataclass(frozen=True, eq=False)
class Lesson:
    """A ready-made playground with its text; ``key`` is the file name without ``.json``.

    ``weights`` is the engine's flat parameter vector (None: the network starts from its seed);
    ``data`` a hand-made dataset (None: the config's generator makes it); ``panels`` the
    panels the lesson opens (LESSON_PANELS), the first in front.
    """

    key: str
    title: str
    text: str
    config: PlaygroundConfig
    classroom: Classroom = field(default_factory=Classroom)
    goal: Goal | None = None
    data: LessonData | None = None
    weights: np.ndarray | None = None
    panels: tuple[str, ...] = ()

    @property
    def explanation(self) -> str:
        """The text (the name version 1 gave it)."""
        return self.text

    def build(self):
        """A fresh Playground set up for this lesson; StorageError if it cannot be built."""
        from playground.session import Playground

        try:
            playground = Playground(self.config, None if self.data is None
                                    else self.data.dataset)
            if self.data is not None:
                playground.set_split(self.data.train_indices, self.data.test_indices)
            if self.weights is not None:
                playground.network.parameters = self.weights
        except (ValueError, KeyError, TypeError) as error:
            raise StorageError(f"lesson {self.key} cannot be set up: {error}") from None
        return playground


# ------------------------------------------------------------------------------------ reading
def parse_lesson(key: str, text: str) -> Lesson:
    """A Lesson from the JSON text of a lesson file; StorageError naming the file and field."""
    where = f"lesson {key}"
    raw = parse_json(text, where)
    if not isinstance(raw, dict):
        raise StorageError(f"{where} must hold a JSON object")
    version = raw.get("version")
    if raw.get("format") != LESSON_FORMAT or isinstance(version, bool) \
            or not isinstance(version, int):
        raise StorageError(f"{where} is not a {LESSON_FORMAT} file (it needs \"format\": "
                           f"\"{LESSON_FORMAT}\" and a whole-number \"version\")")
    if version not in ENTRIES:
        newer = version > LESSON_VERSION
        raise StorageError(f"{where} is a version {version} lesson; this app reads versions 1 to "
                           f"{LESSON_VERSION}{' (please update the app)' if newer else ''}")
    unknown = sorted(set(raw) - ENTRIES[version])
    if unknown:
        raise StorageError(f"{where} has unknown entries {quote(unknown)}")
    try:
        return _lesson(key, raw, version, where)
    except ValueError as error:     # the value checks name the field; StorageError passes
        raise StorageError(str(error) if isinstance(error, StorageError)
                           else f"{where}: {error}") from None


def _lesson(key: str, raw: dict, version: int, where: str) -> Lesson:
    title = _text(raw, "title", where, MAX_TITLE_CHARACTERS)
    if "\n" in title:
        raise ValueError("title must be one line")
    config = config_from_dict(raw.get("config", {}), f"{where}: config")
    validation.check_config(config)
    if version == 1:
        text = " ".join(_text(raw, "explanation", where, MAX_TEXT_CHARACTERS).split())
        return Lesson(key, title, text, config)
    text = _text(raw, "text", where, MAX_TEXT_CHARACTERS)
    check_markdown(text, "text")
    classroom = _classroom(raw.get("classroom", {}))
    data = None if raw.get("dataset") is None else _data(raw["dataset"])
    goal = _goal(raw.get("goal"), _kind(config, data))
    weights = None if raw.get("weights") is None else _weights(raw["weights"], config, data)
    panels = _panels(raw.get("panels", []))
    return Lesson(key, title, text.strip(), config, classroom, goal, data, weights, panels)


def _text(raw: dict, name: str, where: str, limit: int) -> str:
    value = raw.get(name)
    if not isinstance(value, str) or not value.strip():
        raise StorageError(f"{where} needs a non-empty {name!r}")
    if len(value) > limit:
        raise ValueError(f"{name} has {len(value):,} characters; at most {limit:,} are allowed")
    return value.strip()


def _object(raw, name: str, keys: set[str]) -> dict:
    if not isinstance(raw, dict):
        raise ValueError(f"{name} must be an object")
    unknown = sorted(set(raw) - keys)
    if unknown:
        raise ValueError(f"{name} has unknown entries {quote(unknown)}")
    return raw


def _classroom(raw) -> Classroom:
    raw = _object(raw, "classroom", {"hidden", "locked"})
    parts = {}
    for kind in ("hidden", "locked"):
        ids = raw.get(kind, [])
        if not isinstance(ids, list) or not all(isinstance(item, str) for item in ids):
            raise ValueError(f"classroom.{kind} must be a list of control names")
        parts[kind] = frozenset(ids)
    try:
        return Classroom(**parts)
    except ValueError as error:
        raise ValueError(f"classroom.{error}") from None


def _panels(raw) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        raise ValueError("panels must be a list of panel names")
    unknown = [item for item in raw if item not in LESSON_PANELS]
    if unknown:
        raise ValueError(f"panels names the unknown panel {quote(unknown[0])}; the panels are "
                         f"{', '.join(LESSON_PANELS)}")
    if len(set(raw)) != len(raw):
        raise ValueError("panels names a panel twice")
    return tuple(raw)


def _goal(raw, kind: str) -> Goal | None:
    if raw is None:
        return None
    raw = _object(raw, "goal", {"metric", "comparison", "value", "within_epochs"})
    missing = [name for name in ("metric", "comparison", "value") if name not in raw]
    if missing:
        raise ValueError(f"goal is missing {missing}")
    try:
        goal = Goal(**raw)
    except ValueError as error:
        raise ValueError(f"goal.{error}") from None
    if goal.is_accuracy and kind != CLASSIFICATION:
        raise ValueError(f"goal.metric is {goal.metric!r}, but a regression has no accuracy")
    return goal


def _kind(config: PlaygroundConfig, data: LessonData | None = None) -> str:
    """The kind of problem the lesson's playground will be: its points', else its generator's."""
    if data is not None:
        return data.dataset.kind
    entry = GENERATORS.get(config.data.generator)
    return entry.kind if entry is not None else config.data.problem


def _data(raw) -> LessonData:
    raw = _object(raw, "dataset", {"kind", "n_classes", "X", "y", "train"})
    kind, classes = raw.get("kind"), raw.get("n_classes")
    if kind not in PROBLEM_TYPES:
        raise ValueError(f"dataset.kind is {quote(kind)}; it must be one of "
                         f"{', '.join(PROBLEM_TYPES)}")
    if isinstance(classes, bool) or not isinstance(classes, int):
        raise ValueError("dataset.n_classes must be a whole number (0 for regression)")
    points = _numbers(raw.get("X"), "dataset.X", columns=2)
    if len(points) > MAX_POINTS:
        raise ValueError(f"dataset.X has {len(points):,} points; at most {MAX_POINTS:,} "
                         "are allowed")
    labels = _numbers(raw.get("y"), "dataset.y", integer=kind == CLASSIFICATION,
                      length=len(points))
    validation.check_points(points, labels, kind, "dataset")
    try:
        dataset = Dataset(points, labels, kind, classes)
    except ValueError as error:
        raise ValueError(f"dataset: {error}") from None
    train = _numbers(raw.get("train"), "dataset.train", integer=True)
    from playground.session import checked_split    # the one rule for a valid split

    test = np.setdiff1d(np.arange(dataset.n), train)
    try:
        train, _ = checked_split(train, test, dataset.n)
    except ValueError as error:
        raise ValueError(f"dataset.train: {error}") from None
    return LessonData(dataset, train)


def _numbers(raw, where: str, columns: int | None = None, integer: bool = False,
             length: int | None = None) -> np.ndarray:
    """A JSON list (of lists of ``columns``) of numbers as an array; whole numbers only when
    ``integer``. ValueError naming the first entry that is not."""
    if not isinstance(raw, list):
        raise ValueError(f"{where} must be a list")
    if length is not None and len(raw) != length:
        raise ValueError(f"{where} has {len(raw):,} entries; {length:,} are needed")
    allowed = (int,) if integer else (int, float)
    for index, item in enumerate(raw):
        values = item if columns is not None else (item,)
        if columns is not None and (not isinstance(item, list) or len(item) != columns):
            raise ValueError(f"{where}[{index}] must be a list of {columns} numbers")
        if not all(type(value) in allowed for value in values):
            kind = "whole numbers" if integer else "numbers"
            raise ValueError(f"{where}[{index}] is {quote(item)}; it must hold {kind}")
    if integer:
        too_large = [value for value in raw if abs(value) > 2**62]
        if too_large:
            raise ValueError(f"{where} holds {quote(too_large[0])}, too large for an index")
    dtype = np.int64 if integer else np.float64
    return np.array(raw, dtype=dtype).reshape((-1, columns) if columns else (-1,))


def layer_sizes(config: PlaygroundConfig, data: LessonData | None = None) -> list[int]:
    """Inputs, hidden layers and outputs of the network the lesson's playground builds."""
    kind = _kind(config, data)
    classes = (data.dataset.n_classes if data is not None and kind == CLASSIFICATION
               else config.data.classes)
    n_out = output_layer_for(kind, classes)[0]
    return [len(config.network.features), *config.network.hidden_layers, n_out]


def _weights(raw, config: PlaygroundConfig, data: LessonData | None) -> np.ndarray:
    sizes = layer_sizes(config, data)
    if not isinstance(raw, list) or len(raw) != len(sizes) - 1:
        raise ValueError(f"weights must be a list of {len(sizes) - 1} layers for the network "
                         f"{sizes}")
    blocks = []
    for layer, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        where = f"weights[{layer}]"
        part = _object(raw[layer], where, {"weights", "biases"})
        matrix = _numbers(part.get("weights"), f"{where}.weights", columns=fan_out,
                          length=fan_in)
        biases = _numbers(part.get("biases"), f"{where}.biases", length=fan_out)
        blocks.append(np.vstack([matrix, biases[None, :]]).ravel())
    parameters = np.concatenate(blocks)
    validation.check_parameters(parameters, "weights")
    return parameters


# ------------------------------------------------------------------------------------ writing
def lesson_to_dict(lesson: Lesson) -> dict:
    """The version-2 JSON object of a lesson (every config field written out)."""
    raw = {"format": LESSON_FORMAT, "version": LESSON_VERSION, "title": lesson.title,
           "text": lesson.text, "config": config_to_dict(lesson.config)}
    classroom = lesson.classroom
    if not classroom.is_open:
        raw["classroom"] = {"hidden": sorted(classroom.hidden), "locked": sorted(classroom.locked)}
    if lesson.goal is not None:
        goal = lesson.goal
        raw["goal"] = {"metric": goal.metric, "comparison": goal.comparison, "value": goal.value,
                       "within_epochs": goal.within_epochs}
    if lesson.data is not None:
        dataset = lesson.data.dataset
        raw["dataset"] = {"kind": dataset.kind, "n_classes": dataset.n_classes,
                          "X": dataset.X.tolist(), "y": dataset.y.tolist(),
                          "train": lesson.data.train_indices.tolist()}
    if lesson.panels:
        raw["panels"] = list(lesson.panels)
    if lesson.weights is not None:
        sizes = layer_sizes(lesson.config, lesson.data)
        raw["weights"], start = [], 0
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
            block = lesson.weights[start: start + (fan_in + 1) * fan_out].reshape(-1, fan_out)
            raw["weights"].append({"weights": block[:-1].tolist(), "biases": block[-1].tolist()})
            start += block.size
    return raw


def lesson_to_json(lesson: Lesson) -> str:
    """The lesson file's text: one entry per line, each point and weight row on its own."""
    return _layout(lesson_to_dict(lesson), 0) + "\n"


def _layout(value, depth: int) -> str:
    """JSON with an object or list that holds objects or lists one entry a line, anything
    flatter on one line; numbers in Python's shortest exact repr (json.dumps), so they read
    back exactly."""
    indent = " " * (depth + 1)
    if isinstance(value, dict) and any(_nested(item) for item in value.values()):
        entries = [f"{indent}{json.dumps(key)}: {_layout(item, depth + 1)}"
                   for key, item in value.items()]
        return "{\n" + ",\n".join(entries) + "\n" + " " * depth + "}"
    if isinstance(value, list) and _nested(value):
        rows = [f"{indent}{_layout(item, depth + 1)}" for item in value]
        return "[\n" + ",\n".join(rows) + "\n" + " " * depth + "]"
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _nested(value) -> bool:
    return isinstance(value, dict) or (isinstance(value, list) and bool(value)
                                       and isinstance(value[0], (list, dict)))
