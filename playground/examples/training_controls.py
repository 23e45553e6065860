"""The training controls alone, printing every change they report:
``python -m playground.examples training_controls [--screenshot PATH]``."""
from __future__ import annotations

from playground.examples.running import application, finish
from playground.qt.shell.training_controls import TrainingControls


def main(argv: list[str]) -> int:
    app = application(argv)
    panel = TrainingControls()
    panel.setWindowTitle("Backprop Playground — training controls")
    panel.sigHyperparametersChanged.connect(print)
    panel.sigActivationChanged.connect(print)
    panel.sigMessage.connect(print)
    return finish(app, panel, argv)
