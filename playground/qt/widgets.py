"""Small helpers for the controls of every panel: a name for tests and screen readers, keyboard
focus that leaves the window's shortcuts (Space, Right, R) alone, number fields that let Space
through, arrows that stay in lists and fields, and a one-line label."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QPainter
from PySide6.QtWidgets import (QAbstractItemView, QAbstractSlider, QAbstractSpinBox,
                               QApplication, QComboBox, QLabel, QLineEdit, QSizePolicy, QTabBar,
                               QToolButton, QWidget)

ARROW_KEYS = (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down)
SPACE_KEY = (Qt.Key.Key_Space,)


def describe(widget: QWidget, object_name: str, accessible: str, tooltip: str) -> None:
    """Name a control three ways: for tests and tools, for screen readers, and for the mouse."""
    widget.setObjectName(object_name)
    widget.setAccessibleName(accessible)
    widget.setToolTip(tooltip)


class _KeepKeys(QObject):
    """Event filter letting a focused widget keep keys the window also uses as shortcuts."""

    def __init__(self, keys, parent: QObject):
        super().__init__(parent)
        self._keys = frozenset(keys)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and event.key() in self._keys \
                and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            event.accept()   # accepted: Qt delivers the key to the widget, not to the shortcut
            return True
        return False


def tab_focus_only(widget: QWidget, own_keys=()) -> None:
    """Let a control take focus by Tab only and keep ``own_keys`` while it has focus.

    A mouse click then leaves the keyboard focus where it was, so Space and Right keep meaning
    play and step; a keyboard user who tabs to a slider or a check box still moves or toggles it
    with the arrows or Space.
    """
    widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    if own_keys:
        widget.installEventFilter(_KeepKeys(own_keys, widget))


class _SpaceCommits(QObject):
    """Event filter of a number field: a space is never part of a number, so Space commits
    what was typed (as Enter does, in ``editor``) and then reaches the window's shortcut."""

    def __init__(self, editor: QWidget, parent: QObject):
        super().__init__(parent)
        self._editor = editor

    def eventFilter(self, watched, event) -> bool:
        if (event.type() == QEvent.Type.ShortcutOverride and event.key() == Qt.Key.Key_Space
                and not event.modifiers()):
            QApplication.sendEvent(self._editor, QKeyEvent(
                QEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier))
            event.ignore()          # not taken: the shortcut runs
            return True
        return False


def number_field(widget: QWidget) -> None:
    """Make a field that holds a number (a line edit, a spin box or an editable combo box) let
    Space through to the window after committing the number typed; the arrows keep moving the
    cursor in it."""
    # an editable combo box has the keyboard itself and hands the keys to its line edit
    editor = widget.lineEdit() if isinstance(widget, QComboBox) else widget
    for target in {widget, editor}:
        target.installEventFilter(_SpaceCommits(editor, target))


# the » button of a tool bar too narrow for all its buttons: it lists the rest
TOOL_BAR_EXTENSION = "qt_toolbar_ext_button"


def tab_focus_buttons(bar: QWidget) -> None:
    """Let Tab reach the buttons of a tool bar (Qt leaves them out of the focus chain), the »
    of the buttons that do not fit included, each pressed with Space while it has the
    keyboard."""
    for button in bar.findChildren(QToolButton):
        if button.defaultAction() is not None or button.objectName() == TOOL_BAR_EXTENSION:
            tab_focus_only(button, SPACE_KEY)


# controls that move with the arrow keys: a list or table, a slider, a tab bar, a field
ARROW_CONTROLS = (QAbstractItemView, QAbstractSlider, QAbstractSpinBox, QTabBar, QLineEdit,
                  QComboBox)


class ArrowsStayInControls(QObject):
    """Application event filter for one window: while a list, a slider, a tab bar or a field of
    ``window`` has the keyboard, the arrow keys move in it instead of reaching the window's
    shortcuts (Right and Left step training only from elsewhere)."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self._window = window

    def eventFilter(self, watched, event) -> bool:
        if (event.type() == QEvent.Type.ShortcutOverride and event.key() in ARROW_KEYS
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
                and isinstance(watched, ARROW_CONTROLS) and watched.window() is self._window):
            event.accept()
            return True
        return False
class OneLineLabel(QLabel):
    """Plain text on one line of fixed height, cut with "…" when too long (the tooltip holds
    all of it): what is under it never moves when the text changes length. ``text()`` is
    the whole text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(self.fontMetrics().lineSpacing() + 2)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        rect = self.contentsRect()
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight,
                                              rect.width())
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         shown)
