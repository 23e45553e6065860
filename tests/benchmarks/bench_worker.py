"""Benchmark: training throughput through the worker, and how long the GUI stalls meanwhile.

Run by hand (prints figures, asserts nothing about time):

    QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_worker.py [--seconds 3] [--rounds 3]

Workload W1: spiral, 500 points (all of them training points, as in the engine benchmark),
2→8→8→1 tanh, sigmoid + bce, batch 10, SGD lr 0.03. In one run it measures

1. the bare Trainer (``train_epoch`` in a loop),
2. the pure session (``Playground.step_epoch``: the same training plus evaluating the loss and
   accuracy after every epoch, which the worker does for the history),
3. the worker at full speed with snapshots collected but not drawn,
4. the worker at full speed while the GUI thread renders every snapshot into real pyqtgraph
   items: the app's own loss plot and decision boundary view, painted by the event loop,
5. the same with a 5-ms QTimer probe recording how late the GUI event loop runs (p50, p99,
   max). The probe takes the interpreter lock 200 times a second and slows training itself, so
   the throughput target is read from run 4 and the stall from run 5.

Targets: worker ≥ 80 % of the bare Trainer; probe lateness p99 ≤ 20 ms.
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


def epochs_per_second(train_one_epoch, seconds: float) -> tuple[float, float]:
    """(epochs per wall-clock second, epochs per CPU second of this thread)."""
    train_one_epoch()                       # warm-up
    epochs, start, cpu = 0, time.perf_counter(), time.thread_time()
    while time.perf_counter() - start < seconds:
        train_one_epoch()
        epochs += 1
    return epochs / (time.perf_counter() - start), epochs / (time.thread_time() - cpu)


def bare_trainer(seconds: float) -> tuple[float, float]:
    dataset = make_dataset("spiral", n=500, noise=0.0, seed=0)
    X, Y = dataset.X, targets(dataset)
    net = Network([2, 8, 8, 1], activation="tanh", output_activation="sigmoid", loss="bce", seed=0)
    trainer = Trainer(net, optimizer="sgd", learning_rate=0.03, batch_size=10, seed=0)
    return epochs_per_second(lambda: trainer.train_epoch(X, Y), seconds)


def bare_session(seconds: float) -> tuple[float, float]:
    playground = Playground(W1)
    return epochs_per_second(playground.step_epoch, seconds)


class Consumer:
    """The GUI side: the app's own loss plot and decision boundary (real pyqtgraph items,
    persistent and updated with setData/setImage) render every snapshot, then paint."""

    def __init__(self):
        from PySide6.QtWidgets import QHBoxLayout, QWidget

        from playground.qt.plots.boundary_view import BoundaryView
        from playground.qt.plots.history_plots import LossPlot

        self.window = QWidget()
        layout = QHBoxLayout(self.window)
        self.loss_plot, self.boundary = LossPlot(), BoundaryView()
        layout.addWidget(self.loss_plot)
        layout.addWidget(self.boundary)
        self.window.resize(900, 450)
        self.window.show()
        self.restart()

    def restart(self) -> None:
        self.loss_plot.clear()
        self.boundary.clear()
        self.snapshots = []
        self.render_times = []

    def render(self, snapshot) -> None:
        start = time.perf_counter()
        self.loss_plot.show_snapshot(snapshot)
        self.boundary.show_snapshot(snapshot)
        self.snapshots.append((time.perf_counter(), snapshot))
        self.render_times.append(time.perf_counter() - start)


def worker_with_consumer(app, consumer, seconds: float, render: bool = True,
                         probe_stall: bool = False) -> dict:
    """One full-speed run of a fresh controller.

    With ``render`` False the snapshots are only collected, not drawn: the difference shows the
    GUI's share of the one interpreter lock. With ``probe_stall`` the 5-ms probe runs while it
    trains; the probe is a measuring instrument that itself takes the interpreter lock 200 times
    a second, so throughput is measured in runs without it and the stall in runs with it."""
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
    # the worker thread's own CPU time, read inside it: epochs per CPU second do not depend on
    # how much of the shared machine the thread got
    cpu_marks = []

    def mark(playground):
        return time.thread_time(), playground.epoch

    gui_cpu = []

    def start():
        gui_cpu.append((time.thread_time(), time.perf_counter()))
        clock.start()
        if probe_stall:
            probe.start(PROBE_MS)
        controller.run_in_worker(mark, cpu_marks.append)
        controller.play()

    def stop():
        gui_cpu.append((time.thread_time(), time.perf_counter()))
        probe.stop()
        controller.pause()
        controller.run_in_worker(mark, cpu_marks.append)

    QTimer.singleShot(300, start)
    QTimer.singleShot(int(300 + seconds * 1000), stop)
    QTimer.singleShot(int(300 + seconds * 1000 + 300), loop.quit)
    loop.exec()
    deadline = time.perf_counter() + 10.0
    while len(cpu_marks) < 2 and time.perf_counter() < deadline:   # a busy machine is slow
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    controller.shutdown()

    playing = [(t, s) for t, s in consumer.snapshots if s.state == "playing"]
    (t0, first), (t1, last) = playing[0], playing[-1]
    received = [e for _, s in consumer.snapshots for e in s.history.epochs]
    (cpu0, epoch0), (cpu1, epoch1) = cpu_marks
    return {
        "epochs_per_second": (last.epoch - first.epoch) / (t1 - t0),
        "epochs_per_cpu_second": (epoch1 - epoch0) / (cpu1 - cpu0),
        "gui_busy": (gui_cpu[1][0] - gui_cpu[0][0]) / (gui_cpu[1][1] - gui_cpu[0][1]),
        "snapshots_per_second": (len(playing) - 1) / (t1 - t0),
        "no_gaps": bool(np.array_equal(received, np.arange(1, len(received) + 1))),
        "render_ms": [1e3 * r for r in consumer.render_times] or [float("nan")],
        "lateness_ms": list(np.maximum(np.diff(np.array(ticks)) - PROBE_MS, 0.0))
        if len(ticks) > 1 else [],
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
    bare, session, runs, unrendered, probed, idle = [], [], [], [], [], []
    for _ in range(args.rounds):
        idle.extend(idle_probe_lateness(min(args.seconds, 1.0)))
        bare.append(bare_trainer(args.seconds))
        session.append(bare_session(args.seconds))
        unrendered.append(worker_with_consumer(app, consumer, args.seconds, render=False))
        runs.append(worker_with_consumer(app, consumer, args.seconds))
        probed.append(worker_with_consumer(app, consumer, args.seconds, probe_stall=True))
    bare_wall, bare_cpu = np.array(bare).T
    session_wall, session_cpu = np.array(session).T
    base, base_cpu = float(np.median(bare_wall)), float(np.median(bare_cpu))

    def line(label, wall, cpu=None):
        text = (f"{label:<34} {np.median(wall):6.0f} epochs/s "
                f"({100 * np.median(wall) / base:3.0f} %)")
        if cpu is not None:
            text += (f"   per CPU s {np.median(cpu):6.0f} "
                     f"({100 * np.median(cpu) / base_cpu:3.0f} %)")
        print(f"{text}   rounds {np.round(wall).astype(int)}")

    def rates(results, key="epochs_per_second"):
        return [r[key] for r in results]

    print("medians; % of the bare Trainer; 'per CPU s' counts only the training thread's CPU time")
    line("bare Trainer.train_epoch", bare_wall, bare_cpu)
    line("Playground.step_epoch (+eval)", session_wall, session_cpu)
    line("worker, snapshots not drawn", rates(unrendered))
    line("worker + pyqtgraph consumer", rates(runs), rates(runs, "epochs_per_cpu_second"))
    line("worker + consumer + 5-ms probe", rates(probed))
    print(f"  GUI thread CPU while training: drawn "
          f"{100 * np.median(rates(runs, 'gui_busy')):.0f} %, not drawn "
          f"{100 * np.median(rates(unrendered, 'gui_busy')):.0f} % of one core")
    print(f"  target: worker + consumer >= 80 % of bare; ratio in each round: "
          f"{np.round([100 * w / b for w, b in zip(rates(runs), bare_wall)]).astype(int)} %")
    render = np.concatenate([r["render_ms"] for r in runs])
    lateness = np.concatenate([r["lateness_ms"] for r in probed])
    print(f"  snapshots/s {np.round(rates(runs, 'snapshots_per_second'), 1)}; "
          f"epochs 1..N without gaps in every run: "
          f"{all(r['no_gaps'] for r in runs + probed + unrendered)}; "
          f"show_snapshot of both views p50 {np.median(render):.2f} ms, "
          f"max {np.max(render):.2f} ms")
    print(f"GUI stall (lateness of a {PROBE_MS}-ms QTimer, {len(lateness)} ticks): "
          f"p50 {np.percentile(lateness, 50):.2f} ms, p99 {np.percentile(lateness, 99):.2f} ms "
          f"(target <= 20), max {np.max(lateness):.2f} ms")
    print(f"  same probe with nothing training ({len(idle)} ticks): "
          f"p50 {np.percentile(idle, 50):.2f} ms, p99 {np.percentile(idle, 99):.2f} ms, "
          f"max {np.max(idle):.2f} ms")


if __name__ == "__main__":
    main()
