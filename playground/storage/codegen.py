"""Source code of the standalone NumPy and PyTorch exports of a trained model.

The generated files embed the weights as exact float literals (``repr`` round-trips a float64)
and only names taken from this module's own tables, never text from a file, so what is generated
is always well-formed Python. Each table below must list every name in the engine's registries;
tests/storage/test_export.py checks that, and that the formulas agree with the engine.
"""
from __future__ import annotations

import json

import numpy as np

from playground import __version__
from playground.storage.errors import StorageError

# feature name -> NumPy / PyTorch expression of the columns x1, x2 (same as playground.data)
FEATURE_EXPRESSIONS = {
    "x1": ("x1", "x1"), "x2": ("x2", "x2"),
    "x1_sq": ("x1 * x1", "x1 * x1"), "x2_sq": ("x2 * x2", "x2 * x2"),
    "x1_x2": ("x1 * x2", "x1 * x2"),
    "sin_x1": ("np.sin(x1)", "torch.sin(x1)"), "sin_x2": ("np.sin(x2)", "torch.sin(x2)"),
    "cos_x1": ("np.cos(x1)", "torch.cos(x1)"), "cos_x2": ("np.cos(x2)", "torch.cos(x2)"),
}

# activation name -> NumPy body computing it from z, written as the engine computes it so the
# results agree to the last bit or two (e.g. the engine's sigmoid is exp(z - softplus(z)))
NUMPY_ACTIVATIONS = {
    "linear": "return z",
    "relu": "return np.maximum(z, 0.0)",
    "leaky_relu": "return np.maximum(z, z * 0.01)",
    "elu": "return np.maximum(z, np.expm1(np.minimum(z, 0.0)))",
    "tanh": "return np.tanh(z)",
    "sigmoid": "return np.exp(z - np.logaddexp(0.0, z))",
    "softplus": "return np.logaddexp(0.0, z)",
    "swish": "return np.exp(z - np.logaddexp(0.0, z)) * z",
    "sine": "return np.sin(z)",
    "softmax": ("e = np.exp(z - z.max(axis=1, keepdims=True))\n"
                "    return e / e.sum(axis=1, keepdims=True)"),
}

# activation name -> torch.nn module expression
TORCH_ACTIVATIONS = {
    "linear": "nn.Identity()",
    "relu": "nn.ReLU()",
    "leaky_relu": "nn.LeakyReLU(0.01)",
    "elu": "nn.ELU(alpha=1.0)",
    "tanh": "nn.Tanh()",
    "sigmoid": "nn.Sigmoid()",
    # above the threshold Softplus returns z itself: exact in float64 from z = 37 on (e^-z is
    # below half an ulp of z), while the default threshold 20 is off by up to e^-20 = 2e-9
    "softplus": "nn.Softplus(beta=1.0, threshold=40.0)",
    "swish": "nn.SiLU()",
    "sine": "Sine()",
    "softmax": "nn.Softmax(dim=1)",
}

# engine optimizer -> torch.optim construction with the engine's constants (momentum and
# Nesterov follow PyTorch's convention in the engine too: v <- mu v + g, W <- W - lr v)
TORCH_OPTIMIZERS = {
    "sgd": "torch.optim.SGD(params, lr=lr)",
    "momentum": "torch.optim.SGD(params, lr=lr, momentum=0.9)",
    "nesterov": "torch.optim.SGD(params, lr=lr, momentum=0.9, nesterov=True)",
    "rmsprop": "torch.optim.RMSprop(params, lr=lr, alpha=0.9, eps=1e-8)",
    "adam": "torch.optim.Adam(params, lr=lr, betas=(0.9, 0.999), eps=1e-8)",
}

# engine optimizer -> {engine state name: torch state name}; state torch keeps but its update
# never reads (RMSprop's step count), which the engine does not keep, in TORCH_UNREAD_STATE
TORCH_OPTIMIZER_STATE = {
    "sgd": {},
    "momentum": {"velocity": "momentum_buffer"},
    "nesterov": {"velocity": "momentum_buffer"},
    "rmsprop": {"square_average": "square_avg"},
    "adam": {"m": "exp_avg", "v": "exp_avg_sq", "t": "step"},
}
TORCH_UNREAD_STATE = {"rmsprop": {"step": 0}}

