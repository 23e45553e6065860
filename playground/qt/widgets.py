"""Small helpers for the controls of every panel: a name for tests and screen readers, keyboard
focus that leaves the window's shortcuts (Space, Right, R) alone, and a one-line label."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

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
