"""The backprop inspector shows the engine's own numbers of one mini-batch step.

Every value is read back from the panel's table models (UserRole holds the exact float, the
tooltip its repr) and compared with the engine's BatchResult and with the live network after the
step, not with the panel's own variables.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from playground.data import make_dataset, targets
from playground.engine import Network, Trainer
from playground.examples.snapshots import demo_snapshot
from playground.inspection import check_gradients, inspection_from_batch, train_batch_inspected
from playground.qt.inspector.matrix_table import MatrixTable
from playground.qt.inspector.panel import InspectorPanel
from playground.snapshot import Structure

TOLERANCE = 1e-12
# showing a top-level widget on the offscreen platform logs this harmless warning
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


class Step:
    """One real engine mini-batch step and everything needed to check what the panel shows."""

    def __init__(self, three_classes=False, optimizer="sgd", l1=0.0, l2=0.0, batches_before=2):
        dataset = (make_dataset("blobs", n=90, noise=0.1, seed=1, classes=3) if three_classes
                   else make_dataset("circle", n=90, noise=0.1, seed=1))
        self.X, self.Y = dataset.X, targets(dataset)
        output, loss = ("softmax", "cross_entropy") if three_classes else ("sigmoid", "bce")
        self.sizes = (2, 4, 2, self.Y.shape[1])
        self.network = Network(self.sizes, activation="tanh", output_activation=output, loss=loss,
                               l1=l1, l2=l2, seed=3)
        self.trainer = Trainer(self.network, optimizer=optimizer, learning_rate=0.1,
                               batch_size=10, seed=0)
        for _ in range(batches_before):
            self.trainer.train_batch(self.X, self.Y)
        self.weights_before = [W.copy() for W in self.network.weights]
        self.biases_before = [b.copy() for b in self.network.biases]
        self.result = self.trainer.train_batch(self.X, self.Y)
        self.inspection = inspection_from_batch(self.result, self.trainer, self.weights_before,
                                                self.biases_before)
        self.structure = Structure(version=7, features=("x1", "x2"), layer_sizes=self.sizes,
                                   activations=("tanh", "tanh"), output_activation=output,
                                   loss=loss)

    def snapshot(self, base):
        return dataclasses.replace(base, structure=self.structure, inspection=self.inspection)


@pytest.fixture(scope="module")
def base_snapshot():
    return demo_snapshot("circle", epochs=2, resolution=8)


def read_model(model) -> np.ndarray:
    """Every cell's exact value, also checking the tooltip shows the same full-precision number
    and the cell's text the same value rounded."""
    values = np.empty((model.rowCount(), model.columnCount()))
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            value = model.data(index, Qt.ItemDataRole.UserRole)
            tooltip = model.data(index, Qt.ItemDataRole.ToolTipRole)
            assert float(tooltip.rsplit("= ", 1)[1]) == value
            text = model.data(index, Qt.ItemDataRole.DisplayRole)
            assert float(text) == pytest.approx(value, rel=0.06, abs=1e-300)
            values[row, column] = value
    return values


def update_rows(panel) -> dict[str, float]:
    model = panel.update_page.update_model
    return {model.headerData(row, Qt.Orientation.Vertical): read_model(model)[row, 0]
            for row in range(model.rowCount())}


def make_panel(qtbot, step, base_snapshot, **kwargs) -> InspectorPanel:
    panel = InspectorPanel(**kwargs)
    qtbot.addWidget(panel)
    panel.resize(1000, 560)
    panel.show_snapshot(step.snapshot(base_snapshot))
    return panel


