"""The File and Lessons menus, installed onto the main window with one call::

    self.file_actions = FileActions(self, self.controller, settings=self._settings)
    self.file_actions.sigMessage.connect(self.status.show_message)
    self.file_actions.install()

and, in the real app only (app.py, after ``window.show()``)::

    window.file_actions.start_session()     # autosave, crash recovery, prompt on close

so that tests building windows never meet a modal dialog or write to the user's data folder.

FileActions does the saving and opening and keeps one file loading at a time; its parts each
stand in a module of their own: the document's unsaved-changes state (document), Open recent
(recent), the Lessons menu (lessons), the Export submenu (exports), autosave and crash recovery
(recovery), reading files in the background (loading), every question asked (prompts), points
imported from CSV (data_import) and files dropped onto the window (drops). Open, a drop and
the command line's FILE all go through ``open_any``, which sends a file where its kind belongs.

Saving asks the worker for a consistent copy of the playground between two mini-batches
(``TrainingController.run_in_worker`` with ``playground.storage.capture``) and writes it from the
GUI thread; opening reads the file and builds a new Playground on a background thread
(``FileLoader``; the window keeps responding) and only then hands it to the worker
(``load_playground``), so a bad file changes nothing. Whatever else is asked to open while a
file loads waits for it.
"""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QEvent, QEventLoop, QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from playground.files import open_regular_file
from playground.lessons import read_lesson_file
from playground.qt.files.autosave import Autosaver
from playground.qt.files.data_import import (CSV_FILTER, import_summary, is_points_file,
                                             read_points_file)
from playground.qt.files.document import Document, capture_safely
from playground.qt.files.drops import FileDrops
from playground.qt.files.exports import ExportActions
from playground.qt.files.lessons import LessonsMenu
from playground.qt.files.loading import FileLoader
from playground.qt.files.prompts import CANCEL, SAVE, Prompter
from playground.qt.files.recent import RecentFiles
from playground.qt.files.recovery import AUTOSAVE_INTERVAL_MS, Recovery
from playground.config import PlaygroundConfig
from playground.lessons import lesson_problems
from playground.messages import ERROR, INFO, SUCCESS, WARNING, describe_position
from playground.snapshot import PLAYING
from playground.storage import (FILE_SUFFIX, StorageError, capture, new_playground,
                                write_content)

CAPTURE_TIMEOUT_MS = 15_000
PLAYGROUND_FILTER = f"Backprop Playground (*{FILE_SUFFIX});;All files (*)"
OPEN_FILTER = (f"Playgrounds, points and lessons (*{FILE_SUFFIX} *.csv *.json);;"
               f"Backprop Playground (*{FILE_SUFFIX});;Points as CSV (*.csv);;"
               "Lessons (*.json);;All files (*)")
LESSON_SUFFIX = ".json"
ZIP_START = b"PK\x03\x04"      # a saved playground under another name is still opened


