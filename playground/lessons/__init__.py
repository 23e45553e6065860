"""Lessons: ready-made playgrounds with a text, made by the app's authors or by teachers (pure).

    lessons(), lesson(key_or_title), lesson_problems()     # the shipped lessons
    all_lessons(user_folder) -> (lessons, problems)        # shipped, then the user's
    read_lesson_file(path) -> Lesson                       # File ▸ Open, drag and drop
    lesson.build() -> Playground                           # StorageError if it cannot be built
    lesson_from_playground(playground, title, text, ...)   # File ▸ Save as lesson…
    save_lesson(path, lesson)
    evaluate_goal(goal, epochs, values) -> GoalProgress    # the lesson panel's live check

The file format is docs/LESSON_FORMAT.md; classroom mode's controls are
``playground.classroom.CONTROLS``.
"""
from playground.lessons.goal import (COMPARISONS, METRICS, MISSED, PENDING, REACHED, Goal,
                                     GoalProgress, evaluate_goal)
from playground.lessons.library import (all_lessons, lesson, lesson_problems, lessons,
                                        read_lesson_file, read_lesson_folders, read_lessons,
                                        shipped_lessons_folder, user_lessons_folder)
from playground.lessons.schema import (LESSON_FORMAT, LESSON_PANELS, LESSON_VERSION,
                                       MAX_LESSON_BYTES, Lesson, LessonData, lesson_to_json,
                                       parse_lesson)
from playground.lessons.writing import (lesson_file_name, lesson_from_playground, make_lesson,
                                        makes_same_data, save_lesson)

__all__ = [
    "COMPARISONS", "Goal", "GoalProgress", "LESSON_FORMAT", "LESSON_PANELS", "LESSON_VERSION",
    "Lesson", "LessonData", "MAX_LESSON_BYTES", "METRICS", "MISSED", "PENDING", "REACHED", "all_lessons",
    "evaluate_goal", "lesson", "lesson_file_name", "lesson_from_playground", "lesson_problems",
    "lesson_to_json", "lessons", "make_lesson", "makes_same_data", "parse_lesson",
    "read_lesson_file", "read_lesson_folders", "read_lessons", "save_lesson",
    "shipped_lessons_folder", "user_lessons_folder",
]
