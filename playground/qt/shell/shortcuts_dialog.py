"""Help ▸ Keyboard shortcuts: every key of the window, read from its actions when asked.

The list is made from the actions themselves (their shortcuts, their menu, their text), so a
shortcut added, changed or removed anywhere shows here without anyone editing a list; the keys
of the network drawing, which are not actions, come from the module that handles them.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from playground.qt.network.keyboard import KEYS as NETWORK_KEYS


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def _menu_of_actions(window) -> dict[QAction, str]:
    """Each action of the menu bar's menus (submenus included) → its menu's title."""
    found: dict[QAction, str] = {}

    def visit(menu, title: str) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                visit(action.menu(), title)
            elif not action.isSeparator():
                found.setdefault(action, title)

    for top in window.menuBar().actions():
        if top.menu() is not None:
            visit(top.menu(), _plain(top.text()))
    return found


def _owner_title(action: QAction) -> str:
    """A group for an action that is in no menu: the panel it belongs to."""
    parent = action.parent()
    while parent is not None:
        if isinstance(parent, QWidget) and parent.accessibleName():
            return parent.accessibleName()
        if isinstance(parent, QWidget) and parent.windowTitle() and parent.parent() is not None:
            return parent.windowTitle()
        parent = parent.parent()
    return "Window"


def shortcut_rows(window) -> list[tuple[str, str, str]]:
    """(group, keys, what it does) for every action of ``window`` with a shortcut, menus
    first in menu-bar order, then the keys of the network drawing."""
    in_menus = _menu_of_actions(window)
    actions = list(in_menus)
    actions += [action for action in window.findChildren(QAction) if action not in in_menus]
    rows, seen = [], set()
    for action in actions:
        keys = [key for key in action.shortcuts() if not key.isEmpty()]
        if not keys or action in seen:
            continue
        seen.add(action)
        text = _plain(action.text())
        if len(text) <= 2:           # a class number of the painter: its tooltip says more
            text = action.toolTip().split(" (")[0].rstrip(".")   # (the key is in Keys)
        group = in_menus.get(action) or _owner_title(action)
        rows.append((group, ", ".join(key.toString(QKeySequence.SequenceFormat.NativeText)
                                      for key in keys), text))
    rows += [("Network drawing", keys, text) for keys, text in NETWORK_KEYS]
    return rows


class ShortcutsDialog(QDialog):
    """A table of every shortcut (objectName "shortcutsDialog"), built when it opens."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        rows = shortcut_rows(window)
        self.table = QTableWidget(len(rows), 3)
        self.table.setObjectName("shortcutsTable")
        self.table.setHorizontalHeaderLabels(["Where", "Keys", "Action"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        note = QLabel("Tab and Shift+Tab move between the controls. While a text field has the "
                      "keyboard, the arrows move in it; in a number field Space commits the "
                      "number and plays.")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(640, 520)


def show_shortcuts(window) -> ShortcutsDialog:
    """Open the dialog over ``window`` (deleted when closed) and return it."""
    dialog = ShortcutsDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
