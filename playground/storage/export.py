"""Exports: the model (.npz, JSON), the loss history, the comparison of pinned runs and the
dataset (CSV), and standalone code.

Every function takes the *captured* content of a playground (``playground.storage.capture``),
so the GUI can capture in the training thread and export from anywhere; ``model_of`` turns that
content into a plain :class:`Model`. Every file is written atomically (temporary file + rename).

The two code exports carry the trained weights as exact float literals:

* ``export_numpy_predict``: a file needing only NumPy with ``features(X)`` and ``predict(X)``,
  computing exactly what ``Network.predict`` computes (same formulas, so equal to ~1e-15);
* ``export_pytorch``: an equivalent ``torch.nn.Module`` plus a short training loop with the same
  loss, optimizer (and its state), L1/L2 penalty and mini-batch size, to continue in PyTorch.
"""
from __future__ import annotations

import io
import json
import math
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from playground import __version__
from playground.storage import codegen
from playground.storage.atomic import AtomicFile
from playground.storage.format import atomic_write_bytes
from playground.storage.errors import StorageError

MODEL_FORMAT = "backprop-playground-model"
MODEL_VERSION = 1
CURRENT_RUN_LABEL = "this run"
HISTORY_HEADER = ("epoch", "train_loss", "test_loss", "train_accuracy", "test_accuracy",
                  "learning_rate", "batch_size")


@dataclass(frozen=True)
class Model:
    """A trained network as plain arrays: everything predict() and the code exports need."""

    features: tuple[str, ...]
    layer_sizes: tuple[int, ...]
    activations: tuple[str, ...]      # one per hidden layer
    output_activation: str
    loss: str
    weights: tuple[np.ndarray, ...]   # (fan_in, fan_out) per layer
    biases: tuple[np.ndarray, ...]    # (fan_out,) per layer
    l1: float
    l2: float
    optimizer: str
    learning_rate: float
    batch_size: int
    kind: str                         # "classification" | "regression"
    n_classes: int
    # the optimizer's state by the engine's names: per-layer (W-shaped, b-shaped) pairs for a
    # parameter-sized array, the value itself for a scalar (Adam's step count)
    optimizer_state: dict = field(default_factory=dict)


def model_of(content: dict) -> Model:
    """The Model held by captured content (``playground.storage.capture``)."""
    from playground.engine import Network
    from playground.engine.buffers import block_views

    network, config = content["network"], content["config"]
    # Rebuilding the engine's Network and reading its per-layer views keeps this independent of
    # how the engine lays its flat parameter vector out.
    net = Network(network["layer_sizes"], activation=list(network["activations"]),
                  output_activation=network["output_activation"], loss=network["loss"])
    net.parameters = network["parameters"]
    hyper = config["hyper"]
    optimizer_state = {
        name: (tuple((block[:-1].copy(), block[-1].copy())
                     for block in block_views(np.asarray(value, np.float64), net.layer_sizes))
               if isinstance(value, np.ndarray) else value)
        for name, value in content["trainer"]["optimizer"].items()}
    return Model(
        features=tuple(config["network"]["features"]),
        layer_sizes=tuple(net.layer_sizes), activations=tuple(net.activations),
        output_activation=net.output_activation, loss=net.loss_name,
        weights=tuple(np.array(w) for w in net.weights),
        biases=tuple(np.array(b) for b in net.biases),
        l1=float(network["l1"]), l2=float(network["l2"]), optimizer=hyper["optimizer"],
        learning_rate=float(hyper["learning_rate"]), batch_size=int(hyper["batch_size"]),
        kind=content["dataset"]["kind"], n_classes=int(content["dataset"]["n_classes"]),
        optimizer_state=optimizer_state,
    )


# ------------------------------------------------------------------------------ model files
def export_model_npz(path, content: dict) -> None:
    """Weights as ``W0, b0, W1, b1, ...`` plus ``layer_sizes``, ``activations``, ``features``,
    ``output_activation`` and ``loss`` (strings as Unicode arrays: loadable without pickle)."""
    model = model_of(content)
    arrays = {"layer_sizes": np.array(model.layer_sizes, dtype=np.int64),
              "features": np.array(model.features, dtype=str),
              "activations": np.array(model.activations, dtype=str).reshape(-1),
              "output_activation": np.array(model.output_activation),
              "loss": np.array(model.loss)}
    for layer, (w, b) in enumerate(zip(model.weights, model.biases)):
        arrays[f"W{layer}"], arrays[f"b{layer}"] = w, b
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    atomic_write_bytes(path, buffer.getvalue())


