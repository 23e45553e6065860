"""Opening a file the user chose without trusting what kind of file it is (pure; no Qt)."""
from __future__ import annotations

import os
import stat
from pathlib import Path


class NotARegularFile(ValueError):
    """The path names a folder, a device or a pipe, which no reader of ours can use."""


def open_regular_file(path):
    """``path`` opened for binary reading, after checking it is a regular file.

    The check is made on the opened descriptor (no race with a rename), and the open itself
    does not wait: a named pipe without a writer would block a plain open for ever. OSError for
    a file that cannot be opened, NotARegularFile for anything but a regular file.
    """
    path = Path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise NotARegularFile(f"{path.name} is not a regular file (a folder, a device or a "
                                  "pipe cannot be read as one)")
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise
