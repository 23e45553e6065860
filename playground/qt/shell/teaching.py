"""What the window offers teachers, installed with one call from the main window:

- File ▸ Record… (:mod:`playground.qt.files.recording`): training as an animated GIF, an
  animated PNG or an MP4 video;
- File ▸ Save as lesson… (:mod:`playground.qt.files.lesson_writer`): the playground as a lesson
  with a text, a goal and classroom mode, listed in the Lessons menu;
- classroom mode (:mod:`playground.qt.shell.classroom_mode`): an opened lesson hides or locks
  controls; View ▸ Leave classroom mode, or any other playground, ends it;
- Edit ▸ Copy settings and Paste settings (:mod:`playground.qt.shell.settings_clipboard`).

The dialogs are built when first asked for, not at start-up.
"""
from __future__ import annotations

from PySide6.QtWidgets import QMenu

from playground.qt.files.lesson_writer import LessonWriter
from playground.qt.files.recording import Recording
from playground.qt.shell.classroom_mode import ClassroomMode
from playground.qt.shell.settings_clipboard import SettingsClipboard


class Teaching:
    """The parts, for the window and its tests: ``classroom``, ``settings``, ``lessons``
    (the lesson writer) and ``recording``; ``record_action`` and ``save_lesson_action`` are
    in the File menu."""

    def __init__(self, window):
        files = window.file_actions
        status = window.status
        self.classroom = ClassroomMode(window, report=status.show_message)
        files.sigPlaygroundReplaced.connect(
            lambda lesson: self.classroom.apply(None if lesson is None else lesson.classroom))
        self.settings = SettingsClipboard(window, files, edit_menu(window))
        self.lessons = LessonWriter(window, files)
        files.sigPlaygroundReplaced.connect(self.lessons.playground_replaced)
        self.recording = Recording(window, files)
        self.save_lesson_action = files.add_file_action(
            "Save as &lesson…", "", "Save the playground as a lesson with a text, a goal and "
            "the controls students may use; it is listed in the Lessons menu.",
            self.lessons.open_dialog, "saveLessonAction", after=files.save_as_action)
        # after Save as…'s group, on a line of its own before Export
        self.record_action = files.add_file_action(
            "&Record…", "Ctrl+Shift+R", "Record training as an animated GIF, an animated PNG "
            "or a video: the whole window or one panel.", self.recording.open_dialog,
            "recordAction", after=self.save_lesson_action)
        files.file_menu.insertSeparator(self.record_action)


def install_teaching(window) -> Teaching:
    """Install everything teachers use on the main window; returns the parts."""
    return Teaching(window)


def edit_menu(window) -> QMenu:
    return window.menuBar().findChild(QMenu, "editMenu")
