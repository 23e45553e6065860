"""How long does one snapshot take to render through the visual panels?

Feeds a stream of realistic snapshots (default network 2-4-2-1, 100x100 grid, a few epochs of
history each) to every panel, then repaints them (``grab()`` renders each widget fully, which
is at least what a visible window repaints), and prints median and p95 milliseconds per update
for each panel and for all of them together. The budget is <= 10 ms for the whole
window; this measures the panels the window embeds.

    python tests/benchmarks/bench_render.py [--updates 300] [--hidden 4,2] [--resolution 100]

Prints figures only: no timed asserts (the machine is shared). Wall-clock figures include
waiting for a busy CPU; the CPU-time line shows what this process itself spent.
"""
from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from PySide6 import QtWidgets

from playground.examples.snapshots import DemoRun
from playground.qt import theme
from playground.qt.network.view import NetworkView
from playground.qt.plots.boundary_view import BoundaryView
from playground.qt.plots.history_plots import AccuracyPlot, LossPlot
from playground.qt.plots.layer_plots import GradientPlot, WeightsPlot


def build_panels() -> tuple[QtWidgets.QWidget, dict[str, QtWidgets.QWidget]]:
    """All panels in one 1400x800 container laid out roughly like the main window."""
    panels = {"loss": LossPlot(), "accuracy": AccuracyPlot(), "weights": WeightsPlot(),
              "gradient": GradientPlot(), "boundary": BoundaryView(), "network": NetworkView()}
    container = QtWidgets.QWidget()
    layout = QtWidgets.QGridLayout(container)
    layout.addWidget(panels["network"], 0, 0, 2, 2)
    layout.addWidget(panels["boundary"], 0, 2, 2, 1)
    for column, name in enumerate(("loss", "accuracy", "weights", "gradient")):
        layout.addWidget(panels[name], 2, column if column < 3 else 2)
    layout.setRowStretch(0, 2)
    layout.setRowStretch(1, 2)
    layout.setRowStretch(2, 1)
    container.resize(1400, 800)
    return container, panels


def make_snapshots(count: int, hidden: tuple[int, ...], resolution: int, epochs_each: int):
    run = DemoRun("circle", hidden_layers=hidden, resolution=resolution)
    snapshots = []
    for _ in range(count):
        run.train(epochs_each)
        snapshots.append(run.snapshot())
    return snapshots


def percentiles(samples: list[float]) -> str:
    values = np.array(samples) * 1000.0
    return f"median {np.median(values):6.2f} ms   p95 {np.percentile(values, 95):6.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=300)
    parser.add_argument("--hidden", default="4,2", help="hidden layer sizes, comma separated")
    parser.add_argument("--resolution", type=int, default=100)
    parser.add_argument("--epochs-per-update", type=int, default=3)
    args = parser.parse_args()
    hidden = tuple(int(v) for v in args.hidden.split(","))

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    theme.configure_pyqtgraph()
    container, panels = build_panels()
    container.grab()                     # lay out once before timing
    snapshots = make_snapshots(args.updates, hidden, args.resolution, args.epochs_per_update)

    # pass 1, like the window: every panel takes the snapshot, then Qt repaints what changed
    # (processEvents delivers the pending paint events into the window's backing store)
    container.show()
    app.processEvents()
    show_times = {name: [] for name in panels}
    window_times = []
    window_cpu_times = []
    full_repaint_times = []
    for snapshot in snapshots:
        started = time.perf_counter()
        cpu_started = time.process_time()
        for name, panel in panels.items():
            t0 = time.perf_counter()
            panel.show_snapshot(snapshot)
            show_times[name].append(time.perf_counter() - t0)
        app.processEvents()
        window_times.append(time.perf_counter() - started)
        window_cpu_times.append(time.process_time() - cpu_started)
        t0 = time.perf_counter()
        container.grab()            # everything repainted, e.g. after a resize or uncover
        full_repaint_times.append(time.perf_counter() - t0)

    # pass 2, the same stream again from a clean start: each panel repainted on its own
    for panel in panels.values():
        panel.clear()
    repaint_times = {name: [] for name in panels}
    repaint_cpu_times = {name: [] for name in panels}
    for snapshot in snapshots:
        for name, panel in panels.items():
            t0, c0 = time.perf_counter(), time.process_time()
            panel.show_snapshot(snapshot)
            panel.grab()
            repaint_times[name].append(time.perf_counter() - t0)
            repaint_cpu_times[name].append(time.process_time() - c0)
        app.processEvents()

    print(f"{args.updates} updates, network {(2, *hidden, 1)}, grid {args.resolution}², "
          f"{args.epochs_per_update} epochs of history per update "
          f"(plots end with {snapshots[-1].epoch} epochs), panels in a "
          f"{container.width()}x{container.height()} container")
    for name in panels:
        print(f"  {name:9s} show_snapshot {percentiles(show_times[name])} | "
              f"show + own full repaint {percentiles(repaint_times[name])} | "
              f"CPU {percentiles(repaint_cpu_times[name])}")
    print(f"  all panels, show + processEvents (paints what changed): {percentiles(window_times)}")
    print(f"    the same in CPU time of this process (less disturbed by a busy machine): "
          f"{percentiles(window_cpu_times)}")
    print(f"  full repaint of all panels (container.grab()):          "
          f"{percentiles(full_repaint_times)}")


if __name__ == "__main__":
    main()
