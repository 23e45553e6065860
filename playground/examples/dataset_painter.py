"""Paint data with the mouse and train on it:
``python -m playground.examples dataset_painter [--screenshot PATH]``.

With ``--screenshot``, paints three classes on an empty canvas with the mouse (synthetic events
through the real tools), trains 300 epochs, saves the panel and exits.
"""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets
from PySide6.QtTest import QTest

from playground.config import DataSpec, Hyperparameters, NetworkSpec, PlaygroundConfig
from playground.examples.running import application, finish, screenshot_wanted, wait_until
from playground.qt.data.paint_tools import BRUSH, ERASE, POINT
from playground.qt.data.painter import DatasetPainter, dataset_from_view
from playground.qt.plots.boundary_view import BoundaryView
from playground.qt.worker import TrainingController

CONFIG = PlaygroundConfig(data=DataSpec(generator="blobs", classes=3, n_samples=150),
                          network=NetworkSpec(hidden_layers=(8, 6), activations=("tanh", "tanh")),
                          hyper=Hyperparameters(learning_rate=0.03, optimizer="adam"))
# brush strokes per class, in data coordinates
STROKES = {0: [(-4.5, -3.0), (-3.5, -1.5), (-2.5, -3.5), (-3.0, -2.0), (-4.0, -4.0), (-1.5, -2.5)],
           1: [(4.0, -3.5), (3.0, -2.0), (4.5, -1.0), (2.5, -3.0), (3.5, -4.5), (1.5, -2.0)],
           2: [(-2.0, 3.5), (0.0, 4.5), (2.0, 3.5), (0.0, 2.5), (-1.0, 1.5), (1.0, 1.5)]}
POINTS = ((2, (0.5, 0.5)), (0, (-1.0, -0.5)), (1, (1.5, -0.5)))
EPOCHS = 300


def main(argv: list[str]) -> int:
    app = application(argv)
    controller = TrainingController(CONFIG)
    panel = QtWidgets.QWidget()
    panel.setWindowTitle("Backprop Playground — dataset painter")
    layout = QtWidgets.QVBoxLayout(panel)
    layout.setContentsMargins(0, 0, 0, 0)
    painter = DatasetPainter()
    boundary = BoundaryView()
    layout.addWidget(painter)
    layout.addWidget(boundary, 1)
    painter.attach(boundary)
    controller.sigSnapshot.connect(painter.show_snapshot)
    controller.sigSnapshot.connect(boundary.show_snapshot)
    painter.sigDatasetEdited.connect(controller.set_dataset)
    panel.resize(760, 640)
    try:
        if not screenshot_wanted(argv):
            controller.play()
            return finish(app, panel, argv)
        panel.show()
        paint(app, controller, painter, panel)
        for _ in range(EPOCHS):
            controller.step_epoch()
        wait_until(app, lambda: controller.latest_snapshot.epoch >= EPOCHS, 120.0)
        painter.set_tool(BRUSH)
        QTest.mouseMove(boundary.viewport(), painter.view_position(3.5, 3.0))  # the brush circle
        app.processEvents()
        print(f"painted {painter.dataset.n} points, {painter.document.stack.count()} undo steps, "
              f"train accuracy {controller.latest_snapshot.train_accuracy:.3f}")
        return finish(app, panel, argv, indexed=True)
    finally:
        controller.shutdown()


def paint(app, controller, painter: DatasetPainter, panel: QtWidgets.QWidget) -> None:
    """Paint three classes on an empty canvas with synthetic mouse events, then erase a spot."""
    wait_until(app, lambda: controller.latest_snapshot is not None)
    painter.set_painting(True)
    painter.clear_points()                                   # start from an empty canvas
    wait_until(app, lambda: controller.latest_snapshot.data.X_train.size == 0)
    viewport, left = painter.boundary.viewport(), QtCore.Qt.MouseButton.LeftButton
    painter.set_tool(BRUSH)
    painter.radius.setValue(0.9)
    painter.density.setValue(9)
    for label, path in STROKES.items():
        QTest.keyClick(panel, QtCore.Qt.Key(QtCore.Qt.Key.Key_1 + label))   # shortcuts 1-6
        painter.set_current_class(label)                      # (offscreen windows may lack focus)
        QTest.mousePress(viewport, left, pos=painter.view_position(*path[0]))
        for x, y in path[1:]:
            QTest.mouseMove(viewport, painter.view_position(x, y))
        QTest.mouseRelease(viewport, left, pos=painter.view_position(*path[-1]))
    painter.set_tool(POINT)
    for label, (x, y) in POINTS:
        painter.set_current_class(label)
        QTest.mouseClick(viewport, left, pos=painter.view_position(x, y))
    painter.set_tool(ERASE)
    painter.radius.setValue(0.7)
    QTest.mouseClick(viewport, left, pos=painter.view_position(-3.5, -1.5))
    wait_until(app, lambda: dataset_from_view(controller.latest_snapshot.data) == painter.dataset)