def model_json(content: dict) -> dict:
    """The model as a JSON-ready dict (floats round-trip exactly through Python's json)."""
    model = model_of(content)
    return {
        "format": MODEL_FORMAT, "version": MODEL_VERSION, "app_version": __version__,
        "features": list(model.features), "layer_sizes": list(model.layer_sizes),
        "activations": list(model.activations), "output_activation": model.output_activation,
        "loss": model.loss, "kind": model.kind, "n_classes": model.n_classes,
        "layers": [{"weights": w.tolist(), "biases": b.tolist()}
                   for w, b in zip(model.weights, model.biases)],
        "note": "layer l computes f(a @ weights + biases); weights has shape (inputs, outputs)",
    }


def export_model_json(path, content: dict) -> None:
    text = json.dumps(model_json(content), indent=1, allow_nan=False)
    atomic_write_bytes(path, (text + "\n").encode("utf-8"))


# ------------------------------------------------------------------------------ tables
def _cell(value) -> str:
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    value = float(value)
    return "" if math.isnan(value) else repr(value)


def history_csv(history: dict) -> str:
    """The per-epoch history as CSV text; NaN (accuracy of a regression) is an empty cell."""
    columns = ["epochs", *HISTORY_HEADER[1:]]
    rows = zip(*(history[name].tolist() for name in columns))
    lines = [",".join(HISTORY_HEADER)]
    lines += [",".join(_cell(value) for value in row) for row in rows]
    return "\n".join(lines) + "\n"


def export_history_csv(path, content: dict) -> None:
    atomic_write_bytes(path, history_csv(content["history"]).encode("utf-8"))


def export_comparison_csv(path, content: dict) -> None:
    """The shown pinned runs and the current run side by side (``playground.runs``' table:
    a row per epoch, a column per run and metric)."""
    from playground.runs import write_comparison_csv

    runs = [(pin["label"], pin["history"]) for pin in content.get("pins", []) if pin["visible"]]
    if len(content["history"]["epochs"]):
        runs.append((CURRENT_RUN_LABEL, content["history"]))
    with AtomicFile(path) as file:
        text = io.TextIOWrapper(file.stream, encoding="utf-8", newline="")
        write_comparison_csv(text, runs)
        text.flush()
        text.detach()       # the file, not the wrapper, is closed (and moved into place)


def export_dataset_csv(path, content: dict) -> None:
    """The full dataset (painted points included) and each point's part of the split, through
    playground.data's CSV writer: importing the file gives the same points and split back."""
    from playground.data import Dataset, write_csv

    part = content["dataset"]
    dataset = Dataset(part["X"], part["y"], part["kind"], part["n_classes"])
    split = (content["split"]["train_indices"], content["split"]["test_indices"])
    path = Path(path)
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                             dir=path.parent if str(path.parent) else ".")
        os.close(handle)
        write_csv(temporary, dataset, split)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; an export is an ordinary file
        os.replace(temporary, path)
        temporary = None
    except OSError as error:
        raise StorageError(f"cannot export {path}: {error.strerror or error}") from None
    finally:
        if temporary is not None:
            os.unlink(temporary)


# ------------------------------------------------------------------------------ code
def export_numpy_predict(path, content: dict) -> None:
    atomic_write_bytes(path, codegen.numpy_module(model_of(content)).encode("utf-8"))


def export_pytorch(path, content: dict, epochs: int = 100) -> None:
    atomic_write_bytes(path, codegen.pytorch_module(model_of(content), epochs).encode("utf-8"))


EXPORTERS = {
    "model_npz": (export_model_npz, "NumPy archive (*.npz)", ".npz"),
    "model_json": (export_model_json, "JSON (*.json)", ".json"),
    "history_csv": (export_history_csv, "CSV (*.csv)", ".csv"),
    "comparison_csv": (export_comparison_csv, "CSV (*.csv)", ".csv"),
    "dataset_csv": (export_dataset_csv, "CSV (*.csv)", ".csv"),
    "numpy_predict": (export_numpy_predict, "Python (*.py)", ".py"),
    "pytorch": (export_pytorch, "Python (*.py)", ".py"),
}
"""Export name -> (function(path, content), file-dialog filter, suffix)."""
