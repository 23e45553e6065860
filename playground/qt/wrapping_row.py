"""A row of controls that wraps onto a second line when the widget is too narrow for one.

A header bar in a QHBoxLayout is as wide as all its controls together, and that sum becomes
the minimum width of the widget under it, and so of the window: the network editor's header
with the initializer and the seed would keep the window from fitting a 1024-pixel screen. In a
:class:`WrappingRow` the narrowest it can be is its widest item; what does not fit goes to the
next line. An item whose horizontal size policy is Ignored (a hint text that shows as much as
fits) takes whatever is left of its line and never starts a line of its own.
"""
from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QSizePolicy, QWidget

FILLER_MIN_WIDTH = 40       # a filler narrower than this is not shown


class WrappingRow(QLayout):
    """Lays its items out left to right, in as many lines as the width needs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items = []

    # --- QLayout's item list --------------------------------------------------------------------
    def addItem(self, item) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int):
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int):
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def insert_widget(self, index: int, widget: QWidget) -> None:
        """Put ``widget`` at ``index`` in the row (QLayout has no insert of its own)."""
        self.addWidget(widget)
        self._items.insert(index, self._items.pop())
        self.invalidate()

    def index_of(self, widget: QWidget) -> int:
        return next((i for i, item in enumerate(self._items) if item.widget() is widget), -1)

    # --- sizes ----------------------------------------------------------------------------------
    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), place=False)

    def sizeHint(self) -> QSize:
        # everything on one line
        items = self._shown()
        width = sum(item.sizeHint().width() for item in items if not _fills(item))
        width += self.spacing() * max(len(items) - 1, 0)
        height = max((item.sizeHint().height() for item in items), default=0)
        return QSize(width, height) + self._margin_size()

    def minimumSize(self) -> QSize:
        widest = QSize()
        for item in self._shown():
            if not _fills(item):
                widest = widest.expandedTo(item.minimumSize().expandedTo(item.sizeHint()))
        return widest + self._margin_size()

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, place=True)

    # --- internals ------------------------------------------------------------------------------
    def _shown(self) -> list:
        return [item for item in self._items
                if item.widget() is None or not item.widget().isHidden()]

    def _margin_size(self) -> QSize:
        margins = self.contentsMargins()
        return QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _arrange(self, rect: QRect, place: bool) -> int:
        """Place the items in ``rect`` (if ``place``); returns the height they take."""
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        spacing = self.spacing()
        lines: list[list] = [[]]
        x = area.left()
        for item in self._shown():
            width = 0 if _fills(item) else item.sizeHint().width()
            if lines[-1] and not _fills(item) and x + width > area.right() + 1:
                lines.append([])
                x = area.left()
            lines[-1].append(item)
            x += width + spacing
        y = area.top()
        for line in lines:
            height = max((item.sizeHint().height() for item in line), default=0)
            x = area.left()
            for item in line:
                hint = item.sizeHint()
                width = hint.width()
                if _fills(item):
                    width = area.right() + 1 - x
                    width = width if width >= FILLER_MIN_WIDTH else 0
                if place:
                    top = y + (height - hint.height()) // 2
                    item.setGeometry(QRect(QPoint(x, top), QSize(max(width, 0), hint.height())))
                x += width + spacing
            y += height + spacing
        return y - spacing - rect.top() + margins.bottom() if lines[0] else 0


def _fills(item) -> bool:
    """An item that takes what is left of its line (a horizontal size policy of Ignored)."""
    widget = item.widget()
    return widget is not None and \
        widget.sizePolicy().horizontalPolicy() == QSizePolicy.Policy.Ignored
