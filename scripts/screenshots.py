"""Regenerate the screenshots in resources/screenshots/ from the real window, after training.

    QT_QPA_PLATFORM=offscreen python scripts/screenshots.py [--only NAME ...] [--out DIR]
                                                            [--screen 1280x720]

Each scene opens the main window on a configuration, as a first launch on a 1366 × 768 laptop
screen does (or on the ``--screen`` given; the PNGs are then named ``NAME-WxH.png``), trains it as fast as possible to a fixed number of epochs (or a time limit on a
slow machine), pauses (back at the configuration's own speed, which the tool bar shows) and saves
the window as a PNG; some then step one mini-batch, which brings the backprop inspector up beside
the boundary. main-window.png and main-window-inspector.png are the ones the README shows, with
the Slope, Landscape and compare-runs scenes: those train epoch by epoch (Step), so they show
exactly the epoch they name, bring their panel to the front, and the last pins its run, changes
a setting, resets and trains again.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

from screenshots_sizes import offscreen_environment, settle, wait

DEFAULT_SCREEN = (1366, 768)


def screen_argument(text: str) -> tuple[int, int]:
    width, _, height = text.partition("x")
    return int(width), int(height)


# the screen is fixed for the process before Qt starts: read it ahead of the other arguments
_early = argparse.ArgumentParser(add_help=False)
_early.add_argument("--screen", type=screen_argument, default=None)
SCREEN_ASKED = _early.parse_known_args()[0].screen
SCREEN = SCREEN_ASKED or DEFAULT_SCREEN
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if os.environ["QT_QPA_PLATFORM"] == "offscreen":
    # Qt's offscreen screen is 800 × 800 unless told otherwise: a laptop's instead
    os.environ.update(offscreen_environment(*SCREEN, tempfile.mkdtemp()))

from playground.config import DataSpec, Hyperparameters, NetworkSpec, PlaygroundConfig  # noqa: E402

OUT_DIR = Path(__file__).resolve().parent.parent / "resources" / "screenshots"


@dataclass(frozen=True)
class Scene:
    """One screenshot: what to train, for how long, and window options to switch on."""

    name: str
    config: PlaygroundConfig
    epochs: int
    time_limit: float = 60.0
    show_test_data: bool = False
    step_batch: bool = False      # then step one mini-batch: the inspector comes to the front
    front: str = ""               # a dock to bring to the front before training (its name)
    slope_data: str = "batch"     # what the Slope panel draws
    then: dict | None = None      # pin the run, change these settings, Reset and train again


def lesson_config(title: str) -> PlaygroundConfig:
    from playground.lessons import lesson

    return lesson(title).config


SCENES = (
    Scene("main-window", PlaygroundConfig(), epochs=300),
    Scene("main-window-inspector", PlaygroundConfig(), epochs=120, step_batch=True),
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
    Scene("slope-panel", lesson_config("Learning rate too high"), epochs=6, front="slopeDock",
          slope_data="train"),
    Scene("landscape-panel", replace(
        lesson_config("Momentum vs SGD on a ravine"),
        hyper=replace(lesson_config("Momentum vs SGD on a ravine").hyper, optimizer="momentum")),
        epochs=100, front="landscapeDock"),
    Scene("compare-runs", lesson_config("Mini-batches: many small noisy steps"), epochs=50,
          then={"batch_size": 100}),
)


def train_and_save(app, scene: Scene, settings, out_dir: Path) -> Path:
    from playground.qt.shell.main_window import MainWindow
    from playground.snapshot import PAUSED

    window = MainWindow(config=scene.config, settings=settings)
    window.show_test_data.setChecked(scene.show_test_data)
    window.slope_panel.set_data(scene.slope_data)
    window.show()
    controller = window.controller
    wait(app, lambda: window.rendered_snapshot is not None, 20.0)
    if scene.front or scene.then is not None:
        if scene.front:
            window.docks[scene.front].raise_()
        step_epochs(app, window, scene.epochs)
        if scene.then is not None:
            window.compare_runs.keeper.pin()
            wait(app, lambda: len(window.compare_runs.runs) == 1, 20.0)
            controller.set_hyperparameters(replace(scene.config.hyper, **scene.then))
            window.reset_action.trigger()
            wait(app, lambda: controller.latest_snapshot.epoch == 0
                 and controller.config.hyper != scene.config.hyper, 20.0)
            step_epochs(app, window, scene.epochs)
        return save(app, window, scene, out_dir)
    speed = scene.config.hyper
    controller.set_hyperparameters(replace(speed, epochs_per_second=None))
    controller.play()
    started = time.perf_counter()
    wait(app, lambda: (controller.latest_snapshot.epoch >= scene.epochs
                       or time.perf_counter() - started > scene.time_limit),
         scene.time_limit + 10.0)
    controller.pause()
    controller.set_hyperparameters(speed)
    wait(app, lambda: controller.latest_snapshot.state == PAUSED
         and controller.config.hyper == speed
         and window.rendered_snapshot.serial == controller.latest_snapshot.serial, 20.0)
    if scene.step_batch:
        window.step_batch_action.trigger()
        wait(app, lambda: window.inspector.stack.currentIndex() == 1, 20.0)
        settle(app, 1.0)     # the step's animation reaches the network's last layer
    return save(app, window, scene, out_dir)


def step_epochs(app, window, epochs: int) -> None:
    """Exactly ``epochs`` epochs, a Step each, and the last one's loss views drawn."""
    controller = window.controller
    target = controller.latest_snapshot.epoch + epochs
    for _ in range(epochs):
        controller.step_epoch()
    wait(app, lambda: controller.latest_snapshot.epoch == target, 60.0)
    settle(app, 1.5)         # the paused worker finishes the shown slice; the frame renders it


def save(app, window, scene: Scene, out_dir: Path) -> Path:
    from PySide6.QtCore import QEvent

    from playground.qt.theme import save_indexed_png

    app.processEvents()
    suffix = "" if SCREEN_ASKED is None else f"-{SCREEN[0]}x{SCREEN[1]}"
    path = out_dir / f"{scene.name}{suffix}.png"
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=[scene.name for scene in SCENES],
                        help="scenes to render (all by default)")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="folder for the PNGs")
    parser.add_argument("--screen", type=screen_argument, default=None,
                        help="the screen's size, WxH (1366x768 by default; the PNGs' names "
                             "then end in -WxH)")
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
