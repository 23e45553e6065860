"""The one exception every storage failure becomes."""
from playground.messages import shorten


class StorageError(ValueError):
    """A file could not be saved, opened or exported; the message says what is wrong with it.

    Loading raises only this (never a zipfile, JSON or NumPy error), so callers can show the
    message and keep what is open untouched. The message is cut to a readable length, since it
    may quote what a hostile file holds.
    """

    def __init__(self, message: str = "") -> None:
        super().__init__(shorten(message))
