"""Benchmark: training throughput through the worker, and how long the GUI stalls meanwhile.

Run by hand (prints figures, asserts nothing about time):

    QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_worker.py [--seconds 3] [--rounds 3]

Workload W1: spiral, 500 points (all of them training points, as in the engine benchmark),
2→8→8→1 tanh, sigmoid + bce, batch 10, SGD lr 0.03. In one run it measures

1. the bare Trainer (``train_epoch`` in a loop),
2. the pure session (``Playground.step_epoch``: the same training plus evaluating the loss and
   accuracy after every epoch, which the worker does for the history),
3. the worker at full speed while the GUI thread renders every snapshot into real pyqtgraph
   items (a PlotDataItem loss curve with ``setData``, an ImageItem of ``grid_output``) and a
   5-ms QTimer probe records how late the GUI event loop runs (p50, p99, max).

Targets (issue 3): worker ≥ 80 % of the bare Trainer; probe lateness p99 ≤ 20 ms.
"""
from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402

from playground.config import DataSpec, Hyperparameters, NetworkSpec, PlaygroundConfig  # noqa: E402
from playground.data import make_dataset, targets  # noqa: E402
from playground.engine import Network, Trainer  # noqa: E402
from playground.session import Playground  # noqa: E402

W1 = PlaygroundConfig(
    data=DataSpec(generator="spiral", n_samples=500, noise=0.0, train_ratio=1.0, seed=0),
    network=NetworkSpec(hidden_layers=(8, 8), activations=("tanh", "tanh"), seed=0),
    hyper=Hyperparameters(learning_rate=0.03, batch_size=10, optimizer="sgd"),
)
PROBE_MS = 5


def epochs_per_second(train_one_epoch, seconds: float) -> float:
    train_one_epoch()                       # warm-up
    epochs, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        train_one_epoch()
        epochs += 1
    return epochs / (time.perf_counter() - start)


def bare_trainer(seconds: float) -> float:
    dataset = make_dataset("spiral", n=500, noise=0.0, seed=0)
    X, Y = dataset.X, targets(dataset)
    net = Network([2, 8, 8, 1], activation="tanh", output_activation="sigmoid", loss="bce", seed=0)
    trainer = Trainer(net, optimizer="sgd", learning_rate=0.03, batch_size=10, seed=0)
    return epochs_per_second(lambda: trainer.train_epoch(X, Y), seconds)


def bare_session(seconds: float) -> float:
    playground = Playground(W1)
    return epochs_per_second(playground.step_epoch, seconds)


class Consumer:
    """The GUI side: renders every snapshot into persistent pyqtgraph items."""

    def __init__(self):
        import pyqtgraph as pg

        self.window = pg.GraphicsLayoutWidget()
        self.window.resize(900, 450)
        plot = self.window.addPlot(title="loss")
        plot.setDownsampling(auto=True, mode="peak")
        plot.setClipToView(True)
        self.curve = plot.plot(pen=pg.mkPen(width=1))
        view = self.window.addViewBox(lockAspect=True)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(pg.colormap.get("CET-D1"))
        view.addItem(self.image)
        self.window.show()
        self.restart()

    def restart(self) -> None:
        self.epochs = np.zeros(1024)
        self.losses = np.zeros(1024)
        self.count = 0
        self.snapshots = []
        self.render_times = []

    def render(self, snapshot) -> None:
        start = time.perf_counter()
        history = snapshot.history
        n = self.count + len(history)
        if n > len(self.epochs):
            size = 1 << (n - 1).bit_length()
            self.epochs = np.resize(self.epochs, size)
            self.losses = np.resize(self.losses, size)
        self.epochs[self.count:n] = history.epochs
        self.losses[self.count:n] = history.train_loss
        self.count = n
        # copies: pyqtgraph keeps a view of what it is given, and the buffers keep changing
        self.curve.setData(self.epochs[:n].copy(), self.losses[:n].copy())
        self.image.setImage(snapshot.grid_output[:, :, 0], levels=(0.0, 1.0))
        self.snapshots.append((time.perf_counter(), snapshot))
        self.render_times.append(time.perf_counter() - start)


