"""The bounded history buffers of the live plots: named columns appended in chunks."""
from __future__ import annotations

from typing import Sequence

import numpy as np


# a GrowingColumns passing this many rows is halved (keeping every peak): a plot is a few
# hundred pixels wide, and ten minutes as fast as possible (over a million epochs) must leave
# memory flat, so ~2.4 MB for a three-column plot is plenty
MAX_ROWS = 100_000


class GrowingColumns:
    """Named float64 columns appended in chunks, stored in buffers grown by doubling.

    ``column(name)`` returns a view of the filled part. Filled positions are never written
    again (growing copies into new buffers, ``clear`` and compaction allocate new ones), so
    pyqtgraph can keep the views it is handed. Memory is bounded: when the rows would pass
    ``max_rows``, every group of four rows becomes two: each y column keeps its group's lowest and
    highest value, in order, and x the group's first and last value, so the curves keep every
    peak (placed within its group's span of x) while the row count halves.
    """

    def __init__(self, names: Sequence[str], capacity: int = 256,
                 max_rows: int = MAX_ROWS) -> None:
        self.names = tuple(names)
        self._initial_capacity = capacity
        self.max_rows = max_rows
        self.clear()

    def clear(self) -> None:
        self._size = 0
        self._data = {name: np.empty(self._initial_capacity) for name in self.names}

    def __len__(self) -> int:
        return self._size

    def append(self, columns: dict[str, np.ndarray]) -> bool:
        """Append equally long chunks, one per column name.

        Returns True if earlier rows were rewritten (the buffer was compacted): views handed
        out before then no longer match the new columns' first rows.
        """
        count = len(next(iter(columns.values())))
        if count == 0:
            return False
        compacted = False
        while self._size > 0 and self._size + count > self.max_rows:
            before = self._size
            self._compact()
            if self._size == before:     # under 4 rows: nothing left to halve
                break
            compacted = True
        needed = self._size + count
        capacity = len(next(iter(self._data.values())))
        if needed > capacity:
            while capacity < needed:
                capacity *= 2
            capacity = max(min(capacity, self.max_rows), needed)
            self._reallocate(capacity, {name: old[:self._size] for name, old in self._data.items()})
        for name in self.names:
            self._data[name][self._size:needed] = columns[name]
        self._size = needed
        return compacted

    def column(self, name: str) -> np.ndarray:
        return self._data[name][:self._size]

    def _reallocate(self, capacity: int, kept: dict[str, np.ndarray]) -> None:
        for name, rows in kept.items():
            new = np.empty(capacity)
            new[:len(rows)] = rows
            self._data[name] = new
        self._size = len(next(iter(kept.values())))

    def _compact(self) -> None:
        """Halve the rows: each group of 4 rows keeps 2, per column its min and max in order.

        The first column (x, e.g. the epoch) gets the first and last x of each group, so x
        stays increasing; a leftover group shorter than 4 rows is kept as it is.
        """
        full = self._size // 4 * 4
        kept = {}
        x_name, *y_names = self.names
        x = self.column(x_name)
        kept[x_name] = np.concatenate([x[:full].reshape(-1, 4)[:, [0, 3]].ravel(), x[full:]])
        for name in y_names:
            groups = self.column(name)[:full].reshape(-1, 4)
            low = np.argmin(np.where(np.isnan(groups), np.inf, groups), axis=1)
            high = np.argmax(np.where(np.isnan(groups), -np.inf, groups), axis=1)
            rows = np.arange(len(groups))
            first, last = np.minimum(low, high), np.maximum(low, high)
            pairs = np.stack([groups[rows, first], groups[rows, last]], axis=1).ravel()
            kept[name] = np.concatenate([pairs, self.column(name)[full:]])
        self._reallocate(len(next(iter(self._data.values()))), kept)
