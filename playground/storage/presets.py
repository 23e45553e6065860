"""Lessons: ready-made playgrounds, each with one paragraph saying what to watch for.

A lesson is a small JSON file in ``resources/presets/`` (installed as the package
``playground.resources``), found with ``importlib.resources`` so it works from a source tree, a
wheel and a frozen app alike::

    {"format": "backprop-playground-lesson", "version": 1,
     "title": "XOR needs a hidden layer",
     "explanation": "One paragraph ...",
     "config": {"data": {...}, "network": {...}, "hyper": {...}}}

``config`` may leave fields out; they take PlaygroundConfig's defaults. Lessons are listed in the
order of their file names (``01-...json``, ``02-...json``). Adding a lesson is adding one file.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from playground.config import PlaygroundConfig
from playground.storage.config_codec import config_from_dict
from playground.storage.errors import StorageError

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
        """A fresh Playground set up for this lesson."""
        from playground.session import Playground

        return Playground(self.config)


def parse_lesson(key: str, text: str) -> Lesson:
    """A Lesson from the JSON text of a preset file; StorageError naming the file and problem."""
    where = f"lesson {key}"
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise StorageError(f"{where} is not valid JSON ({error.msg} at line {error.lineno})") \
            from None
    if not isinstance(raw, dict):
        raise StorageError(f"{where} must hold a JSON object")
    if raw.get("format") != LESSON_FORMAT or raw.get("version") != LESSON_VERSION:
        raise StorageError(f"{where} is not a version {LESSON_VERSION} {LESSON_FORMAT} file")
    unknown = sorted(set(raw) - {"format", "version", "title", "explanation", "config"})
    if unknown:
        raise StorageError(f"{where} has unknown entries {unknown}")
    for field in ("title", "explanation"):
        if not isinstance(raw.get(field), str) or not raw[field].strip():
            raise StorageError(f"{where} needs a non-empty {field!r}")
    config = config_from_dict(raw.get("config", {}), f"{where}: config")
    return Lesson(key, raw["title"].strip(), " ".join(raw["explanation"].split()), config)


@lru_cache(maxsize=1)
def lessons() -> tuple[Lesson, ...]:
    """Every shipped lesson, in file-name order (read once)."""
    folder = resources.files(PRESET_PACKAGE).joinpath(PRESET_FOLDER)
    found = []
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if not entry.name.endswith(".json") or not entry.is_file():
            continue
        text = entry.read_bytes()[:MAX_LESSON_BYTES + 1]
        if len(text) > MAX_LESSON_BYTES:
            raise StorageError(f"lesson {entry.name} is larger than {MAX_LESSON_BYTES} bytes")
        found.append(parse_lesson(entry.name[: -len(".json")], text.decode("utf-8")))
    return tuple(found)


def lesson(key_or_title: str) -> Lesson:
    """The lesson with this key (file stem) or title; KeyError listing the choices."""
    for item in lessons():
        if key_or_title in (item.key, item.title):
            return item
    raise KeyError(f"no lesson {key_or_title!r}; choose one of "
                   f"{', '.join(item.title for item in lessons())}")
