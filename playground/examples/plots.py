"""The four live plots (loss, accuracy, weights, gradients) fed by a training run, five epochs a
frame: ``python -m playground.examples plots [--screenshot PATH]``."""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from playground.examples.running import application, finish, screenshot_wanted
from playground.examples.snapshots import DemoRun
from playground.qt.plots.history_plots import AccuracyPlot, LossPlot
from playground.qt.plots.layer_plots import GradientPlot, WeightsPlot

EPOCHS_PER_FRAME = 5
SCREENSHOT_FRAMES = 80


def main(argv: list[str]) -> int:
    app = application(argv)
    window = QtWidgets.QWidget()
    window.setWindowTitle("Backprop Playground — plots")
    layout = QtWidgets.QGridLayout(window)
    plots = [LossPlot(), AccuracyPlot(), WeightsPlot(), GradientPlot()]
    for k, plot in enumerate(plots):
        layout.addWidget(plot, k // 2, k % 2)
    window.resize(900, 600)
    run = DemoRun("circle")

    def tick() -> None:
        run.train(EPOCHS_PER_FRAME)
        snapshot = run.snapshot()
        for plot in plots:
            plot.show_snapshot(snapshot)

    if screenshot_wanted(argv):
        for _ in range(SCREENSHOT_FRAMES):
            tick()
    else:
        timer = QtCore.QTimer(window)
        timer.timeout.connect(tick)
        timer.start(33)
    return finish(app, window, argv)
