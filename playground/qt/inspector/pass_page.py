"""A tab of the backprop inspector: the explanation of one pass above its scrolling tables.

The tables flow: as many blocks a row as the panel's width holds, the rest on the next rows, so
the page scrolls down but never sideways."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from playground.qt import theme
from playground.qt.flow_layout import FlowLayout
from playground.qt.inspector.step_tables import StepTables

# (light theme, dark theme) colours of the "cached" mark
CACHE_COLORS = ("#6f42c1", "#b694f5")


class PassPage(QWidget):
    """A page: ``note`` wraps to the dock's width above ``area``, which scrolls the tables the
    page builds into ``tables`` (shared with the other pages of the same step)."""

    def __init__(self, tables: StepTables, parent=None) -> None:
        super().__init__(parent)
        self.tables = tables
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.RichText)
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        self.area.setFrameShape(QFrame.Shape.NoFrame)
        self.area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addWidget(self.note)
        layout.addWidget(self.area, 1)

    @property
    def cache_color(self) -> str:
        """Colour of the ↺ mark on values the forward pass cached for the backward pass."""
        return CACHE_COLORS[theme.is_dark(self.palette())]

    def show_blocks(self, blocks: list[QWidget], above: list[QWidget] = (),
                    below: list[QWidget] = ()) -> None:
        """Make ``blocks`` the page's flowing tables, with ``above`` and ``below``
        (paragraphs) over and under them."""
        page = QWidget()
        outer = QVBoxLayout(page)
        for widget in above:
            outer.addWidget(widget)
        flow = FlowLayout()
        for block in blocks:
            flow.addWidget(block)
        outer.addLayout(flow)
        for widget in below:
            outer.addWidget(widget)
        outer.addStretch(1)
        self.area.setWidget(page)

    def cached(self, text: str) -> str:
        """A formula title carrying the 'kept in the cache' mark."""
        return f'{text} <span style="color:{self.cache_color}">↺</span>'


def joined(*widgets: QWidget) -> QWidget:
    """Widgets kept side by side on one row of the flow (an arrow and the block it leads to)."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(0)
    for widget in widgets:
        row.addWidget(widget, 0, Qt.AlignmentFlag.AlignTop)
    return box
