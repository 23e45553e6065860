"""The window on laptop and desktop screens, from 1024 × 640 to 1920 × 1080: it opens sized to
the screen, nothing leaves it or overlaps, the inspector's pages never scroll sideways, and a
geometry remembered from a larger screen is brought back onto a smaller one.

Each size is a fresh process on Qt's offscreen platform with one screen of that size (a screen
size is fixed for a process): scripts/screenshots_sizes.py's child, which opens the window as a
first launch does, trains, steps one mini-batch and reports layout_check's measurements.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "screenshots_sizes.py"
SIZES = ((1024, 640), (1280, 720), (1366, 768), (1920, 1080))
EPOCHS = 20


def load_script():
    spec = importlib.util.spec_from_file_location("screenshots_sizes", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def script():
    return load_script()


def inside(inner: list[int], outer: list[int]) -> bool:
    x, y, w, h = inner
    ox, oy, ow, oh = outer
    return ox <= x and oy <= y and x + w <= ox + ow and y + h <= oy + oh


@pytest.mark.parametrize("width, height", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_window_fits_the_screen_with_nothing_overlapping(script, tmp_path, width, height):
    report = script.run_size(width, height, None, False, str(tmp_path), epochs=EPOCHS)
    for scene in ("plots", "inspector"):
        measured = report[scene]
        assert measured["problems"] == [], f"{scene}: {measured['problems']}"
        screen = measured["screen"]
        assert screen == [0, 0, width, height]
        assert inside(measured["frame"], screen) and inside(measured["status_bar"], screen)
        docks = measured["docks"]
        # the default layout: boundary and plots or inspector in view together
        assert docks["outputDock"]["visible"] and docks["dataDock"]["visible"]
        assert docks["plotsDock"]["visible"] == (scene == "plots")
        assert docks["inspectorDock"]["visible"] == (scene == "inspector")
        # the left column is ~270 pixels wide
        assert 240 <= docks["dataDock"]["rect"][2] <= 300
    plots = report["plots"]
    # a first launch takes the whole of a laptop screen (less the frame), 90 % of a larger one
    frame = plots["frame"]
    if width <= 1440:
        assert frame[2] >= width - 8 and frame[3] >= height - 8
    else:
        assert frame[2] == pytest.approx(0.9 * width, abs=8)
    titles = [name for name in plots["editor_items"] if name.startswith("title")]
    assert len(titles) == 4, "the default network's four column titles all fit"
    assert sum(name.startswith(("+", "−")) for name in plots["editor_items"]) == 4
    inspector = report["inspector"]["inspector"]
    for title, page in inspector["pages"].items():
        assert page["horizontal_scroll"] == 0, title
        assert page["content_width"] <= page["viewport_width"], title
    assert inspector["slider_width"] >= 150


def test_a_geometry_saved_on_a_large_screen_is_brought_onto_a_small_one(script, tmp_path):
    settings = str(tmp_path / "layout.ini")
    large = script.run_size(1920, 1080, None, False, str(tmp_path), epochs=1, settings=settings)
    assert large["plots"]["frame"][2] > 1280          # saved wider than the next screen
    small = script.run_size(1280, 720, None, False, str(tmp_path), epochs=1, settings=settings)
    measured = small["plots"]
    assert measured["problems"] == []
    assert inside(measured["frame"], [0, 0, 1280, 720])
    assert inside(measured["status_bar"], [0, 0, 1280, 720])
