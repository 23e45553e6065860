"""File menu, lessons, exports, unsaved-changes prompt, autosave and crash recovery."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QImage, QTextDocument

from playground.config import DataSpec, NetworkSpec, PlaygroundConfig
from playground.qt.files.actions import FileActions
from playground.qt.files.autosave import Autosaver
from playground.qt.files.prompts import CANCEL, DISCARD, SAVE
from playground.qt.shell.main_window import MainWindow
from playground.session import Playground
from playground.snapshot import PAUSED, PLAYING
from playground.storage import capture, load_playground, save_playground, write_content
from playground.lessons import lessons

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise)\(\)")
TIMEOUT_MS = 20_000
CONFIG = PlaygroundConfig(data=DataSpec(generator="xor", n_samples=100, seed=2),
                          network=NetworkSpec(hidden_layers=(3,), activations=("tanh",), seed=1))


def file_actions_for(window, tmp_path, prompter) -> FileActions:
    actions = getattr(window, "file_actions", None)
    if actions is None:  # until the main window installs them itself
        actions = FileActions(window, window.controller, settings=window._settings).install()
    actions.prompter = prompter
    actions.recovery.autosaver = Autosaver(tmp_path / "autosave")
    return actions


@pytest.fixture
def window(qtbot, tmp_path, scripted_prompter):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(config=CONFIG, settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.rendered_snapshot is not None, timeout=TIMEOUT_MS)
    window.actions_under_test = file_actions_for(window, tmp_path, scripted_prompter())
    yield window
    window.actions_under_test._interactive = False   # never prompt while tearing down
    window.close()


def latest(window):
    return window.controller.latest_snapshot


def open_and_wait(qtbot, actions, path) -> bool:
    """Open a file and wait until it has loaded in the background; True when it opened."""
    errors_before = len(actions.prompter.errors)
    if not actions.open_path(str(path)):
        return False
    qtbot.waitUntil(lambda: not actions.loading, timeout=TIMEOUT_MS)
    return len(actions.prompter.errors) == errors_before


def recover_and_wait(qtbot, actions) -> bool:
    """Offer the orphaned autosaves and wait for the one accepted to load."""
    started = actions.recovery.offer()
    qtbot.waitUntil(lambda: not actions.loading, timeout=TIMEOUT_MS)
    return started


def step_to_epoch(qtbot, window, epoch: int) -> None:
    while latest(window).epoch < epoch:
        before = latest(window).epoch
        window.controller.step_epoch()
        qtbot.waitUntil(lambda: latest(window).epoch > before, timeout=TIMEOUT_MS)


def test_menus_are_installed(window):
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles[:3] == ["&File", "&Edit", "&Lessons"]
    actions = window.actions_under_test
    assert actions.save_action.shortcut().toString() == "Ctrl+S"
    assert [a.text() for a in actions.lessons.menu.actions()] == [l.title for l in lessons()]
    assert set(actions.exports.actions) == {"history_csv", "comparison_csv", "dataset_csv",
                                          "model_npz", "model_json", "numpy_predict", "pytorch"}
    assert not actions.document.modified and window.windowTitle().startswith("Untitled")


def test_save_then_reopen_restores_the_saved_state(qtbot, window, tmp_path):
    actions = window.actions_under_test
    step_to_epoch(qtbot, window, 3)
    saved_weights = [w.copy() for w in latest(window).weights]
    path = tmp_path / "xor"
    actions.prompter.save_paths.append(str(path))
    assert actions.save_as()
    path = path.with_suffix(".bpp")
    assert path.is_file() and not actions.document.modified
    assert "xor.bpp" in window.windowTitle()
    on_disk = load_playground(path)
    assert on_disk.epoch == 3
    for w_disk, w_saved in zip(on_disk.network.weights, saved_weights):
        np.testing.assert_array_equal(w_disk, w_saved)

    step_to_epoch(qtbot, window, 5)
    qtbot.waitUntil(lambda: actions.document.modified, timeout=TIMEOUT_MS)
    assert window.isWindowModified()
    actions.prompter.unsaved_answers.append(DISCARD)
    assert open_and_wait(qtbot, actions, path)
    assert actions.prompter.asked_unsaved == 1
    qtbot.waitUntil(lambda: latest(window).epoch == 3, timeout=TIMEOUT_MS)
    for w_now, w_saved in zip(latest(window).weights, saved_weights):
        np.testing.assert_array_equal(w_now, w_saved)
    qtbot.waitUntil(lambda: not actions.document.modified, timeout=TIMEOUT_MS)
    assert actions.recent.paths()[0] == str(path)


def test_save_keeps_training_position_exactly(qtbot, window, tmp_path):
    actions = window.actions_under_test
    step_to_epoch(qtbot, window, 2)
    window.controller.step_batch()
    qtbot.waitUntil(lambda: latest(window).batch_in_epoch == 1, timeout=TIMEOUT_MS)
    path = tmp_path / "mid.bpp"
    actions.prompter.save_paths.append(str(path))
    assert actions.save()              # no file yet: asks for a path
    reopened = load_playground(path)
    assert (reopened.epoch, reopened.batch_in_epoch) == (2, 1)
    assert len(reopened.history) == 2


def test_a_bad_file_is_named_and_changes_nothing(qtbot, window, tmp_path):
    actions = window.actions_under_test
    step_to_epoch(qtbot, window, 2)
    bad = tmp_path / "bad.bpp"
    bad.write_bytes(b"PK\x03\x04 definitely not a playground")
    config_before, epoch_before = window.controller.config, latest(window).epoch
    actions.prompter.unsaved_answers.append(DISCARD)
    assert not open_and_wait(qtbot, actions, bad)
    title, text = actions.prompter.errors[-1]
    assert title == "Cannot open" and "truncated" in text and str(bad) in text
    assert actions.prompter.asked_unsaved == 0     # nothing was discarded for a bad file
    window.controller.step_epoch()
    qtbot.waitUntil(lambda: latest(window).epoch == epoch_before + 1, timeout=TIMEOUT_MS)
    assert window.controller.config == config_before
    assert actions.document.path is None


def test_a_file_with_a_bad_split_says_why_and_loses_nothing(qtbot, window, tmp_path):
    actions = window.actions_under_test
    step_to_epoch(qtbot, window, 2)
    weights_before = [w.copy() for w in latest(window).weights]
    content = capture(Playground(CONFIG))
    content["split"]["test_indices"] = np.append(content["split"]["test_indices"], 100)
    bad = tmp_path / "bad-split.bpp"
    write_content(bad, content)
    config_before = window.controller.config
    actions.prompter.unsaved_answers.append(DISCARD)
    assert not open_and_wait(qtbot, actions, bad)
    title, text = actions.prompter.errors[-1]
    assert title == "Cannot open" and str(bad) in text
    assert "saved split cannot be used" in text and "test index 100 is outside 0..99" in text
    in_worker = []
    window.controller.run_in_worker(lambda pg: (pg.epoch, [w.copy() for w in pg.network.weights]),
                                    in_worker.append)
    qtbot.waitUntil(lambda: bool(in_worker), timeout=TIMEOUT_MS)
    epoch, weights = in_worker[0]
    assert epoch == 2 and window.controller.config == config_before
    assert actions.document.path is None
    for w, w0 in zip(weights, weights_before):
        np.testing.assert_array_equal(w, w0)

    hand_made = Playground(CONFIG)        # a split that is not the ratio's opens as saved
    train = np.arange(0, 100, 4)
    hand_made.set_split(train, np.setdiff1d(np.arange(100), train))
    good = tmp_path / "hand-split.bpp"
    save_playground(good, hand_made)
    actions.prompter.unsaved_answers.append(DISCARD)
    assert open_and_wait(qtbot, actions, good)
    qtbot.waitUntil(lambda: len(latest(window).data.train_indices) == 25, timeout=TIMEOUT_MS)
    np.testing.assert_array_equal(latest(window).data.train_indices, train)
    qtbot.waitUntil(lambda: len(window.boundary_view.train_points.getData()[0]) == 25,
                    timeout=TIMEOUT_MS)


def test_cancel_keeps_the_unsaved_playground(qtbot, window, tmp_path):
    actions = window.actions_under_test
    step_to_epoch(qtbot, window, 1)
    qtbot.waitUntil(lambda: actions.document.modified, timeout=TIMEOUT_MS)
    other = tmp_path / "other.bpp"
    save_playground(other, lessons()[0].build())
    actions.prompter.unsaved_answers.append(CANCEL)
    open_and_wait(qtbot, actions, other)          # the question comes once the file is read
    assert actions.prompter.asked_unsaved == 1
    assert latest(window).epoch == 1 and actions.document.modified
    assert actions.document.path is None and "was not opened" in \
        window.findChild(type(window.status.message), "statusMessage").text()


def test_recent_files_menu(qtbot, window, tmp_path):
    actions = window.actions_under_test
    paths = []
    for name in ("a", "b"):
        path = tmp_path / f"{name}.bpp"
        save_playground(path, lessons()[0].build())
        assert open_and_wait(qtbot, actions, path)
        paths.append(str(path))
    assert actions.recent.paths()[:2] == [paths[1], paths[0]]
    entries = [a.text() for a in actions.recent.menu.actions() if a.text()]
    assert entries[:2] == ["&1 b.bpp", "&2 a.bpp"] and entries[-1] == "Clear list"
    os.remove(paths[0])
    actions.open_recent(paths[0])
    assert "no longer exists" in actions.prompter.errors[-1][1]
    assert paths[0] not in actions.recent.paths()


def test_opening_a_lesson_shows_its_paragraph(qtbot, window, tmp_path):
    actions = window.actions_under_test
    lesson = lessons()[4]             # three classes with softmax
    window.controller.play()
    qtbot.waitUntil(lambda: window.controller.state == PLAYING, timeout=TIMEOUT_MS)
    actions.lessons.menu.actions()[4].trigger()
    qtbot.waitUntil(lambda: window.controller.state == PAUSED, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.controller.config.network == lesson.config.network,
                    timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: latest(window).structure.layer_sizes[-1] == 3, timeout=TIMEOUT_MS)
    assert actions.lessons.dock.isVisible()
    assert actions.lessons.panel.title.text() == lesson.title
    # the text is Markdown, shown rendered
    rendered = QTextDocument()
    rendered.setMarkdown(lesson.explanation)
    assert actions.lessons.panel.text.toPlainText() == rendered.toPlainText()
    assert actions.lessons.panel.text.toPlainText().strip()
    assert window.windowTitle().startswith(f"Lesson: {lesson.title}")
    qtbot.waitUntil(lambda: not actions.document.modified, timeout=TIMEOUT_MS)
    window.render_pending()
    window.grab().save(str(tmp_path / "lesson.png"))


def test_every_export(qtbot, window, tmp_path):
    actions = window.actions_under_test
    step_to_epoch(qtbot, window, 2)
    suffixes = {"history_csv": ".csv", "dataset_csv": ".csv", "model_npz": ".npz",
                "model_json": ".json", "numpy_predict": ".py", "pytorch": ".py"}
    for key, suffix in suffixes.items():
        path = tmp_path / f"{key}{suffix}"
        actions.prompter.save_paths.append(str(path))
        assert actions.exports.export(key), actions.prompter.errors
        assert path.stat().st_size > 0
    assert (tmp_path / "history_csv.csv").read_text().count("\n") == 3   # header + 2 epochs
    window.render_pending()
    views = actions.exports.plot_views()
    names = {view.accessibleName() for view in views}
    assert {"Loss plot", "Decision boundary", "Network"} <= names
    for view in views:
        path = tmp_path / f"{view.objectName()}.png"
        assert actions.exports.export_plot(view, str(path)), actions.prompter.errors
        image = QImage(str(path))
        assert not image.isNull() and image.width() > 50, view.accessibleName()


def test_svg_export_is_guarded(qtbot, window, tmp_path):
    actions = window.actions_under_test
    path = tmp_path / "loss.svg"
    loss_view = next(v for v in actions.exports.plot_views() if v.accessibleName() == "Loss plot")
    if actions.exports.export_plot(loss_view, str(path)):
        assert path.stat().st_size > 0          # a pyqtgraph with the SVG fix
    else:
        title, text = actions.prompter.errors[-1]
        assert "#3485" in text and "PNG" in text


def test_close_asks_about_unsaved_changes(qtbot, window, tmp_path):
    actions = window.actions_under_test
    assert not actions.start_session()                     # nothing to recover
    step_to_epoch(qtbot, window, 1)
    qtbot.waitUntil(lambda: actions.document.modified, timeout=TIMEOUT_MS)
    actions.prompter.unsaved_answers.append(CANCEL)
    window.close()
    assert window.isVisible() and window.controller.is_running
    path = tmp_path / "on-close.bpp"
    actions.prompter.unsaved_answers.append(SAVE)
    actions.prompter.save_paths.append(str(path))
    window.close()
    assert not window.isVisible() and load_playground(path).epoch == 1


def test_autosave_is_written_only_while_there_are_unsaved_changes(qtbot, window, tmp_path):
    actions = window.actions_under_test
    actions.recovery.timer.setInterval(50)
    actions.start_session()
    autosave = actions.recovery.autosaver.path
    step_to_epoch(qtbot, window, 2)
    qtbot.waitUntil(autosave.is_file, timeout=TIMEOUT_MS)
    assert load_playground(autosave).epoch == 2
    actions.prompter.save_paths.append(str(tmp_path / "saved.bpp"))
    assert actions.save()
    qtbot.waitUntil(lambda: not autosave.exists(), timeout=TIMEOUT_MS)


def test_declined_recovery_deletes_the_orphan(qtbot, window, tmp_path):
    actions = window.actions_under_test
    folder = tmp_path / "autosave"
    folder.mkdir(exist_ok=True)
    orphan = folder / "autosave-999999999.bpp"
    save_playground(orphan, lessons()[1].build())
    actions.prompter.restore_answers.append(False)
    assert not actions.recovery.offer()
    assert not orphan.exists()


AUTOSAVING_APP = textwrap.dedent("""
    import sys, time
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow
    from playground.config import DataSpec, PlaygroundConfig
    from playground.qt.files.actions import FileActions
    from playground.qt.worker import TrainingController

    folder, settings_path = sys.argv[1], sys.argv[2]
    app = QApplication([])
    window = QMainWindow()
    controller = TrainingController(PlaygroundConfig(data=DataSpec(n_samples=100)),
                                    parent=window)
    actions = FileActions(window, controller,
                          settings=QSettings(settings_path, QSettings.Format.IniFormat),
                          autosave_folder=folder, autosave_interval_ms=100).install()
    window.show()
    actions.start_session()
    controller.play()

    def report():
        if actions.recovery.autosaver.path.is_file():
            print("autosaved", actions.recovery.autosaver.path, flush=True)
    timer = QTimer()
    timer.timeout.connect(report)
    timer.start(100)
    app.exec()
