"""Turning a live :class:`~playground.session.Playground` into frozen :class:`Snapshot` values.

No Qt here: the training worker calls it on its own thread, and anything else driving a
playground (a script, a test) can take the same snapshots the views render.
"""
from __future__ import annotations

import collections
from dataclasses import replace

import numpy as np

from playground.session import Playground
from playground.snapshot import (
    BatchInspection,
    DataView,
    History,
    Snapshot,
    Structure,
    frozen,
    frozen_copy,
)


class SnapshotBuilder:
    """Builds snapshots of one playground after another, numbering them.

    The data view and the structure are cached per version: their arrays never change within
    a version, so consecutive snapshots share them instead of copying the dataset each frame.
    """

    def __init__(self, grid_resolution: int):
        self.grid_resolution = grid_resolution
        self.serial = 0
        self._data_view: DataView | None = None
        self._structure: Structure | None = None
        self._edit: tuple[int, int | None] = (-1, None)     # (data version, edit number)

    def data_edit_is(self, data_version: int, edit: int | None) -> None:
        """The data of ``data_version`` is the sender's edit number ``edit`` (SetDataset): the
        snapshots of that version say so in ``data.edit``, those of any other version do not."""
        self._edit = (data_version, edit)

    def build(self, playground: Playground, state: str, history: History,
              epochs_per_second: float, inspection: BatchInspection | None) -> Snapshot:
        self.serial += 1
        network = playground.network
        gradients = playground.last_gradients()
        # float64 for the views whatever the engine's precision (widening float32 is exact)
        weight_gradients = tuple(frozen_copy(dW, np.float64) for dW, _ in gradients)
        bias_gradients = tuple(frozen_copy(db, np.float64) for _, db in gradients)
        with np.errstate(over="ignore"):     # huge gradients just before a divergence
            norms = np.array([np.sqrt(np.sum(np.square(dW)) + np.sum(np.square(db)))
                              for dW, db in zip(weight_gradients, bias_gradients)])
        extent, output, maps = playground.grid_maps(self.grid_resolution)
        evaluation = playground.evaluate()
        snapshot = Snapshot(
            serial=self.serial,
            state=state,
            epoch=playground.epoch,
            batch_in_epoch=playground.batch_in_epoch,
            epochs_per_second=float(epochs_per_second),
            history=history,
            data=self._data(playground),
            structure=self._structure_of(playground),
            weights=tuple(frozen_copy(w, np.float64) for w in network.weights),
            biases=tuple(frozen_copy(b, np.float64) for b in network.biases),
            weight_gradients=weight_gradients,
            bias_gradients=bias_gradients,
            gradient_norms=frozen_copy(norms),
            grid_extent=extent,
            grid_output=frozen(output),          # fresh arrays from grid_maps
            neuron_maps=tuple(frozen(m) for m in maps),
            train_loss=evaluation.train_loss,
            test_loss=evaluation.test_loss,
            train_accuracy=evaluation.train_accuracy,
            test_accuracy=evaluation.test_accuracy,
            inspection=inspection,
            batches_per_epoch=playground.batches_per_epoch,
        )
        # the plots sample the same moment; the log keeps it for a saved file
        log = playground.layer_log
        log.record(snapshot.position, snapshot.weights, norms)   # float64, as the plots
        if log.restored:
            log.restored = False
            snapshot = replace(snapshot, layer_history=log.history())
        return snapshot

    def _data(self, playground: Playground) -> DataView:
        if self._data_view is None or self._data_view.version != playground.data_version:
            version, edit = self._edit
            self._data_view = DataView(
                version=playground.data_version,
                edit=edit if version == playground.data_version else None,
                kind=playground.dataset.kind,
                n_classes=playground.dataset.n_classes,
                X_train=frozen_copy(playground.X_train_raw),
                y_train=frozen_copy(playground.y_train),
                X_test=frozen_copy(playground.X_test_raw),
                y_test=frozen_copy(playground.y_test),
                train_indices=frozen_copy(playground.train_indices),
                test_indices=frozen_copy(playground.test_indices),
                generated=playground.data_generated,
            )
        return self._data_view

    def _structure_of(self, playground: Playground) -> Structure:
        if self._structure is None or self._structure.version != playground.structure_version:
            network = playground.network
            self._structure = Structure(
                version=playground.structure_version,
                features=tuple(playground.config.network.features),
                layer_sizes=tuple(network.layer_sizes),
                activations=tuple(network.activations),
                output_activation=network.output_activation,
                loss=network.loss_name,
            )
        return self._structure


def history_since(playground: Playground, start: int) -> History:
    """The playground's per-epoch history from entry ``start`` on, as read-only columns."""
    columns = playground.history.read_from(start)
    for array in columns.values():
        array.flags.writeable = False   # fresh copies nobody else holds
    return History(**columns)


class RateMeter:
    """Epochs per second measured over the last second of snapshots."""

    def __init__(self):
        self._samples = collections.deque()

    def clear(self) -> None:
        self._samples.clear()

    def measure(self, now: float, epoch: int) -> float:
        samples = self._samples
        if samples and epoch < samples[-1][1]:
            samples.clear()
        samples.append((now, epoch))
        while len(samples) > 2 and now - samples[1][0] >= 1.0:
            samples.popleft()
        (t0, e0), (t1, e1) = samples[0], samples[-1]
        return (e1 - e0) / (t1 - t0) if t1 > t0 else 0.0
