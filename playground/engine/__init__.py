"""The backpropagation engine: pure NumPy, float64 (or float32 on request), vectorised over the
mini-batch, no Qt.

    net = Network([2, 8, 8, 1], activation="tanh", output_activation="sigmoid", loss="bce")
    trainer = Trainer(net, optimizer="sgd", learning_rate=0.03, batch_size=10, seed=0)
    mean_loss = trainer.train_epoch(X, Y)

reference.py is the same algorithm written to be read (plain NumPy, one screen); the rest is the
fast engine, which computes the same numbers (tests/engine/test_engine_reference.py).
"""
from .activations import ACTIVATIONS, OUTPUT_ACTIVATIONS, Activation
from .buffers import PRECISIONS
from .gradcheck import GradientCheck, gradient_check, numerical_gradients
from .initializers import INITIALIZERS
from .losses import LOSSES, Loss
from .network import ForwardCache, Gradients, Network
from .optimizers import OPTIMIZERS, Optimizer
from .trainer import BatchResult, NonFiniteError, Trainer

__all__ = [
    "ACTIVATIONS", "OUTPUT_ACTIVATIONS", "LOSSES", "OPTIMIZERS", "INITIALIZERS", "PRECISIONS",
    "Activation", "Loss", "Optimizer",
    "Network", "ForwardCache", "Gradients", "Trainer", "BatchResult", "NonFiniteError",
    "GradientCheck", "gradient_check", "numerical_gradients",
]
