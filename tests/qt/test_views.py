"""The visual panels render what the snapshots say: plots, decision boundary, network drawing."""
import warnings
from dataclasses import replace

import numpy as np
import pytest
import pyqtgraph as pg
from PySide6 import QtCore, QtGui

from playground.examples.snapshots import DemoRun, demo_snapshot, demo_stream, make_history
from playground.qt import theme
from playground.qt.network.items import MAX_LINK_WIDTH, link_style_codes
from playground.qt.network.view import LINK_BUDGET, NetworkView
from playground.qt.plots.boundary_view import (BACKGROUND_LIGHTEN, CLASSES, PROBABILITY, VALUE,
                                         BoundaryView, blend_class_colors, relative_luminance)
from playground.qt.plots.decimated_item import DecimatedItem
from playground.qt.plots.growing_columns import GrowingColumns
from playground.qt.plots.history_plots import AccuracyPlot, LossPlot
from playground.qt.plots.layer_plots import GradientPlot, WeightsPlot
from playground.snapshot import PAUSED, PLAYING


@pytest.fixture(scope="module")
def trained_circle():
    return demo_snapshot("circle", epochs=300, resolution=40)


@pytest.fixture(scope="module")
def circle_stream():
    return list(demo_stream("circle", snapshots=6, epochs_per_snapshot=7, resolution=40))


def make_widget(qtbot, cls):
    widget = cls()
    qtbot.addWidget(widget)
    widget.resize(400, 300)
    return widget


def curve_data(curve):
    x, y = curve.getOriginalDataset()
    return (np.array([]), np.array([])) if x is None else (np.asarray(x), np.asarray(y))