# engine loss -> torch loss on (logits, outputs, targets Y (n, n_out)), mean over samples
TORCH_LOSSES = {
    "bce": "F.binary_cross_entropy_with_logits(logits, Y, reduction='sum') / len(Y)",
    "cross_entropy": "F.cross_entropy(logits, Y, reduction='sum') / len(Y)",
    "mse": "0.5 * ((outputs - Y) ** 2).sum() / len(Y)",
}


def _checked(model) -> None:
    for name in model.features:
        if name not in FEATURE_EXPRESSIONS:
            raise StorageError(f"cannot export the feature {name!r}")
    for name in (*model.activations, model.output_activation):
        if name not in NUMPY_ACTIVATIONS:
            raise StorageError(f"cannot export the activation {name!r}")
    if model.loss not in TORCH_LOSSES:
        raise StorageError(f"cannot export the loss {model.loss!r}")
    for array in (*model.weights, *model.biases):
        if not np.all(np.isfinite(array)):
            raise StorageError("cannot export a network with non-finite weights")


def _literal(array: np.ndarray) -> str:
    # json writes each float with repr, the shortest text that reads back as the same float64
    return json.dumps(np.asarray(array, dtype=np.float64).tolist())


def _architecture(model) -> str:
    hidden = " -> ".join(f"{units} {name}" for units, name
                         in zip(model.layer_sizes[1:-1], model.activations))
    parts = [f"{model.layer_sizes[0]} features ({', '.join(model.features)})"]
    if hidden:
        parts.append(hidden)
    parts.append(f"{model.layer_sizes[-1]} {model.output_activation}")
    return " -> ".join(parts)


def _output_meaning(model) -> str:
    if model.kind == "regression":
        return "the predicted value (n, 1)"
    if model.layer_sizes[-1] == 1:
        return "the probability of class 1 (n, 1)"
    return f"the probabilities of the {model.layer_sizes[-1]} classes (n, {model.layer_sizes[-1]})"


def _weight_block(model, transpose: bool) -> str:
    lines = ["WEIGHTS = ["]
    for w in model.weights:
        lines.append(f"    {_literal(w.T if transpose else w)},")
    lines.append("]")
    lines.append("BIASES = [")
    for b in model.biases:
        lines.append(f"    {_literal(b)},")
    lines.append("]")
    return "\n".join(lines)


def _optimizer_state_block(model) -> str:
    """OPTIMIZER_STATE = {torch name: one literal per parameter, or a scalar}, in the order of
    ``model.parameters()``: each layer's weight (outputs, inputs), then its bias."""
    lines = ["OPTIMIZER_STATE = {"]
    for engine_name, torch_name in TORCH_OPTIMIZER_STATE.get(model.optimizer, {}).items():
        value = model.optimizer_state[engine_name]
        if isinstance(value, tuple):
            lines.append(f"    {torch_name!r}: [")
            lines += [f"        {_literal(array)}," for w, b in value for array in (w.T, b)]
            lines.append("    ],")
        else:
            lines.append(f"    {torch_name!r}: {value!r},")
    for torch_name, value in TORCH_UNREAD_STATE.get(model.optimizer, {}).items():
        lines.append(f"    {torch_name!r}: {value!r},")
    lines.append("}")
    return "\n".join(lines)


