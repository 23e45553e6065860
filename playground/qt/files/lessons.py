"""The Lessons menu, one entry per ready-made playground, and the dock that explains the lesson
that is open (its panel is built the first time a lesson opens, not at start-up)."""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDockWidget, QMenu, QWidget

from playground.lessons import lessons


class LessonsMenu(QObject):
    """``menu`` lists the lessons; ``sigChosen(lesson)`` when one is picked from it."""

    sigChosen = Signal(object)          # a playground.lessons.Lesson

    def __init__(self, window, parent: QObject | None = None):
        super().__init__(parent)
        self.window = window
        self.menu = QMenu("&Lessons", window.menuBar())
        self.menu.setObjectName("lessonsMenu")
        for item in lessons():
            act = self.menu.addAction(item.title)
            act.setStatusTip(item.explanation[:120] + "…")
            act.triggered.connect(lambda checked=False, item=item: self.sigChosen.emit(item))
        self.dock: QDockWidget | None = None
        self.panel: QWidget | None = None

    def show_lesson(self, title: str, explanation: str, panels: tuple[str, ...] = ()) -> None:
        """Show the lesson's title and paragraph in its dock (made on first use), and the
        panels it opens (the window's, by the lesson format's names), the first in front."""
        if self.dock is None:
            from playground.qt.files.lesson_panel import LessonPanel

            self.panel = LessonPanel()
            dock = QDockWidget("Lesson", self.window)
            dock.setObjectName("lessonDock")
            dock.setWidget(self.panel)
            if not hasattr(self.window, "show_lesson_dock"):
                self.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
            self.dock = dock
        self.panel.show_lesson(title, explanation)
        if hasattr(self.window, "show_lesson_dock"):
            # where the window's layout has room
            self.window.show_lesson_dock(self.dock, panels)
        else:
            self.dock.show()
            self.dock.raise_()