class FileActions(QObject):
    """Everything about files, lessons and exports for one main window and its controller.

    ``sigMessage(text, kind)`` reports what happened, for the status bar (a kind of
    ``playground.messages``: SUCCESS, INFO, WARNING or ERROR). ``sigPlaygroundReplaced(lesson)``
    follows every playground that replaces the open one: the lesson it came from, or None.
    """

    sigMessage = Signal(str, str)
    sigPlaygroundReplaced = Signal(object)

    def __init__(self, window, controller, settings: QSettings | None = None,
                 prompter: Prompter | None = None, autosave_folder=None,
                 autosave_interval_ms: int = AUTOSAVE_INTERVAL_MS):
        super().__init__(window)
        self.window = window
        self.controller = controller
        self.settings = settings if settings is not None else QSettings()
        self.loader = FileLoader(self)
        self._after_loading: list = []       # opens asked for while a file was loading
        self.document = Document(window, controller)
        self._prompter = prompter or Prompter(window)
        self.recovery = Recovery(controller, self.document, self.loader, self._prompter,
                                 Autosaver(autosave_folder), self.message,
                                 autosave_interval_ms, parent=self)
        self.recovery.sigFinished.connect(self._run_waiting)
        self._interactive = False
        self._build_file_menu()
        self.lessons = LessonsMenu(window, parent=self)
        self.lessons.sigChosen.connect(self.open_lesson)
        self.lessons.sigProblem.connect(lambda text: self.message(text, kind=WARNING))

    @property
    def prompter(self):
        """Asks every question of the file actions (tests put a scripted one in its place)."""
        return self._prompter

    @prompter.setter
    def prompter(self, prompter) -> None:
        self._prompter = self.recovery.prompter = self.exports.prompter = prompter

    # ------------------------------------------------------------------ installing
    def install(self) -> "FileActions":
        """Put the File and Lessons menus first in the window's menu bar and start tracking
        unsaved changes; returns self."""
        bar = self.window.menuBar()
        first = bar.actions()[0] if bar.actions() else None
        for menu in (self.file_menu, self.lessons.menu):
            bar.insertMenu(first, menu) if first else bar.addMenu(menu)
        if lesson_problems():
            self.message(" · ".join(lesson_problems()), kind=WARNING)
        self.document.track()
        self.window.installEventFilter(self)
        self.drops = FileDrops(self.window, self.open_any, self._cannot_open, parent=self)
        self.drops.install()
        return self

    def start_session(self) -> bool:
        """The interactive parts: offer to restore a crashed session's autosave, autosave every
        minute, ask about unsaved changes on close. Returns whether an autosave was restored."""
        self._interactive = True
        restored = self.recovery.offer()
        self.recovery.start()
        return restored

    def _build_file_menu(self) -> None:
        file_menu = QMenu("&File", self.window.menuBar())
        file_menu.setObjectName("fileMenu")
        self.new_action = self._action(file_menu, "&New", QKeySequence.StandardKey.New,
                                       "Start a fresh default playground.", self.new_playground,
                                       "newAction")
        self.open_action = self._action(file_menu, "&Open…", QKeySequence.StandardKey.Open,
                                        "Open a saved playground.", self.open, "openAction")
        recent_menu = file_menu.addMenu("Open &recent")
        recent_menu.setObjectName("recentMenu")
        self.recent = RecentFiles(self.settings, recent_menu, parent=self)
        self.recent.sigChosen.connect(self.open_recent)
        self.import_action = self._action(file_menu, "&Import data…", "Ctrl+I",
                                          "Train on points from a CSV file: x1, x2, a label "
                                          "and optionally a train/test split.",
                                          self.import_data, "importDataAction")
        file_menu.addSeparator()
        self.save_action = self._action(file_menu, "&Save", QKeySequence.StandardKey.Save,
                                        "Save the playground: data, network, weights, "
                                        "optimizer state and history.", self.save, "saveAction")
        self.save_as_action = self._action(file_menu, "Save &as…",
                                           QKeySequence.StandardKey.SaveAs,
                                           "Save the playground to a new file.", self.save_as,
                                           "saveAsAction")
        file_menu.addSeparator()
        export_menu = file_menu.addMenu("&Export")
        export_menu.setObjectName("exportMenu")
        self.exports = ExportActions(self.window, export_menu, self.prompter,
                                     self.write_playground, self.suggested_path, self.message,
                                     parent=self)
        file_menu.addSeparator()
        self.quit_action = self._action(file_menu, "&Quit", QKeySequence("Ctrl+Q"),
                                        "Close the window (asking about unsaved changes).",
                                        self.window.close, "quitAction")
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.file_menu = file_menu

    def _action(self, menu, text, shortcut, tip, slot, name) -> QAction:
        act = QAction(text, self.window)
        act.setShortcut(QKeySequence(shortcut))
        act.setStatusTip(tip)
        act.setObjectName(name)
        act.triggered.connect(lambda checked=False: slot())
        menu.addAction(act)
        self.window.addAction(act)
        return act

    def add_file_action(self, text, shortcut, tip, slot, name, after: QAction) -> QAction:
        """A File menu action of another part of the window, right after ``after``."""
        act = self._action(self.file_menu, text, shortcut, tip, slot, name)
        actions = self.file_menu.actions()
        self.file_menu.removeAction(act)
        self.file_menu.insertAction(actions[actions.index(after) + 1], act)
        return act

    # ------------------------------------------------------------------ services of the parts
    def message(self, text: str, problem: bool = True, kind: str | None = None) -> None:
        """Report ``text`` of a ``kind``; without one, a problem is an ERROR, else INFO."""
        self.sigMessage.emit(text, kind or (ERROR if problem else INFO))

    def folder(self) -> str:
        """Where file dialogs start: the open file's folder, else the last one used."""
        if self.document.path:
            return os.path.dirname(self.document.path)
        return self.recent.last_folder()

    def suggested_path(self, ending: str) -> str:
        """A path to offer for a new file: in ``folder()``, named after the playground, then
        ``ending`` (e.g. "-loss.csv")."""
        return str(Path(self.folder()) / f"{self.document.stem()}{ending}")

    def capture_now(self) -> dict | None:
        """A consistent copy of the playground, taken by the worker between two mini-batches.

        Waits (running the event loop) at most CAPTURE_TIMEOUT_MS; None, after telling the user,
        if the worker could not provide one.
        """
        box = {}
        loop = QEventLoop()

        def arrived(value):
            box["value"] = value
            loop.quit()

        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(loop.quit)
        pins = self.document.pins
        self.controller.run_in_worker(lambda playground: capture_safely(playground, pins),
                                      arrived)
        timer.start(CAPTURE_TIMEOUT_MS)
        # a file finishing loading meanwhile must not replace what is being captured
        self.loader.hold = True
        try:
            if "value" not in box:
                loop.exec()
        finally:
            self.loader.hold = False
            timer.stop()
        ok, value = box.get("value", (False, "the training thread did not answer in time"))
        if not ok:
            self.prompter.error("Cannot read the playground", value)
            return None
        return value

    def write_playground(self, write, path: str, failure: str) -> dict | None:
        """Capture the playground (``capture_now``) and ``write(path, content)``: the content
        written, or None after telling the user why not (``failure`` titles the message)."""
        content = self.capture_now()
        if content is None:
            return None
        try:
            write(path, content)
        except StorageError as error:
            self.prompter.error(failure, str(error))
            return None
        return content

    # ------------------------------------------------------------------ saving
    def save(self) -> bool:
        """Save to the current file (asking for one if there is none); True when saved."""
        if self.document.path is None:
            return self.save_as()
        return self._save_to(self.document.path)

    def save_as(self) -> bool:
        suggested = self.document.path or self.suggested_path(FILE_SUFFIX)
        path = self.prompter.save_path("Save playground", suggested, PLAYGROUND_FILTER)
        if not path:
            return False
        if not Path(path).suffix:
            path += FILE_SUFFIX
        return self._save_to(path)

    def _save_to(self, path: str) -> bool:
        content = self.write_playground(write_content, path, "Cannot save")
        if content is None:
            return False
        self.document.set_baseline(content)
        self.document.set_path(path)
        self.recent.remember(path)
        self.recovery.saved()
        self.message(f"Saved {path}", kind=SUCCESS)
        return True

    # ------------------------------------------------------------------ opening
    def open(self) -> bool:
        path = self.prompter.open_path("Open", self.folder(), OPEN_FILTER)
        return bool(path) and self.open_any(path)

    def open_any(self, path: str) -> bool:
        """Open what ``path`` holds: points as CSV are imported, a lesson opens as one, a
        saved playground as one (also under another name); anything else is refused."""
        path = str(path)
        suffix = Path(path).suffix.lower()
        if is_points_file(path):
            return self.import_path(path)
        if suffix == LESSON_SUFFIX:
            return self.open_lesson_file(path)
        if suffix == FILE_SUFFIX or _starts_like_a_zip(path):
            return self.open_path(path)
        self._cannot_open(f"{path}:\n{Path(path).name} is neither a saved playground "
                          f"({FILE_SUFFIX}), nor points as CSV (.csv), nor a lesson (.json).")
        return False

    def _cannot_open(self, text: str) -> None:
        self.message(f"Cannot open: {text.splitlines()[-1]}")
        self.prompter.error("Cannot open", text)

    def import_data(self) -> bool:
        """File ▸ Import data…: points from a CSV file the user picks."""
        path = self.prompter.open_path("Import data", self.folder(), CSV_FILTER)
        return bool(path) and self.import_path(path)

    def import_path(self, path: str) -> bool:
        """Train on the points of a CSV file (and its split, if it has one); a bad file is
        named with its line and column, and nothing changes."""
        if self._later(self.import_path, path):
            return True
        if not (self.import_action.isEnabled() and self.import_action.isVisible()):
            self._cannot_open(f"{path}:\nthe lesson open keeps the dataset as it is "
                              "(locked by this lesson).")
            return False
        points, problem = read_points_file(path)
        if points is None:
            self.message(f"Cannot import {path}")
            self.prompter.error("Cannot import", f"{path}:\n{problem}")
            return False
        summary = import_summary(points, Path(path).name, self.controller.config.data)
        self.controller.set_dataset(points.dataset, split=points.split)
        self.message(summary, kind=SUCCESS)
        return True

    def open_lesson_file(self, path: str) -> bool:
        """Open the lesson in a file (a dropped or opened .json)."""
        try:
            lesson = read_lesson_file(path)
        except StorageError as error:
            self._cannot_open(f"{path}:\n{error}")
            return False
        return self.open_lesson(lesson)

    @property
    def loading(self) -> bool:
        """True while a file is being read on the background thread."""
        return self.loader.busy

    def open_path(self, path: str) -> bool:
        """Open a saved playground; on any problem say what is wrong and change nothing.

        The file is read in the background: this returns True once reading started (or, while
        another file loads, once this one waits its turn), and the playground is replaced
        when the file proved good and the user let the unsaved changes go (the question comes
        only then: a file that cannot be opened costs nothing).
        """
        if self._later(self.open_path, path):
            return True
        self.message(f"Opening {path} …", kind=INFO)
        self.loader.start(str(path), self._opened)
        return True

    def _opened(self, path: str, opened, problem: str) -> None:
        if opened is None:
            self.message(f"Cannot open {path}")
            self.prompter.error("Cannot open", f"{path}:\n{problem}")
        elif not self._may_discard_changes():
            self.message(f"Kept the open playground; {path} was not opened", kind=INFO)
        else:
            self.document.load(opened.playground, opened.content)
            self.document.set_path(path)
            self.recent.remember(path)
            self._replaced(None)
            playground = opened.playground
            position = describe_position(playground.epoch, playground.batch_in_epoch).lower()
            self.message(f"Opened {path} at {position}", kind=SUCCESS)
        self._run_waiting()

    def open_recent(self, path: str) -> None:
        """Open a file of the Open recent menu; one that is gone leaves the list."""
        if not Path(path).exists():
            self.prompter.error("Cannot open", f"{path} no longer exists.")
            self.recent.forget(path)
            return
        self.open_path(path)

    def open_lesson(self, lesson) -> bool:
        """Open a lesson: built first, so a lesson that cannot be built never costs the
        unsaved changes; True when it was opened."""
        if self._later(self.open_lesson, lesson):
            return True
        try:
            playground = lesson.build()
        except StorageError as error:
            self.prompter.error("Cannot open the lesson", str(error))
            return False
        if not self._may_discard_changes():
            return False
        self.document.load(playground, capture(playground))
        self.document.set_path(None, f"Lesson: {lesson.title}")
        self.lessons.show_lesson(lesson)
        self._replaced(lesson)
        return True

    def new_playground(self) -> bool:
        """Start again from a default playground (after asking about unsaved changes); True
        when it replaced the open one."""
        return self.replace_playground(new_playground(PlaygroundConfig()), "A new playground")

    def replace_playground(self, playground, message: str) -> bool:
        """Put ``playground`` (a new, untitled one) in place of the open one, after asking
        about unsaved changes; True when it did (or, while a file loads, once it waits its
        turn)."""
        if self._later(self.replace_playground, playground, message):
            return True
        if not self._may_discard_changes():
            return False
        self.document.load(playground, capture(playground))
        self.document.set_path(None)
        self._replaced(None)
        self.message(message, kind=INFO)
        return True

    def _replaced(self, lesson) -> None:
        if lesson is None:
            self.lessons.close_lesson()
        self.sigPlaygroundReplaced.emit(lesson)

    def _later(self, action, *arguments) -> bool:
        """While a file loads, keep ``action(*arguments)`` for when it has; True if kept."""
        if not self.loader.busy:
            return False
        self._after_loading.append((action, arguments))
        self.message(f"Still opening {self.loader.path} …", kind=INFO)
        return True

    def _run_waiting(self) -> None:
        if self._after_loading and not self.loader.busy:
            action, arguments = self._after_loading.pop(0)
            action(*arguments)

    def _may_discard_changes(self) -> bool:
        """True when nothing unsaved would be lost (after saving, if the user asked to)."""
        if not self.document.modified:
            return True
        answer = self.prompter.unsaved_changes(self.document.title)
        if answer == CANCEL:
            return False
        if answer == SAVE:
            return self.save()
        return True

    # ------------------------------------------------------------------ closing
    def eventFilter(self, watched, event) -> bool:
        if (watched is self.window and event.type() == QEvent.Type.Close
                and self._interactive):
            if self.document.modified:
                # nothing may change behind the question: training pauses first, and goes on
                # if the window stays open
                playing = self.controller.state == PLAYING
                self.pause_and_wait()
                if not self._may_discard_changes():
                    if playing:
                        self.controller.play()
                    event.ignore()
                    return True
            self.recovery.stop()
        return super().eventFilter(watched, event)

    def pause_and_wait(self) -> None:
        """Pause training and return once the worker has (at most CAPTURE_TIMEOUT_MS later)."""
        loop = QEventLoop()
        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(loop.quit)
        paused = []
        self.controller.pause()
        # commands run in order: this answers once the pause has been applied and relayed
        self.controller.run_in_worker(lambda _playground: None,
                                      lambda _value: (paused.append(True), loop.quit()))
        timer.start(CAPTURE_TIMEOUT_MS)
        if not paused:
            loop.exec()
        timer.stop()

def _starts_like_a_zip(path: str) -> bool:
    try:
        with open_regular_file(path) as stream:
            return stream.read(len(ZIP_START)) == ZIP_START
    except (OSError, ValueError):
        return True     # let opening say what is wrong with it
