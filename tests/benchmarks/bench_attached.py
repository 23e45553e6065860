"""Benchmark: training with the whole window attached, against the bare Trainer, in one run.

Run by hand (prints figures, asserts nothing about time):

    QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_attached.py [--seconds 4] [--rounds 5]
        [--workload default|scale] [--probe] [--minutes M]

The app's real window (``create_window``: every panel in its default place, shown at 1400 × 900),
trained as fast as possible, against a bare ``Trainer`` on the same problem, in interleaved
rounds (the machine's speed drifts, so only ratios within one run mean anything):

- ``default``: the default playground (circle, 250 training points, 2-4-2-1 tanh, batch 10);
- ``scale``: 5,000 circle points (4,000 for training), 8 hidden layers of 32 tanh units.

Per round: epochs per second bare and attached, the attached share of bare, the GUI thread's CPU
share of the wall time, frames per second and the render time of a frame (every view's
``show_snapshot``; Qt paints after it, inside the GUI thread's CPU share). Then one round at the
default speed (30 epochs/s) for its frame rate. ``--probe`` adds a round with a 5-ms QTimer
recording how late the event loop runs (stall percentiles); the probe itself takes the
interpreter lock 200 times a second, so throughput is read from the rounds without it.
``--minutes M`` trains M minutes attached, printing the resident memory every 30 s.
Targets (issue "Full speed with the window attached"): attached ≥ 85 % of bare on the default
problem and ≥ 80 % at scale; stall p99 ≤ 20 ms; memory flat within ±20 MB after the first minute.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import playground.app  # noqa: E402,F401  (first, as in the app: it sets the BLAS threads)
import numpy as np  # noqa: E402

from playground.config import (DataSpec, Hyperparameters, NetworkSpec,  # noqa: E402
                               PlaygroundConfig)
from playground.session import Playground  # noqa: E402

FAST = Hyperparameters(epochs_per_second=None)
WORKLOADS = {
    "default": PlaygroundConfig(hyper=FAST),
    "scale": PlaygroundConfig(
        data=DataSpec(generator="circle", n_samples=5000, train_ratio=0.8),
        network=NetworkSpec(hidden_layers=(32,) * 8, activations=("tanh",) * 8),
        hyper=FAST),
}
PROBE_MS = 5


def bare_rate(config: PlaygroundConfig, seconds: float) -> float:
    """Epochs per second of the bare Trainer on the playground's own training set."""
    playground = Playground(config)
    trainer, X, Y = playground.trainer, playground.F_train, playground.Y_train
    trainer.train_epoch(X, Y)
    epochs, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        trainer.train_epoch(X, Y)
        epochs += 1
    return epochs / (time.perf_counter() - start)


