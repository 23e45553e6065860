"""Whole-window render cost per update, and cold start to a shown window.

Run: QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_window.py
Prints figures (no asserts: the machine is shared). Targets: one update of
the whole window (default network, 100 × 100 boundary grid) ≤ 10 ms; cold start ≤ 1.5 s.

Snapshots are recorded from the real worker while it trains the default playground, then replayed
into the window one by one: ``render`` is MainWindow.render_snapshot (every view's
show_snapshot and the read-outs); ``render+paint`` adds the event loop laying out and painting
what changed, which is what a frame costs on screen. ``--parts`` also replays the snapshots
into one view at a time (the others keep showing the same snapshot), which splits the frame cost
per view.

Cold starts: ``--cold-runs N`` fresh interpreters (default COLD_START_RUNS), reported with their
median; ``--cold-only`` skips the frame figures. The playground package's bytecode is compiled
first, as an installed app has it (pip compiles on install, PyInstaller ships .pyc); where
PYTHONDONTWRITEBYTECODE is set and no __pycache__ exists, every start would otherwise also compile
~60 source files. ``--no-compile`` leaves the bytecode as it is (to measure that case, run it
with PYTHONDONTWRITEBYTECODE=1 after removing playground's __pycache__ folders).
"""
from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

COLD_START_RUNS = 5
WINDOW_SIZE = (1400, 900)
RECORD_SECONDS = 3.0

# what the app's main() does, in its order, with a private settings file
COLD_START_CODE = """
import time
started = time.perf_counter()
from playground.app import create_window, ensure_application
app = ensure_application()
from PySide6.QtCore import QSettings, Qt
settings = QSettings({path!r}, QSettings.Format.IniFormat)
window = create_window(settings=settings)
window.show()
while window.rendered_snapshot is None:
    app.processEvents()
shown = time.perf_counter() - started
# deleted on close like the app's window: a closed window left to the interpreter's teardown
# crashes PySide6 at exit about every other time
window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
window.close()
app.processEvents()
print(shown)
"""


def compile_package() -> None:
    """Write the playground package's bytecode (__pycache__), which Python reads even when
    PYTHONDONTWRITEBYTECODE stops it from writing any."""
    import playground

    compileall.compile_dir(os.path.dirname(playground.__file__), quiet=1)


def cold_start_seconds(folder: str, runs: int = COLD_START_RUNS) -> list[float]:
    """Fresh interpreters: imports, window construction and the first rendered snapshot."""
    times = []
    for run in range(runs):
        code = COLD_START_CODE.format(path=os.path.join(folder, f"cold{run}.ini"))
        output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                check=True).stdout
        times.append(float(output.strip().splitlines()[-1]))
    return times


def record_snapshots(app, window) -> list:
    snapshots = []

    def take(snapshot):
        # the window paces the worker by the snapshots it draws: this recorder takes every one
        snapshots.append(snapshot)
        window.controller.snapshots_taken()

    window.controller.sigSnapshot.connect(take)
    window.controller.play()
    end = time.perf_counter() + RECORD_SECONDS
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.002)
    window.controller.pause()
    end = time.perf_counter() + 0.5
    while time.perf_counter() < end:
        app.processEvents()
    window.controller.sigSnapshot.disconnect(take)
    return [s for s in snapshots if len(s.history)]


def describe(name: str, seconds: list[float]) -> str:
    ms = 1000.0 * np.asarray(seconds)
    return (f"{name:>13}: p50 {np.percentile(ms, 50):6.2f} ms   p90 {np.percentile(ms, 90):6.2f} ms"
            f"   max {ms.max():6.2f} ms   (n={len(ms)})")


