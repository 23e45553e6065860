"""Bringing one's own data, through the real window: File ▸ Import data…, File ▸ Open on a CSV,
files dropped onto the window, the split's round trip, errors naming line and column, points
beyond the classic plane, saving imported points, and the PyTorch export's training split."""
from __future__ import annotations

import csv
import importlib.util
import subprocess
import sys

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QLineEdit

from playground.config import DataSpec
from playground.data import make_dataset, read_csv_points, split
from playground.lessons import shipped_lessons_folder
from playground.qt import theme
from playground.qt.data.paint_tools import POINT
from playground.qt.files.prompts import DISCARD
from playground.storage import load_playground
from playground.lessons import lessons

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise)\(\)")
TIMEOUT_MS = 20_000
TORCH = importlib.util.find_spec("torch") is not None


@pytest.fixture
def window(file_window):
    return file_window


def latest(window):
    return window.controller.latest_snapshot


def wait_for_new_data(qtbot, window, version: int):
    """The first snapshot drawn after the data of ``version`` was replaced."""
    qtbot.waitUntil(lambda: latest(window).data.version > version, timeout=TIMEOUT_MS)
    window.render_pending()
    qtbot.waitUntil(lambda: window.rendered_snapshot.data.version > version, timeout=TIMEOUT_MS)
    return window.rendered_snapshot


def step_epochs(qtbot, window, count: int) -> None:
    target = latest(window).epoch + count
    while latest(window).epoch < target:
        before = latest(window).epoch
        window.controller.step_epoch()
        qtbot.waitUntil(lambda: latest(window).epoch > before, timeout=TIMEOUT_MS)


def shown_dataset_rows(snapshot):
    """(x1, x2, label) of the training and of the test points a snapshot shows, in row order."""
    data = snapshot.data
    return (np.column_stack([data.X_train, data.y_train]).tolist(),
            np.column_stack([data.X_test, data.y_test]).tolist())


def points_file(tmp_path, name="points.csv", n=60, seed=4, ratio=0.75, generator="xor",
                classes=2):
    """A CSV with a split, as a user's own file (columns in another order); returns the path,
    the dataset and its (train, test) split."""
    dataset = make_dataset(generator, n=n, seed=seed, classes=classes)
    train, test = split(dataset, ratio, seed=seed)
    path = tmp_path / name
    with open(path, "w", newline="") as handle:
        handle.write("split,x2,x1,label\n")
        training = set(train.tolist())
        for index, ((x1, x2), label) in enumerate(zip(dataset.X.tolist(), dataset.y.tolist())):
            handle.write(f"{'train' if index in training else 'test'},{x2!r},{x1!r},{label}\n")
    return path, dataset, (train, test)


def drop(widget, paths, position=None) -> bool:
    """Drag local files over ``widget`` and drop them there as a file manager would; returns
    whether the drop was accepted (what it opens, it opens once the drag has finished: the
    caller waits for that)."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    position = position or widget.rect().center()
    action = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(position, action, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return False
    dropped = QDropEvent(QPointF(position), action, mime, Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, dropped)
    return dropped.isAccepted()


# ------------------------------------------------------------------------------ import
def test_import_data_trains_on_the_files_points_and_split_and_keeps_the_network(
        qtbot, window, tmp_path):
    actions = window.file_actions
    step_epochs(qtbot, window, 2)
    before = latest(window)
    path, dataset, (train, test) = points_file(tmp_path)
    actions.prompter.open_paths.append(str(path))
    in_menu = next(action for action in actions.file_menu.actions()
                   if action.objectName() == "importDataAction")
    assert in_menu.text() == "&Import data…" and in_menu.shortcut().toString() == "Ctrl+I"
    in_menu.trigger()
    shown = wait_for_new_data(qtbot, window, before.data.version)
    assert shown.data.train_indices.tolist() == train.tolist()
    np.testing.assert_array_equal(shown.data.X_train, dataset.X[train])
    np.testing.assert_array_equal(shown.data.y_test, dataset.y[test])
    # the same kind of problem and classes: like painting, training carries on
    assert shown.structure.version == before.structure.version and shown.epoch == 2
    assert window.controller.config.data.train_ratio == pytest.approx(0.8)   # 46 of 60
    assert window.data_panel.ratio.value() == 80            # the slider follows the split
    assert window.dataset_painter.dataset == dataset        # painting goes on from the file
    assert "Imported 60 points from points.csv" in window.status.message.text()
    assert f"{len(train)} train, {len(test)} test" in window.status.message.text()
    qtbot.waitUntil(lambda: actions.document.modified, timeout=TIMEOUT_MS)
    assert actions.prompter.errors == []


def test_import_of_another_kind_rebuilds_the_network_for_it(qtbot, window, tmp_path):
    before = latest(window)
    path = tmp_path / "surface.csv"
    path.write_text("x1,x2,value\n0,0,0.5\n1,1,-1\n2,0,1\n-1,3,0\n")
    window.file_actions.prompter.open_paths.append(str(path))
    assert window.file_actions.import_data()
    shown = wait_for_new_data(qtbot, window, before.data.version)
    assert shown.data.kind == "regression" and shown.structure.version > before.structure.version
    assert shown.structure.output_activation == "linear"
    assert len(shown.data.X_train) + len(shown.data.X_test) == 4      # split by the ratio
    assert window.data_panel.problem.currentData() == "regression"


def worker_data_version(qtbot, window) -> int:
    """The data version of the worker's playground once it has run every command sent so far."""
    box = []
    window.controller.run_in_worker(lambda playground: playground.data_version, box.append)
    qtbot.waitUntil(lambda: box != [], timeout=TIMEOUT_MS)
    return box[0]


