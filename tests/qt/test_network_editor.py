"""The network editor, driven by the mouse, checked through a real TrainingController's snapshots.

Waits use qtbot.waitUntil on GUI-thread state (the controller relays snapshots in the GUI thread).
Performance figures are printed (run with -s), never asserted.
"""
import time

import numpy as np
import pytest
from PySide6 import QtCore, QtWidgets

from playground.config import DataSpec, NetworkSpec, PlaygroundConfig
from playground.qt import theme
from playground.qt.network.editor import NetworkEditor
from playground.qt.network.items import (BIAS_SIZE, NODE_SIZE, LayerButtonItem, layer_lut_indices,
                                         link_style_codes)
from playground.qt.worker import TrainingController

WAIT_MS = 15_000
# the offscreen platform plugin's notices when a top-level window (or tooltip) shows; harmless
pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise)\(\)")


def make_config(network: NetworkSpec | None = None) -> PlaygroundConfig:
    return PlaygroundConfig(data=DataSpec(generator="circle", n_samples=200, seed=1),
                            network=network or NetworkSpec(hidden_layers=(4, 2),
                                                           activations=("tanh", "tanh")))


@pytest.fixture
def rig(qtbot):
    """An editor wired to a real controller the way the main window wires its own."""
    made = []

    def make(network: NetworkSpec | None = None):
        config = make_config(network)
        controller = TrainingController(config)
        made.append(controller)
        editor = NetworkEditor(config.network)
        qtbot.addWidget(editor)
        editor.resize(900, 560)
        editor.show()
        qtbot.waitExposed(editor)
        controller.sigSnapshot.connect(editor.show_snapshot)
        controller.sigConfigChanged.connect(lambda c: editor.set_network_spec(c.network))
        editor.sigNetworkChanged.connect(controller.set_network)
        editor.sigParameterEdited.connect(controller.set_parameter)
        qtbot.waitUntil(lambda: controller.latest_snapshot is not None, timeout=WAIT_MS)
        editor.show_snapshot(controller.latest_snapshot)
        return controller, editor

    yield make
    for controller in made:
        controller.shutdown()


def wait_for(qtbot, controller, condition):
    """The first relayed snapshot satisfying ``condition``."""
    qtbot.waitUntil(lambda: controller.latest_snapshot is not None
                    and condition(controller.latest_snapshot), timeout=WAIT_MS)
    return controller.latest_snapshot


def sizes_are(sizes):
    return lambda snapshot: snapshot.structure.layer_sizes == tuple(sizes)


def click_scene(qtbot, view, scene_point: QtCore.QPointF, button=QtCore.Qt.MouseButton.LeftButton):
    qtbot.mouseClick(view.viewport(), button, pos=view.mapFromScene(scene_point))


def button_for(view, layer: int, delta: int) -> LayerButtonItem:
    return next(b for b in view.buttons if b.layer == layer and b.delta == delta)


def click_button(qtbot, view, layer: int, delta: int) -> None:
    button = button_for(view, layer, delta)
    centre = button.sceneTransform().map(button.boundingRect().center())
    # buttons ignore the view's scaling: map their pixel centre through the device transform
    device = button.deviceTransform(view.viewportTransform()).map(button.boundingRect().center())
    assert view.itemAt(device.toPoint()) is button, centre
    qtbot.mouseClick(view.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=device.toPoint())


def test_quick_edits_build_on_each_other_until_the_worker_catches_up(qtbot):
    start = NetworkSpec(hidden_layers=(4,), activations=("tanh",))
    editor = NetworkEditor(start)
    qtbot.addWidget(editor)
    sent = []
    editor.sigNetworkChanged.connect(sent.append)
    editor.add_layer_button.click()
    editor.add_layer_button.click()
    assert [s.hidden_layers for s in sent] == [(4, 4), (4, 4, 4)]
    editor.set_network_spec(start)        # an older config again (hyperparameters changed)
    editor.set_network_spec(sent[0])      # the worker caught up with the first edit
    assert editor.spec == sent[1]
    editor.add_layer_button.click()
    assert sent[-1].hidden_layers == (4, 4, 4, 4)
    editor.set_network_spec(sent[1])
    editor.set_network_spec(sent[2])
    assert editor.spec == sent[2] and editor.layer_count.text() == "4 hidden layers"
    loaded = NetworkSpec(hidden_layers=(2,), activations=("relu",), features=("x1",))
    editor.set_network_spec(loaded)       # an outside change (a file opened) wins
    assert editor.spec == loaded and editor.layer_count.text() == "1 hidden layer"


