"""Snapshots of a real training run made without the worker, for the examples, the tests and
the benchmarks.

A :class:`DemoRun` trains a real :class:`~playground.session.Playground` (the engine, the
session's history) and takes its snapshots with the worker's own
:class:`~playground.snapshot_builder.SnapshotBuilder`: each carries the epochs trained since the
one before, exactly as the worker streams them. No Qt here.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Iterator, Sequence

import numpy as np

from playground.config import (REGRESSION, DataSpec, Hyperparameters, NetworkSpec,
                               PlaygroundConfig)
from playground.inspection import inspected_step
from playground.session import Playground
from playground.snapshot import PAUSED, PLAYING, History, Snapshot, frozen_copy
from playground.snapshot_builder import SnapshotBuilder, history_since

KINDS = ("circle", "three_class", "regression")
# the data of each kind, n_samples filled in by the run
DATA = {"circle": DataSpec(generator="circle"),
        "three_class": DataSpec(generator="blobs", classes=3, noise=0.2),
        "regression": DataSpec(generator="bumps", problem=REGRESSION)}
# what the speed read-out shows: a demo run has no speed of its own
EPOCHS_PER_SECOND = 120.0


def demo_config(kind: str = "circle", hidden_layers: Sequence[int] = (4, 2),
                features: Sequence[str] = ("x1", "x2"), n_points: int = 200,
                learning_rate: float = 0.03, optimizer: str = "sgd",
                seed: int = 0) -> PlaygroundConfig:
    """The configuration of a demo run: one of KINDS, tanh hidden layers, batches of 10."""
    if kind not in DATA:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    hidden_layers = tuple(hidden_layers)
    return PlaygroundConfig(
        data=replace(DATA[kind], n_samples=n_points, seed=seed),
        network=NetworkSpec(hidden_layers=hidden_layers, activations=("tanh",) * len(hidden_layers),
                            features=tuple(features), seed=seed),
        hyper=Hyperparameters(learning_rate=learning_rate, optimizer=optimizer))


class DemoRun:
    """A real playground trained epoch by epoch, its state taken as snapshots like the worker's.

    ``structure_version`` and ``data_version`` number the first snapshots (a view caches by
    version, so a second run shown in the same view needs others).
    """

    def __init__(self, kind: str = "circle", hidden_layers: Sequence[int] = (4, 2),
                 features: Sequence[str] = ("x1", "x2"), n_points: int = 200,
                 resolution: int = 100, learning_rate: float = 0.03, optimizer: str = "sgd",
                 seed: int = 0, structure_version: int = 1, data_version: int = 1) -> None:
        self.kind = kind
        self.playground = Playground(demo_config(kind, hidden_layers, features, n_points,
                                                 learning_rate, optimizer, seed))
        self.playground.structure_version = structure_version
        self.playground.data_version = data_version
        self.builder = SnapshotBuilder(resolution)
        self._history_sent = 0
        self._inspection = None

    @property
    def epoch(self) -> int:
        return self.playground.epoch

    def train(self, epochs: int) -> None:
        """Train ``epochs`` whole epochs; each is recorded in the history."""
        for _ in range(epochs):
            self.playground.step_epoch()

    def step_batch(self) -> None:
        """Train one mini-batch; the next snapshot carries its inspection, as after Step batch."""
        _, self._inspection = inspected_step(self.playground.trainer, self.playground.step_batch)

    def snapshot(self, state: str = PLAYING) -> Snapshot:
        """The state now; its history holds the epochs trained since the last snapshot."""
        history = history_since(self.playground, self._history_sent)
        self._history_sent += len(history)
        inspection, self._inspection = self._inspection, None
        return self.builder.build(self.playground, state, history, EPOCHS_PER_SECOND, inspection)


def demo_snapshot(kind: str = "circle", hidden_layers: Sequence[int] = (4, 2),
                  features: Sequence[str] = ("x1", "x2"), epochs: int = 300,
                  resolution: int = 100, seed: int = 0) -> Snapshot:
    """One paused snapshot after ``epochs`` epochs, with the whole history since epoch 1."""
    run = DemoRun(kind, hidden_layers, features, resolution=resolution, seed=seed)
    run.train(epochs)
    return run.snapshot(state=PAUSED)


def demo_stream(kind: str = "circle", hidden_layers: Sequence[int] = (4, 2),
                features: Sequence[str] = ("x1", "x2"), snapshots: int = 20,
                epochs_per_snapshot: int = 10, resolution: int = 100,
                seed: int = 0) -> Iterator[Snapshot]:
    """Consecutive snapshots of one run, like the worker emits while playing."""
    run = DemoRun(kind, hidden_layers, features, resolution=resolution, seed=seed)
    for _ in range(snapshots):
        run.train(epochs_per_snapshot)
        yield run.snapshot()


def make_history(epochs: Sequence[int], train_loss=None, test_loss=None, train_accuracy=None,
                 test_accuracy=None, learning_rate: float = 0.03, batch_size: int = 10) -> History:
    """A History for the given epochs; missing series get smooth made-up values."""
    epochs = np.asarray(epochs, dtype=np.int64)
    decay = np.exp(-epochs / 200.0)

    def column(values, default):
        return frozen_copy(np.asarray(default if values is None else values, dtype=np.float64))

    return History(
        epochs=frozen_copy(epochs),
        train_loss=column(train_loss, 0.05 + 0.6 * decay),
        test_loss=column(test_loss, 0.07 + 0.6 * decay),
        train_accuracy=column(train_accuracy, 1.0 - 0.5 * decay),
        test_accuracy=column(test_accuracy, 0.98 - 0.5 * decay),
        learning_rate=column(None, np.full(len(epochs), learning_rate)),
        batch_size=frozen_copy(np.full(len(epochs), batch_size, dtype=np.int64)),
    )
