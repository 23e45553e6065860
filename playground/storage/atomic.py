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
    path = _through_links(Path(path))
    folder = path.parent if str(path.parent) else Path(".")
    try:
        mode = os.stat(path).st_mode & 0o777
    except FileNotFoundError:
        mode = 0o644
    except OSError as error:
        raise StorageError(f"cannot save {path}: {error.strerror or error}") from None
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX,
                                             dir=folder)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
        temporary = None
        _fsync_folder(folder)
    except OSError as error:
        raise StorageError(f"cannot save {path}: {error.strerror or error}") from None
    finally:
        if temporary is not None:
            _remove(Path(temporary))
    remove_abandoned_temporaries(path)


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
