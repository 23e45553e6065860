"""A main window whose file actions never open a dialog: the ``file_window`` fixture (a small
XOR playground, a prompter that answers from lists, autosaves in the test's folder) and the
``scripted_prompter`` fixture (the prompter's class, for a window a test builds itself)."""
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
    """Answers the file actions' questions from lists the test fills (unsaved changes are
    discarded when no answer is given) and records every error shown."""

    def __init__(self):
        self.open_paths: list[str | None] = []
        self.save_paths: list[str | None] = []
        self.unsaved_answers: list[str] = []
        self.restore_answers: list[bool] = []
        self.errors: list[tuple[str, str]] = []
        self.asked_unsaved = 0

    def open_path(self, title, folder, filters):
        return self.open_paths.pop(0)

    def save_path(self, title, suggested, filters):
        return self.save_paths.pop(0)

    def unsaved_changes(self, name):
        self.asked_unsaved += 1
        return self.unsaved_answers.pop(0) if self.unsaved_answers else DISCARD

    def restore_autosave(self, description):
        return self.restore_answers.pop(0)

    def error(self, title, text):
        self.errors.append((title, text))


@pytest.fixture
def scripted_prompter():
    return ScriptedPrompter


@pytest.fixture
def make_shown_window(qtbot, tmp_path):
    """``make_shown_window(config)``: a shown MainWindow of ``config`` that has drawn its first
    snapshot, its layout remembered in the test's folder; closed after the test."""
    made = []

    def make(config=None) -> MainWindow:
        settings = QSettings(str(tmp_path / f"settings-{len(made)}.ini"),
                             QSettings.Format.IniFormat)
        window = MainWindow(config=config, settings=settings)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window.rendered_snapshot is not None, timeout=WINDOW_TIMEOUT_MS)
        made.append(window)
        return window

    yield make
    for window in made:
        window.close()


@pytest.fixture
def file_window(make_shown_window, tmp_path):
    """A shown MainWindow of FILE_WINDOW_CONFIG that has drawn its first snapshot."""
    window = make_shown_window(FILE_WINDOW_CONFIG)
    window.file_actions.prompter = ScriptedPrompter()
    window.file_actions.recovery.autosaver = Autosaver(tmp_path / "autosave")
    yield window