def image_pixels(widget) -> np.ndarray:
    image = widget.grab().toImage().convertToFormat(QtGui.QImage.Format.Format_RGB32)
    data = np.frombuffer(image.constBits(), dtype=np.uint8)
    return data.reshape(image.height(), image.bytesPerLine() // 4, 4)[:, :image.width(), :3].copy()


# --- theme -------------------------------------------------------------------------------------
def test_palette_runs_orange_to_neutral_to_blue():
    lut = theme.diverging_lut()
    assert lut.shape == (256, 3) and lut.dtype == np.uint8
    assert tuple(lut[0]) == tuple(theme.hex_to_rgb(theme.NEGATIVE).astype(int))
    assert tuple(lut[-1]) == tuple(theme.hex_to_rgb(theme.POSITIVE).astype(int))
    assert np.abs(lut[127:129].astype(int) - theme.hex_to_rgb(theme.NEUTRAL)).max() <= 6
    assert theme.CLASS_COLORS[:2] == (theme.NEGATIVE, theme.POSITIVE)
    assert len(set(theme.CLASS_COLORS)) == 6
    lighter = theme.diverging_lut(lighten=0.5)
    assert (lighter.astype(int) >= lut.astype(int)).all()


def test_scalar_lut_index_matches_the_array_version():
    values = np.array([-3.0, -1.0, -0.3, 0.0, 0.001, 0.5, 1.0, 7.0, np.nan, np.inf, -np.inf])
    expected = theme.lut_indices(values, -1.0, 1.0)
    assert [theme.lut_index(v, -1.0, 1.0) for v in values] == expected.tolist()


def test_diverged_values_and_levels_map_to_end_colours_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # a RuntimeWarning fails the test
        huge = np.array([np.inf, -np.inf, 1e300, -1e300, np.nan, 0.0])
        assert theme.lut_indices(huge, -1.0, 1.0).tolist() == [255, 0, 255, 0, 128, 128]
        big = np.array([3e38, -3e38, np.inf, 0.5], dtype=np.float32)
        assert theme.lut_indices(big, -1.0, 1.0).tolist() == [255, 0, 255, 191]
        # the levels of a diverged map: huge, infinite or empty
        assert theme.lut_indices(np.array([1.0, 2.0]), np.float32(-3e38),
                                 np.float32(3e38)).tolist() == [128, 128]
        assert theme.lut_indices(np.array([1e308, -1e308, 0.0]), -1e308, 1e308).tolist() == \
            [255, 0, 128]
        assert theme.lut_indices(np.array([np.inf, -np.inf, 5.0]), -np.inf,
                                 np.inf).tolist() == [255, 0, 128]
        assert theme.lut_indices(np.array([2.0, 1.0, 0.0]), 1.0, 1.0).tolist() == [255, 128, 0]
        # per-map levels broadcast like the maps
        maps = np.array([[[0.5, 0.5], [np.inf, -3.0]]], dtype=np.float32)
        assert theme.lut_indices(maps, np.array([-1.0, -4.0]), np.array([1.0, 4.0])).tolist() \
            == [[[191, 143], [255, 32]]]
        for value, low, high, index in ((1e308, -1e308, 1e308, 255), (np.inf, -np.inf, np.inf, 255),
                                        (np.nan, -1.0, 1.0, 128), (0.5, 1.0, 1.0, 0)):
            assert theme.lut_index(value, low, high) == index
        assert theme.value_color(np.inf, -np.inf, np.inf) == QtGui.QColor(theme.POSITIVE)


def test_value_color_follows_sign():
    assert theme.value_color(-5.0) == QtGui.QColor(theme.NEGATIVE)
    assert theme.value_color(5.0) == QtGui.QColor(theme.POSITIVE)


# --- plots -------------------------------------------------------------------------------------
def test_growing_columns_never_rewrite_handed_out_views():
    buffer = GrowingColumns(("a",), capacity=2)
    buffer.append({"a": np.array([1.0, 2.0])})
    handed_out = buffer.column("a")
    buffer.append({"a": np.arange(10.0)})           # forces growth
    assert list(handed_out) == [1.0, 2.0]
    assert list(buffer.column("a")) == [1.0, 2.0, *range(10)]
    buffer.clear()
    buffer.append({"a": np.array([7.0])})
    assert list(handed_out) == [1.0, 2.0]


def test_loss_plot_holds_every_epoch_without_gaps_or_duplicates(qtbot, circle_stream):
    plot = make_widget(qtbot, LossPlot)
    for snapshot in circle_stream:
        plot.show_snapshot(snapshot)
        plot.show_snapshot(snapshot)             # the window's timer may repeat a snapshot
    epochs = np.concatenate([s.history.epochs for s in circle_stream])
    x, y = curve_data(plot.train_curve)
    np.testing.assert_array_equal(x, epochs)
    np.testing.assert_array_equal(np.diff(x), 1)
    np.testing.assert_allclose(y, np.concatenate([s.history.train_loss for s in circle_stream]))
    _, test_y = curve_data(plot.test_curve)
    np.testing.assert_allclose(test_y, np.concatenate([s.history.test_loss for s in circle_stream]))


def test_plots_clear_when_the_epoch_goes_back(qtbot, circle_stream):
    plot = make_widget(qtbot, LossPlot)
    for snapshot in circle_stream:
        plot.show_snapshot(snapshot)
    restarted = next(demo_stream("circle", snapshots=1, epochs_per_snapshot=3, resolution=20))
    plot.show_snapshot(restarted)
    x, _ = curve_data(plot.train_curve)
    np.testing.assert_array_equal(x, [1, 2, 3])
    plot.clear()
    assert len(curve_data(plot.train_curve)[0]) == 0


@pytest.mark.parametrize("cls", [LossPlot, AccuracyPlot, WeightsPlot, GradientPlot])
def test_plots_keep_all_data_in_view(qtbot, circle_stream, cls):
    plot = make_widget(qtbot, cls)
    view_box = plot.getPlotItem().getViewBox()
    for snapshot in circle_stream:
        plot.show_snapshot(snapshot)
        (x0, x1), (y0, y1) = view_box.viewRange()
        assert x0 <= 1 and snapshot.epoch <= x1 <= 3 * snapshot.epoch + 10
        for item in plot.getPlotItem().listDataItems():
            if not isinstance(item, DecimatedItem):
                continue                             # the hover marker
            for y in item.original_columns()[1:]:    # every series: curves, bands, extremes
                if plot.getPlotItem().ctrl.logYCheck.isChecked():
                    y = np.log10(y[np.isfinite(y) & (y > 0)])
                if len(y):
                    assert y0 <= y.min() and y.max() <= y1


def test_a_users_zoom_stops_following_until_double_click(qtbot, circle_stream):
    plot = make_widget(qtbot, LossPlot)
    plot.show_snapshot(circle_stream[0])
    view_box = plot.getPlotItem().getViewBox()
    view_box.scaleBy((0.5, 0.5))                  # what a mouse-wheel zoom does
    view_box.sigRangeChangedManually.emit(view_box.state["mouseEnabled"])
    zoomed = view_box.viewRange()
    for snapshot in circle_stream[1:]:
        plot.show_snapshot(snapshot)
    assert view_box.viewRange() == zoomed
    plot.stepped_range.follow()
    assert view_box.viewRange()[0][1] >= circle_stream[-1].epoch


def test_loss_plot_log_scale_toggle(qtbot, circle_stream):
    plot = make_widget(qtbot, LossPlot)
    plot.show_snapshot(circle_stream[0])
    plot.set_log_scale(True)
    assert plot.log_scale()
    assert plot.train_curve.item.opts["logMode"][1]
    plot.set_log_scale(False)
    assert not plot.log_scale()


def test_accuracy_plot_shows_a_message_for_regression(qtbot):
    plot = make_widget(qtbot, AccuracyPlot)
    plot.show_snapshot(demo_snapshot("circle", epochs=5, resolution=20))
    assert plot.applicable and plot.message.isHidden()
    plot.show_snapshot(demo_snapshot("regression", epochs=3, resolution=20))
    assert not plot.applicable
    assert not plot.message.isHidden()
    assert not plot.train_curve.isVisible()


def test_weights_plot_tracks_per_layer_percentiles(qtbot, circle_stream):
    plot = make_widget(qtbot, WeightsPlot)
    for snapshot in circle_stream:
        plot.show_snapshot(snapshot)
    assert len(plot.distribution.labels) == 3
    for layer, band in enumerate(plot.distribution.series):
        x, median = curve_data(band["median"])
        np.testing.assert_array_equal(x, [s.epoch for s in circle_stream])
        np.testing.assert_allclose(median, [np.median(s.weights[layer]) for s in circle_stream])
        _, top = curve_data(band["max"])
        np.testing.assert_allclose(top, [s.weights[layer].max() for s in circle_stream])
        _, q25 = curve_data(band["q25"])
        np.testing.assert_allclose(q25, [np.percentile(s.weights[layer], 25)
                                         for s in circle_stream])
    lowest = min(float(w.min()) for s in circle_stream for w in s.weights)
    highest = max(float(w.max()) for s in circle_stream for w in s.weights)
    assert plot.distribution.dataBounds(1) == pytest.approx((lowest, highest))


def test_weights_plot_selected_trajectories(qtbot, circle_stream):
    plot = make_widget(qtbot, WeightsPlot)
    plot.show_snapshot(circle_stream[0])
    plot.select_weights([(0, 1, 2), (2, 1, 0)])
    for snapshot in circle_stream[1:]:
        plot.show_snapshot(snapshot)
    assert not plot.distribution.isVisible()
    assert not any(series.isVisible() for band in plot.distribution.series
                   for series in band.values())
    _, first = curve_data(plot.trajectories[0])
    np.testing.assert_allclose(first, [s.weights[0][1, 2] for s in circle_stream[1:]])
    _, second = curve_data(plot.trajectories[1])
    np.testing.assert_allclose(second, [s.weights[2][1, 0] for s in circle_stream[1:]])
    plot.select_weights([])
    assert plot.trajectories == [] and plot.distribution.series[0]["median"].isVisible()


def test_gradient_plot_follows_gradient_norms_on_log_axis(qtbot, circle_stream):
    plot = make_widget(qtbot, GradientPlot)
    for snapshot in circle_stream:
        plot.show_snapshot(snapshot)
    assert plot.getPlotItem().ctrl.logYCheck.isChecked()
    assert len(plot.curves) == 3
    for layer, curve in enumerate(plot.curves):
        _, y = curve_data(curve)
        np.testing.assert_allclose(y, [s.gradient_norms[layer] for s in circle_stream])


def test_structure_change_rebuilds_per_layer_series(qtbot):
    plot = make_widget(qtbot, GradientPlot)
    plot.show_snapshot(demo_snapshot("circle", hidden_layers=(4, 2), epochs=2, resolution=20))
    deeper = DemoRun("circle", hidden_layers=(3, 3, 3, 3), resolution=20, structure_version=2)
    deeper.train(5)
    plot.show_snapshot(deeper.snapshot())
    assert len(plot.curves) == 5


@pytest.mark.parametrize("cls", [WeightsPlot, GradientPlot])
def test_a_new_structure_at_the_same_position_gets_its_first_sample(qtbot, cls):
    # a layer added (or an edit undone) before training: the new series start at epoch 0 too
    plot = make_widget(qtbot, cls)
    plot.show_snapshot(demo_snapshot("circle", hidden_layers=(4, 2), epochs=0, resolution=20))
    deeper = DemoRun("circle", hidden_layers=(4, 2, 2), resolution=20, structure_version=2)
    plot.show_snapshot(deeper.snapshot())
    if cls is WeightsPlot:
        x, median = curve_data(plot.distribution.series[2]["median"])
        np.testing.assert_allclose(median, [np.median(deeper.snapshot().weights[2])])
    else:
        x, _ = curve_data(plot.curves[3])
    np.testing.assert_array_equal(x, [0.0])


def test_hover_readout_shows_the_nearest_value(qtbot, circle_stream):
    plot = make_widget(qtbot, LossPlot)
    for snapshot in circle_stream:
        plot.show_snapshot(snapshot)
    epoch, loss = 10, float(circle_stream[1].history.train_loss[2])
    assert circle_stream[1].history.epochs[2] == epoch
    text = plot.readout.show_nearest(QtCore.QPointF(epoch, loss))
    assert f"{loss:.4g}" in text and "epoch 10" in text and "train" in text
    assert plot.readout.text_item.isVisible()


def test_hover_readout_follows_the_mouse(qtbot, circle_stream):
    plot = make_widget(qtbot, LossPlot)
    for snapshot in circle_stream:
        plot.show_snapshot(snapshot)
    plot.getPlotItem().setRange(xRange=(0, 42), yRange=(0, 1), padding=0)
    epoch = 21
    loss = float(np.concatenate([s.history.train_loss for s in circle_stream])[epoch - 1])
    view_box = plot.getPlotItem().getViewBox()
    scene_pos = view_box.mapViewToScene(QtCore.QPointF(epoch, loss))
    plot.scene().sigMouseMoved.emit(scene_pos)
    assert f"epoch {epoch}" in plot.readout.text
    assert f"{loss:.4g}" in plot.readout.text


def test_hover_readout_in_log_scale(qtbot, circle_stream):
    plot = make_widget(qtbot, LossPlot)
    for snapshot in circle_stream:
        plot.show_snapshot(snapshot)
    plot.set_log_scale(True)
    loss = float(circle_stream[0].history.test_loss[3])
    text = plot.readout.show_nearest(QtCore.QPointF(4, np.log10(loss)))
    assert f"{loss:.4g}" in text


# --- boundary ----------------------------------------------------------------------------------
def test_boundary_image_follows_grid_output(qtbot, circle_stream):
    view = make_widget(qtbot, BoundaryView)
    view.show_snapshot(circle_stream[0])
    assert view.mode == PROBABILITY
    first = np.array(view.image.image)
    np.testing.assert_array_equal(first, circle_stream[0].grid_output[..., 0])
    view.show_snapshot(circle_stream[-1])
    assert not np.array_equal(first, view.image.image)
    rect = view.image.mapRectToParent(view.image.boundingRect())
    xmin, xmax, ymin, ymax = circle_stream[-1].grid_extent
    assert rect.left() == pytest.approx(xmin) and rect.right() == pytest.approx(xmax)
    assert rect.top() == pytest.approx(ymin) and rect.bottom() == pytest.approx(ymax)


def test_boundary_discretize_thresholds_the_output(qtbot, trained_circle):
    view = make_widget(qtbot, BoundaryView)
    view.show_snapshot(trained_circle)
    soft = image_pixels(view)
    view.set_discretize(True)
    values = np.unique(view.image.image)
    assert set(values.tolist()) <= {0.0, 1.0} and len(values) == 2
    expected = (trained_circle.grid_output[..., 0] >= 0.5).astype(np.float32)
    np.testing.assert_array_equal(view.image.image, expected)
    assert not np.array_equal(soft, image_pixels(view))
    view.set_discretize(False)
    np.testing.assert_array_equal(view.image.image, trained_circle.grid_output[..., 0])


def test_boundary_show_test_points(qtbot, circle_stream):
    view = make_widget(qtbot, BoundaryView)
    snapshot = circle_stream[-1]
    view.show_snapshot(snapshot)
    assert len(view.train_points.data) == len(snapshot.data.X_train)
    assert len(view.test_points.data) == len(snapshot.data.X_test)
    assert not view.test_points.isVisible()
    without = image_pixels(view)
    view.set_show_test(True)
    assert view.test_points.isVisible()
    assert not np.array_equal(without, image_pixels(view))


def test_boundary_points_are_coloured_by_class(qtbot, circle_stream):
    view = make_widget(qtbot, BoundaryView)
    snapshot = circle_stream[0]
    view.show_snapshot(snapshot)
    brushes = [b.color() for b in view.train_points.data["brush"]]
    for color, label in zip(brushes, snapshot.data.y_train):
        assert color == theme.class_color(int(label))


def test_multi_class_blend_gives_the_class_colour_where_certain(qtbot):
    probabilities = np.zeros((2, 3, 3), dtype=np.float32)
    probabilities[0, 0, 2] = 1.0
    probabilities[1, 2, 0] = 1.0
    probabilities[0, 1] = [0.5, 0.5, 0.0]
    rgb = blend_class_colors(probabilities)
    np.testing.assert_array_equal(rgb[0, 0], theme.hex_to_rgb(theme.CLASS_COLORS[2]))
    np.testing.assert_array_equal(rgb[1, 2], theme.hex_to_rgb(theme.CLASS_COLORS[0]))
    mix = (theme.hex_to_rgb(theme.CLASS_COLORS[0]) + theme.hex_to_rgb(theme.CLASS_COLORS[1])) / 2
    assert np.abs(rgb[0, 1] - mix).max() <= 1

    snapshot = demo_snapshot("three_class", epochs=5, resolution=30)
    one_hot = np.zeros_like(snapshot.grid_output)
    one_hot[..., 1] = 1.0
    view = make_widget(qtbot, BoundaryView)
    view.show_snapshot(replace(snapshot, grid_output=one_hot))
    assert view.mode == CLASSES
    expected = blend_class_colors(one_hot[:1, :1], BACKGROUND_LIGHTEN)[0, 0]
    assert (view.image.image == expected).all()
    assert view.class_legend.isVisible() and not view.color_bar.isVisible()


def test_multi_class_discretize_uses_argmax(qtbot):
    snapshot = demo_snapshot("three_class", epochs=50, resolution=30)
    view = make_widget(qtbot, BoundaryView)
    view.show_snapshot(snapshot)
    view.set_discretize(True)
    colors = {tuple(c) for c in view.image.image.reshape(-1, 3)}
    lightened = blend_class_colors(np.eye(3, dtype=np.float32)[None], BACKGROUND_LIGHTEN)[0]
    assert colors <= {tuple(c) for c in lightened}


def test_regression_uses_symmetric_fixed_levels(qtbot):
    snapshot = demo_snapshot("regression", epochs=20, resolution=30)
    view = make_widget(qtbot, BoundaryView)
    view.show_snapshot(snapshot)
    assert view.mode == VALUE
    low, high = view.levels
    assert low == -high and high >= np.abs(snapshot.data.y_train).max()
    assert view.color_bar.levels() == (low, high)


def test_boundary_map_is_drawn_from_an_rgb32_image_in_the_shared_palette(qtbot, trained_circle):
    view = make_widget(qtbot, BoundaryView)
    view.show_snapshot(trained_circle)
    view.image.render()
    image = view.image.qimage
    # an indexed image is converted again on every repaint (~1 ms at this size)
    assert image.format() == QtGui.QImage.Format.Format_RGB32
    values = trained_circle.grid_output[..., 0]
    lut = theme.diverging_lut(BACKGROUND_LIGHTEN)
    for row, column in ((0, 0), (17, 23), (39, 39)):
        r, g, b = lut[theme.lut_indices(values[row, column], 0.0, 1.0)]
        assert QtGui.QColor(image.pixel(column, row)).getRgb()[:3] == (r, g, b)


def test_light_training_points_get_a_dark_outline(qtbot):
    """A regression target near 0 is the palette's near-white middle, drawn over the lightened
    map: a white outline would leave it invisible."""
    snapshot = demo_snapshot("regression", epochs=5, resolution=20)
    view = make_widget(qtbot, BoundaryView)
    view.show_snapshot(snapshot)
    points = view.train_points.data
    near_zero = np.abs(snapshot.data.y_train) < 0.05 * view.levels[1]
    assert near_zero.any() and (~near_zero).any()
    background = QtGui.QColor(*theme.diverging_lut(BACKGROUND_LIGHTEN)[theme.LUT_SIZE // 2])

    def contrast(a, b):
        la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
        return (la + 0.05) / (lb + 0.05)

    def outline(point) -> QtGui.QColor:         # a point's own pen, else the item's
        return pg.mkPen(point["pen"] if point["pen"] is not None
                        else view.train_points.opts["pen"]).color()

    for point in points[near_zero]:
        assert contrast(outline(point), background) >= 3.0
        assert contrast(outline(point), point["brush"].color()) >= 3.0
    saturated = np.abs(snapshot.data.y_train) > 0.9 * view.levels[1]
    for point in points[saturated]:
        assert outline(point) == QtGui.QColor("#ffffff")


def test_boundary_clear_and_show_again(qtbot, circle_stream):
    view = make_widget(qtbot, BoundaryView)
    view.show_snapshot(circle_stream[0])
    view.clear()
    assert view.mode is None and view.image.image is None and len(view.train_points.data) == 0
    view.show_snapshot(circle_stream[1])
    assert view.mode == PROBABILITY and len(view.train_points.data) > 0


def test_boundary_neuron_map(qtbot, circle_stream):
    view = make_widget(qtbot, BoundaryView)
    snapshot = circle_stream[-1]
    view.show_snapshot(snapshot)
    view.show_neuron_map(0, 1)
    np.testing.assert_array_equal(view.image.image, snapshot.neuron_maps[0][..., 1])
    assert view.levels == (-1.0, 1.0)           # tanh
    view.show_snapshot(circle_stream[-2])
    np.testing.assert_array_equal(view.image.image, circle_stream[-2].neuron_maps[0][..., 1])
    view.clear_neuron_map()
    np.testing.assert_array_equal(view.image.image, circle_stream[-2].grid_output[..., 0])


# --- network -----------------------------------------------------------------------------------
def test_network_view_has_one_link_per_weight(qtbot, circle_stream):
    view = make_widget(qtbot, NetworkView)
    snapshot = circle_stream[0]
    view.show_snapshot(snapshot)
    assert len(view.links) == sum(w.size for w in snapshot.weights)
    assert len(view.neurons) == sum(snapshot.structure.layer_sizes[1:])
    assert [f.label for f in view.features] == ["x₁", "x₂"]


def test_network_view_links_follow_the_weights(qtbot, circle_stream):
    view = make_widget(qtbot, NetworkView)
    snapshot = circle_stream[0]
    view.show_snapshot(snapshot)
    items_before = dict(view.links)
    weights = [np.array(w) for w in snapshot.weights]
    weights[0][0, 0] = 10.0
    weights[0][1, 0] = -10.0
    weights[1][2, 1] = 0.0
    view.show_snapshot(replace(snapshot, serial=99, weights=tuple(weights)))
    assert view.links == items_before           # same structure: items updated in place
    strong_positive, strong_negative = view.link_pen(0, 0, 0), view.link_pen(0, 1, 0)
    assert strong_positive.widthF() == MAX_LINK_WIDTH
    assert strong_positive.color() == QtGui.QColor(theme.POSITIVE)
    assert strong_negative.color() == QtGui.QColor(theme.NEGATIVE)
    neutral = view.link_pen(1, 2, 1)
    assert neutral.widthF() < 1.0
    assert abs(neutral.color().red() - QtGui.QColor(theme.NEUTRAL).red()) <= 6


def pixel_on_link(qtbot, view, link):
    qtbot.waitUntil(lambda: not view.links_pending, timeout=5000)
    image = view.grab().toImage()
    point = view.mapFromScene(link.path().pointAtPercent(0.5))
    return image.pixelColor(point.x(), point.y())


def test_network_view_draws_each_layers_links_in_one_item(qtbot, circle_stream):
    view = make_widget(qtbot, NetworkView)
    snapshot = circle_stream[0]
    weights = [np.array(w) for w in snapshot.weights]
    weights[1][0, 0] = 10.0
    view.show_snapshot(replace(snapshot, weights=tuple(weights)))
    link = view.links[(1, 0, 0)]
    assert link.flags() & link.GraphicsItemFlag.ItemHasNoContents      # its layer paints it
    color = pixel_on_link(qtbot, view, link)
    positive = QtGui.QColor(theme.POSITIVE)
    assert abs(color.blue() - positive.blue()) < 30 and abs(color.red() - positive.red()) < 30
    assert view.link_layers[1].drawn == weights[1].size
    weights[1][0, 0] = -10.0
    view.show_snapshot(replace(snapshot, weights=tuple(weights)))
    color = pixel_on_link(qtbot, view, link)
    negative = QtGui.QColor(theme.NEGATIVE)
    assert abs(color.red() - negative.red()) < 30 and abs(color.blue() - negative.blue()) < 30


def test_a_large_networks_links_are_restyled_in_turns_not_dropped(qtbot):
    run = DemoRun("circle", hidden_layers=(32,) * 8, resolution=10)
    run.train(1)
    first = run.snapshot()
    view = make_widget(qtbot, NetworkView)
    view.show_snapshot(first)                   # never drawn: every layer at once
    assert not view.links_pending
    flipped = replace(first, weights=tuple(-w for w in first.weights))
    assert flipped.state == PLAYING
    view.show_snapshot(flipped)
    assert sum(w.size for w in first.weights) > LINK_BUDGET
    assert view.links_pending                   # the rest waits for the next frames
    # while training plays, only frames repaint: nothing between them (the window paces those)
    qtbot.wait(200)
    assert view.links_pending
    frames = 1
    while view.links_pending:
        view.show_snapshot(flipped)
        frames += 1
    assert frames > 2
    for layer, weights in zip(view.link_layers, flipped.weights):
        assert np.array_equal(layer.codes, link_style_codes(weights))
    # paused, no frame follows: a timer finishes the layers left
    view.show_snapshot(replace(first, state=PAUSED))
    assert view.links_pending
    qtbot.waitUntil(lambda: not view.links_pending, timeout=5000)
    for layer, weights in zip(view.link_layers, first.weights):
        assert np.array_equal(layer.codes, link_style_codes(weights))


def test_network_view_thumbnails_update_and_rebuild_on_structure_change(qtbot, circle_stream):
    view = make_widget(qtbot, NetworkView)
    view.show_snapshot(circle_stream[0])
    neuron = view.neurons[(0, 0)]
    before = neuron.image.copy()
    view.show_snapshot(circle_stream[-1])
    assert view.neurons[(0, 0)] is neuron
    assert neuron.image != before
    deeper = DemoRun("circle", hidden_layers=(8, 32, 32, 32, 32, 32, 32, 32, 32),
                     features=("x1", "x2", "sin_x1"), resolution=20, structure_version=5)
    deeper.train(1)
    snapshot = deeper.snapshot()
    view.show_snapshot(snapshot)
    assert len(view.links) == sum(w.size for w in snapshot.weights)
    assert (8, 0) in view.neurons and (0, 0) in view.neurons and view.neurons[(0, 0)] is not neuron
    assert image_pixels(view).std() > 5


def test_network_view_reports_hovered_neuron(qtbot, circle_stream):
    view = make_widget(qtbot, NetworkView)
    view.show_snapshot(circle_stream[0])
    with qtbot.waitSignal(view.sigNeuronHovered, timeout=1000) as blocker:
        view.neurons[(1, 1)].on_hover(1, 1)
    assert blocker.args == [1, 1] and view.hovered == (1, 1)


# --- all views render something visible ------------------------------------------------------
@pytest.mark.parametrize("cls", [LossPlot, AccuracyPlot, WeightsPlot, GradientPlot, BoundaryView,
                                 NetworkView])
def test_each_view_renders_visible_content(qtbot, circle_stream, cls, tmp_path):
    view = make_widget(qtbot, cls)
    for snapshot in circle_stream:
        view.show_snapshot(snapshot)
    path = tmp_path / f"{cls.__name__}.png"
    assert view.grab().save(str(path))
    pixels = image_pixels(view)
    assert pixels.std() > 5            # not a blank panel


@pytest.mark.parametrize("cls", [LossPlot, AccuracyPlot, WeightsPlot, GradientPlot, BoundaryView,
                                 NetworkView])
def test_views_survive_non_finite_numbers(qtbot, circle_stream, cls):
    """A diverging run can hand over inf/NaN: views draw what they can, without warnings."""
    snapshot = circle_stream[0]
    weights = [np.array(w) for w in snapshot.weights]
    weights[0][0, 0], weights[0][1, 0], weights[1][0, 0] = np.nan, np.inf, -1e300
    grid = np.array(snapshot.grid_output)
    grid[:5] = np.nan
    maps = [np.array(m) for m in snapshot.neuron_maps]
    maps[0][..., 0] = np.inf
    history = make_history([8, 9], train_loss=[np.inf, np.nan], test_loss=[1e300, np.nan])
    broken = replace(snapshot, weights=tuple(weights), grid_output=grid, neuron_maps=tuple(maps),
                     gradient_norms=np.array([np.inf, np.nan, 0.0]), history=history, epoch=9)
    view = make_widget(qtbot, cls)
    with np.errstate(all="raise"):
        view.show_snapshot(circle_stream[0])
        view.show_snapshot(broken)
        view.grab()


def dark_palette() -> QtGui.QPalette:
    palette = QtGui.QPalette()
    for role, color in (("Window", "#2b2b2b"), ("Base", "#1e1e1e"), ("Text", "#e0e0e0"),
                        ("WindowText", "#e0e0e0"), ("PlaceholderText", "#909090")):
        palette.setColor(getattr(QtGui.QPalette.ColorRole, role), QtGui.QColor(color))
    return palette


@pytest.mark.parametrize("cls", [LossPlot, WeightsPlot, BoundaryView, NetworkView])
def test_views_follow_a_dark_palette(qtbot, circle_stream, cls):
    view = make_widget(qtbot, cls)
    view.show_snapshot(circle_stream[-1])
    light_corner = image_pixels(view)[2, 2].astype(int)
    view.setPalette(dark_palette())
    assert theme.is_dark(view.palette())
    dark_corner = image_pixels(view)[2, 2].astype(int)
    assert light_corner.sum() > 600 and dark_corner.sum() < 150


def test_demo_history_helper():
    history = make_history([1, 2, 3])
    assert len(history) == 3 and history.train_loss[0] > history.train_loss[-1]
