"""A layout that places widgets left to right and wraps to a new row when the width runs out.

The inspector's tables go in one: on a wide panel a pass reads as one row (a₀ → z₁ → a₁ …), on
a narrow one the blocks stack (a₀ above z₁), so the panel scrolls down, never sideways; so do
the items of the colour legend, and the network editor's header, whose controls side by side
would otherwise set the minimum width of the editor, and so of the window. The layout reports
its height for a width, which a resizable QScrollArea (or any layout holding it) uses to give
it the rows it needs; the narrowest it can be is its widest item.

An item whose horizontal size policy is Ignored (a hint text that shows as much as fits) is a
filler: it takes whatever is left of its row, never starts a row of its own, and counts in
neither the layout's size hint nor its minimum. Hidden widgets take no room.
"""
from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QWidget

FILLER_MIN_WIDTH = 40       # a filler narrower than this is not shown


class FlowLayout(QLayout):
    """Items in rows, as many as fit a row, each row's items aligned at their tops (or, with
    ``centred``, on the row's middle)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6,
                 row_spacing: int | None = None, centred: bool = False) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self._row_spacing = spacing if row_spacing is None else row_spacing
        self._centred = centred
        self.setContentsMargins(QMargins(0, 0, 0, 0))

    # --- QLayout's interface ----------------------------------------------------------------
    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def insert_widget(self, index: int, widget: QWidget) -> None:
        """Put ``widget`` at ``index`` in the flow (QLayout has no insert of its own)."""
        self.addWidget(widget)
        self._items.insert(index, self._items.pop())
        self.invalidate()

    def index_of(self, widget: QWidget) -> int:
        return next((i for i, item in enumerate(self._items) if item.widget() is widget), -1)

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        """One row of everything: the width at which nothing wraps."""
        items = self._shown()
        width = sum(item.sizeHint().width() for item in items if not _fills(item)) \
            + self._spacing * max(len(items) - 1, 0)
        height = max((item.sizeHint().height() for item in items), default=0)
        return QSize(width, height) + self._margin_size()

    def minimumSize(self) -> QSize:
        """The widest item: narrower than that, something would be cut."""
        size = QSize()
        for item in self._shown():
            if not _fills(item):
                size = size.expandedTo(item.minimumSize())
        return size + self._margin_size()

    # --- placing ----------------------------------------------------------------------------
    def _shown(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _margin_size(self) -> QSize:
        margins = self.contentsMargins()
        return QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _arrange(self, rect: QRect, move: bool) -> int:
        """Place the items in rows within ``rect`` (only measure unless ``move``); the height
        used."""
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        rows: list[list[QLayoutItem]] = [[]]
        x = area.x()
        for item in self._shown():
            width = 0 if _fills(item) else item.sizeHint().width()
            if rows[-1] and not _fills(item) and x + width > area.right() + 1:
                rows.append([])
                x = area.x()
            rows[-1].append(item)
            x += width + self._spacing
        y = area.y()
        for row in rows:
            row_height = max((item.sizeHint().height() for item in row), default=0)
            x = area.x()
            for item in row:
                size = item.sizeHint()
                if _fills(item):
                    rest = area.right() + 1 - x
                    size.setWidth(rest if rest >= FILLER_MIN_WIDTH else 0)
                if move:
                    top = y + (row_height - size.height()) // 2 if self._centred else y
                    item.setGeometry(QRect(QPoint(x, top), size))
                x += size.width() + self._spacing
            y += row_height + self._row_spacing
        if not rows[0]:
            return margins.top() + margins.bottom()
        return y - self._row_spacing - rect.y() + margins.bottom()


def _fills(item: QLayoutItem) -> bool:
    """An item that takes what is left of its row (a horizontal size policy of Ignored)."""
    widget = item.widget()
    return widget is not None and \
        widget.sizePolicy().horizontalPolicy() == QSizePolicy.Policy.Ignored
