"""The open playground as a document: its file, its title in the window, and whether it has
unsaved changes.

"Unsaved changes" compares the fingerprint of each snapshot (weights, training position, data),
the settings in force and the pinned runs with those of the last file saved or opened. The
pinned runs live here, with the document they are saved in (``pins``, ``set_pins``). A playground opened is
handed to the worker here; until the worker confirms it took it, snapshots and settings still in
flight describe the old one and are not compared.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from playground.runs import PinnedRuns
from playground.storage import capture, pins_from_content
from playground.storage.config_codec import config_from_dict
from playground.storage.fingerprint import content_fingerprint, state_fingerprint

APP_TITLE = "Backprop Playground"


def snapshot_fingerprint(snapshot) -> str:
    """What a save would capture of the snapshot's state: weights, training position, data."""
    data = snapshot.data
    return state_fingerprint(snapshot.epoch, snapshot.batch_in_epoch, snapshot.weights,
                             snapshot.biases, data.X_train, data.y_train, data.X_test,
                             data.y_test)


def pins_key(pins: PinnedRuns) -> tuple:
    """What "the pins changed" is measured on: each pin's label, visibility, settings and run."""
    return tuple((run.label, run.visible, run.config, run.last_epoch, len(run.history["epochs"]))
                 for run in pins)


def capture_safely(playground, pins: PinnedRuns | None = None):
    """(True, the playground's content, with ``pins``) or (False, the reason there is none).

    Runs in the worker thread (``run_in_worker``), between two mini-batches: it hands back
    copies, and an error is reported to the user, never lost in the thread."""
    try:
        return True, capture(playground, pins)
    except Exception as error:  # noqa: BLE001 - reported to the user, never lost in the thread
        return False, f"{type(error).__name__}: {error}"


def _nothing(playground):
    return None


class Document(QObject):
    """The file, title and unsaved-changes state of one window's playground.

    ``track()`` starts following the controller's snapshots and settings. ``path`` is the file
    (None until saved or opened), ``title`` the name the window shows, ``modified`` whether
    anything changed since.
    """

    sigModifiedChanged = Signal(bool)
    sigPathChanged = Signal(str)
    sigPinsChanged = Signal(object)     # PinnedRuns: pinned, shown, hidden, removed or loaded

    def __init__(self, window, controller):
        super().__init__(window)
        self.window = window
        self.controller = controller
        self.path: str | None = None
        self.title = "Untitled"
        self.pins = PinnedRuns()
        self.loads = 0          # playgrounds handed over so far: a late answer can tell its own
        # (fingerprint, config, pins key) of what was last saved or opened
        self._baseline: tuple = (None, None, pins_key(self.pins))
        self._current_fingerprint: str | None = None
        self._modified = False
        # between handing a playground to the worker and the worker confirming it took it,
        # snapshots and settings still in flight describe the old playground
        self._settling = False

    def track(self) -> None:
        """Follow the controller: every snapshot and setting is compared with the baseline."""
        self.controller.sigSnapshot.connect(self._snapshot_arrived)
        self.controller.sigConfigChanged.connect(lambda config: self._update_modified())
        latest = self.controller.latest_snapshot
        if latest is not None:
            self._current_fingerprint = snapshot_fingerprint(latest)
            self._baseline = (self._current_fingerprint, self.controller.config,
                              pins_key(self.pins))
        self._update_title()

    @property
    def modified(self) -> bool:
        return self._modified

    def state(self) -> tuple:
        """What "changed" is measured on: the last snapshot's fingerprint, the settings and
        the pinned runs."""
        return self._current_fingerprint, self.controller.config, pins_key(self.pins)

    def set_pins(self, pins: PinnedRuns) -> None:
        """The pinned runs after the user changed them (saved with the document)."""
        self.pins = pins
        self.sigPinsChanged.emit(pins)
        self._update_modified()

    def set_baseline(self, content: dict | None) -> None:
        """The state just saved or opened (None: a restored autosave, never 'saved')."""
        if content is None:
            self._baseline = ("restored", None, None)
        else:
            self._baseline = (content_fingerprint(content),
                              config_from_dict(content["config"], complete=True),
                              pins_key(pins_from_content(content)))
        self._update_modified()

    def load(self, playground, content: dict | None, pins: PinnedRuns | None = None) -> None:
        """Hand a new playground to the worker; ``content`` is what it was built from, with
        its pinned runs (``pins``, if given, instead: an autosave restored)."""
        self.controller.pause()             # what was opened is shown, not trained on at once
        self.controller.load_playground(playground)
        self.loads += 1
        if pins is None:
            pins = pins_from_content(content) if content is not None else PinnedRuns()
        self.pins = pins
        self.sigPinsChanged.emit(pins)
        self._settling = True
        self.set_baseline(content)
        self._current_fingerprint = self._baseline[0]
        self._set_modified(content is None)
        # commands run in order: when this answers, the loaded playground's snapshot and
        # settings have already been relayed
        self.controller.run_in_worker(_nothing, self._settled)

    def set_path(self, path: str | None, title: str | None = None) -> None:
        self.path = path
        self.title = title or (Path(path).name if path else "Untitled")
        self._update_title()
        self.sigPathChanged.emit(path or "")

    def stem(self) -> str:
        """A file name (without suffix) to suggest: the file's, else one made of the title."""
        if self.path:
            return Path(self.path).stem
        stem = self.title.removeprefix("Lesson: ")
        return "".join(c if c.isalnum() or c in "-_" else "-" for c in stem).strip("-").lower() \
            or "playground"

    def _snapshot_arrived(self, snapshot) -> None:
        if self._settling:
            return
        self._current_fingerprint = snapshot_fingerprint(snapshot)
        if self._baseline[0] is None and self._baseline[1] is None:
            self._baseline = (self._current_fingerprint, self.controller.config,
                              pins_key(self.pins))
        self._update_modified()

    def _update_modified(self) -> None:
        if not self._settling:
            self._set_modified(self.state() != self._baseline)

    def _set_modified(self, modified: bool) -> None:
        if modified != self._modified:
            self._modified = modified
            self.window.setWindowModified(modified)
            self.sigModifiedChanged.emit(modified)

    def _settled(self, _result) -> None:
        self._settling = False
        latest = self.controller.latest_snapshot
        if latest is not None:
            self._current_fingerprint = snapshot_fingerprint(latest)
        self._update_modified()

    def _update_title(self) -> None:
        self.window.setWindowTitle(f"{self.title}[*] — {APP_TITLE}")
        self.window.setWindowModified(self._modified)
