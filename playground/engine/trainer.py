"""Mini-batch training: shuffling, the optimizer step, divergence detection, resumable state.

An epoch visits the training set in a permutation drawn from the trainer's own random generator
when the epoch's first mini-batch starts.  ``train_batch`` advances one mini-batch through that
permutation with the *current* batch size and learning rate (so a change takes effect on the next
mini-batch); ``train_epoch`` runs whatever remains of the epoch.  Both run the same step on
identically laid-out arrays, so they produce bit-identical weights.

Regularisation: the optimizer steps on the gradient of the data loss plus the L2 penalty; the L1
penalty is then applied as a proximal step, W <- sign(W) max(|W| - lr l1, 0) (see
Network.proximal_calls), so L1 drives weights to exactly 0.  The loss reported includes both
penalties.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .buffers import Workspace, block_views
from .network import ForwardCache, Gradients, Network
from .optimizers import Optimizer, check_learning_rate, make_optimizer
from .tape import scalar_view

_STATE_KEYS = ("seed", "epoch", "rng", "permutation", "position", "batch_index",
               "epoch_loss_sum", "optimizer", "learning_rate", "batch_size")


class NonFiniteError(ValueError):
    """The loss, a gradient or an update became inf/nan; the weights were left untouched."""

    def __init__(self, message: str, epoch: int, batch_index: int, what: str):
        super().__init__(message)
        self.epoch = epoch            # 1-based epoch in which it happened
        self.batch_index = batch_index
        self.what = what              # "loss", "gradient" or "update"


@dataclass
class BatchResult:
    """One mini-batch step: its loss (before the update), where it sits in the epoch, the rows
    used, the forward cache and the gradients the optimizer stepped on (copies; with L1, without
    its term), and the change applied to each layer's (W, b), L1's proximal step included.
    ``epoch_mean_loss`` is set when this batch finished the epoch."""

    loss: float
    epoch_finished: bool
    batch_index: int
    epoch: int                    # completed epochs before this batch
    indices: np.ndarray
    targets: np.ndarray
    forward: ForwardCache
    gradients: Gradients
    update: list[tuple[np.ndarray, np.ndarray]]
    epoch_mean_loss: float | None = None


@dataclass(frozen=True)
class StepPreview:
    """A step not taken (Trainer.preview_step): the loss before it (data loss + penalties), the
    flat gradient the optimizer would step on (with L1, without its term) and the flat
    parameters the step would reach, L1's proximal step included."""

    loss: float
    gradient: np.ndarray
    parameters: np.ndarray


class StepTape:
    """The recorded calls of one training step for mini-batches of ``m`` samples.

    ``compute``: forward pass, backward pass, penalty (and, for an optimizer with state, the sum
    of the gradient for the finiteness check); ``update``: the optimizer's change into its step
    buffer and that change's sum; ``proximal``: with L1, its proximal step on the parameters
    after the change was added, for the threshold in ``threshold``.  Recorded for the network's
    current l1/l2 (``key``).
    """

    def __init__(self, net: Network, optimizer: Optimizer, grad, workspace: Workspace):
        self.ws = workspace
        self.m = workspace.m
        self.key = (net.l1, net.l2)
        self.inputs = workspace.a_t[0]      # the batch's features go here (transposed)
        self.targets = workspace.y_t
        self.sums = np.zeros(2, net.dtype)  # [sum of the gradient, sum of the change]
        self.compute = net.forward_calls(workspace) + net.backward_calls(
            workspace, grad, l1_gradient=False)
        if optimizer.stateful:
            self.compute.append((np.add.reduce, (grad, 0, None, scalar_view(self.sums, 0))))
        self.step = optimizer.change
        self.params = net.parameters
        self.update = optimizer.calls(grad, self.step) + [
            (np.add.reduce, (self.step, 0, None, scalar_view(self.sums, 1)))]
        self.threshold = np.zeros((), net.dtype)
        self.proximal = net.proximal_calls(self.threshold) if net.l1 else []


