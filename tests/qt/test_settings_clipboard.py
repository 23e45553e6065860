"""Edit ▸ Copy settings and Paste settings through the real window: the text on the clipboard,
a round trip into another playground, and bad text refused with nothing changed."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMenu

from playground.settings_text import format_settings, parse_settings

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise)\(\)")
TIMEOUT_MS = 30_000


@pytest.fixture
def window(file_window):
    return file_window


def edit_action(window, name):
    menu = window.menuBar().findChild(QMenu, "editMenu")
    action = next(act for act in menu.actions() if act.objectName() == name)
    assert action.isVisible() and action.isEnabled()
    return action


def latest(window):
    return window.controller.latest_snapshot


def test_copy_puts_the_settings_in_force_on_the_clipboard(qtbot, window):
    QGuiApplication.clipboard().setText("")
    edit_action(window, "copySettingsAction").trigger()
    text = QGuiApplication.clipboard().text()
    assert text.startswith("backprop-playground:1\ndataset=xor ")
    assert "layers=3 activation=tanh net_seed=1" in text and "data_seed=2" in text
    assert parse_settings(text) == window.controller.config
    assert "Copied the settings" in window.status.message.text()


def test_paste_then_copy_is_a_round_trip(qtbot, window):
    edit_action(window, "copySettingsAction").trigger()
    shared = (QGuiApplication.clipboard().text()
              .replace("dataset=xor", "dataset=spiral").replace("lr=0.03", "lr=0.1")
              .replace("layers=3 activation=tanh", "layers=5,4 activation=relu,tanh")
              .replace("features=x1,x2", "features=x1,x2,sin_x1"))
    # a chat joins the lines: the same settings
    QGuiApplication.clipboard().setText(" ".join(shared.split()))
    edit_action(window, "pasteSettingsAction").trigger()
    expected = parse_settings(shared)
    qtbot.waitUntil(lambda: window.controller.config == expected, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: list(latest(window).structure.layer_sizes) == [3, 5, 4, 1],
                    timeout=TIMEOUT_MS)
    window.render_pending()
    assert window.training_controls.learning_rate.currentText() == "0.1"     # shown too
    assert "Pasted the settings" in window.status.message.text()
    edit_action(window, "copySettingsAction").trigger()
    assert QGuiApplication.clipboard().text() == shared == format_settings(expected)


@pytest.mark.parametrize("text, named", [
    ("hello there", "backprop-playground:1"),
    ("backprop-playground:1 dataset=circle lr=banana", "lr"),
    ("backprop-playground:1 dataset=circle colour=red", "colour"),
    ("backprop-playground:1 layers=4,2 activation=tanh,relu,relu", "activation"),
    ("backprop-playground:1 dataset=circle classes=3", "classes"),
])
def test_bad_text_is_refused_and_nothing_changes(qtbot, window, text, named):
    window.controller.step_epoch()
    qtbot.waitUntil(lambda: latest(window).epoch == 1, timeout=TIMEOUT_MS)
    window.render_pending()
    config, before = window.controller.config, latest(window)
    title, modified = window.windowTitle(), window.file_actions.document.modified
    prompter = window.file_actions.prompter
    QGuiApplication.clipboard().setText(text)
    edit_action(window, "pasteSettingsAction").trigger()
    assert prompter.errors[-1][0] == "Cannot paste settings"
    assert named in prompter.errors[-1][1] and "Nothing changed." in prompter.errors[-1][1]
    assert "Cannot paste settings" in window.status.message.text()
    assert prompter.asked_unsaved == 0      # refused before anything was asked
    window.controller.step_epoch()          # the worker has seen whatever was sent before
    qtbot.waitUntil(lambda: latest(window).epoch == 2, timeout=TIMEOUT_MS)
    assert window.controller.config == config
    assert latest(window).structure.version == before.structure.version
    assert latest(window).data.version == before.data.version
    assert window.windowTitle() == title and window.file_actions.document.modified == modified
    for got, kept in zip(latest(window).weights, before.weights):
        assert got.shape == kept.shape and np.all(np.isfinite(got))