@pytest.mark.parametrize("three_classes", [False, True])
def test_every_forward_and_backward_number_is_the_engine_cache(qtbot, base_snapshot,
                                                               three_classes):
    step = Step(three_classes=three_classes, l2=0.01)
    panel = make_panel(qtbot, step, base_snapshot)
    forward, gradients = step.result.forward, step.result.gradients
    n_layers = len(step.sizes) - 1
    np.testing.assert_array_equal(read_model(panel.model("a", 0)), forward.a[0])
    np.testing.assert_array_equal(read_model(panel.model("target", 0)), step.result.targets)
    for layer in range(n_layers):
        shown = {kind: read_model(panel.model(kind, layer))
                 for kind in ("z", "W", "b", "delta", "dW", "db")}
        assert np.max(np.abs(shown["z"] - forward.z[layer])) <= TOLERANCE
        assert np.max(np.abs(read_model(panel.model("a", layer + 1)) - forward.a[layer + 1])) \
            <= TOLERANCE
        assert np.max(np.abs(shown["W"] - step.weights_before[layer])) <= TOLERANCE
        assert np.max(np.abs(shown["b"][0] - step.biases_before[layer])) <= TOLERANCE
        assert np.max(np.abs(shown["delta"] - gradients.delta[layer])) <= TOLERANCE
        assert np.max(np.abs(shown["dW"] - gradients.dW[layer])) <= TOLERANCE
        assert np.max(np.abs(shown["db"][0] - gradients.db[layer])) <= TOLERANCE
    # the batch's rows in the training set label the sample rows
    model = panel.model("z", 0)
    assert [model.headerData(r, Qt.Orientation.Vertical) for r in range(model.rowCount())] == \
        [f"#{k}" for k in step.result.indices]


def test_sgd_update_of_every_weight_equals_its_actual_change(qtbot, base_snapshot):
    step = Step(l2=0.003)
    panel = make_panel(qtbot, step, base_snapshot)
    for layer, W_after in enumerate(step.network.weights):
        for i, j in np.ndindex(W_after.shape):
            panel.pick_weight(layer, i, j)
            rows = update_rows(panel)
            actual_change = W_after[i, j] - step.weights_before[layer][i, j]
            assert rows["w before"] == step.weights_before[layer][i, j]
            assert rows["η (learning rate)"] == step.trainer.learning_rate
            assert rows["= ∂L/∂w (backprop cache)"] == step.result.gradients.dW[layer][i, j]
            assert abs(rows["w − η·∂L/∂w"] - W_after[i, j]) <= TOLERANCE
            assert abs(rows["−η·∂L/∂w"] - actual_change) <= TOLERANCE
            assert abs(rows["actual change"] - actual_change) <= TOLERANCE
            assert rows["w after the step"] == W_after[i, j]
            words = panel.findChild(QLabel, "inspectorUpdateWords").text()
            gradient = step.result.gradients.dW[layer][i, j]
            assert ("grow" in words) == (gradient < 0) and ("shrink" in words) == (gradient > 0)
            assert "SGD applies exactly this step" in words


@pytest.mark.parametrize("l1, l2", [(0.0, 0.0), (0.0, 0.01), (0.003, 0.0)])
def test_chain_rule_factors_multiply_and_sum_to_the_shown_gradient(qtbot, base_snapshot, l1, l2):
    step = Step(three_classes=True, l1=l1, l2=l2)
    panel = make_panel(qtbot, step, base_snapshot)
    forward, gradients = step.result.forward, step.result.gradients
    for layer, i, j in [(0, 1, 2), (1, 3, 0), (2, 1, 2)]:
        panel.pick_weight(layer, i, j)
        factors = read_model(panel.update_page.chain_model)
        delta_j, a_i, products = factors[:, 0], factors[:, 1], factors[:, 2]
        # the factors are the caches' own numbers ...
        np.testing.assert_array_equal(delta_j, gradients.delta[layer][:, j])
        np.testing.assert_array_equal(a_i, forward.a[layer][:, i])
        # ... their products sum (plus the penalty) to the gradient shown and cached
        np.testing.assert_allclose(products, delta_j * a_i, rtol=0, atol=TOLERANCE)
        rows = update_rows(panel)
        assert abs(rows[next(k for k in rows if k.startswith("Σ"))] - products.sum()) <= TOLERANCE
        w = step.weights_before[layer][i, j]
        # L1 is no term of the gradient: it acts after the step, as a proximal step
        assert rows["+ L2 term"] == pytest.approx(l2 * w, abs=TOLERANCE)
        shown_gradient = rows["= ∂L/∂w (backprop cache)"]
        assert abs(products.sum() + rows["+ L2 term"] - shown_gradient) <= TOLERANCE
        assert shown_gradient == gradients.dW[layer][i, j]


