"""A hung test ends the run within its time limit, with every thread's stack, instead of hanging
the suite until CI's own limit."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]

HANGING_TEST = """
import threading

def test_deadlock():
    lock = threading.Lock()
    lock.acquire()
    holder = threading.Thread(target=lock.acquire, name="TrainingWorkerThread", daemon=True)
    holder.start()
    holder.join()
"""


def test_a_hung_test_fails_fast_printing_every_threads_stack(tmp_path):
    (tmp_path / "test_hang.py").write_text(HANGING_TEST)
    started = time.monotonic()
    # the project's own configuration, with a short limit instead of its minutes
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-c", str(PROJECT / "pyproject.toml"), "--rootdir",
         str(tmp_path), "-p", "no:cacheprovider", "--timeout=2", str(tmp_path / "test_hang.py")],
        capture_output=True, text=True, timeout=120, cwd=tmp_path)
    took = time.monotonic() - started
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Timeout" in output
    assert "Stack of TrainingWorkerThread" in output and "Stack of MainThread" in output
    assert took < 60, f"{took:.0f} s"


def test_every_test_has_a_time_limit_of_minutes(pytestconfig):
    assert pytestconfig.getini("timeout_method") == "thread"
    assert 60 <= float(pytestconfig.getini("timeout")) <= 600
