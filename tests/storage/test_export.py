"""Exports: model files, CSVs, and the standalone NumPy / PyTorch code (run in subprocesses)."""
import csv
import importlib.util
import json
import subprocess
import sys
import textwrap
from dataclasses import replace

import numpy as np
import pytest

from playground.config import DataSpec, Hyperparameters, NetworkSpec, PlaygroundConfig
from playground.data import FEATURES, feature_matrix, read_csv_points
from playground.engine import ACTIVATIONS, LOSSES, OPTIMIZERS, OUTPUT_ACTIVATIONS
from playground.session import Playground
from playground.storage import capture, codegen, export

ALL_FEATURES = tuple(FEATURES)

# together these cover every hidden activation, output activation, loss, optimizer and feature
CASES = {
    "relu-family": (DataSpec(generator="spiral", n_samples=60, noise=0.1, seed=1),
                    NetworkSpec((5, 4, 3), ("relu", "leaky_relu", "elu"), ALL_FEATURES, 1),
                    Hyperparameters(learning_rate=0.003, optimizer="sgd", regularization="l2",
                                    regularization_rate=0.01)),
    "softmax": (DataSpec(generator="blobs", classes=3, n_samples=60, noise=0.2, seed=2),
                NetworkSpec((4, 4, 4), ("tanh", "softplus", "swish"), ("x1", "x2", "x1_x2"), 2),
                Hyperparameters(learning_rate=0.01, optimizer="momentum", regularization="l1",
                                regularization_rate=0.001)),
    "regression": (DataSpec(generator="bumps", n_samples=60, noise=0.05, seed=3),
                   NetworkSpec((5, 5), ("sine", "sigmoid"), ("x1", "x2", "sin_x1", "cos_x2"), 3),
                   Hyperparameters(learning_rate=0.01, optimizer="adam")),
    "no-hidden": (DataSpec(generator="circle", n_samples=60, seed=4),
                  NetworkSpec((), (), ("x1_sq", "x2_sq"), 4),
                  Hyperparameters(learning_rate=0.01, optimizer="nesterov")),
    "linear-hidden": (DataSpec(generator="gauss", n_samples=60, seed=5),
                      NetworkSpec((3,), ("linear",), ("x1", "x2"), 5),
                      Hyperparameters(learning_rate=0.01, optimizer="rmsprop", batch_size=7)),
}


def trained(name: str) -> Playground:
    """Five epochs, the last two after a live learning-rate change, as a user would train."""
    data, network, hyper = CASES[name]
    pg = Playground(PlaygroundConfig(data=data, network=network, hyper=hyper))
    for epoch in range(5):
        if epoch == 3:
            pg.apply_hyperparameters(replace(pg.config.hyper,
                                             learning_rate=2.5 * hyper.learning_rate))
        pg.step_epoch()
    return pg


@pytest.fixture
def playgrounds():
    return {name: trained(name) for name in CASES}


def test_code_tables_cover_every_registry_entry():
    names = set(ACTIVATIONS) | set(OUTPUT_ACTIVATIONS)
    assert set(codegen.NUMPY_ACTIVATIONS) == names
    assert set(codegen.TORCH_ACTIVATIONS) == names
    assert set(codegen.FEATURE_EXPRESSIONS) == set(FEATURES)
    assert set(codegen.TORCH_OPTIMIZERS) == set(OPTIMIZERS)
    assert set(codegen.TORCH_LOSSES) == set(LOSSES)
    covered = set()
    for data, network, hyper in CASES.values():
        covered |= set(network.activations) | set(network.features) | {hyper.optimizer}
    assert covered >= set(ACTIVATIONS) | set(FEATURES) | set(OPTIMIZERS)


def _points(seed=0, n=200):
    return np.random.default_rng(seed).uniform(-6, 6, size=(n, 2))


