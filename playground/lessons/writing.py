"""Making a lesson from a playground (File ▸ Save as lesson…) and saving it (pure; no Qt).

Whatever is made is checked by the reader itself: a lesson is turned into its file text and
read back before it is returned or saved, so every lesson the app writes opens again, and
anything the reader would refuse (a goal on the accuracy of a regression, an image in the
text) is refused when writing, with the same message.
"""
from __future__ import annotations

import re

import numpy as np

from playground.classroom import Classroom
from playground.config import PlaygroundConfig
from playground.lessons.goal import Goal
from playground.lessons.schema import (MAX_LESSON_BYTES, Lesson, LessonData, lesson_to_json,
                                       parse_lesson)
from playground.storage.atomic import atomic_write_bytes
from playground.storage.errors import StorageError

LESSON_SUFFIX = ".json"


def make_lesson(title: str, text: str, config: PlaygroundConfig, *, data: LessonData | None = None,
                weights: np.ndarray | None = None, classroom: Classroom | None = None,
                goal: Goal | None = None, key: str | None = None,
                panels: tuple[str, ...] = ()) -> Lesson:
    """A checked lesson from its parts; StorageError naming the field the reader refuses.

    ``weights`` is the engine's flat parameter vector; ``data`` a hand-made dataset and split;
    ``panels`` the panels it opens, the first in front.
    """
    lesson = Lesson(key or lesson_key(title), title, text, config, classroom or Classroom(),
                    goal, data, None if weights is None else np.array(weights, np.float64),
                    tuple(panels))
    return _checked(lesson)


def lesson_from_playground(playground, title: str, text: str, *, include_weights: bool = False,
                           include_data: bool | None = None, classroom: Classroom | None = None,
                           goal: Goal | None = None, panels: tuple[str, ...] = ()) -> Lesson:
    """A lesson of ``playground`` (a ``playground.session.Playground``) as it is now.

    The weights go in when ``include_weights``; the points and split when ``include_data``, by
    default exactly when the settings would not make them again (painted, imported or
    regenerated points, or another split). Call it where the playground is not being trained
    (in the training worker between mini-batches, as saving does).
    """
    if include_data is None:
        include_data = not makes_same_data(playground)
    data = (LessonData(playground.dataset, np.array(playground.train_indices, np.int64))
            if include_data else None)
    weights = np.array(playground.network.parameters) if include_weights else None
    return make_lesson(title, text, playground.config, data=data, weights=weights,
                       classroom=classroom, goal=goal, panels=panels)


def makes_same_data(playground) -> bool:
    """True when the playground's settings generate and split exactly the points it has."""
    from playground.data import make_dataset, split

    spec = playground.config.data
    try:
        generated = make_dataset(spec.generator, n=spec.n_samples, noise=spec.noise,
                                 seed=spec.seed, classes=spec.classes)
    except ValueError:
        return False
    if generated != playground.dataset:
        return False
    train, _ = split(generated, spec.train_ratio, spec.seed)
    return np.array_equal(train, playground.train_indices)


def save_lesson(path, lesson: Lesson) -> None:
    """Write the lesson file atomically; StorageError if it would not read back."""
    data = _checked_text(lesson).encode("utf-8")
    atomic_write_bytes(path, data)


def lesson_key(title: str) -> str:
    """A file name stem for a title: "Learning rate too high" -> "learning-rate-too-high"."""
    stem = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].rstrip("-")
    return stem or "lesson"


def lesson_file_name(title: str) -> str:
    """The file name a lesson with this title is offered under."""
    return lesson_key(title) + LESSON_SUFFIX


def _checked_text(lesson: Lesson) -> str:
    text = lesson_to_json(lesson)
    size = len(text.encode("utf-8"))
    if size > MAX_LESSON_BYTES:
        raise StorageError(f"the lesson would be {size / 2**20:.1f} MB; a lesson file is at "
                           f"most {MAX_LESSON_BYTES / 2**20:.0f} MB (leave the points or the "
                           "weights out, or shorten the text)")
    parse_lesson(lesson.key, text)
    return text


def _checked(lesson: Lesson) -> Lesson:
    return parse_lesson(lesson.key, _checked_text(lesson))