def print_parts(app, window, snapshots) -> None:
    """Per view: its show_snapshot, then the event loop painting only what that view changed."""
    parts = {"network editor": window.network_editor.show_snapshot,
             "boundary": window.boundary_view.show_snapshot,
             "loss": window.loss_plot.show_snapshot,
             "accuracy": window.accuracy_plot.show_snapshot,
             "weights": window.weights_plot.show_snapshot,
             "gradients": window.gradient_plot.show_snapshot,
             "inspector": window.inspector.show_snapshot,
             "read-outs": lambda s: (window.epoch_readout.show(s.epoch, s.batch_in_epoch,
                                                               s.epochs_per_second),
                                     window.status.show_snapshot(s))}
    costs = {name: [] for name in parts}
    for view in window.views:
        view.clear()
    for snapshot in snapshots:
        for name, show in parts.items():
            started = time.perf_counter()
            show(snapshot)
            shown = time.perf_counter()
            app.processEvents()
            costs[name].append((shown - started, time.perf_counter() - shown))
    print("per view (p50 ms):  show + paint = total")
    for name, pairs in costs.items():
        ms = 1000.0 * np.asarray(pairs)
        print(f"  {name:>15}: {np.median(ms[:, 0]):5.2f} + {np.median(ms[:, 1]):5.2f} = "
              f"{np.median(ms.sum(axis=1)):5.2f}")


def option_value(name: str, default: int) -> int:
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def print_cold_starts(folder: str) -> None:
    if "--no-compile" not in sys.argv:
        compile_package()
    starts = cold_start_seconds(folder, option_value("--cold-runs", COLD_START_RUNS))
    ms = [1000 * s for s in starts]
    print("cold start to a shown, rendered window: " + ", ".join(f"{m:.0f} ms" for m in ms)
          + f"  (median {statistics.median(ms):.0f} ms, best {min(ms):.0f} ms"
          + (", bytecode left as it was)" if "--no-compile" in sys.argv else ")"))


def main() -> int:
    if "--cold-only" in sys.argv:
        with tempfile.TemporaryDirectory() as folder:
            print_cold_starts(folder)
        return 0
    from PySide6.QtCore import QSettings

    from playground.app import create_window, ensure_application
    from playground.config import PlaygroundConfig

    app = ensure_application()
    with tempfile.TemporaryDirectory() as folder:
        # recorded as fast as possible (a new playground plays at 30 epochs/s): the same
        # snapshots, thousands of epochs long, as before that default
        config = PlaygroundConfig()
        config = replace(config, hyper=replace(config.hyper, epochs_per_second=None))
        window = create_window(config=config, settings=QSettings(
            os.path.join(folder, "bench.ini"), QSettings.Format.IniFormat))
        window.show()
        while window.rendered_snapshot is None:
            app.processEvents()
        # the offscreen screen is 800 x 800, to which the window shrinks once shown: measure
        # it at the size of the figures in the README
        settle_until = time.perf_counter() + 0.2
        while time.perf_counter() < settle_until:
            app.processEvents()
        window.resize(*WINDOW_SIZE)
        window.frames.stop()   # replay the recorded snapshots ourselves
        snapshots = record_snapshots(app, window)
        first = snapshots[0]
        grid = first.grid_output.shape
        print(f"recorded {len(snapshots)} snapshots up to epoch {snapshots[-1].epoch}; "
              f"network {first.structure.layer_sizes}, grid {grid[0]}×{grid[1]}, "
              f"window {window.width()}×{window.height()}")
        window.loss_plot.clear()
        render, frame = [], []
        for snapshot in snapshots:
            started = time.perf_counter()
            window.render_snapshot(snapshot)
            rendered = time.perf_counter()
            # what a frame costs: Qt lays out and paints what the update changed, pyqtgraph
            # runs its deferred range and bounds updates
            app.processEvents()
            frame.append(time.perf_counter() - started)
            render.append(rendered - started)
        print(describe("render", render))
        print(describe("render+paint", frame))
        if "--parts" in sys.argv:
            print_parts(app, window, snapshots)
        window.close()
        print_cold_starts(folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
