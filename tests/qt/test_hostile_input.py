"""The window against broken and hostile input: what it saves reopens, a failed restore deletes
nothing, it keeps responding while a file loads, broken lessons and absurd numbers neither stop
it nor reach a view as NaN, and messages stay short."""
from __future__ import annotations

import threading
import warnings
from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import QSettings, QTimer

from playground.app import create_window
from playground.config import DataSpec, NetworkSpec, PlaygroundConfig
from playground.qt import prompts
from playground.qt.autosave import Autosaver
from playground.qt.boundary_view import BoundaryView
from playground.qt.demo_snapshot import demo_stream, make_history
from playground.qt.main_window import MainWindow
from playground.qt.plots import WeightsPlot
from playground.qt.snapshot import PAUSED
from playground.qt.worker import _history_since, _SnapshotBuilder
from playground.session import Playground
from playground.storage import format as fmt
from playground.storage import load_playground, presets, save_playground

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise)\(\)")
TIMEOUT_MS = 20_000
CONFIG = PlaygroundConfig(data=DataSpec(generator="xor", n_samples=100, seed=2),
                          network=NetworkSpec(hidden_layers=(3,), activations=("tanh",), seed=1))


class RecordingPrompter:
    """Answers every question from lists the test fills and records the errors shown."""

    def __init__(self):
        self.save_paths, self.restore_answers, self.errors = [], [], []

    def save_path(self, title, suggested, filters):
        return self.save_paths.pop(0)

    def unsaved_changes(self, name):
        return prompts.DISCARD

    def restore_autosave(self, description):
        return self.restore_answers.pop(0)

    def error(self, title, text):
        self.errors.append((title, text))


@pytest.fixture
def window(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(config=CONFIG, settings=settings, editors=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.rendered_snapshot is not None, timeout=TIMEOUT_MS)
    window.file_actions.prompter = RecordingPrompter()
    window.file_actions.autosaver = Autosaver(tmp_path / "autosave")
    yield window
    window.close()


def latest(window):
    return window.controller.latest_snapshot


def points_of(snapshot) -> int:
    return len(snapshot.data.X_train) + len(snapshot.data.X_test)


def wait_loaded(qtbot, actions) -> None:
    qtbot.waitUntil(lambda: not actions.loading, timeout=TIMEOUT_MS)


# -- 1 and 2: a cleared canvas saves, reopens and regenerates -----------------------------------
# -- 4: the window responds while a file loads, and the open playground waits for the result ---
# -- 6: absurd numbers never reach a view as NaN -------------------------------------------------
# -- 7: a broken lesson neither stops the app nor escapes as an error ----------------------------
@pytest.fixture
def lesson_folder(tmp_path, monkeypatch):
    root = tmp_path / "resources"
    (root / "presets").mkdir(parents=True)
    monkeypatch.setattr(presets.resources, "files", lambda package: root)
    presets._shipped.cache_clear()
    yield root / "presets"
    presets._shipped.cache_clear()


def write_lesson(folder, name, title, config="{}"):
    (folder / name).write_text(
        '{"format": "backprop-playground-lesson", "version": 1, "title": "%s", '
        '"explanation": "e", "config": %s}' % (title, config), encoding="utf-8")


# -- 8: a message is quoted as an excerpt --------------------------------------------------------
def test_error_dialogs_and_the_status_bar_show_a_short_excerpt(qtbot, window, monkeypatch):
    shown = []
    monkeypatch.setattr(prompts.QMessageBox, "warning",
                        lambda parent, title, text: shown.append(text))
    long_message = "bad value: " + "x" * 30_000 + "\nline\n" * 500
    prompts.Prompter(window).error("Cannot open", long_message)
    window.status.show_message(long_message)
    for text in (shown[0], window.status.message.text(), window.status.message.toolTip()):
        assert text.startswith("bad value: xxx") and text.endswith("…") and len(text) <= 801


# -- 4: a long history opened from a file is drawn in turns ---------------------------------------
