"""The per-layer history of a playground: each layer's weight quantiles and gradient norm at the
moments training was shown, kept so a saved playground reopens with its weights and gradient
plots (no Qt here).

The weights and gradient plots are sampled once per snapshot, not per epoch (per epoch would
cost the fast training loop a sort of every weight matrix). The snapshot builder records the
same sample here; storage saves and restores the log, and the first snapshot after a restore
hands the whole log to the plots. Bounded: past ``max_rows`` rows the older half is thinned to
every other row (the first row is always kept).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# min, q25, median, q75, max: what the weights plot draws for each layer
QUANTILES = (0, 25, 50, 75, 100)
MAX_LAYER_ROWS = 10_000         # ~5 minutes at 30 samples a second before the first thinning
COLUMNS = ("positions", "weight_quantiles", "gradient_norms")


def quantiles(values: np.ndarray) -> np.ndarray:
    """np.percentile(values, QUANTILES) (linear interpolation) at a tenth of its cost on the
    small weight matrices: one sort; NaN sorts last, so only the max (and what reaches it) is
    NaN."""
    ordered = np.sort(values, axis=None)
    position = np.asarray(QUANTILES) / 100.0 * (len(ordered) - 1)
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


@dataclass(frozen=True)
class LayerHistory:
    """Rows of the log: ``positions`` (k,) in epochs (completed epochs plus the share of the
    next one done), ``weight_quantiles`` (k, layers, 5), ``gradient_norms`` (k, layers)."""

    positions: np.ndarray
    weight_quantiles: np.ndarray
    gradient_norms: np.ndarray

    def __len__(self) -> int:
        return len(self.positions)


class LayerLog:
    """Samples of the network's layers, appended as training is shown (see the module)."""

    def __init__(self, max_rows: int = MAX_LAYER_ROWS):
        self.max_rows = max_rows
        # a restored log waits for the next snapshot to hand it to the plots
        self.restored = False
        self.clear()

    def __len__(self) -> int:
        return len(self._positions)

    def clear(self) -> None:
        self._positions: list[float] = []
        self._quantiles: list[np.ndarray] = []
        self._norms: list[np.ndarray] = []
        self.restored = False

    def record(self, position: float, weights, gradient_norms) -> None:
        """Add the sample of one moment; a second sample of the same moment replaces nothing."""
        if self._positions and self._positions[-1] == position:
            return
        if len(self._positions) >= self.max_rows:
            self._thin()
        self._positions.append(float(position))
        self._quantiles.append(np.stack([quantiles(w) for w in weights]))
        self._norms.append(np.asarray(gradient_norms, dtype=np.float64).copy())

    def history(self, layers: int = 0) -> LayerHistory:
        """Every row, as fresh arrays (``layers`` sizes the arrays of an empty log)."""
        layers = len(self._norms[0]) if self._norms else layers
        return LayerHistory(
            positions=np.array(self._positions, dtype=np.float64),
            weight_quantiles=(np.stack(self._quantiles) if self._quantiles
                              else np.zeros((0, layers, len(QUANTILES)))),
            gradient_norms=np.stack(self._norms) if self._norms else np.zeros((0, layers)))

    def replace_all(self, history: LayerHistory) -> None:
        """Restore saved rows (storage); the next snapshot carries them (``restored``)."""
        self.clear()
        self._positions = [float(p) for p in history.positions]
        self._quantiles = [np.array(row) for row in history.weight_quantiles]
        self._norms = [np.array(row) for row in history.gradient_norms]
        self.restored = True

    def _thin(self) -> None:
        half = len(self._positions) // 2
        keep = [0] + list(range(2, half, 2)) + list(range(half, len(self._positions)))
        self._positions = [self._positions[i] for i in keep]
        self._quantiles = [self._quantiles[i] for i in keep]
        self._norms = [self._norms[i] for i in keep]
