"""A fully connected network trained by backpropagation, in pure NumPy (float64, or float32).

The two passes of the algorithm, vectorised over a mini-batch:

* forward: for each layer l, z_l = a_l W_l + b_l and a_{l+1} = f_l(z_l), keeping every z and a;
* backward: from the output to the input, delta_l = dL/dz_l, then
  dW_l = a_l^T delta_l, db_l = sum over rows of delta_l, and
  delta_{l-1} = (delta_l W_l^T) * f'_{l-1}(z_{l-1}) -- the chain rule once per layer, reusing the
  cached z and a instead of recomputing them (that reuse is what makes backprop cheap).

All parameters live in one flat vector (``net.parameters``); ``net.weights[l]`` and
``net.biases[l]`` are views of it.  Layer l occupies a block of shape (fan_in + 1, fan_out):
the weight rows followed by the bias row, so one matrix product with inputs carrying an extra
row of ones computes a W + b, and one product gives [dW; db] (buffers.py says why).  The passes
are written as lists of NumPy calls on preallocated buffers, which the Trainer records once and
replays for every mini-batch (tape.py); the public forward/backward run the same calls.  The
Trainer (and evaluation.py) reach them through one small interface (forward_calls, loss_calls,
backward_calls, proximal_calls, losses_after).  To read the algorithm itself, without the machinery, see reference.py.

Precision: float64 by default, which the backprop inspector and the gradient check need.
``precision="float32"`` keeps the parameters, every buffer and the optimizer's state in single
precision: on large data the products and tanh/exp run about twice as fast (docs/NOTES.md).
Inputs are checked in float64 and then rounded; losses for display (compute_loss, data_loss)
are summed in float64 from the float32 outputs.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import partial
from typing import Sequence

import numpy as np

from .activations import Activation, hidden_activation
from .activations import output_activation as find_output_activation
from .buffers import (
    LayerViews,
    Workspace,
    WorkspaceCache,
    block_views,
    parameter_count,
    precision_dtype,
)
from .initializers import get_initializer
from .losses import Loss, get_loss
from .tape import Calls, run, scalar_view

PARAMETER_KINDS = ("weight", "bias")
# Evaluation workspaces kept per row count (train set, test set, the map grid, ...)
_MAX_EVAL_WORKSPACES = 4


@dataclass
class ForwardCache:
    """Everything the forward pass computed: z[l] (pre-activations of weight layer l) and
    a[l] (activations; a[0] is the input batch, a[-1] the output).  Layer l computes
    z[l] = a[l] @ W[l] + b[l] and a[l+1] = f_l(z[l])."""

    z: list[np.ndarray]
    a: list[np.ndarray]
    _buffers: Workspace = field(repr=False, default=None)

    @property
    def output(self) -> np.ndarray:
        return self.a[-1]


@dataclass
class Gradients:
    """What the backward pass computed: the total loss (data loss + penalty), delta[l] = dL/dz[l]
    (penalty-free, averaged over the batch), and dW[l], db[l] = dL/dW[l], dL/db[l] (penalty
    included).  ``vector`` is the flat gradient; dW and db are views of it."""

    loss: float
    delta: list[np.ndarray]
    dW: list[np.ndarray]
    db: list[np.ndarray]
    vector: np.ndarray = field(repr=False, default=None)
    penalty: float = 0.0

    def pairs(self) -> list[tuple[np.ndarray, np.ndarray]]:
        return list(zip(self.dW, self.db))


def _check_regularization(name: str, value) -> float:
    value = float(value)
    if not (math.isfinite(value) and value >= 0.0):
        raise ValueError(f"{name} must be a finite number >= 0, got {value}")
    return value


class Network:
    """A multilayer perceptron: layer_sizes [inputs, hidden..., outputs], one activation per
    hidden layer, an output activation and a loss.  ``l1``/``l2`` add l1*sum|W| + l2/2*sum W^2
    (weights only) to the loss and may be changed between mini-batches.  ``precision`` is
    "float64" (the default) or "float32" (see the module's note)."""

    def __init__(self, layer_sizes: Sequence[int], activation="tanh", output_activation="sigmoid",
                 loss="bce", l1=0.0, l2=0.0, seed=0, init=None, precision="float64"):
        self.dtype = precision_dtype(precision)
        self.precision = precision
        self.layer_sizes = self._check_sizes(layer_sizes)
        n_hidden = len(self.layer_sizes) - 2
        names = [activation] * n_hidden if isinstance(activation, str) else list(activation)
        if len(names) != n_hidden:
            raise ValueError(f"activation must be one name or a list of {n_hidden} names "
                             f"(one per hidden layer), got {len(names)}")
        hidden = [hidden_activation(name) for name in names]
        self.activations = tuple(names)
        output = find_output_activation(output_activation)
        self.output_activation = output_activation
        self._loss = get_loss(loss)
        self.loss_name = loss
        if output_activation not in self._loss.output_activations:
            raise ValueError(f"loss {loss!r} needs output activation "
                             f"{' or '.join(self._loss.output_activations)}, not {output_activation!r}")
        if output_activation == "softmax" and self.layer_sizes[-1] < 2:
            raise ValueError("softmax output needs at least 2 output units; "
                             "use sigmoid + bce for a single output")
        self._layer_activations: tuple[Activation, ...] = (*hidden, output)
        self.l1 = _check_regularization("l1", l1)
        self.l2 = _check_regularization("l2", l2)
        self.init = self._check_init(init)
        self.seed = seed

        self._params = np.zeros(parameter_count(self.layer_sizes), self.dtype)
        self._blocks = block_views(self._params, self.layer_sizes)
        self._weights = LayerViews(block[:-1] for block in self._blocks)
        self._biases = LayerViews(block[-1] for block in self._blocks)
        # 1 for weights, 0 for biases: the penalty applies to weights only
        self._weight_mask = np.zeros_like(self._params)
        for mask_block in block_views(self._weight_mask, self.layer_sizes):
            mask_block[:-1] = 1.0
        self._penalty_scratch = np.empty_like(self._params)
        self._penalty_terms = np.zeros(2, self.dtype)
        self._proximal_scratch = np.empty((2, self._params.size), self.dtype)
        self._eval_workspaces = WorkspaceCache(self.layer_sizes, _MAX_EVAL_WORKSPACES, self.dtype)
        # float32 parameters for the views' maps (layer_outputs(..., np.float32)): a copy, or
        # the parameters themselves when the network computes in float32
        self._single_params = (self._params if self.dtype == np.float32
                               else np.empty(self._params.shape, np.float32))
        self._single_workspaces = WorkspaceCache(self.layer_sizes, 2, dtype=np.float32)
        self.reinitialize(seed)

    def with_precision(self, precision: str) -> "Network":
        """A new network like this one (same settings and parameters) computing in
        ``precision``; parameters narrowed to float32 are rounded, widened ones exact."""
        twin = Network(self.layer_sizes, list(self.activations), self.output_activation,
                       self.loss_name, self.l1, self.l2, self.seed, self.init, precision)
        twin.parameters = self._params
        return twin

    # --- construction helpers ----------------------------------------------------------------

    @staticmethod
    def _check_sizes(layer_sizes) -> tuple[int, ...]:
        sizes = tuple(layer_sizes)
        if len(sizes) < 2 or not all(isinstance(s, (int, np.integer)) and s >= 1 for s in sizes):
            raise ValueError("layer_sizes must list at least an input and an output size, "
                             f"all integers >= 1, got {layer_sizes!r}")
        return tuple(int(s) for s in sizes)

    def _check_init(self, init):
        n_layers = len(self.layer_sizes) - 1
        if init is None:
            return None
        names = [init] * n_layers if isinstance(init, str) else list(init)
        if len(names) != n_layers:
            raise ValueError(f"init must be None, one initializer name or a list of {n_layers} "
                             f"(one per weight layer), got {len(names)}")
        for name in names:
            get_initializer(name)
        return init

    def initializer_names(self) -> tuple[str, ...]:
        """The initializer used for each weight layer (defaults follow the layer's activation)."""
        n_layers = len(self.layer_sizes) - 1
        if self.init is None:
            return tuple(act.default_init for act in self._layer_activations)
        if isinstance(self.init, str):
            return (self.init,) * n_layers
        return tuple(self.init)

    def reinitialize(self, seed=None) -> None:
        """Draw fresh weights (biases zero) from ``seed`` (default: the network's seed)."""
        if seed is not None:
            self.seed = seed
        rng = np.random.default_rng(self.seed)
        for layer, name in enumerate(self.initializer_names()):
            fan_in, fan_out = self.layer_sizes[layer], self.layer_sizes[layer + 1]
            self._weights[layer][...] = get_initializer(name)(rng, fan_in, fan_out)
            self._biases[layer][...] = 0.0

    # --- parameters --------------------------------------------------------------------------

    @property
    def n_layers(self) -> int:
        """Number of weight layers (hidden layers + output)."""
        return len(self._blocks)

    @property
    def layer_functions(self) -> tuple[Activation, ...]:
        """The activation of each weight layer (the hidden ones, then the output's)."""
        return self._layer_activations

    @property
    def loss_function(self) -> Loss:
        return self._loss

    @property
    def weight_mask(self) -> np.ndarray:
        """1 where :attr:`parameters` holds a weight, 0 where a bias (read-only)."""
        mask = self._weight_mask.view()
        mask.flags.writeable = False
        return mask

    @property
    def parameters(self) -> np.ndarray:
        """The flat vector (of the network's dtype) holding every weight and bias (layer by
        layer, each layer its weight rows then its bias row).  Assigning to it copies values in."""
        return self._params

    @parameters.setter
    def parameters(self, values) -> None:
        values = np.asarray(values, dtype=np.float64)
        if values.shape != self._params.shape:
            raise ValueError(f"parameters must have shape {self._params.shape}, got {values.shape}")
        self._params[...] = values

    @property
    def weights(self) -> list[np.ndarray]:
        """weights[l] has shape (layer_sizes[l], layer_sizes[l+1]); a view of ``parameters``."""
        return self._weights

    @weights.setter
    def weights(self, values) -> None:
        self._assign_layers(self._weights, values, "weights")

    @property
    def biases(self) -> list[np.ndarray]:
        """biases[l] has shape (layer_sizes[l+1],); a view of ``parameters``."""
        return self._biases

    @biases.setter
    def biases(self, values) -> None:
        self._assign_layers(self._biases, values, "biases")

    def _assign_layers(self, views, values, what):
        values = list(values)
        if len(values) != len(views):
            raise ValueError(f"{what} needs {len(views)} arrays, got {len(values)}")
        for layer, value in enumerate(values):
            views[layer] = value

    def set_parameter(self, kind: str, layer: int, index, value: float) -> None:
        """Set one weight (kind "weight", index (i, j)) or bias (kind "bias", index j)."""
        if kind not in PARAMETER_KINDS:
            raise ValueError(f"kind must be one of {PARAMETER_KINDS}, not {kind!r}")
        if not 0 <= layer < self.n_layers:
            raise ValueError(f"layer must be in 0..{self.n_layers - 1}, got {layer}")
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"a parameter must be finite, got {value}")
        array = self._weights[layer] if kind == "weight" else self._biases[layer]
        index = tuple(np.atleast_1d(index).tolist())
        if len(index) != array.ndim or not all(0 <= i < s for i, s in zip(index, array.shape)):
            raise ValueError(f"{kind} index {index} is outside layer {layer}'s shape {array.shape}")
        array[index] = value

    def penalty(self) -> float:
        """l1 * sum|W| + l2/2 * sum W^2 over all weight matrices (not biases)."""
        weights = np.multiply(self._params, self._weight_mask, dtype=np.float64)
        return self.l1 * float(np.abs(weights).sum()) + 0.5 * self.l2 * float(np.dot(weights, weights))

    # --- input checks ------------------------------------------------------------------------

    def check_inputs(self, X) -> np.ndarray:
        """X as a C-contiguous (n, n_inputs) array of the network's dtype, or ValueError saying
        what is wrong."""
        X = np.ascontiguousarray(X, dtype=np.float64)
        n_in = self.layer_sizes[0]
        if X.ndim != 2 or X.shape[1] != n_in:
            raise ValueError(f"X must have shape (n, {n_in}) for this network, got {X.shape}")
        if not np.isfinite(X).all():
            raise ValueError("X contains non-finite values (nan or inf)")
        return self._in_precision(X, "X")

    def _in_precision(self, values: np.ndarray, name: str) -> np.ndarray:
        if self.dtype == np.float64:
            return values
        with np.errstate(over="ignore"):
            narrowed = values.astype(self.dtype)
        if not np.isfinite(narrowed).all():
            raise ValueError(f"{name} holds values beyond the range of {self.precision}")
        return narrowed

    def check_targets(self, Y, n: int) -> np.ndarray:
        """Y as a C-contiguous (n, n_outputs) array of the network's dtype, valid for the loss
        (checked in float64), or ValueError."""
        Y = np.ascontiguousarray(Y, dtype=np.float64)
        if n == 0:
            raise ValueError("a loss is a mean over samples: X and Y need at least one row")
        n_out = self.layer_sizes[-1]
        if Y.shape != (n, n_out):
            hint = " (reshape a label vector with Y.reshape(-1, 1))" if Y.shape == (n,) else ""
            raise ValueError(f"Y must have shape (n, n_outputs) = ({n}, {n_out}), got {Y.shape}{hint}")
        if not np.isfinite(Y).all():
            raise ValueError("Y contains non-finite values (nan or inf)")
        self._loss.check_targets(Y)
        return self._in_precision(Y, "Y")

    # --- the recorded fast path: the engine's one internal interface ------------------------
    # The Trainer and this class's own passes run the algorithm through these four methods and
    # nothing else: three return the NumPy calls of one part of a step on a Workspace (recorded
    # once, replayed for every mini-batch: tape.py), and losses_after reads the two numbers
    # those calls leave behind.  Buffers are stored transposed (one row per unit, one column per
    # sample; buffers.py says why), so z_l = W_l^T a_l + b_l reads np.dot([W; b]^T, [a; 1]).
    # reference.py is the same algorithm written to be read.

    def forward_calls(self, ws: Workspace, parameters: np.ndarray | None = None) -> Calls:
        """Forward pass of the batch in ws.inputs_t[0] (n_in + 1, m; last row ones) into
        ws.z_t and ws.a_t, with ``parameters`` (a flat vector laid out like
        :attr:`parameters`; default: the network's own)."""
        blocks = self._blocks if parameters is None else block_views(parameters, self.layer_sizes)
        calls = []
        for layer, (block, activation) in enumerate(zip(blocks, self._layer_activations)):
            z = ws.z_t[layer]
            calls.append((np.dot, (block.T, ws.inputs_t[layer], z)))          # z = W^T a + b
            calls += activation.forward_calls(z, ws.a_t[layer + 1], ws.col)  # a' = f(z)
        return calls

    def backward_calls(self, ws: Workspace, grad: np.ndarray, l1_gradient: bool = True) -> Calls:
        """Backward pass after :meth:`forward_calls`, targets in ws.y_t: fills ws.delta_t,
        ws.loss_terms and the flat gradient ``grad`` (laid out like :attr:`parameters`),
        penalty included -- without the L1 term if not ``l1_gradient`` (the Trainer applies
        L1 as a proximal step, :meth:`proximal_calls`)."""
        grad_blocks = block_views(grad, self.layer_sizes)
        last = len(self._blocks) - 1
        calls = self.loss_calls(ws)                                        # delta at the output
        for layer in range(last, -1, -1):
            delta = ws.delta_t[layer]
            # [dW; db] = [a; 1] delta^T: the row of ones makes db the sum of delta over samples
            calls.append((np.dot, (ws.inputs_t[layer], delta.T, grad_blocks[layer])))
            if layer:
                below = ws.delta_t[layer - 1]
                calls.append((np.dot, (self._weights[layer], delta, below)))  # dL/da = W delta
                calls += self._layer_activations[layer - 1].backprop_calls(   # dL/dz = dL/da f'(z)
                    ws.z_t[layer - 1], ws.a_t[layer], below,
                    ws.scratch_t[layer - 1], ws.spare_t[layer - 1], ws.col)
        return calls + self._penalty_calls(grad, l1_gradient)

    def loss_calls(self, ws: Workspace) -> Calls:
        """The loss of the batch in ``ws`` after :meth:`forward_calls` (targets in ws.y_t): its
        partial sums in ws.loss_terms (:meth:`losses_after` reads them), dL/dz at the output."""
        last = len(self._blocks) - 1
        return self._loss.calls(ws.z_t[last], ws.output_t, ws.y_t, self._layer_activations[last],
                                ws.delta_t[last], ws.scratch_t[last], ws.spare_t[last], ws.col,
                                ws.loss_terms)

    def proximal_calls(self, threshold: np.ndarray) -> Calls:
        """The L1 proximal step on the weights (biases untouched), for the 0-d ``threshold``
        = learning rate * l1 read when the calls run: W <- sign(W) max(|W| - threshold, 0).

        A weight whose plain L1 step -threshold sign(W) would carry it across zero lands on
        exactly 0, and stays there while the rest of the gradient is no larger than l1 (the
        classic playground zeroes such a weight too); a subgradient step would make it flip
        sign around 0 for ever.  ``sign(W) (|W| - t)`` is ``W - t`` or ``W + t`` to the bit, as
        torch's softshrink computes it.
        """
        magnitude, thresholds = self._proximal_scratch
        return [(np.multiply, (self._weight_mask, threshold, thresholds)),   # 0 for biases
                (np.abs, (self._params, magnitude)),
                (np.subtract, (magnitude, thresholds, magnitude)),
                (partial(np.maximum, out=magnitude), (magnitude, 0.0)),
                (np.copysign, (magnitude, self._params, self._params))]

    def losses_after(self, ws: Workspace) -> tuple[float, float]:
        """(mean data loss, penalty) of the batch in ``ws`` once :meth:`backward_calls` ran
        (the penalty with the l1, l2 of the recorded calls; both terms even when the L1
        gradient was left out)."""
        l1, l2, terms = self.l1, self.l2, self._penalty_terms
        penalty = ((0.5 * l2 * float(terms[0]) if l2 else 0.0)
                   + (l1 * float(terms[1]) if l1 else 0.0))
        return self._loss.value_from_terms(ws.loss_terms, ws.m), penalty

    def _penalty_calls(self, grad: np.ndarray, l1_gradient: bool = True) -> Calls:
        """Add d(penalty)/dW to ``grad`` for the current l1, l2 (weights only; the L1 term
        l1 sign(W) only if ``l1_gradient``); the sums the penalty needs land in
        self._penalty_terms (read by :meth:`losses_after`)."""
        params, scratch, mask, terms = (self._params, self._penalty_scratch, self._weight_mask,
                                        self._penalty_terms)
        calls = []
        if self.l2:
            calls += [(np.multiply, (params, mask, scratch)),                # W
                      (np.dot, (scratch, scratch, scalar_view(terms, 0))),   # sum W^2
                      (np.multiply, (scratch, self.l2, scratch)),
                      (np.add, (grad, scratch, grad))]                       # + l2 W
        if self.l1:
            calls += [(np.sign, (params, scratch)),
                      (np.multiply, (scratch, mask, scratch)),               # sign(W)
                      (np.dot, (scratch, params, scalar_view(terms, 1)))]    # sum |W|
            if l1_gradient:
                calls += [(np.multiply, (scratch, self.l1, scratch)),
                          (np.add, (grad, scratch, grad))]                   # + l1 sign(W)
        return calls

    def _evaluate(self, X: np.ndarray, single: bool = False) -> Workspace:
        """Forward pass of n rows in reusable buffers (predict, losses, neuron maps); with
        ``single``, in float32 on float32 parameters."""
        if single and self.dtype != np.float32:
            np.copyto(self._single_params, self._params)
            ws, parameters = self._single_workspaces.get(len(X)), self._single_params
        else:
            ws, parameters = self._eval_workspaces.get(len(X)), None
        calls = ws.tapes.get("forward")
        if calls is None:
            calls = ws.tapes["forward"] = self.forward_calls(ws, parameters)
        ws.a_t[0][...] = X.T
        run(calls)
        return ws

    # --- public passes -----------------------------------------------------------------------

    def forward(self, X) -> ForwardCache:
        """Forward pass keeping every layer's z and a (fresh arrays, safe to keep)."""
        X = self.check_inputs(X)
        ws = Workspace(self.layer_sizes, len(X), self.dtype)
        ws.a_t[0][...] = X.T
        run(self.forward_calls(ws))
        return ForwardCache(z=ws.z, a=ws.a, _buffers=ws)

    def backward(self, cache: ForwardCache, Y) -> Gradients:
        """Backward pass for the batch of ``cache`` (from :meth:`forward`, with the current
        parameters): delta, dW, db of every layer and the total loss."""
        if cache._buffers is None:
            raise ValueError("backward needs the ForwardCache returned by Network.forward")
        ws = cache._buffers
        ws.y_t[...] = self.check_targets(Y, ws.m).T
        grad = np.zeros_like(self._params)
        blocks = block_views(grad, self.layer_sizes)
        run(self.backward_calls(ws, grad))
        data_loss, penalty = self.losses_after(ws)
        return Gradients(loss=data_loss + penalty, delta=[d.copy() for d in ws.delta],
                         dW=[b[:-1] for b in blocks], db=[b[-1] for b in blocks],
                         vector=grad, penalty=penalty)

    def loss_and_gradients(self, X, Y) -> tuple[float, list[tuple[np.ndarray, np.ndarray]]]:
        """(total loss, [(dW_l, db_l) for every layer]) on the batch X, Y."""
        gradients = self.backward(self.forward(X), Y)
        return gradients.loss, gradients.pairs()

    def predict(self, X) -> np.ndarray:
        """Network output (n, n_outputs), output activation applied."""
        return self._evaluate(self.check_inputs(X)).output_t.T.copy()

    def predict_with_logits(self, X) -> tuple[np.ndarray, np.ndarray]:
        """(output, logits): :meth:`predict`'s output and the output layer's pre-activations z,
        from which :meth:`data_loss` is exact."""
        ws = self._evaluate(self.check_inputs(X))
        return ws.output_t.T.copy(), ws.z_t[-1].T.copy()

    def layer_outputs(self, X, dtype=np.float64) -> list[np.ndarray]:
        """Activations of every hidden layer and of the output: [(n, units), ...].

        ``dtype=np.float32`` runs the pass in single precision on a float32 copy of the
        parameters: the views' maps over a 100 x 100 grid need no more, and float32 tanh and
        exp run about 4x faster, which is most of what a live snapshot costs the training thread.
        """
        ws = self._evaluate(self.check_inputs(X), single=np.dtype(dtype) == np.float32)
        return [a.T.astype(dtype, order="C") for a in ws.a_t[1:]]

    def data_loss(self, output, Y, logits=None) -> float:
        """Mean data loss (no penalty) of an output already computed by :meth:`predict`.

        With the ``logits`` that went with it (:meth:`predict_with_logits`) the loss is the
        training loss, exact for any logits.  Without them, bce and cross_entropy take logs of
        the output clipped to [1e-300, 1 - 2^-53], so a saturated output gives a large finite
        loss (at most 690.8) rather than inf.
        """
        output = np.asarray(output, dtype=np.float64)
        Y = self.check_targets(Y, len(output))
        if output.shape != Y.shape:
            raise ValueError(f"output must have shape {Y.shape}, got {output.shape}")
        if logits is not None:
            return self._loss.value(logits, output, Y)
        if self.loss_name == "mse":
            return self._loss.value(output, output, Y)   # mse needs no logits
        clipped = np.clip(output, 1e-300, 1.0 - 2.0 ** -53)
        if self.loss_name == "bce":
            terms = Y * np.log(clipped) + (1.0 - Y) * np.log1p(-clipped)
        else:
            terms = Y * np.log(clipped)
        return -float(terms.sum()) / len(Y)

    def compute_loss(self, X, Y) -> float:
        """Total loss (mean data loss + penalty) on X, Y, without gradients."""
        X = self.check_inputs(X)
        Y = self.check_targets(Y, len(X))
        ws = self._evaluate(X)
        return self._loss.value(ws.z_t[-1].T, ws.output_t.T, Y) + self.penalty()

    def __repr__(self) -> str:
        return (f"Network(layer_sizes={list(self.layer_sizes)}, activation={list(self.activations)}, "
                f"output_activation={self.output_activation!r}, loss={self.loss_name!r}, "
                f"l1={self.l1}, l2={self.l2}, seed={self.seed}, precision={self.precision!r})")
