"""Where lessons come from: the shipped ones, the user's lessons folder, a file the user opens.

Shipped lessons are JSON files in ``resources/presets/`` (see ``playground.resource_files``). The user's lessons live in a ``lessons`` folder inside the
app's data folder (the window finds that folder; this module only takes it as a parameter).
Lessons are listed folder by folder, shipped first, each folder in file-name order
(``01-...json``, ``02-...json``). A file that is not a valid lesson is left out with a message
saying why: one broken file never keeps the app from starting.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from playground.files import NotARegularFile, open_regular_file
from playground.lessons.schema import MAX_LESSON_BYTES, Lesson, parse_lesson
from playground.resource_files import resource_root
from playground.storage.errors import StorageError

PRESET_FOLDER = "presets"
USER_LESSONS_FOLDER = "lessons"
# a folder lists at most this many lesson files (the Lessons menu is read on every opening)
MAX_LESSONS_PER_FOLDER = 200
# a user's lesson file as last read, by path: (modification time, size, Lesson or StorageError)
_read_before: dict = {}


def user_lessons_folder(data_folder) -> Path:
    """The user's lessons folder inside the app's data folder (it may not exist yet)."""
    return Path(data_folder) / USER_LESSONS_FOLDER


def read_lessons(folder) -> tuple[tuple[Lesson, ...], tuple[str, ...]]:
    """(lessons, problems): every valid lesson file in ``folder`` (a Path or a resources
    Traversable) in file-name order, and one message for each file that was left out."""
    found, problems = [], []
    try:
        entries = sorted(folder.iterdir(), key=lambda item: item.name)
    except OSError as error:
        return (), (f"the lessons folder cannot be read: {error.strerror or error}",)
    entries = [entry for entry in entries if entry.name.endswith(".json")]
    if len(entries) > MAX_LESSONS_PER_FOLDER:
        problems.append(f"only the first {MAX_LESSONS_PER_FOLDER} of the {len(entries)} lesson "
                        "files in the lessons folder are listed")
    for entry in entries[:MAX_LESSONS_PER_FOLDER]:
        try:
            found.append(_read_entry(entry))
        except StorageError as error:
            problems.append(f"{entry.name} was left out of the lessons: {error}")
    return tuple(found), tuple(problems)


def read_lesson_folders(folders) -> tuple[tuple[Lesson, ...], tuple[str, ...]]:
    """(lessons, problems) of several folders in turn; a folder that does not exist (a user
    who has saved no lesson yet) adds nothing and is no problem."""
    found, problems = [], []
    for folder in folders:
        if isinstance(folder, Path) and not folder.exists():
            continue
        lessons, messages = read_lessons(folder)
        found += lessons
        problems += messages
    return tuple(found), tuple(problems)


def read_lesson_file(path) -> Lesson:
    """The lesson in one file the user chose (File ▸ Open, drag and drop); StorageError
    naming the problem. Folders, devices and named pipes are refused without waiting."""
    path = Path(path)
    try:
        with open_regular_file(path) as stream:
            data = stream.read(MAX_LESSON_BYTES + 1)
    except NotARegularFile as error:
        raise StorageError(str(error)) from None
    except OSError as error:
        raise StorageError(f"lesson {path.name} cannot be read: {error.strerror or error}") \
            from None
    return _parse_bytes(path.name, data)


def _read_entry(entry) -> Lesson:
    if isinstance(entry, Path):
        return _read_unless_unchanged(entry)
    try:
        if not entry.is_file():
            raise StorageError(f"lesson {entry.name} is not a regular file")
        with entry.open("rb") as stream:
            data = stream.read(MAX_LESSON_BYTES + 1)
    except OSError as error:
        raise StorageError(f"lesson {entry.name} cannot be read: {error.strerror or error}") \
            from None
    return _parse_bytes(entry.name, data)


def _read_unless_unchanged(path: Path) -> Lesson:
    """The lesson in a user's file, read again only when its time or size changed."""
    try:
        status = path.stat()
        key = (status.st_mtime_ns, status.st_size)
    except OSError:
        key = None
    before = _read_before.get(path)
    if key is not None and before is not None and before[0] == key:
        result = before[1]
    else:
        try:
            result = read_lesson_file(path)
        except StorageError as error:
            result = error
        if key is not None:
            _read_before[path] = (key, result)
    if isinstance(result, StorageError):
        raise result
    return result


def _parse_bytes(name: str, data: bytes) -> Lesson:
    if len(data) > MAX_LESSON_BYTES:
        raise StorageError(f"lesson {name} is larger than {MAX_LESSON_BYTES / 2**20:.0f} MB")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise StorageError(f"lesson {name} is not UTF-8 text") from None
    return parse_lesson(name.removesuffix(".json"), text)


def shipped_lessons_folder():
    """The folder of the lessons that come with the app (a resources Traversable)."""
    return resource_root().joinpath(PRESET_FOLDER)


@lru_cache(maxsize=1)
def _shipped() -> tuple[tuple[Lesson, ...], tuple[str, ...]]:
    return read_lessons(shipped_lessons_folder())


def lessons() -> tuple[Lesson, ...]:
    """Every valid shipped lesson, in file-name order (read once)."""
    return _shipped()[0]


def lesson_problems() -> tuple[str, ...]:
    """Why shipped lesson files were left out of :func:`lessons` (normally nothing)."""
    return _shipped()[1]


def all_lessons(user_folder=None) -> tuple[tuple[Lesson, ...], tuple[str, ...]]:
    """(lessons, problems): the shipped lessons, then those in ``user_folder`` (read anew each
    call, so a lesson just saved there is listed)."""
    found, problems = _shipped()
    if user_folder is None:
        return found, problems
    user_found, user_problems = read_lesson_folders([Path(user_folder)])
    return found + user_found, problems + user_problems


def lesson(key_or_title: str) -> Lesson:
    """The shipped lesson with this key (file stem) or title; KeyError listing the choices."""
    for item in lessons():
        if key_or_title in (item.key, item.title):
            return item
    raise KeyError(f"no lesson {key_or_title!r}; choose one of "
                   f"{', '.join(item.title for item in lessons())}")
