"""The one exception every storage failure becomes."""


class StorageError(ValueError):
    """A file could not be saved, opened or exported; the message says what is wrong with it.

    Loading raises only this (never a zipfile, JSON or NumPy error), so callers can show the
    message and keep what is open untouched.
    """
