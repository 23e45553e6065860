"""The live plots' cost and look fixes: bounded buffers, decimation, ranges, legends, log ticks."""
from dataclasses import replace

import numpy as np
import pytest
from PySide6 import QtGui, QtWidgets

from playground.examples.snapshots import demo_snapshot, demo_stream, make_history
from playground.qt import theme
from playground.qt.plots.curve_items import DistributionItem, LiveCurves
from playground.qt.plots.decimated_item import polylines
from playground.qt.plots.growing_columns import GrowingColumns
from playground.qt.plots.history_plots import AccuracyPlot, LossPlot
from playground.qt.plots.layer_plots import GradientPlot, WeightsPlot
from playground.qt.plots.peak_bins import PeakBins


@pytest.fixture(scope="module")
def long_stream():
    """200 epochs in 10 snapshots."""
    return list(demo_stream("circle", snapshots=10, epochs_per_snapshot=20, resolution=20))


def shown_plot(qtbot, cls, width=400, height=300):
    plot = cls()
    qtbot.addWidget(plot)
    plot.resize(width, height)
    plot.show()
    qtbot.waitExposed(plot)
    return plot


def with_history(snapshot, epochs, **series):
    return replace(snapshot, history=make_history(epochs, **series), epoch=int(epochs[-1]))


# --- memory and decimation ---------------------------------------------------------------------
def test_growing_columns_halve_past_their_cap_keeping_every_peak():
    buffer = GrowingColumns(("x", "y"), capacity=8, max_rows=100)
    x = np.arange(1000.0)
    y = np.sin(x / 30.0)
    y[537], y[538] = 50.0, -40.0                 # a spike that must survive
    handed_out = []
    for start in range(0, 1000, 10):
        buffer.append({"x": x[start:start + 10], "y": y[start:start + 10]})
        handed_out.append((start, buffer.column("y")))
    assert 50 <= len(buffer) <= 100
    kept_x, kept_y = buffer.column("x"), buffer.column("y")
    assert kept_x[0] == 0 and kept_x[-1] == 999 and np.all(np.diff(kept_x) > 0)
    assert kept_y.max() == 50.0 and kept_y.min() == -40.0
    assert set(kept_y) <= set(y)                 # real values, none made up
    first_start, first_view = handed_out[0]
    np.testing.assert_array_equal(first_view, y[:10])   # handed-out views never rewritten


def test_a_chunk_larger_than_the_cap_after_a_few_rows_does_not_hang():
    buffer = GrowingColumns(("x", "y"), capacity=8, max_rows=100)
    buffer.append({"x": np.array([0.0]), "y": np.array([1.0])})
    assert buffer.append({"x": np.arange(1.0, 101.0), "y": np.ones(100)}) is False
    assert len(buffer) == 101 and buffer.column("x")[-1] == 100.0


def test_live_plots_offer_no_plot_options_their_items_cannot_follow(qtbot):
    plot = shown_plot(qtbot, LossPlot)
    plot_item = plot.getPlotItem()
    assert not plot_item.menuEnabled()           # FFT, log x, alpha: PlotDataItem-only options
    assert plot_item.getViewBox().menuEnabled()  # view all and export stay


def test_loss_curve_draws_at_most_two_points_per_pixel_column(qtbot):
    plot = shown_plot(qtbot, LossPlot, width=400)
    base = demo_snapshot("circle", epochs=1, resolution=20)
    epochs = np.arange(1, 20_001)
    loss = 0.5 + 0.1 * np.sin(epochs / 7.0)
    loss[12_345] = 9.0                           # one spike among 20,000 epochs
    for chunk in np.array_split(np.arange(len(epochs)), 40):
        plot.show_snapshot(with_history(base, epochs[chunk], train_loss=loss[chunk]))
    x, y = plot.train_curve.getData()
    data_width = plot.getPlotItem().getViewBox().width()
    assert len(x) <= 2.5 * data_width            # was every one of the 20,000 points
    assert y.max() == 9.0 and y.min() == pytest.approx(loss.min())
    full_x, full_y = plot.train_curve.getOriginalDataset()
    assert len(full_x) == 20_000                 # the read-out still sees every epoch