# --- structure edits reach the engine ----------------------------------------------------------
def test_layer_buttons_add_and_remove_hidden_layers(qtbot, rig):
    controller, editor = rig()
    editor.add_layer_button.click()
    wait_for(qtbot, controller, sizes_are((2, 4, 2, 2, 1)))
    assert controller.config.network.activations == ("tanh", "tanh", "tanh")
    for _ in range(3):
        editor.remove_layer_button.click()
    snapshot = wait_for(qtbot, controller, sizes_are((2, 1)))
    assert snapshot.structure.activations == ()
    assert not editor.remove_layer_button.isEnabled()
    qtbot.waitUntil(lambda: not editor.view.buttons and len(editor.view.links) == 2,
                    timeout=WAIT_MS)


def test_plus_minus_buttons_change_a_layers_neurons(qtbot, rig):
    controller, editor = rig()
    view = editor.view
    click_button(qtbot, view, 0, +1)
    wait_for(qtbot, controller, sizes_are((2, 5, 2, 1)))
    qtbot.waitUntil(lambda: len(view.columns[1]) == 5, timeout=WAIT_MS)
    click_button(qtbot, view, 1, -1)
    wait_for(qtbot, controller, sizes_are((2, 5, 1, 1)))
    qtbot.waitUntil(lambda: len(view.columns[2]) == 1, timeout=WAIT_MS)
    assert not button_for(view, 1, -1).enabled
    click_button(qtbot, view, 1, -1)          # disabled at one neuron: nothing is sent
    click_button(qtbot, view, 0, -1)
    snapshot = wait_for(qtbot, controller, sizes_are((2, 4, 1, 1)))
    assert [w.shape for w in snapshot.weights] == [(2, 4), (4, 1), (1, 1)]


def test_clicking_features_switches_inputs(qtbot, rig):
    controller, editor = rig()
    view = editor.view
    assert len(view.features) == 2 and len(view.faded) == 7
    faded = view.faded["x1_sq"]
    click_scene(qtbot, view, faded.mapToScene(QtCore.QPointF(NODE_SIZE / 2, NODE_SIZE / 2)))
    snapshot = wait_for(qtbot, controller, sizes_are((3, 4, 2, 1)))
    assert snapshot.structure.features == ("x1", "x2", "x1_sq")
    qtbot.waitUntil(lambda: len(view.features) == 3, timeout=WAIT_MS)
    for name in ("x1", "x2", "x1_sq"):           # switching all off keeps the last one
        item = next(f for f in view.features if f.name == name)
        click_scene(qtbot, view, item.mapToScene(QtCore.QPointF(NODE_SIZE / 2, NODE_SIZE / 2)))
        qtbot.waitUntil(lambda: view.snapshot.structure.features == editor.spec.features,
                        timeout=WAIT_MS)
    snapshot = wait_for(qtbot, controller, sizes_are((1, 4, 2, 1)))
    assert snapshot.structure.features == ("x1_sq",)


def test_context_menu_sets_a_layers_activation(qtbot, rig):
    controller, editor = rig()
    menu = editor.activation_menu(1)
    checked = [action.text() for action in menu.actions() if action.isChecked()]
    assert checked == ["tanh"]
    next(action for action in menu.actions() if action.text() == "relu").trigger()
    snapshot = wait_for(qtbot, controller,
                        lambda s: s.structure.activations == ("tanh", "relu"))
    assert snapshot.structure.layer_sizes == (2, 4, 2, 1)


