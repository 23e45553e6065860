"""Autosave files in the user's data folder, and finding those a crashed session left behind.

Each running app owns ``autosave-<pid>.bpp`` next to a QLockFile ``autosave-<pid>.lock`` that it
holds for its whole life. A clean exit deletes both. At the next launch an autosave whose lock can
be taken belongs to a session that is gone (crashed or killed): QLockFile recognises the dead
owner from the PID, host name and application name it wrote. Age alone never makes a lock stale
here (stale time 0), so a long-running second window's autosave is never offered to another one.
A small ``.json`` next to the autosave says which file it came from and when it was written.
An autosave that cannot be restored is renamed ``unrestored-<pid>-<time>.bpp`` (never deleted:
it is what the user had) and no longer offered.
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile, QStandardPaths

from playground.storage import StorageError, write_content
from playground.storage.format import atomic_write_bytes

AUTOSAVE_FOLDER = "autosave"
PREFIX = "autosave-"
KEPT_PREFIX = "unrestored-"


def default_folder() -> Path:
    """``<AppDataLocation>/autosave`` (e.g. ~/.local/share/Backprop Playground/... on Linux)."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base) / AUTOSAVE_FOLDER


@dataclass(frozen=True)
class Orphan:
    """An autosave left by a session that did not exit cleanly."""

    path: Path
    source: str | None        # the file it was opened from / saved as, if any
    saved_at: float           # seconds since the epoch

    def description(self) -> str:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.saved_at))
        origin = f"unsaved changes to {self.source}" if self.source else "an unsaved playground"
        return f"An autosave of {origin} from {when} was found."

    def discard(self) -> None:
        for path in (self.path, self.path.with_suffix(".json"), self.path.with_suffix(".lock")):
            try:
                path.unlink()
            except FileNotFoundError:
                pass

    def keep_aside(self) -> Path | None:
        """Rename the autosave so it is no longer offered, keeping its bytes; the new path,
        or None if it could not be renamed (it then stays where it is)."""
        stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(self.saved_at))
        kept = self.path.with_name(f"{KEPT_PREFIX}{self.path.stem[len(PREFIX):]}-{stamp}.bpp")
        try:
            os.replace(self.path, kept)
        except OSError:
            return None
        for path in (self.path.with_suffix(".json"), self.path.with_suffix(".lock")):
            try:
                path.unlink()
            except OSError:
                pass
        return kept


class Autosaver:
    """This session's autosave file and its lock."""

    def __init__(self, folder: Path | None = None):
        self.folder = Path(folder) if folder is not None else default_folder()
        self.path = self.folder / f"{PREFIX}{os.getpid()}.bpp"
        self._lock: QLockFile | None = None

    def _ensure_locked(self) -> None:
        if self._lock is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            lock = QLockFile(str(self.path.with_suffix(".lock")))
            lock.setStaleLockTime(0)
            if not lock.tryLock(0):
                raise StorageError(f"cannot lock the autosave file {self.path}")
            self._lock = lock

    def write(self, content: dict, source: str | None) -> None:
        """Write the captured playground atomically (StorageError on failure)."""
        try:
            self._ensure_locked()
        except OSError as error:
            raise StorageError(f"cannot create {self.folder}: {error.strerror or error}") from None
        write_content(self.path, content)
        info = {"source": source, "saved_at": time.time()}
        atomic_write_bytes(self.path.with_suffix(".json"), json.dumps(info).encode("utf-8"))

    def remove(self) -> None:
        """Clean exit: nothing to recover."""
        for path in (self.path, self.path.with_suffix(".json")):
            try:
                path.unlink()
            except OSError:     # not there, or its folder unusable: closing goes on regardless
                pass
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None

    def orphans(self) -> list[Orphan]:
        """Autosaves of sessions that are gone, newest first (never this session's own)."""
        found = []
        if not self.folder.is_dir():
            return found
        for path in self.folder.glob(f"{PREFIX}*.bpp"):
            if path == self.path:
                continue
            lock = QLockFile(str(path.with_suffix(".lock")))
            lock.setStaleLockTime(0)
            if not lock.tryLock(0):
                continue                      # its session is still running
            lock.unlock()
            found.append(Orphan(path, *_read_info(path)))
        return sorted(found, key=lambda orphan: orphan.saved_at, reverse=True)


def _read_info(path: Path) -> tuple[str | None, float]:
    try:
        info = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        source = info.get("source")
        return (source if isinstance(source, str) else None), float(info["saved_at"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None, path.stat().st_mtime