def test_sgd_with_l1_shows_the_proximal_step_that_lands_on_exactly_zero(qtbot, base_snapshot):
    step = Step(l1=0.05, batches_before=30)
    panel = make_panel(qtbot, step, base_snapshot)
    threshold = step.trainer.learning_rate * 0.05
    zeros = 0
    for layer, W_after in enumerate(step.network.weights):
        for i, j in np.ndindex(W_after.shape):
            panel.pick_weight(layer, i, j)
            rows = update_rows(panel)
            assert rows["L1 threshold η·λ₁"] == threshold
            plain = rows["w − η·∂L/∂w"]
            assert rows["w after the step"] == np.sign(plain) * max(abs(plain) - threshold, 0.0)
            zeros += rows["w after the step"] == 0.0
            words = panel.findChild(QLabel, "inspectorUpdateWords").text()
            assert "proximal step" in words and "exactly 0" in words
    assert zeros > 0


@pytest.mark.parametrize("optimizer", ["momentum", "nesterov"])
def test_momentum_rule_says_the_learning_rate_is_applied_at_the_update(qtbot, base_snapshot,
                                                                        optimizer):
    step = Step(optimizer=optimizer)
    panel = make_panel(qtbot, step, base_snapshot)
    panel.pick_weight(0, 0, 0)
    words = panel.findChild(QLabel, "inspectorUpdateWords").text()
    assert "v ← μ·v + ∂L/∂w" in words and "η is applied at the update" in words


def test_another_optimizer_is_named_and_its_actual_step_shown(qtbot, base_snapshot):
    step = Step(optimizer="adam")
    panel = make_panel(qtbot, step, base_snapshot)
    layer, i, j = 1, 2, 1
    panel.pick_weight(layer, i, j)
    rows = update_rows(panel)
    actual = step.network.weights[layer][i, j] - step.weights_before[layer][i, j]
    assert abs(rows["actual change"] - actual) <= TOLERANCE
    # Adam's step is not the plain gradient step, and the panel does not pretend it is
    assert abs(rows["−η·∂L/∂w"] - actual) > 1e-6
    words = panel.findChild(QLabel, "inspectorUpdateWords").text()
    assert "Adam" in words and "instead" in words


def test_gradient_check_passes_on_the_default_network(qtbot, base_snapshot):
    step = Step()
    assert step.sizes == (2, 4, 2, 1)
    panel = make_panel(qtbot, step, base_snapshot)
    errors = panel.check_gradients()
    assert len(errors) == 3
    assert all(error < 1e-6 for error in errors), errors
    text = panel.gradient_label.text()
    assert text.count(panel.ok_color) == 3 and panel.error_color not in text


def _corrupting_factory(network):
    """A test double for backprop: the right gradients, except one entry of layer 2's dW."""
    def gradients(X, Y):
        pairs = [(dW.copy(), db.copy()) for dW, db in network.loss_and_gradients(X, Y)[1]]
        pairs[1][0][0, 0] += 0.05 * np.max(np.abs(pairs[1][0])) + 1e-3
        return pairs
    return gradients


def test_gradient_check_flags_a_corrupted_gradient(qtbot, base_snapshot):
    step = Step()
    panel = make_panel(
        qtbot, step, base_snapshot,
        gradient_checker=lambda structure, inspection: check_gradients(
            structure, inspection, gradient_factory=_corrupting_factory))
    errors = panel.check_gradients()
    assert errors[0] < 1e-6 and errors[2] < 1e-6
    assert errors[1] > 1e-3
    text = panel.gradient_label.text()
    assert text.count(panel.ok_color) == 2 and text.count(panel.error_color) == 1
    assert "DISAGREES" in text


def test_a_check_run_elsewhere_shows_busy_and_never_lands_on_a_newer_step(qtbot, base_snapshot):
    jobs = []                     # stands in for the controller's run_in_worker
    step = Step()
    panel = make_panel(qtbot, step, base_snapshot,
                       run_in_worker=lambda job, done, failed: jobs.append((job, done, failed)))
    qtbot.mouseClick(panel.check_button, Qt.MouseButton.LeftButton)
    assert len(jobs) == 1 and panel.gradient_errors is None
    assert not panel.check_button.isEnabled()
    assert panel.check_button.text() == "Checking gradients…"
    assert panel.check_gradients() is None and len(jobs) == 1      # one check at a time
    job, done, _ = jobs[0]
    done(job(None))
    assert all(error < 1e-6 for error in panel.gradient_errors)
    assert not panel.gradient_label.isHidden() and panel.check_button.isEnabled()
    assert panel.check_button.text() == "Check gradients"

    panel.check_gradients()
    job, done, _ = jobs[1]
    newer = Step(batches_before=3)
    panel.show_snapshot(newer.snapshot(base_snapshot))              # a new step meanwhile
    assert not panel.check_button.isEnabled()                      # the old check still runs
    done(job(None))
    assert panel.gradient_errors is None and panel.gradient_label.isHidden()
    assert panel.check_button.isEnabled()

    panel.check_gradients()
    jobs[2][2]()                                                    # the job raised
    assert panel.gradient_errors is None and panel.check_button.isEnabled()


