"""The panel showing the open lesson: its title, its goal checked live, and its Markdown text.

The goal is checked on every snapshot's new epochs (:class:`GoalTracker`): it is reached at
the first epoch whose value meets it, stays reached until the history restarts (Reset, a
rebuilt network), and is missed once the history passes its epoch limit without meeting it.
"""
from __future__ import annotations

import math

from PySide6.QtWidgets import QFrame, QLabel, QTextBrowser, QVBoxLayout, QWidget

from playground.lessons import MISSED, PENDING, REACHED, Goal, GoalProgress, evaluate_goal
from playground.messages import SUCCESS, WARNING
from playground.qt import theme
from playground.qt.shell.status import MESSAGE_COLORS

GOAL_MARKS = {PENDING: "○", REACHED: "✓", MISSED: "✗"}


class GoalTracker:
    """Where a run stands on a lesson's goal, fed the history a snapshot at a time."""

    def __init__(self, goal: Goal) -> None:
        self.goal = goal
        self.restart()

    def restart(self) -> None:
        """A new history (Reset, another playground): nothing reached yet."""
        self.progress = GoalProgress(PENDING)
        self.last_epoch = 0
        self.latest = math.nan          # the metric at the last epoch seen

    def add(self, epochs, values) -> None:
        """The epochs of a snapshot, with the goal metric's column; a history that went back
        restarts the check first."""
        if len(epochs) and int(epochs[0]) <= self.last_epoch:
            self.restart()
        if not len(epochs):
            return
        self.last_epoch = int(epochs[-1])
        self.latest = float(values[-1])
        if self.progress.status == PENDING:
            self.progress = evaluate_goal(self.goal, epochs, values)

    def went_back_to(self, epoch: int) -> None:
        """The playground stands at ``epoch`` with no new rows (a Reset sends epoch 0)."""
        if epoch < self.last_epoch:
            self.restart()
            self.last_epoch = epoch

    def describe(self) -> str:
        """The goal and where the run stands, in a sentence or two."""
        goal, progress = self.goal, self.progress
        if progress.status == REACHED:
            return f"Goal reached at epoch {progress.epoch:,}: {goal.describe()}."
        if progress.status == MISSED:
            return (f"Goal missed: {goal.describe()}. Change something, or press Reset, and "
                    "try again.")
        now = ""
        if math.isfinite(self.latest):
            value = (f"{self.latest * 100:.1f} %" if goal.is_accuracy else f"{self.latest:.4g}")
            now = f" Now {value} at epoch {self.last_epoch:,}."
        return f"Goal: {goal.describe()}.{now}"


class LessonPanel(QWidget):
    """The title in bold, the goal in a box coloured by where the run stands, and the text
    rendered from Markdown (links open in the web browser); the text scrolls on its own."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("lessonPanel")
        self.setAccessibleName("Lesson")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        self.title = QLabel()
        self.title.setObjectName("lessonTitle")
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.goal = QLabel()
        self.goal.setObjectName("lessonGoal")
        self.goal.setAccessibleName("Lesson goal")
        self.goal.setWordWrap(True)
        self.goal.setFrameShape(QFrame.Shape.StyledPanel)
        self.goal.setMargin(6)
        self.text = QTextBrowser()
        self.text.setObjectName("lessonText")
        self.text.setAccessibleName("Lesson text")
        self.text.setOpenExternalLinks(True)
        self.text.setFrameShape(QFrame.Shape.NoFrame)
        # the panel's own colour, so the text reads as part of the panel, not as a field
        self.text.viewport().setAutoFillBackground(False)
        layout.addWidget(self.title)
        layout.addWidget(self.goal)
        layout.addWidget(self.text, 1)
        self.tracker: GoalTracker | None = None
        self.markdown = ""

    def show_lesson(self, title: str, markdown: str, goal: Goal | None = None) -> None:
        """Show a lesson; its goal (if any) starts unreached."""
        self.title.setText(title)
        self.markdown = markdown
        self.text.setMarkdown(markdown)
        self.tracker = GoalTracker(goal) if goal is not None else None
        self.goal.setVisible(goal is not None)
        self._show_goal()

    def show_snapshot(self, snapshot) -> None:
        """Check the goal on the epochs ``snapshot`` brings."""
        tracker = self.tracker
        if tracker is None:
            return
        before = (tracker.progress, tracker.last_epoch)
        history = snapshot.history
        tracker.add(history.epochs, getattr(history, tracker.goal.metric))
        if not len(history):
            tracker.went_back_to(snapshot.epoch)
        if (tracker.progress, tracker.last_epoch) != before:
            self._show_goal()

    @property
    def goal_status(self) -> str | None:
        """PENDING, REACHED or MISSED; None without a goal."""
        return None if self.tracker is None else self.tracker.progress.status

    def _show_goal(self) -> None:
        tracker = self.tracker
        if tracker is None:
            return
        status = tracker.progress.status
        self.goal.setText(f"{GOAL_MARKS[status]} {tracker.describe()}")
        colours = {REACHED: MESSAGE_COLORS[SUCCESS], MISSED: MESSAGE_COLORS[WARNING]}.get(status)
        if colours is None:
            self.goal.setStyleSheet("")
        else:
            colour = colours[1] if theme.is_dark(self.palette()) else colours[0]
            self.goal.setStyleSheet(f"QLabel#lessonGoal {{ color: white; background: {colour}; "
                                    "border-radius: 4px; font-weight: bold; }")
        self.goal.setToolTip("The lesson's goal, checked on every epoch trained."
                             if status == PENDING else "")
