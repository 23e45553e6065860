"""A tab of the backprop inspector: the explanation of one pass above its scrolling tables."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from playground.qt import theme
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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addWidget(self.note)
        layout.addWidget(self.area, 1)

    @property
    def cache_color(self) -> str:
        """Colour of the ↺ mark on values the forward pass cached for the backward pass."""
        return CACHE_COLORS[theme.is_dark(self.palette())]

    def cached(self, text: str) -> str:
        """A formula title carrying the 'kept in the cache' mark."""
        return f'{text} <span style="color:{self.cache_color}">↺</span>'
