"""The loss and accuracy of a network on a fixed set of points, as recorded calls.

The live history needs the training and test loss and accuracy after every epoch. Computed with
:meth:`Network.predict_with_logits` and :meth:`Network.data_loss`, that was some forty NumPy calls
and copies, ~90 µs on the default problem: a fifth of an epoch. An Evaluator copies the points
and their targets into buffers of its own once, records the forward pass, the loss and the
class hits on them (tape.py), and replays that: about fifteen calls. It reads the network's
parameters as they are when it runs, so it stays valid while the network trains; it does not
when the network, its precision or the points change (make a new one).
"""
from __future__ import annotations

import math

import numpy as np

from .buffers import Workspace
from .network import Network
from .tape import run


class Evaluator:
    """Mean data loss (no penalty) and accuracy of ``network`` on the points ``X``, targets
    ``Y`` (as for training) and, for classification, class ``labels`` (None: regression)."""

    def __init__(self, network: Network, X, Y, labels: np.ndarray | None = None):
        n = len(X)
        self.network = network
        self.n = n
        if n == 0:
            return
        ws = self._ws = Workspace(network.layer_sizes, n, network.dtype)
        ws.a_t[0][...] = network.check_inputs(X).T
        ws.y_t[...] = network.check_targets(Y, n).T
        self._calls = network.forward_calls(ws) + network.loss_calls(ws)
        self._hits = None
        if labels is not None:
            self._hits = np.empty(n, bool)
            self._calls += self._hit_calls(ws.output_t, np.asarray(labels), self._hits)

    @staticmethod
    def _hit_calls(output_t: np.ndarray, labels: np.ndarray, hits: np.ndarray):
        """Whether each point's predicted class is its label: threshold 0.5 on one output,
        the largest output on several (as playground.data.predicted_classes decides)."""
        if output_t.shape[0] == 1:
            predicted = np.empty(len(labels), bool)
            return [(np.greater_equal, (output_t[0], 0.5, predicted)),
                    (np.equal, (predicted, labels.astype(bool), hits))]
        predicted = np.empty(len(labels), np.intp)
        return [(partial_argmax, (output_t, predicted)),
                (np.equal, (predicted, labels, hits))]

    def evaluate(self) -> tuple[float, float]:
        """(mean loss, accuracy); accuracy NaN for regression, both NaN without points."""
        if self.n == 0:
            return math.nan, math.nan
        with np.errstate(all="ignore"):     # a diverging network may overflow: report inf
            run(self._calls)
        loss = self.network.losses_after(self._ws)[0]
        if self._hits is None:
            return loss, math.nan
        return loss, int(np.count_nonzero(self._hits)) / self.n


def partial_argmax(values: np.ndarray, out: np.ndarray) -> None:
    """The row of the largest value in each column, into ``out`` (argmax over axis 0)."""
    np.argmax(values, axis=0, out=out)