def test_clicking_a_gradient_cell_picks_that_weight(qtbot, base_snapshot):
    step = Step()
    panel = make_panel(qtbot, step, base_snapshot)
    panel.show()
    qtbot.waitExposed(panel)
    panel.tabs.setCurrentIndex(1)
    model = panel.model("dW", 1)
    table = next(view for view in panel.backward_page.area.widget().findChildren(MatrixTable)
                 if view.model() is model)
    rect = table.visualRect(model.index(3, 1))
    with qtbot.waitSignal(panel.sigWeightPicked) as picked:
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert picked.args == [1, 3, 1]
    assert panel.picked_weight == (1, 3, 1)
    assert panel.tabs.currentIndex() == 2
    assert model.picked_cell == (3, 1)


def test_step_button_emits_sigStepBatch(qtbot):
    panel = InspectorPanel()
    qtbot.addWidget(panel)
    assert panel.objectName() == "inspectorPanel"
    with qtbot.waitSignal(panel.sigStepBatch):
        qtbot.mouseClick(panel.step_button, Qt.MouseButton.LeftButton)
    assert not panel.check_button.isEnabled()      # nothing to check before a step


def test_hovered_sample_is_framed_in_every_sample_table(qtbot, base_snapshot):
    step = Step()
    panel = make_panel(qtbot, step, base_snapshot)
    table = panel.tables.sample_tables[2]
    table.sigHoverRow.emit(4)
    sample_kinds = ("a", "z", "delta", "target")
    for (kind, _), model in panel.tables.models.items():
        assert model.highlighted_row == (4 if kind in sample_kinds else -1), kind
    assert panel.update_page.chain_model.highlighted_row == 4
    table.sigHoverRow.emit(-1)
    assert all(model.highlighted_row == -1 for model in panel.tables.models.values())


def test_snapshots_without_inspection_keep_the_step_until_the_network_changes(qtbot,
                                                                             base_snapshot):
    step = Step()
    panel = make_panel(qtbot, step, base_snapshot)
    assert panel.stack.currentIndex() == 1
    later = dataclasses.replace(step.snapshot(base_snapshot), inspection=None)
    panel.show_snapshot(later)
    assert panel.stack.currentIndex() == 1 and "moved on" in panel.summary_label.text()
    rebuilt = dataclasses.replace(later, structure=dataclasses.replace(step.structure, version=8))
    panel.show_snapshot(rebuilt)
    assert panel.stack.currentIndex() == 0 and panel.picked_weight is None


def test_train_batch_inspected_copies_the_caches(qtbot):
    step = Step()
    result, inspection = train_batch_inspected(step.trainer, step.X, step.Y)
    for array in (*inspection.z, *inspection.a, *inspection.delta, *inspection.weights_after):
        assert not array.flags.writeable
    before = inspection.weights_after[0].copy()
    step.trainer.train_batch(step.X, step.Y)
    np.testing.assert_array_equal(inspection.weights_after[0], before)
    assert inspection.optimizer == "sgd" and inspection.epoch == result.epoch


# --- the animation on the network view ----------------------------------------------------------


def network_view_for(qtbot, step, base_snapshot):
    from playground.qt.network.view import NetworkView

    view = NetworkView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show_snapshot(step.snapshot(base_snapshot))
    return view


