"""The shipped lessons under the name the window imports them by; they live in
:mod:`playground.lessons` (format, folders, goals), which new code should import.

``resources`` and ``_shipped`` stay reachable here for the window's tests, which point the
shipped folder elsewhere and clear the cache through this module.
"""
from importlib import resources

from playground.lessons import Lesson, lesson, lesson_problems, lessons, parse_lesson, read_lessons
from playground.lessons.library import _shipped

__all__ = ["Lesson", "lesson", "lesson_problems", "lessons", "parse_lesson", "read_lessons",
           "resources", "_shipped"]
