"""Reading saved playgrounds off the GUI thread, so the window keeps responding while it loads.

A file of the largest allowed size takes a second or two to check and rebuild, and a hostile
one up to the limits as long; on the GUI thread that is a frozen window. Here a plain Python
thread reads the file and builds the new Playground (pure code: no Qt object is created,
touched or destroyed on it) and leaves the outcome in a slot; a QTimer on the GUI thread
collects it and calls back there. The playground that is open is not touched until the
callback installs the new one.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer

from playground.messages import shorten
from playground.storage import StorageError, read_content, restore

POLL_INTERVAL_MS = 10


@dataclass(frozen=True)
class Opened:
    """A file read and rebuilt: the new Playground and the content it was built from."""

    playground: object
    content: dict


def open_playground(path) -> Opened:
    """Read and rebuild the playground saved at ``path`` (StorageError naming the problem)."""
    content = read_content(path)
    return Opened(restore(content), content)


class FileLoader(QObject):
    """Reads one file at a time on a background thread and reports on the GUI thread.

    ``start(path, done)`` calls ``done(path, opened, problem)`` later on the GUI thread: an
    :class:`Opened` and "" on success, None and the reason on failure. ``busy`` is true in
    between. If the loader is destroyed first (its window closed), ``done`` is never called
    and the thread's result is dropped. While ``hold`` is true a finished result waits (the
    window is in the middle of something the new playground must not arrive in).
    """

    def __init__(self, parent: QObject | None = None, read=open_playground):
        super().__init__(parent)
        self._read = read
        self._thread: threading.Thread | None = None
        self._outcome: list = []
        self._done = None
        self._path = None
        self.hold = False
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_INTERVAL_MS)
        self._timer.timeout.connect(self._collect)

    @property
    def busy(self) -> bool:
        return self._thread is not None

    @property
    def path(self):
        """The file being read (None when idle)."""
        return self._path

    def start(self, path, done) -> None:
        if self.busy:
            raise RuntimeError("a file is already being opened")
        outcome: list = []
        read = self._read

        def run() -> None:
            try:
                outcome.append((read(path), ""))
            except StorageError as error:
                outcome.append((None, str(error)))
            except Exception as error:  # noqa: BLE001 - reported, never lost with the thread
                outcome.append((None, shorten(f"{type(error).__name__}: {error}")))

        self._outcome, self._done, self._path = outcome, done, path
        self._thread = threading.Thread(target=run, name="PlaygroundFileLoader", daemon=True)
        self._thread.start()
        self._timer.start()

    def _collect(self) -> None:
        if self._thread is None or self._thread.is_alive() or self.hold:
            return
        self._thread.join()
        self._timer.stop()
        (opened, problem), = self._outcome
        done, path = self._done, self._path
        self._thread, self._outcome, self._done, self._path = None, [], None, None
        done(path, opened, problem)
