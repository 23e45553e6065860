"""The loss around a network's parameters: along one optimizer step, and on a plane through them.

A :class:`LossSurface` is the engine's loss L(w) -- the mean data loss plus l1 sum|W| + l2/2
sum W^2, exactly what Network.compute_loss returns -- of one network on fixed data, as a
function of the flat parameter vector w.  At the network's own parameters it *is*
compute_loss (the same code on the same numbers; in float64 also for a float32 network).
Elsewhere it evaluates many parameter vectors in one pass: each layer's products for a whole
stack of networks at once (np.matmul), the hidden activations with the engine's own calls on
the stacked arrays, the output activation and the loss with the engine's own calls network by
network.  Every value equals a direct compute_loss at those parameters to ~1e-15, and the
activations of a chunk of the stack stay within ``memory_bytes``.

What it computes:

* :meth:`LossSurface.step_profile` -- the Slope panel: L(W + s*D) for s from 0 past 1, with D
  the change one optimizer step makes (Trainer.preview_step), so s = 1 is where it lands.
  For plain SGD without L1, D = -lr*g: the curve is L(W - t*g) with t = s*lr, the step lands
  at t = lr, and the tangent's slope is dL/dt = -|g|^2.  For the other optimizers (and with
  L1's proximal step) D is not along -g, and the curve follows the step actually taken.
* :class:`PlaneSlice` -- L(W + a*d1 + b*d2) on a grid, computed a few rows at a time, along
  the directions of Li et al., "Visualizing the Loss Landscape of Neural Nets" (2018): two
  filter-normalised random directions (:func:`filter_normalized_direction`), or the two
  principal directions of the weights' recent trajectory (:func:`principal_directions`, the
  trajectory kept by :class:`Trajectory`), which is then projected onto the plane.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from .buffers import block_views
from .network import Network
from .tape import run

DEFAULT_MEMORY = 32 * 2**20     # bytes the activations of one chunk of stacked networks may take
MAX_CHUNK = 512                 # networks per chunk (the per-network loss calls are recorded)


@dataclass(frozen=True)
class StepProfile:
    """The loss along one step D from the parameters W: ``losses[i]`` = L(W + s[i]*D).

    ``t`` = s*learning_rate, the same positions in learning-rate units.  ``loss`` = L(W) and
    ``landing_loss`` = L(W + D) (the marker, s = 1) are the engine's compute_loss exactly.
    ``slope`` = dL/ds at s = 0 (from the right, so exact at L1's kinks too): the tangent
    L(W) + slope*s is the first-order prediction, worth ``predicted_landing`` at s = 1.
    ``gradient_norm_sq`` = |grad L|^2 (with L1 as l1*sign(W)); for plain SGD without L1,
    slope = -learning_rate*gradient_norm_sq, that is dL/dt = -|g|^2.
    """

    s: np.ndarray
    t: np.ndarray
    losses: np.ndarray
    loss: float
    landing_loss: float
    slope: float
    predicted_landing: float
    gradient_norm_sq: float
    step_norm: float
    learning_rate: float


class LossSurface:
    """The engine's loss of ``net`` on X, Y as a function of the parameters, around the
    network's parameters when made (kept in a float64 copy, so training may go on)."""

    def __init__(self, net: Network, X, Y, memory_bytes: int = DEFAULT_MEMORY):
        self.net = net.with_precision("float64")
        self.X = self.net.check_inputs(X)
        self.Y = self.net.check_targets(Y, len(self.X))
        self.centre = self.net.parameters.copy()
        #: L at the centre: Network.compute_loss itself
        self.loss = self.net.compute_loss(self.X, self.Y)
        sizes, n = self.net.layer_sizes, len(self.X)
        self._inputs = np.ones((sizes[0] + 1, n))       # [X^T; 1], shared by every network
        self._inputs[:-1] = self.X.T
        per_network = 8 * n * sum(2 * size + 1 for size in sizes[1:])
        self.chunk = int(max(1, min(MAX_CHUNK, memory_bytes // per_network)))
        self._mask = np.asarray(self.net.weight_mask)
        # where each layer's (fan_in + 1, fan_out) block starts in the flat vector
        self._layers, offset = [], 0
        for fan_in, fan_out, activation in zip(sizes[:-1], sizes[1:], self.net.layer_functions):
            self._layers.append((offset, fan_in + 1, fan_out, activation))
            offset += (fan_in + 1) * fan_out
        # the output layer and the loss with the engine's own calls, recorded for a slot when
        # a chunk first needs it: slot k reads z_out[k] and leaves the loss's sums in terms[k]
        self._z_out = np.empty((self.chunk, sizes[-1], n))
        self._terms = np.zeros((self.chunk, 2))
        self._slot_buffers = (*(np.empty((sizes[-1], n)) for _ in range(4)), np.empty(n),
                              np.ascontiguousarray(self.Y.T))
        self._slot_calls: list = []

    def exact(self, parameters) -> float:
        """compute_loss at ``parameters`` itself (one network at a time: for a few points)."""
        self.net.parameters = parameters
        try:
            return self.net.compute_loss(self.X, self.Y)
        finally:
            self.net.parameters = self.centre

    def losses(self, stack) -> np.ndarray:
        """L at each row of ``stack`` (k, parameters); a row equal to the centre gets
        :attr:`loss` itself."""
        stack = np.atleast_2d(np.asarray(stack, dtype=np.float64))
        values = np.empty(len(stack))
        with np.errstate(over="ignore", invalid="ignore"):
            for start in range(0, len(stack), self.chunk):
                part = stack[start:start + self.chunk]
                values[start:start + len(part)] = self._data_losses(part)
            weights = stack * self._mask
            l1, l2 = self.net.l1, self.net.l2
            values += (l1 * np.abs(weights).sum(axis=1)
                       + 0.5 * l2 * np.einsum("kp,kp->k", weights, weights))
        values[np.all(stack == self.centre, axis=1)] = self.loss
        return values

    def _data_losses(self, part: np.ndarray) -> np.ndarray:
        k, n, last = len(part), len(self.X), len(self._layers) - 1
        a = self._inputs
        for layer, (start, rows, units, activation) in enumerate(self._layers):
            # each network's [W; b]^T, as the engine's forward pass multiplies it
            blocks = part[:, start:start + rows * units].reshape(k, rows, units)
            blocks_t = blocks.transpose(0, 2, 1)
            if layer == last:
                np.matmul(blocks_t, a, out=self._z_out[:k])
                break
            z = np.matmul(blocks_t, a)                               # (k, units, n)
            a = np.empty((k, units + 1, n))
            a[:, -1] = 1.0                                           # the row of ones: + b
            run(activation.forward_calls(z, a[:, :-1], None))       # elementwise, all at once
        loss, values = self.net.loss_function, np.empty(k)
        for slot in range(k):
            if slot == len(self._slot_calls):
                self._slot_calls.append(self._record_slot(slot))
            run(self._slot_calls[slot])
            values[slot] = loss.value_from_terms(self._terms[slot], n)
        return values

    def _record_slot(self, slot: int):
        output, loss = self.net.layer_functions[-1], self.net.loss_function
        a, delta, scratch, spare, col, y_t = self._slot_buffers
        z = self._z_out[slot]
        return (output.forward_calls(z, a, col)
                + loss.calls(z, a, y_t, output, delta, scratch, spare, col, self._terms[slot]))

    def step_profile(self, landing, learning_rate: float, reach: float = 2.0,
                     points: int = 41) -> StepProfile:
        """The loss along the step from the centre to the parameters ``landing`` (where one
        step of learning rate ``learning_rate`` lands), at the positions of
        :func:`step_positions`."""
        landing = np.asarray(landing, dtype=np.float64)
        change = landing - self.centre
        s = step_positions(reach, points)
        losses = self.losses(self.centre + s[:, None] * change)
        gradient = self.net.backward(self.net.forward(self.X), self.Y).vector
        # at a weight sitting on 0 the L1 term's one-sided derivative along D is l1*|D|
        on_zero = (self.centre == 0.0) & (self._mask == 1.0)
        slope = float(gradient @ change + self.net.l1 * np.abs(change[on_zero]).sum())
        return StepProfile(s=s, t=s * learning_rate, losses=losses, loss=self.loss,
                           landing_loss=self.exact(landing), slope=slope,
                           predicted_landing=self.loss + slope,
                           gradient_norm_sq=float(gradient @ gradient),
                           step_norm=float(np.linalg.norm(change)),
                           learning_rate=float(learning_rate))

    def project(self, points, directions) -> np.ndarray:
        """(a, b) of each row of ``points`` (k, parameters) on the plane through the centre
        along the two ``directions``: least squares, as the directions need not be orthogonal."""
        offsets = np.atleast_2d(points) - self.centre
        coordinates, *_ = np.linalg.lstsq(np.asarray(directions).T, offsets.T, rcond=None)
        return coordinates.T


def step_positions(reach: float, points: int) -> np.ndarray:
    """``points`` values from 0 to ``reach``, with s = 1 exactly among them when reach is a
    whole number and points - 1 a multiple of it (the defaults, 2 and 41, give steps of 0.05)."""
    if points < 2 or not reach > 0:
        raise ValueError(f"a profile needs points >= 2 and reach > 0, got {points}, {reach}")
    return reach * np.arange(points) / (points - 1)


# --- directions and the plane -----------------------------------------------------------------

def filter_normalized_direction(parameters, layer_sizes, rng: np.random.Generator) -> np.ndarray:
    """A random direction scaled filter by filter to the weights (Li et al. 2018): a Gaussian
    vector in which each neuron's incoming weights (its "filter", a column of W) are rescaled to
    the norm of that neuron's weights, so every neuron is perturbed in proportion to its own
    scale; a neuron whose weights are all 0 is not perturbed.  Biases get 0, as the paper's
    code does for one-dimensional parameters by default (its "ignore biasbn")."""
    parameters = np.asarray(parameters, dtype=np.float64)
    direction = rng.standard_normal(parameters.size)
    for block, weights in zip(block_views(direction, layer_sizes),
                              block_views(parameters, layer_sizes)):
        filters = block[:-1]
        norms = np.linalg.norm(filters, axis=0)
        filters *= np.linalg.norm(weights[:-1], axis=0) / np.where(norms > 0, norms, 1.0)
        block[-1] = 0.0
    return direction


def principal_directions(points, centre) -> tuple[np.ndarray, np.ndarray]:
    """The two principal directions of a trajectory (Li et al. 2018): PCA of the offsets of its
    ``points`` (k, parameters) from ``centre``.  Returns (directions (2, parameters), unit and
    orthogonal; the share of the offsets' variance each explains).  ValueError unless the
    points span a plane."""
    offsets = np.atleast_2d(points) - np.asarray(centre, dtype=np.float64)
    offsets = offsets - offsets.mean(axis=0)
    _, singular, rows = np.linalg.svd(offsets, full_matrices=False)
    if len(singular) < 2 or not singular[1] > 1e-12 * max(singular[0], 1e-300):
        raise ValueError("the trajectory needs at least three points that do not lie on one "
                         "line: train a little longer")
    return rows[:2], singular[:2] ** 2 / np.sum(singular ** 2)


class Trajectory:
    """The last ``capacity`` parameter vectors recorded during training (copies), for the
    principal directions; recording a vector of another size (a new network) starts afresh."""

    def __init__(self, capacity: int = 100):
        self._points: deque[np.ndarray] = deque(maxlen=capacity)

    def __len__(self) -> int:
        return len(self._points)

    def record(self, parameters) -> None:
        point = np.array(parameters, dtype=np.float64)
        if self._points and self._points[-1].shape != point.shape:
            self._points.clear()
        self._points.append(point)

    def clear(self) -> None:
        self._points.clear()

    def points(self) -> np.ndarray:
        """(k, parameters), oldest first."""
        return np.array(self._points)


def grid_coordinates(span: float, resolution: int) -> np.ndarray:
    """``resolution`` values from -span to span; for an odd resolution the middle one is exactly
    0, so the grid's centre is the surface's centre."""
    if resolution < 2 or not span > 0:
        raise ValueError(f"a grid needs resolution >= 2 and span > 0, got {resolution}, {span}")
    half = (resolution - 1) / 2
    return span * (np.arange(resolution) - half) / half


class PlaneSlice:
    """L(centre + a*d1 + b*d2) over a grid: ``values[i, j]`` at (a[j], b[i]) -- row i is b[i],
    column j is a[j]; NaN until computed.  :meth:`compute_rows` computes the next rows, so a
    caller can spread a grid over time (one row is ``len(a)`` evaluations); ``trajectory`` holds
    the projections (a, b) of the points given, if any."""

    def __init__(self, surface: LossSurface, directions, a, b, trajectory=None):
        self.surface = surface
        self.directions = np.asarray(directions, dtype=np.float64)
        self.a = np.asarray(a, dtype=np.float64)
        self.b = np.asarray(b, dtype=np.float64)
        self.values = np.full((len(self.b), len(self.a)), np.nan)
        self.rows_done = 0
        self.trajectory = (None if trajectory is None or len(trajectory) == 0
                           else surface.project(trajectory, self.directions))

    @property
    def done(self) -> bool:
        return self.rows_done == len(self.b)

    def compute_rows(self, count: int = 1) -> int:
        """Compute up to ``count`` more rows; returns how many rows are done."""
        rows = slice(self.rows_done, min(self.rows_done + count, len(self.b)))
        d1, d2 = self.directions
        b = self.b[rows, None, None]
        stack = self.surface.centre + self.a[None, :, None] * d1 + b * d2
        self.values[rows] = self.surface.losses(stack.reshape(-1, d1.size)).reshape(-1, len(self.a))
        self.rows_done = rows.stop
        return self.rows_done

