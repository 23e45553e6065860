"""The plots of per-layer numbers, sampled once per snapshot: weight distributions (or chosen
weights' trajectories) and gradient norms.

Weights and gradients exist only at snapshot times, not per epoch; a sample sits at the
snapshot's position (completed epochs plus the share of the next one done). The series are
rebuilt when the network's structure changes, and start from the samples of a saved playground
(``snapshot.layer_history``) when one is opened.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pyqtgraph as pg

from playground.layer_log import LayerHistory, quantiles
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
        self._last_sample: float | None = None

    def _ingest(self, snapshot: Snapshot) -> None:
        if snapshot.structure.version != self._structure_version:
            self._structure_version = snapshot.structure.version
            self._n_layers = len(snapshot.structure.layer_sizes) - 1
            self._rebuild(snapshot)
            self._last_sample = None        # new, empty series: this moment is their first
        restored = snapshot.layer_history
        if restored is not None and restored.weight_quantiles.shape[1:2] == (self._n_layers,):
            self._reset_data()
            if len(restored):
                self._restore(restored)
                self._last_sample = float(restored.positions[-1])
        if snapshot.position == self._last_sample:
            return
        self._last_sample = snapshot.position
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

    def _restore(self, history: LayerHistory) -> None:
        """Take the samples of a saved playground (its plots as they were when saved)."""
        raise NotImplementedError

    def _clear_samples(self) -> None:
        raise NotImplementedError


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
        epoch = np.array([snapshot.position], dtype=np.float64)
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
        stats = np.concatenate([quantiles(weights) for weights in snapshot.weights])
        self._append_bands(epoch, stats[np.newaxis, :])

    def _restore(self, history: LayerHistory) -> None:
        self._append_bands(history.positions,
                           history.weight_quantiles.reshape(len(history), -1))

    def _append_bands(self, epochs: np.ndarray, stats: np.ndarray) -> None:
        """Rows of every layer's quantiles (layer by layer, SUMMARY order) at ``epochs``."""
        names = self.band_buffer.names
        row = {"epoch": epochs, **{name: stats[:, k] for k, name in enumerate(names[1:])}}
        compacted = self.band_buffer.append(row)
        self.stepped_range.extend(epochs, stats.ravel())
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
        self._append_norms(np.array([snapshot.position]), norms[np.newaxis, :])

    def _restore(self, history: LayerHistory) -> None:
        self._append_norms(history.positions, history.gradient_norms)

    def _append_norms(self, epochs: np.ndarray, norms: np.ndarray) -> None:
        """Rows of every layer's gradient norm at ``epochs``."""
        # zero norms have no logarithm: store them as gaps
        norms = np.where(norms > 0, norms, np.nan)
        row = {"epoch": np.asarray(epochs, dtype=np.float64)}
        for layer, name in enumerate(self.buffer.names[1:]):
            row[name] = norms[:, layer]
        compacted = self.buffer.append(row)
        self.stepped_range.extend(row["epoch"], norms.ravel())
        self.lines.set_data(self.buffer.column("epoch"),
                            [self.buffer.column(name) for name in self.buffer.names[1:]],
                            extends=not compacted)

    def _clear_samples(self) -> None:
        self.buffer.clear()
        if self.lines is not None:
            self.lines.set_data([], [[]] * len(self.curves))
