"""The window against broken and hostile input: what it saves reopens, a failed restore deletes
nothing, it keeps responding while a file loads, broken lessons and absurd numbers neither stop
it nor reach a view as NaN, and messages stay short."""
from __future__ import annotations

import threading
import warnings
from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import QSettings, QTimer

from playground.app import create_window
from playground.config import DataSpec, NetworkSpec, PlaygroundConfig
from playground.examples.snapshots import demo_stream, make_history
from playground.lessons import library
from playground.qt.files import prompts
from playground.qt.plots.boundary_view import BoundaryView
from playground.qt.plots.growing_columns import MAX_ROWS as PLOT_ROWS
from playground.qt.plots.layer_plots import WeightsPlot
from playground.session import Playground
from playground.snapshot import PAUSED
from playground.snapshot_builder import SnapshotBuilder, history_since
from playground.storage import format as fmt
from playground.storage import save_playground

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise)\(\)")
TIMEOUT_MS = 20_000
CONFIG = PlaygroundConfig(data=DataSpec(generator="xor", n_samples=100, seed=2),
                          network=NetworkSpec(hidden_layers=(3,), activations=("tanh",), seed=1))


@pytest.fixture
def window(file_window):
    return file_window


def latest(window):
    return window.controller.latest_snapshot


def points_of(snapshot) -> int:
    return len(snapshot.data.X_train) + len(snapshot.data.X_test)


def wait_loaded(qtbot, actions) -> None:
    qtbot.waitUntil(lambda: not actions.loading, timeout=TIMEOUT_MS)


# -- 1 and 2: a cleared canvas saves, reopens and regenerates -----------------------------------
def test_a_cleared_canvas_saves_reopens_and_regenerates(qtbot, window, tmp_path):
    actions, errors = window.file_actions, []
    window.controller.sigError.connect(errors.append)
    window.dataset_painter.clear_points()
    qtbot.waitUntil(lambda: points_of(latest(window)) == 0, timeout=TIMEOUT_MS)
    path = tmp_path / "cleared.bpp"
    actions.prompter.save_paths.append(str(path))
    assert actions.save()
    assert actions.open_path(str(path))
    wait_loaded(qtbot, actions)
    assert actions.prompter.errors == [] and actions.document.path == str(path)

    window.data_panel.regenerate.click()
    qtbot.waitUntil(lambda: points_of(latest(window)) == 100, timeout=TIMEOUT_MS)
    assert errors == []


def test_an_autosave_that_cannot_be_restored_is_kept(qtbot, window, tmp_path):
    actions = window.file_actions
    folder = tmp_path / "autosave"
    folder.mkdir()
    orphan = folder / "autosave-999999999.bpp"
    damaged = b"PK\x03\x04 the rest of it was lost"
    orphan.write_bytes(damaged)
    actions.prompter.restore_answers.append(True)
    assert actions.recovery.offer()
    wait_loaded(qtbot, actions)
    (title, text), = actions.prompter.errors
    kept = [path for path in folder.iterdir() if path.suffix == ".bpp"]
    assert title == "Cannot restore the autosave" and f"It was kept as {kept[0]}" in text
    assert kept[0].name.startswith("unrestored-999999999-") and kept[0].read_bytes() == damaged
    assert actions.recovery.autosaver.orphans() == []            # and it is not offered again


# -- 4: the window responds while a file loads, and the open playground waits for the result ---
def test_the_window_keeps_responding_while_a_file_loads(qtbot, window, tmp_path, monkeypatch):
    actions = window.file_actions
    path = tmp_path / "other.bpp"
    save_playground(path, Playground(replace(CONFIG, data=replace(CONFIG.data, n_samples=60))))
    config_before = window.controller.config
    during_load = []
    release = threading.Event()
    real_read = fmt.read_archive

    def slow_read(target):
        release.wait(TIMEOUT_MS / 1000)     # until the GUI thread has run the timer below
        return real_read(target)

    def tick():
        during_load.append(window.controller.config == config_before)
        release.set()

    monkeypatch.setattr(fmt, "read_archive", slow_read)
    QTimer.singleShot(0, tick)
    assert actions.open_path(str(path))
    wait_loaded(qtbot, actions)
    assert during_load == [True]         # the event loop ran, the old playground untouched
    qtbot.waitUntil(lambda: points_of(latest(window)) == 60, timeout=TIMEOUT_MS)
    assert actions.prompter.errors == []


# -- 6: absurd numbers never reach a view as NaN -------------------------------------------------
def test_weights_near_the_largest_float_keep_the_weights_plot_finite(qtbot):
    playground = Playground(CONFIG)
    playground.network.parameters = np.where(np.arange(playground.network.parameters.size) % 2,
                                             1e308, -1e308)
    snapshot = SnapshotBuilder(20).build(playground, PAUSED, history_since(playground, 0),
                                         0.0, None)
    plot = WeightsPlot()
    qtbot.addWidget(plot)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plot.show_snapshot(snapshot)
    (low, high) = plot.getPlotItem().getViewBox().viewRange()[1]
    assert np.isfinite(low) and np.isfinite(high) and low < -1e299 and high > 1e299


