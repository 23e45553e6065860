"""Saving a file so that it holds either the old or the new bytes, never half of them.

A temporary file ``.<name>.<random>.tmp`` in the target's folder is written and flushed to
disk, then renamed over the target. A save killed before the rename leaves that temporary file
behind; the next successful save of the same target removes such leftovers once they are old
enough that no other save can still be writing them. A target that is a symbolic link is saved
through the link: the file it points to is replaced and the link stays a link.
"""
from __future__ import annotations

import os
import re
import stat
import tempfile
import time
from pathlib import Path

from playground.storage.errors import StorageError

TEMPORARY_SUFFIX = ".tmp"
# a save writes its temporary file within seconds; one untouched for this long is a leftover
ABANDONED_AFTER_SECONDS = 3600.0
_RANDOM_PART = r"[a-z0-9_]{8}"     # what tempfile.mkstemp puts between prefix and suffix


def atomic_write_bytes(path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (StorageError naming the problem on failure)."""
    with AtomicFile(path) as file:
        file.write(data)


class AtomicFile:
    """A file written piece by piece beside ``path`` and moved over it only by :meth:`commit`.

    Until then the target is untouched; :meth:`discard` (or leaving the ``with`` block by an
    exception) removes what was written, so a cancelled or failed write leaves nothing behind.
    ``stream`` is the open temporary file (binary, seekable). Every OSError becomes a
    StorageError naming the target.
    """

    def __init__(self, path) -> None:
        self.path = _through_links(Path(path))
        folder = self.path.parent if str(self.path.parent) else Path(".")
        try:
            self._mode = os.stat(self.path).st_mode & 0o777
        except FileNotFoundError:
            self._mode = 0o644
        except OSError as error:
            raise self._error(error) from None
        try:
            handle, self.temporary = tempfile.mkstemp(prefix=f".{self.path.name}.",
                                                      suffix=TEMPORARY_SUFFIX, dir=folder)
        except OSError as error:
            raise self._error(error) from None
        self.stream = os.fdopen(handle, "w+b")
        self._folder = folder

    def write(self, data) -> None:
        try:
            self.stream.write(data)
        except OSError as error:
            self.discard()
            raise self._error(error) from None

    def commit(self) -> None:
        """Flush to disk and move the file over the target (whose permissions it keeps)."""
        try:
            if self.stream.closed:      # another program wrote the file (an encoder)
                with open(self.temporary, "rb") as written:
                    os.fsync(written.fileno())
            else:
                self.stream.flush()
                os.fsync(self.stream.fileno())
                self.stream.close()
            os.chmod(self.temporary, self._mode)
            os.replace(self.temporary, self.path)
        except OSError as error:
            self.discard()
            raise self._error(error) from None
        self.temporary = None
        _fsync_folder(self._folder)
        remove_abandoned_temporaries(self.path)

    def discard(self) -> None:
        """Close and remove the temporary file; the target stays as it was."""
        self.stream.close()
        if self.temporary is not None:
            _remove(Path(self.temporary))
            self.temporary = None

    def __enter__(self) -> "AtomicFile":
        return self

    def __exit__(self, kind, error, trace) -> None:
        if kind is None:
            self.commit()
        else:
            self.discard()

    def _error(self, error: OSError) -> StorageError:
        return StorageError(f"cannot save {self.path}: {error.strerror or error}")


def remove_abandoned_temporaries(path: Path, now: float | None = None) -> list[Path]:
    """Delete the temporary files that killed saves of ``path`` left behind; returns them.

    Only regular files named exactly as this module names them for ``path``, owned by this
    user and not modified for ABANDONED_AFTER_SECONDS are removed.
    """
    now = time.time() if now is None else now
    pattern = re.compile(rf"\.{re.escape(path.name)}\.{_RANDOM_PART}{re.escape(TEMPORARY_SUFFIX)}")
    removed = []
    try:
        candidates = [entry for entry in os.scandir(path.parent or ".")
                      if pattern.fullmatch(entry.name)]
    except OSError:
        return removed
    for entry in candidates:
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if (stat.S_ISREG(info.st_mode) and now - info.st_mtime > ABANDONED_AFTER_SECONDS
                and info.st_uid == getattr(os, "getuid", lambda: info.st_uid)()):
            if _remove(Path(entry.path)):
                removed.append(Path(entry.path))
    return removed


def _through_links(path: Path) -> Path:
    """The file a chain of symbolic links ends at (``path`` itself if it is not a link)."""
    if not path.is_symlink():
        return path
    return Path(os.path.realpath(path))


def _remove(path: Path) -> bool:
    try:
        os.unlink(path)
        return True
    except OSError:
        return False


def _fsync_folder(folder: Path) -> None:
    # Makes the rename itself durable on POSIX; Windows cannot open folders, and does not need to.
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
