"""A matrix as a compact heatmap table, for the backprop inspector.

MatrixModel keeps every value exactly (tests and tooltips read the float itself) and colours
cells with the shared diverging palette; MatrixTable sizes itself to its model, frames the
sample under the mouse and a picked cell, and reports hovered rows and clicked cells.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (QAbstractItemView, QFrame, QHBoxLayout, QHeaderView, QLabel,
                               QStyledItemDelegate, QTableView, QVBoxLayout, QWidget)

from playground.qt import theme

# sample tables longer than this scroll (together); the rest of the panel stays in view
MAX_VISIBLE_ROWS = 12
CELL_WIDTH = 60
CELL_HEIGHT = 18
HEATMAP_SCALES = ("matrix", "column", "none")
HEATMAP_LIGHTEN = 0.3
PICKED_COLOR = "#c62828"


def short_number(value: float, digits: int = 3) -> str:
    """A table cell's text: ``digits`` significant digits, tiny or huge values as 1.2e-5,
    non-finite ones as inf, -inf, nan."""
    if value == 0:
        return "0"
    if not np.isfinite(value):          # a step just before a divergence: inf, -inf, nan
        return str(value)
    if digits <= 3 and not 1e-3 <= abs(value) < 1e4:
        mantissa, exponent = f"{value:.1e}".split("e")
        return f"{mantissa}e{int(exponent)}"
    return f"{value:.{digits}g}"


@lru_cache(maxsize=1)
def heat_colors() -> tuple[QColor, ...]:
    """The diverging palette as QColors, lightened so dark text stays readable on every cell
    in light and dark themes."""
    return tuple(QColor(int(r), int(g), int(b)) for r, g, b in theme.diverging_lut(HEATMAP_LIGHTEN))


class MatrixModel(QAbstractTableModel):
    """A read-only 2-D array shown as a heatmap; every cell keeps its exact value.

    Roles: DisplayRole a compact number, ToolTipRole the full ``repr``, UserRole the float
    itself (what tests read back), BackgroundRole the shared diverging palette scaled to the
    matrix's largest magnitude. ``sample_rows`` marks matrices whose rows are the mini-batch's
    samples: those take part in the shared sample highlight.
    """

    def __init__(self, name: str, values: np.ndarray, row_labels, column_labels,
                 sample_rows: bool, heatmap: str = "matrix", digits: int = 3,
                 parent=None) -> None:
        super().__init__(parent)
        self.name = name
        self.digits = digits
        self.values = np.atleast_2d(np.asarray(values, dtype=np.float64))
        self.row_labels = list(row_labels)
        self.column_labels = list(column_labels)
        self.sample_rows = sample_rows
        self.highlighted_row = -1
        self.picked_cell: tuple[int, int] | None = None
        # colour scale: one per matrix, one per column (columns of different quantities), or none
        if heatmap not in HEATMAP_SCALES:
            raise ValueError(f"heatmap must be one of {HEATMAP_SCALES}, not {heatmap!r}")
        # the scale ignores inf and NaN (a step just before a divergence), so an infinite cell
        # saturates to the end colour and the finite cells keep their contrast
        magnitude = np.abs(self.values)
        magnitude[~np.isfinite(magnitude)] = 0.0
        if heatmap == "column":
            scale = np.max(magnitude, axis=0, initial=0.0)
        else:
            scale = np.full(self.values.shape[1], np.max(magnitude, initial=0.0))
        scale[scale == 0.0] = 1.0
        # one LUT index per cell; the 256 colours are shared by every table
        self._lut_index = (None if heatmap == "none"
                           else theme.lut_indices(self.values / scale, -1.0, 1.0))

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else self.values.shape[0]

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else self.values.shape[1]

    def value(self, row: int, column: int) -> float:
        return float(self.values[row, column])

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        value = self.value(index.row(), index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return short_number(value, self.digits)
        if role == Qt.ItemDataRole.UserRole:
            return value
        if role == Qt.ItemDataRole.ToolTipRole:
            return (f"{self.name}[{self.row_labels[index.row()]}, "
                    f"{self.column_labels[index.column()]}] = {value!r}")
        if role == Qt.ItemDataRole.BackgroundRole and self._lut_index is not None:
            return heat_colors()[self._lut_index[index.row(), index.column()]]
        if role == Qt.ItemDataRole.ForegroundRole and self._lut_index is not None:
            return QColor("#111111")  # the heatmap is light in both themes
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        labels = self.column_labels if orientation == Qt.Orientation.Horizontal else self.row_labels
        return labels[section] if 0 <= section < len(labels) else None

    def set_highlighted_row(self, row: int) -> None:
        if not self.sample_rows or row == self.highlighted_row:
            return
        old, self.highlighted_row = self.highlighted_row, row
        for changed in (old, row):
            if 0 <= changed < self.rowCount():
                self.dataChanged.emit(self.index(changed, 0),
                                      self.index(changed, self.columnCount() - 1))

    def set_picked_cell(self, cell: tuple[int, int] | None) -> None:
        old, self.picked_cell = self.picked_cell, cell
        for changed in (old, cell):
            if changed is not None:
                self.dataChanged.emit(self.index(*changed), self.index(*changed))


class FrameDelegate(QStyledItemDelegate):
    """Paints the cell, then frames the highlighted sample's row and the picked cell."""

    def paint(self, painter: QPainter, option, index) -> None:
        super().paint(painter, option, index)
        model = index.model()
        rect = option.rect.adjusted(0, 0, -1, -1)
        if getattr(model, "highlighted_row", -1) == index.row():
            painter.save()
            painter.setPen(QPen(QColor("#202020"), 2))
            painter.drawLine(rect.topLeft(), rect.topRight())
            painter.drawLine(rect.bottomLeft(), rect.bottomRight())
            if index.column() == 0:
                painter.drawLine(rect.topLeft(), rect.bottomLeft())
            if index.column() == model.columnCount() - 1:
                painter.drawLine(rect.topRight(), rect.bottomRight())
            painter.restore()
        if getattr(model, "picked_cell", None) == (index.row(), index.column()):
            painter.save()
            painter.setPen(QPen(QColor(PICKED_COLOR), 3))
            painter.drawRect(rect.adjusted(1, 1, -1, -1))
            painter.restore()


