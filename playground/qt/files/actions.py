"""File menu (Save, Save As, Open, Recent), Lessons menu, Export submenu, unsaved-changes prompt,
autosave and crash recovery, installed onto the main window with one call::

    self.file_actions = FileActions(self, self.controller, settings=self._settings).install()

and, in the real app only (app.py, after ``window.show()``)::

    window.file_actions.start_session()     # autosave, crash recovery, prompt on close

so that tests building windows never meet a modal dialog or write to the user's data folder.

Saving asks the worker for a consistent copy of the playground between two mini-batches
(``TrainingController.run_in_worker`` with ``playground.storage.capture``) and writes it from the
GUI thread; opening reads the file and builds a new Playground on a background thread
(``FileLoader``; the window keeps responding) and only then hands it to the worker
(``load_playground``), so a bad file changes nothing. Whatever else is asked to open while a
file loads waits for it. "Unsaved changes" compares the fingerprint of each snapshot (weights,
training position, data) and the settings in force with those of the last file saved or opened.
"""
from __future__ import annotations

import os
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QEventLoop, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QGraphicsView, QMenu

from playground.messages import shorten
from playground.qt.files.autosave import Autosaver
from playground.qt.files.loading import FileLoader
from playground.qt.files.prompts import CANCEL, SAVE, Prompter
from playground.storage import FILE_SUFFIX, StorageError, capture, write_content
from playground.storage.config_codec import config_from_dict
from playground.storage.fingerprint import content_fingerprint, state_fingerprint
from playground.storage.presets import lesson_problems, lessons

AUTOSAVE_INTERVAL_MS = 60_000
CAPTURE_TIMEOUT_MS = 15_000
MAX_RECENT_FILES = 8
SETTINGS_RECENT = "files/recent"
SETTINGS_FOLDER = "files/lastFolder"
PLAYGROUND_FILTER = f"Backprop Playground (*{FILE_SUFFIX});;All files (*)"
APP_TITLE = "Backprop Playground"
EXPORT_LABELS = {
    "history_csv": "Loss history as CSV…",
    "dataset_csv": "Dataset as CSV…",
    "model_npz": "Model as NumPy archive (.npz)…",
    "model_json": "Model as JSON…",
    "numpy_predict": "NumPy predict() script (.py)…",
    "pytorch": "PyTorch module with training loop (.py)…",
}
EXPORT_SUFFIX_NAMES = {"history_csv": "-loss", "dataset_csv": "-data", "model_npz": "-model",
                       "model_json": "-model", "numpy_predict": "_predict",
                       "pytorch": "_torch"}


def _capture_safely(playground):
    # runs in the worker thread: hand back copies, or the reason there are none
    try:
        return True, capture(playground)
    except Exception as error:  # noqa: BLE001 - reported to the user, never lost in the thread
        return False, f"{type(error).__name__}: {error}"


def _nothing(playground):
    return None


def snapshot_fingerprint(snapshot) -> str:
    data = snapshot.data
    return state_fingerprint(snapshot.epoch, snapshot.batch_in_epoch, snapshot.weights,
                             snapshot.biases, data.X_train, data.y_train, data.X_test,
                             data.y_test)


