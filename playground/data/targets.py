"""Training targets Y (n, n_out) from dataset labels, and class predictions from outputs."""
from __future__ import annotations

import numpy as np

from playground.data.dataset import Dataset


def one_hot(labels: np.ndarray, n_classes: int) -> np.ndarray:
    """(n, n_classes) float64 with a single 1 per row at the label's column."""
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise ValueError(f"labels must be one-dimensional, got shape {labels.shape}")
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(f"labels must be in 0..{n_classes - 1}")
    Y = np.zeros((labels.shape[0], n_classes), dtype=np.float64)
    Y[np.arange(labels.shape[0]), labels.astype(np.int64)] = 1.0
    return Y


def class_targets(labels: np.ndarray, n_classes: int) -> np.ndarray:
    """A 0/1 column (n, 1) for two classes (sigmoid output), one-hot (n, k) for more (softmax)."""
    if n_classes == 2:
        return one_hot(labels, 2)[:, 1:]
    return one_hot(labels, n_classes)


def targets(dataset: Dataset) -> np.ndarray:
    """The float target matrix for training: class targets, or the values as a column."""
    if dataset.is_classification:
        return class_targets(dataset.y, dataset.n_classes)
    return dataset.y.astype(np.float64).reshape(-1, 1)


def predicted_classes(outputs: np.ndarray) -> np.ndarray:
    """Class indices from network outputs: threshold 0.5 on one column, argmax on several."""
    outputs = np.asarray(outputs)
    if outputs.ndim != 2:
        raise ValueError(f"outputs must be (n, n_out), got shape {outputs.shape}")
    if outputs.shape[1] == 1:
        return (outputs[:, 0] >= 0.5).astype(np.int64)
    return np.argmax(outputs, axis=1).astype(np.int64)
