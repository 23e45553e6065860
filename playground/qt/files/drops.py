"""Files dropped onto the main window: each goes where File ▸ Open would send it.

Qt hands a drag to the innermost widget under the mouse that accepts drops, and most of the
window is graphics views (the network, the boundary, the plots), which accept drops for their
scenes and then refuse anything no item takes. So the window accepts drops itself and this
filter sits on it and on every widget inside that accepts drops: a drag carrying local files is
taken wherever it is over the window; any other drag (text moved within a field, say) is left
to the widget.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QMimeData, QObject, QTimer
from PySide6.QtWidgets import QWidget

_DRAGS = (QEvent.Type.DragEnter, QEvent.Type.DragMove)


def local_files(mime: QMimeData) -> list[str]:
    """The local files a drag carries (none for text, or for web addresses)."""
    if not mime.hasUrls():
        return []
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]


class FileDrops(QObject):
    """Takes file drops on ``window``: one file goes to ``open_file(path)``; several are
    refused with ``refuse(text)``, since a window holds one playground at a time."""

    def __init__(self, window: QWidget, open_file: Callable[[str], object],
                 refuse: Callable[[str], None], parent: QObject | None = None):
        super().__init__(parent)
        self.window = window
        self._open_file = open_file
        self._refuse = refuse

    def install(self) -> None:
        """Accept drops on the window and on the widgets within it that would take them."""
        self.window.setAcceptDrops(True)
        for widget in (self.window, *self.window.findChildren(QWidget)):
            if widget.acceptDrops():
                widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        kind = event.type()
        if kind not in _DRAGS and kind != QEvent.Type.Drop:
            return False
        paths = local_files(event.mimeData())
        if not paths:
            return False
        event.acceptProposedAction()
        if kind == QEvent.Type.Drop:
            # after the drop has finished: opening may ask a question in a modal dialog, which
            # would otherwise hold the program the file came from in the middle of its drag
            QTimer.singleShot(0, self, lambda: self.drop(paths))
        return True

    def drop(self, paths: list[str]) -> None:
        """Open what was dropped (the paths of a drop's local files)."""
        if len(paths) > 1:
            self._refuse(f"{len(paths)} files were dropped; drop one file at a time.")
            return
        self._open_file(paths[0])
