"""The dataset painter on a real BoundaryView, driven by the mouse; undo/redo checked exactly.

The last tests wire the painter to a real TrainingController (the worker re-splits and trains on
the painted data) and check the MainWindow's own painter and editor. Figures are printed, never
asserted.
"""
import time

import numpy as np
import pytest
from PySide6 import QtCore, QtWidgets

from playground.config import DataSpec, PlaygroundConfig
from playground.data import Dataset, indices_near, make_dataset
from playground.qt.data.paint_tools import BRUSH, ERASE, POINT
from playground.qt.data.painter import DatasetPainter, dataset_from_view
from playground.qt.plots.boundary_view import BoundaryView
from playground.qt.worker import TrainingController

WAIT_MS = 15_000
# the offscreen platform plugin's notices when a top-level window (or tooltip) shows; harmless
pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise)\(\)")
LEFT = QtCore.Qt.MouseButton.LeftButton


@pytest.fixture
def canvas(qtbot):
    """A painter attached to a shown boundary view with the data plane -6..6 in view."""
    box = QtWidgets.QWidget()
    layout = QtWidgets.QVBoxLayout(box)
    painter = DatasetPainter()
    boundary = BoundaryView()
    layout.addWidget(painter)
    layout.addWidget(boundary)
    qtbot.addWidget(box)
    box.resize(640, 560)
    box.show()
    qtbot.waitExposed(box)
    boundary.plot.setRange(xRange=(-6, 6), yRange=(-6, 6), padding=0)
    painter.attach(boundary)
    painter.set_painting(True)
    sent = []
    painter.sigDatasetEdited.connect(lambda dataset, _edit: sent.append(dataset))
    painter.sent = sent
    painter.test_box = box            # qtbot holds widgets weakly
    QtWidgets.QApplication.processEvents()
    return painter


def click(qtbot, painter, x, y):
    qtbot.mouseClick(painter.boundary.viewport(), LEFT, pos=painter.view_position(x, y))


def drag(qtbot, painter, points):
    viewport = painter.boundary.viewport()
    positions = [painter.view_position(x, y) for x, y in points]
    qtbot.mousePress(viewport, LEFT, pos=positions[0])
    for position in positions[1:]:
        qtbot.mouseMove(viewport, position)
    qtbot.mouseRelease(viewport, LEFT, pos=positions[-1])


def same(a: Dataset, b: Dataset) -> bool:
    return (a.kind == b.kind and a.n_classes == b.n_classes and a.y.dtype == b.y.dtype
            and np.array_equal(a.X, b.X) and np.array_equal(a.y, b.y))


def test_n_clicks_add_n_points_of_the_current_class(qtbot, canvas):
    painter = canvas
    painter.set_dataset(make_dataset("circle", n=60, seed=3))
    start = painter.dataset
    painter.set_current_class(2)                 # a third class appears with its first point
    clicks = [(-4.0, -4.0), (-2.0, 3.0), (0.5, 0.5), (3.0, -1.0), (4.5, 4.5)]
    for x, y in clicks:
        click(qtbot, painter, x, y)
    data = painter.dataset
    assert data.n == start.n + len(clicks)
    assert data.n_classes == 3
    assert np.all(data.y[start.n:] == 2)
    assert np.array_equal(data.X[:start.n], start.X)
    # where we clicked, to within a pixel or two of the plane
    assert np.allclose(data.X[start.n:], clicks, atol=0.1)
    assert painter.document.stack.count() == len(clicks)        # one undo step per click
    assert len(painter.sent) == len(clicks) and same(painter.sent[-1], data)
    assert painter.overlay.point_count() == data.n


def test_brush_stroke_is_one_undo_step_and_undo_redo_are_exact(qtbot, canvas):
    painter = canvas
    painter.set_dataset(make_dataset("xor", n=80, seed=1))
    before = painter.dataset
    painter.set_tool(BRUSH)
    painter.set_current_class(1)
    painter.density.setValue(5)
    drag(qtbot, painter, [(-3.0, -3.0), (-2.0, -2.0), (-1.0, -1.0), (0.0, 0.0), (1.0, 1.0)])
    after = painter.dataset
    assert after.n >= before.n + 5 * 3            # sprayed at the press and on the way
    assert np.all(after.y[before.n:] == 1)
    centres = np.array([[-3.0, -3.0], [1.0, 1.0]])
    distance = np.min(np.linalg.norm(after.X[before.n:, None, :] - centres[None], axis=2), axis=1)
    assert np.all(np.abs(after.X[before.n:]).max(axis=1) <= 3.0 + painter.radius.value() + 0.1)
    assert distance.min() <= painter.radius.value() + 0.1
    assert painter.document.stack.count() == 1
    assert len(painter.sent) == 1 and same(painter.sent[0], after)      # sent once, at release
    painter.undo_action.trigger()
    assert same(painter.dataset, before)
    painter.redo_action.trigger()
    assert same(painter.dataset, after)


