"""The per-epoch history of a playground: one row of losses, accuracies and settings per epoch,
in columns that grow by doubling and are thinned to stay bounded over a million epochs.

No Qt here. The session appends a row after every epoch; the training worker streams the rows
to the window; storage saves and restores them.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np



@dataclass(frozen=True)
class Evaluation:
    """Losses (without the L1/L2 penalty) and accuracies on the train and test sets.

    Accuracies are NaN for regression; a loss is NaN when its set is empty.
    """

    train_loss: float
    test_loss: float
    train_accuracy: float
    test_accuracy: float


class EpochLog:
    """Per-epoch numbers in preallocated columns that grow by doubling, bounded by thinning.

    Once ``max_rows`` rows are stored, the older part is thinned to the epochs that are
    multiples of a stride (doubled whenever that part outgrows a quarter of ``max_rows``), so it
    stays evenly spaced over the epochs, while the newest ``max_rows // 2`` rows stay exact and
    the first row is always kept (a curve still starts where the history started).

    A reader that streams the log (the training worker) keeps a cursor: how many rows it has
    taken since the last clear. :meth:`read_from` hands it the rows after its cursor, and the
    cursor then moves on by the number of rows handed out. Thinning never removes a row not yet
    handed out and never renumbers the rows a cursor counts, so no epoch is skipped or sent
    twice. ``generation`` grows every time the log is cleared, and only then, so the reader can
    tell that the history restarted and start again from cursor 0. A log nobody streams is
    thinned without waiting.
    """

    COLUMNS = {
        "epochs": np.int64,
        "train_loss": np.float64,
        "test_loss": np.float64,
        "train_accuracy": np.float64,
        "test_accuracy": np.float64,
        "learning_rate": np.float64,
        "batch_size": np.int64,
    }
    # 5.6 MB of columns (the newest 50,000 epochs exact): ten minutes as fast as possible, over
    # a million epochs, leave memory flat. Files may hold up to MAX_HISTORY_ROWS (older ones
    # were kept to a million rows), thinned to this once training goes on.
    MAX_ROWS = 100_000

    def __init__(self, capacity: int = 1024, max_rows: int = MAX_ROWS):
        if max_rows < 8:
            raise ValueError(f"max_rows must be at least 8, not {max_rows}")
        self.max_rows = max_rows
        self.generation = 0
        self._length = 0
        # the reader's numbering: rows appended since the last clear, thinned ones included
        self._appended = 0
        self._taken: int | None = None      # rows handed to the streaming reader; None: no reader
        self._stride = 1
        self._thin_at = max_rows
        self._columns = {name: np.zeros(capacity, dtype) for name, dtype in self.COLUMNS.items()}

    def __len__(self) -> int:
        """Rows stored (thinned rows are gone)."""
        return self._length

    def clear(self) -> None:
        self._length = self._appended = 0
        self._stride = 1
        self._thin_at = self.max_rows
        if self._taken is not None:
            self._taken = 0
        self.generation += 1

    def append(self, epoch: int, evaluation: Evaluation, learning_rate: float,
               batch_size: int) -> None:
        if self._length >= self._thin_at:
            self._thin()
        if self._length == len(self._columns["epochs"]):
            for name, column in self._columns.items():
                grown = np.zeros(2 * len(column), column.dtype)
                grown[: self._length] = column
                self._columns[name] = grown
        row = {
            "epochs": epoch,
            "train_loss": evaluation.train_loss,
            "test_loss": evaluation.test_loss,
            "train_accuracy": evaluation.train_accuracy,
            "test_accuracy": evaluation.test_accuracy,
            "learning_rate": learning_rate,
            "batch_size": batch_size,
        }
        for name, value in row.items():
            self._columns[name][self._length] = value
        self._length += 1
        self._appended += 1

    def column(self, name: str) -> np.ndarray:
        """A copy of one column: every stored row."""
        return self._columns[name][: self._length].copy()

    def columns(self) -> dict[str, np.ndarray]:
        """Copies of every column (every stored row), by name."""
        return {name: self.column(name) for name in self.COLUMNS}

    def read_from(self, cursor: int) -> dict[str, np.ndarray]:
        """For the streaming reader: copies of every column from row ``cursor`` of the rows
        appended since the last clear; the reader then moves its cursor on by the rows returned.

        A reader starting at 0 gets every stored row, however thinned.
        """
        thinned = self._appended - self._length
        if cursor == 0 and thinned:
            self._appended = self._length       # a new reader: count only what is stored
            thinned = 0
        lowest = self._taken if thinned else 0  # thinned rows all lie before the reader's cursor
        if not lowest <= cursor <= self._appended:
            raise ValueError(f"history cursor {cursor} is outside {lowest}..{self._appended}")
        self._taken = self._appended
        return {name: self._columns[name][cursor - thinned: self._length].copy()
                for name in self.COLUMNS}

    def replace_all(self, columns: dict[str, np.ndarray]) -> None:
        """Restore a saved history (storage); every column must have the same length."""
        lengths = {len(np.asarray(columns[name])) for name in self.COLUMNS}
        if len(lengths) != 1:
            raise ValueError("history columns must all have the same length")
        self.clear()
        length = lengths.pop()
        capacity = max(1024, 1 << max(0, length - 1).bit_length())
        self._columns = {}
        for name, dtype in self.COLUMNS.items():
            column = np.zeros(capacity, dtype)
            column[:length] = np.asarray(columns[name], dtype)
            self._columns[name] = column
        self._length = self._appended = length

    def _thin(self) -> None:
        """Keep the first row, the older rows at epochs that are multiples of the stride, and
        exactly both the newest ``max_rows // 2`` rows and every row not yet handed out."""
        exact_from = self._appended - self.max_rows // 2
        if self._taken is not None:
            exact_from = min(exact_from, self._taken)
        # rows thinned before all lie before exact_from (it never moves back within a clear)
        cut = exact_from - (self._appended - self._length)
        if cut > 1:
            epochs = self._columns["epochs"][:cut]
            while True:
                keep = epochs % self._stride == 0
                keep[0] = True
                if np.count_nonzero(keep) <= self.max_rows // 4 or self._stride >= 1 << 62:
                    break
                self._stride *= 2
            kept = np.flatnonzero(keep)
            recent = self._length - cut
            for column in self._columns.values():
                column[: len(kept)] = column[kept]
                column[len(kept): len(kept) + recent] = column[cut: self._length]
            self._length = len(kept) + recent
            if self._taken is None:
                self._appended = self._length   # nobody holds a cursor to keep valid
        # when unsent rows block thinning, retry a quarter of max_rows later
        self._thin_at = max(self.max_rows, self._length + self.max_rows // 4)