def test_a_bad_csv_names_line_and_column_and_changes_nothing(qtbot, window, tmp_path):
    actions = window.file_actions
    before = latest(window)
    config = window.controller.config
    assert not actions.document.modified
    path = tmp_path / "bad.csv"
    path.write_text("x1,x2,class,split\n0,0,1,train\n1,1,0,test\n\n2,two,1,train\n")
    for import_it in (actions.import_path, actions.open_any):
        assert not import_it(str(path))
        title, text = actions.prompter.errors[-1]
        assert title == "Cannot import" and str(path) in text
        assert "line 5, column 2 (x2): not a number: 'two'" in text
    assert "Cannot import" in window.status.message.text()
    assert worker_data_version(qtbot, window) == before.data.version
    assert latest(window).serial == before.serial            # nothing new to show
    assert window.controller.config == config
    assert not actions.document.modified and actions.document.path is None


def test_open_on_a_csv_imports_it(qtbot, window, tmp_path):
    before = latest(window)
    path, dataset, (train, _) = points_file(tmp_path, n=40)
    window.file_actions.prompter.open_paths.append(str(path))
    assert window.file_actions.open()
    shown = wait_for_new_data(qtbot, window, before.data.version)
    assert shown.data.train_indices.tolist() == train.tolist()
    assert window.file_actions.prompter.errors == []
    assert window.file_actions.document.path is None      # still the same playground


# ------------------------------------------------------------------------------ round trips
def test_the_exported_dataset_comes_back_with_its_split(qtbot, window, tmp_path):
    actions = window.file_actions
    exported = latest(window)
    path = tmp_path / "data.csv"
    assert actions.exports.export("dataset_csv", str(path))
    window.controller.set_data_spec(DataSpec(generator="circle", n_samples=80, seed=9))
    qtbot.waitUntil(lambda: latest(window).data.X_train.shape[0] == 40, timeout=TIMEOUT_MS)
    other = latest(window)
    assert actions.import_path(str(path))
    shown = wait_for_new_data(qtbot, window, other.data.version)
    assert shown_dataset_rows(shown) == shown_dataset_rows(exported)
    assert shown.data.train_indices.tolist() == exported.data.train_indices.tolist()


def test_imported_points_are_saved_and_reopen_with_their_split(qtbot, window, tmp_path):
    actions = window.file_actions
    before = latest(window)
    path, dataset, (train, test) = points_file(tmp_path, ratio=0.6, generator="blobs",
                                               classes=3)
    assert actions.import_path(str(path))
    imported = wait_for_new_data(qtbot, window, before.data.version)
    saved = tmp_path / "mine.bpp"
    actions.prompter.save_paths.append(str(saved))
    assert actions.save_as()
    on_disk = load_playground(saved)
    assert on_disk.dataset == dataset and on_disk.train_indices.tolist() == train.tolist()
    window.controller.set_data_spec(DataSpec(generator="circle", n_samples=80, seed=9))
    qtbot.waitUntil(lambda: latest(window).data.kind == "classification"
                    and latest(window).data.n_classes == 2, timeout=TIMEOUT_MS)
    actions.prompter.unsaved_answers.append(DISCARD)
    version = latest(window).data.version
    assert actions.open_path(str(saved))
    reopened = wait_for_new_data(qtbot, window, version)
    assert shown_dataset_rows(reopened) == shown_dataset_rows(imported)
    assert reopened.data.n_classes == 3


