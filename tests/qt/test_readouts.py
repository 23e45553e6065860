"""The toolbar and status bar read-outs, and the window fitting small screens."""
from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QSettings, QSize
from PySide6.QtWidgets import QStatusBar

from playground.examples.snapshots import demo_snapshot
from playground.qt.network.editor import NetworkEditor
from playground.qt.shell.main_window import MainWindow
from playground.qt.shell.window_layout import default_window_size
from playground.qt.shell.status import EpochReadout, StatusReadout
from playground.snapshot import PAUSED, PLAYING

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise)\(\)")


@pytest.fixture(scope="module")
def snapshot():
    return demo_snapshot("circle", epochs=20, resolution=20)


def test_paused_speed_shows_the_last_measured_rate_dimmed_not_zero(qtbot):
    readout = EpochReadout()
    qtbot.addWidget(readout.speed)
    assert readout.speed.text() == "paused"             # nothing measured yet
    readout.show(120, 0, 843.4, playing=True)
    assert readout.speed.text() == "843 epochs/s" and readout.speed.isEnabled()
    readout.show(121, 0, 0.0, playing=False)             # the worker reports 0 when paused
    assert readout.speed.text() == "paused · 843 epochs/s"
    assert not readout.speed.isEnabled()                 # drawn dimmed
    readout.show(122, 0, 0.0, playing=True)              # the first frame after play
    assert readout.speed.text() == "— epochs/s" and readout.speed.isEnabled()


def test_the_window_shows_paused_in_the_toolbar(qtbot, tmp_path, snapshot):
    window = MainWindow(settings=QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.frames.stop()
    window.render_snapshot(replace(snapshot, state=PLAYING, epochs_per_second=512.0))
    window.render_snapshot(replace(snapshot, state=PAUSED, epochs_per_second=0.0))
    assert window.epoch_readout.speed.text() == "paused · 512 epochs/s"
    window.close()


def test_status_labels_keep_their_place_whatever_the_numbers(qtbot, snapshot):
    bar = QStatusBar()
    qtbot.addWidget(bar)
    status = StatusReadout(bar)
    bar.resize(1000, 30)
    bar.show()
    qtbot.waitExposed(bar)
    status.show_snapshot(replace(snapshot, epoch=3, train_loss=0.5, test_loss=0.25,
                                 train_accuracy=1.0, test_accuracy=1.0))
    qtbot.wait(20)
    before = [label.geometry() for label in (status.epoch, status.train_loss)]
    status.show_snapshot(replace(snapshot, epoch=123456, train_loss=1.5e-05, test_loss=12.75,
                                 train_accuracy=0.5, test_accuracy=0.25))
    qtbot.wait(20)
    assert status.train_loss.text() == "Train loss 1.50e-05"
    assert [label.geometry() for label in (status.epoch, status.train_loss)] == before


def test_the_editor_hint_does_not_widen_the_window(qtbot):
    editor = NetworkEditor()
    qtbot.addWidget(editor)
    assert editor.minimumSizeHint().width() < 400      # was ~715 px: the hint's whole text


def test_the_window_fits_a_1366_by_768_screen(qtbot, tmp_path):
    window = MainWindow(settings=QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    minimum = window.minimumSizeHint()
    # 728: 768 less a task bar
    assert minimum.width() <= 1366 and minimum.height() <= 728, minimum
    window.close()


def test_the_default_size_fits_the_available_screen():
    # a laptop's whole available area; 90 % of a larger screen's
    assert default_window_size(QSize(1920, 1040)) == QSize(1728, 936)
    assert default_window_size(QSize(1366, 728)) == QSize(1366, 728)
    assert default_window_size(QSize(1280, 984)) == QSize(1280, 984)
    assert default_window_size(QSize(1024, 600)) == QSize(1024, 600)


def test_loss_text_fits_its_fixed_width_label_even_when_diverging():
    from playground.qt.shell.status import format_loss

    assert format_loss(0.01234) == "0.0123" and format_loss(1234.5) == "1234.5000"
    assert format_loss(3.2e7) == "3.20e+07" and format_loss(2e-5) == "2.00e-05"
    assert all(len(format_loss(v)) <= len("00000.0000") for v in (1e-9, 0.5, 9999.0, 1e6, 1e300))
    assert format_loss(float("inf")) == "—"
