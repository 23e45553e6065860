"""The window's left column alone: the data panel above the training controls, printing every
change they report: ``python -m playground.examples settings [--screenshot PATH]``."""
from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from playground.examples.running import application, finish
from playground.qt.data.panel import DataPanel
from playground.qt.shell.training_controls import TrainingControls


def main(argv: list[str]) -> int:
    app = application(argv)
    window = QWidget()
    window.setWindowTitle("Backprop Playground — data and training settings")
    data, training = DataPanel(), TrainingControls()
    layout = QVBoxLayout(window)
    layout.addWidget(data)
    layout.addWidget(training)
    for signal in (data.sigDataSpecChanged, training.sigHyperparametersChanged,
                   training.sigActivationChanged, training.sigMessage):
        signal.connect(print)
    return finish(app, window, argv)
