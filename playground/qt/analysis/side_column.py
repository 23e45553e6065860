"""The Slope and Landscape panels' shape: a plot on the left, a column on its right with the
panel's choices (combo boxes) above a read-out that wraps."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLayout, QVBoxLayout, QWidget

from playground.qt.widgets import describe


def choice_box(choices, object_name: str, accessible: str, tooltip: str) -> QComboBox:
    """A combo box of ``choices``, (value, text) pairs; ``currentData()`` is the value."""
    box = QComboBox()
    for value, text in choices:
        box.addItem(text, value)
    describe(box, object_name, accessible, tooltip)
    return box


def readout_label(object_name: str) -> QLabel:
    """Rich text that wraps, from the top left, selectable (numbers to copy)."""
    label = QLabel()
    label.setObjectName(object_name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def plot_beside_column(panel: QWidget, plot: QWidget, choices: QLayout, readout: QLabel,
                       width: int, widens: bool) -> None:
    """Lay ``panel`` out: ``plot`` taking the room, then a column of ``width`` pixels (at least
    that, sharing the room, when it ``widens``) holding ``choices`` over ``readout``."""
    column = QVBoxLayout()
    column.setContentsMargins(0, 0, 0, 0)
    column.addLayout(choices)
    column.addWidget(readout, 1)
    box = QWidget()
    box.setLayout(column)
    if widens:
        box.setMinimumWidth(width)
    else:
        box.setFixedWidth(width)
    layout = QHBoxLayout(panel)
    layout.setContentsMargins(4, 4, 4, 4)
    layout.addWidget(plot, 1)
    layout.addWidget(box, 1 if widens else 0)