def test_right_click_on_a_neuron_opens_its_layers_activation_menu(qtbot, rig, monkeypatch):
    from PySide6 import QtGui

    controller, editor = rig()
    view = editor.view
    shown = []

    def choose_sigmoid(menu, position):      # stands in for the blocking QMenu.exec
        shown.append([a.text() for a in menu.actions() if a.isSeparator()])
        next(a for a in menu.actions() if a.text() == "sigmoid").trigger()

    monkeypatch.setattr(editor, "popup_menu", choose_sigmoid)
    neuron = view.neurons[(0, 3)]
    position = view.mapFromScene(neuron.mapToScene(QtCore.QPointF(NODE_SIZE / 2, NODE_SIZE / 2)))
    event = QtGui.QContextMenuEvent(QtGui.QContextMenuEvent.Reason.Mouse, position,
                                    view.viewport().mapToGlobal(position))
    QtWidgets.QApplication.sendEvent(view.viewport(), event)
    assert shown == [["Hidden layer 1 activation"]]
    wait_for(qtbot, controller, lambda s: s.structure.activations == ("sigmoid", "tanh"))
    output = view.neurons[(2, 0)]              # the output's activation follows the problem
    position = view.mapFromScene(output.mapToScene(QtCore.QPointF(NODE_SIZE / 2, NODE_SIZE / 2)))
    event = QtGui.QContextMenuEvent(QtGui.QContextMenuEvent.Reason.Mouse, position,
                                    view.viewport().mapToGlobal(position))
    QtWidgets.QApplication.sendEvent(view.viewport(), event)
    assert len(shown) == 1


# --- drawing -----------------------------------------------------------------------------------
@pytest.mark.parametrize("hidden", [(4, 2), (), (32,) * 8])
def test_one_drawn_link_per_weight(qtbot, rig, hidden):
    network = NetworkSpec(hidden_layers=hidden, activations=("tanh",) * len(hidden),
                          features=("x1", "x2", "x1_x2"))
    controller, editor = rig(network)
    snapshot = controller.latest_snapshot
    n_weights = sum(w.size for w in snapshot.weights)
    view = editor.view
    assert len(view.links) == n_weights
    qtbot.waitUntil(lambda: not view.links_pending, timeout=WAIT_MS)
    editor.grab()                                      # paint every link layer once
    assert sum(layer.drawn for layer in view.link_layers) == n_weights
    assert len(view.neurons) == sum(snapshot.structure.layer_sizes[1:])


def test_live_updates_restyle_links_without_rebuilding(qtbot, rig):
    controller, editor = rig()
    view = editor.view
    links_before = dict(view.links)
    first = controller.latest_snapshot
    controller.step_epoch()
    controller.step_epoch()
    later = wait_for(qtbot, controller, lambda s: s.epoch >= 2)
    editor.show_snapshot(later)
    assert all(view.links[key] is item for key, item in links_before.items())
    qtbot.waitUntil(lambda: not view.links_pending, timeout=WAIT_MS)
    codes = np.concatenate([layer.codes.ravel() for layer in view.link_layers])
    expected = np.concatenate([link_style_codes(w).ravel() for w in later.weights])
    assert np.array_equal(codes, expected)
    assert not all(np.array_equal(a, b) for a, b in zip(first.weights, later.weights))


# --- values: tooltip and in-place editing -------------------------------------------------------
def link_position(view, layer, i, j) -> QtCore.QPoint:
    path = view.links[(layer, i, j)].path()
    return view.mapFromScene(path.pointAtPercent(0.3))      # off the crossings in the middle


def test_hit_testing_and_tooltip_text(qtbot, rig):
    controller, editor = rig()
    view = editor.view
    controller.step_batch()
    snapshot = wait_for(qtbot, controller, lambda s: s.batch_in_epoch == 1)
    editor.show_snapshot(snapshot)
    assert view.hit(link_position(view, 1, 3, 0)) == ("link", (1, 3, 0))
    text = view.parameter_text("weight", 1, (3, 0))
    assert f"{snapshot.weights[1][3, 0]:.4g}" in text
    assert f"{snapshot.weight_gradients[1][3, 0]:.4g}" in text and "∂L/∂w" in text
    neuron = view.neurons[(0, 2)]
    corner = view.mapFromScene(neuron.mapToScene(QtCore.QPointF(0.0, NODE_SIZE)))
    assert view.hit(corner) == ("bias", (0, 2))
    assert f"{snapshot.bias_gradients[0][2]:.4g}" in view.parameter_text("bias", 0, 2)
    centre = view.mapFromScene(neuron.mapToScene(QtCore.QPointF(NODE_SIZE / 2, NODE_SIZE / 2)))
    assert view.hit(centre) == ("neuron", (0, 2))


def test_every_link_is_found_where_it_is_drawn(qtbot, rig):
    controller, editor = rig()
    view = editor.view
    for key, link in view.links.items():
        # (mirror-image curves of one gap cross exactly in the middle: either is right there)
        for fraction in (0.3, 0.45, 0.7):
            position = view.mapFromScene(link.path().pointAtPercent(fraction))
            assert view.hit(position) == ("link", key), (key, fraction)


