"""Compare runs in the real window: pin a run, change a setting, Reset and train with its ghost
curves under the live ones; show, hide and remove pins; save, open, restore and export them."""
from __future__ import annotations

import csv
from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from playground.runs import PinnedRuns, pin_run
from playground.session import Playground
from playground.storage import pins_from_content, read_content, save_playground

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise)\(\)")
TIMEOUT_MS = 20_000


def latest(window):
    return window.controller.latest_snapshot


def step_to_epoch(qtbot, window, epoch: int) -> None:
    while latest(window).epoch < epoch:
        before = latest(window).epoch
        window.controller.step_epoch()
        qtbot.waitUntil(lambda: latest(window).epoch > before, timeout=TIMEOUT_MS)


def history_now(qtbot, window) -> dict:
    done = []
    window.controller.run_in_worker(
        lambda pg: {name: pg.history.column(name) for name in ("epochs", "train_loss",
                                                               "test_accuracy")}, done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=TIMEOUT_MS)
    return done[0]


def pin_by_button(qtbot, window) -> None:
    count = len(window.compare_runs.runs)
    qtbot.mouseClick(window.runs_panel.pin_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(window.compare_runs.runs) == count + 1, timeout=TIMEOUT_MS)


def ghost_data(window, plot: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    return [item.getData() for item in window.compare_runs.ghosts[plot].items]


def test_a_pinned_run_stays_drawn_under_the_next_run_labelled_by_what_differs(qtbot,
                                                                               file_window):
    window = file_window
    step_to_epoch(qtbot, window, 6)
    kept = history_now(qtbot, window)
    pin_by_button(qtbot, window)
    run = window.compare_runs.runs.runs[0]
    assert run.label == "Run 1" and run.last_epoch == 6 and run.config == window.config
    assert run.thumbnail is not None and run.thumbnail.shape == (64, 64, 3)
    assert run.thumbnail.std() > 0                  # the boundary, not a blank square
    (train_x, train_y), (test_x, test_y) = ghost_data(window)
    np.testing.assert_array_equal(train_x, kept["epochs"])
    np.testing.assert_array_equal(train_y, kept["train_loss"])
    accuracy = ghost_data(window, 1)
    np.testing.assert_array_equal(accuracy[1][1], kept["test_accuracy"])
    assert window.file_actions.document.modified       # a pin is a change to save

    # another learning rate, Reset, train: the pin stays, labelled by what differs
    window.controller.set_hyperparameters(replace(window.config.hyper, learning_rate=0.3))
    window.reset_action.trigger()
    qtbot.waitUntil(lambda: latest(window).epoch == 0
                    and window.config.hyper.learning_rate == 0.3, timeout=TIMEOUT_MS)
    step_to_epoch(qtbot, window, 2)
    qtbot.waitUntil(lambda: window.rendered_snapshot.epoch == 2, timeout=TIMEOUT_MS)
    assert len(ghost_data(window)) == 2
    label = window.compare_runs.ghosts[0].labels[0]
    assert label.toPlainText() == "Run 1: lr 0.03 vs 0.3"
    item = window.runs_panel.list.item(0)
    assert "lr 0.03 vs 0.3" in item.text() and "epoch 6" in item.text()
    # the loss plot's range holds the ghost's six epochs while the new run is at two
    assert window.loss_plot.getPlotItem().getViewBox().viewRange()[0][1] >= 6

    item.setCheckState(Qt.CheckState.Unchecked)         # hidden, kept
    assert not window.compare_runs.runs.runs[0].visible and ghost_data(window) == []
    item.setCheckState(Qt.CheckState.Checked)
    assert len(ghost_data(window)) == 2
    window.runs_panel.list.setCurrentRow(0)
    qtbot.mouseClick(window.runs_panel.remove_button, Qt.MouseButton.LeftButton)
    assert len(window.compare_runs.runs) == 0 and ghost_data(window) == []
    assert window.runs_panel.list.count() == 0


def test_the_pin_action_is_in_the_training_menu_and_an_untrained_run_is_not_pinned(
        qtbot, file_window):
    window = file_window
    action = window.compare_runs.pin_action
    assert action in window.training_menu.actions() and action.shortcut().toString() == "P"
    messages = []
    window.compare_runs.keeper.sigMessage.connect(lambda text, problem: messages.append(text))
    action.trigger()
    qtbot.waitUntil(lambda: bool(messages), timeout=TIMEOUT_MS)
    assert "nothing to pin yet" in messages[0] and len(window.compare_runs.runs) == 0


def test_pins_are_saved_with_the_playground_and_come_back_on_open(qtbot, file_window, tmp_path):
    window, actions = file_window, file_window.file_actions
    step_to_epoch(qtbot, window, 3)
    pin_by_button(qtbot, window)
    step_to_epoch(qtbot, window, 5)
    pin_by_button(qtbot, window)
    window.runs_panel.list.item(0).setCheckState(Qt.CheckState.Unchecked)
    path = tmp_path / "pinned.bpp"
    actions.prompter.save_paths.append(str(path))
    assert actions.save() and not actions.document.modified
    saved = pins_from_content(read_content(path))
    assert [(run.label, run.visible, run.last_epoch) for run in saved] == [
        ("Run 1", False, 3), ("Run 2", True, 5)]

    window.compare_runs.keeper.remove(1)
    window.compare_runs.keeper.remove(2)
    assert actions.document.modified
    actions.prompter.unsaved_answers.append("discard")
    assert actions.open_path(str(path))
    qtbot.waitUntil(lambda: not actions.loading, timeout=TIMEOUT_MS)
    runs = window.compare_runs.runs
    assert [(run.label, run.visible, run.last_epoch) for run in runs] == [
        ("Run 1", False, 3), ("Run 2", True, 5)]
    assert window.runs_panel.list.count() == 2 and len(ghost_data(window)) == 2
    np.testing.assert_array_equal(runs.runs[1].thumbnail, saved.runs[1].thumbnail)
    qtbot.waitUntil(lambda: not actions.document.modified, timeout=TIMEOUT_MS)


def test_pins_are_autosaved_and_restored_after_a_crash(qtbot, file_window, tmp_path):
    window, actions = file_window, file_window.file_actions
    actions.recovery.timer.setInterval(50)
    actions.start_session()
    step_to_epoch(qtbot, window, 2)
    pin_by_button(qtbot, window)
    autosave = actions.recovery.autosaver.path
    qtbot.waitUntil(lambda: autosave.is_file()
                    and len(pins_from_content(read_content(autosave))) == 1, timeout=TIMEOUT_MS)
    actions._interactive = False

    # an autosave a crashed session left, with a pinned run of its own
    crashed = Playground(window.config)
    for _ in range(4):
        crashed.step_epoch()
    pins = PinnedRuns().add(pin_run(crashed, "Before the crash"))
    save_playground(autosave.parent / "autosave-999999999.bpp", crashed, pins)
    actions.prompter.restore_answers.append(True)
    assert actions.recovery.offer()
    qtbot.waitUntil(lambda: not actions.loading, timeout=TIMEOUT_MS)
    assert [run.label for run in window.compare_runs.runs] == ["Before the crash"]
    assert window.runs_panel.list.item(0).text().startswith("Before the crash · epoch 4")


def test_the_comparison_exports_as_png_and_csv(qtbot, file_window, tmp_path):
    window, actions = file_window, file_window.file_actions
    step_to_epoch(qtbot, window, 4)
    pin_by_button(qtbot, window)
    window.reset_action.trigger()
    qtbot.waitUntil(lambda: latest(window).epoch == 0, timeout=TIMEOUT_MS)
    step_to_epoch(qtbot, window, 2)
    png, table = tmp_path / "comparison.png", tmp_path / "comparison.csv"
    actions.prompter.save_paths += [str(png)]
    window.compare_runs.png_action.trigger()
    image = QImage(str(png))
    assert image.width() == window.loss_plot.width() + window.accuracy_plot.width()
    assert image.height() == max(window.loss_plot.height(), window.accuracy_plot.height())
    actions.prompter.save_paths += [str(table)]
    actions.exports.actions["comparison_csv"].trigger()
    with open(table, newline="", encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    assert rows[0][:3] == ["epoch", "Run 1: train loss", "this run: train loss"]
    assert [row[0] for row in rows[1:]] == ["1", "2", "3", "4"]
    assert rows[2][2] != "" and rows[3][2] == ""        # this run has two epochs, the pin four


def step_epochs(qtbot, window, epochs: int) -> None:
    """Exactly ``epochs`` more epochs, a Step each, as a student pressing Right would."""
    target = latest(window).epoch + epochs
    for _ in range(epochs):
        window.controller.step_epoch()
    qtbot.waitUntil(lambda: latest(window).epoch == target, timeout=TIMEOUT_MS)


def test_the_ravine_lesson_as_a_student_follows_it(qtbot, file_window):
    window = file_window
    menu = window.file_actions.lessons.menu
    next(action for action in menu.actions()
         if action.text() == "Momentum vs SGD on a ravine").trigger()
    qtbot.waitUntil(lambda: window.config.hyper.optimizer == "sgd"
                    and window.config.hyper.batch_size == 100
                    and latest(window).landscape is not None, timeout=TIMEOUT_MS)
    step_epochs(qtbot, window, 100)
    pin_by_button(qtbot, window)
    sgd_loss = window.compare_runs.runs.runs[0].history["train_loss"][-1]
    window.training_controls.optimizer.setCurrentIndex(
        window.training_controls.optimizer.findData("momentum"))
    qtbot.waitUntil(lambda: window.config.hyper.optimizer == "momentum", timeout=TIMEOUT_MS)
    window.reset_action.trigger()
    qtbot.waitUntil(lambda: latest(window).epoch == 0, timeout=TIMEOUT_MS)
    step_epochs(qtbot, window, 100)
    qtbot.waitUntil(lambda: window.rendered_snapshot.epoch == 100
                    and window.rendered_snapshot.landscape is not None
                    and window.rendered_snapshot.landscape.epoch == 100, timeout=TIMEOUT_MS)
    assert latest(window).train_loss < sgd_loss / 10
    assert window.compare_runs.ghosts[0].labels[0].toPlainText() == \
        "Run 1: optimizer sgd vs momentum"
    view = window.rendered_snapshot.landscape
    assert view.directions == "pca" and len(view.path) >= 50


def test_a_pin_asked_for_just_before_another_playground_is_not_put_in_it(qtbot, window):
    step_to_epoch(qtbot, window, 3)
    window.compare_runs.keeper.pin()            # its answer comes from the worker later
    assert window.file_actions.new_playground()  # File ▸ New, at once
    done = []
    window.controller.run_in_worker(lambda pg: True, done.append)   # after the pin's answer
    qtbot.waitUntil(lambda: bool(done), timeout=TIMEOUT_MS)
    assert len(window.compare_runs.runs) == 0
    assert len(window.file_actions.document.pins) == 0
