"""The backprop inspector after one real mini-batch step:
``python -m playground.examples inspector [--three-class] [--adam] [--tab N] [--scroll-right]
[--network [--beat N]] [--screenshot PATH]``.

With ``--network`` a network view above the panel plays the step's animation (``--beat N``
holds it at beat N for the screenshot); ``--tab N`` opens page N (0 forward, 1 backward,
2 update); ``--scroll-right`` shows the output end of the tables.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QWidget

from playground.examples.running import application, finish, option
from playground.examples.snapshots import DemoRun
from playground.qt.inspector.panel import InspectorPanel
from playground.qt.network.view import NetworkView

BATCHES_BEFORE = 3          # a few steps in, the gradients are no longer those of the first one
HOLD_MS = 3_600_000         # a beat that lasts an hour: the animation stands still


def main(argv: list[str]) -> int:
    app = application(argv)
    run = DemoRun("three_class" if "--three-class" in argv else "circle", n_points=120,
                  resolution=40, optimizer="adam" if "--adam" in argv else "sgd")
    for _ in range(BATCHES_BEFORE):
        run.playground.step_batch()
    run.step_batch()
    snapshot = run.snapshot()
    panel = InspectorPanel()
    window: QWidget = panel
    if "--network" in argv:
        view = NetworkView()
        view.show_snapshot(snapshot)
        panel.attach_network_view(view)
        window = QSplitter(Qt.Orientation.Vertical)
        window.addWidget(view)
        window.addWidget(panel)
        window.resize(1100, 900)
        window.setSizes([330, 570])
    else:
        panel.resize(1100, 600)
    window.setWindowTitle("Backprop Playground — backprop inspector")
    panel.show_snapshot(snapshot)
    panel.check_gradients()
    panel.tabs.setCurrentIndex(int(option(argv, "--tab", "0")))
    if "--scroll-right" in argv:      # show the output end of a wide network
        for page in (panel.forward_page, panel.backward_page):
            area = page.area
            area.widget().adjustSize()
            area.horizontalScrollBar().setRange(0, area.widget().width())
            area.horizontalScrollBar().setValue(area.widget().width())
    if "--beat" in argv and panel.animation is not None:
        panel.animation.set_layer_duration(HOLD_MS)
        for _ in range(int(option(argv, "--beat"))):
            panel.animation.advance()
    return finish(app, window, argv)
