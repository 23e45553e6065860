"""Cyclic garbage collection runs on the GUI thread only: never on the training thread, where
destroying a Qt object caught in a cycle deadlocks both threads."""
from __future__ import annotations

import gc
import random
import threading
import time

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTimer

from playground.app import create_window
from playground.qt.gui_thread_gc import (GuiThreadCollector, collect_due_generations,
                                         collect_on_gui_thread)
from playground.snapshot import PLAYING

LEFT = Qt.MouseButton.LeftButton
pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)")


class _Cycle:
    def __init__(self):
        self.me = self


@pytest.fixture
def thresholds():
    """Restores the interpreter's thresholds after a test that lowers them."""
    saved = gc.get_threshold()
    yield
    gc.set_threshold(*saved)


@pytest.fixture
def collections():
    """(thread ident, generation) of every collection while the test runs."""
    seen = []

    def record(phase, info):
        if phase == "start":
            seen.append((threading.get_ident(), info["generation"]))

    gc.callbacks.append(record)
    yield seen
    gc.callbacks.remove(record)


def test_the_oldest_due_generation_is_collected_as_the_interpreter_would(thresholds, collections):
    gc.collect()
    collections.clear()
    gc.set_threshold(100, 2, 1)
    assert collect_due_generations() is None           # nothing allocated yet
    due = []
    for _ in range(12):
        cycles = [_Cycle() for _ in range(150)]      # past the young threshold each round
        del cycles
        due.append(collect_due_generations())
    # a generation is due once its count passes its threshold: the middle one after three
    # young collections, the oldest at the check after two middle ones
    assert due == [0, 0, 0, 1, 0, 0, 0, 1, 2, 0, 0, 0]
    assert [generation for _, generation in collections] == due
    assert gc.get_count()[0] < 100                  # the cycles were freed, not kept


def test_a_zero_young_threshold_switches_collection_off(thresholds):
    gc.set_threshold(0, 10, 10)
    _ = [_Cycle() for _ in range(1000)]
    assert collect_due_generations() is None


def test_the_app_keeps_one_collector_and_automatic_collection_off(qapp):
    first = collect_on_gui_thread(qapp)
    assert collect_on_gui_thread(qapp) is first
    assert qapp.findChildren(GuiThreadCollector) == [first]
    assert not gc.isenabled()


def test_collections_run_only_on_the_gui_thread_while_the_real_window_is_used(
        qtbot, tmp_path, thresholds, collections):
    """Play, add and remove layers, paint, open menus for 15 s with thresholds low enough that
    the training thread would collect many times a second if it were allowed to."""
    gc.set_threshold(50, 5, 5)
    window = create_window(settings=QSettings(str(tmp_path / "l.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.rendered_snapshot is not None, timeout=20_000)
    editor, painter, controller = window.network_editor, window.dataset_painter, window.controller
    menus = [action.menu() for action in window.menuBar().actions() if action.menu()]
    rng = random.Random(14)
    young_counts = []

    def act():
        young_counts.append(gc.get_count()[0])
        choice = rng.randrange(6)
        if choice == 0:
            controller.toggle()
        elif choice == 1:
            (editor.add_layer_button if rng.random() < 0.5 else editor.remove_layer_button).click()
        elif choice == 2:
            painter.set_painting(True)
            x, y = rng.uniform(-4, 4), rng.uniform(-4, 4)
            qtbot.mouseClick(painter.boundary.viewport(), LEFT, pos=painter.view_position(x, y))
            painter.set_painting(False)
        elif choice == 3:
            menu = rng.choice(menus)
            menu.popup(window.mapToGlobal(window.rect().center()))
            QTimer.singleShot(30, menu.close)
        else:
            controller.play()

    timer = QTimer()
    timer.timeout.connect(act)
    controller.play()
    qtbot.waitUntil(lambda: controller.state == PLAYING, timeout=20_000)
    timer.start(40)
    deadline = time.perf_counter() + 15.0
    while time.perf_counter() < deadline:
        qtbot.wait(100)
    timer.stop()
    window.close()
    QCoreApplication.processEvents()

    gui_thread = threading.main_thread().ident
    threads = {ident for ident, _ in collections}
    assert threads == {gui_thread}, "a collection ran off the GUI thread"
    generations = [generation for _, generation in collections]
    assert {0, 1, 2} <= set(generations), "every generation was collected"
    print(f"\n{len(collections)} collections (generations {sorted(set(generations))}); "
          f"young count at the checks: max {max(young_counts)}")
    assert len(young_counts) > 100
    # collected as it went: the young generation never grew past a tenth of a second's worth
    assert max(young_counts) < 200_000, max(young_counts)
    assert not gc.isenabled()
