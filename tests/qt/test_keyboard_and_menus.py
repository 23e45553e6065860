"""Keyboard and menus a desktop user expects (issue 16, section 7), through the real window."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QTabBar, QToolButton

from playground.config import PlaygroundConfig
from playground.qt.data.paint_tools import BRUSH
from playground.qt.files.prompts import CANCEL, DISCARD
from playground.qt.widgets import TOOL_BAR_EXTENSION
from playground.snapshot import PAUSED, PLAYING

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)")
TIMEOUT_MS = 20_000
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier




def key(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """Press a key where the keyboard is, as a user would."""
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def settle(qtbot, window) -> None:
    controller = window.controller
    qtbot.waitUntil(lambda: window.rendered_snapshot.serial == controller.latest_snapshot.serial,
                    timeout=TIMEOUT_MS)


# -- Tab ---------------------------------------------------------------------------------------
def test_tab_reaches_every_control_and_every_item_of_the_network(qtbot, window):
    keyboard = window.network_editor.keyboard
    painter = window.dataset_painter
    painter.set_tool(BRUSH)                       # the brush shows its radius and density
    # an Output panel wide enough for the painter's whole row (narrower, the rest is under its
    # », which the next test tabs to)
    window.resize(1600, window.height())
    qtbot.waitUntil(lambda: window.width() == 1600, timeout=TIMEOUT_MS)
    window.resizeDocks([window.docks["outputDock"]], [painter.sizeHint().width() + 40],
                       Qt.Orientation.Horizontal)
    qtbot.waitUntil(lambda: painter.widgetForAction(painter.redo_action).isVisible(),
                    timeout=TIMEOUT_MS)
    reached, marks = set(), []
    for _ in range(120):
        key(qtbot, Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        reached.add(focused.objectName() or focused.parentWidget().objectName())
        if focused is window.network_editor.view and keyboard.marked is not None:
            marks.append(keyboard.marked)
    expected = {"resetButton", "playButton", "stepButton", "stepBatchButton", "paintButton",
                "pointToolButton", "brushToolButton", "eraseToolButton", "class0Button",
                "clearDataButton", "radiusInput", "densityInput", "datasetInput",
                "problemTypeInput", "noiseInput", "trainRatioInput", "regenerateButton",
                "learningRateInput", "batchSizeInput", "optimizerInput", "activationInput",
                "regularizationInput", "speedInput", "showTestDataInput", "discretizeInput",
                "logScaleInput", "addLayerButton", "removeLayerButton", "initInput",
                "seedInput", "inspectorStepBatch"}
    assert expected <= reached, expected - reached
    stops = keyboard.stops()
    assert set(stops) <= set(marks)
    assert {kind for kind, _ in stops} == {"feature", "button", "neuron"}
    assert ("neuron", (2, 0)) in stops and ("button", (1, 1)) in stops


def test_tab_reaches_the_painter_tools_that_do_not_fit_the_output_panel(qtbot, window):
    painter = window.dataset_painter
    window.resizeDocks([window.docks["outputDock"]], [220], Qt.Orientation.Horizontal)
    qtbot.waitUntil(lambda: not painter.widgetForAction(painter.redo_action).isVisible(),
                    timeout=TIMEOUT_MS)
    more = next(button for button in painter.findChildren(QToolButton)
                if button.objectName() == TOOL_BAR_EXTENSION)
    for _ in range(120):
        key(qtbot, Qt.Key.Key_Tab)
        if QApplication.focusWidget() is more:
            break
    assert QApplication.focusWidget() is more
    shown = []

    def look_and_close() -> None:
        menu = QApplication.activePopupWidget()
        shown.extend(action.objectName() for action in menu.actions())
        menu.close()

    QTimer.singleShot(100, look_and_close)
    key(qtbot, Qt.Key.Key_Space)                  # opens the list of the rest, not Play
    qtbot.waitUntil(lambda: bool(shown), timeout=TIMEOUT_MS)
    assert {"clearDataButton", "undoPaintButton", "redoPaintButton"} <= set(shown)
    assert window.controller.state == PAUSED


def test_the_network_answers_the_keyboard(qtbot, window, wait_config):
    editor, view = window.network_editor, window.network_editor.view
    keyboard = editor.keyboard
    editor.add_layer_button.setFocus(Qt.FocusReason.TabFocusReason)
    key(qtbot, Qt.Key.Key_Tab, SHIFT)                           # back into the drawing: its last
    assert view.hasFocus() and keyboard.marked == ("neuron", (2, 0))
    key(qtbot, Qt.Key.Key_Escape)
    key(qtbot, Qt.Key.Key_Tab)                                  # Tab starts on the first item
    assert keyboard.marked == ("feature", "x1")
    key(qtbot, Qt.Key.Key_Down)
    key(qtbot, Qt.Key.Key_Down)
    assert keyboard.marked == ("feature", "x1_sq")
    key(qtbot, Qt.Key.Key_Return)                               # switch x₁² on
    wait_config(window, lambda c: c.network.features == ("x1", "x2", "x1_sq"))
    settle(qtbot, window)
    assert keyboard.marked == ("feature", "x1_sq") and keyboard._mark_item is not None

    key(qtbot, Qt.Key.Key_Right)                                # the first hidden layer
    key(qtbot, Qt.Key.Key_Up)
    assert keyboard.marked == ("button", (0, 1))
    key(qtbot, Qt.Key.Key_Space)                                # pressed, not Play
    wait_config(window, lambda c: c.network.hidden_layers == (5, 2))
    assert window.controller.state == PAUSED

    menus = []
    editor.popup_menu = lambda menu, position: menus.append(menu)
    key(qtbot, Qt.Key.Key_Down)
    key(qtbot, Qt.Key.Key_Return)                               # neuron 1.1's menu
    menu = menus[-1]
    texts = [action.text() for action in menu.actions()]
    assert "relu" in texts and "Edit the bias…" in texts and "Edit an incoming weight" in texts
    next(a for a in menu.actions() if a.text() == "relu").trigger()
    wait_config(window, lambda c: c.network.activations == ("relu", "tanh"))
    settle(qtbot, window)

    key(qtbot, Qt.Key.Key_Return)
    weights = next(a for a in menus[-1].actions() if a.text() == "Edit an incoming weight")
    weights.menu().actions()[0].trigger()                       # from x₁ to neuron 1.1
    field = editor.value_editor
    assert field.isVisible() and field.hasFocus()
    field.selectAll()
    qtbot.keyClicks(field, "2.5")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.rendered_snapshot.weights[0][0, 0] == 2.5,
                    timeout=TIMEOUT_MS)
    assert view.hasFocus() and keyboard.marked == ("neuron", (0, 0))   # back on the drawing

    key(qtbot, Qt.Key.Key_Escape)                               # off the items: Space plays
    key(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.controller.state == PLAYING, timeout=TIMEOUT_MS)


# -- arrows and Space ----------------------------------------------------------------------------
def test_the_arrows_move_in_the_gallery_and_in_fields_without_stepping(qtbot, window, wait_config):
    gallery = window.data_panel.gallery
    gallery.setFocus(Qt.FocusReason.TabFocusReason)
    key(qtbot, Qt.Key.Key_Right)
    wait_config(window, lambda c: c.data.generator == "xor")
    key(qtbot, Qt.Key.Key_Left)
    wait_config(window, lambda c: c.data.generator == "circle")
    field = window.training_controls.learning_rate.lineEdit()
    field.setFocus(Qt.FocusReason.TabFocusReason)
    field.setCursorPosition(0)
    key(qtbot, Qt.Key.Key_Right)
    assert field.cursorPosition() == 1
    tabs = next(bar for bar in window.findChildren(QTabBar) if bar.count() >= 2
                and [bar.tabText(0), bar.tabText(1)] == ["Plots", "Backprop inspector"])
    tabs.setCurrentIndex(0)                             # the bottom row's tabs, Plots first
    tabs.setFocus(Qt.FocusReason.TabFocusReason)
    key(qtbot, Qt.Key.Key_Right)
    assert tabs.currentIndex() == 1
    qtbot.wait(200)
    settle(qtbot, window)
    assert window.rendered_snapshot.epoch == 0                  # no arrow stepped training
    window.network_editor.view.setFocus(Qt.FocusReason.MouseFocusReason)
    key(qtbot, Qt.Key.Key_Right)                                # from the drawing it steps
    qtbot.waitUntil(lambda: window.rendered_snapshot.epoch == 1, timeout=TIMEOUT_MS)


def test_space_after_typing_a_learning_rate_commits_it_and_plays(qtbot, window, wait_config):
    field = window.training_controls.learning_rate.lineEdit()
    field.setFocus(Qt.FocusReason.TabFocusReason)
    field.selectAll()
    qtbot.keyClicks(field, "0.3")
    qtbot.keyClick(field, Qt.Key.Key_Return)                   # Enter commits, nothing plays
    wait_config(window, lambda c: c.hyper.learning_rate == 0.3)
    assert window.controller.state == PAUSED
    field.selectAll()
    qtbot.keyClicks(field, "0.1")
    key(qtbot, Qt.Key.Key_Space)                                # commits, then plays
    wait_config(window, lambda c: c.hyper.learning_rate == 0.1)
    qtbot.waitUntil(lambda: window.controller.state == PLAYING, timeout=TIMEOUT_MS)
    assert field.text() == "0.1" and field.hasFocus()
    key(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.controller.state == PAUSED, timeout=TIMEOUT_MS)


# -- File ▸ New and Quit -------------------------------------------------------------------------
def test_file_new_asks_about_changes_then_starts_a_default_playground(qtbot, window, wait_config):
    actions = window.file_actions
    assert actions.new_action.shortcut() == QKeySequence(QKeySequence.StandardKey.New)
    field = window.training_controls.learning_rate.lineEdit()
    field.setText("0.3")
    field.editingFinished.emit()
    window.controller.step_epoch()
    qtbot.waitUntil(lambda: actions.document.modified, timeout=TIMEOUT_MS)
    actions.prompter.unsaved_answers.append(CANCEL)
    key(qtbot, Qt.Key.Key_N, CTRL)
    assert actions.prompter.asked_unsaved == 1
    assert window.controller.config.hyper.learning_rate == 0.3
    actions.prompter.unsaved_answers.append(DISCARD)
    key(qtbot, Qt.Key.Key_N, CTRL)
    wait_config(window, lambda c: c == PlaygroundConfig())
    qtbot.waitUntil(lambda: window.rendered_snapshot.epoch == 0
                    and not actions.document.modified, timeout=TIMEOUT_MS)
    assert window.windowTitle().startswith("Untitled")
    assert window.training_controls.learning_rate.value() == 0.03


def test_ctrl_q_quits(qtbot, window):
    assert window.file_actions.quit_action.shortcut().toString() == "Ctrl+Q"
    key(qtbot, Qt.Key.Key_Q, CTRL)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=TIMEOUT_MS)
    assert not window.controller.is_running


# -- Edit ▸ Undo and Redo ------------------------------------------------------------------------
def test_undo_takes_back_network_edits_and_painted_points_in_the_order_made(qtbot, window,
        wait_config):
    editor = window.network_editor
    settle(qtbot, window)
    original = float(window.rendered_snapshot.weights[0][0, 0])
    editor.open_value_editor("weight", 0, (0, 0), QPoint(20, 20))
    editor.value_editor.setText("2.5")
    qtbot.keyClick(editor.value_editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.rendered_snapshot.weights[0][0, 0] == 2.5, timeout=TIMEOUT_MS)
    editor.view.sigLayerResized.emit(0, +1)                     # "+": fresh weights
    wait_config(window, lambda c: c.network.hidden_layers == (5, 2))
    window.dataset_painter.clear_points()
    qtbot.waitUntil(lambda: len(window.rendered_snapshot.data.X_train) == 0, timeout=TIMEOUT_MS)
    editor.view.sigFeatureClicked.emit("x1_sq")
    wait_config(window, lambda c: "x1_sq" in c.network.features)
    undo = window.edit_history.undo_action
    assert undo.text() == "&Undo switch feature x₁² on"

    editor.view.setFocus(Qt.FocusReason.MouseFocusReason)
    key(qtbot, Qt.Key.Key_Z, CTRL)
    wait_config(window, lambda c: "x1_sq" not in c.network.features)
    key(qtbot, Qt.Key.Key_Z, CTRL)                              # the painted (cleared) points
    qtbot.waitUntil(lambda: len(window.rendered_snapshot.data.X_train) == 250,
                    timeout=TIMEOUT_MS)
    key(qtbot, Qt.Key.Key_Z, CTRL)                              # the neuron, and the typed weight
    wait_config(window, lambda c: c.network.hidden_layers == (4, 2))
    qtbot.waitUntil(lambda: window.rendered_snapshot.weights[0].shape == (2, 4)
                    and window.rendered_snapshot.weights[0][0, 0] == 2.5, timeout=TIMEOUT_MS)
    key(qtbot, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: window.rendered_snapshot.weights[0][0, 0] == original,
                    timeout=TIMEOUT_MS)
    assert not undo.isEnabled()

    key(qtbot, Qt.Key.Key_Z, CTRL | SHIFT)
    qtbot.waitUntil(lambda: window.rendered_snapshot.weights[0][0, 0] == 2.5, timeout=TIMEOUT_MS)
    key(qtbot, Qt.Key.Key_Z, CTRL | SHIFT)
    wait_config(window, lambda c: c.network.hidden_layers == (5, 2))
    key(qtbot, Qt.Key.Key_Y, CTRL)
    qtbot.waitUntil(lambda: len(window.rendered_snapshot.data.X_train) == 0, timeout=TIMEOUT_MS)
    editor.view.sigLayerResized.emit(1, +1)                     # a new edit: nothing to redo
    assert not window.edit_history.redo_action.isEnabled()


# -- Help ▸ Keyboard shortcuts -------------------------------------------------------------------
def test_the_shortcuts_dialog_lists_every_shortcut_and_never_goes_stale(qtbot, window):
    dialog = window.show_shortcuts()
    qtbot.addWidget(dialog)
    table = dialog.table
    rows = [tuple(table.item(row, column).text() for column in range(3))
            for row in range(table.rowCount())]
    keys = {keys for _, keys, _ in rows}
    for action in window.findChildren(QAction):
        for sequence in action.shortcuts():
            if not sequence.isEmpty():
                text = sequence.toString(QKeySequence.SequenceFormat.NativeText)
                assert any(text in shown for shown in keys), (action.text(), text)
    for text in ("Shift+R", "Ctrl+Z", "Ctrl+Shift+Z", "Ctrl+N", "Ctrl+Q", "Space", "Right"):
        assert any(text in shown for shown in keys), text
    assert ("Edit", "Ctrl+Z", "Undo") in rows
    assert any(where == "Network drawing" for where, _, _ in rows)
    dialog.close()

    extra = QAction("Something new", window)
    extra.setShortcut(QKeySequence("Ctrl+Alt+J"))
    window.addAction(extra)
    dialog = window.show_shortcuts()
    qtbot.addWidget(dialog)
    assert any(dialog.table.item(row, 2).text() == "Something new"
               for row in range(dialog.table.rowCount()))
    dialog.close()
