"""Watchable by default: a new playground trains at 30 epochs a second, the speed sits next to
Play with "as fast as possible" one click away, and a lesson plays at its own speed."""
from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QSettings, Qt

from playground.config import DEFAULT_EPOCHS_PER_SECOND, PlaygroundConfig
from playground.qt.shell.main_window import MainWindow
from playground.qt.shell.speed_control import SPEEDS, format_speed
from playground.session import Playground
from playground.lessons import lesson

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise)\(\)")
TIMEOUT_MS = 20_000


@pytest.fixture
def window(qtbot, tmp_path):
    window = MainWindow(settings=QSettings(str(tmp_path / "layout.ini"),
                                           QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.rendered_snapshot is not None, timeout=TIMEOUT_MS)
    yield window
    window.close()


def speed_in_force(window):
    return window.controller.config.hyper.epochs_per_second


def wait_speed(qtbot, window, speed) -> None:
    qtbot.waitUntil(lambda: speed_in_force(window) == speed, timeout=TIMEOUT_MS)


def test_the_default_boundary_takes_seconds_to_form():
    # measured in epochs, not in time: the default circle is classified 90 % right after
    # about a hundred epochs (as fast as possible: a tenth of a second), which at the default
    # speed is seconds to watch
    playground = Playground(PlaygroundConfig())
    epochs = 0
    while playground.evaluate().test_accuracy < 0.9:
        playground.step_epoch()
        epochs += 1
        assert epochs < 2000
    seconds = epochs / DEFAULT_EPOCHS_PER_SECOND
    assert 2.0 <= seconds <= 10.0, f"{epochs} epochs: {seconds:.1f} s at the default speed"


def test_a_new_window_trains_at_the_default_speed(window):
    assert DEFAULT_EPOCHS_PER_SECOND == 30.0
    assert speed_in_force(window) == DEFAULT_EPOCHS_PER_SECOND
    assert window.speed_control.combo.currentText() == "30 epochs/s"
    assert not window.speed_control.fast.isChecked()
    combo = window.speed_control.combo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "1 epoch/s", "2 epochs/s", "5 epochs/s", "10 epochs/s", "20 epochs/s", "30 epochs/s",
        "60 epochs/s", "As fast as possible"]
    assert [format_speed(speed) for speed in SPEEDS] == \
        [combo.itemText(i) for i in range(combo.count())]


def test_fast_is_one_click_away_and_a_second_click_comes_back(qtbot, window):
    control = window.speed_control
    qtbot.mouseClick(control.fast, Qt.MouseButton.LeftButton)
    wait_speed(qtbot, window, None)
    assert control.combo.currentText() == "As fast as possible"
    qtbot.mouseClick(control.fast, Qt.MouseButton.LeftButton)
    wait_speed(qtbot, window, 30.0)
    assert control.combo.currentText() == "30 epochs/s" and not control.fast.isChecked()
    # the limit chosen last is the one Fast comes back to
    control.combo.setCurrentIndex(control.combo.findText("5 epochs/s"))
    wait_speed(qtbot, window, 5.0)
    qtbot.mouseClick(control.fast, Qt.MouseButton.LeftButton)
    wait_speed(qtbot, window, None)
    qtbot.mouseClick(control.fast, Qt.MouseButton.LeftButton)
    wait_speed(qtbot, window, 5.0)
    # choosing "As fast as possible" in the list presses Fast
    control.combo.setCurrentIndex(control.combo.findText("As fast as possible"))
    wait_speed(qtbot, window, None)
    assert control.fast.isChecked()


def test_the_training_panel_keeps_the_speed_set_in_the_tool_bar(qtbot, window):
    control = window.speed_control
    control.combo.setCurrentIndex(control.combo.findText("2 epochs/s"))
    # at once, before the worker confirms: the panel sends whole hyperparameters
    assert window.training_controls.hyperparameters().epochs_per_second == 2.0
    window.training_controls.batch_size.setValue(25)
    qtbot.waitUntil(lambda: window.controller.config.hyper.batch_size == 25, timeout=TIMEOUT_MS)
    assert speed_in_force(window) == 2.0


@pytest.mark.parametrize("title, speed", [("Learning rate too high", 10.0),
                                          ("Three classes with softmax", 5.0),
                                          ("Vanishing gradients with sigmoid", None)])
def test_a_lesson_plays_at_its_own_speed(qtbot, window, title, speed):
    chosen = lesson(title)
    assert chosen.config.hyper.epochs_per_second == speed
    menu = window.file_actions.lessons.menu
    next(action for action in menu.actions() if action.text() == title).trigger()
    qtbot.waitUntil(lambda: window.controller.config.hyper == chosen.config.hyper,
                    timeout=TIMEOUT_MS)
    assert speed_in_force(window) == speed                          # the worker's
    control = window.speed_control
    assert control.combo.currentText() == format_speed(speed)      # and the tool bar's
    assert control.fast.isChecked() == (speed is None)
    assert window.training_controls.hyperparameters() == chosen.config.hyper
    # training at it: Play keeps the lesson's speed, and so does a change in the panel
    window.play_action.trigger()
    window.training_controls.batch_size.setValue(7)
    qtbot.waitUntil(lambda: window.controller.config.hyper.batch_size == 7, timeout=TIMEOUT_MS)
    assert speed_in_force(window) == speed
    window.controller.pause()
    assert replace(window.controller.config.hyper, batch_size=10) == \
        replace(chosen.config.hyper, batch_size=10)
