"""The decision boundary of a trained network, with its data on top:
``python -m playground.examples boundary [circle|three_class|regression] [--test]
[--discretize] [--screenshot PATH]``."""
from __future__ import annotations

from playground.examples.running import application, finish
from playground.examples.snapshots import KINDS, demo_snapshot
from playground.qt.plots.boundary_view import BoundaryView

EPOCHS = 400


def main(argv: list[str]) -> int:
    app = application(argv)
    kind = next((arg for arg in argv[1:] if arg in KINDS), "circle")
    view = BoundaryView()
    view.setWindowTitle(f"Backprop Playground — boundary ({kind})")
    view.resize(520, 460)
    view.show_snapshot(demo_snapshot(kind, epochs=EPOCHS))
    view.set_show_test("--test" in argv)
    view.set_discretize("--discretize" in argv)
    return finish(app, view, argv)
