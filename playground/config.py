"""Plain, frozen descriptions of a playground: what data, what network, which hyperparameters.

Every layer (worker, window, storage, lessons) passes these around; none of them imports Qt.
Changing a field is done with ``dataclasses.replace``.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

CLASSIFICATION = "classification"
REGRESSION = "regression"
PROBLEM_TYPES = (CLASSIFICATION, REGRESSION)
REGULARIZATIONS = ("none", "l1", "l2")
# The names the engine's registries answer to (a test holds the two equal), for the layers that
# offer them to the user and must not load the engine to do so (the window's menus)
ACTIVATION_NAMES = ("linear", "relu", "leaky_relu", "elu", "tanh", "sigmoid", "softplus", "swish",
                    "sine")
OPTIMIZER_NAMES = ("sgd", "momentum", "nesterov", "rmsprop", "adam")
# How the weights start: "default" follows each layer's activation (Xavier for tanh and sigmoid,
# He for the ReLU family); the others are names of the engine's INITIALIZERS (a test holds them
# there). "zeros" is offered for the lesson on symmetry.
DEFAULT_INITIALIZER = "default"
INITIALIZER_NAMES = (DEFAULT_INITIALIZER, "xavier", "he", "uniform", "zeros")
# The engine's precisions; float64 is the default (the inspector and gradient check need it)
PRECISION_NAMES = ("float64", "float32")
# A new playground trains slowly enough to watch: the default circle's boundary forms in about
# 100 epochs, so at 30 epochs a second it takes 3-4 seconds (as fast as possible, 0.1 s)
DEFAULT_EPOCHS_PER_SECOND = 30.0


@dataclass(frozen=True)
class DataSpec:
    """Which generated dataset to use and how to split it."""

    generator: str = "circle"
    problem: str = CLASSIFICATION
    n_samples: int = 500
    noise: float = 0.0
    train_ratio: float = 0.5
    classes: int = 2
    seed: int = 0


@dataclass(frozen=True)
class NetworkSpec:
    """The shape of the network; the output layer and loss follow from the problem type."""

    hidden_layers: tuple[int, ...] = (4, 2)
    # one name per hidden layer (same length as hidden_layers)
    activations: tuple[str, ...] = ("tanh", "tanh")
    features: tuple[str, ...] = ("x1", "x2")
    seed: int = 0
    # one of INITIALIZER_NAMES; the weights are drawn from ``seed`` with it
    init: str = DEFAULT_INITIALIZER

    def with_activation(self, name: str) -> "NetworkSpec":
        return replace(self, activations=(name,) * len(self.hidden_layers))


@dataclass(frozen=True)
class Hyperparameters:
    """Settings that can change while training runs, without rebuilding the network."""

    learning_rate: float = 0.03
    batch_size: int = 10
    optimizer: str = "sgd"
    regularization: str = "none"
    regularization_rate: float = 0.0
    # None means "as fast as possible"
    epochs_per_second: float | None = DEFAULT_EPOCHS_PER_SECOND
    shuffle_seed: int = 0
    # "float32" trains large data about twice as fast. A setting of the training, not of the
    # model (the weights mean the same and are saved the same): it changes between two
    # mini-batches keeping the weights and the optimizer's state, where a NetworkSpec change
    # draws fresh weights
    precision: str = "float64"

    @property
    def l1(self) -> float:
        return self.regularization_rate if self.regularization == "l1" else 0.0

    @property
    def l2(self) -> float:
        return self.regularization_rate if self.regularization == "l2" else 0.0


@dataclass(frozen=True)
class PlaygroundConfig:
    """Everything needed to rebuild a playground from scratch (apart from hand-edited points)."""

    data: DataSpec = field(default_factory=DataSpec)
    network: NetworkSpec = field(default_factory=NetworkSpec)
    hyper: Hyperparameters = field(default_factory=Hyperparameters)


def output_layer_for(problem: str, classes: int) -> tuple[int, str, str]:
    """(output units, output activation, loss) for a problem type."""
    if problem == REGRESSION:
        return 1, "linear", "mse"
    if problem != CLASSIFICATION:
        raise ValueError(f"problem type must be one of {PROBLEM_TYPES}, not {problem!r}")
    if classes <= 2:
        return 1, "sigmoid", "bce"
    return classes, "softmax", "cross_entropy"
