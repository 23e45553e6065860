"""Saving and opening playgrounds (.bpp files), lesson presets and exports. Pure: no Qt.

    save_playground(path, playground)     # atomic; StorageError on failure
    playground = load_playground(path)    # a new Playground; StorageError names what is wrong
    content = capture(playground, pins)   # copies, for writing later / from another thread
    write_content(path, content)
    pins = pins_from_content(content)     # the pinned runs of a file read (none before v3)
    playground = new_playground(config)   # a fresh one (File ▸ New): the defaults when None
"""
from playground.storage.errors import StorageError
from playground.storage.format import FILE_SUFFIX, FORMAT_NAME, FORMAT_VERSION
from playground.storage.pins_state import pins_from_content
from playground.storage.playground_state import capture, restore

__all__ = [
    "FILE_SUFFIX", "FORMAT_NAME", "FORMAT_VERSION", "StorageError", "capture", "restore",
    "load_playground", "pins_from_content", "save_playground", "write_content", "read_content",
    "new_playground",
]


def new_playground(config=None):
    """A fresh Playground of ``config`` (a new playground's defaults when None)."""
    from playground.session import Playground   # keeps `import playground.storage` light

    return Playground(config)


def write_content(path, content) -> None:
    """Write a captured playground atomically to ``path``."""
    from playground.storage.format import write_archive

    write_archive(path, content)


def read_content(path):
    """The checked content tree of a saved file (arrays already validated)."""
    from playground.storage.format import read_archive

    return read_archive(path)


def save_playground(path, playground, pins=None) -> None:
    """Save ``playground`` (and the pinned runs, if any) to ``path`` atomically (the old file
    survives any failure)."""
    write_content(path, capture(playground, pins))


def load_playground(path):
    """A new Playground from the file at ``path``; nothing else is touched on failure."""
    return restore(read_content(path))