def test_numpy_predict_file_reproduces_the_network(tmp_path, playgrounds):
    X = _points()
    np.save(tmp_path / "X.npy", X)
    for name, pg in playgrounds.items():
        export.export_numpy_predict(tmp_path / f"predict_{name.replace('-', '_')}.py", capture(pg))
    script = textwrap.dedent(f"""
        import importlib.util, pathlib, sys
        import numpy as np
        X = np.load({str(tmp_path / "X.npy")!r})
        for path in sorted(pathlib.Path({str(tmp_path)!r}).glob("predict_*.py")):
            spec = importlib.util.spec_from_file_location(path.stem, path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            np.save(path.with_suffix(".out.npy"), module.predict(X))
            np.save(path.with_suffix(".features.npy"), module.features(X))
    """)
    subprocess.run([sys.executable, "-c", script], check=True, cwd=tmp_path, timeout=120)
    for name, pg in playgrounds.items():
        stem = tmp_path / f"predict_{name.replace('-', '_')}"
        features = np.load(f"{stem}.features.npy")
        np.testing.assert_array_equal(features, feature_matrix(X, pg.config.network.features))
        expected = pg.network.predict(features)
        got = np.load(f"{stem}.out.npy")
        assert got.shape == expected.shape
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12, err_msg=name)


def test_numpy_predict_file_runs_as_a_script(tmp_path, playgrounds):
    path = tmp_path / "model.py"
    export.export_numpy_predict(path, capture(playgrounds["softmax"]))
    result = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                            timeout=60, check=True)
    assert result.stdout.count("->") == 3
    source = path.read_text()
    assert "import torch" not in source and "playground" not in source.split('"""')[2]


TORCH = importlib.util.find_spec("torch") is not None


def run_exported_pytorch(tmp_path, script: str) -> None:
    """Run ``script`` in a subprocess after loading every exported ``torch_*.py`` of tmp_path
    as ``module`` in a loop over ``path`` (the script is the loop's body)."""
    header = textwrap.dedent(f"""
        import importlib.util, pathlib
        import numpy as np, torch
        torch.set_num_threads(1)
        for path in sorted(pathlib.Path({str(tmp_path)!r}).glob("torch_*.py")):
            spec = importlib.util.spec_from_file_location(path.stem, path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
    """)
    body = textwrap.indent(textwrap.dedent(script), "    ")
    subprocess.run([sys.executable, "-c", header + body], check=True, cwd=tmp_path, timeout=300)


@pytest.mark.skipif(not TORCH, reason="PyTorch is not installed")
def test_pytorch_module_reproduces_the_network_and_continues_its_training(tmp_path, playgrounds):
    X = _points(seed=1, n=100)
    np.save(tmp_path / "X.npy", X)
    for name, pg in playgrounds.items():
        export.export_pytorch(tmp_path / f"torch_{name.replace('-', '_')}.py", capture(pg))
        np.save(tmp_path / f"torch_{name.replace('-', '_')}.Y.npy", pg.Y_train)
        np.save(tmp_path / f"torch_{name.replace('-', '_')}.Xtrain.npy", pg.X_train_raw)
    # In PyTorch: the outputs, the loss on the training set, and the parameters after three
    # full-batch steps from the exported optimizer state, then two more after a learning-rate
    # change, to compare with the engine doing the same.
    run_exported_pytorch(tmp_path, """
        X = torch.tensor(np.load(pathlib.Path(path.parent, "X.npy")))
        model = module.PlaygroundNet()
        with torch.no_grad():
            np.save(path.with_suffix(".out.npy"), model(X).numpy())
        Xt = torch.tensor(np.load(path.with_suffix(".Xtrain.npy")))
        Y = torch.tensor(np.load(path.with_suffix(".Y.npy")))
        with torch.no_grad():
            np.save(path.with_suffix(".loss.npy"), np.array(module.loss_fn(model, Xt, Y).item()))
        optimizer = module.make_optimizer(model)
        losses = [module.train_step(model, optimizer, Xt, Y) for _ in range(3)]
        optimizer.param_groups[0]["lr"] *= 0.4
        losses += [module.train_step(model, optimizer, Xt, Y) for _ in range(2)]
        np.save(path.with_suffix(".losses.npy"), np.array(losses))
        np.savez(path.with_suffix(".steps.npz"), *[p.detach().numpy() for layer in model.layers
                                                   for p in (layer.weight, layer.bias)])
        history = module.train(module.PlaygroundNet(), Xt, Y, epochs=2)
        assert len(history) == 2 and all(np.isfinite(history))
    """)
    for name, pg in playgrounds.items():
        stem = tmp_path / f"torch_{name.replace('-', '_')}"
        expected = pg.network.predict(feature_matrix(X, pg.config.network.features))
        np.testing.assert_allclose(np.load(f"{stem}.out.npy"), expected, rtol=0, atol=1e-13,
                                   err_msg=name)
        loss = pg.network.compute_loss(pg.F_train, pg.Y_train)
        assert float(np.load(f"{stem}.loss.npy")) == pytest.approx(loss, rel=1e-13), name
        # the engine: the playground's own trainer and optimizer state, full-batch steps
        trainer = pg.trainer
        trainer.batch_size = len(pg.F_train)
        losses = [trainer.train_epoch(pg.F_train, pg.Y_train) for _ in range(3)]
        trainer.learning_rate *= 0.4
        losses += [trainer.train_epoch(pg.F_train, pg.Y_train) for _ in range(2)]
        np.testing.assert_allclose(np.load(f"{stem}.losses.npy"), losses, rtol=1e-12,
                                   err_msg=name)
        torch_params = np.load(f"{stem}.steps.npz")
        for layer, (w, b) in enumerate(zip(pg.network.weights, pg.network.biases)):
            np.testing.assert_allclose(torch_params[f"arr_{2 * layer}"], w.T, rtol=0, atol=1e-13,
                                       err_msg=f"{name} layer {layer} weights")
            np.testing.assert_allclose(torch_params[f"arr_{2 * layer + 1}"], b, rtol=0,
                                       atol=1e-13, err_msg=f"{name} layer {layer} biases")


