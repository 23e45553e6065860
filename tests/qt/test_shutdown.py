"""Exiting at any moment ends the process cleanly and at once: a script that builds the window and
returns without closing it, while training plays, during a rebuild, before the first snapshot."""
from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

EXIT_SCRIPT = """
import sys, time
from PySide6.QtCore import QCoreApplication
from playground.app import create_window
from playground.config import NetworkSpec

moment = sys.argv[1]
window = create_window()
if moment != "before-first-snapshot":
    window.show()
    deadline = time.monotonic() + 0.3
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
if moment in ("playing", "rebuilding"):
    window.controller.play()
    deadline = time.monotonic() + 0.3
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
if moment == "rebuilding":
    window.controller.set_network(NetworkSpec(hidden_layers=(32,) * 8, activations=("tanh",) * 8))
print(time.time(), flush=True)
"""

MOMENTS = ("before-first-snapshot", "shown", "playing", "rebuilding")


def _isolated_environment(tmp_path) -> dict:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path),
            "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data")}


@pytest.mark.parametrize("moment", MOMENTS)
def test_a_script_that_exits_without_closing_the_window_ends_cleanly_within_a_second(tmp_path,
                                                                                     moment):
    result = subprocess.run([sys.executable, "-c", EXIT_SCRIPT, moment], capture_output=True,
                            text=True, timeout=120, env=_isolated_environment(tmp_path))
    ended = time.time()
    assert result.returncode == 0, result.stderr
    assert "QThread: Destroyed" not in result.stderr
    exit_took = ended - float(result.stdout.split()[-1])
    assert exit_took < 1.0, f"exit took {exit_took:.2f} s"


def test_the_app_freezes_its_start_up_objects_and_quits_cleanly(tmp_path):
    """The running app: automatic collection off, start-up objects out of the collector's way
    (a full collection over them took ~20 ms every ten seconds or so), and Quit ends it."""
    script = (
        "import gc, sys\n"
        "from PySide6.QtCore import QTimer\n"
        "from playground.app import ensure_application, main\n"
        "app = ensure_application()\n"
        "def report():\n"
        "    print(gc.isenabled(), gc.get_freeze_count(), flush=True)\n"
        "    app.quit()\n"
        "QTimer.singleShot(500, report)\n"
        "sys.exit(main([]))\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120, env=_isolated_environment(tmp_path))
    assert result.returncode == 0, result.stderr
    enabled, frozen = result.stdout.split()
    assert enabled == "False"
    assert int(frozen) > 10_000
