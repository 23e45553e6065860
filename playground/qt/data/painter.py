"""The dataset painter: draw, spray and erase points on the decision-boundary view.

A tool bar (objectName "datasetEditor") plus a paint mode on a :class:`BoundaryView`. The
mouse on the view is handed to the current tool (:mod:`~playground.qt.data.paint_tools`: point,
brush, erase). While painting, the view shows every point of the dataset being edited (train and
test) in the painter's own overlay, updated at once; the dataset itself is only ever changed by
the pure edits of ``playground.data.edits`` through an undo stack
(:mod:`playground.qt.data.undo`), so Ctrl+Z / Ctrl+Shift+Z are exact and one brush stroke is one
undo step.

Each finished change (a click, a stroke at mouse release, undo, redo, clear) goes out on
``sigDatasetEdited(Dataset, edit)`` with the next edit number; the window forwards both to
``controller.set_dataset`` and the worker re-splits by the ratio and carries on training. The
snapshots of that data carry the edit number back (``data.edit``), so our own echo is known by
its number. Data arriving from the worker without one (a new generator, a loaded file) replaces
the canvas and clears the undo history.
"""
from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from playground.config import REGRESSION
from playground.data import (
    MAX_CLASSES, REGRESSION_RANGE, Append, Batch, Clear, Dataset, Delete, SetClassCount,
    indices_near,
)
from playground.limits import COORDINATE_LIMIT, MAX_POINTS
from playground.qt import theme
from playground.qt.data.paint_overlay import PaintOverlay
from playground.qt.data.paint_tools import POINT, PaintTool, paint_tools
from playground.qt.data.undo import DatasetDocument
from playground.snapshot import DataView, Snapshot

DEFAULT_RADIUS = 0.6
DEFAULT_DENSITY = 6          # points per spray


