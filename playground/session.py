"""The playground as one pure object: config, dataset, split, network, trainer and history.

No Qt here. The training worker drives a ``Playground`` from its own thread; storage saves and
restores one; the backprop inspector reads ``last_batch`` (the engine's caches of the last step).
Every rebuild builds the new parts first and swaps them in only when all succeeded, so a bad
setting (an unknown activation, say) raises and leaves the playground as it was.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from playground import data as datalib
from playground.config import (
    CLASSIFICATION,
    DEFAULT_INITIALIZER,
    REGULARIZATIONS,
    DataSpec,
    Hyperparameters,
    NetworkSpec,
    PlaygroundConfig,
    output_layer_for,
)
from playground.engine import Network, Trainer
from playground.engine.buffers import precision_dtype
from playground.engine.evaluation import Evaluator
from playground.epoch_log import EpochLog, Evaluation
from playground.layer_log import LayerLog
from playground.limits import TRAIN_RATIO_RANGE


def checked_split(train_indices, test_indices, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The split as int64 arrays; ValueError saying what is wrong unless the two are sorted,
    within 0..n-1 and hold every one of the n points exactly once between them."""
    problem = f"train and test indices must partition the {n} points"
    arrays = []
    for name, indices in (("train", train_indices), ("test", test_indices)):
        array = np.asarray(indices)
        if array.ndim != 1 or (array.size and not np.issubdtype(array.dtype, np.integer)):
            raise ValueError(f"{problem}: the {name} indices are not a list of whole numbers")
        array = array.astype(np.int64)
        outside = array[(array < 0) | (array >= n)]
        if len(outside):
            raise ValueError(f"{problem}: {name} index {outside[0]} is outside 0..{n - 1}")
        if np.any(np.diff(array) <= 0):
            raise ValueError(f"{problem}: the {name} indices are not in increasing order "
                             "or repeat a point")
        arrays.append(array)
    train, test = arrays
    both = np.intersect1d(train, test)
    if len(both):
        raise ValueError(f"{problem}: point {both[0]} is in both{_and_more(both)}")
    if len(train) + len(test) != n:
        neither = np.setdiff1d(np.arange(n), np.concatenate([train, test]))
        raise ValueError(f"{problem}: point {neither[0]} is in neither{_and_more(neither)}")
    return train, test


def _and_more(indices: np.ndarray) -> str:
    return f" ({len(indices)} points are)" if len(indices) > 1 else ""


def nearest_ratio(n_train: int, n: int, default: float) -> float:
    """The training share of a split, to the nearest tenth within TRAIN_RATIO_RANGE (the
    ratio slider's steps); ``default`` for no points."""
    if n == 0:
        return default
    low, high = TRAIN_RATIO_RANGE
    return min(max(round(n_train / n, 1), low), high)


# Beyond the fixed plane the margin is this share of the widest side, and the edges are rounded
# out to a round step (a tenth of the power of ten below that side): a point painted near the
# edge then moves the plane by a step at most, and only when it crosses into the margin.
EXTENT_MARGIN = 0.05


def fitted_extent(X: np.ndarray, plane: tuple[float, float]) -> tuple[float, float, float, float]:
    """(xmin, xmax, ymin, ymax) of ``plane`` (low, high) on both axes, each side moved out
    beyond the points of X (n, 2) that lie past it, with a margin."""
    low, high = plane
    if len(X) == 0 or (X.min() >= low and X.max() <= high):
        return (low, high, low, high)
    smallest, largest = X.min(axis=0), X.max(axis=0)
    widest = float(np.max(np.maximum(largest, high) - np.minimum(smallest, low)))
    margin = EXTENT_MARGIN * widest
    step = 10.0 ** np.floor(np.log10(widest)) / 10.0
    lower = np.where(smallest < low, np.floor((smallest - margin) / step) * step, low)
    upper = np.where(largest > high, np.ceil((largest + margin) / step) * step, high)
    return (float(lower[0]), float(upper[0]), float(lower[1]), float(upper[1]))


