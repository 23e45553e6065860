"""A Playground as a content tree for the file format, and back.

``capture`` copies everything a saved file holds out of a live Playground (quick; call it where
the playground is not being trained, e.g. in the worker between mini-batches) and the result can
be written from any thread. ``restore`` builds a *new* Playground from a content tree and checks
that every part agrees with every other before it is returned, so a bad file never reaches (or
changes) the playground that is open.
"""
from __future__ import annotations

import math

import numpy as np

from playground import validation
from playground.config import CLASSIFICATION, output_layer_for
from playground.layer_log import COLUMNS as LAYER_COLUMNS
from playground.layer_log import MAX_LAYER_ROWS, QUANTILES, LayerHistory
from playground.limits import MAX_COUNT, MAX_HISTORY_ROWS
from playground.messages import quote
from playground.storage.config_codec import config_from_dict, config_to_dict
from playground.storage.errors import StorageError
from playground.storage.pins_state import pins_from_content, pins_to_content

CONTENT_SECTIONS = ("config", "dataset", "split", "network", "trainer", "history", "pins",
                    "layers")
HISTORY_COLUMNS = {
    "epochs": np.int64, "train_loss": np.float64, "test_loss": np.float64,
    "train_accuracy": np.float64, "test_accuracy": np.float64,
    "learning_rate": np.float64, "batch_size": np.int64,
}