def test_peak_bins_keep_extremes_in_order():
    bins = PeakBins(max_blocks=8)
    x = np.arange(100.0)
    y = np.cos(x)
    for start in range(0, 100, 7):
        bins.add(x[start:start + 7], y[start:start + 7])
    line_x, line_y = bins.line_points()
    assert len(line_x) <= 2 * 8 + bins.rows_per_block
    assert np.all(np.diff(line_x) > 0)
    assert line_y.max() == y.max() and line_y.min() == y.min()


# --- ranges -------------------------------------------------------------------------------------
@pytest.mark.parametrize("cls", [LossPlot, AccuracyPlot, WeightsPlot, GradientPlot])
def test_x_range_ends_shortly_past_the_data(qtbot, long_stream, cls):
    plot = shown_plot(qtbot, cls)
    view_box = plot.getPlotItem().getViewBox()
    for snapshot in long_stream:
        plot.show_snapshot(snapshot)
        (x0, x1), _ = view_box.viewRange()
        assert x0 == 0 and snapshot.epoch < x1
        if snapshot.epoch >= 50:
            assert x1 <= 1.2 * snapshot.epoch + 1e-9     # the data fill most of the width


def test_log_axis_range_is_whole_decades(qtbot, long_stream):
    plot = shown_plot(qtbot, GradientPlot)
    for snapshot in long_stream:
        plot.show_snapshot(snapshot)
    _, (y0, y1) = plot.getPlotItem().getViewBox().viewRange()
    assert y0 == np.floor(y0) and y1 == np.floor(y1)
    norms = np.array([s.gradient_norms for s in long_stream])
    assert 10 ** y0 <= norms[norms > 0].min() and norms.max() <= 10 ** y1


@pytest.mark.parametrize("height", [130, 200, 400])
@pytest.mark.parametrize("decades", [(-7.0, 1.0), (-3.0, 0.0), (-2.2, -1.1)])
def test_log_axis_labels_never_overlap(qtbot, height, decades):
    plot = shown_plot(qtbot, GradientPlot, height=height)
    axis = plot.getPlotItem().getAxis("left")
    size = plot.getPlotItem().getViewBox().height()
    levels = axis.tickValues(*decades, size)
    labelled = sorted(value for spacing, values in levels
                      for value, text in zip(values, axis.tickStrings(values, 1.0, spacing))
                      if text)
    assert labelled, "at least one labelled tick"
    gaps_px = np.diff(labelled) * size / (decades[1] - decades[0])
    text_height = QtGui.QFontMetricsF(axis.style.get("tickFont") or axis.font()).height()
    assert np.all(gaps_px >= 1.2 * text_height)


# --- legends and bands --------------------------------------------------------------------------
@pytest.mark.parametrize("cls", [LossPlot, WeightsPlot, GradientPlot])
def test_legend_stays_off_the_data_area(qtbot, long_stream, cls):
    plot = shown_plot(qtbot, cls)
    for snapshot in long_stream:
        plot.show_snapshot(snapshot)
    qtbot.wait(10)
    view_rect = plot.getPlotItem().getViewBox().sceneBoundingRect()
    legend_rect = plot.legend.label.sceneBoundingRect()
    assert legend_rect.height() > 0 and not legend_rect.intersects(view_rect)
    names = [name for line in plot.legend.lines() for name in line]
    assert len(names) == (2 if cls is LossPlot else 3)


def test_narrow_legend_wraps_onto_more_lines(qtbot, long_stream):
    plot = shown_plot(qtbot, WeightsPlot, width=600)
    plot.show_snapshot(long_stream[0])
    assert len(plot.legend.lines()) == 1
    plot.resize(200, 300)
    qtbot.wait(10)
    assert len(plot.legend.lines()) >= 2
    assert plot.legend.label.item.sceneBoundingRect().width() <= 200   # the text, wrapped


