"""The data panel alone, printing every DataSpec it reports:
``python -m playground.examples data_panel [--screenshot PATH]``."""
from __future__ import annotations

from playground.examples.running import application, finish
from playground.qt.data.panel import DataPanel


def main(argv: list[str]) -> int:
    app = application(argv)
    panel = DataPanel()
    panel.setWindowTitle("Backprop Playground — data")
    panel.sigDataSpecChanged.connect(print)
    return finish(app, panel, argv)
