"""Lessons teachers write, through the real window: File ▸ Save as lesson… and back through the
Lessons menu (the user's folder beside the shipped lessons), File ▸ Open and a drop; classroom
mode really hides and locks; the goal is checked live; a broken lesson is refused naming the
field."""
from __future__ import annotations

import json

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from playground.classroom import HIDDEN, LOCKED
from playground.lessons import REACHED, lessons, read_lesson_file
from playground.snapshot import PLAYING

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise)\(\)")
TIMEOUT_MS = 30_000
TEXT = "Press **Play** and watch the *test loss*.\n\n- one\n- two\n"


@pytest.fixture
def window(file_window, tmp_path):
    file_window.file_actions.lessons.user_folder = tmp_path / "my-lessons"
    return file_window


def latest(window):
    return window.controller.latest_snapshot


def step_epochs(qtbot, window, count):
    target = latest(window).epoch + count
    while latest(window).epoch < target:
        before = latest(window).epoch
        window.controller.step_epoch()
        qtbot.waitUntil(lambda: latest(window).epoch > before, timeout=TIMEOUT_MS)


def drop(widget, path) -> bool:
    """Drop a local file on ``widget`` as a file manager would; True when taken."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    position, action = widget.rect().center(), Qt.DropAction.CopyAction
    enter = QDragEnterEvent(position, action, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    dropped = QDropEvent(QPointF(position), action, mime, Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, dropped)
    return enter.isAccepted() and dropped.isAccepted()


def save_lesson_through_the_dialog(qtbot, window, title="Loss below 5", weights=True,
                                   goal_value=5.0):
    action = next(act for act in window.file_actions.file_menu.actions()
                  if act.objectName() == "saveLessonAction")
    assert action.isVisible() and action.isEnabled()
    action.trigger()
    dialog = window.teaching.lessons.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=TIMEOUT_MS)
    qtbot.keyClicks(dialog.title, title)
    dialog.text.setPlainText(TEXT)
    dialog.include_weights.setChecked(weights)
    dialog.goal_box.setChecked(True)
    dialog.goal_metric.setCurrentIndex(dialog.goal_metric.findData("test_loss"))
    dialog.goal_comparison.setCurrentIndex(dialog.goal_comparison.findData("<"))
    dialog.goal_value.setValue(goal_value)
    dialog.set_state("optimizer", HIDDEN)
    dialog.set_state("learning_rate", HIDDEN)
    dialog.set_state("layers", LOCKED)
    dialog.set_state("inspector", HIDDEN)
    dialog.set_state("precision", LOCKED)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT_MS)
    return window.teaching.lessons.saved_path


def open_file(window, path) -> None:
    """File ▸ Open, choosing ``path`` in the file dialog."""
    window.file_actions.prompter.open_paths.append(str(path))
    next(act for act in window.file_actions.file_menu.actions()
         if act.objectName() == "openAction").trigger()


def open_from_menu(qtbot, window, title):
    menu = window.file_actions.lessons.menu
    menu.aboutToShow.emit()          # what opening the menu does: the folder is read again
    action = next(act for act in menu.actions() if act.text() == title)
    action.trigger()
    qtbot.waitUntil(lambda: window.windowTitle().startswith(f"Lesson: {title}"),
                    timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: not window.file_actions.loading, timeout=TIMEOUT_MS)


def test_save_as_lesson_round_trip_through_the_lessons_menu(qtbot, window, tmp_path):
    step_epochs(qtbot, window, 3)
    config, before = window.controller.config, latest(window)
    path = save_lesson_through_the_dialog(qtbot, window)
    assert path == str(tmp_path / "my-lessons" / "loss-below-5.json")
    saved = read_lesson_file(path)
    assert saved.title == "Loss below 5" and saved.text == TEXT.strip()
    assert saved.classroom.hidden == {"optimizer", "learning_rate", "inspector"}
    assert saved.classroom.locked == {"layers", "precision"}
    assert (saved.goal.metric, saved.goal.comparison, saved.goal.value) == ("test_loss", "<", 5)
    assert "Loss below 5" in window.status.message.text()
    # listed after the shipped lessons, under My lessons
    lessons_menu = window.file_actions.lessons
    lessons_menu.menu.aboutToShow.emit()
    assert lessons_menu.user_lessons() == ["Loss below 5"]
    assert any(act.isSeparator() and act.text() == "My lessons"
               for act in lessons_menu.menu.actions())

    step_epochs(qtbot, window, 2)            # somewhere else, to see the lesson bring it back
    open_from_menu(qtbot, window, "Loss below 5")
    qtbot.waitUntil(lambda: latest(window).epoch == 0 and window.controller.config == config,
                    timeout=TIMEOUT_MS)
    opened = latest(window)
    for got, expected in zip(opened.weights, before.weights):     # the weights went in
        np.testing.assert_array_equal(got, expected)
    panel = window.file_actions.lessons.panel
    assert panel.title.text() == "Loss below 5"
    assert "Press Play and watch the test loss." in panel.text.toPlainText()


def test_classroom_mode_hides_and_locks_and_leaving_brings_them_back(qtbot, window):
    path = save_lesson_through_the_dialog(qtbot, window, weights=False)
    open_file(window, path)
    qtbot.waitUntil(lambda: window.teaching.classroom.active, timeout=TIMEOUT_MS)
    training, editor = window.training_controls, window.network_editor
    # hidden: not on screen at all (a form row with its label); locked: shown, disabled
    assert not training.optimizer.isVisible() and not training.learning_rate.isVisible()
    assert training.batch_size.isVisible()
    assert training.precision.isVisible() and not training.precision.isEnabled()
    assert not window.docks["inspectorDock"].isVisible()
    assert not window.docks["inspectorDock"].toggleViewAction().isVisible()
    assert editor.add_layer_button.isVisible() and not editor.add_layer_button.isEnabled()
    badge = window.teaching.classroom.badge
    assert badge.isVisible() and "Optimizer" in badge.toolTip()
    # a locked gesture on the drawing is refused too
    layers = latest(window).structure.layer_sizes
    editor._add_layer()
    editor._resize_layer(0, +1)
    assert "Locked by this lesson" in window.status.message.text()
    step_epochs(qtbot, window, 1)
    assert latest(window).structure.layer_sizes == layers
    # the +/- buttons above the hidden layers are drawn, disabled
    assert editor.view.buttons and not any(button.enabled for button in editor.view.buttons)
    assert all(button.opacity() < 1 and button.toolTip().startswith("Locked by this lesson")
               for button in editor.view.buttons)

    leave = window.teaching.classroom.leave_action
    assert leave.isEnabled()
    leave.trigger()
    assert training.optimizer.isVisible() and training.learning_rate.isVisible()
    assert editor.add_layer_button.isEnabled() and training.precision.isEnabled()
    assert window.docks["inspectorDock"].toggleViewAction().isVisible()
    assert not badge.isVisible()


def test_the_goal_is_checked_live_and_marked_reached(qtbot, window):
    path = save_lesson_through_the_dialog(qtbot, window, title="Reach it", goal_value=5.0)
    open_file(window, path)
    qtbot.waitUntil(lambda: window.windowTitle().startswith("Lesson: Reach it"),
                    timeout=TIMEOUT_MS)
    panel = window.file_actions.lessons.panel
    assert panel.goal.isVisible() and panel.goal.text().startswith("○ Goal: test loss")
    window.controller.play()
    qtbot.waitUntil(lambda: panel.goal_status == REACHED, timeout=TIMEOUT_MS)
    assert panel.goal.text().startswith("✓ Goal reached at epoch 1")
    # Reset restarts the history: the goal is unreached again until trained
    window.controller.pause()
    qtbot.waitUntil(lambda: window.controller.state != PLAYING, timeout=TIMEOUT_MS)
    window.reset_action.trigger()
    qtbot.waitUntil(lambda: panel.goal_status != REACHED, timeout=TIMEOUT_MS)
    assert panel.goal.text().startswith("○")


def test_a_lesson_opens_from_a_drop_and_another_playground_ends_classroom_mode(
        qtbot, window, tmp_path):
    path = save_lesson_through_the_dialog(qtbot, window, title="Dropped", weights=False)
    window.file_actions.new_playground()
    assert drop(window, path)
    qtbot.waitUntil(lambda: window.windowTitle().startswith("Lesson: Dropped"),
                    timeout=TIMEOUT_MS)
    assert window.teaching.classroom.active
    assert not window.training_controls.optimizer.isVisible()
    window.file_actions.new_playground()
    assert not window.teaching.classroom.active
    assert window.training_controls.optimizer.isVisible()
    assert not window.file_actions.lessons.dock.isVisible()


def test_a_shipped_lesson_starts_the_dialog_from_itself(qtbot, window):
    shipped = next(item for item in lessons() if item.panels)     # one that opens panels
    window.file_actions.open_lesson(shipped)
    action = next(act for act in window.file_actions.file_menu.actions()
                  if act.objectName() == "saveLessonAction")
    action.trigger()
    dialog = window.teaching.lessons.dialog
    assert dialog.title.text() == shipped.title
    assert dialog.text.toPlainText() == shipped.text
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT_MS)
    saved = read_lesson_file(window.teaching.lessons.saved_path)
    # what the dialog does not offer is kept from the lesson: the panels it opens
    assert saved.panels == shipped.panels and saved.classroom == shipped.classroom


@pytest.mark.parametrize("field, value, named", [
    ("title", 5, "title"),
    ("goal", {"metric": "test_loss", "comparison": "<", "value": "low"}, "goal"),
    ("classroom", {"hidden": ["no_such_control"]}, "no_such_control"),
])
def test_a_broken_lesson_is_refused_naming_the_field(qtbot, window, tmp_path, field, value,
                                                     named):
    path = save_lesson_through_the_dialog(qtbot, window, title="Good", weights=False)
    raw = json.loads(open(path, encoding="utf-8").read())
    raw[field] = value
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(raw), encoding="utf-8")
    config = window.controller.config
    prompter = window.file_actions.prompter
    errors = len(prompter.errors)
    open_file(window, broken)
    assert len(prompter.errors) == errors + 1
    assert named in prompter.errors[-1][1]
    assert window.controller.config == config and not window.teaching.classroom.active
    # a broken file in the user's folder is left out of the menu, saying why
    (tmp_path / "my-lessons" / "broken.json").write_text(json.dumps(raw), encoding="utf-8")
    window.file_actions.lessons.menu.aboutToShow.emit()
    assert window.file_actions.lessons.user_lessons() == ["Good"]
    assert "broken" in window.status.message.text() and named in window.status.message.text()


def test_a_lesson_can_hide_or_lock_the_loss_views_and_the_run_comparison(qtbot, window):
    from playground.classroom import Classroom

    classroom = window.teaching.classroom
    window.docks["slopeDock"].raise_()
    classroom.apply(Classroom(hidden=frozenset({"slope", "compare_runs"}),
                              locked=frozenset({"landscape"})))
    slope, landscape = window.docks["slopeDock"], window.docks["landscapeDock"]
    assert not slope.isVisible() and not slope.toggleViewAction().isVisible()
    assert not window.runs_panel.isVisible()
    assert not window.compare_runs.pin_action.isVisible()
    panel = window.landscape_panel
    assert not panel.directions_choice.isEnabled() and not panel.resolution_choice.isEnabled()
    assert landscape.toggleViewAction().isVisible()
    classroom.leave()
    assert slope.toggleViewAction().isVisible() and window.compare_runs.pin_action.isVisible()
    assert window.runs_panel.isVisible() and panel.directions_choice.isEnabled()


def test_saving_a_lesson_again_starts_from_what_was_just_saved(qtbot, window):
    save_lesson_through_the_dialog(qtbot, window, title="First version")
    window.teaching.lessons.open_dialog()
    dialog = window.teaching.lessons.dialog
    assert dialog.title.text() == "First version"
    assert dialog.goal_box.isChecked() and dialog.goal_value.value() == 5.0
    dialog.reject()


def test_closing_with_unsaved_changes_saves_the_windows_own_layout_not_the_lessons(qtbot,
                                                                                  window):
    from playground.classroom import Classroom

    window.teaching.classroom.apply(Classroom(hidden=frozenset({"inspector"})))
    dock = window.docks["inspectorDock"]
    assert dock.isHidden()
    step_epochs(qtbot, window, 2)
    qtbot.waitUntil(lambda: window.file_actions.document.modified, timeout=TIMEOUT_MS)
    hidden_when_saved = []
    save_layout = window.save_layout
    window.save_layout = lambda: (hidden_when_saved.append(dock.isHidden()), save_layout())
    window.file_actions._interactive = True     # the unsaved-changes question is asked
    window.close()                              # the scripted answer discards
    assert window.file_actions.prompter.asked_unsaved == 1
    assert hidden_when_saved == [False]
