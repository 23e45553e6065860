"""Every control tells the truth (issue 16, section 6), each point through the real window."""
from __future__ import annotations

import shutil

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel

from playground.config import DataSpec, Hyperparameters, PlaygroundConfig
from playground.qt.files.autosave import Autosaver
from playground.qt.files.prompts import CANCEL, DISCARD
from playground.qt.shell import status
from playground.snapshot import PAUSED, PLAYING
from playground.lessons import lesson

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise)\(\)")
TIMEOUT_MS = 20_000




def settle(qtbot, window) -> None:
    """Wait until the newest snapshot is the one on screen."""
    controller = window.controller
    qtbot.waitUntil(lambda: controller.latest_snapshot is not None
                    and window.rendered_snapshot.serial == controller.latest_snapshot.serial,
                    timeout=TIMEOUT_MS)


def step_epochs(qtbot, window, count: int) -> None:
    for _ in range(count):
        epoch = window.rendered_snapshot.epoch
        window.controller.step_epoch()
        qtbot.waitUntil(lambda: window.rendered_snapshot.epoch == epoch + 1, timeout=TIMEOUT_MS)


def message(window) -> QLabel:
    return window.findChild(QLabel, "statusMessage")


# -- the activation menu and the other controls follow what is loaded -----------------------------
def test_the_activation_menu_shows_mixed_layers_and_follows_every_loaded_lesson(qtbot, window,
        wait_config):
    combo = window.training_controls.activation
    menu = window.network_editor.activation_menu(0)      # the neuron's right-click menu
    next(a for a in menu.actions() if a.text() == "relu").trigger()
    wait_config(window, lambda c: c.network.activations == ("relu", "tanh"))
    qtbot.waitUntil(lambda: combo.currentText() == "Mixed", timeout=TIMEOUT_MS)
    assert "ReLU, Tanh" in combo.toolTip()

    for title in ("XOR needs a hidden layer", "Overfitting with few points and L2",
                  "Vanishing gradients with sigmoid"):
        item = lesson(title)
        window.file_actions.prompter.unsaved_answers.append(DISCARD)
        assert window.file_actions.open_lesson(item)
        wait_config(window, lambda c: c.network == item.config.network)
        settle(qtbot, window)
        config, controls = item.config, window.training_controls
        activations = set(config.network.activations)
        expected = {"sigmoid": "Sigmoid", "relu": "ReLU"}.get(min(activations, default=""),
                                                              "No hidden layer")
        assert combo.currentText() == expected and combo.isEnabled() == bool(activations)
        assert controls.learning_rate.value() == config.hyper.learning_rate
        assert controls.batch_size.value() == config.hyper.batch_size
        assert controls.optimizer.currentData() == config.hyper.optimizer
        assert controls.regularization.currentData() == config.hyper.regularization
        assert window.weight_start.seed.text() == str(config.network.seed)
        assert window.weight_start.init.currentData() == config.network.init
        assert window.data_panel.gallery.current_generator() == config.data.generator
        assert window.data_panel.noise.value() == round(100 * config.data.noise)


# -- one meaning of epoch numbers ------------------------------------------------------------------
def test_every_view_writes_the_position_in_training_the_same_way(qtbot, window, tmp_path):
    step_epochs(qtbot, window, 2)
    window.inspector.step_button.click()
    qtbot.waitUntil(lambda: window.rendered_snapshot.batch_in_epoch == 1
                    and window.rendered_snapshot.inspection is not None, timeout=TIMEOUT_MS)
    settle(qtbot, window)
    assert window.findChild(QLabel, "epochValue").text() == "Epoch 2 · batch 1"
    assert window.findChild(QLabel, "statusEpochValue").text() == "Epoch 2 · batch 1"
    assert window.inspector.summary_label.text().startswith("Epoch 2 · batch 1 (this step)")
    snapshot = window.rendered_snapshot
    assert snapshot.position == 2 + 1 / snapshot.batches_per_epoch
    for buffer in (window.weights_plot.band_buffer, window.gradient_plot.buffer):
        assert buffer.column("epoch")[-1] == snapshot.position     # no longer at x = 2

    path = tmp_path / "mid-epoch.bpp"
    window.file_actions.prompter.save_paths.append(str(path))
    assert window.file_actions.save()
    window.file_actions.open_path(str(path))
    qtbot.waitUntil(lambda: "Opened" in message(window).text(), timeout=TIMEOUT_MS)
    assert message(window).text().endswith("at epoch 2 · batch 1")