def test_animation_runs_forward_then_backward_with_links_coloured_by_gradient(qtbot,
                                                                              base_snapshot):
    from playground.qt import theme

    step = Step()
    view = network_view_for(qtbot, step, base_snapshot)
    items_before = len(view.scene().items())
    panel = InspectorPanel()
    qtbot.addWidget(panel)
    panel.attach_network_view(view)
    animation = panel.animation
    animation.set_layer_duration(1)
    phases, colours = [], {}

    def on_phase(text):
        phases.append(text)
        if text.startswith("gradients of every layer"):
            colours.update({key: (item.pen().color().name(), item.pen().widthF())
                            for key, item in animation.gradient_links.items()})

    animation.sigPhase.connect(on_phase)
    with qtbot.waitSignal(animation.sigFinished, timeout=10_000):
        panel.show_snapshot(step.snapshot(base_snapshot))
    kinds = [text.split(" ")[0] for text in phases if text]
    assert kinds == ["forward"] * 4 + ["backward"] * 3 + ["gradients"]
    assert phases[-1] == ""
    # one overlay per weight, in the palette colour of its gradient, thicker when steeper
    gradients = step.result.gradients.dW
    assert set(colours) == set(view.links)
    for (layer, i, j), (colour, width) in colours.items():
        scale = np.max(np.abs(gradients[layer]))
        assert colour == theme.value_color(gradients[layer][i, j], -scale, scale).name()
        steepest = np.unravel_index(np.argmax(np.abs(gradients[layer])), gradients[layer].shape)
        assert width <= colours[(layer, *map(int, steepest))][1]
    # everything drawn is gone again and the view's own items are untouched
    assert len(view.scene().items()) == items_before
    assert not animation.is_running()


def test_animation_speed_follows_the_slider(qtbot, base_snapshot):
    step = Step()
    view = network_view_for(qtbot, step, base_snapshot)
    panel = InspectorPanel()
    qtbot.addWidget(panel)
    panel.attach_network_view(view)
    slider = panel.speed_slider
    slider.setValue(slider.minimum())
    slow = panel.animation.layer_duration_ms
    slider.setValue(slider.maximum())
    fast = panel.animation.layer_duration_ms
    assert slow > 4 * fast


def test_animation_skips_a_view_of_another_shape_and_stops_when_the_view_rebuilds(qtbot,
                                                                                base_snapshot):
    from playground.qt.network.backprop_animation import BackpropAnimation

    step, other = Step(), Step(three_classes=True)
    view = network_view_for(qtbot, step, base_snapshot)
    animation = BackpropAnimation(view)
    assert not animation.play(other.structure, other.inspection)
    assert animation.play(step.structure, step.inspection)
    animation.set_layer_duration(1)
    # the view rebuilds its items (new structure version) in the middle of the animation
    view.show_snapshot(dataclasses.replace(step.snapshot(base_snapshot),
                                           structure=dataclasses.replace(step.structure,
                                                                         version=99)))
    qtbot.waitUntil(lambda: not animation.is_running(), timeout=5_000)


@pytest.mark.parametrize("three_classes", [False, True])
def test_screenshots_of_every_tab_after_a_step(qtbot, base_snapshot, tmp_path, three_classes):
    from PySide6.QtGui import QImage

    step = Step(three_classes=three_classes)
    panel = make_panel(qtbot, step, base_snapshot)
    panel.check_gradients()
    for tab in range(panel.tabs.count()):
        panel.tabs.setCurrentIndex(tab)
        path = tmp_path / f"inspector-{tab}.png"
        assert panel.grab().save(str(path))
        image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB32)
        assert (image.width(), image.height()) == (1000, 560)
        pixels = np.frombuffer(image.constBits(), dtype=np.uint32,
                               count=image.width() * image.height())
        # tables in the palette's colours, text and frames: far from a blank panel
        assert len(np.unique(pixels)) > 200


def test_picking_a_weight_outside_the_inspected_network_is_ignored(qtbot, base_snapshot):
    step = Step()
    panel = make_panel(qtbot, step, base_snapshot)
    panel.pick_weight(0, 1, 1)
    for layer, i, j in [(3, 0, 0), (0, 2, 0), (1, 0, 2), (-1, 0, 0)]:
        panel.pick_weight(layer, i, j)
        assert panel.picked_weight == (0, 1, 1)


