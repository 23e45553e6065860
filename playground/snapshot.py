"""Immutable snapshots of training state, sent from the worker to every view.

No Qt here: snapshots are plain frozen dataclasses whose arrays are private copies marked
read-only, so a busy GUI can never see values written after the snapshot was taken.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.layer_log import LayerHistory

PLAYING = "playing"
PAUSED = "paused"


def frozen_copy(array, dtype=None) -> np.ndarray:
    """A read-only copy nobody else holds (converted to ``dtype`` if given)."""
    copy = np.array(array, dtype=dtype, copy=True)
    copy.flags.writeable = False
    return copy


def frozen(fresh: np.ndarray) -> np.ndarray:
    """``fresh`` marked read-only: for an array just computed that nobody else holds, so the
    snapshot need not pay for a second copy (the map grids are the largest arrays it carries)."""
    fresh.flags.writeable = False
    return fresh


@dataclass(frozen=True)
class History:
    """Per-epoch numbers since the previous snapshot (possibly none); nothing is ever dropped.

    Accuracies are NaN for regression. learning_rate and batch_size are those in force at the
    end of each epoch.
    """

    epochs: np.ndarray          # int64 (k,)
    train_loss: np.ndarray      # float64 (k,)
    test_loss: np.ndarray       # float64 (k,)
    train_accuracy: np.ndarray  # float64 (k,)
    test_accuracy: np.ndarray   # float64 (k,)
    learning_rate: np.ndarray   # float64 (k,)
    batch_size: np.ndarray      # int64 (k,)

    def __len__(self) -> int:
        return len(self.epochs)


@dataclass(frozen=True)
class DataView:
    """The points being trained on, split into train and test (raw x1, x2, not features)."""

    version: int                # grows whenever the dataset or split changes
    kind: str                   # "classification" | "regression"
    n_classes: int              # 0 for regression
    X_train: np.ndarray         # (n_train, 2)
    y_train: np.ndarray         # (n_train,) class index or value
    X_test: np.ndarray
    y_test: np.ndarray
    train_indices: np.ndarray   # positions of the train points in the full dataset
    test_indices: np.ndarray
    # the number its sender gave the edit that made this data (SetDataset's ``edit``), so the
    # dataset painter knows its own echo; None for generated, loaded or re-split data
    edit: int | None = None
    # the points are what the config's generator makes (False: painted or otherwise hand-made)
    generated: bool = True


@dataclass(frozen=True)
class Structure:
    """The network's shape, as the views need it."""

    version: int                # grows whenever the structure is rebuilt
    features: tuple[str, ...]
    layer_sizes: tuple[int, ...]   # inputs, hidden..., outputs
    activations: tuple[str, ...]   # one per hidden layer
    output_activation: str
    loss: str


@dataclass(frozen=True)
class BatchInspection:
    """Copies of the engine's own caches for one mini-batch step, for the backprop inspector.

    Layer l (1-based in the maths, index l-1 here for z/delta/gradients) has
    z[l-1] = a[l-1] @ W[l-1] + b[l-1] and a[l] = f(z[l-1]); a[0] is the mini-batch's inputs.
    """

    epoch: int                  # epoch the batch belongs to (completed epochs before it)
    batch_index: int            # position of the batch within its epoch
    indices: np.ndarray         # rows of the training set in this batch
    targets: np.ndarray         # (batch, n_out)
    z: tuple[np.ndarray, ...]   # per layer (batch, units)
    a: tuple[np.ndarray, ...]   # a[0] = inputs, ..., a[-1] = output
    delta: tuple[np.ndarray, ...]            # dL/dz per layer
    weight_gradients: tuple[np.ndarray, ...]  # dL/dW per layer (penalty included)
    bias_gradients: tuple[np.ndarray, ...]
    weights_before: tuple[np.ndarray, ...]
    biases_before: tuple[np.ndarray, ...]
    weights_after: tuple[np.ndarray, ...]
    biases_after: tuple[np.ndarray, ...]
    loss: float
    optimizer: str
    learning_rate: float
    l1: float
    l2: float
    epoch_finished: bool = False     # this batch was the last of its epoch
    # the precision the step was computed in; arrays are float64 either way (widened exactly)
    precision: str = "float64"

    @property
    def position_after(self) -> tuple[int, int]:
        """(completed epochs, mini-batches into the next) once this step was taken."""
        if self.epoch_finished:
            return self.epoch + 1, 0
        return self.epoch, self.batch_index + 1


