"""Regenerate the screenshots in resources/screenshots/ from the real window, after training.

    QT_QPA_PLATFORM=offscreen python scripts/screenshots.py [--only NAME ...] [--out DIR]

Each scene opens the main window on a configuration, trains it to a fixed number of epochs (or
a time limit on a slow machine), pauses and saves the window as a PNG. main-window.png is the one
the README shows.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from playground.config import DataSpec, Hyperparameters, NetworkSpec, PlaygroundConfig  # noqa: E402

OUT_DIR = Path(__file__).resolve().parent.parent / "resources" / "screenshots"
WINDOW_SIZE = (1320, 830)   # the window keeps its minimum width if that is larger


@dataclass(frozen=True)
class Scene:
    """One screenshot: what to train, for how long, and window options to switch on."""

    name: str
    config: PlaygroundConfig
    epochs: int
    time_limit: float = 60.0
    show_test_data: bool = False


SCENES = (
    Scene("main-window", PlaygroundConfig(), epochs=300),
    Scene("spiral-deep", PlaygroundConfig(
        data=DataSpec(generator="spiral", noise=0.05),
        network=NetworkSpec(hidden_layers=(8, 8, 8, 6), activations=("tanh",) * 4,
                            features=("x1", "x2", "sin_x1", "sin_x2")),
        hyper=Hyperparameters(learning_rate=0.003, batch_size=10, optimizer="adam")),
        epochs=500, time_limit=90.0),
    Scene("three-class", PlaygroundConfig(
        data=DataSpec(generator="blobs", classes=3, noise=0.2),
        network=NetworkSpec(hidden_layers=(6, 4), activations=("tanh", "tanh"))),
        epochs=200, show_test_data=True),
    Scene("regression", PlaygroundConfig(
        data=DataSpec(generator="bumps", problem="regression", noise=0.05),
        network=NetworkSpec(hidden_layers=(8, 8), activations=("tanh", "tanh")),
        hyper=Hyperparameters(learning_rate=0.01, batch_size=10, optimizer="adam")),
        epochs=600, time_limit=90.0),
)


def train_and_save(app, scene: Scene, settings, out_dir: Path) -> Path:
    from PySide6.QtCore import QEvent

    from playground.qt.shell.main_window import MainWindow
    from playground.qt.theme import save_indexed_png
    from playground.snapshot import PAUSED

    window = MainWindow(config=scene.config, settings=settings)
    window.resize(*WINDOW_SIZE)
    window.show_test_data.setChecked(scene.show_test_data)
    window.show()
    controller = window.controller
    _process_until(app, lambda: window.rendered_snapshot is not None, 20.0)
    controller.play()
    started = time.perf_counter()
    _process_until(app, lambda: (controller.latest_snapshot.epoch >= scene.epochs
                                 or time.perf_counter() - started > scene.time_limit),
                   scene.time_limit + 10.0)
    controller.pause()
    _process_until(app, lambda: controller.latest_snapshot.state == PAUSED
                   and window.rendered_snapshot.serial == controller.latest_snapshot.serial, 20.0)
    app.processEvents()
    path = out_dir / f"{scene.name}.png"
    # 256 colours: the PNGs live in the repository and must each stay under 300 KB
    if not save_indexed_png(window.grab().toImage(), str(path)):
        raise OSError(f"could not write {path}")
    snapshot = window.rendered_snapshot
    print(f"{path.name}: epoch {snapshot.epoch}, train loss {snapshot.train_loss:.4f}, "
          f"test loss {snapshot.test_loss:.4f}, {path.stat().st_size // 1024} KB")
    window.close()
    window.deleteLater()   # its controller's thread is stopped now, not at interpreter exit
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return path


def _process_until(app, condition, timeout: float) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the window did not get there in time")
        app.processEvents()
        time.sleep(0.005)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=[scene.name for scene in SCENES],
                        help="scenes to render (all by default)")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="folder for the PNGs")
    args = parser.parse_args(argv)

    from PySide6.QtCore import QSettings

    from playground.app import ensure_application

    app = ensure_application()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        # a throw-away layout file: screenshots always show the default dock layout
        for scene in SCENES:
            if args.only and scene.name not in args.only:
                continue
            settings = QSettings(os.path.join(folder, f"{scene.name}.ini"),
                                 QSettings.Format.IniFormat)
            train_and_save(app, scene, settings, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