# ------------------------------------------------------------------------------ drag and drop
def test_a_dropped_csv_is_imported_wherever_it_lands(qtbot, window, tmp_path):
    path, dataset, (train, _) = points_file(tmp_path, n=30)
    # graphics views accept drops for their scenes and refuse files: the window takes them
    for target in (window.boundary_view.viewport(), window.network_editor.view.viewport(),
                   window.loss_plot.viewport(), window):
        version = latest(window).data.version
        assert drop(target, [path]), target
        shown = wait_for_new_data(qtbot, window, version)
        assert shown.data.train_indices.tolist() == train.tolist()
        np.testing.assert_array_equal(shown.data.X_train, dataset.X[train])


def test_a_dropped_playground_opens_as_open_does_asking_about_unsaved_changes(
        qtbot, window, tmp_path):
    actions = window.file_actions
    saved = tmp_path / "three.bpp"
    step_epochs(qtbot, window, 3)
    actions.prompter.save_paths.append(str(saved))
    assert actions.save_as()
    step_epochs(qtbot, window, 2)
    qtbot.waitUntil(lambda: actions.document.modified, timeout=TIMEOUT_MS)
    actions.prompter.unsaved_answers.append(DISCARD)
    assert drop(window.boundary_view.viewport(), [saved])
    qtbot.waitUntil(lambda: actions.prompter.asked_unsaved == 1, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: not actions.loading and latest(window).epoch == 3,
                    timeout=TIMEOUT_MS)
    assert actions.document.path == str(saved) and actions.prompter.errors == []


def test_a_dropped_lesson_opens_as_a_lesson(qtbot, window, tmp_path):
    lesson = lessons()[4]                  # three classes with softmax
    lesson_file = next(entry for entry in shipped_lessons_folder().iterdir()
                       if entry.name == f"{lesson.key}.json")
    copy = tmp_path / "my-lesson.json"
    copy.write_bytes(lesson_file.read_bytes())
    assert drop(window.network_editor.view.viewport(), [copy])
    qtbot.waitUntil(lambda: latest(window).structure.layer_sizes[-1] == 3, timeout=TIMEOUT_MS)
    assert window.windowTitle().startswith(f"Lesson: {lesson.title}")
    assert window.file_actions.lessons.dock.isVisible()


@pytest.mark.parametrize("name, content, reason", [
    ("picture.png", b"\x89PNG\r\n\x1a\n", "neither a saved playground (.bpp), nor points as CSV"),
    ("notes.json", b'{"format": "something else"}', "is not a backprop-playground-lesson file"),
])
def test_other_dropped_files_are_refused_saying_why(qtbot, window, tmp_path, name, content,
                                                    reason):
    actions = window.file_actions
    path = tmp_path / name
    path.write_bytes(content)
    before, config = latest(window), window.controller.config
    drop(window.boundary_view.viewport(), [path])
    qtbot.waitUntil(lambda: len(actions.prompter.errors) == 1, timeout=TIMEOUT_MS)
    title, text = actions.prompter.errors[0]
    assert title == "Cannot open" and reason in text and name in text
    assert "Cannot open" in window.status.message.text()
    assert worker_data_version(qtbot, window) == before.data.version
    assert window.controller.config == config and not actions.document.modified


def test_several_files_dropped_at_once_are_refused(qtbot, window, tmp_path):
    first, _, _ = points_file(tmp_path, "a.csv")
    second, _, _ = points_file(tmp_path, "b.csv")
    version = latest(window).data.version
    drop(window, [first, second])
    qtbot.waitUntil(lambda: window.file_actions.prompter.errors != [], timeout=TIMEOUT_MS)
    assert "drop one file at a time" in window.file_actions.prompter.errors[0][1]
    assert worker_data_version(qtbot, window) == version


