"""Realistic Snapshots without the worker, for tests, benchmarks and running a panel alone.

Pure NumPy: a small dataset (circle, three blobs or a regression surface) and a tiny full-batch
gradient-descent network are enough to give every field of a Snapshot believable values
(a boundary that fits the data, falling loss curves, neuron maps that are real activations).
This is a demo generator, not the engine: the engine lives in playground.engine.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Sequence

import numpy as np

from playground.data import DATA_EXTENT, feature_matrix
from playground.snapshot import (PAUSED, PLAYING, DataView, History, Snapshot, Structure,
                                 frozen_copy)

EXTENT = (*DATA_EXTENT, *DATA_EXTENT)
KINDS = ("circle", "three_class", "regression")

def demo_points(kind: str, n: int = 200, seed: int = 0) -> tuple[np.ndarray, np.ndarray, int]:
    """(X, y, n_classes) for one of KINDS; n_classes is 0 for regression."""
    rng = np.random.default_rng(seed)
    if kind == "circle":
        radius = np.concatenate([rng.uniform(0.0, 2.5, n // 2), rng.uniform(3.5, 5.0, n - n // 2)])
        angle = rng.uniform(0.0, 2.0 * np.pi, n)
        X = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
        y = (np.arange(n) < n // 2).astype(np.int64)        # inside = class 1 (blue)
        return X, y, 2
    if kind == "three_class":
        centres = np.array([[-3.0, -2.0], [3.0, -2.0], [0.0, 3.0]])
        y = np.arange(n) % 3
        X = centres[y] + rng.normal(0.0, 1.1, (n, 2))
        return X, y.astype(np.int64), 3
    if kind == "regression":
        X = rng.uniform(-6.0, 6.0, (n, 2))
        y = np.tanh(X[:, 0] / 3.0) * np.cos(X[:, 1] / 4.0)
        return X, y, 0
    raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")


def _output_for(kind: str) -> tuple[int, str, str]:
    if kind == "regression":
        return 1, "linear", "mse"
    if kind == "three_class":
        return 3, "softmax", "cross_entropy"
    return 1, "sigmoid", "bce"


@dataclass
class DemoNetwork:
    """A tanh network trained by full-batch gradient descent with momentum (demo only)."""

    layer_sizes: tuple[int, ...]
    output_activation: str
    seed: int = 0
    weights: list[np.ndarray] = field(init=False)
    biases: list[np.ndarray] = field(init=False)

    def __post_init__(self) -> None:
        rng = np.random.default_rng(self.seed)
        self.weights = [rng.normal(0.0, 1.0 / np.sqrt(a), (a, b))
                        for a, b in zip(self.layer_sizes[:-1], self.layer_sizes[1:])]
        self.biases = [np.zeros(b) for b in self.layer_sizes[1:]]
        self._velocity = [np.zeros_like(p) for p in self.weights + self.biases]

    def activations(self, inputs: np.ndarray) -> list[np.ndarray]:
        """Activations of every layer after the input (hidden..., output)."""
        outputs, a = [], inputs
        last = len(self.weights) - 1
        for layer, (W, b) in enumerate(zip(self.weights, self.biases)):
            z = a @ W + b
            if layer < last:
                a = np.tanh(z)
            elif self.output_activation == "sigmoid":
                a = 1.0 / (1.0 + np.exp(-z))
            elif self.output_activation == "softmax":
                e = np.exp(z - z.max(axis=1, keepdims=True))
                a = e / e.sum(axis=1, keepdims=True)
            else:
                a = z
            outputs.append(a)
        return outputs

    def loss(self, inputs: np.ndarray, Y: np.ndarray) -> float:
        out = self.activations(inputs)[-1]
        if self.output_activation == "linear":
            return float(0.5 * np.mean(np.sum((out - Y) ** 2, axis=1)))
        out = np.clip(out, 1e-7, 1 - 1e-7)
        if self.output_activation == "sigmoid":
            return float(-np.mean(Y * np.log(out) + (1 - Y) * np.log(1 - out)))
        return float(-np.mean(np.sum(Y * np.log(out), axis=1)))

    def step(self, inputs: np.ndarray, Y: np.ndarray, learning_rate: float
             ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """One gradient-descent step; returns (weight gradients, bias gradients)."""
        acts = [inputs] + self.activations(inputs)
        # every output/loss pair used here has dL/dz = (a - Y) / n
        delta = (acts[-1] - Y) / len(inputs)
        grads_W, grads_b = [], []
        for layer in range(len(self.weights) - 1, -1, -1):
            grads_W.insert(0, acts[layer].T @ delta)
            grads_b.insert(0, delta.sum(axis=0))
            if layer:
                delta = (delta @ self.weights[layer].T) * (1.0 - acts[layer] ** 2)
        params = self.weights + self.biases
        for param, grad, velocity in zip(params, grads_W + grads_b, self._velocity):
            velocity *= 0.9
            velocity -= learning_rate * grad
            param += velocity
        return grads_W, grads_b


def targets_of(y: np.ndarray, n_classes: int) -> np.ndarray:
    if n_classes == 0:
        return y[:, None].astype(np.float64)
    if n_classes == 2:
        return y[:, None].astype(np.float64)
    return np.eye(n_classes)[y]


def accuracy(outputs: np.ndarray, y: np.ndarray, n_classes: int) -> float:
    if n_classes == 0:
        return float("nan")
    predicted = (outputs[:, 0] >= 0.5).astype(np.int64) if n_classes == 2 else outputs.argmax(1)
    return float(np.mean(predicted == y))


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


class DemoRun:
    """Trains a DemoNetwork and turns its state into Snapshots, epoch by epoch.

    ``snapshot()`` returns the state now, with the History of the epochs since the previous
    call, exactly like the worker does.
    """

    def __init__(self, kind: str = "circle", hidden_layers: Sequence[int] = (4, 2),
                 features: Sequence[str] = ("x1", "x2"), n_points: int = 200,
                 resolution: int = 100, learning_rate: float = 0.05, seed: int = 0,
                 structure_version: int = 1, data_version: int = 1) -> None:
        self.kind = kind
        self.features = tuple(features)
        self.resolution = resolution
        self.learning_rate = learning_rate
        n_out, self.output_activation, self.loss_name = _output_for(kind)
        X, y, self.n_classes = demo_points(kind, n_points, seed)
        rng = np.random.default_rng(seed + 1)
        order = rng.permutation(len(X))
        half = len(X) // 2
        self.train_idx, self.test_idx = np.sort(order[:half]), np.sort(order[half:])
        self.X, self.y = X, y
        self.inputs = feature_matrix(X, self.features)
        self.Y = targets_of(y, self.n_classes)
        sizes = (len(self.features), *hidden_layers, n_out)
        self.net = DemoNetwork(sizes, self.output_activation, seed)
        self.structure = Structure(version=structure_version, features=self.features,
                                   layer_sizes=sizes, activations=("tanh",) * len(hidden_layers),
                                   output_activation=self.output_activation, loss=self.loss_name)
        self.data = DataView(
            version=data_version, kind="regression" if self.n_classes == 0 else "classification",
            n_classes=self.n_classes,
            X_train=frozen_copy(X[self.train_idx]), y_train=frozen_copy(y[self.train_idx]),
            X_test=frozen_copy(X[self.test_idx]), y_test=frozen_copy(y[self.test_idx]),
            train_indices=frozen_copy(self.train_idx), test_indices=frozen_copy(self.test_idx))
        xs = np.linspace(EXTENT[0], EXTENT[1], resolution)
        ys = np.linspace(EXTENT[2], EXTENT[3], resolution)
        gx, gy = np.meshgrid(xs, ys)      # row = y, column = x
        self.grid_inputs = feature_matrix(np.stack([gx.ravel(), gy.ravel()], axis=1),
                                          self.features)
        self.epoch = 0
        self.serial = 0
        self._pending: list[tuple[int, float, float, float, float]] = []
        self._last_grads = ([np.zeros_like(W) for W in self.net.weights],
                            [np.zeros_like(b) for b in self.net.biases])

    def _metrics(self) -> tuple[float, float, float, float]:
        out = self.net.activations(self.inputs)[-1]
        tr, te = self.train_idx, self.test_idx
        return (self.net.loss(self.inputs[tr], self.Y[tr]),
                self.net.loss(self.inputs[te], self.Y[te]),
                accuracy(out[tr], self.y[tr], self.n_classes),
                accuracy(out[te], self.y[te], self.n_classes))

    def train(self, epochs: int) -> None:
        """Run ``epochs`` full-batch steps, recording each epoch's numbers."""
        tr = self.train_idx
        for _ in range(epochs):
            self._last_grads = self.net.step(self.inputs[tr], self.Y[tr], self.learning_rate)
            self.epoch += 1
            self._pending.append((self.epoch, *self._metrics()))

    def snapshot(self, state: str = PLAYING) -> Snapshot:
        """The current state; its History holds the epochs trained since the last snapshot."""
        self.serial += 1
        rows = np.array(self._pending, dtype=np.float64).reshape(-1, 5)
        self._pending = []
        history = make_history(rows[:, 0].astype(np.int64), rows[:, 1], rows[:, 2], rows[:, 3],
                               rows[:, 4], learning_rate=self.learning_rate,
                               batch_size=len(self.train_idx))
        res = self.resolution
        maps = tuple(frozen_copy(a.astype(np.float32).reshape(res, res, -1))
                     for a in self.net.activations(self.grid_inputs))
        grads_W, grads_b = self._last_grads
        norms = np.array([np.sqrt(np.sum(gW ** 2) + np.sum(gb ** 2))
                          for gW, gb in zip(grads_W, grads_b)])
        train_loss, test_loss, train_acc, test_acc = self._metrics()
        return Snapshot(
            serial=self.serial, state=state, epoch=self.epoch, batch_in_epoch=0,
            epochs_per_second=120.0, history=history, data=self.data, structure=self.structure,
            weights=tuple(frozen_copy(W) for W in self.net.weights),
            biases=tuple(frozen_copy(b) for b in self.net.biases),
            weight_gradients=tuple(frozen_copy(g) for g in grads_W),
            bias_gradients=tuple(frozen_copy(g) for g in grads_b),
            gradient_norms=frozen_copy(norms), grid_extent=EXTENT,
            grid_output=maps[-1], neuron_maps=maps,
            train_loss=train_loss, test_loss=test_loss,
            train_accuracy=train_acc, test_accuracy=test_acc)


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
