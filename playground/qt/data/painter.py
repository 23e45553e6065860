"""The dataset painter: draw, spray and erase points on the decision-boundary view.

A tool bar (objectName "datasetEditor") plus a paint mode on a :class:`BoundaryView`. While
painting, the view shows every point of the dataset being edited (train and test) in its own
scatter items, updated at once; the dataset itself is only ever changed by the pure edits of
``playground.data.edits`` through an undo stack (:mod:`playground.qt.data.undo`), so Ctrl+Z /
Ctrl+Shift+Z are exact and one brush stroke is one undo step.

Each finished change (a click, a stroke at mouse release, undo, redo, clear) goes out on
``sigDatasetEdited(Dataset, edit)`` with the next edit number; the window forwards both to
``controller.set_dataset`` and the worker re-splits by the ratio and carries on training. The
snapshots of that data carry the edit number back (``data.edit``), so our own echo is known by
its number. Data arriving from the worker without one (a new generator, a loaded file) replaces
the canvas and clears the undo history.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from playground.config import REGRESSION
from playground.data import (
    MAX_CLASSES, REGRESSION_RANGE, Append, Batch, Clear, Dataset, Delete, SetClassCount,
    indices_near,
)
from playground.limits import MAX_POINTS
from playground.qt import theme
from playground.qt.data.undo import DatasetDocument
from playground.snapshot import DataView, Snapshot

POINT, BRUSH, ERASE = "point", "brush", "erase"
TOOLS = {POINT: ("Point", "Click to put one point"),
         BRUSH: ("Brush", "Drag to spray points within the radius"),
         ERASE: ("Erase", "Click or drag to remove the points within the radius")}
DEFAULT_RADIUS = 0.6
DEFAULT_DENSITY = 6          # points per spray
POINT_SIZE = 7               # as the boundary view's points
OVERLAY_Z = 5


def dataset_from_view(data: DataView) -> Dataset:
    """The full dataset, in its original order, from a snapshot's train/test split."""
    n = len(data.train_indices) + len(data.test_indices)
    X = np.empty((n, 2))
    y = np.empty(n, dtype=np.float64 if data.kind == REGRESSION else np.int64)
    X[data.train_indices], y[data.train_indices] = data.X_train, data.y_train
    X[data.test_indices], y[data.test_indices] = data.X_test, data.y_test
    return Dataset(X, y, data.kind, data.n_classes)


def spray(rng: np.random.Generator, centre, radius: float, count: int) -> np.ndarray:
    """``count`` points uniform over the disc of ``radius`` around ``centre``."""
    angle = rng.uniform(0.0, 2.0 * np.pi, count)
    distance = radius * np.sqrt(rng.uniform(0.0, 1.0, count))
    return np.asarray(centre, dtype=np.float64) + np.column_stack(
        [distance * np.cos(angle), distance * np.sin(angle)])


def class_icon(index: int, size: int = 14) -> QtGui.QIcon:
    pixmap = QtGui.QPixmap(size, size)
    pixmap.fill(QtCore.Qt.GlobalColor.transparent)
    painter = QtGui.QPainter(pixmap)
    painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
    painter.setPen(QtGui.QPen(QtGui.QColor("#ffffff"), 1.0))
    painter.setBrush(theme.class_color(index))
    painter.drawEllipse(QtCore.QRectF(1.0, 1.0, size - 2.0, size - 2.0))
    painter.end()
    return QtGui.QIcon(pixmap)


