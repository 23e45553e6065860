"""Training actually learns: the classic playground datasets (noise 0) reach >= 0.95 test
accuracy with a small network in a bounded number of epochs; a 3-class softmax problem >= 0.9."""
import numpy as np
import pytest

from playground.data import make_dataset, predicted_classes, split, targets
from playground.engine import Network, Trainer

CASES = [
    # dataset, hidden layers, activation, optimizer, learning rate, batch size, epochs
    ("circle", [8], "tanh", "sgd", 0.1, 10, 100),
    ("xor", [8, 8], "tanh", "sgd", 0.1, 10, 100),
    ("gauss", [4], "tanh", "sgd", 0.1, 10, 20),
    ("spiral", [24, 24], "relu", "adam", 0.01, 16, 300),
]


def _train(name, hidden, activation, optimizer, lr, batch_size, epochs, n, classes=2):
    ds = make_dataset(name, n=n, noise=0.0, seed=0, classes=classes)
    train_idx, test_idx = split(ds, 0.5, 0)
    Y = targets(ds)
    if Y.shape[1] == 1:
        output, loss = "sigmoid", "bce"
    else:
        output, loss = "softmax", "cross_entropy"
    net = Network([2, *hidden, Y.shape[1]], activation=activation, output_activation=output,
                  loss=loss, seed=0)
    trainer = Trainer(net, optimizer=optimizer, learning_rate=lr, batch_size=batch_size, seed=0)
    losses = [trainer.train_epoch(ds.X[train_idx], Y[train_idx]) for _ in range(epochs)]
    accuracy = np.mean(predicted_classes(net.predict(ds.X[test_idx])) == ds.y[test_idx])
    return accuracy, losses


@pytest.mark.parametrize("name,hidden,activation,optimizer,lr,batch_size,epochs", CASES,
                         ids=[case[0] for case in CASES])
def test_two_class_datasets_are_learned(name, hidden, activation, optimizer, lr, batch_size,
                                        epochs):
    n = 600 if name == "spiral" else 400
    accuracy, losses = _train(name, hidden, activation, optimizer, lr, batch_size, epochs, n)
    assert accuracy >= 0.95
    assert losses[-1] < 0.5 * losses[0]


def test_three_classes_with_softmax():
    accuracy, losses = _train("blobs", [8], "tanh", "sgd", 0.1, 10, 50, n=300, classes=3)
    assert accuracy >= 0.9
    assert losses[-1] < 0.5 * losses[0]
