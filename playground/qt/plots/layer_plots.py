"""The plots of per-layer numbers, sampled once per snapshot: weight distributions (or chosen
weights' trajectories) and gradient norms.

Weights and gradients exist only at snapshot times, not per epoch; the series are rebuilt when
the network's structure changes.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pyqtgraph as pg

from playground.qt import theme
from playground.qt.plots.curve_items import SUMMARY, DistributionItem, LiveCurves
from playground.qt.plots.decimated_item import SeriesView
from playground.qt.plots.growing_columns import GrowingColumns
from playground.qt.plots.live_plot import LivePlot
from playground.qt.plots.log_axis import QuietLogAxis
from playground.snapshot import Snapshot


class PerLayerPlot(LivePlot):
    """A plot whose series are per layer, sampled once per snapshot (not per epoch).

    The series are rebuilt when the network structure changes (the layer count may differ).
    """

    def __init__(self, parent=None, title="", y_label="", axis_items=None) -> None:
        super().__init__(parent, title, y_label, axis_items)
        self._structure_version: int | None = None
        self._n_layers = 0
        self._last_sample: tuple[int, int] | None = None

    def _ingest(self, snapshot: Snapshot) -> None:
        if snapshot.structure.version != self._structure_version:
            self._structure_version = snapshot.structure.version
            self._n_layers = len(snapshot.structure.layer_sizes) - 1
            self._rebuild(snapshot)
        sample_key = (snapshot.epoch, snapshot.batch_in_epoch)
        if sample_key == self._last_sample:
            return
        self._last_sample = sample_key
        self._sample(snapshot)

    def _reset_data(self) -> None:
        self._last_sample = None
        self._clear_samples()

    @staticmethod
    def layer_name(snapshot: Snapshot, layer: int) -> str:
        sizes = snapshot.structure.layer_sizes
        return f"layer {layer + 1} ({sizes[layer]}→{sizes[layer + 1]})"

    def _rebuild(self, snapshot: Snapshot) -> None:
        raise NotImplementedError

    def _sample(self, snapshot: Snapshot) -> None:
        raise NotImplementedError

    def _clear_samples(self) -> None:
        raise NotImplementedError


PERCENTILES = (0, 25, 50, 75, 100)         # SUMMARY's min, q25, median, q75, max


def percentiles(values: np.ndarray) -> np.ndarray:
    """np.percentile(values, PERCENTILES) (linear interpolation) at a tenth of its cost on the
    small weight matrices: one sort; NaN sorts last, so only the max (and what reaches it) is
    NaN."""
    ordered = np.sort(values, axis=None)
    position = np.asarray(PERCENTILES) / 100.0 * (len(ordered) - 1)
    below = np.floor(position).astype(int)
    above = np.minimum(below + 1, len(ordered) - 1)
    lower, upper, fraction = ordered[below], ordered[above], position - below
    with np.errstate(invalid="ignore", over="ignore"):    # inf - inf between equal extremes
        step = upper - lower
        between = lower + step * fraction
        # two finite values too far apart for their difference (near ±1e308): in halves
        halves = 2.0 * (lower / 2.0 + (upper / 2.0 - lower / 2.0) * fraction)
    too_far = np.isinf(step) & np.isfinite(lower) & np.isfinite(upper)
    return np.where(step == 0, lower, np.where(too_far, halves, between))


class WeightsPlot(PerLayerPlot):
    """Per-layer weight distribution over time (quartile band, median, min and max lines).

    ``select_weights([(layer, i, j), ...])`` switches to the trajectories of those weights
    (from the next snapshot on); an empty list switches back to the distributions.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent, title="Weights", y_label="weight")
        self.distribution: DistributionItem | None = None
        self.band_buffer = GrowingColumns(("epoch",))
        self.selection: list[tuple[int, int, int]] = []
        self.trajectory_lines: LiveCurves | None = None     # only while weights are selected
        self.trajectories: list[SeriesView] = []
        self.trajectory_buffer = GrowingColumns(("epoch",))
        self.getPlotItem().addLine(y=0.0, pen=pg.mkPen(theme.muted_foreground(self.palette()),
                                                       width=1))

    def select_weights(self, selection: Sequence[tuple[int, int, int]]) -> None:
        """Show trajectories of the weights W[layer][i, j] instead of the distributions."""
        if self.trajectory_lines is not None:
            self._remove_items([self.trajectory_lines])
        self.selection = [tuple(int(v) for v in key) for key in selection]
        names = [f"w{layer + 1}[{i},{j}]" for layer, i, j in self.selection]
        self.trajectory_buffer = GrowingColumns(("epoch", *names))
        self.trajectory_lines = self._make_curves(
            "weight trajectories", names,
            [theme.series_color(k) for k in range(len(names))]) if names else None
        self.trajectories = self.trajectory_lines.series if names else []
        distribution = self.distribution
        if distribution is not None:
            distribution.setVisible(not self.selection)
        if self.selection:
            self.legend.set_entries([(name, theme.series_color(k))
                                     for k, name in enumerate(names)])
            self.readout.set_curves(self.trajectories)
        elif distribution is not None:
            self.legend.set_entries(list(zip(distribution.labels, distribution.colors)))
            self.readout.set_curves([series for group in distribution.series
                                     for series in group.values()])
        self._refit_range()

    def _active_buffer(self) -> GrowingColumns:
        return self.trajectory_buffer if self.selection else self.band_buffer

    def _refit_range(self) -> None:
        """Fit the view to the mode now shown (the other mode's numbers must not count)."""
        buffer = self._active_buffer()
        self.stepped_range.reset()
        self.stepped_range.extend(buffer.column("epoch"),
                                  *(buffer.column(name) for name in buffer.names[1:]))
        self.stepped_range.update(force=len(buffer) > 0)

    def _rebuild(self, snapshot: Snapshot) -> None:
        if self.distribution is not None:
            self._remove_items([self.distribution])
        labels = [self.layer_name(snapshot, layer) for layer in range(self._n_layers)]
        self.distribution = self._add_live_item(DistributionItem(
            "weight distributions", labels,
            [theme.series_color(layer) for layer in range(self._n_layers)]))
        self.band_buffer = GrowingColumns(
            ["epoch", *(f"{label} {stat}" for label in labels for stat in SUMMARY)])
        valid = [key for key in self.selection if key[0] < self._n_layers
                 and key[1] < snapshot.structure.layer_sizes[key[0]]
                 and key[2] < snapshot.structure.layer_sizes[key[0] + 1]]
        self.select_weights(valid)

    def _sample(self, snapshot: Snapshot) -> None:
        epoch = np.array([snapshot.epoch], dtype=np.float64)
        if self.selection:
            row = {"epoch": epoch}
            for name, (layer, i, j) in zip(self.trajectory_buffer.names[1:], self.selection):
                row[name] = np.array([snapshot.weights[layer][i, j]])
            compacted = self.trajectory_buffer.append(row)
            self.stepped_range.extend(epoch,
                                      *(row[name] for name in self.trajectory_buffer.names[1:]))
            self.trajectory_lines.set_data(
                self.trajectory_buffer.column("epoch"),
                [self.trajectory_buffer.column(name) for name in self.trajectory_buffer.names[1:]],
                extends=not compacted)
            return
        stats = np.concatenate([percentiles(weights) for weights in snapshot.weights])
        names = self.band_buffer.names
        row = {"epoch": epoch, **{name: stats[k:k + 1] for k, name in enumerate(names[1:])}}
        compacted = self.band_buffer.append(row)
        self.stepped_range.extend(epoch, stats)
        self._show_band_buffer(extends=not compacted)

    def _show_band_buffer(self, extends: bool) -> None:
        self.distribution.set_data(self.band_buffer.column("epoch"),
                                   [self.band_buffer.column(name)
                                    for name in self.band_buffer.names[1:]], extends=extends)

    def _clear_samples(self) -> None:
        self.band_buffer.clear()
        self.trajectory_buffer.clear()
        if self.trajectory_lines is not None:
            self.trajectory_lines.set_data([], [[]] * len(self.trajectories))
        if self.distribution is not None:
            self._show_band_buffer(extends=False)