@pytest.mark.skipif(not TORCH, reason="PyTorch is not installed")
def test_pytorch_module_matches_every_activation_far_beyond_twenty(tmp_path):
    # nn.Softplus() returns z itself above 20: 2.4e-10 off the app's exact log(1 + e^z) in
    # predictions and 8.2e-9 in gradients; every activation must agree to 1e-12 out there
    X = _points(seed=2, n=60)
    np.save(tmp_path / "X.npy", X)
    expected = {}
    for name in sorted(ACTIVATIONS):
        pg = Playground(PlaygroundConfig(
            data=DataSpec(generator="xor", n_samples=40, seed=6),
            network=NetworkSpec((4, 3), (name, name), ("x1", "x2"), 7)))
        for weights in pg.network.weights:
            weights *= 8.0                 # hidden pre-activations beyond ±30
        z = pg.network.forward(pg.F_train).z
        assert max(np.abs(layer).max() for layer in z[:-1]) > 30, name
        stem = tmp_path / f"torch_{name}"
        export.export_pytorch(f"{stem}.py", capture(pg))
        np.save(f"{stem}.Xtrain.npy", pg.X_train_raw)
        np.save(f"{stem}.Y.npy", pg.Y_train)
        _, gradients = pg.network.loss_and_gradients(pg.F_train, pg.Y_train)
        expected[name] = (pg.network.predict(feature_matrix(X, ("x1", "x2"))), gradients)
    run_exported_pytorch(tmp_path, """
        model = module.PlaygroundNet()
        X = torch.tensor(np.load(pathlib.Path(path.parent, "X.npy")))
        with torch.no_grad():
            np.save(path.with_suffix(".out.npy"), model(X).numpy())
        Xt = torch.tensor(np.load(path.with_suffix(".Xtrain.npy")))
        module.loss_fn(model, Xt, torch.tensor(np.load(path.with_suffix(".Y.npy")))).backward()
        np.savez(path.with_suffix(".grad.npz"),
                 *[p.grad.numpy() for layer in model.layers for p in (layer.weight, layer.bias)])
    """)
    for name, (output, gradients) in expected.items():
        stem = tmp_path / f"torch_{name}"
        np.testing.assert_allclose(np.load(f"{stem}.out.npy"), output, rtol=0, atol=1e-12,
                                   err_msg=name)
        torch_gradients = np.load(f"{stem}.grad.npz")
        for layer, (dW, db) in enumerate(gradients):
            np.testing.assert_allclose(torch_gradients[f"arr_{2 * layer}"], dW.T, rtol=0,
                                       atol=1e-12, err_msg=f"{name} layer {layer}")
            np.testing.assert_allclose(torch_gradients[f"arr_{2 * layer + 1}"], db, rtol=0,
                                       atol=1e-12, err_msg=f"{name} layer {layer}")


