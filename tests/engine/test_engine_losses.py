"""Loss values exact to rounding for every logit: the same number from the loss itself, the
training step, compute_loss and data_loss with logits, and never negative."""
import math

import numpy as np
import pytest

from playground.engine import LOSSES, OUTPUT_ACTIVATIONS, Network, Trainer

SIGMOID = OUTPUT_ACTIVATIONS["sigmoid"]
SOFTMAX = OUTPUT_ACTIVATIONS["softmax"]


def exact_bce(z: float, y: float) -> float:
    """softplus(z) - y z written so that no large terms cancel (y = 0 or 1)."""
    return max(z, 0.0) - z * y + math.log1p(math.exp(-abs(z)))


def logit_network(logits, outputs=1) -> tuple[Network, np.ndarray]:
    """A network without hidden layers whose i-th sample gets the logits ``logits[i]``: the
    inputs are one-hot rows and the weights are the logits."""
    logits = np.atleast_2d(np.asarray(logits, dtype=np.float64).reshape(len(logits), outputs))
    output, loss = ("sigmoid", "bce") if outputs == 1 else ("softmax", "cross_entropy")
    net = Network([len(logits), outputs], output_activation=output, loss=loss)
    net.weights[0][...] = logits
    net.biases[0][...] = 0.0
    return net, np.eye(len(logits))


def every_path(net: Network, X: np.ndarray, Y: np.ndarray) -> dict[str, float]:
    """The mean data loss of the batch as each part of the program computes it."""
    output, logits = net.predict_with_logits(X)
    trainer = Trainer(net, learning_rate=0.0, batch_size=len(X))
    return {"loss": LOSSES[net.loss_name].value(logits, output, Y),
            "compute_loss": net.compute_loss(X, Y),
            "backward": net.loss_and_gradients(X, Y)[0],
            "data_loss": net.data_loss(output, Y, logits),
            "training step": trainer.train_batch(X, Y).loss}


@pytest.mark.parametrize("z", [20.0, 40.0, 100.0, 800.0])
def test_a_confidently_wrong_point_costs_its_whole_logit_either_way(z):
    # z = 40, y = 0 used to show 36.74 (log of the output clipped at 1 - 2^-53); class 1 was
    # capped at 690.8 instead
    for logit, label in ((z, 0.0), (-z, 1.0)):
        net, X = logit_network([logit])
        for path, value in every_path(net, X, np.array([[label]])).items():
            assert value == exact_bce(logit, label), (path, logit, label)


def test_confident_correct_batches_give_their_tiny_positive_loss():
    # summing softplus(z) and y z separately and subtracting gave e.g. -2.3e-13 here
    logits = np.array([30.0, 31.5, 33.25, -32.0, 29.75, -30.5, 34.0, 30.25])
    labels = (logits > 0).astype(np.float64)
    expected = math.fsum(exact_bce(z, y) for z, y in zip(logits, labels)) / len(logits)
    net, X = logit_network(logits)
    for path, value in every_path(net, X, labels[:, None]).items():
        assert value > 0 and value == pytest.approx(expected, rel=1e-14), path


def test_bce_is_symmetric_and_never_negative_for_any_logit():
    rng = np.random.default_rng(4)
    z = np.concatenate([rng.normal(scale=s, size=(40, 3)) for s in (0.1, 5, 40, 300)])
    y = (rng.uniform(size=z.shape) < 0.5).astype(np.float64)
    bce = LOSSES["bce"]
    for row, labels in zip(z, y):
        value = bce.value(row[None], SIGMOID.function(row[None]), labels[None])
        mirrored = bce.value(-row[None], SIGMOID.function(-row[None]), 1.0 - labels[None])
        assert value == mirrored and value >= 0.0
        assert value == pytest.approx(sum(map(exact_bce, row, labels)), rel=1e-15)


@pytest.mark.parametrize("logits,label,expected", [
    ([30.0, 0.0, 0.0], 0, math.log1p(2 * math.exp(-30.0))),       # confident and right
    ([0.0, 0.0, 0.0], 1, math.log(3.0)),                            # a three-way tie
    ([5.0, 5.0, -3.0], 0, math.log(2.0 + math.exp(-8.0))),          # the right class tied
    ([0.0, 1000.0, 0.0], 0, 1000.0),                                # confident and wrong
    ([-400.0, 300.0, 299.0], 1, math.log1p(math.exp(-1.0))),
])
def test_cross_entropy_is_exact_for_confident_and_tied_logits(logits, label, expected):
    # log(1 + 2e-13) computed after forming 1 + 2e-13 kept three digits of the first case
    net, X = logit_network([logits], outputs=3)
    Y = np.eye(3)[[label]]
    for path, value in every_path(net, X, Y).items():
        assert value == pytest.approx(expected, rel=1e-15, abs=0), path


def test_cross_entropy_is_never_negative_and_agrees_with_its_definition():
    rng = np.random.default_rng(7)
    ce = LOSSES["cross_entropy"]
    for scale in (0.01, 1.0, 30.0, 500.0):
        z = rng.normal(scale=scale, size=(50, 4))
        Y = np.eye(4)[rng.integers(0, 4, 50)]
        value = ce.value(z, SOFTMAX.function(z), Y)
        shifted = z - z.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(shifted).sum(axis=1))
        assert value >= 0.0
        assert value == pytest.approx(float(np.mean(log_norm - (Y * shifted).sum(axis=1))),
                                      rel=1e-13, abs=1e-300)


def test_the_output_gradient_is_still_the_output_minus_the_target():
    net, X = logit_network([40.0, -3.0, 0.5])
    Y = np.array([[0.0], [1.0], [1.0]])
    cache = net.forward(X)
    delta = net.backward(cache, Y).delta[-1]
    np.testing.assert_array_equal(delta, (cache.output - Y) / 3)
