"""One undo history for the window, over the undo stacks of its editors.

The network edits and the dataset painter each keep their own QUndoStack (the painter's is
cleared when other data arrive, which must not take the network's steps with it). The window's
Edit ▸ Undo and Redo go through :class:`EditHistory`, which stamps every new step with a
number as it is pushed and so knows their order across the stacks: Undo takes back the newest
step of any stack, Redo brings back the oldest step undone, and a step undone before a newer
edit was made is not redone (as on a single stack, where that edit would have dropped it).
"""
from __future__ import annotations

import itertools

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack

from playground.qt.network.edit_commands import NetworkEdits


class EditHistory(QObject):
    """Undo and redo across ``stacks`` in the order their steps were made.

    ``undo_action`` and ``redo_action`` (Ctrl+Z; Ctrl+Shift+Z and Ctrl+Y) follow what can be
    undone and redone, their text naming the step.
    """

    sigChanged = Signal()

    def __init__(self, stacks: list[QUndoStack], parent: QObject | None = None):
        super().__init__(parent)
        self.stacks = list(stacks)
        self._stamps = itertools.count(1)
        self.undo_action = QAction("&Undo", self)
        self.undo_action.setObjectName("undoAction")
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.undo_action.triggered.connect(self.undo)
        self.redo_action = QAction("&Redo", self)
        self.redo_action.setObjectName("redoAction")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.redo_action.triggered.connect(self.redo)
        for stack in self.stacks:
            # a method, not a lambda: Qt drops the connection with this object, before a
            # stack being destroyed (with the window) reports its last index change
            stack.indexChanged.connect(self._moved)
        self._update_actions()

    # --- what the next undo and redo are ------------------------------------------------------
    @staticmethod
    def _stamp(command) -> int:
        return getattr(command, "stamp", 0)

    def _next_undo(self) -> QUndoStack | None:
        stacks = [stack for stack in self.stacks if stack.canUndo()]
        return max(stacks, key=lambda s: self._stamp(s.command(s.index() - 1)), default=None)

    def _next_redo(self) -> QUndoStack | None:
        stacks = [stack for stack in self.stacks if stack.canRedo()]
        stack = min(stacks, key=lambda s: self._stamp(s.command(s.index())), default=None)
        newest_done = max((self._stamp(s.command(s.index() - 1))
                           for s in self.stacks if s.canUndo()), default=0)
        if stack is None or self._stamp(stack.command(stack.index())) < newest_done:
            return None         # undone before the newest edit was made: that edit dropped it
        return stack

    # --- actions ------------------------------------------------------------------------------
    def undo(self) -> None:
        stack = self._next_undo()
        if stack is not None:
            stack.undo()

    def redo(self) -> None:
        stack = self._next_redo()
        if stack is not None:
            stack.redo()

    @property
    def undo_text(self) -> str:
        """What Undo would take back ("" when nothing)."""
        stack = self._next_undo()
        return stack.undoText() if stack is not None else ""

    @property
    def redo_text(self) -> str:
        stack = self._next_redo()
        return stack.redoText() if stack is not None else ""

    def _moved(self, _index: int) -> None:
        stack = self.sender()
        if not isinstance(stack, QUndoStack) or not shiboken6.isValid(stack):
            return
        index = stack.index()
        if index > 0:
            top = stack.command(index - 1)
            if not self._stamp(top):
                top.stamp = next(self._stamps)     # a new step (a redone one keeps its stamp)
        self._update_actions()

    def _update_actions(self) -> None:
        if not all(shiboken6.isValid(stack) for stack in self.stacks):
            return          # the window is being destroyed
        for action, text, verb in ((self.undo_action, self.undo_text, "Undo"),
                                   (self.redo_action, self.redo_text, "Redo")):
            action.setEnabled(bool(text))
            action.setText(f"&{verb} {text}" if text else f"&{verb}")
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{verb} {text or 'the last edit'} ({keys})")
            action.setStatusTip(f"{verb} the last edit of the network or of the data"
                                if verb == "Undo" else
                                f"{verb} the edit undone last")
        self.sigChanged.emit()


def install_edit_menu(window, stacks: list[QUndoStack]) -> EditHistory:
    """An Edit menu with Undo and Redo over ``stacks``, right after File in ``window``'s menu
    bar; its shortcuts work with the menu closed. Returns the history."""
    history = EditHistory(stacks, window)
    bar = window.menuBar()
    menu = bar.addMenu("&Edit")
    menu.setObjectName("editMenu")
    for action in (history.undo_action, history.redo_action):
        menu.addAction(action)
        window.addAction(action)
    bar.insertMenu(bar.actions()[1], menu)
    return history


def install_window_edits(window) -> tuple[NetworkEdits, EditHistory]:
    """The main window's Edit menu: every network edit goes through a NetworkEdits on an undo
    stack of its own, undone and redone with the dataset painter's data edits in the order they
    were made. The window's Undo takes Ctrl+Z; the painter's own buttons undo data edits only.
    Returns (the network edits, the history)."""
    network_undo = QUndoStack(window)
    network_edits = NetworkEdits(window.controller, network_undo, parent=window)
    painter = window.dataset_painter
    for painter_action in (painter.undo_action, painter.redo_action):
        painter_action.setShortcuts([])
    return network_edits, install_edit_menu(window, [network_undo, painter.document.stack])