def test_tooltip_event_on_a_link_shows_value_and_gradient(qtbot, rig):
    from PySide6 import QtGui

    controller, editor = rig()
    view = editor.view
    controller.step_batch()
    snapshot = wait_for(qtbot, controller, lambda s: s.batch_in_epoch == 1)
    editor.show_snapshot(snapshot)
    position = link_position(view, 0, 1, 2)
    event = QtGui.QHelpEvent(QtCore.QEvent.Type.ToolTip, position,
                             view.viewport().mapToGlobal(position))
    QtWidgets.QApplication.sendEvent(view.viewport(), event)
    text = QtWidgets.QToolTip.text()
    assert "x₂" in text and f"{snapshot.weights[0][1, 2]:.4g}" in text
    assert f"{snapshot.weight_gradients[0][1, 2]:.4g}" in text
    QtWidgets.QToolTip.hideText()


def test_clicking_a_link_edits_that_weight_in_the_engine(qtbot, rig):
    controller, editor = rig()
    view = editor.view
    clicked = []
    editor.sigLinkClicked.connect(lambda *key: clicked.append(key))
    qtbot.mouseClick(view.viewport(), QtCore.Qt.MouseButton.LeftButton,
                     pos=link_position(view, 1, 3, 1))
    assert clicked == [(1, 3, 1)]
    field = editor.value_editor
    assert field.isVisible()
    field.selectAll()
    qtbot.keyClicks(field, "0.75")
    qtbot.keyClick(field, QtCore.Qt.Key.Key_Return)
    snapshot = wait_for(qtbot, controller, lambda s: s.weights[1][3, 1] == 0.75)
    assert not field.isVisible()
    # nothing else changed
    assert snapshot.structure.layer_sizes == (2, 4, 2, 1)


def test_clicking_a_bias_edits_it_and_escape_cancels(qtbot, rig):
    controller, editor = rig()
    view = editor.view
    edits = []
    editor.sigParameterEdited.connect(lambda *args: edits.append(args))
    neuron = view.neurons[(1, 0)]
    corner = view.mapFromScene(neuron.mapToScene(QtCore.QPointF(BIAS_SIZE / 4, NODE_SIZE)))
    qtbot.mouseClick(view.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=corner)
    field = editor.value_editor
    assert field.isVisible()
    qtbot.keyClick(field, QtCore.Qt.Key.Key_Escape)
    assert not field.isVisible() and edits == []
    qtbot.mouseClick(view.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=corner)
    field.selectAll()
    qtbot.keyClicks(field, "-1.5")
    qtbot.keyClick(field, QtCore.Qt.Key.Key_Return)
    assert edits == [("bias", 1, 0, -1.5)]
    wait_for(qtbot, controller, lambda s: s.biases[1][0] == -1.5)


def test_hovering_a_neuron_reports_it_and_leaving_clears(qtbot, rig):
    controller, editor = rig()
    view = editor.view
    events = []
    editor.sigNeuronHovered.connect(lambda layer, unit: events.append((layer, unit)))
    neuron = view.neurons[(0, 1)]
    centre = view.mapFromScene(neuron.mapToScene(QtCore.QPointF(NODE_SIZE / 2, NODE_SIZE / 2)))
    qtbot.mouseMove(view.viewport(), QtCore.QPoint(2, 2))
    qtbot.mouseMove(view.viewport(), centre)
    qtbot.waitUntil(lambda: (0, 1) in events, timeout=WAIT_MS)
    qtbot.mouseMove(view.viewport(), QtCore.QPoint(2, 2))
    qtbot.waitUntil(lambda: events[-1] == (-1, -1), timeout=WAIT_MS)


# --- a large network -----------------------------------------------------------------------------
def test_8x32_network_updates_in_place_and_reports_its_cost(qtbot, rig):
    network = NetworkSpec(hidden_layers=(32,) * 8, activations=("tanh",) * 8,
                          features=("x1", "x2", "x1_sq", "x2_sq", "sin_x1", "sin_x2"))
    controller, editor = rig(network)
    editor.resize(1000, 650)
    view = editor.view
    snapshots = []
    controller.sigSnapshot.connect(snapshots.append)
    controller.play()
    qtbot.waitUntil(lambda: len(snapshots) >= 12, timeout=60_000)
    controller.pause()
    items = set(map(id, view.links.values()))
    updates, paints = [], []
    for snapshot in snapshots:
        start = time.perf_counter()
        editor.show_snapshot(snapshot)
        middle = time.perf_counter()
        view.viewport().repaint()
        updates.append(middle - start)
        paints.append(time.perf_counter() - middle)
    assert set(map(id, view.links.values())) == items        # no rebuild while training
    print(f"\n8x32 editor: {len(view.links)} links, per snapshot: update "
          f"{1e3 * np.median(updates):.1f} ms median, repaint {1e3 * np.median(paints):.1f} ms "
          f"median (max {1e3 * max(updates):.1f} / {1e3 * max(paints):.1f} ms)")


