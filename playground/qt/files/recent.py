"""File ▸ Open recent: the last files saved or opened, newest first, and the folder of the last
one, kept in the settings between sessions."""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QMenu

MAX_RECENT_FILES = 8
SETTINGS_RECENT = "files/recent"
SETTINGS_FOLDER = "files/lastFolder"


class RecentFiles(QObject):
    """The recent files in ``menu``; ``sigChosen(path)`` when one is picked from it."""

    sigChosen = Signal(str)

    def __init__(self, settings: QSettings, menu: QMenu, parent: QObject | None = None):
        super().__init__(parent)
        self.settings = settings
        self.menu = menu
        self._fill_menu()

    def paths(self) -> list[str]:
        value = self.settings.value(SETTINGS_RECENT, [])
        if isinstance(value, str):      # QSettings returns a one-element list as a string
            value = [value]
        return [str(path) for path in (value or [])]

    def remember(self, path: str) -> None:
        """``path`` was saved or opened: first in the list, and its folder the last one used."""
        path = os.path.abspath(path)
        recent = [path] + [p for p in self.paths() if p != path]
        self.settings.setValue(SETTINGS_RECENT, recent[:MAX_RECENT_FILES])
        self.settings.setValue(SETTINGS_FOLDER, os.path.dirname(path))
        self._fill_menu()

    def forget(self, path: str) -> None:
        self.settings.setValue(SETTINGS_RECENT, [p for p in self.paths() if p != path])
        self._fill_menu()

    def clear(self) -> None:
        self.settings.setValue(SETTINGS_RECENT, [])
        self._fill_menu()

    def last_folder(self) -> str:
        """The folder of the last file saved or opened, else the home folder."""
        return str(self.settings.value(SETTINGS_FOLDER, "") or os.path.expanduser("~"))

    def _fill_menu(self) -> None:
        menu = self.menu
        menu.clear()
        recent = self.paths()
        for number, path in enumerate(recent, start=1):
            act = menu.addAction(f"&{number} {Path(path).name}")
            act.setToolTip(path)
            act.setStatusTip(path)
            act.triggered.connect(lambda checked=False, path=path: self.sigChosen.emit(path))
        if recent:
            menu.addSeparator()
            menu.addAction("Clear list").triggered.connect(self.clear)
        menu.setEnabled(bool(recent))