def test_erase_removes_exactly_the_points_under_the_brush(qtbot, canvas):
    painter = canvas
    painter.set_dataset(make_dataset("gauss", n=300, noise=0.3, seed=2))
    before = painter.dataset
    painter.set_tool(ERASE)
    painter.radius.setValue(1.5)
    position = painter.view_position(2.0, 2.0)
    centre = painter.data_point(position)             # the point the click really maps to
    expected_hit = indices_near(before, (centre.x(), centre.y()), 1.5)
    assert len(expected_hit) > 5
    qtbot.mouseClick(painter.boundary.viewport(), LEFT, pos=position)
    after = painter.dataset
    kept = np.setdiff1d(np.arange(before.n), expected_hit)
    assert np.array_equal(after.X, before.X[kept]) and np.array_equal(after.y, before.y[kept])
    painter.undo_action.trigger()
    assert same(painter.dataset, before)


def test_erase_drag_is_one_step(qtbot, canvas):
    painter = canvas
    painter.set_dataset(make_dataset("spiral", n=400, seed=0))
    before = painter.dataset
    painter.set_tool(ERASE)
    drag(qtbot, painter, [(-4.0, 0.0), (-2.0, 0.0), (0.0, 0.0), (2.0, 0.0), (4.0, 0.0)])
    assert painter.dataset.n < before.n
    assert painter.document.stack.count() == 1
    painter.undo_action.trigger()
    assert same(painter.dataset, before)


def test_random_paint_session_undoes_and_redoes_exactly(qtbot, canvas):
    painter = canvas
    rng = np.random.default_rng(7)
    painter.set_dataset(make_dataset("circle", n=50, seed=5))
    history = [painter.dataset]
    for step in range(30):
        action = rng.choice(["click", "brush", "erase", "class", "clear"],
                            p=[.35, .25, .25, .1, .05])
        x, y = rng.uniform(-5, 5, 2)
        if action == "class":
            painter.set_current_class(int(rng.integers(0, 6)))
            continue
        if action == "clear":
            painter.clear_points()
        elif action == "click":
            painter.set_tool(POINT)
            click(qtbot, painter, x, y)
        else:
            painter.set_tool(BRUSH if action == "brush" else ERASE)
            drag(qtbot, painter, [(x, y), (x + 1.0, y), (x + 1.0, y + 1.0)])
        if not same(painter.dataset, history[-1]):
            history.append(painter.dataset)
    assert painter.document.stack.count() == len(history) - 1
    for expected in reversed(history[:-1]):
        painter.undo_action.trigger()
        assert same(painter.dataset, expected)
    for expected in history[1:]:
        painter.redo_action.trigger()
        assert same(painter.dataset, expected)


def test_shortcuts_choose_the_class_and_undo_redo(qtbot, canvas):
    painter = canvas
    window = painter.window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    painter.set_dataset(Dataset.empty())
    qtbot.keyClick(window, QtCore.Qt.Key.Key_4)
    assert painter.current_class == 3
    click(qtbot, painter, 1.0, 1.0)
    click(qtbot, painter, 2.0, 1.0)
    assert painter.dataset.n == 2 and list(painter.dataset.y) == [3, 3]
    qtbot.keyClick(window, QtCore.Qt.Key.Key_Z, QtCore.Qt.KeyboardModifier.ControlModifier)
    assert painter.dataset.n == 1
    qtbot.keyClick(window, QtCore.Qt.Key.Key_Z, QtCore.Qt.KeyboardModifier.ControlModifier
                   | QtCore.Qt.KeyboardModifier.ShiftModifier)
    assert painter.dataset.n == 2
    qtbot.keyClick(window, QtCore.Qt.Key.Key_1)
    assert painter.current_class == 0


def test_regression_paints_the_chosen_value(qtbot, canvas):
    painter = canvas
    painter.set_dataset(make_dataset("plane", n=40, seed=0))
    assert painter.dataset.kind == "regression"
    assert painter.value_actions[1].isVisible() and not painter.class_actions[0].isVisible()
    painter.value.setValue(-0.4)
    n = painter.dataset.n
    click(qtbot, painter, 0.0, 0.0)
    assert painter.dataset.n == n + 1 and painter.dataset.y[-1] == -0.4