def _check_batch_size(value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"batch_size must be an integer >= 1, got {value!r}")
    return int(value)


class Trainer:
    """Trains a :class:`Network` with mini-batch gradient descent using a named optimizer, in
    the network's precision (its gradient, buffers and optimizer state share its dtype)."""

    def __init__(self, net: Network, optimizer="sgd", learning_rate=0.03, batch_size=10, seed=0):
        self.net = net
        self._optimizer = make_optimizer(optimizer, net.parameters.size, net.dtype)
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self._grad = np.zeros_like(net.parameters)
        self._grad_blocks = block_views(self._grad, net.layer_sizes)
        self._tapes: dict[int, StepTape] = {}
        self._epoch_buffers: dict[str, np.ndarray] = {}
        self._checked_arrays: tuple | None = None
        self.last_loss: float | None = None
        self.reset(seed)

    # --- settings ----------------------------------------------------------------------------

    @property
    def learning_rate(self) -> float:
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value) -> None:
        self._learning_rate = check_learning_rate(value)

    @property
    def batch_size(self) -> int:
        return self._batch_size

    @batch_size.setter
    def batch_size(self, value) -> None:
        self._batch_size = _check_batch_size(value)

    @property
    def optimizer_name(self) -> str:
        return self._optimizer.name

    def set_optimizer(self, name: str) -> None:
        """Switch optimizer; its state (velocities, moments) starts from zero."""
        self._optimizer = make_optimizer(name, self.net.parameters.size, self.net.dtype)
        self._tapes = {}

    def reset(self, seed=None) -> None:
        """Start over: epoch 0, shuffling from ``seed`` (default: the trainer's seed), fresh
        optimizer state.  The network's weights are not touched (see Network.reinitialize)."""
        if seed is not None:
            self.seed = seed
        self._rng = np.random.default_rng(self.seed)
        self.epoch = 0
        self._permutation: np.ndarray | None = None
        self._position = 0
        self._batch_index = 0
        self._epoch_loss_sum = 0.0
        self._grad[...] = 0.0
        self.last_loss = None
        self._last_penalty = 0.0
        self.set_optimizer(self._optimizer.name)

    def in_precision(self, precision: str) -> "Trainer":
        """A trainer of this one's network computing in ``precision`` (a new network, from
        Network.with_precision) that continues exactly where this one is: the optimizer's
        state, the shuffling, the epoch under way, the last loss and gradient."""
        twin = Trainer(self.net.with_precision(precision), optimizer=self.optimizer_name,
                       learning_rate=self._learning_rate, batch_size=self._batch_size,
                       seed=self.seed)
        twin.load_state_dict(self.state_dict())
        twin.load_optimizer_state(self.optimizer_state())
        twin._grad[...] = self._grad
        twin.last_loss, twin._last_penalty = self.last_loss, self._last_penalty
        return twin

    def reseed(self, seed) -> None:
        """Shuffle with a new seed from the next epoch on; the epoch under way, the epoch
        count and the optimizer state are kept."""
        self.seed = seed
        self._rng = np.random.default_rng(seed)

    # --- progress ----------------------------------------------------------------------------

    @property
    def batch_in_epoch(self) -> int:
        """Mini-batches done in the current (unfinished) epoch."""
        return self._batch_index

    @property
    def position(self) -> int:
        """Samples done in the current (unfinished) epoch."""
        return self._position

    def upcoming_batch(self, n: int) -> np.ndarray:
        """The rows (of a training set of n) that :meth:`train_batch` takes next, found without
        drawing anything: the next rows of the epoch under way, or of the permutation the next
        epoch will draw (from a copy of the shuffling generator)."""
        permutation, position = self._permutation, self._position
        if permutation is None or len(permutation) != n:
            rng = np.random.default_rng()
            rng.bit_generator.state = self._rng.bit_generator.state
            permutation, position = rng.permutation(n), 0
        return permutation[position:position + min(self._batch_size, n - position)].copy()

    def preview_step(self, X, Y) -> StepPreview:
        """The step a mini-batch of exactly these rows would take now, without taking it.

        Runs the very step train_batch runs (same recorded calls, the optimizer's current
        state, L1's proximal step) and then puts back the parameters, the optimizer's state, the
        last gradient and loss; the shuffling and the epoch are not touched. So for the rows of
        :meth:`upcoming_batch` the preview is bit for bit the next train_batch.  NonFiniteError
        as train_batch, with everything put back too.
        """
        X, Y = self.net.check_inputs(X), self.net.check_targets(Y, len(X))
        tape = self._tape(len(X))
        tape.inputs[...] = X.T
        tape.targets[...] = Y.T
        params = self.net.parameters
        saved = (params.copy(), self._grad.copy(), self._optimizer.state(), self.last_loss,
                 self._last_penalty)
        try:
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                self._step(tape)
            return StepPreview(loss=self.last_loss, gradient=self._grad.copy(),
                               parameters=params.copy())
        finally:
            params[...] = saved[0]
            self._grad[...] = saved[1]
            self._optimizer.load_state(saved[2])
            self.last_loss, self._last_penalty = saved[3], saved[4]

    def last_gradients(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """Copies of (dW, db) per layer from the last mini-batch (zeros before the first): the
        gradient the optimizer stepped on (with L1, without its term; see the module's note)."""
        return [(block[:-1].copy(), block[-1].copy()) for block in self._grad_blocks]

    # --- training ----------------------------------------------------------------------------

    def train_batch(self, X, Y) -> BatchResult:
        """Train on the next mini-batch of the current epoch and report everything about it."""
        # overflow is detected and reported as NonFiniteError: no RuntimeWarning on the way
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return self._train_batch(X, Y)

    def _train_batch(self, X, Y) -> BatchResult:
        X, Y = self._checked(X, Y)
        n = len(X)
        self._start_epoch_if_needed(n)
        start = self._position
        m = min(self._batch_size, n - start)
        indices = self._permutation[start:start + m].copy()
        tape = self._tape(m)
        np.take(X.T, indices, 1, tape.inputs, "clip")
        np.take(Y.T, indices, 1, tape.targets, "clip")
        epoch, batch_index = self.epoch, self._batch_index
        before = self.net.parameters.copy() if tape.proximal else None
        self._step(tape)

        ws = tape.ws
        forward = ForwardCache(z=[z.copy() for z in ws.z], a=[a.copy() for a in ws.a])
        grad = self._grad.copy()
        blocks = block_views(grad, self.net.layer_sizes)
        gradients = Gradients(loss=self.last_loss, delta=[d.copy() for d in ws.delta],
                              dW=[b[:-1] for b in blocks], db=[b[-1] for b in blocks],
                              vector=grad, penalty=self._last_penalty)
        change = tape.step.copy() if before is None else self.net.parameters - before
        update = [(b[:-1], b[-1]) for b in block_views(change, self.net.layer_sizes)]
        finished, mean = self._advance(m, self.last_loss, n)
        return BatchResult(loss=self.last_loss, epoch_finished=finished, batch_index=batch_index,
                           epoch=epoch, indices=indices, targets=ws.y_t.T.copy(), forward=forward,
                           gradients=gradients, update=update, epoch_mean_loss=mean)

    def train_epoch(self, X, Y, stop=None) -> float | None:
        """Train on the rest of the current epoch (a whole epoch if none is under way) and
        return the mean loss over all the epoch's samples.

        ``stop``, if given, is called after each mini-batch; when it returns true the call ends
        at that mini-batch boundary with the epoch still under way and returns None (the next
        call, or train_batch, continues it). A live front end passes "a command is waiting", so
        settings apply between two mini-batches even on this fast path."""
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return self._train_epoch(X, Y, stop)

    def _train_epoch(self, X, Y, stop) -> float | None:
        X, Y = self._checked(X, Y)
        n = len(X)
        self._start_epoch_if_needed(n)
        # the epoch's samples in shuffled order, transposed: each mini-batch is then a plain
        # slice, copied into the tape's buffers in one cheap call per array
        # (only the part still to come: a call that resumes a stopped epoch gathers no more)
        position, loss_sum, batch_index = self._position, self._epoch_loss_sum, self._batch_index
        X_t = self._epoch_buffer("inputs", X.shape[::-1])
        Y_t = self._epoch_buffer("targets", Y.shape[::-1])
        rest = self._permutation[position:]
        np.take(X.T, rest, 1, X_t[:, position:], "clip")
        np.take(Y.T, rest, 1, Y_t[:, position:], "clip")
        batch_size, step = self._batch_size, self._step
        full = self._tape(min(batch_size, n))
        try:
            while position < n:
                end = min(position + batch_size, n)
                tape = full if end - position == full.m else self._tape(end - position)
                tape.inputs[...] = X_t[:, position:end]
                tape.targets[...] = Y_t[:, position:end]
                step(tape)
                loss_sum += self.last_loss * tape.m
                position = end
                batch_index += 1
                if stop is not None and position < n and stop():
                    break
        finally:
            self._position, self._epoch_loss_sum, self._batch_index = position, loss_sum, batch_index
        return self._advance(0, 0.0, n)[1]

    # --- internals ---------------------------------------------------------------------------

    def _checked(self, X, Y):
        # Checking costs as much as a small step, so arrays passed again (the same objects,
        # the usual case for a training set) are not re-checked; a value made non-finite in
        # place afterwards still ends in NonFiniteError rather than in the weights.
        checked = self._checked_arrays
        if checked is not None and checked[0] is X and checked[1] is Y:
            return checked[2], checked[3]
        X_checked = self.net.check_inputs(X)
        if len(X_checked) == 0:
            raise ValueError("cannot train on an empty dataset (X has no rows)")
        Y_checked = self.net.check_targets(Y, len(X_checked))
        self._checked_arrays = (X, Y, X_checked, Y_checked)
        return X_checked, Y_checked

    def _start_epoch_if_needed(self, n: int) -> None:
        # a changed number of samples (points added or deleted) abandons the epoch under way
        if self._permutation is None or len(self._permutation) != n:
            self._permutation = self._rng.permutation(n)
            self._position = 0
            self._batch_index = 0
            self._epoch_loss_sum = 0.0

    def _advance(self, m: int, loss: float, n: int) -> tuple[bool, float | None]:
        self._epoch_loss_sum += loss * m
        self._position += m
        self._batch_index += 1 if m else 0
        if self._position < n:
            return False, None
        mean = self._epoch_loss_sum / n
        self.epoch += 1
        self._permutation = None
        self._position = self._batch_index = 0
        self._epoch_loss_sum = 0.0
        return True, mean

    def _epoch_buffer(self, name: str, shape) -> np.ndarray:
        buffer = self._epoch_buffers.get(name)
        if buffer is None or buffer.shape != shape:
            buffer = self._epoch_buffers[name] = np.empty(shape, self.net.dtype)
        return buffer

    def _tape(self, m: int) -> StepTape:
        """The recorded step for batches of m samples, re-recorded when l1/l2 changed."""
        tape = self._tapes.get(m)
        net = self.net
        if tape is None or tape.key != (net.l1, net.l2):
            if len(self._tapes) >= 8:       # many batch sizes tried: keep memory bounded
                self._tapes = {}
            workspace = tape.ws if tape is not None else Workspace(net.layer_sizes, m, net.dtype)
            tape = self._tapes[m] = StepTape(net, self._optimizer, self._grad, workspace)
        return tape

    def _step(self, tape: StepTape) -> None:
        """Forward, backward, checks, optimizer, update on the batch loaded into ``tape``."""
        for function, arguments in tape.compute:
            function(*arguments)
        net = self.net
        data_loss, penalty = net.losses_after(tape.ws)
        loss = data_loss + penalty
        if not math.isfinite(loss):
            self._diverged("loss", f"the loss became {loss}")
        optimizer = self._optimizer
        # a stateful optimizer must not absorb a bad gradient into its state; for plain SGD
        # the check of the change below covers the gradient too
        if optimizer.stateful and not math.isfinite(tape.sums[0]):
            self._check_gradient()
        optimizer.prepare(self._learning_rate)
        for function, arguments in tape.update:
            function(*arguments)
        if not math.isfinite(tape.sums[1]):
            self._check_gradient()
            if not np.isfinite(tape.step).all():
                self._diverged("update", "the parameter update overflowed")
        np.add(tape.params, tape.step, tape.params)
        if tape.proximal:
            tape.threshold[...] = self._learning_rate * net.l1
            for function, arguments in tape.proximal:
                function(*arguments)
        self.last_loss = loss
        self._last_penalty = penalty

    def _check_gradient(self) -> None:
        for layer, block in enumerate(self._grad_blocks):
            if not np.isfinite(block).all():
                self._diverged("gradient", f"the gradient of layer {layer + 1} became non-finite")

    def _diverged(self, what: str, detail: str):
        epoch, batch = self.epoch + 1, self._batch_index + 1
        raise NonFiniteError(
            f"training diverged in epoch {epoch}, mini-batch {batch}: {detail}; the weights were "
            "left unchanged (lower the learning rate or the regularization, then reset)",
            epoch=epoch, batch_index=batch - 1, what=what)

    # --- saving and restoring ----------------------------------------------------------------

    def optimizer_state(self) -> dict:
        """The optimizer's state: named arrays (copies, parameter-vector sized) and scalars."""
        return self._optimizer.state()

    def load_optimizer_state(self, state: dict) -> None:
        self._optimizer.load_state(state)

    def state_dict(self) -> dict:
        """Everything but the optimizer arrays, as plain JSON-able data: settings, shuffling
        generator, the current epoch's permutation and position, the running epoch loss."""
        permutation = None if self._permutation is None else self._permutation.tolist()
        return {"seed": self.seed, "epoch": self.epoch, "rng": self._rng.bit_generator.state,
                "permutation": permutation, "position": self._position,
                "batch_index": self._batch_index, "epoch_loss_sum": self._epoch_loss_sum,
                "optimizer": self._optimizer.name, "learning_rate": self._learning_rate,
                "batch_size": self._batch_size}

    def load_state_dict(self, state: dict) -> None:
        """Restore :meth:`state_dict` (switches optimizer if needed; then load its arrays with
        :meth:`load_optimizer_state`).  ValueError if the data does not fit."""
        missing = [key for key in _STATE_KEYS if key not in state]
        if missing:
            raise ValueError(f"trainer state is missing {missing}; it needs {list(_STATE_KEYS)}")
        rng = np.random.default_rng()
        try:
            rng.bit_generator.state = state["rng"]
        except (TypeError, ValueError, KeyError) as error:
            raise ValueError(f"trainer state has an invalid 'rng' entry: {error}") from None
        permutation = state["permutation"]
        if permutation is not None:
            permutation = np.asarray(permutation, dtype=np.int64)
            n = len(permutation)
            if permutation.ndim != 1 or not np.array_equal(np.sort(permutation), np.arange(n)):
                raise ValueError("trainer state 'permutation' must be a permutation of 0..n-1")
            if not 0 <= int(state["position"]) < max(n, 1):
                raise ValueError(f"trainer state 'position' must be in 0..{n - 1}")
        if state["optimizer"] != self._optimizer.name:
            self.set_optimizer(state["optimizer"])
        self.learning_rate = state["learning_rate"]
        self.batch_size = state["batch_size"]
        self.seed = state["seed"]
        self.epoch = int(state["epoch"])
        self._rng = rng
        self._permutation = permutation
        self._position = int(state["position"]) if permutation is not None else 0
        self._batch_index = int(state["batch_index"]) if permutation is not None else 0
        self._epoch_loss_sum = float(state["epoch_loss_sum"]) if permutation is not None else 0.0