def test_thumbnails_are_rewritten_in_place_only_when_their_colours_change(qtbot, rig):
    from dataclasses import replace

    controller, editor = rig()
    view = editor.view
    snapshot = controller.latest_snapshot
    editor.show_snapshot(snapshot)
    changed, kept = view.neurons[(0, 0)], view.neurons[(0, 1)]
    images = changed.image, kept.image
    keys = [image.cacheKey() for image in images]
    editor.show_snapshot(snapshot)                     # the same maps: nothing to redraw
    assert [image.cacheKey() for image in images] == keys
    maps = np.array(snapshot.neuron_maps[0])
    maps[..., 0] = -maps[..., 0]                       # neuron 1.1 changes its colours
    editor.show_snapshot(replace(snapshot, neuron_maps=(maps, *snapshot.neuron_maps[1:])))
    assert changed.image is images[0] and kept.image is images[1]     # no new QImages
    assert changed.image.cacheKey() != keys[0] and kept.image.cacheKey() == keys[1]
    expected = theme.diverging_lut_rgb32()[layer_lut_indices(maps, "tanh")[..., 0]]
    height, width = expected.shape
    drawn = np.array([[changed.image.pixel(x, y) for x in range(width)] for y in range(height)],
                     dtype=np.uint32)
    np.testing.assert_array_equal(drawn, expected)


def test_the_header_hint_shows_whole_hints_only(qtbot):
    from playground.qt.network.editor import HintLabel

    hints = ("click a feature to switch it", "click a link or bias to edit",
             "right-click a neuron for its activation")
    label = HintLabel(hints)
    qtbot.addWidget(label)
    label.show()
    qtbot.waitExposed(label)
    full = label.fontMetrics().horizontalAdvance(" · ".join(hints))
    label.resize(full + 10, 20)
    assert label.text() == " · ".join(hints)
    label.resize(label.fontMetrics().horizontalAdvance(" · ".join(hints[:2])) + 5, 20)
    assert label.text() == " · ".join(hints[:2])          # the third hint dropped, not cut
    assert label.toolTip() == " · ".join(hints)
    assert label.sizePolicy().horizontalPolicy() == QtWidgets.QSizePolicy.Policy.Ignored


# -- titles and buttons fit the columns' width ------------------------------------------------
def test_titles_shorten_then_hide_and_buttons_hide_as_columns_narrow(qtbot, rig):
    from playground.qt.shell.layout_check import editor_problems

    deep = NetworkSpec(hidden_layers=(3,) * 8, activations=("tanh",) * 8)
    _controller, editor = rig(deep)
    view = editor.view
    seen = {}
    for width in (1800, 900, 560, 300):
        editor.resize(width, 460)
        QtWidgets.QApplication.processEvents()
        assert editor_problems(view) == [], width          # nothing overlaps or is cut off
        titles = [label.text() if label.isVisible() else None for label in view.layer_labels]
        seen[width] = (titles, [button.isVisible() for button in view.buttons])
    wide, middle, narrow, narrowest = (seen[w] for w in (1800, 900, 560, 300))
    for titles, buttons in (wide, middle):
        assert titles[1] == "Hidden 1\n3 · tanh" and all(buttons)
    assert narrow[0][1:-1] == [f"H{layer}\n3" for layer in range(1, 9)]    # the short form
    assert not any(narrow[1])         # no room for a pair of buttons between their neighbours'
    assert narrowest[0][1:] == [None] * 9                  # no room even for "H1"
    # what a hidden title said is still in its tooltip
    assert "Hidden 1: 3 · tanh" in view.layer_labels[1].toolTip()
    # a hidden button takes no clicks
    hidden = button_for(view, 0, +1)
    assert not hidden.isVisible()
    found = view.hit(view.mapFromScene(hidden.scenePos()) + QtCore.QPoint(9, 9))
    assert found is None or found[0] != "button"