def test_text_dragged_over_a_field_is_left_to_the_field(qtbot, window):
    field = window.training_controls.findChild(QLineEdit)
    mime = QMimeData()
    mime.setText("0.1")
    enter = QDragEnterEvent(field.rect().center(), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    assert not window.file_actions.drops.eventFilter(field, enter)
    QApplication.sendEvent(field, enter)
    assert enter.isAccepted()                     # the field takes text as it always did


# ------------------------------------------------------------------------------ beyond ±6
def test_points_beyond_the_classic_plane_are_shown_painted_and_mapped(qtbot, window,
                                                                      tmp_path):
    before = latest(window)
    path = tmp_path / "far.csv"
    rows = [(-30.0, 2.0, 0), (45.0, -12.0, 1), (0.0, 25.0, 1), (3.0, 3.0, 0), (40.0, 20.0, 0)]
    path.write_text("x1,x2,class\n" + "".join(f"{a},{b},{c}\n" for a, b, c in rows))
    assert window.file_actions.import_path(str(path))
    shown = wait_for_new_data(qtbot, window, before.data.version)
    xmin, xmax, ymin, ymax = shown.grid_extent
    assert xmin < -30 and xmax > 45 and ymin < -12 and ymax > 25
    # the boundary view shows every point
    (view_xmin, view_xmax), (view_ymin, view_ymax) = \
        window.boundary_view.plot.getViewBox().viewRange()
    assert view_xmin <= xmin and view_xmax >= xmax and view_ymin <= ymin and view_ymax >= ymax
    image = window.boundary_view.image.mapRectToParent(window.boundary_view.image.boundingRect())
    assert (image.left(), image.right()) == pytest.approx((xmin, xmax))
    # the neuron maps (the editor's thumbnails) cover the same plane: the top right pixel is
    # the network at (xmax, ymax)
    weights, biases = shown.weights[0], shown.biases[0]
    corner = np.tanh(np.array([xmax, ymax]) @ weights + biases)
    np.testing.assert_allclose(shown.neuron_maps[0][-1, -1], corner, rtol=1e-5, atol=1e-6)
    x1 = next(item for item in window.network_editor.view.features if item.name == "x1")
    right, left = (x1.image.pixel(x1.image.width() - 1, 0), x1.image.pixel(0, 0))
    lut = theme.diverging_lut_rgb32()
    assert right == int(lut[-1]) and left != int(lut[0])    # x1 from -34 to 49: lopsided
    # the painter paints where the mouse is, out there too
    painter = window.dataset_painter
    painter.set_painting(True)
    painter.set_tool(POINT)
    position = painter.view_position(42.0, 22.0)
    assert window.boundary_view.viewport().rect().contains(position)
    qtbot.mouseClick(window.boundary_view.viewport(), Qt.MouseButton.LeftButton, pos=position)
    assert painter.dataset.n == 6
    assert painter.dataset.X[-1] == pytest.approx([42.0, 22.0], abs=0.5)


def test_points_beyond_the_coordinate_limit_are_refused_saying_so(qtbot, window, tmp_path):
    path = tmp_path / "absurd.csv"
    path.write_text("x1,x2,label\n0,0,1\n2e6,0,0\n")
    assert not window.file_actions.import_path(str(path))
    text = window.file_actions.prompter.errors[-1][1]
    assert "line 3, column 1 (x1): 2e+06 is too far out; values must lie within ±10000" in text


# ------------------------------------------------------------------------------ PyTorch export
def export_code_and_data(qtbot, window, tmp_path):
    """Import a file with its split, export the PyTorch file and the dataset CSV from the
    window; returns (script, data, shown snapshot)."""
    actions = window.file_actions
    before = latest(window)
    path, _, _ = points_file(tmp_path, n=50, ratio=0.6)
    assert actions.import_path(str(path))
    shown = wait_for_new_data(qtbot, window, before.data.version)
    script, data = tmp_path / "net_torch.py", tmp_path / "net-data.csv"
    assert actions.exports.export("pytorch", str(script))
    assert actions.exports.export("dataset_csv", str(data))
    return script, data, shown


def test_the_pytorch_export_reads_the_training_split_of_the_exported_data(
        qtbot, window, tmp_path, generated_function):
    script, data, shown = export_code_and_data(qtbot, window, tmp_path)
    read_points = generated_function(script.read_text(), "read_points", np=np, csv=csv)
    X, labels, in_training = read_points(data)
    np.testing.assert_array_equal(X[in_training], shown.data.X_train)
    np.testing.assert_array_equal(labels[in_training], shown.data.y_train)
    np.testing.assert_array_equal(X[~in_training], shown.data.X_test)
    assert read_csv_points(data).split[0].tolist() == shown.data.train_indices.tolist()


@pytest.mark.skipif(not TORCH, reason="PyTorch is not installed")
def test_the_pytorch_export_trains_on_the_training_split_only(qtbot, window, tmp_path):
    script, data, shown = export_code_and_data(qtbot, window, tmp_path)
    result = subprocess.run([sys.executable, str(script), str(data), "2"], capture_output=True,
                            text=True, timeout=300, check=True)
    assert (f"training on {len(shown.data.X_train)} points, {len(shown.data.X_test)} test "
            "points held out") in result.stdout