class Playground:
    """Everything one training run needs, built from a :class:`PlaygroundConfig`.

    ``dataset`` may be a hand-made :class:`playground.data.Dataset`; without one the dataset is
    generated from ``config.data``.
    """

    def __init__(self, config: PlaygroundConfig | None = None, dataset=None):
        self.config = config or PlaygroundConfig()
        self.history = EpochLog()
        self.layer_log = LayerLog()
        self.last_batch = None
        self.data_version = 0
        self.structure_version = 0
        self._grid_cache: dict = {}
        self._evaluation = None          # (what it was made for, (train, test) Evaluators)
        if dataset is None:
            dataset = self._generate(self.config.data)
            self.data_generated = True
        else:
            self.data_generated = self._is_generated(dataset, self.config.data)
        self._install_data(dataset, self.config.data)
        self._install_model(self._build_model(self.config.network, self.config.hyper))

    def number_versions_after(self, previous: "Playground") -> None:
        """Number the data and structure versions on from ``previous``'s, for a playground
        that replaces it (a file opened): anything caching by version then sees new ones."""
        self.data_version = max(self.data_version, previous.data_version + 1)
        self.structure_version = max(self.structure_version, previous.structure_version + 1)

    # ----------------------------------------------------------------- building blocks
    @staticmethod
    def _generate(spec: DataSpec):
        return datalib.make_dataset(spec.generator, n=spec.n_samples, noise=spec.noise,
                                    seed=spec.seed, classes=spec.classes)

    @classmethod
    def _is_generated(cls, dataset, spec: DataSpec) -> bool:
        """Whether a saved or lesson dataset is the generator's own points (or hand-made)."""
        try:
            return dataset == cls._generate(spec)
        except ValueError:          # settings no generator makes: hand-made for sure
            return False

    def _split_parts(self, dataset, spec: DataSpec, split=None) -> dict:
        """Data arrays for ``split`` (train, test indices), by default the ratio and seed's."""
        if split is None:
            split = datalib.split(dataset, spec.train_ratio, spec.seed)
        train_idx, test_idx = split
        Y = np.asarray(datalib.targets(dataset), dtype=np.float64)
        return {
            "dataset": dataset,
            "train_indices": np.asarray(train_idx),
            "test_indices": np.asarray(test_idx),
            "X_train_raw": dataset.X[train_idx],
            "X_test_raw": dataset.X[test_idx],
            "y_train": dataset.y[train_idx],
            "y_test": dataset.y[test_idx],
            "Y_train": Y[train_idx],
            "Y_test": Y[test_idx],
        }

    def _install_data(self, dataset, spec: DataSpec, parts: dict | None = None) -> None:
        parts = self._split_parts(dataset, spec) if parts is None else parts
        for name, value in parts.items():
            setattr(self, name, value)
        self.data_version += 1
        self.config = replace(self.config, data=self._spec_matching(dataset, spec))

    @staticmethod
    def _spec_matching(dataset, spec: DataSpec) -> DataSpec:
        """The data spec with problem type and classes taken from the dataset itself.

        ``n_samples`` stays the generator's count, however many points were painted or
        imported: it is what Regenerate or choosing a dataset makes next (a cleared canvas
        would otherwise make them generate nothing, and three painted points three)."""
        classes = dataset.n_classes if dataset.kind == CLASSIFICATION else spec.classes
        return replace(spec, problem=dataset.kind, classes=classes)

    def _build_model(self, spec: NetworkSpec, hyper: Hyperparameters, parts: dict | None = None,
                     data_spec: DataSpec | None = None) -> dict:
        """Network, trainer and feature matrices for ``spec``; nothing is installed yet."""
        parts = self._data_parts() if parts is None else parts
        data_spec = self.config.data if data_spec is None else data_spec
        dataset = parts["dataset"]
        if len(spec.activations) != len(spec.hidden_layers):
            raise ValueError("the network needs one activation per hidden layer: "
                             f"{len(spec.hidden_layers)} layers, {len(spec.activations)} activations")
        if not spec.features:
            raise ValueError("the network needs at least one input feature")
        n_out, output_activation, loss = self._output_layer(dataset, data_spec)
        F_train, F_test = self._feature_matrices(parts, spec)
        network = Network([len(spec.features), *spec.hidden_layers, n_out],
                          activation=list(spec.activations), output_activation=output_activation,
                          loss=loss, l1=hyper.l1, l2=hyper.l2, seed=spec.seed,
                          init=None if spec.init == DEFAULT_INITIALIZER else spec.init,
                          precision=hyper.precision)
        trainer = Trainer(network, optimizer=hyper.optimizer, learning_rate=hyper.learning_rate,
                          batch_size=hyper.batch_size, seed=hyper.shuffle_seed)
        return {"spec": spec, "hyper": hyper, "network": network, "trainer": trainer,
                "F_train": F_train, "F_test": F_test}

    @staticmethod
    def _output_layer(dataset, data_spec: DataSpec) -> tuple[int, str, str]:
        classes = dataset.n_classes if dataset.kind == CLASSIFICATION else data_spec.classes
        return output_layer_for(dataset.kind, classes)

    @staticmethod
    def _feature_matrices(parts: dict, spec: NetworkSpec) -> tuple[np.ndarray, np.ndarray]:
        return (datalib.feature_matrix(parts["X_train_raw"], spec.features),
                datalib.feature_matrix(parts["X_test_raw"], spec.features))

    def _data_parts(self) -> dict:
        return {"dataset": self.dataset, "X_train_raw": self.X_train_raw,
                "X_test_raw": self.X_test_raw}

    def _install_model(self, model: dict) -> None:
        self.network = model["network"]
        self.trainer = model["trainer"]
        self._install_features(model["F_train"], model["F_test"])
        self.config = replace(self.config, network=model["spec"], hyper=model["hyper"])
        self.history.clear()
        self.layer_log.clear()
        self.last_batch = None
        self.structure_version += 1
        self._grid_cache.clear()

    def _install_features(self, F_train: np.ndarray, F_test: np.ndarray) -> None:
        self.F_train = F_train
        self.F_test = F_test
        self._F_all = np.concatenate([F_train, F_test])

    def _install_data_keeping_model(self, dataset, spec: DataSpec, parts: dict) -> None:
        """New points or a new split for the network as it is: weights, optimizer state, epoch
        count and history carry on; an epoch under way restarts if the training set's size
        changed (the trainer notices)."""
        F_train, F_test = self._feature_matrices(parts, self.config.network)
        self._install_data(dataset, spec, parts)
        self._install_features(F_train, F_test)
        self.last_batch = None       # its rows index the old training set

    # ----------------------------------------------------------------- training
    @property
    def epoch(self) -> int:
        return self.trainer.epoch

    @property
    def batch_in_epoch(self) -> int:
        """Mini-batches done in the current epoch."""
        return self.trainer.batch_in_epoch

    @property
    def batches_per_epoch(self) -> int:
        return -(-len(self.F_train) // self.trainer.batch_size)

    @property
    def is_classification(self) -> bool:
        return self.dataset.kind == CLASSIFICATION

    def step_batch(self):
        """Train one mini-batch; record the epoch's numbers when it completes an epoch.

        Returns the engine's BatchResult (also kept as ``last_batch`` for the inspector). Raises
        the engine's NonFiniteError (weights untouched) when the loss or a gradient is not finite.
        """
        self.check_trainable()
        result = self.trainer.train_batch(self.F_train, self.Y_train)
        self.last_batch = result
        if result.epoch_finished:
            self._record_epoch()
        return result

    def step_epoch(self, stop=None) -> float | None:
        """Train the rest of the current epoch (a whole one if none is under way) on the engine's
        fast path; returns the epoch's mean mini-batch loss. ``last_batch`` becomes None.

        ``stop`` (see Trainer.train_epoch) may end the call early at a mini-batch boundary:
        it then returns None and the epoch stays under way."""
        self.check_trainable()
        self.last_batch = None
        mean_loss = self.trainer.train_epoch(self.F_train, self.Y_train, stop)
        if mean_loss is not None:
            self._record_epoch()
        return mean_loss

    def last_gradients(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """Copies of (dW, db) per layer of the last mini-batch (zeros before the first)."""
        return self.trainer.last_gradients()

    def check_trainable(self) -> None:
        """ValueError saying so when there are no training points."""
        if len(self.F_train) == 0:
            raise ValueError("there are no training points: add some points or generate data")

    def _record_epoch(self) -> None:
        self.history.append(self.trainer.epoch, self.evaluate(), self.trainer.learning_rate,
                            self.trainer.batch_size)

    def evaluate(self) -> Evaluation:
        # this runs after every epoch: replayed recorded calls where the network computes in
        # float64 (~4x cheaper), one forward pass over train and test points in float32, whose
        # display losses data_loss sums in float64
        if self.network.dtype == np.float64:
            (train_loss, train_accuracy), (test_loss, test_accuracy) = (
                evaluator.evaluate() for evaluator in self._evaluators())
            return Evaluation(train_loss, test_loss, train_accuracy, test_accuracy)
        n_train = len(self.F_train)
        if n_train + len(self.F_test) == 0:
            return Evaluation(*(float("nan"),) * 4)
        with np.errstate(all="ignore"):     # a diverging network may overflow: report inf
            output, logits = self.network.predict_with_logits(self._F_all)
        train_loss, train_accuracy = self._loss_and_accuracy(
            output[:n_train], logits[:n_train], self.Y_train, self.y_train)
        test_loss, test_accuracy = self._loss_and_accuracy(
            output[n_train:], logits[n_train:], self.Y_test, self.y_test)
        return Evaluation(train_loss, test_loss, train_accuracy, test_accuracy)

    def _evaluators(self) -> tuple[Evaluator, Evaluator]:
        """Recorded evaluations of the training and the test points, for the network and the
        points as they are (made anew when either is replaced)."""
        key = (self.network, self.F_train, self.Y_train, self.F_test, self.Y_test)
        if self._evaluation is None or any(a is not b for a, b in zip(self._evaluation[0], key)):
            classes = self.is_classification
            self._evaluation = key, (
                Evaluator(self.network, self.F_train, self.Y_train,
                          self.y_train if classes else None),
                Evaluator(self.network, self.F_test, self.Y_test,
                          self.y_test if classes else None))
        return self._evaluation[1]

    def _loss_and_accuracy(self, output, logits, Y, y) -> tuple[float, float]:
        if len(output) == 0:
            return float("nan"), float("nan")
        with np.errstate(all="ignore"):
            # from the logits, so the history shows the training loss exactly (from the outputs
            # alone a confidently wrong point would be capped at -log(2^-53) = 36.7)
            loss = float(self.network.data_loss(output, Y, logits))
        if not self.is_classification:
            return loss, float("nan")
        return loss, float(np.mean(datalib.predicted_classes(output) == y))

    # ----------------------------------------------------------------- live settings
    def apply_hyperparameters(self, hyper: Hyperparameters) -> None:
        """Apply settings between mini-batches without touching the weights; all or nothing.

        A new optimizer restarts its state; a new shuffle seed takes effect for the next epoch.
        A new precision carries the weights, the optimizer's state and the epoch under way over
        to a network computing in it (rounded to float32, or widened exactly).
        """
        if hyper.regularization not in REGULARIZATIONS:
            raise ValueError(f"regularization must be one of {REGULARIZATIONS}, "
                             f"not {hyper.regularization!r}")
        rate = float(hyper.regularization_rate)
        if not (np.isfinite(rate) and rate >= 0.0):
            raise ValueError(f"the regularization rate must be a number >= 0, not {rate!r}")
        precision_dtype(hyper.precision)            # ValueError for an unknown one
        old, trainer, network = self.config.hyper, self.trainer, self.network
        previous = (trainer.learning_rate, trainer.batch_size, network.l1, network.l2)
        try:
            # the engine validates each value as it is set
            trainer.learning_rate = hyper.learning_rate
            trainer.batch_size = hyper.batch_size
            network.l1 = hyper.l1
            network.l2 = hyper.l2
            if hyper.optimizer != old.optimizer:
                trainer.set_optimizer(hyper.optimizer)
        except Exception:
            trainer.learning_rate, trainer.batch_size, network.l1, network.l2 = previous
            raise
        if hyper.shuffle_seed != old.shuffle_seed:
            trainer.reseed(hyper.shuffle_seed)
        if hyper.precision != network.precision:
            self._change_precision(hyper.precision)
        self.config = replace(self.config, hyper=hyper)

    def _change_precision(self, precision: str) -> None:
        """The same training, continued in ``precision``: a network holding the weights and a
        trainer holding the optimizer's state, the shuffling and the epoch under way."""
        self.trainer = self.trainer.in_precision(precision)
        self.network = self.trainer.net
        self.last_batch = None

    # ----------------------------------------------------------------- rebuilds
    def set_network(self, spec: NetworkSpec, layers=None) -> None:
        """A new network structure: fresh weights from ``spec.seed``, or ``layers`` ((W, b) per
        layer, as an undone edit left them); the history restarts. All or nothing: weights of
        other shapes raise ValueError and change nothing."""
        model = self._build_model(spec, self.config.hyper)
        if layers is not None:
            network = model["network"]
            if len(layers) != network.n_layers:
                raise ValueError(f"{len(layers)} layers of weights for a network of "
                                 f"{network.n_layers}")
            for layer, (weights, biases) in enumerate(layers):
                network.weights[layer] = weights     # shapes checked by the engine
                network.biases[layer] = biases
        self._install_model(model)

    def set_data_spec(self, spec: DataSpec) -> None:
        """Regenerate and re-split the data; the network is rebuilt (its output may change).

        A new training share alone splits the points there are again instead: the generator
        would make the same points, and painted or imported ones must not be lost to it (the
        same settings again, a click on the selected dataset, do make its points afresh). A new
        sample of the same data (only the seed differs: Regenerate) keeps the network, its
        training and history, as the classic playground's Regenerate does, while the network
        still fits the data."""
        current = self.config.data
        if spec.train_ratio != current.train_ratio and replace(
                spec, train_ratio=current.train_ratio) == current:
            self._replace_data(self.dataset, spec)
            return
        dataset = self._generate(spec)
        regenerated = spec.seed != current.seed and replace(spec, seed=current.seed) == current
        if regenerated and self._fits(dataset, spec):
            self._install_data_keeping_model(dataset, spec, self._split_parts(dataset, spec))
        else:
            self._replace_data(dataset, spec)
        self.data_generated = True

    def set_dataset(self, dataset, split=None) -> None:
        """Train on a hand-made dataset, split with the current ratio and seed, or by ``split``
        (train indices, test indices; an imported file's), whose share of training points then
        becomes the ratio (to the nearest of the data panel's steps).

        Painting points must not throw the training away: while the network fits the new data
        (same kind of problem, same output layer) its weights, the optimizer state, the epoch
        count and the history carry on. Otherwise (another number of classes, regression
        instead of classification) the network is rebuilt from its seed.
        """
        spec = self._spec_matching(dataset, self.config.data)
        self.data_generated = False
        if split is not None:
            split = checked_split(*split, dataset.n)
            spec = replace(spec, train_ratio=nearest_ratio(len(split[0]), dataset.n,
                                                           spec.train_ratio))
        if not self._fits(dataset, spec):
            self._replace_data(dataset, spec, split)
            return
        self._install_data_keeping_model(dataset, spec, self._split_parts(dataset, spec, split))

    def _fits(self, dataset, spec: DataSpec) -> bool:
        """Whether the network as it is fits ``dataset``: the same kind of problem and the same
        output layer."""
        network = self.network
        return (dataset.kind == self.dataset.kind and self._output_layer(dataset, spec)
                == (network.layer_sizes[-1], network.output_activation, network.loss_name))

    def set_split(self, train_indices, test_indices) -> None:
        """Train and test on the given points instead of the ratio and seed's split (a saved
        split, say): sorted indices into the dataset that together hold every point once.

        ValueError saying what is wrong, with nothing changed, for any other indices. The
        network and the training carry on as after :meth:`set_dataset`.
        """
        split = checked_split(train_indices, test_indices, self.dataset.n)
        parts = self._split_parts(self.dataset, self.config.data, split)
        self._install_data_keeping_model(self.dataset, self.config.data, parts)

    def _replace_data(self, dataset, spec: DataSpec, split=None) -> None:
        spec = self._spec_matching(dataset, spec)
        # build everything that can fail before changing anything
        parts = self._split_parts(dataset, spec, split)
        model = self._build_model(self.config.network, self.config.hyper, parts, spec)
        self._install_data(dataset, spec, parts)
        self._install_model(model)

    def reset(self, seed: int | None = None) -> None:
        """Re-initialise the weights (from the network seed, or a new one) and restart training."""
        spec = self.config.network if seed is None else replace(self.config.network, seed=seed)
        self.network.reinitialize(spec.seed)
        # epoch 0, shuffling from the shuffle seed, fresh optimizer state; settings are kept
        self.trainer.reset(self.config.hyper.shuffle_seed)
        self.config = replace(self.config, network=spec)
        self.history.clear()
        self.layer_log.clear()
        self.last_batch = None

    def set_parameter(self, kind: str, layer: int, index, value: float) -> None:
        """Set one weight (index (i, j)) or bias (index j) by hand."""
        self.network.set_parameter(kind, layer, index, value)

    # ----------------------------------------------------------------- maps for the views
    def grid_extent(self) -> tuple[float, float, float, float]:
        """The plane the maps cover, (xmin, xmax, ymin, ymax): the generators' fixed ±6 (the
        classic playground's), widened on each side where points lie beyond it, so that every
        point is shown (an imported file's, say)."""
        return fitted_extent(self.dataset.X, datalib.DATA_EXTENT)

    def grid_maps(self, resolution: int = 100):
        """The network over a fixed plane covering the data.

        Returns (extent, output, neuron_maps): extent = (xmin, xmax, ymin, ymax); output is
        float32 (res, res, n_out) with row = y and column = x; neuron_maps holds one float32
        (res, res, units) array per hidden layer and the output layer. All are fresh arrays,
        computed in single precision.
        """
        extent, F = self._grid_features(resolution)
        # weights can grow huge before a divergence is caught
        with np.errstate(over="ignore", invalid="ignore"):
            outputs = self.network.layer_outputs(F, np.float32)
            if not np.isfinite(outputs[-1]).all():
                outputs = self._finite_outputs(F)
        maps = tuple(a.reshape(resolution, resolution, -1) for a in outputs)
        return extent, maps[-1], maps

    def _finite_outputs(self, F: np.ndarray) -> list[np.ndarray]:
        """The maps of a diverging network, whose single-precision pass overflowed: again in
        double precision, which usually stays finite, and whatever is still undefined drawn as
        "no information" (probability 1/k, value 0), so no view is ever handed NaN or inf."""
        largest = np.finfo(np.float32).max
        outputs = [np.clip(a, -largest, largest).astype(np.float32)
                   for a in self.network.layer_outputs(F)]
        probabilities = self.network.output_activation in ("sigmoid", "softmax")
        for index, values in enumerate(outputs):
            output = index == len(outputs) - 1
            undefined = 1.0 / max(2, values.shape[1]) if probabilities and output else 0.0
            np.nan_to_num(values, copy=False, nan=undefined)
        return outputs

    def _grid_features(self, resolution: int):
        extent = self.grid_extent()
        key = (resolution, extent, self.config.network.features)
        if key not in self._grid_cache:
            xmin, xmax, ymin, ymax = extent
            xs = np.linspace(xmin, xmax, resolution)
            ys = np.linspace(ymin, ymax, resolution)
            gx, gy = np.meshgrid(xs, ys)           # row = y, column = x
            points = np.column_stack([gx.ravel(), gy.ravel()])
            self._grid_cache = {key: datalib.feature_matrix(points, self.config.network.features)}
        return extent, self._grid_cache[key]