@dataclass(frozen=True)
class Snapshot:
    """One update for the views; at most ~30 per second, always one on pause/step/reset/stop."""

    serial: int
    state: str                  # PLAYING | PAUSED
    epoch: int                  # completed epochs
    batch_in_epoch: int         # mini-batches done in the current epoch
    epochs_per_second: float    # measured
    history: History
    data: DataView
    structure: Structure
    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]
    weight_gradients: tuple[np.ndarray, ...]   # of the last mini-batch
    bias_gradients: tuple[np.ndarray, ...]
    gradient_norms: np.ndarray                 # (n_layers,) Frobenius norm of [dW; db] per layer
    grid_extent: tuple[float, float, float, float]   # xmin, xmax, ymin, ymax of the maps
    grid_output: np.ndarray     # float32 (res, res, n_out), row = y, column = x
    neuron_maps: tuple[np.ndarray, ...]         # float32 (res, res, units) per hidden layer + output
    train_loss: float
    test_loss: float
    train_accuracy: float
    test_accuracy: float
    # the caches of the last "step one mini-batch" command; None after any other command
    inspection: BatchInspection | None = None
    batches_per_epoch: int = 0  # of the training set as it is (0: unknown)
    # the per-layer samples of a history restored from a file, carried by the first snapshot
    # after it was opened (the weights and gradient plots start from them); None otherwise
    layer_history: LayerHistory | None = None
    # the Slope panel's and the landscape's numbers, while those panels are shown (else None)
    slope: SlopeView | None = None
    landscape: LandscapeView | None = None

    @property
    def position(self) -> float:
        """Where training stands in epochs: completed epochs plus the share of the next one
        done (what the per-layer plots put on their epoch axis)."""
        if not self.batches_per_epoch:
            return float(self.epoch)
        return self.epoch + self.batch_in_epoch / self.batches_per_epoch


@dataclass(frozen=True)
class SlopeView:
    """The loss along the optimizer's step, for the Slope panel (playground.loss_views).

    ``losses[i]`` = L(W + s[i]*D) with D the step the optimizer takes, s = 1 where it lands;
    ``t`` = s * learning_rate, the axis the panel draws (for SGD the step lands at t = lr).
    The tangent is ``loss + slope * s`` (the first-order prediction); ``slope / learning_rate``
    is dL/dt, -|g|^2 for plain SGD. ``data`` is "batch" (the next mini-batch) or "train";
    ``epoch`` and ``batch_in_epoch`` say when it was computed. ``problem`` is set (and the
    numbers are empty) when there is no profile to show: the step diverges, no training data.
    """

    data: str
    epoch: int
    batch_in_epoch: int
    optimizer: str
    plain_gradient_step: bool   # the step is -lr*g exactly (SGD without L1)
    t: np.ndarray
    losses: np.ndarray
    loss: float
    landing_loss: float
    slope: float
    predicted_landing: float
    gradient_norm_sq: float
    step_norm: float
    learning_rate: float
    problem: str = ""

    def overshoot(self, tolerance: float = 0.02) -> tuple[float, float] | None:
        """(t, loss) of the lowest point of the curve before the landing, when the step lands
        higher than it by more than ``tolerance`` of the curve's span: the step went past the
        bottom of the valley. None otherwise."""
        t, losses = np.asarray(self.t), np.asarray(self.losses)
        before = (t > 0) & (t < self.learning_rate * (1 - 1e-9)) & np.isfinite(losses)
        if not before.any():
            return None
        index = np.flatnonzero(before)[np.argmin(losses[before])]
        finite = losses[np.isfinite(losses)]
        span = max(float(finite.max() - finite.min()), 1e-12)
        if self.landing_loss - losses[index] > tolerance * span and losses[index] < self.loss:
            return float(t[index]), float(losses[index])
        return None


@dataclass(frozen=True)
class LandscapeView:
    """A slice of the training loss, L(W0 + a*d1 + b*d2) on a grid, for the Landscape panel.

    ``values[i, j]`` is at (a[j], b[i]); rows not computed yet are NaN (``rows_done`` of them
    are). W0, the centre, is where the weights were when the slice began (``epoch``); ``path``
    (k, 2) is the optimizer's path projected onto the plane, oldest first, and ``current`` the
    weights now. ``directions`` is "random" or "pca" (what was used; ``requested`` what was
    asked for), ``path_share`` the share of the path's variance the plane holds (NaN for random
    directions). ``problem`` says why there is nothing to show, if so.
    """

    directions: str
    requested: str
    resolution: int
    epoch: int
    a: np.ndarray
    b: np.ndarray
    values: np.ndarray
    rows_done: int
    centre_loss: float
    path: np.ndarray
    current: tuple[float, float]
    path_share: float
    problem: str = ""

    @property
    def complete(self) -> bool:
        return self.rows_done == len(self.b)
