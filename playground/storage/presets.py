"""Lessons: ready-made playgrounds, each with one paragraph saying what to watch for.

A lesson is a small JSON file in ``resources/presets/`` (installed as the package
``playground.resources``), found with ``importlib.resources`` so it works from a source tree, a
wheel and a frozen app alike::

    {"format": "backprop-playground-lesson", "version": 1,
     "title": "XOR needs a hidden layer",
     "explanation": "One paragraph ...",
     "config": {"data": {...}, "network": {...}, "hyper": {...}}}

``config`` may leave fields out; they take PlaygroundConfig's defaults; what it gives must lie
within the limits the controls allow (``playground.validation``). Lessons are listed in the
order of their file names (``01-...json``, ``02-...json``). Adding a lesson is adding one file.
A file that is not a valid lesson is left out of the list, with a message saying why
(:func:`lesson_problems`): one broken file never keeps the app from starting.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from playground.config import PlaygroundConfig
from playground.messages import quote
from playground.storage.config_codec import config_from_dict
from playground.storage.errors import StorageError
from playground.storage.json_text import parse_json
from playground.validation import check_config

LESSON_FORMAT = "backprop-playground-lesson"
LESSON_VERSION = 1
PRESET_PACKAGE = "playground.resources"
PRESET_FOLDER = "presets"
MAX_LESSON_BYTES = 64 * 1024


@dataclass(frozen=True)
class Lesson:
    """A preset playground: ``key`` is the file name without ``.json``."""

    key: str
    title: str
    explanation: str
    config: PlaygroundConfig

    def build(self):
        """A fresh Playground set up for this lesson; StorageError if it cannot be built."""
        from playground.session import Playground

        try:
            return Playground(self.config)
        except (ValueError, KeyError, TypeError) as error:
            raise StorageError(f"lesson {self.key} cannot be set up: {error}") from None


def parse_lesson(key: str, text: str) -> Lesson:
    """A Lesson from the JSON text of a preset file; StorageError naming the file and problem."""
    where = f"lesson {key}"
    raw = parse_json(text, where)
    if not isinstance(raw, dict):
        raise StorageError(f"{where} must hold a JSON object")
    if raw.get("format") != LESSON_FORMAT or raw.get("version") != LESSON_VERSION:
        raise StorageError(f"{where} is not a version {LESSON_VERSION} {LESSON_FORMAT} file")
    unknown = sorted(set(raw) - {"format", "version", "title", "explanation", "config"})
    if unknown:
        raise StorageError(f"{where} has unknown entries {quote(unknown)}")
    for field in ("title", "explanation"):
        if not isinstance(raw.get(field), str) or not raw[field].strip():
            raise StorageError(f"{where} needs a non-empty {field!r}")
    config = config_from_dict(raw.get("config", {}), f"{where}: config")
    try:
        check_config(config, f"{where}: config")
    except ValueError as error:
        raise StorageError(str(error)) from None
    return Lesson(key, raw["title"].strip(), " ".join(raw["explanation"].split()), config)


def read_lessons(folder) -> tuple[tuple[Lesson, ...], tuple[str, ...]]:
    """(lessons, problems): every valid lesson file in ``folder`` (a Path or a resources
    Traversable) in file-name order, and one message for each file that was left out."""
    found, problems = [], []
    try:
        entries = sorted(folder.iterdir(), key=lambda item: item.name)
    except OSError as error:
        return (), (f"the lessons folder cannot be read: {error.strerror or error}",)
    for entry in entries:
        if not entry.name.endswith(".json"):
            continue
        try:
            found.append(_read_lesson(entry))
        except StorageError as error:
            problems.append(f"{entry.name} was left out of the lessons: {error}")
    return tuple(found), tuple(problems)


def _read_lesson(entry) -> Lesson:
    try:
        if not entry.is_file():
            raise StorageError(f"lesson {entry.name} is not a regular file")
        with entry.open("rb") as stream:
            data = stream.read(MAX_LESSON_BYTES + 1)
    except OSError as error:
        raise StorageError(f"lesson {entry.name} cannot be read: {error.strerror or error}") \
            from None
    if len(data) > MAX_LESSON_BYTES:
        raise StorageError(f"lesson {entry.name} is larger than {MAX_LESSON_BYTES} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise StorageError(f"lesson {entry.name} is not UTF-8 text") from None
    return parse_lesson(entry.name[: -len(".json")], text)


@lru_cache(maxsize=1)
def _shipped() -> tuple[tuple[Lesson, ...], tuple[str, ...]]:
    return read_lessons(resources.files(PRESET_PACKAGE).joinpath(PRESET_FOLDER))


def lessons() -> tuple[Lesson, ...]:
    """Every valid shipped lesson, in file-name order (read once)."""
    return _shipped()[0]


def lesson_problems() -> tuple[str, ...]:
    """Why shipped lesson files were left out of :func:`lessons` (normally nothing)."""
    return _shipped()[1]


def lesson(key_or_title: str) -> Lesson:
    """The lesson with this key (file stem) or title; KeyError listing the choices."""
    for item in lessons():
        if key_or_title in (item.key, item.title):
            return item
    raise KeyError(f"no lesson {key_or_title!r}; choose one of "
                   f"{', '.join(item.title for item in lessons())}")
