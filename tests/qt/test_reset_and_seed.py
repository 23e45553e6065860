"""Reset re-rolls the weights, Shift+R restarts from the same ones, the seed is shown, typed and
saved, and zero initialisation is one choice away (issue 16, section 5), in the real window."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from playground.config import PlaygroundConfig
from playground.session import Playground
from playground.storage import load_playground
from playground.lessons import lesson

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise)\(\)")
TIMEOUT_MS = 20_000




def press(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(window.focusWidget(), key, modifier)


def start(qtbot, window, seed: int):
    """Wait for the snapshot of a fresh start from ``seed``; its first layer's weights."""
    qtbot.waitUntil(lambda: window.controller.config.network.seed == seed
                    and window.rendered_snapshot.epoch == 0
                    and window.weight_start.seed.text() == str(seed), timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.controller.latest_snapshot.serial
                    == window.rendered_snapshot.serial, timeout=TIMEOUT_MS)
    return window.rendered_snapshot


def test_reset_draws_new_weights_each_time_and_shift_r_keeps_them(qtbot, window, wait_config):
    first_seed = window.controller.config.network.seed
    first = start(qtbot, window, first_seed)
    assert window.weight_start.seed.text() == str(first_seed)
    losses = [first.train_loss]
    seeds = [first_seed]
    for _ in range(2):
        press(qtbot, window, Qt.Key.Key_R)
        wait_config(window, lambda c: c.network.seed not in seeds)
        seed = window.controller.config.network.seed
        seeds.append(seed)
        losses.append(start(qtbot, window, seed).train_loss)
    assert len(set(seeds)) == 3 and len(set(losses)) == 3     # three different starts
    weights = [w.copy() for w in window.rendered_snapshot.weights]

    window.controller.step_epoch()
    qtbot.waitUntil(lambda: window.rendered_snapshot.epoch == 1, timeout=TIMEOUT_MS)
    press(qtbot, window, Qt.Key.Key_R, Qt.KeyboardModifier.ShiftModifier)
    again = start(qtbot, window, seeds[-1])
    assert again.train_loss == losses[-1]
    for now, before in zip(again.weights, weights):
        np.testing.assert_array_equal(now, before)
    training_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Training")
    assert window.restart_action in training_menu.actions()
    assert window.restart_action.shortcut().toString() == "Shift+R"


def test_a_typed_seed_starts_from_its_weights_is_saved_and_comes_back(qtbot, window, tmp_path,
        wait_config):
    field = window.weight_start.seed
    field.setFocus(Qt.FocusReason.TabFocusReason)
    field.selectAll()
    qtbot.keyClicks(field, "1234")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    snapshot = start(qtbot, window, 1234)
    expected = Playground(PlaygroundConfig(network=replace(PlaygroundConfig().network,
                                                           seed=1234)))
    for shown, drawn in zip(snapshot.weights, expected.network.weights):
        np.testing.assert_array_equal(shown, drawn)

    path = tmp_path / "seeded.bpp"
    window.file_actions.prompter.save_paths.append(str(path))
    assert window.file_actions.save()
    assert load_playground(path).config.network.seed == 1234
    window.network_editor.view.setFocus(Qt.FocusReason.MouseFocusReason)   # out of the field
    press(qtbot, window, Qt.Key.Key_R)                      # a new seed, then the file's again
    wait_config(window, lambda c: c.network.seed != 1234)
    window.file_actions.prompter.unsaved_answers.append("discard")
    window.file_actions.open_path(str(path))
    start(qtbot, window, 1234)


def test_a_seed_beyond_the_limit_is_refused_with_a_message(qtbot, window):
    field = window.weight_start.seed
    seed = window.controller.config.network.seed
    field.setFocus(Qt.FocusReason.TabFocusReason)
    field.setText("9" * 19)                     # beyond 2**63 - 1
    qtbot.keyClick(field, Qt.Key.Key_Return)
    message = window.findChild(QLabel, "statusMessage")
    assert "is not a seed" in message.text() and field.text() == str(seed)
    assert window.controller.config.network.seed == seed


def test_zero_initialisation_is_a_choice_that_undo_takes_back(qtbot, window, wait_config):
    before = [w.copy() for w in start(qtbot, window, 0).weights]
    combo = window.weight_start.init
    index = combo.findData("zeros")
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    wait_config(window, lambda c: c.network.init == "zeros")
    qtbot.waitUntil(lambda: not any(np.any(w) for w in window.rendered_snapshot.weights),
                    timeout=TIMEOUT_MS)
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    wait_config(window, lambda c: c.network.init == "default")
    qtbot.waitUntil(lambda: combo.currentData() == "default", timeout=TIMEOUT_MS)
    snapshot = start(qtbot, window, 0)
    for now, then in zip(snapshot.weights, before):
        np.testing.assert_array_equal(now, then)


def test_the_symmetry_lesson_starts_every_hidden_neuron_alike(qtbot, window, wait_config):
    item = lesson("Zero weights never break the symmetry")
    assert window.file_actions.open_lesson(item)
    wait_config(window, lambda c: c.network == item.config.network)
    qtbot.waitUntil(lambda: window.weight_start.init.currentData() == "zeros",
                    timeout=TIMEOUT_MS)
    for epoch in range(1, 6):
        window.controller.step_epoch()
        qtbot.waitUntil(lambda: window.rendered_snapshot.epoch == epoch, timeout=TIMEOUT_MS)
    first = window.rendered_snapshot.weights[0]
    assert np.any(first) and np.allclose(first, first[:, :1])    # moving, and all alike


def test_the_seed_and_initializer_wrap_rather_than_widen_the_window(window):
    editor = window.network_editor
    header = editor.header.parentWidget()
    assert editor.minimumSizeHint().width() <= editor.view.minimumSize().width()
    one_line = header.heightForWidth(2000)
    narrow = header.heightForWidth(editor.view.minimumSize().width())
    assert narrow > one_line                  # the groups went onto more lines
    assert window.weight_start.seed.isVisibleTo(window)