def test_a_diverged_softmax_network_colours_the_boundary_without_nan(qtbot):
    playground = Playground(replace(CONFIG, data=DataSpec(generator="blobs", classes=3),
                                    network=NetworkSpec(hidden_layers=(8,),
                                                        activations=("relu",))))
    parameters = np.random.default_rng(0).choice([-1e150, 1e150],
                                                 playground.network.parameters.size)
    playground.network.parameters = parameters
    snapshot = SnapshotBuilder(20).build(playground, PAUSED, history_since(playground, 0),
                                         0.0, None)
    assert all(np.isfinite(values).all() for values in snapshot.neuron_maps)
    view = BoundaryView()
    qtbot.addWidget(view)
    stream = list(demo_stream("three_class", snapshots=1, resolution=20))
    broken = replace(stream[0], grid_output=np.full_like(stream[0].grid_output, np.nan))
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        view.show_snapshot(snapshot)
        view.show_snapshot(broken)


# -- 7: a broken lesson neither stops the app nor escapes as an error ----------------------------
@pytest.fixture
def lesson_folder(tmp_path, monkeypatch):
    folder = tmp_path / "resources" / "presets"
    folder.mkdir(parents=True)
    monkeypatch.setattr(library, "shipped_lessons_folder", lambda: folder)
    library._shipped.cache_clear()
    yield folder
    library._shipped.cache_clear()


def write_lesson(folder, name, title, config="{}"):
    (folder / name).write_text(
        '{"format": "backprop-playground-lesson", "version": 1, "title": "%s", '
        '"explanation": "e", "config": %s}' % (title, config), encoding="utf-8")


def test_a_broken_lesson_file_does_not_stop_the_app(qtbot, tmp_path, lesson_folder,
                                                  scripted_prompter):
    write_lesson(lesson_folder, "01-fine.json", "Fine")
    (lesson_folder / "02-broken.json").write_text("{", encoding="utf-8")
    write_lesson(lesson_folder, "03-unbuildable.json", "Three circles",
                 '{"data": {"generator": "circle", "classes": 3}}')
    window = create_window(settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    try:
        actions = window.file_actions
        assert [act.text() for act in actions.lessons.menu.actions()] == ["Fine", "Three circles"]
        assert window.status.message.text().startswith(
            "02-broken.json was left out of the lessons: lesson 02-broken is not valid JSON")
        actions.prompter = scripted_prompter()
        assert not actions.open_lesson(library.lessons()[1])
        assert actions.prompter.errors == [
            ("Cannot open the lesson",
             "lesson 03-unbuildable cannot be set up: circle supports classes only 2, got 3")]
    finally:
        window.close()


# -- 8: a message is quoted as an excerpt --------------------------------------------------------
def test_error_dialogs_and_the_status_bar_show_a_short_excerpt(qtbot, window, monkeypatch):
    shown = []
    monkeypatch.setattr(prompts.QMessageBox, "warning",
                        lambda parent, title, text: shown.append(text))
    long_message = "bad value: " + "x" * 30_000 + "\nline\n" * 500
    prompts.Prompter(window).error("Cannot open", long_message)
    window.status.show_message(long_message)
    for text in (shown[0], window.status.message.text(), window.status.message.toolTip()):
        assert text.startswith("bad value: xxx") and text.endswith("…") and len(text) <= 801


# -- 4: a long history opened from a file is drawn in turns ---------------------------------------
def test_a_long_history_is_drawn_in_turns_and_in_full(qtbot, window):
    rows = 250_000
    epochs = np.arange(1, rows + 1)
    history = make_history(epochs, train_loss=1.0 / epochs, test_loss=2.0 / epochs)
    snapshot = replace(latest(window), history=history, epoch=rows)
    window.frames.inbox.push(snapshot)
    window.render_pending()
    assert window.rendered_snapshot is not snapshot       # the rest waits for later turns
    qtbot.waitUntil(lambda: window.rendered_snapshot is snapshot, timeout=TIMEOUT_MS)
    buffer = window.loss_plot.buffer
    # every epoch reached the plot, which keeps at most MAX_ROWS: the envelope of the older ones
    kept = buffer.column("epoch")
    assert len(kept) <= PLOT_ROWS and kept[0] == 1 and kept[-1] == rows
    np.testing.assert_array_equal(np.diff(kept) > 0, True)
    test = buffer.column("test")
    assert test.max() == 2.0 and test.min() == 2.0 / rows
    np.testing.assert_array_equal(test, 2.0 / kept)
    assert window.epoch_readout.epoch.text() == f"Epoch {rows}"