class MatrixTable(QTableView):
    """A compact, non-editable table sized to its model (long sample tables scroll)."""

    sigHoverRow = Signal(int)
    sigCellClicked = Signal(int, int)

    def __init__(self, model: MatrixModel, show_row_labels: bool, parent=None) -> None:
        super().__init__(parent)
        # the table owns its model: both go when the inspector replaces a tab's tables
        model.setParent(self)
        self.setModel(model)
        self.setItemDelegate(FrameDelegate(self))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMouseTracking(True)
        self.setWordWrap(False)
        self.setCornerButtonEnabled(False)
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() - 1.0))
        self.setFont(font)
        for header, size in ((self.horizontalHeader(), CELL_WIDTH),
                             (self.verticalHeader(), CELL_HEIGHT)):
            header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
            header.setDefaultSectionSize(size)
            header.setMinimumSectionSize(10)
            header.setFont(font)
        self.verticalHeader().setVisible(show_row_labels)
        self.horizontalHeader().setFixedHeight(CELL_HEIGHT + 2)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.entered.connect(lambda index: self.sigHoverRow.emit(index.row()))
        self.clicked.connect(lambda index: self.sigCellClicked.emit(index.row(), index.column()))
        self._fit_to_model(model)

    def set_column_width(self, width: int) -> None:
        self.horizontalHeader().setDefaultSectionSize(width)
        self._fit_to_model(self.model())

    def set_row_header_width(self, width: int) -> None:
        """Widen the row labels (to line up with a neighbour's longer labels)."""
        self._fit_to_model(self.model(), width)

    def _fit_to_model(self, model: MatrixModel, min_header_width: int = 0) -> None:
        """Fixed size showing every column and up to MAX_VISIBLE_ROWS rows."""
        rows, columns = model.rowCount(), model.columnCount()
        scrolls = rows > MAX_VISIBLE_ROWS
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn if scrolls
                                        else Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header_width = 0
        if not self.verticalHeader().isHidden():
            metrics = self.verticalHeader().fontMetrics()
            header_width = max(min_header_width, 12 + max(
                (metrics.horizontalAdvance(str(label)) for label in model.row_labels), default=0))
            self.verticalHeader().setFixedWidth(header_width)
        self.row_header_width = header_width
        scrollbar = self.verticalScrollBar().sizeHint().width() if scrolls else 0
        frame = 2 * self.frameWidth()
        column_width = self.horizontalHeader().defaultSectionSize()
        self.setFixedWidth(header_width + columns * column_width + scrollbar + frame)
        self.setFixedHeight(self.horizontalHeader().height() + min(rows, MAX_VISIBLE_ROWS)
                            * CELL_HEIGHT + frame)

    def leaveEvent(self, event) -> None:
        self.sigHoverRow.emit(-1)
        super().leaveEvent(event)


def block(title: str, tooltip: str, tables: list[tuple[str, QWidget]]) -> QWidget:
    """A titled column of captioned tables (one layer's z, W, b or δ, ∂L/∂W, ∂L/∂b)."""
    widget = QFrame()
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(2, 2, 2, 2)
    layout.setSpacing(2)
    heading = QLabel(title)
    heading.setTextFormat(Qt.TextFormat.RichText)
    heading.setToolTip(tooltip)
    layout.addWidget(heading)
    # indent tables without row labels so the columns of z, W and b (or δ, ∂L/∂W, ∂L/∂b) line up
    header = max((getattr(table, "row_header_width", 0) for _, table in tables), default=0)
    for _, table in tables:
        if getattr(table, "row_header_width", 0):
            table.set_row_header_width(header)
    for caption, table in tables:
        if caption:
            label = QLabel(caption)
            label.setTextFormat(Qt.TextFormat.RichText)
            layout.addWidget(label)
        row = QHBoxLayout()
        row.setContentsMargins(header - getattr(table, "row_header_width", 0), 0, 0, 0)
        row.addWidget(table)
        row.addStretch(1)
        layout.addLayout(row)
    layout.addStretch(1)
    return widget


def arrow(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
    label.setContentsMargins(2, 40, 2, 0)
    return label
