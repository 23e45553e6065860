"""Autosave and crash recovery: while a session runs, its unsaved changes are written to its
autosave every minute; at the next launch after a crash, that autosave is offered back.

An autosave that cannot be restored is never deleted: it is kept under another name, which the
message gives, and not offered again (see :mod:`~playground.qt.files.autosave`).
"""
from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from playground.qt.files.autosave import Autosaver
from playground.qt.files.document import Document, capture_safely
from playground.qt.files.loading import FileLoader
from playground.storage import StorageError, pins_from_content

AUTOSAVE_INTERVAL_MS = 60_000


class Recovery(QObject):
    """The autosave timer and the offer to restore a crashed session's autosave.

    Restoring reads the file with the window's ``loader`` (one file at a time) and hands the
    playground to ``document``; ``sigFinished`` says the offer is over, so opens asked for
    meanwhile can run.
    """

    sigFinished = Signal()

    def __init__(self, controller, document: Document, loader: FileLoader, prompter,
                 autosaver: Autosaver, message, interval_ms: int = AUTOSAVE_INTERVAL_MS,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.controller = controller
        self.document = document
        self.loader = loader
        self.prompter = prompter
        self.autosaver = autosaver
        self._message = message
        self._autosaved: tuple[str | None, object] = (None, None)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.autosave)

    def start(self) -> None:
        """Autosave every interval from now on."""
        self.timer.start()

    def stop(self) -> None:
        """The session ends cleanly: no more autosaves, and nothing left to recover."""
        self.timer.stop()
        self.autosaver.remove()

    def saved(self) -> None:
        """The playground was saved: its autosave has nothing left to recover."""
        self.autosaver.remove()

    def autosave(self) -> None:
        """Write the autosave if something changed since the last save or autosave."""
        state = self.document.state()
        if not self.document.modified:
            self.autosaver.remove()          # everything is saved: nothing to recover
            self._autosaved = (None, None)
            return
        if state == self._autosaved:
            return

        def write(result):
            ok, content = result
            if not ok:
                self._message(f"Autosave failed: {content}")
                return
            try:
                self.autosaver.write(content, self.document.path)
            except StorageError as error:
                self._message(f"Autosave failed: {error}")
                return
            self._autosaved = state

        pins = self.document.pins
        self.controller.run_in_worker(lambda playground: capture_safely(playground, pins), write)

    def offer(self) -> bool:
        """Offer each autosave of a crashed session, newest first, until one is restored.

        Returns True when one is being restored (it loads in the background).
        """
        return self._offer_orphans(self.autosaver.orphans())

    def _offer_orphans(self, orphans: list) -> bool:
        for index, orphan in enumerate(orphans):
            if not self.prompter.restore_autosave(orphan.description()):
                orphan.discard()
                continue
            rest = orphans[index + 1:]
            self.loader.start(str(orphan.path),
                              lambda path, opened, problem: self._recovered(orphan, rest, opened,
                                                                            problem))
            return True
        self.sigFinished.emit()
        return False

    def _recovered(self, orphan, rest: list, opened, problem: str) -> None:
        if opened is None:
            kept = orphan.keep_aside()
            where = f"It was kept as {kept}." if kept else f"It is still at {orphan.path}."
            self.prompter.error("Cannot restore the autosave", f"{problem}\n\n{where}")
            self._offer_orphans(rest)
            return
        self.document.load(opened.playground, None, pins_from_content(opened.content))
        self.document.set_path(orphan.source, None if orphan.source else "Recovered")
        orphan.discard()
        self.autosave()
        self.sigFinished.emit()
