"""Start-up does only what the first shown frame needs: what only menus, exports and lessons use
loads when they are used, the first snapshot is drawn the moment it arrives, and the gallery
draws the thumbnails of the problem type on show."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QSettings, Qt

from playground.config import CLASSIFICATION, REGRESSION, DataSpec
from playground.data.generators import GENERATORS
from playground.qt.data.panel import DataPanel
from playground.qt.shell.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")

# modules the first frame does not need: the About dialog, the lesson panel, the exporters and
# the code generators behind them
LOADED_WHEN_USED = ("playground.qt.shell.about", "playground.qt.files.lesson_panel",
                    "playground.storage.export", "playground.storage.codegen")

START_UP = """
import gc, json, sys
from playground.app import create_window, ensure_application
passes = []
gc.callbacks.append(lambda phase, info: phase == "start" and passes.append(info))
app = ensure_application()
collections = [len(passes)]
from PySide6.QtCore import QSettings, Qt
settings = QSettings(sys.argv[1], QSettings.Format.IniFormat)
passes.clear()
window = create_window(settings=settings)
collections.append(len(passes))
gc.callbacks.clear()
names = list(sys.modules)
print(json.dumps({"modules": names, "collections": collections,
                  "collecting": [gc.isenabled()]}))
window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
window.close()
app.processEvents()
"""


@pytest.fixture(scope="module")
def start_up(tmp_path_factory):
    """A fresh interpreter that built the app's window: its modules in import order, the
    collector's passes during ensure_application and create_window, and whether automatic
    collection was on afterwards."""
    settings = tmp_path_factory.mktemp("startup") / "layout.ini"
    result = subprocess.run([sys.executable, "-c", START_UP, str(settings)], capture_output=True,
                            text=True, timeout=120,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("module", LOADED_WHEN_USED)
def test_building_the_window_leaves_later_features_unloaded(start_up, module):
    assert "playground.qt.shell.main_window" in start_up["modules"]
    assert module not in start_up["modules"]


def test_numpy_is_imported_before_qt(start_up):
    # PySide6 reads the source of every module imported after it; NumPy's are spared that
    names = start_up["modules"]
    assert names.index("numpy") < names.index("PySide6")


def test_no_garbage_collection_runs_while_qt_loads_and_the_window_is_built(start_up):
    # automatic collection is off from the app's first import on (collections run on the GUI
    # thread's timer only): start-up makes hardly any garbage, and every pass would be wasted
    assert start_up["collections"] == [0, 0]
    assert start_up["collecting"] == [False]


def test_first_snapshot_is_drawn_on_arrival_without_waiting_for_a_frame_tick(qtbot, tmp_path):
    window = MainWindow(settings=QSettings(str(tmp_path / "l.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.frames.stop()          # no frame ticks at all
    try:
        qtbot.waitUntil(lambda: window.rendered_snapshot is not None, timeout=20_000)
        assert window.rendered_snapshot.epoch == window.controller.latest_snapshot.epoch == 0
    finally:
        window.close()


def test_gallery_draws_the_thumbnails_of_the_problem_type_on_show(qtbot):
    panel = DataPanel(DataSpec())
    qtbot.addWidget(panel)
    gallery = panel.gallery

    def drawn(kind):
        return {gallery.item(row).data(Qt.ItemDataRole.UserRole): not gallery.item(row).icon()
                .isNull() for row in range(gallery.count())
                if GENERATORS[gallery.item(row).data(Qt.ItemDataRole.UserRole)].kind == kind}

    assert DataSpec().problem == CLASSIFICATION
    assert all(drawn(CLASSIFICATION).values())
    assert not any(drawn(REGRESSION).values())
    with qtbot.waitSignal(panel.sigDataSpecChanged):
        panel.problem.setCurrentIndex(panel.problem.findData(REGRESSION))
    assert all(drawn(REGRESSION).values())
    assert all(drawn(CLASSIFICATION).values())
