"""What the window keeps between two frames: the newest snapshot and the history of every
snapshot since the last frame, so a burst of snapshots costs one render and no epoch goes
missing; and the history cut into pieces for a view that takes a long one a piece at a time."""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from playground.snapshot import History, Snapshot


class SnapshotInbox:
    """The newest snapshot plus the history of every snapshot received since the last take().

    A snapshot whose epoch is lower than the previous one, or whose history starts at epoch 1,
    begins a new history (reset, rebuild, load): the epochs pending from before it are dropped,
    since the views clear their curves on that snapshot anyway.
    """

    def __init__(self):
        self._latest: Snapshot | None = None
        self._histories: list[History] = []
        self._last_epoch: int | None = None
        # the newest pending mini-batch inspection, kept if a later snapshot (same structure)
        # arrives in the same frame, so the inspector never misses a step
        self._inspected: Snapshot | None = None
        # a snapshot carrying a restored per-layer history, kept like an inspection
        self._restored: Snapshot | None = None

    def push(self, snapshot: Snapshot) -> None:
        history = snapshot.history
        restarted = (self._last_epoch is not None and snapshot.epoch < self._last_epoch) or \
            (len(history) > 0 and int(history.epochs[0]) == 1)
        if restarted:
            self._histories.clear()
            self._restored = None
        if snapshot.layer_history is not None:
            self._restored = snapshot
        if len(history):
            self._histories.append(history)
        if snapshot.inspection is not None:
            self._inspected = snapshot
        self._latest = snapshot
        self._last_epoch = snapshot.epoch

    def take(self) -> Snapshot | None:
        """The newest snapshot carrying all pending history, or None if nothing arrived."""
        latest = self._latest
        if latest is None:
            return None
        histories, inspected, restored = self._histories, self._inspected, self._restored
        self._latest, self._histories, self._inspected = None, [], None
        self._restored = None
        if inspected is not None and inspected is not latest and latest.inspection is None \
                and inspected.structure.version == latest.structure.version:
            latest = replace(latest, inspection=inspected.inspection)
        if restored is not None and latest.layer_history is None \
                and restored.structure.version == latest.structure.version:
            latest = replace(latest, layer_history=restored.layer_history)
        if len(histories) == 1 and histories[0] is latest.history:
            return latest
        return replace(latest, history=concatenate_histories(histories, latest.history))


def split_history(history: History, rows: int) -> list[History]:
    """``history`` in consecutive pieces of at most ``rows`` rows (views of its columns)."""
    return [History(**{name: getattr(history, name)[start:start + rows]
                       for name in History.__dataclass_fields__})
            for start in range(0, max(len(history), 1), rows)]


def concatenate_histories(histories: list[History], empty: History) -> History:
    """One History holding the epochs of several, in order (``empty`` when there are none)."""
    if not histories:
        return empty if len(empty) == 0 else History(**{
            name: np.zeros(0, getattr(empty, name).dtype) for name in History.__dataclass_fields__})
    columns = {}
    for name in History.__dataclass_fields__:
        column = np.concatenate([getattr(h, name) for h in histories])
        column.flags.writeable = False
        columns[name] = column
    return History(**columns)
