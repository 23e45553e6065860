"""Every question the File menu asks the user, in one replaceable object.

The file actions never open a dialog themselves; they ask a Prompter. Tests put a scripted one in
its place, so no test ever blocks on a modal dialog.
"""
from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from playground.messages import shorten

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


class Prompter:
    """Real dialogs, parented to ``parent``."""

    def __init__(self, parent: QWidget):
        self.parent = parent

    def save_path(self, title: str, suggested: str, filters: str) -> str | None:
        """A path to write, or None when cancelled."""
        path, _ = QFileDialog.getSaveFileName(self.parent, title, suggested, filters)
        return path or None

    def open_path(self, title: str, folder: str, filters: str) -> str | None:
        path, _ = QFileDialog.getOpenFileName(self.parent, title, folder, filters)
        return path or None

    def unsaved_changes(self, name: str) -> str:
        """SAVE, DISCARD or CANCEL for a playground with unsaved changes."""
        buttons = QMessageBox.StandardButton
        box = QMessageBox(QMessageBox.Icon.Warning, "Unsaved changes",
                          f"Save the changes to {name} first?",
                          buttons.Save | buttons.Discard | buttons.Cancel, self.parent)
        box.setInformativeText("Training progress, settings and painted points that are not "
                               "saved will be lost.")
        box.setDefaultButton(buttons.Save)
        answer = box.exec()
        return {buttons.Save: SAVE, buttons.Discard: DISCARD}.get(
            buttons(answer), CANCEL)

    def restore_autosave(self, description: str) -> bool:
        """Whether to restore a playground autosaved by a session that ended in a crash."""
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self.parent, "Restore unsaved work?",
            f"Backprop Playground did not close normally last time.\n\n{description}\n\n"
            "Restore it? (Choosing No deletes the autosave.)",
            buttons.Yes | buttons.No, buttons.Yes)
        return answer == buttons.Yes

    def error(self, title: str, text: str) -> None:
        QMessageBox.warning(self.parent, title, shorten(text))