def dataset_from_view(data: DataView) -> Dataset:
    """The full dataset, in its original order, from a snapshot's train/test split."""
    n = len(data.train_indices) + len(data.test_indices)
    X = np.empty((n, 2))
    y = np.empty(n, dtype=np.float64 if data.kind == REGRESSION else np.int64)
    X[data.train_indices], y[data.train_indices] = data.X_train, data.y_train
    X[data.test_indices], y[data.test_indices] = data.X_test, data.y_test
    return Dataset(X, y, data.kind, data.n_classes)


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
        self.tools = paint_tools()
        self.boundary = None
        self.overlay: PaintOverlay | None = None
        self.current_class = 0
        self._stroke = 0
        self._stroking = False
        self._stroke_changed = False
        self._adopting = False
        self._cursor_at = QtCore.QPointF()
        self._data_version: int | None = None
        self.edits_sent = 0           # the number of the last edit sent (see _send)
        self._build()
        self._show_kind()

    # --- building -----------------------------------------------------------------------------
    def _build(self) -> None:
        self.paint_action = self._action("Paint", "Paint on the decision boundary view: points appear "
                                         "at once and training resumes on the new data.", "paintButton", checkable=True)
        self.paint_action.toggled.connect(self.set_painting)
        self.addAction(self.paint_action)
        self.addSeparator()
        self.tool_group = QtGui.QActionGroup(self)
        self.tool_actions = {}
        for name, tool in self.tools.items():
            action = self._action(tool.label, tool.tip, f"{name}ToolButton", checkable=True)
            action.setData(name)
            self.tool_group.addAction(action)
            self.addAction(action)
            self.tool_actions[name] = action
        self.tool_actions[POINT].setChecked(True)
        self.radius = self._spin(QtWidgets.QDoubleSpinBox(), "radiusInput", "Brush radius",
                                 "Radius of the brush and the eraser, in data units.")
        self.radius.setRange(0.1, 4.0)
        self.radius.setSingleStep(0.1)
        self.radius.setValue(DEFAULT_RADIUS)
        self.radius.valueChanged.connect(lambda _: self._refresh_cursor())
        self.density = self._spin(QtWidgets.QSpinBox(), "densityInput", "Brush density",
                                  "Points the brush sprays at each step of a drag.")
        self.density.setRange(1, 50)
        self.density.setValue(DEFAULT_DENSITY)
        # shown only beside the tools that use them: the row fits a narrow Output panel
        self.radius_actions = [self.addWidget(QtWidgets.QLabel(" r ")), self.addWidget(self.radius)]
        self.density_actions = [self.addWidget(QtWidgets.QLabel(" n ")),
                                self.addWidget(self.density)]
        self.tool_group.triggered.connect(lambda _action: self._show_tool_settings())
        self._show_tool_settings()
        self.addSeparator()
        self.class_group = QtGui.QActionGroup(self)
        self.class_actions = []
        for k in range(MAX_CLASSES):
            action = QtGui.QAction(class_icon(k), str(k), self)
            action.setCheckable(True)
            action.setShortcut(QtGui.QKeySequence(str(k + 1)))
            action.setToolTip(f"Paint class {k} (key {k + 1}).")
            action.triggered.connect(lambda _=False, k=k: self.set_current_class(k))
            self.class_group.addAction(action)
            self.addAction(action)
            self.class_actions.append(action)
            button = self.widgetForAction(action)
            button.setObjectName(f"class{k}Button")
            button.setAccessibleName(f"Paint class {k}")
        self.class_group.actions()[0].setChecked(True)
        self.value = self._spin(QtWidgets.QDoubleSpinBox(), "paintValueInput", "Value to paint",
                                "The target value given to painted points (regression).")
        self.value.setRange(*REGRESSION_RANGE)
        self.value.setSingleStep(0.1)
        self.value.setValue(REGRESSION_RANGE[1])
        self.value_label = QtWidgets.QLabel(" value ")
        self.value_actions = [self.addWidget(self.value_label), self.addWidget(self.value)]
        self.addSeparator()
        clear = self._action("Clear", "Remove every point, leaving an empty canvas (undoable).",
                             "clearDataButton")
        clear.triggered.connect(self.clear_points)
        self.addAction(clear)
        stack = self.document.stack
        # own actions rather than createUndoAction's, whose text grows with the step's name
        self.undo_action = self._action("Undo", "Undo the last data edit (Ctrl+Z).",
                                        "undoPaintButton")
        self.undo_action.setShortcut(QtGui.QKeySequence("Ctrl+Z"))
        self.undo_action.triggered.connect(stack.undo)
        stack.canUndoChanged.connect(self.undo_action.setEnabled)
        stack.undoTextChanged.connect(
            lambda text: self.undo_action.setToolTip(f"Undo {text} (Ctrl+Z)."))
        self.redo_action = self._action("Redo", "Redo the data edit undone last (Ctrl+Shift+Z).",
                                        "redoPaintButton")
        self.redo_action.setShortcuts([QtGui.QKeySequence("Ctrl+Shift+Z"),
                                       QtGui.QKeySequence("Ctrl+Y")])
        self.redo_action.triggered.connect(stack.redo)
        stack.canRedoChanged.connect(self.redo_action.setEnabled)
        stack.redoTextChanged.connect(
            lambda text: self.redo_action.setToolTip(f"Redo {text} (Ctrl+Shift+Z)."))
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
        # tool buttons carry their action's object name, so tests and tools can find them, and
        # its text as their name for screen readers
        if event.type() == QtCore.QEvent.Type.ActionAdded:
            widget = self.widgetForAction(event.action())
            if widget is not None and event.action().objectName():
                widget.setObjectName(event.action().objectName())
            if widget is not None and not widget.accessibleName():
                widget.setAccessibleName(event.action().text()
                                         or event.action().toolTip().split(" (")[0])

    # --- public API -----------------------------------------------------------------------
    @property
    def dataset(self) -> Dataset:
        return self.document.dataset

    @property
    def tool(self) -> str:
        return self.tool_group.checkedAction().data()

    def set_tool(self, tool: str) -> None:
        self.tool_actions[tool].setChecked(True)
        self._show_tool_settings()

    def _show_tool_settings(self) -> None:
        tool = self.current_tool
        for action in self.radius_actions:
            action.setVisible(tool.uses_radius)
        for action in self.density_actions:
            action.setVisible(tool.uses_density)

    @property
    def current_tool(self) -> PaintTool:
        return self.tools[self.tool]

    @property
    def brush_radius(self) -> float:
        """The radius of the brush and the eraser, in data units."""
        return self.radius.value()

    @property
    def brush_density(self) -> int:
        """How many points the brush sprays at a time."""
        return self.density.value()

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

    def add_points(self, points: np.ndarray, text: str) -> None:
        """Add points with the current class (or value) as one step of the stroke under way."""
        # a dataset holds at most MAX_POINTS, within ±COORDINATE_LIMIT (the margin of a plane
        # fitted to points at the limit reaches beyond it): more could not be saved and reopened
        points = np.clip(points[:max(0, MAX_POINTS - self.dataset.n)], -COORDINATE_LIMIT,
                         COORDINATE_LIMIT)
        if not len(points):
            return
        labels = np.full(len(points), self._label(),
                         dtype=np.float64 if self.dataset.kind == REGRESSION else np.int64)
        edit = Append(points, labels)
        dataset = self.dataset
        if dataset.kind != REGRESSION and self.current_class >= dataset.n_classes:
            edit = Batch((SetClassCount(self.current_class + 1), edit))
        if self._edit(edit, text, self._stroke):
            self._stroke_changed = True

    def erase_near(self, centre: QtCore.QPointF) -> None:
        """Remove the points within the brush radius of ``centre``, as a step of the stroke."""
        hit = indices_near(self.dataset, (centre.x(), centre.y()), self.brush_radius)
        if len(hit) and self._edit(Delete(hit), "Erase points", self._stroke):
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
        self.current_tool.press(self, point)

    def _continue_stroke(self, point: QtCore.QPointF) -> None:
        self.current_tool.drag(self, point)

    def _end_stroke(self) -> None:
        self._stroking = False
        if self._stroke_changed:
            self._send(self.dataset)

    def _show_cursor(self, point: QtCore.QPointF) -> None:
        self._cursor_at = point
        if self.current_tool.uses_radius:
            self.overlay.show_cursor(point, self.brush_radius)
        else:
            self.overlay.cursor.hide()

    def _refresh_cursor(self) -> None:
        if self.overlay is not None and self.overlay.cursor.isVisible():
            self._show_cursor(self._cursor_at)
