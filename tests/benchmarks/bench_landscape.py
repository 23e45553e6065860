"""What the Slope panel's profile and a loss-landscape slice cost the training thread.

    python tests/benchmarks/bench_landscape.py [--rounds 5] [--resolution 31]

Problems: the default playground (circle, 250 training points, 2-4-2-1 tanh) and an 8 x 32 tanh
network on 500 training points.  For each: one epoch of bare training (Playground.step_epoch),
one row and one whole grid of a resolution x resolution slice (random and principal
directions), and the slope profile on the next mini-batch and on the training set.  Rounds are
interleaved; figures are medians, with each cost also in epochs of training, which is how the
caller budgets (at most 15 % of training throughput while the panel is shown: a cost of E
epochs can be paid once every E / 0.15 epochs).  BLAS runs on one thread.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

from playground.config import DataSpec, NetworkSpec, PlaygroundConfig  # noqa: E402
from playground.engine.landscape import Trajectory  # noqa: E402
from playground.loss_views import landscape_slice, slope_profile  # noqa: E402
from playground.session import Playground  # noqa: E402

PROBLEMS = {
    "default 2-4-2-1, 250 points": PlaygroundConfig(),
    "8 x 32 tanh, 500 points": PlaygroundConfig(
        data=DataSpec(n_samples=1000), network=NetworkSpec(hidden_layers=(32,) * 8,
                                                           activations=("tanh",) * 8)),
}


def _seconds(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _measure(playground, trajectory, resolution) -> dict[str, float]:
    figures = {"epoch": _seconds(playground.step_epoch)}
    trajectory.record(playground.network.parameters)
    for directions in ("random", "pca"):
        plane = landscape_slice(playground, trajectory, directions, resolution)
        figures[f"{directions} row"] = _seconds(lambda: plane.compute_rows(1))
        figures[f"{directions} grid"] = figures[f"{directions} row"] + _seconds(
            lambda: plane.compute_rows(resolution))
    for data in ("batch", "train"):
        figures[f"slope {data}"] = _seconds(lambda: slope_profile(playground, data))
    return figures


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--resolution", type=int, default=31)
    args = parser.parse_args(argv)
    setups = {}
    for name, config in PROBLEMS.items():
        playground, trajectory = Playground(config), Trajectory()
        for _ in range(10):
            playground.step_epoch()
            trajectory.record(playground.network.parameters)
        setups[name] = playground, trajectory
    results = {name: [] for name in PROBLEMS}
    for _ in range(args.rounds):
        for name, (playground, trajectory) in setups.items():
            results[name].append(_measure(playground, trajectory, args.resolution))
    print(f"{args.resolution} x {args.resolution} grid; medians of {args.rounds} interleaved "
          "rounds")
    for name, rounds in results.items():
        medians = {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}
        epoch = medians.pop("epoch")
        print(f"{name}: one epoch of training {epoch * 1e3:.2f} ms")
        for key, value in medians.items():
            print(f"  {key:<12} {value * 1e3:9.2f} ms = {value / epoch:7.1f} epochs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