def numpy_module(model) -> str:
    """Python source needing only NumPy: ``features(X)``, ``predict(X)``, ``predict_class(X)``."""
    _checked(model)
    used = sorted(set(model.activations) | {model.output_activation})
    functions = "\n\n\n".join(f"def _{name}(z):\n    {NUMPY_ACTIVATIONS[name]}" for name in used)
    feature_list = ", ".join(FEATURE_EXPRESSIONS[name][0] for name in model.features)
    layer_functions = ", ".join(f"_{name}"
                                for name in (*model.activations, model.output_activation))
    if model.kind == "regression":
        classes = "    raise ValueError(\"a regression model has no classes\")"
    elif model.layer_sizes[-1] == 1:
        classes = "    return (predict(X)[:, 0] >= 0.5).astype(np.int64)"
    else:
        classes = "    return np.argmax(predict(X), axis=1)"
    return f'''"""A trained network exported from Backprop Playground {__version__}.

Needs only NumPy. ``predict(X)`` takes raw points X of shape (n, 2), columns x1 and x2, and
returns {_output_meaning(model)}.

Network: {_architecture(model)}.
Layer l computes f_l(a @ WEIGHTS[l] + BIASES[l]); WEIGHTS[l] has shape (inputs, outputs).
"""
import numpy as np

FEATURES = {tuple(model.features)!r}
LAYER_SIZES = {tuple(model.layer_sizes)!r}
ACTIVATIONS = {tuple(model.activations)!r}
OUTPUT_ACTIVATION = {model.output_activation!r}

{_weight_block(model, transpose=False)}
WEIGHTS = [np.array(w, dtype=np.float64).reshape(i, o)
           for w, i, o in zip(WEIGHTS, LAYER_SIZES[:-1], LAYER_SIZES[1:])]
BIASES = [np.array(b, dtype=np.float64) for b in BIASES]


{functions}


_LAYER_FUNCTIONS = ({layer_functions},)


def features(X):
    """The network's inputs {list(model.features)} computed from raw points X (n, 2)."""
    X = np.asarray(X, dtype=np.float64).reshape(-1, 2)
    x1, x2 = X[:, 0], X[:, 1]
    return np.column_stack([{feature_list}]).reshape(len(X), {len(model.features)})


def predict(X):
    """The network's output for raw points X (n, 2): {_output_meaning(model)}."""
    a = features(X)
    for W, b, f in zip(WEIGHTS, BIASES, _LAYER_FUNCTIONS):
        a = f(a @ W + b)
    return a


def predict_class(X):
    """Class index per point (classification models only)."""
{classes}


if __name__ == "__main__":
    points = np.array([[0.0, 0.0], [1.0, -1.0], [-2.5, 3.0]])
    for point, output in zip(points, predict(points)):
        print(point, "->", output)
'''


