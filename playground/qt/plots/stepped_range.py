"""A view range that follows the data in steps, so the axes are laid out again only now and then."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtWidgets

from playground.qt.plots.peak_bins import finite_extremes


def nice_step(value: float) -> float:
    """The largest of 1, 2, 5 × 10^k that is <= value."""
    if not value > 0:
        return 1.0
    power = 10.0 ** np.floor(np.log10(value))
    for step in (5.0, 2.0, 1.0):
        if step * power <= value * (1 + 1e-12):
            return step * power
    return power


class SteppedRange:
    """Follows the data like auto-range, but changes the view range only in steps.

    Auto-range moves the axes on every update, so pyqtgraph re-lays out the tick labels and
    repaints both axes each frame. Here the x range ends a little ahead of the data (15-20 %),
    on a round number, and each y limit moves, to a round number past the data, only when the
    data leave the range; a log axis moves by whole decades. The axes are cached as pixmaps
    between changes. The plot reports each appended chunk with ``extend``. A user's pan/zoom
    stops the following; a double-click resumes it.
    """

    X_HEADROOM = 0.15           # the x range ends at least this fraction past the data...
    X_STEP = 0.05               # ...rounded up to a round step of at most this fraction
    Y_MARGIN = 0.04             # y limits lie at least this fraction of the span past the data
    Y_LIMIT = 1e300
    INITIAL_X = (0.0, 10.0)

    def __init__(self, plot_item: pg.PlotItem, fixed_y: tuple[float, float] | None = None) -> None:
        self.plot_item = plot_item
        self.fixed_y = fixed_y
        self.following = True
        view_box = plot_item.getViewBox()
        view_box.disableAutoRange()
        view_box.sigRangeChangedManually.connect(self._stop_following)
        for axis in ("left", "bottom"):
            plot_item.getAxis(axis).setCacheMode(
                QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.reset()

    def _stop_following(self, *args) -> None:
        self.following = False

    def follow(self) -> None:
        """Resume following the data (after a pan/zoom)."""
        self.following = True
        self.update(force=True)

    def reset(self) -> None:
        """Forget the data bounds (the plot was cleared)."""
        self.x_max = -np.inf
        self.y_min = self.y_min_positive = np.inf
        self.y_max = -np.inf
        self._x_range = self.INITIAL_X
        self._y_range = self.fixed_y or (0.0, 1.0)
        self._fitted = False          # the first data replace the placeholder range
        if self.following:
            self._apply()

    def extend(self, x: np.ndarray, *ys: np.ndarray) -> None:
        """Take the bounds of a newly appended chunk into account."""
        if len(x):
            self.x_max = max(self.x_max, float(np.max(x)))
        for y in ys:
            extremes = finite_extremes(y)
            if extremes is not None:
                self.y_min = min(self.y_min, extremes[0])
                self.y_max = max(self.y_max, extremes[1])
                self.y_min_positive = min(self.y_min_positive, extremes[2])

    def update(self, force: bool = False) -> None:
        """Move the view if the data left it (or always, with ``force``)."""
        if not self.following:
            return
        if not self._fitted and np.isfinite(self.x_max):
            self._fitted = force = True
        x_range, y_range = self._x_range, self._y_range
        if np.isfinite(self.x_max) and (force or self.x_max >= x_range[1]):
            x_range = (0.0, self.x_limit(self.x_max))
        low, high = self._y_bounds()
        if self.fixed_y is None and np.isfinite(low) and np.isfinite(high):
            if force or low < y_range[0] or high > y_range[1]:
                y_range = self._y_limits(low, high)
        if force or (x_range, y_range) != (self._x_range, self._y_range):
            self._x_range, self._y_range = x_range, y_range
            self._apply()

    @classmethod
    def x_limit(cls, x_max: float) -> float:
        """Where the x range ends for data reaching ``x_max``: a round number 15-20 % past it."""
        x_max = max(x_max, 1.0)
        step = nice_step(max(x_max, 10.0) * cls.X_STEP)
        return float(np.ceil(x_max * (1 + cls.X_HEADROOM) / step) * step)

    def _y_limits(self, low: float, high: float) -> tuple[float, float]:
        if self.plot_item.getAxis("left").logMode:       # whole decades
            return float(np.floor(low - 0.05)), float(np.ceil(high + 0.05))
        # beyond this the span, the margins and the steps would overflow; farther values are
        # drawn off the top or the bottom
        low, high = max(low, -self.Y_LIMIT), min(high, self.Y_LIMIT)
        span = high - low
        if not span > 0:
            span = max(abs(high), 1e-3)
        step = nice_step(span * 0.1)
        margin = self.Y_MARGIN * span
        return (float(np.floor((low - margin) / step) * step),
                float(np.ceil((high + margin) / step) * step))

    def _y_bounds(self) -> tuple[float, float]:
        """Data bounds in view coordinates (log10 when the y axis is logarithmic)."""
        if self.plot_item.getAxis("left").logMode:
            if not np.isfinite(self.y_min_positive):
                return np.inf, -np.inf
            return np.log10(self.y_min_positive), np.log10(self.y_max)
        return self.y_min, self.y_max

    def _apply(self) -> None:
        self.plot_item.getViewBox().setRange(xRange=self._x_range, yRange=self._y_range,
                                             padding=0.0)
