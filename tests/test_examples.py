"""``python -m playground.examples`` lists the panels' examples, and each one starts, renders
its panel on real training and leaves at once with ``--screenshot PATH``."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from playground.examples import EXAMPLES

RUN_TIMEOUT_S = 180
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "playground.examples", *args],
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
                          capture_output=True, text=True, timeout=RUN_TIMEOUT_S)


def test_without_a_name_every_example_is_listed():
    result = run()
    assert result.returncode == 0, result.stderr
    listed = [line.split()[0] for line in result.stdout.splitlines() if line.startswith("  ")]
    assert listed == list(EXAMPLES)


def test_an_unknown_name_is_refused_with_the_list():
    result = run("no_such_panel")
    assert result.returncode == 2
    assert "no_such_panel" in result.stderr and "dataset_painter" in result.stderr


@pytest.mark.parametrize("name", EXAMPLES)
def test_each_example_runs_and_saves_its_panel(name, tmp_path):
    screenshot = tmp_path / f"{name}.png"
    result = run(name, "--screenshot", str(screenshot))
    assert result.returncode == 0, result.stderr
    assert screenshot.read_bytes()[:8] == PNG_SIGNATURE
    assert screenshot.stat().st_size > 5_000        # a panel, not an empty picture


@pytest.mark.parametrize("options", [["boundary", "three_class", "--test", "--discretize"],
                                     ["inspector", "--three-class", "--adam", "--tab", "2",
                                      "--network", "--beat", "3"]])
def test_the_examples_options_run(options, tmp_path):
    result = run(*options, "--screenshot", str(tmp_path / "shot.png"))
    assert result.returncode == 0, result.stderr