def worker_with_consumer(app, consumer, seconds: float, render: bool = True) -> dict:
    """One full-speed run of a fresh controller; the probe runs only while it trains.

    With ``render`` False the snapshots are only collected, not drawn: the difference shows the
    GUI's share of the one interpreter lock."""
    from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer

    from playground.qt.worker import TrainingController

    consumer.restart()
    controller = TrainingController(W1)
    if render:
        controller.sigSnapshot.connect(consumer.render)
    else:
        controller.sigSnapshot.connect(
            lambda snapshot: consumer.snapshots.append((time.perf_counter(), snapshot)))
    ticks = []
    clock = QElapsedTimer()
    probe = QTimer()
    probe.setTimerType(Qt.TimerType.PreciseTimer)
    probe.timeout.connect(lambda: ticks.append(clock.nsecsElapsed() / 1e6))
    loop = QEventLoop()

    def start():
        clock.start()
        probe.start(PROBE_MS)
        controller.play()

    def stop():
        probe.stop()
        controller.pause()

    QTimer.singleShot(300, start)
    QTimer.singleShot(int(300 + seconds * 1000), stop)
    QTimer.singleShot(int(300 + seconds * 1000 + 300), loop.quit)
    loop.exec()
    controller.shutdown()

    playing = [(t, s) for t, s in consumer.snapshots if s.state == "playing"]
    (t0, first), (t1, last) = playing[0], playing[-1]
    received = [e for _, s in consumer.snapshots for e in s.history.epochs]
    return {
        "epochs_per_second": (last.epoch - first.epoch) / (t1 - t0),
        "snapshots_per_second": (len(playing) - 1) / (t1 - t0),
        "no_gaps": bool(np.array_equal(received, np.arange(1, len(received) + 1))),
        "render_ms": [1e3 * r for r in consumer.render_times] or [float("nan")],
        "lateness_ms": list(np.maximum(np.diff(np.array(ticks)) - PROBE_MS, 0.0)),
    }


def idle_probe_lateness(seconds: float) -> list[float]:
    """The probe with nothing training: the machine's own noise floor for the stall figure."""
    from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer

    ticks = []
    clock = QElapsedTimer()
    clock.start()
    probe = QTimer()
    probe.setTimerType(Qt.TimerType.PreciseTimer)
    probe.timeout.connect(lambda: ticks.append(clock.nsecsElapsed() / 1e6))
    loop = QEventLoop()
    probe.start(PROBE_MS)
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()
    probe.stop()
    return list(np.maximum(np.diff(np.array(ticks)) - PROBE_MS, 0.0))


def main() -> None:
    from PySide6.QtWidgets import QApplication

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="time per measurement")
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds of (bare, session, worker), interleaved so that a shared "
                             "machine's changing load hits all three alike; medians reported")
    args = parser.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"W1: spiral 500, 2-8-8-1 tanh, batch 10, sgd 0.03; {args.rounds} rounds x "
          f"{args.seconds:g} s; {os.cpu_count()} CPUs (shared, load average {load:.1f})")
    app = QApplication.instance() or QApplication([])
    consumer = Consumer()
    bare, session, runs, unrendered, idle = [], [], [], [], []
    for _ in range(args.rounds):
        idle.extend(idle_probe_lateness(min(args.seconds, 1.0)))
        bare.append(bare_trainer(args.seconds))
        session.append(bare_session(args.seconds))
        unrendered.append(worker_with_consumer(app, consumer, args.seconds, render=False))
        runs.append(worker_with_consumer(app, consumer, args.seconds))
    worker = [r["epochs_per_second"] for r in runs]
    quiet = [r["epochs_per_second"] for r in unrendered]
    median = float(np.median(bare))
    print(f"bare Trainer.train_epoch         {median:8.0f} epochs/s   rounds {np.round(bare)}")
    print(f"Playground.step_epoch (+eval)    {np.median(session):8.0f} epochs/s   "
          f"({100 * np.median(session) / median:.0f} % of bare)   rounds {np.round(session)}")
    print(f"worker, snapshots not drawn      {np.median(quiet):8.0f} epochs/s   "
          f"({100 * np.median(quiet) / median:.0f} % of bare)   rounds {np.round(quiet)}")
    print(f"worker + pyqtgraph consumer      {np.median(worker):8.0f} epochs/s   "
          f"({100 * np.median(worker) / median:.0f} % of bare; target >= 80 %)   "
          f"rounds {np.round(worker)}")
    per_round = [100 * w / b for w, b in zip(worker, bare)]
    print(f"  worker / bare in the same round: {np.round(per_round)} %")
    render = np.concatenate([r["render_ms"] for r in runs])
    lateness = np.concatenate([r["lateness_ms"] for r in runs])
    print(f"  snapshots/s {np.round([r['snapshots_per_second'] for r in runs], 1)}; "
          f"epochs 1..N without gaps in every run: {all(r['no_gaps'] for r in runs)}; "
          f"setData+setImage per snapshot p50 {np.median(render):.2f} ms, "
          f"max {np.max(render):.2f} ms")
    print(f"GUI stall (lateness of a {PROBE_MS}-ms QTimer, {len(lateness)} ticks): "
          f"p50 {np.percentile(lateness, 50):.2f} ms, p99 {np.percentile(lateness, 99):.2f} ms "
          f"(target <= 20), max {np.max(lateness):.2f} ms")
    print(f"  same probe with nothing training ({len(idle)} ticks): "
          f"p50 {np.percentile(idle, 50):.2f} ms, p99 {np.percentile(idle, 99):.2f} ms, "
          f"max {np.max(idle):.2f} ms")


if __name__ == "__main__":
    main()