""")


def test_autosave_survives_kill_9_and_is_offered_at_next_launch(qtbot, window, tmp_path):
    if not hasattr(signal, "SIGKILL"):
        pytest.skip("needs SIGKILL")
    folder = tmp_path / "autosave"
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    process = subprocess.Popen(
        [sys.executable, "-c", AUTOSAVING_APP, str(folder), str(tmp_path / "child.ini")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment)
    try:
        deadline = time.monotonic() + 60
        line = ""
        while "autosaved" not in line and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line and process.poll() is not None:
                break
        assert "autosaved" in line, process.stderr.read() if process.poll() is not None else ""
        # while the app runs, its autosave is not an orphan
        assert Autosaver(folder).orphans() == []
        time.sleep(0.5)                         # let it autosave again, mid-training
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        process.stdout.close()
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL

    autosave = folder / f"autosave-{process.pid}.bpp"
    assert autosave.is_file()
    actions = window.actions_under_test
    actions.recovery.autosaver = Autosaver(folder)
    orphans = actions.recovery.autosaver.orphans()
    assert [orphan.path for orphan in orphans] == [autosave]
    epoch_saved = load_playground(autosave).epoch
    assert epoch_saved > 0
    actions.prompter.restore_answers.append(True)
    assert recover_and_wait(qtbot, actions)
    qtbot.waitUntil(lambda: latest(window).epoch == epoch_saved
                    and latest(window).data.X_train.shape[0] == 50, timeout=TIMEOUT_MS)
    assert actions.document.modified and window.windowTitle().startswith("Recovered")
    assert not autosave.exists()


def test_a_data_folder_blocked_by_a_file_never_keeps_the_window_from_closing(qtbot, window,
                                                                           tmp_path):
    actions = window.actions_under_test
    blocked = tmp_path / "Backprop Playground"
    blocked.write_text("a file where the app's data folder should be", encoding="utf-8")
    actions.recovery.autosaver = Autosaver(blocked / "autosave")
    step_to_epoch(qtbot, window, 1)
    qtbot.waitUntil(lambda: actions.document.modified, timeout=TIMEOUT_MS)
    actions._interactive = True       # closing asks, then removes the autosave
    actions.prompter.unsaved_answers.append(DISCARD)
    window.close()                    # the autosave it cannot remove is no reason to fail
    assert not window.isVisible() and actions.prompter.asked_unsaved == 1