def pytorch_module(model, epochs: int = 100) -> str:
    """Python source of an equivalent ``torch.nn.Module`` plus a short training loop."""
    _checked(model)
    feature_list = ", ".join(FEATURE_EXPRESSIONS[name][1] for name in model.features)
    hidden = ", ".join(TORCH_ACTIVATIONS[name] for name in model.activations)
    hidden = f"[{hidden}]" if hidden else "[]"
    optimizer = TORCH_OPTIMIZERS.get(model.optimizer, TORCH_OPTIMIZERS["sgd"])
    if model.kind == "regression":
        target_code = "    return torch.as_tensor(labels, dtype=DTYPE).reshape(-1, 1)"
    elif model.layer_sizes[-1] == 1:
        target_code = "    return torch.as_tensor(labels, dtype=DTYPE).reshape(-1, 1)"
    else:
        target_code = (f"    return F.one_hot(torch.as_tensor(labels).long(), "
                       f"{model.layer_sizes[-1]}).to(DTYPE)")
    return f'''"""A trained network exported from Backprop Playground {__version__}, in PyTorch.

``PlaygroundNet()`` starts with the playground's trained weights; ``model(X)`` takes raw points
X (n, 2) and returns {_output_meaning(model)}, the same numbers as the playground.
``train(model, X, Y)`` continues training as the playground would: the same loss, optimizer
(starting from the state it had in the playground), learning rate, batch size and penalties.

- Momentum and Nesterov follow torch.optim.SGD's convention, which the playground uses too:
  v <- 0.9 v + dL/dW, then W <- W - lr v (Nesterov: W <- W - lr (dL/dW + 0.9 v)). The learning
  rate stays out of v, so changing it (optimizer.param_groups[0]["lr"] = ...) scales the next
  step, momentum included, in both.
- L1 is a proximal step after the optimizer's step: each weight is soft-thresholded by
  lr * L1 (F.softshrink), so a weight the L1 step would carry across zero becomes exactly 0.
  The optimizer itself steps on the data loss plus the L2 penalty.

Continue training on a CSV exported from the playground (File > Export > Dataset CSV):

    python this_file.py dataset.csv [epochs]

trains on the points its split column marks train, as the playground did, and reports the loss
on the test points beside it (a CSV without a split column is all training points).

Network: {_architecture(model)}.
"""
import csv
import sys

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

# float64 gives the playground's numbers exactly; float32 is faster and fine for training.
DTYPE = torch.float64

FEATURES = {tuple(model.features)!r}
LAYER_SIZES = {tuple(model.layer_sizes)!r}
HIDDEN_ACTIVATIONS = {tuple(model.activations)!r}
OUTPUT_ACTIVATION = {model.output_activation!r}
LOSS = {model.loss!r}
OPTIMIZER = {model.optimizer!r}
LEARNING_RATE = {model.learning_rate!r}
BATCH_SIZE = {model.batch_size!r}
L1 = {model.l1!r}  # penalty L1 * sum|W| on weights (not biases), applied as a proximal step
L2 = {model.l2!r}  # penalty L2 / 2 * sum W^2 on weights (not biases)
EPOCHS = {int(epochs)!r}

# weights as torch.nn.Linear stores them: (outputs, inputs)
{_weight_block(model, transpose=True)}

# The optimizer's state in the playground, by PyTorch's names: one entry per parameter of
# model.parameters() (layer 0 weight, layer 0 bias, layer 1 weight, ...) or one number.
{_optimizer_state_block(model)}


class Sine(nn.Module):
    def forward(self, z):
        return torch.sin(z)


def make_features(X):
    """The network's inputs {list(model.features)} from raw points X (n, 2)."""
    x1, x2 = X[:, 0], X[:, 1]
    return torch.stack([{feature_list}], dim=1)


class PlaygroundNet(nn.Module):
    """{_architecture(model)}."""

    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList(
            nn.Linear(i, o) for i, o in zip(LAYER_SIZES[:-1], LAYER_SIZES[1:]))
        self.hidden_activations = nn.ModuleList({hidden})
        self.output_activation = {TORCH_ACTIVATIONS[model.output_activation]}
        self.to(DTYPE)
        with torch.no_grad():
            for layer, w, b in zip(self.layers, WEIGHTS, BIASES):
                layer.weight.copy_(torch.tensor(w, dtype=DTYPE).reshape(layer.weight.shape))
                layer.bias.copy_(torch.tensor(b, dtype=DTYPE))

    def logits(self, X):
        """Output layer pre-activations z for raw points X (n, 2)."""
        a = make_features(torch.as_tensor(X, dtype=DTYPE))
        for layer, activation in zip(self.layers[:-1], self.hidden_activations):
            a = activation(layer(a))
        return self.layers[-1](a)

    def forward(self, X):
        return self.output_activation(self.logits(X))

    def penalty(self, l1=L1, l2=L2):
        weights = [layer.weight for layer in self.layers]
        return (l1 * sum(w.abs().sum() for w in weights)
                + 0.5 * l2 * sum((w * w).sum() for w in weights))


def data_loss(model, X, Y):
    """The playground's data loss: mean over the samples."""
    logits = model.logits(X)
    outputs = model.output_activation(logits)
    return {TORCH_LOSSES[model.loss]}


def loss_fn(model, X, Y):
    """The playground's loss: the data loss plus the L1/L2 penalty."""
    return data_loss(model, X, Y) + model.penalty()


def make_optimizer(model, lr=LEARNING_RATE, resume=True):
    """The playground's optimizer for ``model``; with ``resume`` it starts from the state the
    playground's optimizer had (OPTIMIZER_STATE), so training continues where it stopped."""
    params = list(model.parameters())
    optimizer = {optimizer}
    if resume and OPTIMIZER_STATE:
        for index, parameter in enumerate(params):
            optimizer.state[parameter] = {{
                name: torch.tensor(value if isinstance(value, int) else value[index], dtype=DTYPE)
                for name, value in OPTIMIZER_STATE.items()}}
    return optimizer


def train_step(model, optimizer, X, Y):
    """One mini-batch step as the playground takes it; returns the batch's loss before the
    step, penalties included."""
    optimizer.zero_grad()
    smooth = data_loss(model, X, Y) + model.penalty(l1=0.0)
    smooth.backward()
    with torch.no_grad():
        loss = smooth.item() + model.penalty(l2=0.0).item()
    optimizer.step()
    if L1:
        threshold = optimizer.param_groups[0]["lr"] * L1
        with torch.no_grad():
            for layer in model.layers:
                layer.weight.copy_(F.softshrink(layer.weight, threshold))
    return loss


def train(model, X, Y, epochs=EPOCHS, batch_size=BATCH_SIZE, seed=0, optimizer=None):
    """Shuffled mini-batch training; returns the mean loss of each epoch. Pass ``optimizer``
    (from make_optimizer) to carry one optimizer's state over several calls."""
    X = torch.as_tensor(X, dtype=DTYPE)
    Y = torch.as_tensor(Y, dtype=DTYPE)
    optimizer = make_optimizer(model) if optimizer is None else optimizer
    generator = torch.Generator().manual_seed(seed)
    history = []
    for _ in range(epochs):
        total = 0.0
        for batch in torch.randperm(len(X), generator=generator).split(batch_size):
            total += train_step(model, optimizer, X[batch], Y[batch]) * len(batch)
        history.append(total / len(X))
    return history


def targets(labels):
    """The playground's training targets from a CSV label column."""
{target_code}


def read_points(path):
    """(X, labels, in_training) as NumPy arrays from a CSV with the columns x1, x2, a label
    (class, value or label) and optionally split (train or test), in any order, as the
    playground exports it; without a split column every point is a training point."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = [row for row in csv.reader(handle) if any(cell.strip() for cell in row)]
    header = [name.strip().lower() for name in rows[0]]
    label = next(name for name in ("class", "value", "label") if name in header)
    cells = {{name: [row[index].strip() for row in rows[1:]] for index, name in enumerate(header)}}
    X = np.array([cells["x1"], cells["x2"]], dtype=np.float64).T.reshape(-1, 2)
    labels = np.array(cells[label], dtype=np.float64)
    if "split" in cells:
        in_training = np.array([part.lower() == "train" for part in cells["split"]], dtype=bool)
    else:
        in_training = np.ones(len(labels), dtype=bool)
    return X, labels, in_training


def load_csv(path):
    """(X_train, Y_train, X_test, Y_test): the training and test points of a CSV (see
    read_points) as tensors, the targets as the playground trains on them."""
    X, labels, in_training = read_points(path)
    parts = []
    for rows in (in_training, ~in_training):
        parts += [torch.as_tensor(X[rows], dtype=DTYPE), targets(labels[rows])]
    return tuple(parts)


if __name__ == "__main__":
    model = PlaygroundNet()
    if len(sys.argv) > 1:
        X, Y, X_test, Y_test = load_csv(sys.argv[1])
        epochs = int(sys.argv[2]) if len(sys.argv) > 2 else EPOCHS
        print(f"training on {{len(X)}} points, {{len(X_test)}} test points held out")

        def report(when):
            with torch.no_grad():
                line = f"loss {{when}}: {{loss_fn(model, X, Y).item():.6f}}"
                if len(X_test):
                    line += f", test loss {{data_loss(model, X_test, Y_test).item():.6f}}"
            print(line)

        report("before")
        losses = train(model, X, Y, epochs)
        print(f"mean loss of the last epoch ({{epochs}} epochs): {{losses[-1]:.6f}}")
        report("after")
    else:
        print(model(torch.tensor([[0.0, 0.0], [1.0, -1.0]], dtype=DTYPE)))
'''