def test_clicks_outside_the_plot_and_without_paint_mode_do_nothing(qtbot, canvas):
    painter = canvas
    painter.set_dataset(Dataset.empty())
    qtbot.mouseClick(painter.boundary.viewport(), LEFT, pos=QtCore.QPoint(2, 2))
    painter.set_painting(False)
    click(qtbot, painter, 0.0, 0.0)
    assert painter.dataset.n == 0 and painter.document.stack.count() == 0


def test_thousands_of_points_stay_cheap_to_draw(qtbot, canvas):
    painter = canvas
    rng = np.random.default_rng(0)
    X = rng.uniform(-6, 6, (5000, 2))
    painter.set_dataset(Dataset(X, rng.integers(0, 3, 5000), "classification", 3))
    painter.set_tool(BRUSH)
    painter.density.setValue(10)
    times = []
    viewport = painter.boundary.viewport()
    qtbot.mousePress(viewport, LEFT, pos=painter.view_position(-5.0, 0.0))
    for x in np.linspace(-5.0, 5.0, 40):
        start = time.perf_counter()
        qtbot.mouseMove(viewport, painter.view_position(x, 0.5 * x))
        viewport.repaint()
        times.append(time.perf_counter() - start)
    qtbot.mouseRelease(viewport, LEFT, pos=painter.view_position(5.0, 2.5))
    assert painter.dataset.n > 5000 + 10 * 20
    assert painter.overlay.point_count() == painter.dataset.n
    print(f"\nbrush over {painter.dataset.n} points: {1e3 * np.median(times):.1f} ms per mouse "
          f"move incl. repaint (max {1e3 * max(times):.1f} ms)")


# --- with the worker ---------------------------------------------------------------------------
@pytest.fixture
def painter_and_worker(qtbot, canvas):
    """The canvas wired both ways to a worker training 120 circle points (loaded on return)."""
    controller = TrainingController(
        PlaygroundConfig(data=DataSpec(generator="circle", n_samples=120, seed=4)))
    controller.sigSnapshot.connect(canvas.show_snapshot)
    canvas.sigDatasetEdited.connect(controller.set_dataset)
    try:
        qtbot.waitUntil(lambda: canvas.dataset.n == 120, timeout=WAIT_MS)
        yield canvas, controller
    finally:
        controller.shutdown()


def test_painted_data_reaches_the_worker_and_outside_changes_reset_the_canvas(
        qtbot, painter_and_worker):
    painter, controller = painter_and_worker
    generated = painter.dataset
    assert painter.document.stack.count() == 0 and painter.sent == []
    painter.set_current_class(2)
    for x in (-1.0, 0.0, 1.0):
        click(qtbot, painter, x, 4.0)
    qtbot.waitUntil(lambda: controller.latest_snapshot.data.n_classes == 3
                    and len(controller.latest_snapshot.data.train_indices)
                    + len(controller.latest_snapshot.data.test_indices) == 123,
                    timeout=WAIT_MS)
    qtbot.waitUntil(lambda: same(dataset_from_view(controller.latest_snapshot.data),
                                 painter.dataset), timeout=WAIT_MS)
    snapshot = controller.latest_snapshot
    assert snapshot.structure.layer_sizes[-1] == 3           # softmax over three classes
    assert painter.document.stack.count() == 3              # our echoes changed nothing
    controller.step_epoch()                                  # it trains on the painted data
    qtbot.waitUntil(lambda: controller.latest_snapshot.epoch == 1, timeout=WAIT_MS)
    painter.undo_action.trigger()
    painter.undo_action.trigger()
    painter.undo_action.trigger()
    qtbot.waitUntil(lambda: same(dataset_from_view(controller.latest_snapshot.data),
                                 generated), timeout=WAIT_MS)
    controller.set_data_spec(DataSpec(generator="spiral", n_samples=90, seed=0))
    qtbot.waitUntil(lambda: painter.dataset.n == 90, timeout=WAIT_MS)
    assert painter.document.stack.count() == 0               # a new canvas