class GradientPlot(PerLayerPlot):
    """Norm of the last mini-batch's gradient per layer over time, log y axis."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent, title="Gradient norm", y_label="‖∇‖",
                         axis_items={"left": QuietLogAxis("left")})
        self.getPlotItem().setLogMode(x=False, y=True)
        self.lines: LiveCurves | None = None
        self.curves: list[SeriesView] = []
        self.buffer = GrowingColumns(("epoch",))

    def _rebuild(self, snapshot: Snapshot) -> None:
        if self.lines is not None:
            self._remove_items([self.lines])
        names = [self.layer_name(snapshot, layer) for layer in range(self._n_layers)]
        self.lines = self._make_curves("gradient norms", names,
                                       [theme.series_color(k) for k in range(len(names))])
        self.curves = self.lines.series
        self.legend.set_entries([(name, theme.series_color(k)) for k, name in enumerate(names)])
        self.buffer = GrowingColumns(("epoch", *names))
        self.readout.set_curves(self.curves)

    def _sample(self, snapshot: Snapshot) -> None:
        norms = np.asarray(snapshot.gradient_norms, dtype=np.float64)
        # zero norms have no logarithm: store them as gaps
        norms = np.where(norms > 0, norms, np.nan)
        row = {"epoch": np.array([snapshot.epoch], dtype=np.float64)}
        for layer, name in enumerate(self.buffer.names[1:]):
            row[name] = norms[layer:layer + 1]
        compacted = self.buffer.append(row)
        self.stepped_range.extend(row["epoch"], norms)
        self.lines.set_data(self.buffer.column("epoch"),
                            [self.buffer.column(name) for name in self.buffer.names[1:]],
                            extends=not compacted)

    def _clear_samples(self) -> None:
        self.buffer.clear()
        if self.lines is not None:
            self.lines.set_data([], [[]] * len(self.curves))
