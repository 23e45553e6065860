"""The Lessons menu — the shipped lessons, then the user's own after a separator — and the dock
that shows the open lesson, its goal checked live (the panel is built the first time a lesson
opens, not at start-up).

The user's lessons are the files in the lessons folder of the app's data folder (File ▸ Save as
lesson… writes there); the menu reads that folder again each time it opens, so a lesson saved
or copied there is listed without a restart.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import QDockWidget, QMenu, QWidget

from playground.lessons import all_lessons, lessons, user_lessons_folder

TIP_CHARACTERS = 120


def default_user_folder() -> Path:
    """``<AppDataLocation>/lessons`` (e.g. ~/.local/share/Backprop Playground/lessons)."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return user_lessons_folder(base)


class LessonsMenu(QObject):
    """``menu`` lists the lessons; ``sigChosen(lesson)`` when one is picked from it;
    ``sigProblem(text)`` once for each user lesson file left out of it, saying why.

    ``user_folder`` is where the user's lessons are (the app data folder's by default; tests
    give their own).
    """

    sigChosen = Signal(object)          # a playground.lessons.Lesson
    sigProblem = Signal(str)

    def __init__(self, window, parent: QObject | None = None, user_folder=None):
        super().__init__(parent)
        self.window = window
        self._user_folder = Path(user_folder) if user_folder is not None else None
        self.menu = QMenu("&Lessons", window.menuBar())
        self.menu.setObjectName("lessonsMenu")
        self.menu.aboutToShow.connect(self.refresh)
        self._reported: set[str] = set()
        self.dock: QDockWidget | None = None
        self.panel: QWidget | None = None
        # the panel is fed the snapshots of the open lesson's playground
        self._connected = False
        self._generation = 0            # of the lesson followed: a job of an earlier one is late
        self.refresh()

    @property
    def user_folder(self) -> Path:
        """The folder of the user's own lessons (it may not exist yet)."""
        if self._user_folder is None:
            self._user_folder = default_user_folder()
        return self._user_folder

    @user_folder.setter
    def user_folder(self, folder) -> None:
        self._user_folder = Path(folder)
        self.refresh()

    def refresh(self) -> None:
        """List the lessons again: the shipped ones, then the user's after a separator."""
        found, problems = all_lessons(self.user_folder)
        shipped = len(lessons())
        self.menu.clear()
        for index, item in enumerate(found):
            if index == shipped:
                self.menu.addSection("My lessons")
            act = self.menu.addAction(item.title)
            text = " ".join(item.text.split())
            act.setStatusTip(text[:TIP_CHARACTERS] + ("…" if len(text) > TIP_CHARACTERS else ""))
            act.triggered.connect(lambda checked=False, item=item: self.sigChosen.emit(item))
        for problem in problems[len(self._shipped_problems()):]:
            if problem not in self._reported:
                self._reported.add(problem)
                self.sigProblem.emit(problem)

    @staticmethod
    def _shipped_problems() -> tuple[str, ...]:
        from playground.lessons import lesson_problems

        return lesson_problems()        # reported once at start-up by the file actions

    def user_lessons(self) -> list[str]:
        """The titles the menu lists after the shipped lessons."""
        titles = [act.text() for act in self.menu.actions() if not act.isSeparator()]
        return titles[len(lessons()):]

    # ------------------------------------------------------------------ the open lesson
    def show_lesson(self, lesson) -> None:
        """Show the lesson — title, goal, text — in its dock (made on first use) with the panels
        it opens (the window's, by the lesson format's names), the first in front, and check its
        goal on the snapshots of the playground it opened."""
        if self.dock is None:
            from playground.qt.files.lesson_panel import LessonPanel

            self.panel = LessonPanel()
            dock = QDockWidget("Lesson", self.window)
            dock.setObjectName("lessonDock")
            dock.setWidget(self.panel)
            if not hasattr(self.window, "show_lesson_dock"):
                self.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
            self.dock = dock
        self.panel.show_lesson(lesson.title, lesson.text, lesson.goal)
        self._follow(lesson.goal is not None)
        if hasattr(self.window, "show_lesson_dock"):
            # where the window's layout has room
            self.window.show_lesson_dock(self.dock, lesson.panels)
        else:
            self.dock.show()
            self.dock.raise_()

    def close_lesson(self) -> None:
        """Another playground replaced the lesson's: its panel goes away."""
        self._follow(False)
        if self.dock is not None:
            self.dock.hide()

    def _follow(self, follow: bool) -> None:
        """Feed the panel the snapshots of the lesson's playground — only once the worker has
        taken it: snapshots still in flight describe the playground it replaced."""
        controller = getattr(self.window, "controller", None)
        if controller is None:
            return
        self._generation += 1
        if self._connected:
            controller.sigSnapshot.disconnect(self._snapshot)
            self._connected = False
        if follow:
            generation = self._generation
            controller.run_in_worker(_nothing, lambda _result: self._settled(generation))

    def _settled(self, generation: int) -> None:
        controller = self.window.controller
        if generation != self._generation or self._connected:
            return      # another playground came since
        controller.sigSnapshot.connect(self._snapshot)
        self._connected = True
        if controller.latest_snapshot is not None:
            self.panel.show_snapshot(controller.latest_snapshot)

    def _snapshot(self, snapshot) -> None:
        self.panel.show_snapshot(snapshot)


def _nothing(_playground) -> None:
    """A job for the worker that only tells when the commands before it have run."""
