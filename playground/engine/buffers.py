"""Preallocated per-layer arrays for one network shape and batch size: a step allocates nothing.
Also how the flat parameter vector is laid out (block_views) and the precisions every array of
a network shares (PRECISIONS).

Why: on the playground's tiny networks a mini-batch step costs a few dozen NumPy calls of well
under a microsecond of arithmetic each, so call count and memory layout decide the speed
(docs/NOTES.md, "Engine speed").  Two layout choices follow from that:

* each layer's input carries an extra row of ones, so ``[W; b]^T [a; 1]`` gives ``W^T a + b``
  in one product and one product gives ``[dW; db]`` -- no separate bias add or bias sum;
* arrays are stored transposed, one row per unit and one column per sample.  A layer's
  activations are then the first rows of its input block, a contiguous array that ufuncs write
  at full speed (a column slice of a row-per-sample block is strided and about 2x slower).

The ``(samples, units)`` arrays the rest of the program sees are transposed views of these.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

PRECISIONS: dict[str, type] = {"float64": np.float64, "float32": np.float32}
"""The precisions a network can compute in, by name (the first is the default)."""


def block_views(flat: np.ndarray, layer_sizes: Sequence[int]) -> list[np.ndarray]:
    """Split a flat parameter-shaped vector into per-layer (fan_in + 1, fan_out) blocks (views)."""
    blocks, offset = [], 0
    for fan_in, fan_out in zip(layer_sizes[:-1], layer_sizes[1:]):
        size = (fan_in + 1) * fan_out
        blocks.append(flat[offset:offset + size].reshape(fan_in + 1, fan_out))
        offset += size
    return blocks


class LayerViews(list):
    """A list of per-layer parameter views; assigning ``views[l] = array`` copies into the view,
    so the flat parameter vector stays the single place the numbers live."""

    def __setitem__(self, index, value):
        view = self[index]
        value = np.asarray(value, dtype=np.float64)
        if value.shape != view.shape:
            raise ValueError(f"layer {index} expects shape {view.shape}, got {value.shape}")
        view[...] = value


def parameter_count(layer_sizes: Sequence[int]) -> int:
    return sum((i + 1) * o for i, o in zip(layer_sizes[:-1], layer_sizes[1:]))


def precision_dtype(precision: str) -> np.dtype:
    """The NumPy dtype of a precision name, or ValueError naming the choices."""
    try:
        return np.dtype(PRECISIONS[precision])
    except (KeyError, TypeError):
        raise ValueError(f"unknown precision {precision!r}; choose one of "
                         f"{', '.join(PRECISIONS)}") from None


class Workspace:
    """Arrays for every layer of a network and a batch of exactly ``m`` samples.

    Weight layer l reads ``inputs_t[l]`` (size_l + 1, m; last row ones) and writes ``z_t[l]``
    (size_{l+1}, m); its activations go to the first rows of ``inputs_t[l + 1]``, or to
    ``output_t`` for the last layer.  ``y_t`` holds the batch's targets, ``delta_t[l]`` dL/dz_l;
    ``scratch_t[l]`` and ``spare_t[l]`` are room shaped like z_t[l], ``col`` a (m,) vector and
    ``loss_terms`` the loss's two partial sums.  The ``_t`` suffix marks transposed storage.
    """

    def __init__(self, layer_sizes, m: int, dtype=np.float64):
        sizes = tuple(layer_sizes)
        self.m = m
        self.inputs_t = []
        for size in sizes[:-1]:
            block = np.empty((size + 1, m), dtype)
            block[-1] = 1.0
            self.inputs_t.append(block)
        self.output_t = np.empty((sizes[-1], m), dtype)
        # activations per layer (a[0] = input, a[-1] = output), each (units, m) and contiguous
        self.a_t = [block[:-1] for block in self.inputs_t] + [self.output_t]
        self.z_t = [np.empty((size, m), dtype) for size in sizes[1:]]
        self.delta_t = [np.empty((size, m), dtype) for size in sizes[1:]]
        self.scratch_t = [np.empty((size, m), dtype) for size in sizes[1:]]
        self.spare_t = [np.empty((size, m), dtype) for size in sizes[1:]]
        self.y_t = np.empty((sizes[-1], m), dtype)
        self.col = np.empty(m, dtype)
        self.loss_terms = np.zeros(2, dtype)
        # recorded calls on these buffers, by purpose (filled by the network/trainer)
        self.tapes: dict = {}

    # (samples, units) views for readers
    @property
    def z(self) -> list[np.ndarray]:
        return [z.T for z in self.z_t]

    @property
    def a(self) -> list[np.ndarray]:
        return [a.T for a in self.a_t]

    @property
    def delta(self) -> list[np.ndarray]:
        return [d.T for d in self.delta_t]


class WorkspaceCache:
    """Workspaces by batch size; a training run mostly needs two (the batch size and the
    remainder of the last batch).  Cleared when too many sizes pile up."""

    def __init__(self, layer_sizes, max_sizes: int = 8, dtype=np.float64):
        self.layer_sizes = tuple(layer_sizes)
        self.max_sizes = max_sizes
        self.dtype = dtype
        self._by_size: dict[int, Workspace] = {}

    def get(self, m: int) -> Workspace:
        workspace = self._by_size.get(m)
        if workspace is None:
            if len(self._by_size) >= self.max_sizes:
                self._by_size.clear()
            workspace = self._by_size[m] = Workspace(self.layer_sizes, m, self.dtype)
        return workspace
