"""File ▸ Save as lesson…: the open playground as a lesson teachers hand to students.

The dialog (:mod:`~playground.qt.files.lesson_dialog`) gathers the title, the text, the goal
and classroom mode. The lesson is made in the training worker between two mini-batches
(``lesson_from_playground`` reads the live playground: its settings, points and weights),
handed back as copies, and written from the GUI thread: to the user's lessons folder (the
Lessons menu lists it at once) or to a file of the teacher's choice. Whatever the lesson
reader would refuse (an image in the text, a goal on the accuracy of a regression) is refused
in the dialog with the reader's own message, and the dialog stays open.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject

from playground.lessons import lesson_file_name, lesson_from_playground, save_lesson
from playground.messages import SUCCESS
from playground.storage import StorageError

LESSON_FILTER = "Lessons (*.json);;All files (*)"


def make_lesson_safely(request):
    """A job for the worker: (True, the lesson) or (False, why it cannot be made)."""
    def job(playground):
        try:
            return True, lesson_from_playground(
                playground, request.title, request.text,
                include_weights=request.include_weights, classroom=request.classroom,
                goal=request.goal, panels=request.panels)
        except (StorageError, ValueError) as error:
            return False, str(error)
    return job


class LessonWriter(QObject):
    """Opens the dialog (``open_dialog``), makes and saves the lesson (``save``); remembers the
    lesson the playground came from (``playground_replaced``) to start the dialog from it."""

    def __init__(self, window, file_actions):
        super().__init__(window)
        self.window = window
        self.files = file_actions
        self.dialog = None
        self.current_lesson = None
        self.saved_path: str | None = None

    def playground_replaced(self, lesson) -> None:
        self.current_lesson = lesson

    def open_dialog(self):
        """Show the dialog (window-modal, not blocking); returns it."""
        from playground.qt.files.lesson_dialog import LessonDialog

        if self.dialog is not None:
            self.dialog.deleteLater()
        dialog = LessonDialog(self.window, self.window.config.data.problem,
                              self.files.lessons.user_folder)
        if self.current_lesson is not None:
            dialog.fill(self.current_lesson)
        dialog.sigSave.connect(self.save)
        dialog.sigChooseFile.connect(self._choose_file)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _choose_file(self) -> None:
        title = self.dialog.title.text().strip() or "lesson"
        suggested = str(Path(self.files.folder()) / lesson_file_name(title))
        path = self.files.prompter.save_path("Save lesson", suggested, LESSON_FILTER)
        if path and not Path(path).suffix:
            path += ".json"
        self.dialog.choose_file(path or None)

    def save(self, request) -> None:
        """Make the lesson in the worker, then write it (the answer reaches the dialog)."""
        dialog = self.dialog
        self.files.controller.run_in_worker(
            make_lesson_safely(request), lambda answer: self._made(dialog, request, answer),
            lambda: dialog.show_problem("Not saved: the training thread could not make the "
                                        "lesson (see the status bar)."))

    def _made(self, dialog, request, answer) -> None:
        made, lesson = answer
        if not made:
            dialog.show_problem(f"Not saved: {lesson}")
            return
        lessons = self.files.lessons
        path = Path(request.path) if request.path else \
            lessons.user_folder / lesson_file_name(request.title)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            save_lesson(path, lesson)
        except (StorageError, OSError) as error:
            dialog.show_problem(f"Not saved: {error}")
            return
        self.saved_path = str(path)
        self.current_lesson = lesson        # saving again starts from what was just saved
        lessons.refresh()
        listed = " — it is in the Lessons menu" if request.path is None else ""
        self.files.message(f"Saved the lesson “{lesson.title}” to {path}{listed}",
                           kind=SUCCESS)
        dialog.accept()
