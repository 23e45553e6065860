"""Edit ▸ Copy settings and Paste settings: a playground's settings as a few lines of text
(``playground.settings_text``), the way a teacher shares a set-up in a chat or a worksheet.

Pasting is all or nothing. The text is read, then a playground is built from it — settings
that are each fine may still not go together (circle has two classes only) — and only then,
after asking about unsaved changes as File ▸ Open does, does it replace the open playground;
anything wrong is refused with a message naming the key, and nothing changes.
"""
from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMenu

from playground.messages import ERROR, SUCCESS
from playground.settings_text import SettingsError, format_settings, parse_settings
from playground.storage import StorageError, new_playground

COPY_TIP = ("Copy the playground's settings as text (dataset, network, training; not the "
            "weights or painted points) to share them.")
PASTE_TIP = "Start a playground from settings text on the clipboard (asks about unsaved changes)."


class SettingsClipboard(QObject):
    """``copy_action`` and ``paste_action`` at the end of the Edit menu; ``copy()`` and
    ``paste(text=None)`` (the clipboard's text when None) do the work."""

    def __init__(self, window, file_actions, menu: QMenu):
        super().__init__(window)
        self.window = window
        self.file_actions = file_actions
        menu.addSeparator()
        self.copy_action = self._action(menu, "&Copy settings", "Ctrl+Shift+C", COPY_TIP,
                                        self.copy, "copySettingsAction")
        self.paste_action = self._action(menu, "&Paste settings", "Ctrl+Shift+V", PASTE_TIP,
                                         self.paste, "pasteSettingsAction")

    def _action(self, menu, text, keys, tip, slot, name) -> QAction:
        act = menu.addAction(text)
        act.setObjectName(name)
        act.setShortcut(QKeySequence(keys))
        act.setStatusTip(tip)
        act.triggered.connect(lambda checked=False: slot())
        self.window.addAction(act)
        return act

    def copy(self) -> str:
        """Put the settings in force on the clipboard; returns the text."""
        text = format_settings(self.window.config)
        QGuiApplication.clipboard().setText(text)
        self.file_actions.message("Copied the settings as text (not the weights or painted "
                                  "points): paste them in a chat, a worksheet or Edit ▸ Paste "
                                  "settings", kind=SUCCESS)
        return text

    def paste(self, text: str | None = None) -> bool:
        """Replace the playground by one of the settings in ``text``; True when it did."""
        if text is None:
            text = QGuiApplication.clipboard().text()
        try:
            config = parse_settings(text)
        except SettingsError as error:
            return self._refuse(f"The clipboard does not hold settings this app can use: "
                                f"{error}.")
        try:
            playground = new_playground(config)
        except (ValueError, KeyError, TypeError, StorageError) as error:
            return self._refuse(f"These settings do not go together: {error}.")
        return self.file_actions.replace_playground(playground, "Pasted the settings: a new "
                                                    "playground with fresh weights")

    def _refuse(self, text: str) -> bool:
        self.file_actions.message(f"Cannot paste settings: {text}", kind=ERROR)
        self.file_actions.prompter.error("Cannot paste settings", text + "\n\nNothing changed.")
        return False
