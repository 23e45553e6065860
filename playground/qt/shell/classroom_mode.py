"""Classroom mode in the window: a lesson's hidden controls are not shown and its locked ones
are disabled, saying "Locked by this lesson" when pointed at; a badge in the status bar says
the mode is on, and View ▸ Leave classroom mode (or any other playground: File ▸ New, Open,
Paste settings) brings every control back as it was.

Which widgets make up each control is :mod:`~playground.qt.shell.classroom_controls`. The app
enables and disables some of those widgets itself (the class count follows the dataset, the
regularisation rate the regularisation): :class:`Locks` keeps a locked widget disabled whatever
the app asks meanwhile, and gives it the state the app asked for last when the lock goes.
"""
from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QFormLayout, QLabel, QToolTip, QWidget

from playground.classroom import CONTROLS, HIDDEN, LOCKED, SHOWN, Classroom
from playground.messages import INFO
from playground.qt.shell.classroom_controls import EDITOR_CONTROLS, window_controls

LOCKED_TIP = "Locked by this lesson."
BADGE_STYLE = ("QLabel#classroomBadge { color: white; background: #6f42c1; border-radius: 3px;"
               " padding: 1px 6px; font-weight: bold; }")


def locked_tooltip(widget: QWidget) -> str:
    """What a locked widget says when pointed at: that it is locked, then its own tooltip."""
    own = widget.toolTip()
    return f"{LOCKED_TIP}\n{own}" if own else LOCKED_TIP


def form_row(widget: QWidget) -> tuple[QFormLayout | None, int]:
    """The form layout whose row holds ``widget`` as its field, and the row (None, -1 if
    none)."""
    parent = widget.parentWidget()
    if parent is None:
        return None, -1
    for form in parent.findChildren(QFormLayout):
        row, _role = form.getWidgetPosition(widget)
        if row >= 0:
            return form, row
    return None, -1