def test_a_divergence_names_the_tool_bars_position_and_play_offers_reset(qtbot, open_window):
    window = open_window(PlaygroundConfig(data=DataSpec(generator="plane", problem="regression"),
                                          hyper=Hyperparameters(learning_rate=10.0)))
    window.controller.play()
    qtbot.waitUntil(lambda: "Training stopped at" in message(window).text(),
                    timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.controller.state == PAUSED, timeout=TIMEOUT_MS)
    settle(qtbot, window)
    shown = window.findChild(QLabel, "epochValue").text().lower()
    assert f"stopped at {shown}:" in message(window).text()
    offer = window.findChild(type(window.status.offer), "statusOfferButton")
    assert offer.isVisible() and offer.defaultAction() is window.reset_action

    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Space)      # Play, nothing changed
    qtbot.waitUntil(lambda: message(window).text().startswith("Play cannot continue"),
                    timeout=TIMEOUT_MS)
    assert offer.isVisible() and window.status.kind == "error"
    seed = window.controller.config.network.seed
    offer.click()
    qtbot.waitUntil(lambda: window.controller.config.network.seed != seed
                    and window.rendered_snapshot.epoch == 0, timeout=TIMEOUT_MS)
    assert message(window).text() == "" and not offer.isVisible()


# -- messages by kind ----------------------------------------------------------------------------
def test_messages_are_coloured_by_kind_and_a_success_fades(qtbot, window, tmp_path, monkeypatch):
    monkeypatch.setitem(status.MESSAGE_SECONDS, "success", 0.3)
    label = message(window)

    def colour() -> str:
        return label.palette().color(QPalette.ColorRole.WindowText).name()

    type_into = window.training_controls.learning_rate.lineEdit()
    type_into.setText("fast")
    type_into.editingFinished.emit()
    assert "not a valid learning rate" in label.text()
    assert label.accessibleDescription() == "warning"
    assert colour() == status.MESSAGE_COLORS["warning"][0]

    window.file_actions.prompter.save_paths.append(str(tmp_path / "saved.bpp"))
    assert window.file_actions.save()
    assert label.text().startswith("Saved") and colour() == status.MESSAGE_COLORS["success"][0]
    qtbot.waitUntil(lambda: label.text() == "", timeout=TIMEOUT_MS)      # it faded

    window.controller.sigError.emit("ValueError: something broke")
    assert colour() == status.MESSAGE_COLORS["error"][0]
    qtbot.wait(500)
    assert label.text() == "Error: ValueError: something broke"          # errors stay


# -- the weights and gradient plots after Open and after a crash ---------------------------------
def plot_columns(window) -> list[np.ndarray]:
    weights, gradients = window.weights_plot.band_buffer, window.gradient_plot.buffer
    return [weights.column(name).copy() for name in weights.names] + \
        [gradients.column(name).copy() for name in gradients.names]


def assert_plots_show(qtbot, window, expected: list[np.ndarray]) -> None:
    qtbot.waitUntil(lambda: len(window.weights_plot.band_buffer) == len(expected[0]),
                    timeout=TIMEOUT_MS)
    for shown, saved in zip(plot_columns(window), expected):
        np.testing.assert_allclose(shown, saved, equal_nan=True)


def test_the_weights_and_gradient_plots_come_back_after_open_and_crash_restore(
        qtbot, window, tmp_path):
    step_epochs(qtbot, window, 6)
    settle(qtbot, window)
    expected = plot_columns(window)
    assert len(expected[0]) >= 6
    path = tmp_path / "six.bpp"
    window.file_actions.prompter.save_paths.append(str(path))
    assert window.file_actions.save()

    window.reset_action.trigger()
    qtbot.waitUntil(lambda: len(window.weights_plot.band_buffer) == 1, timeout=TIMEOUT_MS)
    window.file_actions.prompter.unsaved_answers.append(DISCARD)
    window.file_actions.open_path(str(path))
    assert_plots_show(qtbot, window, expected)

    folder = tmp_path / "autosave"
    folder.mkdir()
    shutil.copy(path, folder / "autosave-999999999.bpp")     # left by a crashed session
    window.reset_action.trigger()
    qtbot.waitUntil(lambda: len(window.weights_plot.band_buffer) == 1, timeout=TIMEOUT_MS)
    recovery = window.file_actions.recovery
    recovery.autosaver = Autosaver(folder)
    window.file_actions.prompter.restore_answers.append(True)
    assert recovery.offer()
    assert_plots_show(qtbot, window, expected)


