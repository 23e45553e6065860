"""Peak-preserving decimation done once per row, as rows arrive, and the finite bounds it keeps.

A curve then paints at most ~2 points per pixel column, whatever the length of its history.
"""
from __future__ import annotations

import numpy as np
from PySide6 import QtCore


class PeakBins:
    """Peak-preserving decimation of growing series sharing x, done once per row as rows arrive.

    Rows are grouped into blocks of ``rows_per_block`` rows; each complete block keeps its first
    x and, per series, its lowest and highest value (with their x). When there are more than
    ``max_blocks`` blocks, neighbouring blocks merge in pairs and new blocks get twice as many
    rows, so the kept points stay between ``max_blocks`` and twice that, whatever the length.
    Rows of the unfinished block are kept as they are. All series are reduced together, in a
    handful of NumPy calls whatever their number.
    """

    def __init__(self, max_blocks: int = 512, series: int = 1) -> None:
        self.max_blocks = max_blocks
        self.series = series
        self.reset()

    def reset(self) -> None:
        k = self.series
        self.rows = 0                                   # rows taken in so far
        self.rows_per_block = 1
        # rows: x_first, then per series x_low, low, x_high, high (k rows each)
        self._blocks = np.empty((1 + 4 * k, 0))
        self._pending = np.empty((1 + k, 0))            # x, then the series, of the unfinished block
        # running bounds of the finite values (merging keeps every extreme, so they stay exact)
        self.x_min = self.low_min = self.low_min_positive = np.inf
        self.x_max = self.high_max = -np.inf

    def bounds(self, log: bool) -> QtCore.QRectF:
        """The rectangle holding the finite points, in view coordinates."""
        low, high = self.low_min, self.high_max
        if log:
            low = np.log10(self.low_min_positive) if self.low_min_positive < np.inf else np.inf
            high = np.log10(high) if high > 0 else -np.inf
        if not (self.x_min <= self.x_max and low <= high):
            return QtCore.QRectF()
        return QtCore.QRectF(float(self.x_min), float(low), float(self.x_max - self.x_min),
                             float(high - low))

    def _extend_bounds(self, x: np.ndarray, ys: np.ndarray) -> None:
        finite_x = np.isfinite(x)
        if not finite_x.any():
            return
        self.x_min = min(self.x_min, float(x[finite_x].min()))
        self.x_max = max(self.x_max, float(x[finite_x].max()))
        extremes = finite_extremes(ys[:, finite_x])
        if extremes is not None:
            self.low_min = min(self.low_min, extremes[0])
            self.high_max = max(self.high_max, extremes[1])
            self.low_min_positive = min(self.low_min_positive, extremes[2])

    def add(self, x: np.ndarray, *ys: np.ndarray) -> None:
        """Take in new rows: x and one array per series, all equally long."""
        if len(x) == 0:
            return
        rows = np.array([x, *ys], dtype=np.float64)
        self.rows += len(x)
        self._extend_bounds(rows[0], rows[1:])
        pending = np.concatenate([self._pending, rows], axis=1) if self._pending.size else rows
        size = self.rows_per_block
        complete = pending.shape[1] // size
        if complete:
            self._blocks = np.concatenate(
                [self._blocks, self._reduce(pending[:, :complete * size], size)], axis=1)
            pending = pending[:, complete * size:]
        self._pending = pending
        while self._blocks.shape[1] > self.max_blocks:
            self._merge_pairs()
            self.rows_per_block *= 2

    def _reduce(self, rows: np.ndarray, size: int) -> np.ndarray:
        x, ys = rows[0], rows[1:]
        if size == 1:
            xs = rows[[0] * self.series]            # x once per series (np.broadcast_to is slower)
            return np.concatenate([x[None], xs, ys, xs, ys])
        x = x.reshape(-1, size)
        ys = ys.reshape(self.series, -1, size)
        lowest = np.argmin(np.where(np.isnan(ys), np.inf, ys), axis=2)
        highest = np.argmax(np.where(np.isnan(ys), -np.inf, ys), axis=2)
        series, blocks = np.arange(self.series)[:, None], np.arange(len(x))
        return np.concatenate([x[None, :, 0], x[blocks, lowest], ys[series, blocks, lowest],
                               x[blocks, highest], ys[series, blocks, highest]])

    def _merge_pairs(self) -> None:
        k, blocks = self.series, self._blocks
        paired = blocks.shape[1] // 2 * 2
        first, second = blocks[:, 0:paired:2], blocks[:, 1:paired:2]
        lows, highs = slice(1, 1 + 2 * k), slice(1 + 2 * k, 1 + 4 * k)   # x and value rows
        low, high = slice(1 + k, 1 + 2 * k), slice(1 + 3 * k, 1 + 4 * k)  # value rows
        take_low = (second[low] < first[low]) | np.isnan(first[low])
        take_high = (second[high] > first[high]) | np.isnan(first[high])
        merged = np.vstack([first[:1],
                            np.where(np.tile(take_low, (2, 1)), second[lows], first[lows]),
                            np.where(np.tile(take_high, (2, 1)), second[highs], first[highs])])
        self._blocks = np.concatenate([merged, blocks[:, paired:]], axis=1)

    def line_points(self, series: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """x, y of a line through each block's low and high point of one series in x order (one
        point when they are the same row), then the unfinished block's rows."""
        x, y = self.lines(series, 1)
        return x[0], y[0]

    def lines(self, first: int = 0, count: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Like ``line_points`` for ``count`` series from ``first`` on, all at once: x and y of
        shape (count, points). A block gives every series two points if any series needs two
        (one of them may then repeat a point)."""
        k = self.series
        count = k - first if count is None else count
        rows = slice(first, first + count)
        blocks = self._blocks
        x_low, low = blocks[1:1 + k][rows], blocks[1 + k:1 + 2 * k][rows]
        x_high, high = blocks[1 + 2 * k:1 + 3 * k][rows], blocks[1 + 3 * k:][rows]
        pending_x = self._pending[[0] * count]
        pending_y = self._pending[1:][rows]
        two = (x_low != x_high).any(axis=0)
        if not two.any():                       # one row per block, or every extreme shared
            return (np.concatenate([x_low, pending_x], axis=1),
                    np.concatenate([low, pending_y], axis=1))
        low_first = x_low <= x_high
        xs = np.stack([np.where(low_first, x_low, x_high), np.where(low_first, x_high, x_low)], 2)
        ys = np.stack([np.where(low_first, low, high), np.where(low_first, high, low)], 2)
        keep = np.ones(xs.shape[1:], dtype=bool)
        keep[:, 1] = two
        return (np.concatenate([xs[:, keep], pending_x], axis=1),
                np.concatenate([ys[:, keep], pending_y], axis=1))

    def band_points(self, low_series: int = 0,
                    high_series: int = -1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """x, lowest ``low_series`` and highest ``high_series`` value of each block (at its
        first x), then the unfinished block's rows."""
        k = self.series
        x, low, high = self.bands([low_series % k], [high_series % k])
        return x, low[0], high[0]

    def bands(self, low_series, high_series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Like ``band_points`` for several pairs of series at once (index lists or slices):
        x, then the lows and highs, each of shape (pairs, points)."""
        k, blocks, pending = self.series, self._blocks, self._pending
        return (np.concatenate([blocks[0], pending[0]]),
                np.concatenate([blocks[1 + k:1 + 2 * k][low_series],
                                pending[1:][low_series]], axis=1),
                np.concatenate([blocks[1 + 3 * k:][high_series],
                                pending[1:][high_series]], axis=1))


def finite_extremes(values: np.ndarray) -> tuple[float, float, float] | None:
    """(min, max, smallest positive or inf) of the finite values, None if there are none: the
    running bounds a plot's items and its stepped range keep, log axes included."""
    finite = values[np.isfinite(values)]
    if not finite.size:
        return None
    positive = finite[finite > 0]
    return (float(finite.min()), float(finite.max()),
            float(positive.min()) if positive.size else np.inf)