class Locks(QObject):
    """Widgets kept disabled, with a tooltip saying why, until :meth:`release_all`."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._wanted: dict[QWidget, bool] = {}    # enabled as the app last set it, per widget
        self._explained: set[QWidget] = set()     # tool buttons of locked actions: tooltip only
        self._setting = False

    def lock(self, widget: QWidget) -> None:
        if widget in self._wanted:
            return
        self._wanted[widget] = not widget.testAttribute(Qt.WidgetAttribute.WA_ForceDisabled)
        widget.installEventFilter(self)
        self._set(widget, False)

    def explain(self, widget: QWidget) -> None:
        """Say "Locked by this lesson" on a widget disabled another way (a locked action's
        tool button)."""
        self._explained.add(widget)
        widget.installEventFilter(self)

    def is_locked(self, widget: QWidget) -> bool:
        return widget in self._wanted

    def release_all(self) -> None:
        for widget, wanted in self._wanted.items():
            if shiboken6.isValid(widget):
                widget.removeEventFilter(self)
                self._set(widget, wanted)
        for widget in self._explained:
            if shiboken6.isValid(widget):
                widget.removeEventFilter(self)
        self._wanted.clear()
        self._explained.clear()

    def _set(self, widget: QWidget, enabled: bool) -> None:
        self._setting = True
        try:
            widget.setEnabled(enabled)
        finally:
            self._setting = False

    def eventFilter(self, watched, event) -> bool:
        kind = event.type()
        if kind == QEvent.Type.ToolTip and (watched in self._wanted or watched in self._explained):
            QToolTip.showText(event.globalPos(), locked_tooltip(watched), watched)
            return True
        if kind == QEvent.Type.EnabledChange and watched in self._wanted and not self._setting:
            # the app changed it: remember that for later, and keep it locked
            wanted = not watched.testAttribute(Qt.WidgetAttribute.WA_ForceDisabled)
            self._wanted[watched] = wanted
            if wanted:
                self._set(watched, False)
        return False


class ClassroomMode(QObject):
    """Hides and locks a window's controls as a lesson's :class:`Classroom` says.

    ``apply(classroom)`` (None or an open classroom: leave the mode), ``leave()``; ``active``
    says whether any control is hidden or locked. ``badge`` is the status bar's indicator and
    ``leave_action`` View ▸ Leave classroom mode.
    """

    def __init__(self, window, report=None):
        super().__init__(window)
        self.window = window
        self._report = report or (lambda text, kind: None)
        self.classroom = Classroom()
        self.locks = Locks(self)
        self._parts = None                  # built on first use: the window is complete then
        self._undo: list = []               # how to bring back what was hidden or disabled
        self._hidden_docks: list = []
        self.badge = QLabel("Classroom mode")
        self.badge.setObjectName("classroomBadge")
        self.badge.setAccessibleName("Classroom mode")
        self.badge.setStyleSheet(BADGE_STYLE)
        self.badge.hide()
        window.statusBar().addPermanentWidget(self.badge)
        self.leave_action = self._leave_action()
        window.sigClosing.connect(self._show_hidden_docks)

    def _leave_action(self):
        view = next(act.menu() for act in self.window.menuBar().actions()
                    if act.menu() is not None and act.text().replace("&", "") == "View")
        view.addSeparator()
        act = view.addAction("Leave classroom mode")
        act.setObjectName("leaveClassroomAction")
        act.setStatusTip("Show and unlock every control the lesson hid or locked.")
        act.setEnabled(False)
        act.triggered.connect(lambda: self.leave(say=True))
        return act

    @property
    def active(self) -> bool:
        return not self.classroom.is_open

    def state(self, control_id: str) -> str:
        """SHOWN, LOCKED or HIDDEN, as the window has it now."""
        return self.classroom.state(control_id)

    # ------------------------------------------------------------------ entering and leaving
    def apply(self, classroom: Classroom | None) -> None:
        """Hide and lock what ``classroom`` says (leaving the mode first)."""
        self.leave()
        if classroom is None or classroom.is_open:
            return
        if self._parts is None:
            self._parts = window_controls(self.window)
        self.classroom = classroom
        for control_id, parts in self._parts.items():
            state = classroom.state(control_id)
            if state == HIDDEN:
                self._hide(parts)
            elif state == LOCKED:
                self._lock(parts)
        self.window.network_editor.set_classroom(
            {control_id: classroom.state(control_id) for control_id in EDITOR_CONTROLS})
        if classroom.state("painter") != SHOWN:
            self.window.dataset_painter.paint_action.setChecked(False)
        self.badge.setToolTip(self.describe())
        self.badge.show()
        self.leave_action.setEnabled(True)
        # short: the status bar shows it beside the read-outs; the badge's tooltip says more
        self._report(f"Classroom mode: {self._summary()}", INFO)

    def leave(self, say: bool = False) -> None:
        """Show and unlock every control again."""
        if not self.active:
            return
        self.classroom = Classroom()
        self.locks.release_all()
        for restore in reversed(self._undo):
            restore()
        self._undo.clear()
        self._hidden_docks.clear()
        self.window.network_editor.set_classroom({})
        self.badge.hide()
        self.leave_action.setEnabled(False)
        if say:
            self._report("Left classroom mode: every control is back", INFO)

    def describe(self) -> str:
        """The badge's tooltip: what the lesson hides and locks, and how to leave."""
        lines = []
        for state, heading in ((HIDDEN, "Hidden"), (LOCKED, "Locked")):
            labels = [control.label for control_id, control in CONTROLS.items()
                      if self.classroom.state(control_id) == state]
            if labels:
                lines.append(f"{heading} by this lesson: {', '.join(labels)}.")
        return "\n".join(lines + ["View ▸ Leave classroom mode shows and unlocks them."])

    def _summary(self) -> str:
        hidden, locked = len(self.classroom.hidden), len(self.classroom.locked)
        parts = [f"{count} {verb}" for count, verb in ((hidden, "hidden"), (locked, "locked"))
                 if count]
        return f"{' and '.join(parts)} control{'s' * (hidden + locked != 1)}"

    # ------------------------------------------------------------------ hiding and locking
    def _hide(self, parts) -> None:
        for widget in parts.hidden:
            form, row = form_row(widget)
            if form is not None:
                shown = form.isRowVisible(row)
                form.setRowVisible(row, False)
                self._undo.append(lambda form=form, row=row, shown=shown:
                                  form.setRowVisible(row, shown))
            else:
                shown = not widget.isHidden()
                widget.hide()
                self._undo.append(lambda widget=widget, shown=shown: widget.setVisible(shown))
        for act in parts.actions + parts.hidden_actions:
            visible = act.isVisible()
            act.setVisible(False)
            self._undo.append(lambda act=act, visible=visible: act.setVisible(visible))
        if parts.dock is not None:
            self._hide_dock(parts.dock)

    def _hide_dock(self, dock) -> None:
        toggle = dock.toggleViewAction()
        shown = not dock.isHidden()
        dock.hide()
        toggle.setVisible(False)
        self._hidden_docks.append(dock)
        dock.visibilityChanged.connect(self._dock_shown)

        def restore():
            dock.visibilityChanged.disconnect(self._dock_shown)
            toggle.setVisible(True)
            dock.setVisible(shown)
        self._undo.append(restore)

    def _dock_shown(self, visible: bool) -> None:
        # View ▸ Restore default layout shows every dock: a hidden one goes again
        if visible:
            QTimer.singleShot(0, self._hide_docks_again)

    def _hide_docks_again(self) -> None:
        for dock in self._hidden_docks:
            if shiboken6.isValid(dock) and not dock.isHidden():
                dock.hide()

    def _lock(self, parts) -> None:
        for widget in parts.locked:
            self.locks.lock(widget)
        for act in parts.actions:
            enabled = act.isEnabled()
            act.setEnabled(False)
            self._undo.append(lambda act=act, enabled=enabled: act.setEnabled(enabled))
            for button in act.associatedObjects():
                if isinstance(button, QWidget) and button is not self.window:
                    self.locks.explain(button)

    # ------------------------------------------------------------------ closing
    def _show_hidden_docks(self) -> None:
        # the layout saved on closing is the window's own, not the lesson's
        for dock in self._hidden_docks:
            if shiboken6.isValid(dock):
                dock.blockSignals(True)
                dock.show()
                dock.blockSignals(False)