def test_step_through_the_real_worker_on_the_default_playground(qtbot):
    """The window's wiring: the button drives the worker, its snapshot fills the panel."""
    from playground.config import PlaygroundConfig
    from playground.qt.worker import TrainingController

    controller = TrainingController(PlaygroundConfig())
    panel = InspectorPanel()
    qtbot.addWidget(panel)
    received = []
    controller.sigSnapshot.connect(received.append)
    controller.sigSnapshot.connect(panel.show_snapshot)
    panel.sigStepBatch.connect(controller.step_batch)
    try:
        qtbot.waitUntil(lambda: bool(received), timeout=10_000)
        before = received[-1]
        qtbot.mouseClick(panel.step_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.stack.currentIndex() == 1, timeout=10_000)
    finally:
        controller.shutdown()
    snapshot = next(s for s in received if s.inspection is not None)
    inspection = snapshot.inspection
    assert snapshot.structure.layer_sizes == (2, 4, 2, 1)
    for layer in range(3):
        np.testing.assert_array_equal(read_model(panel.model("dW", layer)),
                                      inspection.weight_gradients[layer])
        np.testing.assert_array_equal(read_model(panel.model("z", layer)), inspection.z[layer])
    layer, i, j = panel.picked_weight
    rows = update_rows(panel)
    change = snapshot.weights[layer][i, j] - before.weights[layer][i, j]
    assert abs(rows["actual change"] - change) <= TOLERANCE
    assert abs(rows["−η·∂L/∂w"] - change) <= TOLERANCE
    assert all(error < 1e-6 for error in panel.check_gradients())


def test_repeated_steps_and_picks_replace_the_tables_instead_of_piling_them_up(qtbot,
                                                                              base_snapshot):
    from playground.qt.inspector.matrix_table import MatrixModel

    panel = InspectorPanel()
    qtbot.addWidget(panel)
    counts = []
    for _ in range(4):
        step = Step()
        panel.show_snapshot(step.snapshot(base_snapshot))
        panel.pick_weight(1, 0, 1)
        panel.pick_weight(2, 1, 0)
        counts.append(len(panel.findChildren(MatrixModel)))
    assert counts == [counts[0]] * 4
    # z, a, W, b, δ, ∂L/∂W, ∂L/∂b of three layers, inputs, targets, chain rule and update
    assert counts[0] == 3 * 7 + 2 + 2


def test_animation_overlay_follows_the_view_when_it_is_laid_out_again(qtbot, base_snapshot):
    from playground.qt.network.backprop_animation import BackpropAnimation

    step = Step()
    view = network_view_for(qtbot, step, base_snapshot)
    animation = BackpropAnimation(view, layer_duration_ms=3_600_000)
    assert animation.play(step.structure, step.inspection)
    while animation.current_beat != ("hold", -1):
        animation.advance()
    output_before = view.columns[-1][0].scenePos()
    view.resize(1400, 500)            # a wider view spreads the columns: the nodes move
    view.grab()
    assert view.columns[-1][0].scenePos() != output_before
    for (column, unit), ring in animation.rings.items():
        assert ring.scenePos() == view.columns[column][unit].scenePos()
    for (layer, i, j), overlay in animation.gradient_links.items():
        assert overlay.boundingRect().contains(view.links[(layer, i, j)].path().pointAtPercent(0.5))
    animation.stop()
    assert not animation.rings and not animation.gradient_links


def test_animation_plays_on_the_network_editor(qtbot, base_snapshot):
    from playground.qt.network.editor import NetworkEditor

    step = Step()
    editor = NetworkEditor()
    qtbot.addWidget(editor)
    editor.resize(700, 400)
    editor.show_snapshot(step.snapshot(base_snapshot))
    panel = InspectorPanel()
    qtbot.addWidget(panel)
    editor.sigLinkClicked.connect(panel.pick_weight)
    panel.attach_network_view(editor.view)
    animation = panel.animation
    animation.set_layer_duration(3_600_000)
    panel.show_snapshot(step.snapshot(base_snapshot))
    assert animation.is_running()
    while animation.current_beat != ("hold", -1):
        animation.advance()
    assert set(animation.gradient_links) == set(editor.view.links)
    editor.view.sigLinkClicked.emit(2, 1, 0)       # what a click on that link sends
    assert panel.picked_weight == (2, 1, 0)
    animation.stop()


def test_a_disagreement_at_a_relu_kink_is_explained(qtbot, base_snapshot):
    from playground.inspection import KINK_MARGIN, nearest_kink

    step = Step()
    # the same batch as if layer 1 were ReLU with one pre-activation just off its kink
    z = [np.array(layer) for layer in step.inspection.z]
    z[0][3, 1] = 0.3 * KINK_MARGIN
    inspection = dataclasses.replace(step.inspection, z=tuple(z))
    structure = dataclasses.replace(step.structure, activations=("relu", "tanh"))
    assert nearest_kink(structure, inspection) == (0, pytest.approx(0.3 * KINK_MARGIN))
    assert nearest_kink(step.structure, step.inspection) is None       # tanh has no kink
    panel = InspectorPanel(gradient_checker=lambda s, i: (1e-9, 3e-4, 1e-9))
    qtbot.addWidget(panel)
    panel.show_inspection(structure, inspection)
    panel.check_gradients()
    assert "DISAGREES" in panel.gradient_label.text()
    assert "relu's kink" in panel.gradient_label.text()


