"""Render the main window on laptop and desktop screens and check its layout at each size.

    python scripts/screenshots_sizes.py [--out DIR] [--sizes 1024x640 ...] [--xvfb]

For every screen size (1024 × 640, 1280 × 720, 1366 × 768, 1920 × 1080 by default) a fresh
process opens the window as on a first launch on such a screen, trains the default playground
for a few hundred epochs, saves ``window-WxH.png``, steps one mini-batch (the inspector comes to
the front) and saves ``window-WxH-inspector.png`` and ``window-WxH-update.png`` (the update of a
weight). It prints what ``playground.qt.shell.layout_check`` found at each size and exits 1 if
anything overlaps or leaves the screen.

Offscreen (the default) the screen is Qt's offscreen platform set to that size; with ``--xvfb``
it is a real X server of that size (Xvfb must be installed) and the PNGs are grabs of the whole
screen. Nothing here reads or writes the user's settings.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

SIZES = ((1024, 640), (1280, 720), (1366, 768), (1920, 1080))
TRAIN_EPOCHS = 300
DEFAULT_OUT = Path(tempfile.gettempdir()) / "backprop-playground-sizes"


def offscreen_environment(width: int, height: int, folder: str) -> dict:
    """Environment variables giving Qt's offscreen platform one screen of the given size."""
    config = Path(folder) / f"screen-{width}x{height}.json"
    config.write_text(json.dumps({"screens": [{"name": "screen", "x": 0, "y": 0, "width": width,
                                               "height": height, "logicalDpi": 96}]}))
    return {"QT_QPA_PLATFORM": f"offscreen:configfile={config}"}


def start_xvfb(width: int, height: int) -> tuple[subprocess.Popen, str]:
    """An Xvfb server with one screen of this size, on a display number it picks itself."""
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0",
                               f"{width}x{height}x24", "-nolisten", "tcp"], pass_fds=(write,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as numbers:
        number = numbers.readline().strip()
    if not number:
        server.kill()
        raise RuntimeError("Xvfb did not start")
    return server, f":{number}"


def run_size(width: int, height: int, out: Path | None, xvfb: bool, folder: str,
             epochs: int = TRAIN_EPOCHS, settings: str | None = None) -> dict:
    """Open, train, step and measure the window in a child process on a screen of this size
    (``settings``: the layout file it reads and writes; a fresh one in ``folder`` if None)."""
    settings = settings or os.path.join(folder, f"settings-{width}x{height}.ini")
    command = [sys.executable, os.path.abspath(__file__), "--child", f"{width}x{height}",
               "--settings", settings, "--epochs", str(epochs)]
    if out is not None:
        command += ["--out", str(out)]
    environment = {**os.environ, "HOME": folder}
    server = None
    try:
        if xvfb:
            server, display = start_xvfb(width, height)
            environment.update(DISPLAY=display, QT_QPA_PLATFORM="xcb")
            command.append("--grab-screen")
        else:
            environment.update(offscreen_environment(width, height, folder))
        result = subprocess.run(command, capture_output=True, text=True, env=environment,
                                timeout=300)
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
    if result.returncode != 0:
        raise RuntimeError(f"{width}x{height}: the window failed\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def child(size: str, settings_path: str, out: Path | None, grab_screen: bool,
          epochs: int) -> int:
    """Runs in the child: the window on this process's screen, measured and saved."""
    from PySide6.QtCore import QSettings, Qt

    from playground.app import create_window, ensure_application
    from playground.qt.shell.layout_check import layout_report
    from playground.snapshot import PAUSED

    app = ensure_application()
    window = create_window(settings=QSettings(settings_path, QSettings.Format.IniFormat))
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.show()
    controller = window.controller
    wait(app, lambda: window.rendered_snapshot is not None)
    speed = controller.config.hyper
    controller.set_hyperparameters(replace(speed, epochs_per_second=None))
    controller.play()
    wait(app, lambda: controller.latest_snapshot.epoch >= epochs, 120.0)
    controller.pause()
    controller.set_hyperparameters(speed)   # pictures show the speed a new playground has
    wait(app, lambda: controller.latest_snapshot.state == PAUSED
         and controller.config.hyper == speed
         and window.rendered_snapshot.serial == controller.latest_snapshot.serial)
    settle(app)
    report = {"plots": layout_report(window)}
    save(window, out, f"window-{size}.png", grab_screen)

    window.step_batch_action.trigger()
    wait(app, lambda: window.inspector.stack.currentIndex() == 1)
    settle(app)
    report["inspector"] = layout_report(window)
    save(window, out, f"window-{size}-inspector.png", grab_screen)
    window.inspector.tabs.setCurrentIndex(2)
    settle(app)
    save(window, out, f"window-{size}-update.png", grab_screen)
    window.close()
    app.processEvents()
    print(json.dumps(report))
    return 0


def wait(app, condition, timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the window did not get there in time")
        app.processEvents()
        time.sleep(0.005)


def settle(app, seconds: float = 0.4) -> None:
    """Let layouts, deferred resizes and the step's animation frame settle."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.01)


def save(window, out: Path | None, name: str, grab_screen: bool) -> None:
    if out is None:
        return
    out.mkdir(parents=True, exist_ok=True)
    picture = window.screen().grabWindow(0) if grab_screen else window.grab()
    if not picture.save(str(out / name)):
        raise OSError(f"could not write {out / name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None,
                        help=f"folder for the PNGs (default {DEFAULT_OUT})")
    parser.add_argument("--sizes", nargs="*", default=[f"{w}x{h}" for w, h in SIZES],
                        help="screen sizes, WIDTHxHEIGHT")
    parser.add_argument("--xvfb", action="store_true",
                        help="on an Xvfb server of each size instead of the offscreen platform")
    parser.add_argument("--no-images", action="store_true", help="measure only")
    parser.add_argument("--epochs", type=int, default=TRAIN_EPOCHS,
                        help="epochs trained before the pictures")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--settings", help=argparse.SUPPRESS)
    parser.add_argument("--grab-screen", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child, args.settings, args.out, args.grab_screen, args.epochs)
    if args.xvfb and shutil.which("Xvfb") is None:
        parser.error("--xvfb needs Xvfb (the package xvfb)")
    out = None if args.no_images else (args.out or DEFAULT_OUT)
    failed = False
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            width, height = (int(part) for part in size.split("x"))
            report = run_size(width, height, out, args.xvfb, folder, args.epochs)
            for scene, measured in report.items():
                print(f"{size} {scene}: window {measured['window']} on screen "
                      f"{measured['screen']}; {len(measured['problems'])} problems")
                for problem in measured["problems"]:
                    print(f"    {problem}")
                failed |= bool(measured["problems"])
    if out is not None:
        print(f"PNGs in {out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
