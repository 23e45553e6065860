"""The installed command line, run as a separate process: --version, --self-test (offscreen and
under a real X server through Xvfb, which catches missing system libraries)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from playground import __version__

SELF_TEST_TIMEOUT_S = 180


def run(args, env_update=None, prefix=()):
    env = dict(os.environ)
    env.update(env_update or {})
    return subprocess.run([*prefix, sys.executable, "-m", "playground", *args], env=env,
                          capture_output=True, text=True, timeout=SELF_TEST_TIMEOUT_S)


def test_version_prints_without_loading_qt():
    code = ("import sys; from playground.app import main; code = main(['--version']); "
            "assert 'PySide6' not in sys.modules, 'Qt was imported'; sys.exit(code)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"backprop-playground {__version__}"


def test_self_test_passes_offscreen_and_saves_a_screenshot(tmp_path):
    screenshot = tmp_path / "window.png"
    result = run(["--self-test", "--screenshot", str(screenshot)],
                 {"QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    assert "self-test passed" in result.stdout
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert screenshot.stat().st_size > 10_000


def test_self_test_fails_with_the_reason_on_stderr(tmp_path):
    unwritable = tmp_path / "missing-folder" / "window.png"
    result = run(["--self-test", "--screenshot", str(unwritable)],
                 {"QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 1
    assert "self-test failed" in result.stderr and "screenshot" in result.stderr


@pytest.mark.skipif(shutil.which("xvfb-run") is None,
                    reason="xvfb-run is not installed (.ci/run installs the xvfb package)")
def test_self_test_passes_under_xvfb(tmp_path):
    result = run(["--self-test", "--screenshot", str(tmp_path / "xvfb.png")],
                 {"QT_QPA_PLATFORM": "xcb"},
                 prefix=("xvfb-run", "-a", "-s", "-screen 0 1600x1000x24"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "xvfb.png").stat().st_size > 10_000
