"""The main window against the real training worker: controls, shortcuts, views, layout."""
from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (QAbstractButton, QAbstractSlider, QAbstractSpinBox, QComboBox,
                               QListWidget, QScrollBar, QWidget)

from playground.config import DataSpec, Hyperparameters, PlaygroundConfig
from playground.examples.snapshots import demo_snapshot, make_history
from playground.qt.shell.main_window import MainWindow
from playground.qt.shell.snapshot_inbox import SnapshotInbox
from playground.snapshot import PAUSED, PLAYING

# The offscreen platform cannot pass a top-level window's size hints on (it warns whenever a
# layout changes the window's minimum size) nor raise a window (a tooltip, a floated dock); a real
# platform (see the Xvfb test in tests/test_cli.py) does both.
pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise)\(\)")

CONTRACT_NAMES = (
    "playButton", "stepButton", "stepBatchButton", "resetButton", "learningRateInput",
    "batchSizeInput", "optimizerInput", "activationInput", "regularizationInput",
    "regularizationRateInput", "problemTypeInput", "datasetInput", "noiseInput",
    "trainRatioInput", "regenerateButton", "speedInput", "epochValue", "trainLossValue",
    "testLossValue", "lossPlot", "weightsPlot", "gradientPlot", "boundaryView", "networkEditor",
)
TIMEOUT_MS = 20_000


def make_window(qtbot, tmp_path, config=None) -> MainWindow:
    settings = QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat)
    window = MainWindow(config=config, settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.rendered_snapshot is not None, timeout=TIMEOUT_MS)
    return window