def test_the_painters_own_edits_come_back_by_number_and_are_never_rebuilt(
        qtbot, painter_and_worker, monkeypatch):
    from playground.qt.data import painter as dataset_painter

    painter, controller = painter_and_worker
    rebuilt = []
    rebuild = dataset_painter.dataset_from_view
    monkeypatch.setattr(dataset_painter, "dataset_from_view",
                        lambda data: rebuilt.append(data.version) or rebuild(data))
    sent = []
    painter.sigDatasetEdited.connect(lambda dataset, edit: sent.append(edit))
    for x in (-1.0, 0.0, 1.0):
        click(qtbot, painter, x, 4.0)
    assert sent == [1, 2, 3] and painter.edits_sent == 3
    qtbot.waitUntil(lambda: controller.latest_snapshot.data.edit == 3, timeout=WAIT_MS)
    assert rebuilt == []                           # known by number: no arrays rebuilt
    assert same(dataset_from_view(controller.latest_snapshot.data), painter.dataset)
    assert painter.document.stack.count() == 3     # and the undo history is untouched
    controller.set_data_spec(DataSpec(generator="spiral", n_samples=90, seed=0))
    qtbot.waitUntil(lambda: painter.dataset.n == 90, timeout=WAIT_MS)
    assert rebuilt == [controller.latest_snapshot.data.version]     # an outside change
    assert painter.document.stack.count() == 0


def test_a_brush_stroke_keeps_the_trained_weights(qtbot, painter_and_worker):
    painter, controller = painter_and_worker
    for _ in range(3):
        controller.step_epoch()
    qtbot.waitUntil(lambda: controller.latest_snapshot.epoch == 3, timeout=WAIT_MS)
    trained = controller.latest_snapshot
    painter.set_tool(BRUSH)
    painter.set_current_class(1)
    drag(qtbot, painter, [(-3.0, 3.0), (-2.0, 3.0), (-1.0, 3.0)])
    qtbot.waitUntil(lambda: controller.latest_snapshot.data.version > trained.data.version,
                    timeout=WAIT_MS)
    painted = controller.latest_snapshot
    assert len(painted.data.train_indices) + len(painted.data.test_indices) > 120
    for w, w0 in zip(painted.weights + painted.biases, trained.weights + trained.biases):
        np.testing.assert_array_equal(w, w0)
    assert painted.epoch == 3 and painted.structure.version == trained.structure.version
    controller.step_epoch()                        # training carries on from there
    qtbot.waitUntil(lambda: controller.latest_snapshot.epoch == 4, timeout=WAIT_MS)


def test_the_main_window_wires_its_network_editor_and_painter(qtbot, tmp_path):
    from playground.qt.shell.main_window import MainWindow

    settings = QtCore.QSettings(str(tmp_path / "settings.ini"), QtCore.QSettings.Format.IniFormat)
    window = MainWindow(settings=settings)
    qtbot.addWidget(window)
    editor, painter = window.network_editor, window.dataset_painter
    window.show()
    qtbot.waitExposed(window)
    assert window.findChild(QtWidgets.QWidget, "networkEditor") is editor
    assert window.findChild(QtWidgets.QToolBar, "datasetEditor") is painter
    # the editor fills the centre (the colour legend under it); the painter's row tops the
    # Output dock, over the view it paints on
    assert window.centralWidget().isAncestorOf(editor) and editor in window.views
    output = window.docks["outputDock"]
    assert output.isAncestorOf(painter) and output.isAncestorOf(window.boundary_view)
    assert painter.mapTo(output, QtCore.QPoint(0, 0)).y() \
        < window.boundary_view.mapTo(output, QtCore.QPoint(0, 0)).y()
    controller = window.controller
    editor.add_layer_button.click()
    qtbot.waitUntil(lambda: window.rendered_snapshot is not None
                    and len(window.rendered_snapshot.structure.layer_sizes) == 5, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: len(editor.view.columns) == 5, timeout=WAIT_MS)
    painter.set_painting(True)
    n = painter.dataset.n
    window.boundary_view.plot.setRange(xRange=(-6, 6), yRange=(-6, 6), padding=0)
    QtWidgets.QApplication.processEvents()
    click(qtbot, painter, 0.0, 0.0)
    qtbot.waitUntil(lambda: len(controller.latest_snapshot.data.train_indices)
                    + len(controller.latest_snapshot.data.test_indices) == n + 1, timeout=WAIT_MS)
    # hovering a neuron shows its map in the boundary view
    editor.sigNeuronHovered.emit(0, 1)
    assert window.boundary_view.neuron_map == (0, 1)
    editor.sigNeuronHovered.emit(-1, -1)                 # what leaving the neuron sends
    assert window.boundary_view.neuron_map is None
    window.close()
