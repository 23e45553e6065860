"""Fingerprints of a playground's state, to tell whether it changed since it was saved or opened.

The GUI compares the fingerprint of what it last saved (computed from the captured content) with
the fingerprint of each snapshot it receives; the two are computed from the same quantities, so
"unsaved changes" means exactly "the weights, the training position or the data differ".
Settings are compared separately (they arrive as PlaygroundConfig).
"""
from __future__ import annotations

import hashlib
from typing import Iterable

import numpy as np


def state_fingerprint(epoch: int, batch_in_epoch: int, weights: Iterable[np.ndarray],
                      biases: Iterable[np.ndarray], X_train, y_train, X_test, y_test) -> str:
    """SHA-256 over the training position, every weight and bias, and the split data."""
    digest = hashlib.sha256(f"{int(epoch)}/{int(batch_in_epoch)}".encode())
    for array in (*weights, *biases, X_train, y_train, X_test, y_test):
        array = np.ascontiguousarray(array)
        digest.update(f"{array.dtype.str}{array.shape}".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()


def content_fingerprint(content: dict) -> str:
    """The fingerprint of captured content (``playground.storage.capture``)."""
    from playground.storage.export import model_of

    model = model_of(content)
    state = content["trainer"]["state"]
    X, y = content["dataset"]["X"], content["dataset"]["y"]
    train, test = content["split"]["train_indices"], content["split"]["test_indices"]
    return state_fingerprint(state["epoch"], state["batch_index"], model.weights, model.biases,
                             X[train], y[train], X[test], y[test])