# -- roomy and steady: the panel reflows, its tabs stay put, its slider reads as one ----------
def _table_origin(panel, page, kind, layer):
    """Where the table of ``kind`` sits in ``page``'s scrolling content."""
    table = next(view for view in page.area.widget().findChildren(MatrixTable)
                 if view.model() is panel.model(kind, layer))
    return table.mapTo(page.area.widget(), table.rect().topLeft())


@pytest.mark.parametrize("width", [700, 1000, 1600])
def test_pages_reflow_their_tables_instead_of_scrolling_sideways(qtbot, base_snapshot, width):
    panel = make_panel(qtbot, Step(), base_snapshot)
    panel.resize(width, 560)
    panel.show()
    qtbot.waitExposed(panel)
    for index in range(panel.tabs.count()):
        panel.tabs.setCurrentIndex(index)
        page = panel.tabs.widget(index)
        qtbot.waitUntil(lambda page=page: page.area.widget().width() > 0)
        QApplication.processEvents()
        content, viewport = page.area.widget(), page.area.viewport()
        assert content.width() <= viewport.width(), panel.tabs.tabText(index)
        assert page.area.horizontalScrollBar().maximum() == 0
    forward = panel.forward_page
    a0, z1, a1 = (_table_origin(panel, forward, "a", 0), _table_origin(panel, forward, "z", 0),
                  _table_origin(panel, forward, "a", 1))
    assert z1.y() == a0.y() and z1.x() > a0.x()        # side by side, as the pass reads
    if width == 700:      # a₀, z₁ (with W₁ and b₁) and a₁ do not fit one row: a₁ goes under
        assert a1.y() > a0.y() + 100 and a1.x() < z1.x()
    else:
        assert a1.y() == a0.y() and a1.x() > z1.x()
    # the chain rule and "the step" table stay within the panel's width
    chain = panel.update_page.findChild(QLabel, "inspectorChainRule")
    viewport = panel.update_page.area.viewport()
    assert chain.mapTo(viewport, chain.rect().topRight()).x() <= viewport.width()


def test_the_tabs_stay_put_whatever_the_captions_say(qtbot, base_snapshot):
    step = Step()
    panel = make_panel(qtbot, step, base_snapshot)
    panel.resize(900, 560)
    panel.show()
    qtbot.waitExposed(panel)

    def tabs_top():
        QApplication.processEvents()
        return panel.tabs.mapTo(panel, panel.tabs.rect().topLeft()).y()

    top = tabs_top()
    panel._mark_stale()                   # the summary grows by a sentence
    assert "moved on" in panel.summary_label.text() and tabs_top() == top
    panel._show_phase("backward → layer 2: δ = (δ·Wᵀ) ⊙ f′(z), a long caption " * 3)
    assert tabs_top() == top
    panel._show_phase("")
    assert tabs_top() == top
    panel.check_gradients()               # its verdict appears under the tabs
    assert not panel.gradient_label.isHidden() and tabs_top() == top
    # the long summary stays on its one line; all of it is in its tooltip
    assert panel.summary_label.height() < 2 * panel.summary_label.fontMetrics().lineSpacing()
    assert panel.summary_label.toolTip() == panel.summary_label.text()


def test_the_animation_speed_slider_reads_as_a_slider(qtbot, base_snapshot):
    panel = make_panel(qtbot, Step(), base_snapshot)
    panel.resize(640, 480)                # a narrow panel squeezes the stretch, not the slider
    panel.show()
    qtbot.waitExposed(panel)
    slider = panel.speed_slider
    assert slider.width() >= 150 and slider.orientation() == Qt.Orientation.Horizontal
    assert slider.tickPosition() != slider.TickPosition.NoTicks
    labels = {label.text(): label for label in panel.findChildren(QLabel)}
    slow, fast = labels["slow"], labels["fast"]
    left = slider.mapTo(panel, slider.rect().topLeft()).x()
    assert slow.mapTo(panel, slow.rect().topRight()).x() <= left
    assert fast.mapTo(panel, fast.rect().topLeft()).x() >= left + slider.width()
    assert slow.isVisible() and fast.isVisible()