class PaintOverlay:
    """What the painter draws on the boundary plot: the edited points and the brush circle.

    One scatter item per class (a single brush each, so thousands of points stay cheap) and one
    for regression values (brushes cached per palette entry).
    """

    def __init__(self, plot: pg.PlotItem) -> None:
        self.plot = plot
        white = pg.mkPen(255, 255, 255, width=1)
        self.classes = []
        for k in range(MAX_CLASSES):
            item = pg.ScatterPlotItem(size=POINT_SIZE, pxMode=True, symbol="o", pen=white,
                                      brush=pg.mkBrush(theme.class_color(k)))
            self.classes.append(item)
        self._shown = [np.empty((0, 2))] * MAX_CLASSES     # positions each item shows
        self.values = pg.ScatterPlotItem(size=POINT_SIZE, pxMode=True, symbol="o", pen=white)
        self._value_brushes = [pg.mkBrush(int(r), int(g), int(b))
                               for r, g, b in theme.diverging_lut()]
        self.cursor = QtWidgets.QGraphicsEllipseItem()
        cursor_pen = QtGui.QPen(QtGui.QColor(40, 40, 40, 200), 1.5)
        cursor_pen.setCosmetic(True)
        cursor_pen.setStyle(QtCore.Qt.PenStyle.DashLine)
        self.cursor.setPen(cursor_pen)
        self.cursor.hide()
        for item in [*self.classes, self.values, self.cursor]:
            item.setZValue(OVERLAY_Z)
            plot.addItem(item, ignoreBounds=True)
        self.set_visible(False)

    @property
    def items(self) -> list:
        return [*self.classes, self.values]

    def set_visible(self, visible: bool) -> None:
        for item in self.items:
            item.setVisible(visible)
        if not visible:
            self.cursor.hide()

    def show_dataset(self, dataset: Dataset) -> None:
        if dataset.kind == REGRESSION:
            self._shown = [np.empty((0, 2))] * len(self.classes)
            for item in self.classes:
                item.setData([], [])
            indices = theme.lut_indices(dataset.y, *REGRESSION_RANGE)
            self.values.setData(pos=dataset.X, brush=[self._value_brushes[i] for i in indices])
            return
        self.values.setData([], [])
        for k, item in enumerate(self.classes):
            points = dataset.X[dataset.y == k]
            # a stroke changes one class: re-setting the others would cost more than comparing
            if not np.array_equal(points, self._shown[k]):
                self._shown[k] = points
                item.setData(pos=points)

    def show_cursor(self, centre: QtCore.QPointF, radius: float) -> None:
        self.cursor.setRect(QtCore.QRectF(centre.x() - radius, centre.y() - radius,
                                          2 * radius, 2 * radius))
        self.cursor.show()

    def point_count(self) -> int:
        return sum(len(item.data) for item in self.items)