@pytest.mark.skipif(not TORCH, reason="PyTorch is not installed")
def test_pytorch_training_loop_sets_the_same_weights_to_exactly_zero_under_l1(tmp_path):
    pg = Playground(PlaygroundConfig(
        data=DataSpec(generator="circle", n_samples=60, noise=0.1, seed=3),
        network=NetworkSpec((5,), ("tanh",), ("x1", "x2", "x1_sq", "x2_sq", "sin_x1", "cos_x2"),
                            4),
        hyper=Hyperparameters(learning_rate=0.1, optimizer="momentum", regularization="l1",
                              regularization_rate=0.02)))
    for _ in range(20):
        pg.step_epoch()
    export.export_pytorch(tmp_path / "torch_l1.py", capture(pg))
    np.save(tmp_path / "torch_l1.Xtrain.npy", pg.X_train_raw)
    np.save(tmp_path / "torch_l1.Y.npy", pg.Y_train)
    run_exported_pytorch(tmp_path, """
        model = module.PlaygroundNet()
        optimizer = module.make_optimizer(model)
        Xt = torch.tensor(np.load(path.with_suffix(".Xtrain.npy")))
        Y = torch.tensor(np.load(path.with_suffix(".Y.npy")))
        for _ in range(15):
            module.train_step(model, optimizer, Xt, Y)
        np.savez(path.with_suffix(".weights.npz"), *[layer.weight.detach().numpy()
                                                     for layer in model.layers])
    """)
    pg.trainer.batch_size = len(pg.F_train)
    for _ in range(15):
        pg.trainer.train_epoch(pg.F_train, pg.Y_train)
    saved = np.load(tmp_path / "torch_l1.weights.npz")
    zeros = 0
    for layer, w in enumerate(pg.network.weights):
        torch_weights = saved[f"arr_{layer}"]
        np.testing.assert_array_equal(torch_weights == 0.0, w.T == 0.0)
        np.testing.assert_allclose(torch_weights, w.T, rtol=0, atol=1e-13)
        zeros += np.count_nonzero(w == 0.0)
    assert zeros >= 2


@pytest.mark.skipif(not TORCH, reason="PyTorch is not installed")
def test_pytorch_file_trains_from_an_exported_dataset_csv(tmp_path, playgrounds):
    content = capture(playgrounds["softmax"])
    export.export_pytorch(tmp_path / "net.py", content)
    export.export_dataset_csv(tmp_path / "data.csv", content)
    result = subprocess.run([sys.executable, str(tmp_path / "net.py"), str(tmp_path / "data.csv"),
                             "3"], capture_output=True, text=True, timeout=300, check=True)
    assert "loss before" in result.stdout and "3 epochs" in result.stdout


@pytest.mark.skipif(not TORCH, reason="PyTorch is not installed")
def test_pytorch_file_trains_on_the_training_split_of_an_exported_csv_only(tmp_path,
                                                                           playgrounds):
    pg = playgrounds["softmax"]
    content = capture(pg)
    export.export_pytorch(tmp_path / "torch_net.py", content)
    export.export_dataset_csv(tmp_path / "data.csv", content)
    np.save(tmp_path / "train.npy", pg.X_train_raw)
    np.save(tmp_path / "test.npy", pg.X_test_raw)
    run_exported_pytorch(tmp_path, """
        X, Y, X_test, Y_test = module.load_csv(path.parent / "data.csv")
        np.testing.assert_array_equal(X.numpy(), np.load(path.parent / "train.npy"))
        np.testing.assert_array_equal(X_test.numpy(), np.load(path.parent / "test.npy"))
        assert Y.shape == (len(X), 3) and Y_test.shape == (len(X_test), 3)
    """)
    result = subprocess.run([sys.executable, str(tmp_path / "torch_net.py"),
                             str(tmp_path / "data.csv"), "2"],
                            capture_output=True, text=True, timeout=300, check=True)
    assert (f"training on {len(pg.X_train_raw)} points, {len(pg.X_test_raw)} test points "
            "held out") in result.stdout
    assert "test loss" in result.stdout