@pytest.fixture
def window(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    yield window
    window.close()


def number_in(label: QWidget) -> float:
    match = re.search(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?", label.text())
    assert match, f"no number in {label.objectName()}: {label.text()!r}"
    return float(match.group())


def epoch_shown(window) -> int:
    return int(number_in(window.findChild(QWidget, "epochValue")))


def hyper_in_force(window) -> Hyperparameters:
    return window.controller.config.hyper


def wait_config(qtbot, window, predicate) -> None:
    qtbot.waitUntil(lambda: predicate(window.controller.config), timeout=TIMEOUT_MS)


def type_into(qtbot, combo: QComboBox, text: str) -> None:
    combo.lineEdit().selectAll()
    qtbot.keyClicks(combo.lineEdit(), text)
    qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Return)


def pause_and_settle(qtbot, window) -> None:
    """Pause and wait until the paused snapshot is the one on screen."""
    window.controller.pause()
    controller = window.controller
    qtbot.waitUntil(lambda: controller.state == PAUSED
                    and controller.latest_snapshot.state == PAUSED
                    and window.rendered_snapshot.serial == controller.latest_snapshot.serial,
                    timeout=TIMEOUT_MS)


# -- the contract -------------------------------------------------------------------------------
def test_every_contract_object_name_exists_once(window):
    for name in CONTRACT_NAMES:
        found = window.findChildren(QWidget, name)
        assert len(found) == 1, f"{name}: {len(found)} widgets"


def _controls(window) -> list[QWidget]:
    panels = [window.data_panel, window.training_controls, window.toolbar,
              window.show_test_data.parentWidget()]
    kinds = (QAbstractButton, QComboBox, QAbstractSpinBox, QAbstractSlider, QListWidget)
    controls = [window.log_scale]
    for panel in panels:
        for widget in panel.findChildren(QWidget):
            if not isinstance(widget, kinds) or widget.objectName().startswith("qt_"):
                continue
            if isinstance(widget.parentWidget(), (QComboBox, QAbstractSpinBox, QListWidget)):
                continue   # the parts of a compound control (its line edit, scroll bars)
            if isinstance(widget, QScrollBar):
                continue   # a scroll area's own bars
            controls.append(widget)
    return controls


def test_every_control_has_a_one_sentence_tooltip_and_an_accessible_name(window):
    controls = _controls(window)
    assert len(controls) >= 19
    for widget in controls:
        what = f"{type(widget).__name__} {widget.objectName()!r}"
        tooltip = widget.toolTip()
        assert tooltip, f"{what} has no tooltip"
        sentence = re.sub(r"\(.*?\)", "", tooltip).strip()
        assert sentence.endswith(".") and sentence.count(". ") == 0, \
            f"{what}: tooltip is not one sentence: {tooltip!r}"
        assert widget.accessibleName(), f"{what} has no accessible name"
        assert widget.objectName(), f"{what} has no objectName"


def test_value_labels_contain_the_numbers_they_show(qtbot, window):
    window.controller.step_epoch()
    qtbot.waitUntil(lambda: window.rendered_snapshot.epoch == 1, timeout=TIMEOUT_MS)
    snapshot = window.rendered_snapshot
    assert "1" in window.findChild(QWidget, "epochValue").text()
    assert window.findChild(QWidget, "statusEpochValue").text() == "Epoch 1"
    assert f"{snapshot.train_loss:.4f}" in window.findChild(QWidget, "trainLossValue").text()
    assert f"{snapshot.test_loss:.4f}" in window.findChild(QWidget, "testLossValue").text()
    assert f"{100 * snapshot.test_accuracy:.1f}" in \
        window.findChild(QWidget, "accuracyValue").text()


def test_the_default_window_shows_the_default_playground(window):
    config = window.controller.config
    assert config == PlaygroundConfig()
    controls = window.training_controls
    assert controls.learning_rate.currentText() == "0.03"
    assert controls.batch_size.value() == 10
    assert controls.activation.currentData() == "tanh"
    assert window.data_panel.gallery.current_generator() == "circle"
    assert window.data_panel.noise.value() == 0
    assert window.data_panel.ratio.value() == 50
    structure = window.rendered_snapshot.structure
    assert structure.layer_sizes == (2, 4, 2, 1)
    assert structure.features == ("x1", "x2")


# -- controls reach the worker ------------------------------------------------------------------
def test_learning_rate_from_the_ladder_and_typed(qtbot, window):
    combo = window.training_controls.learning_rate
    combo.setCurrentIndex(combo.findText("0.3"))
    combo.activated.emit(combo.currentIndex())
    wait_config(qtbot, window, lambda c: c.hyper.learning_rate == 0.3)
    type_into(qtbot, combo, "0.05")
    wait_config(qtbot, window, lambda c: c.hyper.learning_rate == 0.05)
    assert combo.currentText() == "0.05"


@pytest.mark.parametrize("text", ["abc", "-1", "0", "1e9", "nan"])
def test_invalid_learning_rate_is_refused_with_a_message(qtbot, window, text):
    combo = window.training_controls.learning_rate
    type_into(qtbot, combo, text)
    message = window.findChild(QWidget, "statusMessage").text()
    assert "not a valid learning rate" in message and "0.03" in message
    assert combo.currentText() == "0.03"
    qtbot.wait(50)
    assert window.controller.config.hyper.learning_rate == 0.03


def test_training_controls_change_the_worker(qtbot, window):
    controls = window.training_controls
    controls.batch_size.setValue(25)
    wait_config(qtbot, window, lambda c: c.hyper.batch_size == 25)
    controls.optimizer.setCurrentIndex(controls.optimizer.findData("adam"))
    wait_config(qtbot, window, lambda c: c.hyper.optimizer == "adam")
    controls.regularization.setCurrentIndex(controls.regularization.findData("l2"))
    wait_config(qtbot, window, lambda c: c.hyper.regularization == "l2")
    assert controls.regularization_rate.isEnabled()
    type_into(qtbot, controls.regularization_rate, "0.01")
    wait_config(qtbot, window, lambda c: c.hyper.regularization_rate == 0.01)
    # the speed sits in the tool bar now; it and the panel send the same hyperparameters
    speed = window.speed_control.combo
    speed.setCurrentIndex(speed.findText("10 epochs/s"))
    wait_config(qtbot, window, lambda c: c.hyper.epochs_per_second == 10.0)
    speed.setCurrentIndex(speed.findText("As fast as possible"))
    wait_config(qtbot, window, lambda c: c.hyper.epochs_per_second is None)
    hyper = hyper_in_force(window)
    assert hyper.regularization_rate == 0.01 and hyper.optimizer == "adam"
    controls.activation.setCurrentIndex(controls.activation.findData("relu"))
    wait_config(qtbot, window, lambda c: c.network.activations == ("relu", "relu"))
    qtbot.waitUntil(lambda: window.rendered_snapshot.structure.activations == ("relu", "relu"),
                    timeout=TIMEOUT_MS)


def test_data_controls_change_the_worker(qtbot, window):
    panel = window.data_panel
    panel.noise.setValue(20)
    wait_config(qtbot, window, lambda c: c.data.noise == pytest.approx(0.2))
    panel.ratio.setValue(70)
    wait_config(qtbot, window, lambda c: c.data.train_ratio == pytest.approx(0.7))
    qtbot.waitUntil(lambda: len(window.rendered_snapshot.data.X_train) == 350, timeout=TIMEOUT_MS)
    seed = window.controller.config.data.seed
    panel.regenerate.click()
    wait_config(qtbot, window, lambda c: c.data.seed != seed)

    spiral_row = next(row for row in range(panel.gallery.count())
                      if panel.gallery.item(row).data(Qt.ItemDataRole.UserRole) == "spiral")
    panel.gallery.setCurrentRow(spiral_row)
    wait_config(qtbot, window, lambda c: c.data.generator == "spiral")
    assert panel.classes.isEnabled()
    panel.classes.setValue(3)
    wait_config(qtbot, window, lambda c: c.data.classes == 3)
    qtbot.waitUntil(lambda: window.rendered_snapshot.structure.layer_sizes[-1] == 3,
                    timeout=TIMEOUT_MS)

    panel.problem.setCurrentIndex(panel.problem.findData("regression"))
    wait_config(qtbot, window, lambda c: c.data.problem == "regression")
    assert window.controller.config.data.generator in ("plane", "bumps", "saddle", "ripple")
    assert not panel.classes.isEnabled()
    qtbot.waitUntil(lambda: window.rendered_snapshot.data.kind == "regression",
                    timeout=TIMEOUT_MS)


def test_batch_size_is_limited_to_the_training_set(qtbot, window):
    controls, panel = window.training_controls, window.data_panel
    assert controls.batch_size.maximum() == 250
    controls.batch_size.setValue(250)
    wait_config(qtbot, window, lambda c: c.hyper.batch_size == 250)
    panel.ratio.setValue(20)
    wait_config(qtbot, window, lambda c: c.data.train_ratio == pytest.approx(0.2))
    assert controls.batch_size.maximum() == 100
    wait_config(qtbot, window, lambda c: c.hyper.batch_size == 100)


# -- training, shown --------------------------------------------------------------------------
def test_play_makes_the_epoch_grow_and_the_loss_fall(qtbot, window):
    initial_loss = number_in(window.findChild(QWidget, "trainLossValue"))
    window.findChild(QAbstractButton, "playButton").click()
    qtbot.waitUntil(lambda: epoch_shown(window) >= 100, timeout=TIMEOUT_MS)
    assert window.play_action.text() == "Pause"
    pause_and_settle(qtbot, window)
    assert window.play_action.text() == "Play"
    final_loss = number_in(window.findChild(QWidget, "trainLossValue"))
    assert final_loss < 0.8 * initial_loss
    # every epoch reached the loss curve, in order, none twice (the inbox merged the histories)
    epochs = window.loss_plot.buffer.column("epoch")
    np.testing.assert_array_equal(epochs, np.arange(1, window.rendered_snapshot.epoch + 1))


def test_every_plot_receives_data_and_the_boundary_changes(qtbot, window):
    boundary_before = np.array(window.boundary_view.image.image, copy=True)
    window.controller.play()
    qtbot.waitUntil(lambda: epoch_shown(window) >= 30, timeout=TIMEOUT_MS)
    pause_and_settle(qtbot, window)
    for plot in (window.loss_plot, window.accuracy_plot, window.weights_plot,
                 window.gradient_plot):
        sizes = [len(item.getData()[0]) for item in plot.getPlotItem().listDataItems()
                 if item.getData()[0] is not None]
        assert sizes and max(sizes) >= 2, f"{plot.objectName()} has no data"
    boundary_after = np.asarray(window.boundary_view.image.image)
    assert boundary_after.shape == boundary_before.shape
    assert not np.array_equal(boundary_after, boundary_before)


def test_boundary_options_reach_the_view(window):
    window.show_test_data.setChecked(True)
    assert window.boundary_view.show_test
    window.discretize_output.setChecked(True)
    assert window.boundary_view.discretize
    window.log_scale.setChecked(True)
    assert window.loss_plot.log_scale()


def test_divergence_shows_its_message_and_reset_clears_it(qtbot, tmp_path):
    config = PlaygroundConfig(data=DataSpec(generator="plane", problem="regression"),
                              hyper=Hyperparameters(learning_rate=10.0))
    window = make_window(qtbot, tmp_path, config)
    try:
        window.controller.play()
        message = window.findChild(QWidget, "statusMessage")
        qtbot.waitUntil(lambda: "learning rate" in message.text(), timeout=TIMEOUT_MS)
        assert "10" in message.text()
        qtbot.waitUntil(lambda: window.controller.state == PAUSED, timeout=TIMEOUT_MS)
        window.findChild(QAbstractButton, "resetButton").click()
        assert message.text() == ""
        qtbot.waitUntil(lambda: window.rendered_snapshot.epoch == 0, timeout=TIMEOUT_MS)
    finally:
        window.close()


# -- toolbar and shortcuts ----------------------------------------------------------------------
def test_step_buttons_and_reset(qtbot, window):
    window.findChild(QAbstractButton, "stepButton").click()
    qtbot.waitUntil(lambda: epoch_shown(window) == 1, timeout=TIMEOUT_MS)
    window.findChild(QAbstractButton, "stepBatchButton").click()
    qtbot.waitUntil(lambda: window.rendered_snapshot.batch_in_epoch == 1, timeout=TIMEOUT_MS)
    assert "batch 1" in window.findChild(QWidget, "epochValue").text()
    window.findChild(QAbstractButton, "resetButton").click()
    qtbot.waitUntil(lambda: window.rendered_snapshot.epoch == 0
                    and window.rendered_snapshot.batch_in_epoch == 0, timeout=TIMEOUT_MS)
    assert epoch_shown(window) == 0


def test_keyboard_shortcuts_work_from_launch(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=TIMEOUT_MS)
    focused = window.focusWidget()
    assert window.network_editor.isAncestorOf(focused) or focused is window.network_editor
    qtbot.keyClick(focused, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: epoch_shown(window) == 1, timeout=TIMEOUT_MS)
    qtbot.keyClick(focused, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: window.rendered_snapshot.batch_in_epoch == 1, timeout=TIMEOUT_MS)
    qtbot.keyClick(focused, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.controller.state == PLAYING, timeout=TIMEOUT_MS)
    qtbot.keyClick(focused, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.controller.state == PAUSED, timeout=TIMEOUT_MS)
    qtbot.keyClick(focused, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: window.rendered_snapshot.epoch == 0, timeout=TIMEOUT_MS)


# -- layout and shutdown ------------------------------------------------------------------------
def test_every_dock_and_toolbar_has_an_object_name_and_the_layout_persists(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    for dock in window.docks.values():
        assert dock.objectName()
    assert window.toolbar.objectName()
    window.docks["trainingDock"].hide()
    window.docks["plotsDock"].setFloating(True)
    window.close()
    reopened = make_window(qtbot, tmp_path)
    try:
        assert reopened.docks["trainingDock"].isHidden()
        assert reopened.docks["plotsDock"].isFloating()
        assert not reopened.docks["outputDock"].isHidden()
    finally:
        reopened.close()


def test_closing_the_window_stops_training_quickly(qtbot, tmp_path):
    import time

    window = make_window(qtbot, tmp_path)
    window.controller.play()
    qtbot.waitUntil(lambda: window.rendered_snapshot.state == PLAYING, timeout=TIMEOUT_MS)
    started = time.perf_counter()
    window.close()
    assert not window.controller.is_running
    assert time.perf_counter() - started < 5.0   # 1 s target; generous on a shared machine


# -- the inbox that merges snapshot histories -------------------------------------------------
def _with_history(snapshot, serial, epochs, epoch=None):
    """``snapshot`` renumbered, carrying the History of ``epochs`` (its epoch: the last one)."""
    epochs = np.asarray(epochs, dtype=np.int64)
    return replace(snapshot, serial=serial, epoch=int(epochs[-1]) if epoch is None else epoch,
                   history=make_history(epochs))


def test_inbox_hands_on_every_epoch_received_between_frames():
    base = demo_snapshot()
    inbox = SnapshotInbox()
    assert inbox.take() is None
    inbox.push(_with_history(base, 1, [1, 2, 3]))
    inbox.push(_with_history(base, 2, [4]))
    inbox.push(_with_history(base, 3, [], epoch=4))
    inbox.push(_with_history(base, 4, [5, 6]))
    merged = inbox.take()
    assert merged.serial == 4
    np.testing.assert_array_equal(merged.history.epochs, [1, 2, 3, 4, 5, 6])
    assert len(merged.history.train_loss) == 6
    assert inbox.take() is None
    inbox.push(_with_history(base, 5, [7]))
    np.testing.assert_array_equal(inbox.take().history.epochs, [7])


def test_inbox_drops_pending_epochs_from_before_a_restart():
    base = demo_snapshot()
    inbox = SnapshotInbox()
    inbox.push(_with_history(base, 1, [10, 11]))
    inbox.take()
    inbox.push(_with_history(base, 2, [12, 13]))
    inbox.push(_with_history(base, 3, [], epoch=0))    # reset
    inbox.push(_with_history(base, 4, [1, 2]))
    np.testing.assert_array_equal(inbox.take().history.epochs, [1, 2])
    inbox.push(_with_history(base, 5, [3, 4]))
    inbox.push(_with_history(base, 6, [1]))                   # a rebuild that trained at once
    np.testing.assert_array_equal(inbox.take().history.epochs, [1])


def test_clicked_controls_leave_space_and_right_to_the_window(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=TIMEOUT_MS)
    qtbot.mouseClick(window.show_test_data, Qt.MouseButton.LeftButton)
    assert window.show_test_data.isChecked()
    assert not window.show_test_data.hasFocus()
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: epoch_shown(window) == 1, timeout=TIMEOUT_MS)
    assert window.show_test_data.isChecked()


def test_a_tabbed_to_control_keeps_its_keys(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=TIMEOUT_MS)
    panel = window.data_panel
    panel.ratio.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(panel.ratio, Qt.Key.Key_Right)
    wait_config(qtbot, window, lambda c: c.data.train_ratio == pytest.approx(0.6))
    window.show_test_data.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(window.show_test_data, Qt.Key.Key_Space)
    assert window.show_test_data.isChecked()
    qtbot.wait(100)
    assert window.controller.state == PAUSED
    assert window.rendered_snapshot.epoch == 0


def test_inbox_keeps_a_step_inspection_when_a_later_snapshot_arrives_in_the_same_frame():
    base = demo_snapshot()
    inspection = object()   # the inbox only carries it; it never looks inside
    inbox = SnapshotInbox()
    inbox.push(replace(_with_history(base, 1, [1]), inspection=inspection))
    inbox.push(_with_history(base, 2, [2]))
    assert inbox.take().inspection is inspection
    inbox.push(replace(_with_history(base, 3, [3]), inspection=inspection))
    rebuilt = replace(base.structure, version=base.structure.version + 1)
    inbox.push(replace(_with_history(base, 4, [1]), structure=rebuilt))
    assert inbox.take().inspection is None   # it described a network that no longer exists


def test_step_batch_fills_the_inspector(qtbot, window):
    assert window.docks["inspectorDock"].objectName() == "inspectorDock"
    window.findChild(QAbstractButton, "stepBatchButton").click()
    qtbot.waitUntil(lambda: window.inspector.stack.currentIndex() == 1, timeout=TIMEOUT_MS)
    assert window.rendered_snapshot.inspection is not None
    window.inspector.step_button.click()
    qtbot.waitUntil(lambda: window.rendered_snapshot.batch_in_epoch == 2, timeout=TIMEOUT_MS)


def test_check_gradients_runs_in_the_worker_while_the_window_stays_responsive(qtbot, window):
    import threading

    from PySide6.QtCore import QTimer

    panel = window.inspector
    window.controller.step_batch()
    qtbot.waitUntil(panel.check_button.isEnabled, timeout=TIMEOUT_MS)
    release, checked_on = threading.Event(), []
    check = panel.gradient_checker

    def held_check(structure, inspection):
        checked_on.append(threading.current_thread())
        release.wait(TIMEOUT_MS / 1000)      # until the test has seen the window respond
        return check(structure, inspection)

    panel.gradient_checker = held_check
    try:
        qtbot.mouseClick(panel.check_button, Qt.MouseButton.LeftButton)
        assert panel.check_button.text() == "Checking gradients…"
        assert not panel.check_button.isEnabled()
        qtbot.waitUntil(lambda: bool(checked_on), timeout=TIMEOUT_MS)
        # the check is under way: the GUI thread still runs timers and reacts to the mouse
        ticks = []
        QTimer.singleShot(0, lambda: ticks.append(True))
        qtbot.waitUntil(lambda: bool(ticks), timeout=TIMEOUT_MS)
        qtbot.mouseClick(window.show_test_data, Qt.MouseButton.LeftButton)
        assert window.show_test_data.isChecked() and window.boundary_view.show_test
        assert panel.gradient_errors is None and panel.check_button.text() != "Check gradients"
    finally:
        release.set()
    qtbot.waitUntil(lambda: panel.gradient_errors is not None, timeout=TIMEOUT_MS)
    assert checked_on[0] is not threading.main_thread()
    assert all(error < 1e-6 for error in panel.gradient_errors)
    assert "agrees" in panel.gradient_label.text()
    assert panel.check_button.isEnabled() and panel.check_button.text() == "Check gradients"


def test_single_precision_is_chosen_in_the_window_and_said_by_the_inspector(qtbot, window,
                                                                           wait_config):
    combo = window.findChild(QComboBox, "precisionInput")
    assert combo.currentData() == "float64"
    combo.setCurrentIndex(combo.findData("float32"))
    wait_config(window, lambda config: config.hyper.precision == "float32")
    window.controller.step_batch()
    panel = window.inspector
    qtbot.waitUntil(lambda: window.rendered_snapshot.inspection is not None
                    and window.rendered_snapshot.inspection.precision == "float32",
                    timeout=TIMEOUT_MS)
    assert "computed in float32" in panel.summary_label.text()
    qtbot.waitUntil(panel.check_button.isEnabled, timeout=TIMEOUT_MS)
    panel.check_gradients()
    qtbot.waitUntil(lambda: panel.gradient_errors is not None, timeout=TIMEOUT_MS)
    assert "computed in float32" in panel.gradient_label.text()
    # back to double: the next step says nothing about precision
    combo.setCurrentIndex(combo.findData("float64"))
    wait_config(window, lambda config: config.hyper.precision == "float64")
    window.controller.step_batch()
    qtbot.waitUntil(lambda: window.rendered_snapshot.inspection is not None
                    and window.rendered_snapshot.inspection.precision == "float64",
                    timeout=TIMEOUT_MS)
    assert "float32" not in panel.summary_label.text()