class DatasetPainter(QtWidgets.QToolBar):
    """Paint tools for the dataset, shown as a tool bar; paints on an attached BoundaryView.

    ``attach(boundary_view)`` once, then feed ``show_snapshot`` (or ``set_dataset``); connect
    ``sigDatasetEdited`` to the controller's ``set_dataset``.
    """

    sigDatasetEdited = QtCore.Signal(object, int)      # (dataset, edit number)

    def __init__(self, dataset: Dataset | None = None,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__("Dataset painter", parent)
        self.setObjectName("datasetEditor")
        self.setAccessibleName("Dataset painter")
        self.document = DatasetDocument(dataset or Dataset.empty(), self)
        self.document.sigChanged.connect(self._document_changed)
        self.rng = np.random.default_rng()
        self.boundary = None
        self.overlay: PaintOverlay | None = None
        self.current_class = 0
        self._stroke = 0
        self._stroking = False
        self._stroke_changed = False
        self._adopting = False
        self._cursor_at = QtCore.QPointF()
        self._last_spray: np.ndarray | None = None
        self._data_version: int | None = None
        self.edits_sent = 0           # the number of the last edit sent (see _send)
        self._build()
        self._show_kind()

    # --- building -----------------------------------------------------------------------------
    def _build(self) -> None:
        self.paint_action = self._action("Paint", "Paint on the decision boundary view "
                                         "(points appear at once; training resumes on the new "
                                         "data)", "paintButton", checkable=True)
        self.paint_action.toggled.connect(self.set_painting)
        self.addAction(self.paint_action)
        self.addSeparator()
        self.tool_group = QtGui.QActionGroup(self)
        self.tool_actions = {}
        for tool, (text, tip) in TOOLS.items():
            action = self._action(text, tip, f"{tool}ToolButton", checkable=True)
            action.setData(tool)
            self.tool_group.addAction(action)
            self.addAction(action)
            self.tool_actions[tool] = action
        self.tool_actions[POINT].setChecked(True)
        self.radius = self._spin(QtWidgets.QDoubleSpinBox(), "radiusInput", "Brush radius",
                                 "Radius of the brush and the eraser, in data units")
        self.radius.setRange(0.1, 4.0)
        self.radius.setSingleStep(0.1)
        self.radius.setValue(DEFAULT_RADIUS)
        self.radius.valueChanged.connect(lambda _: self._refresh_cursor())
        self.density = self._spin(QtWidgets.QSpinBox(), "densityInput", "Brush density",
                                  "Points the brush sprays at each step of a drag")
        self.density.setRange(1, 50)
        self.density.setValue(DEFAULT_DENSITY)
        self.addWidget(QtWidgets.QLabel(" r "))
        self.addWidget(self.radius)
        self.addWidget(QtWidgets.QLabel(" n "))
        self.addWidget(self.density)
        self.addSeparator()
        self.class_group = QtGui.QActionGroup(self)
        self.class_actions = []
        for k in range(MAX_CLASSES):
            action = QtGui.QAction(class_icon(k), str(k), self)
            action.setCheckable(True)
            action.setShortcut(QtGui.QKeySequence(str(k + 1)))
            action.setToolTip(f"Paint class {k} (key {k + 1})")
            action.triggered.connect(lambda _=False, k=k: self.set_current_class(k))
            self.class_group.addAction(action)
            self.addAction(action)
            self.class_actions.append(action)
            self.widgetForAction(action).setObjectName(f"class{k}Button")
        self.class_group.actions()[0].setChecked(True)
        self.value = self._spin(QtWidgets.QDoubleSpinBox(), "paintValueInput", "Value to paint",
                                "The target value given to painted points (regression)")
        self.value.setRange(*REGRESSION_RANGE)
        self.value.setSingleStep(0.1)
        self.value.setValue(REGRESSION_RANGE[1])
        self.value_label = QtWidgets.QLabel(" value ")
        self.value_actions = [self.addWidget(self.value_label), self.addWidget(self.value)]
        self.addSeparator()
        clear = self._action("Clear", "Remove every point: an empty canvas (undoable)",
                             "clearDataButton")
        clear.triggered.connect(self.clear_points)
        self.addAction(clear)
        stack = self.document.stack
        # own actions rather than createUndoAction's, whose text grows with the step's name
        self.undo_action = self._action("Undo", "Undo the last data edit (Ctrl+Z)",
                                        "undoPaintButton")
        self.undo_action.setShortcut(QtGui.QKeySequence("Ctrl+Z"))
        self.undo_action.triggered.connect(stack.undo)
        stack.canUndoChanged.connect(self.undo_action.setEnabled)
        stack.undoTextChanged.connect(
            lambda text: self.undo_action.setToolTip(f"Undo {text} (Ctrl+Z)"))
        self.redo_action = self._action("Redo", "Redo the data edit undone last (Ctrl+Shift+Z)",
                                        "redoPaintButton")
        self.redo_action.setShortcuts([QtGui.QKeySequence("Ctrl+Shift+Z"),
                                       QtGui.QKeySequence("Ctrl+Y")])
        self.redo_action.triggered.connect(stack.redo)
        stack.canRedoChanged.connect(self.redo_action.setEnabled)
        stack.redoTextChanged.connect(
            lambda text: self.redo_action.setToolTip(f"Redo {text} (Ctrl+Shift+Z)"))
        for action in (self.undo_action, self.redo_action):
            action.setEnabled(False)
            self.addAction(action)
        self.count_label = QtWidgets.QLabel()
        self.count_label.setObjectName("paintedPointCount")
        self.addWidget(self.count_label)

    def _action(self, text: str, tip: str, name: str, checkable: bool = False) -> QtGui.QAction:
        action = QtGui.QAction(text, self)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.setCheckable(checkable)
        action.setObjectName(name)
        # the button gets the object name once added (see showEvent)
        return action

    def _spin(self, spin, name: str, accessible: str, tip: str):
        spin.setObjectName(name)
        spin.setAccessibleName(accessible)
        spin.setToolTip(tip)
        spin.setKeyboardTracking(False)
        return spin

    def actionEvent(self, event: QtGui.QActionEvent) -> None:
        super().actionEvent(event)
        # tool buttons carry their action's object name, so tests and tools can find them
        if event.type() == QtCore.QEvent.Type.ActionAdded and event.action().objectName():
            widget = self.widgetForAction(event.action())
            if widget is not None:
                widget.setObjectName(event.action().objectName())

    # --- public API -----------------------------------------------------------------------
    @property
    def dataset(self) -> Dataset:
        return self.document.dataset

    @property
    def tool(self) -> str:
        return self.tool_group.checkedAction().data()

    def set_tool(self, tool: str) -> None:
        self.tool_actions[tool].setChecked(True)

    def set_current_class(self, index: int) -> None:
        self.current_class = int(index)
        self.class_group.actions()[self.current_class].setChecked(True)

    def attach(self, boundary_view) -> None:
        """Paint on ``boundary_view`` (a BoundaryView): overlay items and mouse handling."""
        self.boundary = boundary_view
        self.overlay = PaintOverlay(boundary_view.plot)
        self.overlay.show_dataset(self.dataset)
        boundary_view.viewport().installEventFilter(self)

    def set_painting(self, enabled: bool) -> None:
        """Paint mode on: the mouse edits the data and the view shows every point at once."""
        if self.paint_action.isChecked() != enabled:
            self.paint_action.setChecked(enabled)
            return
        if self.overlay is None:
            return
        self.overlay.set_visible(enabled)
        boundary = self.boundary
        # the view's own points follow the worker a moment later; while painting, ours rule
        boundary.train_points.setVisible(not enabled)
        boundary.test_points.setVisible(not enabled and boundary.show_test)
        boundary.viewport().setCursor(QtCore.Qt.CursorShape.CrossCursor if enabled
                                      else QtCore.Qt.CursorShape.ArrowCursor)

    @property
    def painting(self) -> bool:
        return self.paint_action.isChecked()

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Follow the worker's dataset when it changed for another reason than our edits."""
        data = snapshot.data
        if data.version == self._data_version:
            return
        self._data_version = data.version
        if data.edit is not None:
            return          # our own edit came back (possibly with newer ones on the way)
        dataset = dataset_from_view(data)
        if dataset != self.dataset:
            self.set_dataset(dataset)

    def set_dataset(self, dataset: Dataset) -> None:
        """Start painting from ``dataset`` (undo history cleared)."""
        self._adopting = True         # the worker has it already: do not send it back
        try:
            self.document.reset(dataset)
        finally:
            self._adopting = False

    def clear_points(self) -> None:
        if self.dataset.n:
            self._edit(Clear(), "Clear points")

    def data_point(self, position: QtCore.QPoint) -> QtCore.QPointF | None:
        """Data coordinates of a boundary-view viewport position (None outside the plot)."""
        scene = self.boundary.mapToScene(position)
        box = self.boundary.plot.getViewBox()
        if not box.sceneBoundingRect().contains(scene):
            return None
        return box.mapSceneToView(scene)

    def view_position(self, x: float, y: float) -> QtCore.QPoint:
        """The viewport position of data point (x, y) (for tests and demos)."""
        box = self.boundary.plot.getViewBox()
        return self.boundary.mapFromScene(box.mapViewToScene(QtCore.QPointF(x, y)))

    # --- edits --------------------------------------------------------------------------------
    def _edit(self, edit, text: str, stroke: int | None = None) -> bool:
        return self.document.apply(edit, text, stroke)

    def _label(self) -> float | int:
        if self.dataset.kind == REGRESSION:
            return float(self.value.value())
        return self.current_class

    def _add_points(self, points: np.ndarray, text: str, stroke: int | None) -> None:
        # a dataset holds at most MAX_POINTS: more could not be saved and reopened
        points = points[:max(0, MAX_POINTS - self.dataset.n)]
        if not len(points):
            return
        labels = np.full(len(points), self._label(),
                         dtype=np.float64 if self.dataset.kind == REGRESSION else np.int64)
        edit = Append(points, labels)
        dataset = self.dataset
        if dataset.kind != REGRESSION and self.current_class >= dataset.n_classes:
            edit = Batch((SetClassCount(self.current_class + 1), edit))
        if self._edit(edit, text, stroke):
            self._stroke_changed = True

    def _erase(self, centre: QtCore.QPointF, stroke: int | None) -> None:
        hit = indices_near(self.dataset, (centre.x(), centre.y()), self.radius.value())
        if len(hit) and self._edit(Delete(hit), "Erase points", stroke):
            self._stroke_changed = True

    def _document_changed(self, dataset: Dataset) -> None:
        if self.overlay is not None:
            self.overlay.show_dataset(dataset)
        self._show_kind()
        if not self._stroking and not self._adopting:
            self._send(dataset)

    def _send(self, dataset: Dataset) -> None:
        self.edits_sent += 1
        self.sigDatasetEdited.emit(dataset, self.edits_sent)

    def _show_kind(self) -> None:
        dataset = self.dataset
        regression = dataset.kind == REGRESSION
        for action in self.class_actions:
            action.setVisible(not regression)
        for action in self.value_actions:
            action.setVisible(regression)
        full = " (the most a dataset may hold)" if dataset.n >= MAX_POINTS else ""
        self.count_label.setText(f" {dataset.n} points{full}")

    # --- mouse on the boundary view -----------------------------------------------------------
    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if not self.painting or self.boundary is None:
            return False
        kind = event.type()
        Type = QtCore.QEvent.Type
        if kind == Type.MouseButtonPress and event.button() == QtCore.Qt.MouseButton.LeftButton:
            point = self.data_point(event.position().toPoint())
            if point is None:
                return False
            self._begin_stroke(point)
            return True
        if kind == Type.MouseMove:
            point = self.data_point(event.position().toPoint())
            if point is not None:
                self._show_cursor(point)
                if self._stroking:
                    self._continue_stroke(point)
            return self._stroking
        if kind == Type.MouseButtonRelease and self._stroking:
            self._end_stroke()
            return True
        if kind == Type.Leave:
            self.overlay.cursor.hide()
        return False

    def _begin_stroke(self, point: QtCore.QPointF) -> None:
        self._stroke += 1
        self._stroking = True
        self._stroke_changed = False
        tool = self.tool
        if tool == POINT:
            self._add_points(np.array([[point.x(), point.y()]]), "Add point", self._stroke)
        elif tool == BRUSH:
            self._spray(point)
        else:
            self._erase(point, self._stroke)

    def _continue_stroke(self, point: QtCore.QPointF) -> None:
        tool = self.tool
        if tool == BRUSH:
            # spray again after moving half a radius, so a slow drag does not pile points up
            moved = np.hypot(point.x() - self._last_spray[0], point.y() - self._last_spray[1])
            if moved >= 0.5 * self.radius.value():
                self._spray(point)
        elif tool == ERASE:
            self._erase(point, self._stroke)

    def _spray(self, point: QtCore.QPointF) -> None:
        centre = np.array([point.x(), point.y()])
        self._last_spray = centre
        self._add_points(spray(self.rng, centre, self.radius.value(), self.density.value()),
                         "Brush stroke", self._stroke)

    def _end_stroke(self) -> None:
        self._stroking = False
        if self._stroke_changed:
            self._send(self.dataset)

    def _show_cursor(self, point: QtCore.QPointF) -> None:
        self._cursor_at = point
        if self.tool == POINT:
            self.overlay.cursor.hide()
        else:
            self.overlay.show_cursor(point, self.radius.value())

    def _refresh_cursor(self) -> None:
        if self.overlay is not None and self.overlay.cursor.isVisible():
            self._show_cursor(self._cursor_at)


def _demo(argv: list[str]) -> int:
    """Paint data and train on it: ``[--screenshot PATH]``.

    With --screenshot, paints three classes on an empty canvas with the mouse (synthetic
    events through the real tools), trains, saves the panel and exits.
    """
    import time

    from PySide6.QtTest import QTest

    from playground.config import DataSpec, Hyperparameters, NetworkSpec, PlaygroundConfig
    from playground.qt.plots.boundary_view import BoundaryView
    from playground.qt.worker import TrainingController

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(argv)
    theme.configure_pyqtgraph()
    config = PlaygroundConfig(data=DataSpec(generator="blobs", classes=3, n_samples=150),
                              network=NetworkSpec(hidden_layers=(8, 6),
                                                  activations=("tanh", "tanh")),
                              hyper=Hyperparameters(learning_rate=0.03, optimizer="adam"))
    controller = TrainingController(config)
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
    panel.show()
    if "--screenshot" not in argv:
        controller.play()
        return app.exec()

    def wait(condition, seconds=60.0):
        deadline = time.monotonic() + seconds
        while not condition() and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.005)

    wait(lambda: controller.latest_snapshot is not None)
    painter.set_painting(True)
    painter.clear_points()                                   # start from an empty canvas
    wait(lambda: controller.latest_snapshot.data.X_train.size == 0)
    viewport, left = boundary.viewport(), QtCore.Qt.MouseButton.LeftButton
    painter.set_tool(BRUSH)
    painter.radius.setValue(0.9)
    painter.density.setValue(9)
    strokes = {0: [(-4.5, -3.0), (-3.5, -1.5), (-2.5, -3.5), (-3.0, -2.0), (-4.0, -4.0),
                   (-1.5, -2.5)],
               1: [(4.0, -3.5), (3.0, -2.0), (4.5, -1.0), (2.5, -3.0), (3.5, -4.5), (1.5, -2.0)],
               2: [(-2.0, 3.5), (0.0, 4.5), (2.0, 3.5), (0.0, 2.5), (-1.0, 1.5), (1.0, 1.5)]}
    for label, path in strokes.items():
        QTest.keyClick(panel, QtCore.Qt.Key(QtCore.Qt.Key.Key_1 + label))   # shortcuts 1-6
        painter.set_current_class(label)                      # (offscreen windows may lack focus)
        QTest.mousePress(viewport, left, pos=painter.view_position(*path[0]))
        for x, y in path[1:]:
            QTest.mouseMove(viewport, painter.view_position(x, y))
        QTest.mouseRelease(viewport, left, pos=painter.view_position(*path[-1]))
    painter.set_tool(POINT)
    for label, (x, y) in ((2, (0.5, 0.5)), (0, (-1.0, -0.5)), (1, (1.5, -0.5))):
        painter.set_current_class(label)
        QTest.mouseClick(viewport, left, pos=painter.view_position(x, y))
    painter.set_tool(ERASE)
    painter.radius.setValue(0.7)
    QTest.mouseClick(viewport, left, pos=painter.view_position(-3.5, -1.5))
    wait(lambda: dataset_from_view(controller.latest_snapshot.data) == painter.dataset)
    for _ in range(300):
        controller.step_epoch()
    wait(lambda: controller.latest_snapshot.epoch >= 300, 120.0)
    painter.set_tool(BRUSH)
    QTest.mouseMove(viewport, painter.view_position(3.5, 3.0))     # show the brush circle
    app.processEvents()
    print(f"painted {painter.dataset.n} points, {painter.document.stack.count()} undo steps, "
          f"train accuracy {controller.latest_snapshot.train_accuracy:.3f}")
    theme.save_indexed_png(panel.grab().toImage(), argv[argv.index("--screenshot") + 1])
    controller.shutdown()
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(_demo(sys.argv))