@pytest.mark.parametrize("name", ["softmax", "regression"])
def test_pytorch_file_reads_the_split_of_an_exported_csv(tmp_path, playgrounds, name,
                                                         generated_function):
    pg = playgrounds[name]
    content = capture(pg)
    export.export_dataset_csv(tmp_path / "data.csv", content)
    source = codegen.pytorch_module(export.model_of(content))
    read_points = generated_function(source, "read_points", np=np, csv=csv)
    X, labels, in_training = read_points(tmp_path / "data.csv")
    np.testing.assert_array_equal(X[in_training], pg.X_train_raw)
    np.testing.assert_array_equal(labels[in_training], pg.y_train)
    np.testing.assert_array_equal(X[~in_training], pg.X_test_raw)
    (tmp_path / "no_split.csv").write_text("Value,x2,x1\n0.5,2,1\n-1,4,3\n")
    X, labels, in_training = read_points(tmp_path / "no_split.csv")
    assert X.tolist() == [[1, 2], [3, 4]] and labels.tolist() == [0.5, -1]
    assert in_training.all()


def test_model_npz_loads_without_pickle(tmp_path, playgrounds):
    pg = playgrounds["softmax"]
    export.export_model_npz(tmp_path / "m.npz", capture(pg))
    with np.load(tmp_path / "m.npz", allow_pickle=False) as saved:
        assert tuple(saved["layer_sizes"]) == pg.network.layer_sizes
        assert tuple(saved["features"]) == pg.config.network.features
        assert tuple(saved["activations"]) == pg.network.activations
        assert str(saved["output_activation"]) == "softmax"
        for layer, (w, b) in enumerate(zip(pg.network.weights, pg.network.biases)):
            np.testing.assert_array_equal(saved[f"W{layer}"], w)
            np.testing.assert_array_equal(saved[f"b{layer}"], b)


def test_model_json_is_exact(tmp_path, playgrounds):
    pg = playgrounds["regression"]
    export.export_model_json(tmp_path / "m.json", capture(pg))
    saved = json.loads((tmp_path / "m.json").read_text())
    assert saved["format"] == "backprop-playground-model" and saved["version"] == 1
    assert saved["layer_sizes"] == list(pg.network.layer_sizes)
    for layer, (w, b) in zip(saved["layers"], zip(pg.network.weights, pg.network.biases)):
        assert np.array(layer["weights"]).tobytes() == np.ascontiguousarray(w).tobytes()
        assert np.array(layer["biases"]).tobytes() == np.ascontiguousarray(b).tobytes()


def test_history_csv(tmp_path, playgrounds):
    pg = playgrounds["regression"]
    export.export_history_csv(tmp_path / "h.csv", capture(pg))
    with open(tmp_path / "h.csv", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == list(export.HISTORY_HEADER)
    assert len(rows) == 1 + len(pg.history)
    columns = pg.history.columns()
    for i, row in enumerate(rows[1:]):
        assert int(row[0]) == columns["epochs"][i]
        assert float(row[1]) == columns["train_loss"][i]
        assert row[3] == row[4] == ""            # regression: no accuracy
        assert int(row[6]) == columns["batch_size"][i]


def test_dataset_csv_round_trips_through_the_data_reader_with_its_split(tmp_path,
                                                                         playgrounds):
    for name in ("softmax", "regression"):
        pg = playgrounds[name]
        export.export_dataset_csv(tmp_path / f"{name}.csv", capture(pg))
        read = read_csv_points(tmp_path / f"{name}.csv")
        assert read.dataset == pg.dataset
        np.testing.assert_array_equal(read.split[0], pg.train_indices)
        np.testing.assert_array_equal(read.split[1], pg.test_indices)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["regression.csv", "softmax.csv"]


def test_every_exporter_is_listed(tmp_path, playgrounds):
    content = capture(playgrounds["no-hidden"])
    for key, (function, dialog_filter, suffix) in export.EXPORTERS.items():
        function(tmp_path / f"out{suffix}", content)
        assert (tmp_path / f"out{suffix}").stat().st_size > 0, key
        assert suffix[1:] in dialog_filter