# -- the data panel and the training panel ---------------------------------------------------------
def test_clear_keeps_the_batch_size(qtbot, window):
    batch = window.training_controls.batch_size
    assert batch.value() == 10
    window.dataset_painter.clear_points()
    qtbot.waitUntil(lambda: len(window.rendered_snapshot.data.X_train) == 0, timeout=TIMEOUT_MS)
    settle(qtbot, window)
    assert batch.value() == 10 and window.controller.config.hyper.batch_size == 10


def test_painted_points_leave_no_dataset_selected_until_one_is_chosen(qtbot, window):
    panel = window.data_panel
    assert panel.gallery.current_generator() == "circle"
    window.dataset_painter.clear_points()
    qtbot.waitUntil(lambda: not window.rendered_snapshot.data.generated, timeout=TIMEOUT_MS)
    settle(qtbot, window)
    assert panel.gallery.current_generator() is None and not panel.gallery.selectedItems()
    assert panel.source_label.isVisible()
    circle = next(row for row in range(panel.gallery.count())
                  if panel.gallery.item(row).data(Qt.ItemDataRole.UserRole) == "circle")
    panel.gallery.setCurrentRow(circle)                       # the same dataset, clicked
    qtbot.waitUntil(lambda: window.rendered_snapshot.data.generated
                    and len(window.rendered_snapshot.data.X_train) == 250, timeout=TIMEOUT_MS)
    settle(qtbot, window)
    assert panel.gallery.current_generator() == "circle" and not panel.source_label.isVisible()


def test_regenerate_keeps_the_weights_as_its_tooltip_says(qtbot, window, wait_config):
    panel = window.data_panel
    assert "keeps its weights" in panel.regenerate.toolTip()
    step_epochs(qtbot, window, 3)
    settle(qtbot, window)
    weights = [w.copy() for w in window.rendered_snapshot.weights]
    points = window.rendered_snapshot.data.X_train.copy()
    seed = window.controller.config.data.seed
    panel.regenerate.click()
    wait_config(window, lambda c: c.data.seed == seed + 1)
    qtbot.waitUntil(lambda: not np.array_equal(window.rendered_snapshot.data.X_train, points),
                    timeout=TIMEOUT_MS)
    assert window.rendered_snapshot.epoch == 3
    for now, before in zip(window.rendered_snapshot.weights, weights):
        np.testing.assert_array_equal(now, before)


def test_a_penalty_at_rate_zero_is_pointed_out(qtbot, window, wait_config):
    controls = window.training_controls
    rate = controls.regularization_rate
    controls.regularization.setCurrentIndex(controls.regularization.findData("l2"))
    assert message(window).text().startswith("Rate 0: L2 has no effect")
    assert window.status.kind == "warning"
    assert rate.styleSheet() and rate.toolTip().startswith("Rate 0: L2 has no effect")
    rate.lineEdit().setText("0.01")
    rate.lineEdit().editingFinished.emit()
    wait_config(window, lambda c: c.hyper.regularization_rate == 0.01)
    assert not rate.styleSheet() and not rate.toolTip().startswith("Rate 0")


def test_every_entry_of_the_view_menu_has_its_own_name(window):
    view = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    names = [action.text() for action in view.actions() if action.text()]
    assert len(names) == len(set(names)), names
    assert "Training" in names and "Training tool bar" in names


# -- closing -------------------------------------------------------------------------------------
def test_closing_pauses_training_before_asking_and_resumes_if_the_window_stays(qtbot, window):
    actions = window.file_actions
    actions._interactive = True
    window.controller.play()
    qtbot.waitUntil(lambda: actions.document.modified
                    and window.controller.state == PLAYING, timeout=TIMEOUT_MS)
    seen = []
    # what the worker had last reported when the question was asked
    actions.prompter.on_unsaved = lambda: seen.append(
        (window.controller.state, window.controller.latest_snapshot.state))
    actions.prompter.unsaved_answers.append(CANCEL)
    window.close()
    assert window.isVisible() and seen[0] == (PAUSED, PAUSED)
    qtbot.waitUntil(lambda: window.controller.state == PLAYING, timeout=TIMEOUT_MS)
    actions.prompter.unsaved_answers.append(DISCARD)
    window.close()
    assert not window.isVisible() and seen[1] == (PAUSED, PAUSED)