@pytest.mark.parametrize("cls", [WeightsPlot, GradientPlot])
def test_legend_under_a_narrow_plot_does_not_push_it_past_its_widget(qtbot, long_stream, cls):
    # 249 px: a plot dock of a 1320-px window; the legend once sat in the data column only,
    # so the axis plus a two-entry legend line made the plot wider than the dock and clipped it
    plot = shown_plot(qtbot, cls, width=249)
    plot.show_snapshot(long_stream[-1])
    qtbot.wait(10)
    assert plot.getPlotItem().geometry().width() <= plot.viewport().width()


def test_weights_fill_only_the_quartile_band_of_each_layer(qtbot, long_stream):
    plot = shown_plot(qtbot, WeightsPlot)
    for snapshot in long_stream:
        plot.show_snapshot(snapshot)
    item = plot.distribution
    assert [i for i in plot.live_items if isinstance(i, DistributionItem)] == [item]
    assert len(item.labels) == 3                 # one item draws every layer
    for layer, series in enumerate(item.series):
        band, edges, median, extremes = item.group_shapes(layer)
        extremes_rect = extremes[0].boundingRect().united(extremes[1].boundingRect())
        # min–max are lines: the fill spans the quartiles only, so fills no longer pile up
        q25 = np.percentile(np.array([s.weights[layer] for s in long_stream]), 25,
                            axis=(1, 2))
        q75 = np.percentile(np.array([s.weights[layer] for s in long_stream]), 75,
                            axis=(1, 2))
        assert band.boundingRect().top() == pytest.approx(q25.min())
        assert band.boundingRect().bottom() == pytest.approx(q75.max())
        assert [edge.boundingRect().top() for edge in edges] == pytest.approx([q25.min(), q75.min()])
        lowest = min(float(s.weights[layer].min()) for s in long_stream)
        highest = max(float(s.weights[layer].max()) for s in long_stream)
        assert extremes_rect.top() == pytest.approx(lowest)
        assert extremes_rect.bottom() == pytest.approx(highest)
        assert len(median) == 1 and median[0].size() == len(long_stream)


def test_cleared_weights_plot_paints_empty_shapes(qtbot, long_stream):
    plot = shown_plot(qtbot, WeightsPlot)
    plot.show_snapshot(long_stream[0])
    plot.clear()
    image = plot.grab().toImage()                # painting empty shapes used to crash
    assert not image.isNull()
    band, edges, median, extremes = plot.distribution.group_shapes(0)
    assert band.size() == 0 and edges == median == extremes == []


def test_polylines_break_at_gaps():
    x = np.arange(8.0)
    y = np.array([1.0, 2.0, np.nan, 3.0, 4.0, 5.0, np.inf, 6.0])
    shapes = polylines(x, y)
    assert [[(p.x(), p.y()) for p in shape] for shape in shapes] == [
        [(0, 1), (1, 2)], [(3, 3), (4, 4), (5, 5)]]     # a lone point draws nothing
    assert polylines(np.empty(0), np.empty(0)) == []


def test_peak_bins_reduce_several_series_together():
    bins = PeakBins(max_blocks=4, series=3)
    x = np.arange(64.0)
    ys = [np.sin(x / 5.0), np.cos(x / 3.0), -x]
    ys[1][37] = np.nan                           # a gap never hides a block's real extremes
    for start in range(0, 64, 5):
        bins.add(x[start:start + 5], *(y[start:start + 5] for y in ys))
    assert bins.rows == 64 and bins.rows_per_block == 16
    for k, y in enumerate(ys):
        line_x, line_y = bins.line_points(k)
        assert np.all(np.diff(line_x) > 0)
        assert np.nanmax(line_y) == np.nanmax(y) and np.nanmin(line_y) == np.nanmin(y)
        np.testing.assert_array_equal(line_y, y[line_x.astype(int)])   # real points only
    band_x, low, high = bins.band_points(0, 2)
    assert band_x[0] == 0 and np.all(np.diff(band_x) > 0)
    ends = [*band_x[1:].astype(int), 64]         # each block runs up to the next one's first x
    np.testing.assert_array_equal(low, [ys[0][int(a):b].min() for a, b in zip(band_x, ends)])
    np.testing.assert_array_equal(high, -band_x)  # -x is highest at each block's first row
    assert (bins.low_min, bins.high_max) == (-63.0, 1.0)


