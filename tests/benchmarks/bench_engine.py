"""Engine speed in epochs per second, against PyTorch and scikit-learn on the same work.

    python tests/benchmarks/bench_engine.py [--repeats 3] [--min-time 1.0] [--workloads W1 W2]

Workloads:
  W1 playground: spiral, 500 points, 2-8-8-1 tanh, sigmoid + bce, batch 10, SGD lr 0.03
  W2 medium:     5,000 points, 2-32-32-32-1 relu, batch 32, Adam
  W3 large:      50,000 points, 7 features-128-128-1 tanh, batch 256, SGD

Every library trains the same architecture with shuffled mini-batches for whole epochs; PyTorch
runs eagerly in float32 on one thread, scikit-learn uses MLPClassifier.partial_fit (one epoch
per call).  The playground runs twice: in its default float64 and in its opt-in float32, each
compared with the same PyTorch and scikit-learn runs (targets per precision).  BLAS is limited
to one thread for everyone (--blas-threads to change it), so the figures compare per-core work.
Each figure is the best of --repeats timed runs, interleaved across libraries so that load from
other processes hits them alike.  A library that is not installed is skipped.  These are
figures to read, not a pass/fail test.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from functools import partial


def _limit_blas_threads(argv) -> None:
    # must happen before NumPy loads OpenBLAS
    threads = "1"
    if "--blas-threads" in argv:
        threads = argv[argv.index("--blas-threads") + 1]
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, threads)


_limit_blas_threads(sys.argv)

import numpy as np  # noqa: E402

from playground.data import feature_matrix, make_dataset, targets  # noqa: E402
from playground.engine import Network, Trainer  # noqa: E402

WORKLOADS = {
    "W1": dict(title="W1 playground", dataset="spiral", n=500, features=("x1", "x2"),
               hidden=(8, 8), activation="tanh", batch=10, optimizer="sgd", lr=0.03,
               targets=(8.0, 8.0), targets_float32=(None, None)),
    "W2": dict(title="W2 medium", dataset="spiral", n=5000, features=("x1", "x2"),
               hidden=(32, 32, 32), activation="relu", batch=32, optimizer="adam", lr=0.001,
               targets=(2.0, 2.0), targets_float32=(4.0, 4.0)),
    "W3": dict(title="W3 large", dataset="spiral", n=50000,
               features=("x1", "x2", "x1_sq", "x2_sq", "x1_x2", "sin_x1", "sin_x2"),
               hidden=(128, 128), activation="tanh", batch=256, optimizer="sgd", lr=0.03,
               targets=(1.0, 1.0), targets_float32=(2.0, None)),
}


def _data(spec):
    ds = make_dataset(spec["dataset"], n=spec["n"], noise=0.1, seed=0)
    return feature_matrix(ds.X, spec["features"]), targets(ds), ds.y


# --- one "runner" per library: setup once, then a function training one epoch ----------------

def playground_runner(spec, X, Y, y, precision="float64"):
    net = Network([X.shape[1], *spec["hidden"], 1], activation=spec["activation"],
                  output_activation="sigmoid", loss="bce", seed=0, precision=precision)
    trainer = Trainer(net, optimizer=spec["optimizer"], learning_rate=spec["lr"],
                      batch_size=spec["batch"], seed=0)
    return lambda: trainer.train_epoch(X, Y)


def torch_runner(spec, X, Y, y):
    import torch

    torch.set_num_threads(1)
    torch.manual_seed(0)
    sizes = [X.shape[1], *spec["hidden"], 1]
    layers = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        layers += [torch.nn.Linear(fan_in, fan_out),
                   torch.nn.Tanh() if spec["activation"] == "tanh" else torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers[:-1])        # logits out; the loss applies the sigmoid
    loss_fn = torch.nn.BCEWithLogitsLoss()
    if spec["optimizer"] == "sgd":
        optimizer = torch.optim.SGD(model.parameters(), lr=spec["lr"])
    else:
        optimizer = torch.optim.Adam(model.parameters(), lr=spec["lr"])
    Xt = torch.tensor(X, dtype=torch.float32)
    Yt = torch.tensor(Y, dtype=torch.float32)
    n, batch = len(X), spec["batch"]

    def epoch():
        order = torch.randperm(n)
        for start in range(0, n, batch):
            rows = order[start:start + batch]
            optimizer.zero_grad()
            loss = loss_fn(model(Xt[rows]), Yt[rows])
            loss.backward()
            optimizer.step()

    return epoch


def sklearn_runner(spec, X, Y, y):
    import warnings

    from sklearn.neural_network import MLPClassifier

    model = MLPClassifier(hidden_layer_sizes=spec["hidden"], activation=spec["activation"],
                          solver=spec["optimizer"], learning_rate_init=spec["lr"],
                          batch_size=spec["batch"], alpha=0.0, momentum=0.0,
                          nesterovs_momentum=False, shuffle=True, random_state=0)
    classes = np.unique(y)

    def epoch():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.partial_fit(X, y, classes=classes)

    return epoch


RUNNERS = {"playground": playground_runner,
           "playground-float32": partial(playground_runner, precision="float32"),
           "torch": torch_runner, "sklearn": sklearn_runner}
IMPORTS = {"playground": None, "playground-float32": None, "torch": "torch", "sklearn": "sklearn"}
PRECISIONS = {"float64": ("playground", "targets"),
              "float32": ("playground-float32", "targets_float32")}


def _available(name) -> bool:
    module = IMPORTS[name]
    if module is None:
        return True
    try:
        __import__(module)
        return True
    except ImportError:
        return False


def _epochs_per_second(epoch, min_time) -> float:
    epoch()                                       # warm-up: allocation, first-call costs
    count, start = 0, time.perf_counter()
    while True:
        epoch()
        count += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_time and count >= 2:
            return count / elapsed


def run(workloads, repeats, min_time) -> dict:
    libraries = [name for name in RUNNERS if _available(name)]
    missing = [name for name in RUNNERS if name not in libraries]
    if missing:
        print(f"skipping (not installed): {', '.join(missing)}")
    results = {}
    for key in workloads:
        spec = WORKLOADS[key]
        X, Y, y = _data(spec)
        epochs = {name: RUNNERS[name](spec, X, Y, y) for name in libraries}
        best = {name: 0.0 for name in libraries}
        for _ in range(repeats):
            for name in libraries:
                best[name] = max(best[name], _epochs_per_second(epochs[name], min_time))
        results[key] = best
        _print_row(spec, best)
    return results


def _print_row(spec, best) -> None:
    for precision, (library, targets) in PRECISIONS.items():
        ours = best[library]
        parts = [f"{spec['title']:<14} {precision} {ours:9.1f} ep/s"]
        for name, target in zip(("torch", "sklearn"), spec[targets]):
            if name in best:
                ratio = ours / best[name]
                if target is None:
                    goal = "no target"
                else:
                    goal = f"target x{target:g}, {'ok' if ratio >= target else 'below target'}"
                parts.append(f"{name} {best[name]:8.1f} ep/s  x{ratio:5.2f} ({goal})")
        print(" | ".join(parts), flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workloads", nargs="+", choices=sorted(WORKLOADS), default=sorted(WORKLOADS))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--min-time", type=float, default=1.0, help="seconds per timed run")
    parser.add_argument("--blas-threads", default="1", help="BLAS threads for NumPy (default 1)")
    args = parser.parse_args(argv)
    print(f"NumPy {np.__version__}, BLAS threads {os.environ.get('OPENBLAS_NUM_THREADS')}, "
          f"{os.cpu_count()} CPUs; best of {args.repeats} runs of >= {args.min_time} s")
    run(args.workloads, args.repeats, args.min_time)
    return 0


if __name__ == "__main__":
    sys.exit(main())
