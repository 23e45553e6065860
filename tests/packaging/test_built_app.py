"""Smoke test of the packaged app, not the source tree: its --version and --self-test.

The built-app tests are skipped unless a built app exists: packaging/build.sh builds dist/ and
runs this file. Point
BPP_BUILT_APP at another executable to test an installed copy (for example
/usr/bin/backprop-playground from the .deb, or the app inside a mounted .dmg).
Runs offscreen everywhere and, on Linux with Xvfb installed, under a real X server too: offscreen
hides missing xcb libraries (docs/NOTES.md, "Qt on Linux").
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from playground import __version__

REPO = Path(__file__).resolve().parents[2]
NAME = "backprop-playground"
CANDIDATES = [
    REPO / "dist" / NAME / NAME,
    REPO / "dist" / NAME / f"{NAME}.exe",
    REPO / "dist" / "Backprop Playground.app" / "Contents" / "MacOS" / NAME,
]
RUN_TIMEOUT_S = 240
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _load_startup_tools():
    """packaging/measure_startup.py (Xvfb and window polling), loaded by path: not a package."""
    spec = importlib.util.spec_from_file_location(
        "measure_startup", REPO / "packaging" / "measure_startup.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _built_app() -> Path | None:
    chosen = os.environ.get("BPP_BUILT_APP")
    if chosen:
        # abspath, not resolve(): a /usr/bin symlink must be run as the symlink it is.
        return Path(os.path.abspath(chosen))
    return next((path for path in CANDIDATES if path.is_file()), None)


APP = _built_app()
startup = _load_startup_tools()
needs_built_app = pytest.mark.skipif(
    APP is None, reason="no built app in dist/ (run packaging/build.sh) and BPP_BUILT_APP unset")
needs_xvfb = pytest.mark.skipif(
    not sys.platform.startswith("linux") or shutil.which("Xvfb") is None,
    reason="Xvfb runs on Linux only, and must be installed (apt-get install xvfb)")


def run_app(args: list[str], config_dir: Path, display: str | None = None):
    env = startup.app_environment(display, str(config_dir))
    if display is None:
        env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run([str(APP), *args], env=env, capture_output=True, text=True,
                          timeout=RUN_TIMEOUT_S)


def assert_self_test_passed(result, screenshot: Path) -> None:
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    assert "self-test passed" in result.stdout
    data = screenshot.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    width = int.from_bytes(data[16:20], "big")  # PNG IHDR width
    assert width >= 400, f"screenshot only {width} px wide"
    print(f"\n{APP}: {result.stdout.strip()}")


@pytest.fixture(scope="module")
def xvfb_display():
    with startup.xvfb() as display:
        yield display


@needs_built_app
def test_built_app_exists_and_is_executable():
    assert APP.is_file()
    if not sys.platform.startswith("win"):
        assert APP.stat().st_mode & 0o111


@needs_built_app
def test_version(tmp_path):
    result = run_app(["--version"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{NAME} {__version__}"


@needs_built_app
def test_self_test_offscreen(tmp_path):
    screenshot = tmp_path / "offscreen.png"
    result = run_app(["--self-test", "--screenshot", str(screenshot)], tmp_path)
    assert_self_test_passed(result, screenshot)


@needs_built_app
@needs_xvfb
def test_self_test_under_xvfb(tmp_path, xvfb_display):
    screenshot = tmp_path / "xvfb.png"
    result = run_app(["--self-test", "--screenshot", str(screenshot)], tmp_path, xvfb_display)
    assert "Could not load the Qt platform plugin" not in result.stderr
    assert_self_test_passed(result, screenshot)


@needs_built_app
@needs_xvfb
@pytest.mark.skipif(shutil.which("xdotool") is None, reason="xdotool is not installed")
def test_window_is_shown_under_xvfb(xvfb_display):
    """The plain app (no arguments) maps its window; the time is printed, not asserted."""
    seconds = startup.time_to_window([str(APP)], xvfb_display, timeout=RUN_TIMEOUT_S)
    print(f"\n{APP}: start to shown window {seconds:.2f} s")


def test_workflow_copy_matches_packaging_source():
    """GitHub runs .github/workflows/installers.yml; packaging/github-workflow.yml is its source."""
    source = (REPO / "packaging" / "github-workflow.yml").read_text(encoding="utf-8")
    deployed = (REPO / ".github" / "workflows" / "installers.yml").read_text(encoding="utf-8")
    assert deployed == source