def test_accuracy_for_regression_shows_no_legend_axes_or_curves(qtbot):
    plot = shown_plot(qtbot, AccuracyPlot)
    plot.show_snapshot(demo_snapshot("circle", epochs=5, resolution=20))
    assert [name for line in plot.legend.lines() for name in line] == ["train", "test"]
    plot.show_snapshot(demo_snapshot("regression", epochs=3, resolution=20))
    assert plot.legend.lines() == [] and plot.legend.label.item.toPlainText() == ""
    assert not plot.getPlotItem().getAxis("left").isVisible()
    assert not plot.train_curve.isVisible() and plot.message.isVisible()


# --- hidden plots -------------------------------------------------------------------------------
def test_hidden_plot_defers_drawing_until_shown(qtbot, long_stream):
    window = QtWidgets.QTabWidget()
    qtbot.addWidget(window)
    front, plot = QtWidgets.QWidget(), LossPlot()
    window.addTab(front, "front")
    window.addTab(plot, "loss")
    window.show()
    qtbot.waitExposed(window)
    for snapshot in long_stream:
        plot.show_snapshot(snapshot)
    assert not plot.isVisible()
    assert plot.train_curve.item.bins.rows == 0        # buffered, not yet decimated or drawn
    assert len(plot.train_curve.getOriginalDataset()[0]) == 200
    window.setCurrentIndex(1)
    assert plot.train_curve.item.bins.rows == 200
    assert len(plot.train_curve.getData()[0]) == 200


def test_live_curve_handles_log_mode_and_non_finite_values():
    curve = LiveCurves("c", ["c"], [QtGui.QPen()])
    curve.setLogMode(False, True)
    with np.errstate(all="raise"):
        curve.set_data([1.0, 2.0, 3.0, 4.0], [[10.0, 0.0, np.nan, 1000.0]])
        curve.sync()
        x, y = curve.getData()
    np.testing.assert_array_equal(x, [1, 2, 3, 4])
    np.testing.assert_array_equal(y, [1.0, np.nan, np.nan, 3.0])
    assert curve.boundingRect().top() == 1.0 and curve.boundingRect().bottom() == 3.0


def test_one_item_draws_every_series_in_its_own_pen(qtbot, long_stream):
    plot = shown_plot(qtbot, GradientPlot)
    for snapshot in long_stream:
        plot.show_snapshot(snapshot)
    assert plot.live_items == [plot.lines] and len(plot.curves) == 3
    norms = np.array([s.gradient_norms for s in long_stream])
    for layer, curve in enumerate(plot.curves):
        x, y = curve.getData()
        np.testing.assert_array_equal(x, [s.epoch for s in long_stream])
        np.testing.assert_allclose(y, np.log10(norms[:, layer]))   # the log axis' coordinates
    image = plot.grab().toImage()
    colours = {image.pixelColor(x, y).name() for x in range(image.width())
               for y in range(image.height())}
    for k in range(3):                           # every layer's pen reached the screen
        assert theme.series_color(k).name() in colours


def test_hidden_axes_keep_their_labels_still(qtbot, long_stream):
    plot = shown_plot(qtbot, LossPlot)
    hidden = [plot.getPlotItem().getAxis(name) for name in ("top", "right")]
    updates = []
    for axis in hidden:
        axis.label.setHtml = lambda html, axis=axis: updates.append(axis)
    for snapshot in long_stream:                 # the range moves several times
        plot.show_snapshot(snapshot)
    assert updates == []
