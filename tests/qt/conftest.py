"""Fixtures shared by the window's tests: a scripted stand-in for every dialog
(``scripted_prompter``, the prompter's class, for a window a test builds itself), the real
window, shown, rendered and active (``open_window``, ``window``), and a window whose file actions
never open a dialog (``file_window``: a small XOR playground, autosaves in the test's folder)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from playground.config import DataSpec, NetworkSpec, PlaygroundConfig
from playground.qt.files.autosave import Autosaver
from playground.qt.files.prompts import DISCARD
from playground.qt.shell.main_window import MainWindow

WINDOW_TIMEOUT_MS = 20_000
FILE_WINDOW_CONFIG = PlaygroundConfig(
    data=DataSpec(generator="xor", n_samples=100, seed=2),
    network=NetworkSpec(hidden_layers=(3,), activations=("tanh",), seed=1))


class ScriptedPrompter:
    """Answers the dialogs from lists the test fills (unsaved changes are discarded when no
    answer is given) and records every error shown."""

    def __init__(self):
        self.open_paths: list[str | None] = []
        self.save_paths: list[str | None] = []
        self.unsaved_answers: list[str] = []
        self.restore_answers: list[bool] = []
        self.errors: list[tuple[str, str]] = []
        self.asked_unsaved = 0
        self.on_unsaved = None          # called when the question is asked (a test looks around)

    def open_path(self, title, folder, filters):
        return self.open_paths.pop(0)

    def save_path(self, title, suggested, filters):
        return self.save_paths.pop(0)

    def unsaved_changes(self, name):
        self.asked_unsaved += 1
        if self.on_unsaved is not None:
            self.on_unsaved()
        return self.unsaved_answers.pop(0) if self.unsaved_answers else DISCARD

    def restore_autosave(self, description):
        assert "autosave" in description.lower()
        return self.restore_answers.pop(0)

    def error(self, title, text):
        self.errors.append((title, text))


@pytest.fixture
def scripted_prompter():
    """The class of the scripted prompter (a test makes one per window)."""
    return ScriptedPrompter


@pytest.fixture
def open_window(qtbot, tmp_path):
    """Makes windows: ``open_window(config=None)`` is the real window of ``config``, shown with
    its first snapshot rendered, active (its shortcuts work) and its dialogs scripted
    (``window.file_actions.prompter``); each is closed after the test."""
    windows = []

    def make(config=None) -> MainWindow:
        settings = QSettings(str(tmp_path / f"layout-{len(windows)}.ini"),
                             QSettings.Format.IniFormat)
        window = MainWindow(config=config, settings=settings)
        qtbot.addWidget(window)
        windows.append(window)
        window.show()
        qtbot.waitUntil(lambda: window.rendered_snapshot is not None,
                        timeout=WINDOW_TIMEOUT_MS)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=WINDOW_TIMEOUT_MS)
        window.file_actions.prompter = ScriptedPrompter()
        return window

    yield make
    for window in windows:
        window.file_actions._interactive = False      # never prompt while tearing down
        window.close()


@pytest.fixture
def window(open_window):
    """The default window (see ``open_window``); a test module may define its own."""
    return open_window()


@pytest.fixture
def wait_config(qtbot):
    """``wait_config(window, predicate)`` waits until the worker's config satisfies it."""
    def wait(window, predicate) -> None:
        qtbot.waitUntil(lambda: predicate(window.controller.config), timeout=WINDOW_TIMEOUT_MS)
    return wait


@pytest.fixture
def file_window(qtbot, tmp_path):
    """A shown MainWindow of FILE_WINDOW_CONFIG that has drawn its first snapshot."""
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(config=FILE_WINDOW_CONFIG, settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.rendered_snapshot is not None, timeout=WINDOW_TIMEOUT_MS)
    window.file_actions.prompter = ScriptedPrompter()
    window.file_actions.recovery.autosaver = Autosaver(tmp_path / "autosave")
    yield window
    window.file_actions._interactive = False      # never prompt while tearing down
    window.close()
