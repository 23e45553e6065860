"""Benchmark: what the Slope and Landscape panels cost training, shown and hidden.

Run by hand (prints figures, asserts nothing about time):

    QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_loss_views.py [--seconds 3] [--rounds 3]

Each run is a fresh TrainingController training as fast as possible for ``--seconds``, its
snapshots collected (not drawn: this measures the training thread). The runs of a round, in
turn (interleaved, so a shared machine's changing load hits them alike; medians over rounds):

- bare: the worker with the loss views' hooks replaced by ones that do nothing;
- hidden: the real hooks, both panels hidden (what every user pays: the path's copies);
- slope (batch), slope (train): the Slope panel shown, on the next mini-batch or the whole set;
- landscape: the Landscape panel shown (principal directions, 31 × 31);
- both: the Slope (batch) and the Landscape panels shown.

Problems: the default playground (circle, 250 training points, 2-4-2-1 tanh) and an 8 × 32 tanh
network on 500 training points, where one row of a slice costs several epochs. Reported per
run: epochs per second of wall time and per second of the training thread's CPU (steadier on
a shared machine), each also as a share of bare; the training thread's time spent on the
views (the budget's own account); landscape rows computed per second (a 31 × 31 slice is 31);
how busy the training thread was (its CPU time per wall second). With ``--speed 30`` the
playground trains at its default 30 epochs per second instead, where throughput cannot suffer
and the last figure is the cost. Target: shown ≥ 85 % of bare (the
views take at most 15 %), hidden within noise of bare.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import replace

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

from playground.config import DataSpec, Hyperparameters, NetworkSpec, PlaygroundConfig  # noqa: E402

PROBLEMS = {
    "default 2-4-2-1, 250 points": PlaygroundConfig(),
    "8 x 32 tanh, 500 points": PlaygroundConfig(
        data=DataSpec(n_samples=1000),
        network=NetworkSpec(hidden_layers=(32,) * 8, activations=("tanh",) * 8)),
}
# run name -> (slope data or None, landscape directions or None)
RUNS = {"bare": (None, None), "hidden": (None, None), "slope (batch)": ("batch", None),
        "slope (train)": ("train", None), "landscape": (None, "pca"), "both": ("batch", "pca")}


class NoLossViews:
    """The worker's loss-view hooks doing nothing: the worker as it was without the panels."""

    watching = False

    def changed(self):
        return False

    def after_training(self, playground):
        pass

    def idle_work(self, playground, seconds):
        return False

    def attach(self, snapshot, playground, playing):
        return snapshot


def wait(app, condition, seconds: float) -> None:
    deadline = time.perf_counter() + seconds
    while not condition() and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.001)


def measure(app, config: PlaygroundConfig, run: str, seconds: float) -> dict:
    from playground.qt.worker import TrainingController

    controller = TrainingController(config)
    worker = controller._worker       # a measuring instrument may look inside
    if run == "bare":
        worker.loss_views = NoLossViews()
    snapshots = []
    controller.sigSnapshot.connect(lambda snapshot: snapshots.append(
        (time.perf_counter(), snapshot)))
    slope, directions = RUNS[run]
    if run != "bare":
        controller.watch_slope(slope)
        controller.watch_landscape(directions, 31)
    wait(app, lambda: bool(snapshots), 10.0)
    views = worker.loss_views
    spent_before = views.budget.spent if run != "bare" else 0.0
    rows_before = views.rows_computed if run != "bare" else 0
    # the training thread's own CPU time, read inside it: epochs per CPU second do not depend
    # on how much of a shared machine the thread got
    marks = []
    controller.run_in_worker(lambda pg: (time.thread_time(), time.perf_counter(), pg.epoch),
                             marks.append)
    controller.play()
    wait(app, lambda: False, seconds)
    controller.pause()
    controller.run_in_worker(lambda pg: (time.thread_time(), time.perf_counter(), pg.epoch),
                             marks.append)
    wait(app, lambda: snapshots[-1][1].state == "paused" and len(marks) == 2, 10.0)
    spent = views.budget.spent - spent_before if run != "bare" else 0.0
    rows = views.rows_computed - rows_before if run != "bare" else 0
    controller.shutdown()
    playing = [(t, s) for t, s in snapshots if s.state == "playing"]
    (t0, first), (t1, last) = playing[0], playing[-1]
    (cpu0, wall0, epoch0), (cpu1, wall1, epoch1) = marks
    return {"epochs_per_second": (last.epoch - first.epoch) / (t1 - t0),
            "epochs_per_cpu_second": (epoch1 - epoch0) / (cpu1 - cpu0),
            "thread_busy": (cpu1 - cpu0) / (wall1 - wall0),
            "views_share": spent / (t1 - t0), "rows_per_second": rows / (t1 - t0)}


def main(argv=None) -> int:
    from playground.app import ensure_application

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--problem", choices=range(len(PROBLEMS)), type=int,
                        help="only this problem (0 or 1)")
    parser.add_argument("--speed", type=float, default=None,
                        help="epochs per second (as fast as possible by default)")
    args = parser.parse_args(argv)
    app = ensure_application([])
    print(f"load average before: {os.getloadavg()[0]:.2f}; {args.rounds} rounds of "
          f"{args.seconds:g} s a run")
    for index, (name, config) in enumerate(PROBLEMS.items()):
        if args.problem is not None and index != args.problem:
            continue
        config = replace(config, hyper=Hyperparameters(epochs_per_second=args.speed))
        figures: dict[str, list[dict]] = {run: [] for run in RUNS}
        for _ in range(args.rounds):
            for run in RUNS:
                figures[run].append(measure(app, config, run, args.seconds))
        bare = statistics.median(f["epochs_per_second"] for f in figures["bare"])
        bare_cpu = statistics.median(f["epochs_per_cpu_second"] for f in figures["bare"])
        print(f"\n{name}")
        print(f"  {'run':<15}{'epochs/s':>10}{'of bare':>9}{'per CPU s':>11}{'of bare':>9}"
              f"{'views':>8}{'rows/s':>8}{'busy':>7}   rounds (% of bare: wall, CPU)")
        for run, results in figures.items():
            rate = statistics.median(f["epochs_per_second"] for f in results)
            cpu = statistics.median(f["epochs_per_cpu_second"] for f in results)
            share = statistics.median(f["views_share"] for f in results)
            rows = statistics.median(f["rows_per_second"] for f in results)
            busy = statistics.median(f["thread_busy"] for f in results)
            each = " ".join(f"{100 * f['epochs_per_second'] / bare:.0f}/"
                            f"{100 * f['epochs_per_cpu_second'] / bare_cpu:.0f}" for f in results)
            print(f"  {run:<15}{rate:>10.0f}{100 * rate / bare:>8.0f}%{cpu:>11.0f}"
                  f"{100 * cpu / bare_cpu:>8.0f}%{100 * share:>7.1f}%{rows:>8.0f}"
                  f"{100 * busy:>6.0f}%   {each}")
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
