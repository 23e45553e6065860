"""File ▸ Record… through the real window: the dialog, a short recording read back with Pillow
(frame count and size), the progress window with its result and the training speed, Cancel
leaving no file, and a window closed while recording."""
from __future__ import annotations

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu

from playground.snapshot import PAUSED, PLAYING

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise)\(\)")
TIMEOUT_MS = 30_000


@pytest.fixture
def window(file_window):
    return file_window


def file_menu_action(window, name):
    menu = window.menuBar().findChild(QMenu, "fileMenu") or window.file_actions.file_menu
    action = next(act for act in menu.actions() if act.objectName() == name)
    assert action.isVisible() and action.isEnabled()
    return action


def open_record_dialog(qtbot, window):
    file_menu_action(window, "recordAction").trigger()
    dialog = window.teaching.recording.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=TIMEOUT_MS)
    return dialog


def record(qtbot, window, tmp_path, name, **choices):
    dialog = open_record_dialog(qtbot, window)
    dialog.choose(path=str(tmp_path / name), **choices)
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    recording = window.teaching.recording
    assert not dialog.isVisible()
    return recording.recorder


def read_back(path):
    with Image.open(path) as image:
        return image.n_frames, image.size, image.format


def test_a_short_gif_of_the_boundary_has_the_frames_and_size_asked_for(qtbot, window,
                                                                        tmp_path):
    assert window.controller.state == PAUSED
    recorder = record(qtbot, window, tmp_path, "boundary.gif", target="boundary",
                      format_key="gif", fps=10, epochs_per_frame=2, length=6, unit="frames")
    progress = window.teaching.recording.progress
    assert progress.isVisible() and progress.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: window.controller.state == PLAYING or recorder.finished,
                    timeout=TIMEOUT_MS)    # Record starts training when paused
    qtbot.waitUntil(lambda: recorder.finished, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.controller.state == PAUSED, timeout=TIMEOUT_MS)
    size = window.boundary_view.size()
    assert read_back(tmp_path / "boundary.gif") == (6, (size.width(), size.height()), "GIF")
    # the progress window ends with the result: the file, its size and the training speed
    assert progress.bar.value() == 6
    assert progress.open_button.isVisible() and progress.close_button.isVisible()
    text = progress.detail.text()
    assert "Recorded 6 frames" in text and "boundary.gif" in text
    assert "epochs/s while recording" in text
    assert window.status.message.text().startswith("Recorded 6 frames")


def test_an_animated_png_of_the_network_in_seconds(qtbot, window, tmp_path):
    window.controller.play()
    qtbot.waitUntil(lambda: window.controller.state == PLAYING
                    and window.controller.latest_snapshot.epochs_per_second > 0,
                    timeout=TIMEOUT_MS)     # a speed measured before recording
    recorder = record(qtbot, window, tmp_path, "network", target="network",
                      format_key="apng", fps=5, epochs_per_frame=1, length=1, unit="seconds")
    qtbot.waitUntil(lambda: recorder.finished, timeout=TIMEOUT_MS)
    # a path without suffix gets the format's; training that was playing goes on
    assert recorder.path == str(tmp_path / "network.png")
    assert window.controller.state == PLAYING
    size = window.network_editor.view.size()
    assert read_back(recorder.path) == (5, (size.width(), size.height()), "PNG")
    assert "just before" in recorder.summary       # the speed before recording, compared


def test_cancel_stops_and_leaves_no_file(qtbot, window, tmp_path):
    recorder = record(qtbot, window, tmp_path, "long.gif", target="window",
                      format_key="gif", fps=10, epochs_per_frame=1, length=1000,
                      unit="frames")
    progress = window.teaching.recording.progress
    qtbot.waitUntil(lambda: recorder.frames >= 2, timeout=TIMEOUT_MS)
    qtbot.mouseClick(progress.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: recorder.finished, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.controller.state == PAUSED, timeout=TIMEOUT_MS)
    assert recorder.path is None and "cancelled" in progress.detail.text()
    assert list(tmp_path.glob("*long*")) == [] and list(tmp_path.glob(".*tmp")) == []


def test_a_bad_file_is_refused_in_the_dialog_and_nothing_records(qtbot, window, tmp_path):
    dialog = open_record_dialog(qtbot, window)
    # what the defaults make, said before anything is changed: 10 s at 15 frames a second
    assert dialog.total.text().startswith("150 frames, 10.0 s of playback")
    dialog.choose(path="")
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.problem.isVisible()
    assert "choose a file" in dialog.problem.text()
    dialog.choose(format_key="gif", path=str(tmp_path / "no-such-folder" / "x.gif"))
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    assert window.teaching.recording.recorder is None
    assert window.file_actions.prompter.errors[-1][0] == "Cannot record"
    assert window.controller.state == PAUSED
    dialog.reject()


def test_closing_the_window_while_recording_ends_the_encoder(qtbot, window, tmp_path):
    recorder = record(qtbot, window, tmp_path, "closing.gif", target="boundary",
                      format_key="gif", fps=10, epochs_per_frame=1, length=1000,
                      unit="frames")
    qtbot.waitUntil(lambda: recorder.frames >= 2, timeout=TIMEOUT_MS)
    window.file_actions._interactive = False
    window.close()
    assert recorder.encoder.done.is_set()
    assert not (tmp_path / "closing.gif").exists()


def test_a_close_refused_at_the_unsaved_changes_question_keeps_recording(qtbot, window,
                                                                         tmp_path):
    from playground.qt.files.prompts import CANCEL

    recorder = record(qtbot, window, tmp_path, "kept.gif", target="boundary", format_key="gif",
                      fps=10, epochs_per_frame=1, length=1000, unit="frames")
    qtbot.waitUntil(lambda: recorder.frames >= 2 and window.file_actions.document.modified,
                    timeout=TIMEOUT_MS)
    window.file_actions._interactive = True     # the question is asked, as in the app
    window.file_actions.prompter.unsaved_answers.append(CANCEL)
    window.close()
    assert window.isVisible() and window.file_actions.prompter.asked_unsaved == 1
    assert not recorder.cancelled and not recorder.encoder.done.is_set()
    frames = recorder.frames
    qtbot.waitUntil(lambda: recorder.frames > frames, timeout=TIMEOUT_MS)
    recorder.cancel()
    qtbot.waitUntil(lambda: recorder.finished, timeout=TIMEOUT_MS)


def test_a_one_frame_recording_leaves_training_paused(qtbot, window, tmp_path):
    assert window.controller.state == PAUSED
    recorder = record(qtbot, window, tmp_path, "one.gif", target="boundary", format_key="gif",
                      fps=10, epochs_per_frame=1, length=1, unit="frames")
    qtbot.waitUntil(lambda: recorder.finished, timeout=TIMEOUT_MS)
    assert read_back(tmp_path / "one.gif")[0] == 1
    qtbot.wait(200)         # a play command would have reached the worker by now
    assert window.controller.state == PAUSED


def test_epochs_per_frame_follow_the_frame_rate_until_chosen(qtbot, window):
    assert window.config.hyper.epochs_per_second == 30
    dialog = open_record_dialog(qtbot, window)
    dialog.choose(fps=10)
    assert dialog.epochs_per_frame.value() == 3       # playback at the pace of training
    dialog.choose(fps=5)
    assert dialog.epochs_per_frame.value() == 6
    dialog.choose(epochs_per_frame=4, fps=20)
    assert dialog.epochs_per_frame.value() == 4       # chosen by hand: it stays
    dialog.reject()