class FileActions(QObject):
    """Everything about files, lessons and exports for one main window and its controller."""

    sigModifiedChanged = Signal(bool)
    sigPathChanged = Signal(str)

    def __init__(self, window, controller, settings: QSettings | None = None,
                 prompter: Prompter | None = None, autosave_folder=None,
                 autosave_interval_ms: int = AUTOSAVE_INTERVAL_MS):
        super().__init__(window)
        self.window = window
        self.controller = controller
        self.settings = settings if settings is not None else QSettings()
        self.prompter = prompter or Prompter(window)
        self.autosaver = Autosaver(autosave_folder)
        self.loader = FileLoader(self)
        self._after_loading: list = []       # opens asked for while a file was loading
        self.path: str | None = None
        self.title = "Untitled"
        self._baseline: tuple[str | None, object] = (None, None)   # (fingerprint, config)
        self._current_fingerprint: str | None = None
        self._autosaved: tuple[str | None, object] = (None, None)
        self._modified = False
        self._autosave_timer = QTimer(self)
        self._autosave_timer.setInterval(autosave_interval_ms)
        self._autosave_timer.timeout.connect(self.autosave)
        self.lesson_dock: QDockWidget | None = None
        self._interactive = False
        # between handing a playground to the worker and the worker confirming it took it,
        # snapshots and settings still in flight describe the old playground
        self._settling = False

    # ------------------------------------------------------------------ installing
    def install(self) -> "FileActions":
        """Add the menus and start tracking unsaved changes; returns self."""
        self._build_menus()
        self.controller.sigSnapshot.connect(self._snapshot_arrived)
        self.controller.sigConfigChanged.connect(lambda config: self._update_modified())
        self.window.installEventFilter(self)
        latest = self.controller.latest_snapshot
        if latest is not None:
            self._current_fingerprint = snapshot_fingerprint(latest)
            self._baseline = (self._current_fingerprint, self.controller.config)
        self._update_title()
        return self

    def start_session(self) -> bool:
        """The interactive parts: offer to restore a crashed session's autosave, autosave every
        minute, ask about unsaved changes on close. Returns whether an autosave was restored."""
        self._interactive = True
        restored = self.offer_recovery()
        self._autosave_timer.start()
        return restored

    def _build_menus(self) -> None:
        bar = self.window.menuBar()
        first = bar.actions()[0] if bar.actions() else None
        file_menu = QMenu("&File", bar)
        file_menu.setObjectName("fileMenu")
        self.open_action = self._action(file_menu, "&Open…", QKeySequence.StandardKey.Open,
                                        "Open a saved playground.", self.open, "openAction")
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.setObjectName("recentMenu")
        file_menu.addSeparator()
        self.save_action = self._action(file_menu, "&Save", QKeySequence.StandardKey.Save,
                                        "Save the playground: data, network, weights, "
                                        "optimizer state and history.", self.save, "saveAction")
        self.save_as_action = self._action(file_menu, "Save &as…",
                                           QKeySequence.StandardKey.SaveAs,
                                           "Save the playground to a new file.", self.save_as,
                                           "saveAsAction")
        file_menu.addSeparator()
        self.export_menu = file_menu.addMenu("&Export")
        self.export_menu.setObjectName("exportMenu")
        self.plot_menu = self.export_menu.addMenu("&Plot as image")
        self.plot_menu.setObjectName("exportPlotMenu")
        self.plot_menu.aboutToShow.connect(self._fill_plot_menu)
        self.export_menu.addSeparator()
        self.export_actions = {}
        for key, label in EXPORT_LABELS.items():
            act = self.export_menu.addAction(label)
            act.setObjectName(f"export_{key}")
            act.triggered.connect(lambda checked=False, key=key: self.export(key))
            self.export_actions[key] = act
        lessons_menu = QMenu("&Lessons", bar)
        lessons_menu.setObjectName("lessonsMenu")
        self.lesson_actions = []
        for item in lessons():
            act = lessons_menu.addAction(item.title)
            act.setStatusTip(item.explanation[:120] + "…")
            act.triggered.connect(lambda checked=False, item=item: self.open_lesson(item))
            self.lesson_actions.append(act)
        bar.insertMenu(first, file_menu) if first else bar.addMenu(file_menu)
        bar.insertMenu(first, lessons_menu) if first else bar.addMenu(lessons_menu)
        self.file_menu, self.lessons_menu = file_menu, lessons_menu
        self._fill_recent_menu()
        if lesson_problems():
            self._message(" · ".join(lesson_problems()))

    def _action(self, menu, text, shortcut, tip, slot, name) -> QAction:
        act = QAction(text, self.window)
        act.setShortcut(QKeySequence(shortcut))
        act.setStatusTip(tip)
        act.setObjectName(name)
        act.triggered.connect(lambda checked=False: slot())
        menu.addAction(act)
        self.window.addAction(act)
        return act

    # ------------------------------------------------------------------ modified state
    @property
    def modified(self) -> bool:
        return self._modified

    def _snapshot_arrived(self, snapshot) -> None:
        if self._settling:
            return
        self._current_fingerprint = snapshot_fingerprint(snapshot)
        if self._baseline[0] is None and self._baseline[1] is None:
            self._baseline = (self._current_fingerprint, self.controller.config)
        self._update_modified()

    def _state(self) -> tuple[str | None, object]:
        return self._current_fingerprint, self.controller.config

    def _update_modified(self) -> None:
        if not self._settling:
            self._set_modified(self._state() != self._baseline)

    def _set_modified(self, modified: bool) -> None:
        if modified != self._modified:
            self._modified = modified
            self.window.setWindowModified(modified)
            self.sigModifiedChanged.emit(modified)

    def _set_baseline(self, content: dict | None) -> None:
        """The state just saved or opened (None: a restored autosave, never 'saved')."""
        if content is None:
            self._baseline = ("restored", None)
        else:
            self._baseline = (content_fingerprint(content),
                              config_from_dict(content["config"], complete=True))
        self._update_modified()

    def _load(self, playground, content: dict | None) -> None:
        """Hand a new playground to the worker; ``content`` is what it was built from."""
        self.controller.pause()             # what was opened is shown, not trained on at once
        self.controller.load_playground(playground)
        self._settling = True
        self._set_baseline(content)
        self._current_fingerprint = self._baseline[0]
        self._set_modified(content is None)
        # commands run in order: when this answers, the loaded playground's snapshot and
        # settings have already been relayed
        self.controller.run_in_worker(_nothing, self._settled)

    def _settled(self, _result) -> None:
        self._settling = False
        latest = self.controller.latest_snapshot
        if latest is not None:
            self._current_fingerprint = snapshot_fingerprint(latest)
        self._update_modified()

    def _update_title(self) -> None:
        self.window.setWindowTitle(f"{self.title}[*] — {APP_TITLE}")
        self.window.setWindowModified(self._modified)

    def _set_path(self, path: str | None, title: str | None = None) -> None:
        self.path = path
        self.title = title or (Path(path).name if path else "Untitled")
        self._update_title()
        self.sigPathChanged.emit(path or "")

    def _message(self, text: str, problem: bool = True) -> None:
        status = getattr(self.window, "status", None)
        if status is not None and hasattr(status, "show_message"):
            status.show_message(text, problem)
        else:
            self.window.statusBar().showMessage(shorten(text), 8000)

    # ------------------------------------------------------------------ capturing
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
        self.controller.run_in_worker(_capture_safely, arrived)
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

    # ------------------------------------------------------------------ saving
    def save(self) -> bool:
        """Save to the current file (asking for one if there is none); True when saved."""
        if self.path is None:
            return self.save_as()
        return self._save_to(self.path)

    def save_as(self) -> bool:
        suggested = self.path or str(Path(self._folder()) / f"{self._stem()}{FILE_SUFFIX}")
        path = self.prompter.save_path("Save playground", suggested, PLAYGROUND_FILTER)
        if not path:
            return False
        if not Path(path).suffix:
            path += FILE_SUFFIX
        return self._save_to(path)

    def _save_to(self, path: str) -> bool:
        content = self.capture_now()
        if content is None:
            return False
        try:
            write_content(path, content)
        except StorageError as error:
            self.prompter.error("Cannot save", str(error))
            return False
        self._set_baseline(content)
        self._set_path(path)
        self._remember(path)
        self.autosaver.remove()
        self._message(f"Saved {path}")
        return True

    # ------------------------------------------------------------------ opening
    def open(self) -> bool:
        path = self.prompter.open_path("Open playground", self._folder(), PLAYGROUND_FILTER)
        return bool(path) and self.open_path(path)

    @property
    def loading(self) -> bool:
        """True while a file is being read on the background thread."""
        return self.loader.busy

    def open_path(self, path: str) -> bool:
        """Open a saved playground; on any problem say what is wrong and change nothing.

        The file is read in the background: this returns True once reading started (or, while
        another file loads, once this one waits its turn), and the playground is replaced
        when the file proved good. False when the user kept the unsaved changes.
        """
        if self._later(self.open_path, path):
            return True
        if not self._may_discard_changes():
            return False
        self._message(f"Opening {path} …", problem=False)
        self.loader.start(str(path), self._opened)
        return True

    def _opened(self, path: str, opened, problem: str) -> None:
        if opened is None:
            self._message(f"Cannot open {path}")
            self.prompter.error("Cannot open", f"{path}:\n{problem}")
        else:
            self._load(opened.playground, opened.content)
            self._set_path(path)
            self._remember(path)
            self._message(f"Opened {path} at epoch {opened.playground.epoch}", problem=False)
        self._run_waiting()

    def _later(self, action, *arguments) -> bool:
        """While a file loads, keep ``action(*arguments)`` for when it has; True if kept."""
        if not self.loader.busy:
            return False
        self._after_loading.append((action, arguments))
        self._message(f"Still opening {self.loader.path} …", problem=False)
        return True

    def _run_waiting(self) -> None:
        if self._after_loading and not self.loader.busy:
            action, arguments = self._after_loading.pop(0)
            action(*arguments)

    def open_lesson(self, lesson) -> bool:
        if self._later(self.open_lesson, lesson):
            return True
        if not self._may_discard_changes():
            return False
        try:
            playground = lesson.build()
        except StorageError as error:
            self.prompter.error("Cannot open the lesson", str(error))
            return False
        self._load(playground, capture(playground))
        self._set_path(None, f"Lesson: {lesson.title}")
        self._show_lesson(lesson.title, lesson.explanation)
        return True

    def _show_lesson(self, title: str, explanation: str) -> None:
        if self.lesson_dock is None:
            from playground.qt.files.lesson_panel import LessonPanel

            self.lesson_panel = LessonPanel()
            dock = QDockWidget("Lesson", self.window)
            dock.setObjectName("lessonDock")
            dock.setWidget(self.lesson_panel)
            self.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
            self.lesson_dock = dock
        self.lesson_panel.show_lesson(title, explanation)
        self.lesson_dock.show()
        self.lesson_dock.raise_()

    def _may_discard_changes(self) -> bool:
        """True when nothing unsaved would be lost (after saving, if the user asked to)."""
        if not self._modified:
            return True
        answer = self.prompter.unsaved_changes(self.title)
        if answer == CANCEL:
            return False
        if answer == SAVE:
            return self.save()
        return True

    # ------------------------------------------------------------------ recent files
    def recent_files(self) -> list[str]:
        value = self.settings.value(SETTINGS_RECENT, [])
        if isinstance(value, str):      # QSettings returns a one-element list as a string
            value = [value]
        return [str(path) for path in (value or [])]

    def _remember(self, path: str) -> None:
        path = os.path.abspath(path)
        recent = [path] + [p for p in self.recent_files() if p != path]
        self.settings.setValue(SETTINGS_RECENT, recent[:MAX_RECENT_FILES])
        self.settings.setValue(SETTINGS_FOLDER, os.path.dirname(path))
        self._fill_recent_menu()

    def _fill_recent_menu(self) -> None:
        menu = self.recent_menu
        menu.clear()
        recent = self.recent_files()
        for number, path in enumerate(recent, start=1):
            act = menu.addAction(f"&{number} {Path(path).name}")
            act.setToolTip(path)
            act.setStatusTip(path)
            act.triggered.connect(lambda checked=False, path=path: self._open_recent(path))
        if recent:
            menu.addSeparator()
            menu.addAction("Clear list").triggered.connect(self._clear_recent)
        menu.setEnabled(bool(recent))

    def _open_recent(self, path: str) -> None:
        if not Path(path).exists():
            self.prompter.error("Cannot open", f"{path} no longer exists.")
            self.settings.setValue(SETTINGS_RECENT, [p for p in self.recent_files() if p != path])
            self._fill_recent_menu()
            return
        self.open_path(path)

    def _clear_recent(self) -> None:
        self.settings.setValue(SETTINGS_RECENT, [])
        self._fill_recent_menu()

    def _folder(self) -> str:
        if self.path:
            return os.path.dirname(self.path)
        return str(self.settings.value(SETTINGS_FOLDER, "") or os.path.expanduser("~"))

    def _stem(self) -> str:
        if self.path:
            return Path(self.path).stem
        stem = self.title.removeprefix("Lesson: ")
        return "".join(c if c.isalnum() or c in "-_" else "-" for c in stem).strip("-").lower() \
            or "playground"

    # ------------------------------------------------------------------ exports
    def export(self, key: str, path: str | None = None) -> bool:
        # the exporters and the code generators load on the first export, not at start-up
        from playground.storage.export import EXPORTERS

        function, dialog_filter, suffix = EXPORTERS[key]
        if path is None:
            suggested = Path(self._folder()) / f"{self._stem()}{EXPORT_SUFFIX_NAMES[key]}{suffix}"
            path = self.prompter.save_path(EXPORT_LABELS[key].rstrip("…"), str(suggested),
                                           dialog_filter)
            if not path:
                return False
        content = self.capture_now()
        if content is None:
            return False
        try:
            function(path, content)
        except StorageError as error:
            self.prompter.error("Cannot export", str(error))
            return False
        self._message(f"Exported {path}")
        return True

    def plot_views(self) -> list[QGraphicsView]:
        """The window's visible views that can be exported as images, by their accessible name."""
        views = [view for view in self.window.findChildren(QGraphicsView)
                 if view.isVisible() and view.accessibleName()]
        return sorted(views, key=lambda view: view.accessibleName())

    def _fill_plot_menu(self) -> None:
        self.plot_menu.clear()
        for view in self.plot_views():
            act = self.plot_menu.addAction(f"{view.accessibleName()}…")
            act.triggered.connect(lambda checked=False, view=view: self.export_plot(view))

    def export_plot(self, view: QGraphicsView, path: str | None = None) -> bool:
        """PNG through pyqtgraph's ImageExporter (a plain grab for non-pyqtgraph views); SVG
        through its SVGExporter, which fails on Qt 6 in pyqtgraph 0.14.0 (upstream #3485)."""
        if path is None:
            name = view.accessibleName().lower().replace(" ", "-")
            suggested = Path(self._folder()) / f"{self._stem()}-{name}.png"
            path = self.prompter.save_path("Export plot", str(suggested),
                                           "PNG image (*.png);;SVG image (*.svg)")
            if not path:
                return False
        try:
            if path.lower().endswith(".svg"):
                self._export_svg(view, path)
            else:
                self._export_png(view, path)
        except (StorageError, OSError) as error:
            self.prompter.error("Cannot export the plot", str(error))
            return False
        self._message(f"Exported {path}")
        return True

    @staticmethod
    def _export_png(view: QGraphicsView, path: str) -> None:
        if isinstance(view, pg.GraphicsView):
            from pyqtgraph.exporters import ImageExporter

            ImageExporter(view.scene()).export(path)
        elif not view.grab().save(path, "PNG"):
            raise StorageError(f"cannot write {path}")
        if not Path(path).is_file():
            raise StorageError(f"cannot write {path}")

    @staticmethod
    def _export_svg(view: QGraphicsView, path: str) -> None:
        if not isinstance(view, pg.GraphicsView):
            raise StorageError(f"{view.accessibleName()} can only be exported as PNG")
        from pyqtgraph.exporters import SVGExporter

        try:
            SVGExporter(view.scene()).export(path)
        except Exception as error:  # noqa: BLE001 - any failure of the exporter means "no SVG"
            raise StorageError(
                f"pyqtgraph {pg.__version__} could not export SVG ({type(error).__name__}: "
                f"{error}); this is a known problem with Qt 6 (pyqtgraph issue #3485). "
                "Export the plot as PNG instead.") from None

    # ------------------------------------------------------------------ autosave and recovery
    def autosave(self) -> None:
        """Write the autosave if something changed since the last save or autosave."""
        state = self._state()
        if not self._modified:
            self.autosaver.remove()          # everything is saved: nothing to recover
            self._autosaved = (None, None)
            return
        if state == self._autosaved:
            return

        def write(result):
            ok, content = result
            if not ok:
                self._message(f"Autosave failed: {content}")
                return
            try:
                self.autosaver.write(content, self.path)
            except StorageError as error:
                self._message(f"Autosave failed: {error}")
                return
            self._autosaved = state

        self.controller.run_in_worker(_capture_safely, write)

    def offer_recovery(self) -> bool:
        """Offer each autosave of a crashed session, newest first, until one is restored.

        Returns True when one is being restored (it loads in the background). An autosave
        that cannot be restored is never deleted: it is kept under another name, which the
        message gives, and is not offered again.
        """
        return self._offer_orphans(self.autosaver.orphans())

    def _offer_orphans(self, orphans: list) -> bool:
        for index, orphan in enumerate(orphans):
            if not self.prompter.restore_autosave(orphan.description()):
                orphan.discard()
                continue
            rest = orphans[index + 1:]
            self.loader.start(str(orphan.path),
                              lambda path, opened, problem: self._recovered(orphan, rest, opened,
                                                                            problem))
            return True
        self._run_waiting()
        return False

    def _recovered(self, orphan, rest: list, opened, problem: str) -> None:
        if opened is None:
            kept = orphan.keep_aside()
            where = f"It was kept as {kept}." if kept else f"It is still at {orphan.path}."
            self.prompter.error("Cannot restore the autosave", f"{problem}\n\n{where}")
            self._offer_orphans(rest)
            return
        self._load(opened.playground, None)
        self._set_path(orphan.source, None if orphan.source else "Recovered")
        orphan.discard()
        self.autosave()
        self._run_waiting()

    # ------------------------------------------------------------------ closing
    def eventFilter(self, watched, event) -> bool:
        if (watched is self.window and event.type() == QEvent.Type.Close
                and self._interactive):
            if not self._may_discard_changes():
                event.ignore()
                return True
            self._autosave_timer.stop()
            self.autosaver.remove()
        return super().eventFilter(watched, event)