class AttachedWindow:
    """The app's window on a throw-away layout file, with its frames timed."""

    def __init__(self, config: PlaygroundConfig):
        from PySide6.QtCore import QSettings

        from playground.app import create_window, ensure_application

        self.app = ensure_application()
        settings = QSettings(os.path.join(tempfile.mkdtemp(), "layout.ini"),
                             QSettings.Format.IniFormat)
        self.window = create_window(config=config, settings=settings)
        self.window.resize(1400, 900)
        self.window.show()
        self.render_times: list[float] = []
        render = self.window.render_snapshot

        def timed(snapshot):
            start = time.perf_counter()
            render(snapshot)
            self.render_times.append(time.perf_counter() - start)

        self.window.render_snapshot = timed
        self.spin(1.0)

    def spin(self, seconds: float) -> None:
        from PySide6.QtCore import QEventLoop, QTimer

        loop = QEventLoop()
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()

    def run(self, seconds: float, speed: float | None = None, probe: bool = False) -> dict:
        """Train ``seconds`` at ``speed`` (None: as fast as possible) from fresh weights."""
        from dataclasses import replace

        from PySide6.QtCore import QTimer

        controller = self.window.controller
        controller.set_hyperparameters(replace(controller.config.hyper,
                                               epochs_per_second=speed))
        controller.reset()
        self.spin(0.3)
        controller.play()
        self.spin(0.5)
        lateness, timer = [], None
        if probe:
            expected = [time.perf_counter() + PROBE_MS / 1000]

            def tick():
                now = time.perf_counter()
                lateness.append(now - expected[0])
                expected[0] = now + PROBE_MS / 1000

            timer = QTimer()
            timer.setTimerType(timer.timerType().PreciseTimer)
            timer.timeout.connect(tick)
            timer.start(PROBE_MS)
        self.render_times.clear()
        epoch0, wall0, cpu0 = controller.latest_snapshot.epoch, time.perf_counter(), \
            time.thread_time()
        self.spin(seconds)
        epoch1, wall1, cpu1 = controller.latest_snapshot.epoch, time.perf_counter(), \
            time.thread_time()
        if timer is not None:
            timer.stop()
        controller.pause()
        self.spin(0.3)
        wall = wall1 - wall0
        renders = np.array(self.render_times) * 1e3
        return {"rate": (epoch1 - epoch0) / wall, "gui_share": (cpu1 - cpu0) / wall,
                "fps": len(renders) / wall,
                "render": np.percentile(renders, [50, 90]) if len(renders) else (np.nan,) * 2,
                "stall": np.percentile(np.array(lateness) * 1e3, [50, 99, 100])
                if lateness else None}

    def close(self) -> None:
        self.window.close()


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workload", choices=sorted(WORKLOADS), default="default")
    parser.add_argument("--probe", action="store_true")
    parser.add_argument("--minutes", type=float, default=0.0)
    args = parser.parse_args()
    config = WORKLOADS[args.workload]
    print(f"workload {args.workload}; load average {os.getloadavg()[0]:.2f}; "
          f"{args.rounds} rounds of {args.seconds:g} s")
    attached = AttachedWindow(config)
    shares = []
    for round_number in range(args.rounds):
        bare = bare_rate(config, args.seconds)
        result = attached.run(args.seconds)
        shares.append(result["rate"] / bare)
        p50, p90 = result["render"]
        print(f"round {round_number + 1}: bare {bare:7.1f} ep/s, attached {result['rate']:7.1f} "
              f"ep/s = {100 * shares[-1]:3.0f} %; GUI thread {100 * result['gui_share']:4.1f} % "
              f"of wall time; {result['fps']:4.1f} frames/s, render p50 {p50:.1f} ms, "
              f"p90 {p90:.1f} ms", flush=True)
    print(f"attached / bare: median {100 * statistics.median(shares):.0f} % "
          f"(rounds {100 * min(shares):.0f}-{100 * max(shares):.0f} %)")
    watch = attached.run(args.seconds, speed=30.0)
    print(f"at 30 epochs/s: {watch['rate']:.1f} epochs/s, {watch['fps']:.1f} frames/s, "
          f"GUI thread {100 * watch['gui_share']:.1f} %")
    if args.probe:
        stall = attached.run(args.seconds, probe=True)["stall"]
        print(f"event-loop lateness with a {PROBE_MS}-ms probe, as fast as possible: "
              f"p50 {stall[0]:.1f} ms, p99 {stall[1]:.1f} ms, max {stall[2]:.1f} ms")
    if args.minutes:
        from dataclasses import replace

        controller = attached.window.controller
        controller.set_hyperparameters(replace(controller.config.hyper, epochs_per_second=None))
        controller.play()
        start = time.perf_counter()
        while time.perf_counter() - start < 60 * args.minutes:
            attached.spin(30.0)
            print(f"{(time.perf_counter() - start) / 60:5.1f} min: RSS {rss_mb():6.1f} MB "
                  f"(peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB), "
                  f"epoch {controller.latest_snapshot.epoch}", flush=True)
        controller.pause()
    attached.close()


if __name__ == "__main__":
    main()