def _copied(value):
    """Deep copy of a state tree: arrays copied, containers rebuilt, scalars as they are."""
    if isinstance(value, np.ndarray):
        return np.array(value, copy=True)
    if isinstance(value, dict):
        return {key: _copied(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copied(item) for item in value]
    if isinstance(value, tuple):
        return tuple(_copied(item) for item in value)
    return value


def capture(playground, pins=None) -> dict:
    """Everything a saved file holds, copied out of ``playground`` (no references kept), with
    the runs pinned beside it (a ``playground.runs.PinnedRuns``; none by default)."""
    network = playground.network
    dataset = playground.dataset
    return {
        "config": config_to_dict(playground.config),
        "dataset": {"kind": dataset.kind, "n_classes": int(dataset.n_classes),
                    "X": np.array(dataset.X), "y": np.array(dataset.y)},
        "split": {"train_indices": np.array(playground.train_indices, dtype=np.int64),
                  "test_indices": np.array(playground.test_indices, dtype=np.int64)},
        "network": {
            "layer_sizes": list(network.layer_sizes),
            "activations": list(network.activations),
            "output_activation": network.output_activation,
            "loss": network.loss_name,
            "l1": float(network.l1),
            "l2": float(network.l2),
            "seed": network.seed,
            # float64 whatever the precision (widening float32 is exact)
            "parameters": np.array(network.parameters, dtype=np.float64, copy=True),
        },
        "trainer": _trainer_state(playground.trainer),
        "history": {name: playground.history.column(name) for name in HISTORY_COLUMNS},
        "pins": pins_to_content(pins),
        "layers": _layers_content(playground.layer_log.history()),
    }


def _layers_content(history: LayerHistory) -> dict | None:
    """The per-layer samples as arrays; None when there is none (no empty arrays in a file)."""
    if not len(history):
        return None
    return {name: np.ascontiguousarray(getattr(history, name), dtype=np.float64)
            for name in LAYER_COLUMNS}


def _trainer_state(trainer) -> dict:
    state = _copied(trainer.state_dict())
    if state.get("permutation") is not None:
        # an array member rather than thousands of JSON numbers
        state["permutation"] = np.asarray(state["permutation"], dtype=np.int64)
    return {"state": state, "optimizer": _copied(trainer.optimizer_state())}


# ------------------------------------------------------------------------------------ restoring
def restore(content):
    """A new Playground equal to the captured one; StorageError naming the first inconsistency.

    The pinned runs are checked too (a bad pin refuses the file); :func:`pins_from_content`
    gives them."""
    from playground.session import Playground  # keeps `import playground.storage` light

    _require_sections(content)
    pins_from_content(content)
    config = config_from_dict(content["config"], "config", complete=True)
    _within_limits(validation.check_config, config)
    dataset = _dataset(content["dataset"])
    network_part = _section(content, "network", dict)
    parameters = _array(network_part, "parameters", "network.parameters", np.float64, ndim=1)
    _within_limits(validation.check_parameters, parameters, "network.parameters")
    _check_network_size(config, dataset, parameters)
    try:
        playground = Playground(config, dataset)
    except (ValueError, KeyError, TypeError) as error:
        raise StorageError(f"the saved settings cannot be rebuilt: {error}") from None
    _check_network_matches(playground.network, network_part)
    _restore_split(playground, _section(content, "split", dict))
    playground.network.parameters = parameters
    history = _history(_section(content, "history", dict))
    _restore_trainer(playground, _section(content, "trainer", dict), history)
    playground.history.replace_all(history)
    layers = _layer_history(content["layers"], playground.network.n_layers)
    if layers is not None:
        playground.layer_log.replace_all(layers)
    return playground


def _within_limits(check, *arguments) -> None:
    """Run one of playground.validation's checks; its ValueError becomes a StorageError."""
    try:
        check(*arguments)
    except ValueError as error:
        raise StorageError(str(error)) from None


def _require_sections(content) -> None:
    if not isinstance(content, dict):
        raise StorageError("the manifest's content must be an object")
    missing = [name for name in CONTENT_SECTIONS if name not in content]
    if missing:
        raise StorageError(f"the file is missing the sections {missing}")
    unknown = sorted(set(content) - set(CONTENT_SECTIONS))
    if unknown:
        raise StorageError(f"the file has unknown sections {unknown}")


def _section(content: dict, name: str, kind: type):
    value = content.get(name)
    if not isinstance(value, kind):
        raise StorageError(f"{name} must be {'an object' if kind is dict else kind.__name__}")
    return value


def _array(part: dict, key: str, where: str, dtype, ndim: int) -> np.ndarray:
    value = part.get(key)
    if not isinstance(value, np.ndarray):
        raise StorageError(f"{where} is missing or is not an array")
    if value.dtype != np.dtype(dtype) or value.ndim != ndim:
        raise StorageError(f"{where} must be a {ndim}-D {np.dtype(dtype).name} array, "
                           f"found {value.ndim}-D {value.dtype.name}")
    return value


def _dataset(part):
    from playground.data import Dataset

    if not isinstance(part, dict) or set(part) != {"kind", "n_classes", "X", "y"}:
        raise StorageError("dataset must hold exactly kind, n_classes, X and y")
    X = _array(part, "X", "dataset.X", np.float64, ndim=2)
    y = part["y"]
    if not isinstance(y, np.ndarray) or y.ndim != 1 or y.dtype not in (np.int64, np.float64):
        raise StorageError("dataset.y must be a 1-D int64 or float64 array")
    if isinstance(part["n_classes"], bool) or not isinstance(part["n_classes"], int):
        raise StorageError("dataset.n_classes must be a whole number")
    _within_limits(validation.check_points, X, y, part["kind"])
    try:
        return Dataset(X, y, part["kind"], part["n_classes"])
    except (ValueError, TypeError) as error:
        raise StorageError(f"the saved dataset is invalid: {error}") from None


def _check_network_size(config, dataset, parameters: np.ndarray) -> None:
    """Refuse, before building anything, a network whose size the saved weights do not match.

    The batch size may exceed the points (a canvas cleared or painted with a few points, as
    the app allows): the trainer then takes the whole training set as one mini-batch.
    """
    hidden = config.network.hidden_layers
    classes = dataset.n_classes if dataset.kind == CLASSIFICATION else config.data.classes
    try:
        n_out = output_layer_for(dataset.kind, classes)[0]
    except ValueError as error:
        raise StorageError(str(error)) from None
    sizes = [len(config.network.features), *hidden, n_out]
    expected = sum((fan_in + 1) * fan_out for fan_in, fan_out in zip(sizes[:-1], sizes[1:]))
    if expected != parameters.size:
        raise StorageError(f"network.parameters has {parameters.size} values but the network "
                           f"{sizes} needs {expected}")


NETWORK_KEYS = {"layer_sizes", "activations", "output_activation", "loss", "l1", "l2", "seed",
                "parameters"}


def _check_network_matches(network, part: dict) -> None:
    if set(part) != NETWORK_KEYS:
        raise StorageError(f"network must hold exactly {sorted(NETWORK_KEYS)}")
    saved = {
        "layer_sizes": part.get("layer_sizes"),
        "activations": part.get("activations"),
        "output_activation": part.get("output_activation"),
        "loss": part.get("loss"),
    }
    built = {
        "layer_sizes": list(network.layer_sizes),
        "activations": list(network.activations),
        "output_activation": network.output_activation,
        "loss": network.loss_name,
    }
    for key, value in saved.items():
        if value != built[key]:
            raise StorageError(f"network.{key} is {quote(value)} but the saved settings build "
                               f"{quote(built[key])}")
    if part.get("seed") != network.seed or type(part.get("seed")) is not type(network.seed):
        raise StorageError(f"network.seed is {quote(part.get('seed'))} but the saved settings "
                           f"give {network.seed!r}")
    for key in ("l1", "l2"):
        value = part.get(key)
        if (isinstance(value, bool) or not isinstance(value, (int, float))
                or value != getattr(network, key)):
            raise StorageError(f"network.{key} is {quote(value)} but the saved settings give "
                               f"{getattr(network, key)!r}")


def _restore_split(playground, part: dict) -> None:
    """Install the saved split itself: a split made by hand, or by another version's
    splitting, is as valid as the one the settings give."""
    train = _array(part, "train_indices", "split.train_indices", np.int64, ndim=1)
    test = _array(part, "test_indices", "split.test_indices", np.int64, ndim=1)
    try:
        playground.set_split(train, test)
    except ValueError as error:
        raise StorageError(f"the saved split cannot be used: {error}") from None


def _count(value, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise StorageError(f"{where} must be a whole number, not {quote(value)}")
    _within_limits(validation.check_count, value, where)
    return value


def _restore_trainer(playground, part: dict, history: dict) -> None:
    """Load the trainer's state after checking it agrees with the settings and the history.

    The engine checks its own invariants (a real permutation, a valid RNG state); the checks
    here tie the trainer to the rest of the file, so an edited file cannot resume differently
    from what its settings and history say.
    """
    if set(part) != {"state", "optimizer"}:
        raise StorageError("trainer must hold exactly 'state' and 'optimizer'")
    state, optimizer_state = part["state"], part["optimizer"]
    if not isinstance(state, dict) or not isinstance(optimizer_state, dict):
        raise StorageError("trainer.state and trainer.optimizer must be objects")
    hyper = playground.config.hyper
    expected = {"optimizer": hyper.optimizer, "learning_rate": hyper.learning_rate,
                "batch_size": hyper.batch_size, "seed": hyper.shuffle_seed}
    for key, value in expected.items():
        if state.get(key) != value or type(state.get(key)) is not type(value):
            raise StorageError(f"trainer.state.{key} is {quote(state.get(key))} but the "
                               f"settings say {quote(value)}")
    epoch = _count(state.get("epoch"), "trainer.state.epoch")
    _count(state.get("position"), "trainer.state.position")
    _count(state.get("batch_index"), "trainer.state.batch_index")
    loss_sum = state.get("epoch_loss_sum")
    if (isinstance(loss_sum, bool) or not isinstance(loss_sum, (int, float))
            or not math.isfinite(loss_sum)):
        raise StorageError("trainer.state.epoch_loss_sum must be a finite number")
    permutation = state.get("permutation")
    if permutation is not None:
        if not isinstance(permutation, np.ndarray) or permutation.dtype != np.int64:
            raise StorageError("trainer.state.permutation must be an int64 array or null")
        if len(permutation) != len(playground.train_indices):
            raise StorageError(f"trainer.state.permutation has {len(permutation)} entries for "
                               f"{len(playground.train_indices)} training points")
    if len(history["epochs"]) and int(history["epochs"][-1]) != epoch:
        raise StorageError(f"history ends at epoch {int(history['epochs'][-1])} but the "
                           f"trainer is at epoch {epoch}")
    for name, value in optimizer_state.items():
        if isinstance(value, np.ndarray) and value.dtype != np.float64:
            raise StorageError(f"trainer.optimizer.{name} must be float64, found {value.dtype}")
        if isinstance(value, int) and not isinstance(value, bool):
            _count(value, f"trainer.optimizer.{name}")
    try:
        playground.trainer.load_state_dict(state)
        playground.trainer.load_optimizer_state(optimizer_state)
    except (ValueError, KeyError, TypeError, IndexError, OverflowError) as error:
        raise StorageError(f"the saved trainer state is invalid: {error}") from None
    for name, value in optimizer_state.items():
        if isinstance(value, np.ndarray) and not np.all(np.isfinite(value)):
            raise StorageError(f"trainer.optimizer.{name} holds a non-finite number")


def _layer_history(part, n_layers: int) -> LayerHistory | None:
    """The saved per-layer samples (None: a file from before they were kept)."""
    if part is None:
        return None
    if not isinstance(part, dict) or set(part) != set(LAYER_COLUMNS):
        raise StorageError(f"layers must hold exactly {list(LAYER_COLUMNS)} (or be null)")
    positions = _array(part, "positions", "layers.positions", np.float64, ndim=1)
    quantiles = _array(part, "weight_quantiles", "layers.weight_quantiles", np.float64, ndim=3)
    norms = _array(part, "gradient_norms", "layers.gradient_norms", np.float64, ndim=2)
    rows = len(positions)
    if not 0 < rows <= MAX_LAYER_ROWS:
        raise StorageError(f"layers has {rows:,} rows; 1 to {MAX_LAYER_ROWS:,} are kept "
                           "(null when there is none)")
    if quantiles.shape != (rows, n_layers, len(QUANTILES)) or norms.shape != (rows, n_layers):
        raise StorageError(f"layers must hold {rows} rows of {n_layers} layers: "
                           f"weight_quantiles is {quantiles.shape}, gradient_norms "
                           f"{norms.shape}")
    if rows and not (np.all(np.isfinite(positions)) and positions.min() >= 0
                     and positions.max() <= MAX_COUNT and np.all(np.diff(positions) > 0)):
        raise StorageError(f"layers.positions must increase within 0..{MAX_COUNT:,}")
    return LayerHistory(positions, quantiles, norms)


def _history(part: dict) -> dict[str, np.ndarray]:
    if set(part) != set(HISTORY_COLUMNS):
        raise StorageError(f"history must hold exactly the columns {sorted(HISTORY_COLUMNS)}")
    columns = {name: _array(part, name, f"history.{name}", dtype, ndim=1)
               for name, dtype in HISTORY_COLUMNS.items()}
    if len({len(column) for column in columns.values()}) != 1:
        raise StorageError("history columns have different lengths")
    if len(columns["epochs"]) > MAX_HISTORY_ROWS:
        raise StorageError(f"history has {len(columns['epochs']):,} rows; at most "
                           f"{MAX_HISTORY_ROWS:,} are kept")
    epochs = columns["epochs"]
    if len(epochs) and not (0 <= epochs.min() and epochs.max() <= MAX_COUNT):
        raise StorageError(f"history.epochs must lie in 0..{MAX_COUNT:,}")
    return columns
