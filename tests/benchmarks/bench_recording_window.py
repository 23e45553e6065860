"""What recording costs training in the real window: epochs per second with and without a
recording, the GUI thread's time per frame (grab and copy), the encoder thread's time per frame,
and the file size of a 10-second recording (150 frames at 15 fps) of each panel and format.

    QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_recording_window.py [--seconds 10]

The window is the default playground at 1280 × 720, training as fast as possible (the
worker's own pace; the window draws at most ~30 times a second). Each recording takes a frame
at every screen update (epochs per frame 1). Prints figures (no asserts: the machine is shared;
read the ratios).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if os.environ["QT_QPA_PLATFORM"] == "offscreen":
    # a 1280 × 720 window (Qt's offscreen screen is 800 × 800 unless told otherwise; its
    # windows have a 2-pixel frame)
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
    from screenshots_sizes import offscreen_environment  # noqa: E402
    os.environ.update(offscreen_environment(1284, 724, tempfile.mkdtemp()))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

import playground.qt.files.recording as recording  # noqa: E402
from playground.config import PlaygroundConfig  # noqa: E402
from playground.qt.files.record_dialog import RecordingRequest  # noqa: E402
from playground.snapshot import PLAYING  # noqa: E402

FPS = 15
TRAIN_SECONDS = 6.0
GRAB_TIMES: list[float] = []
ENCODE_TIMES: list[float] = []


def spin(app, until, limit=120.0):
    started = time.perf_counter()
    while not until():
        app.processEvents()
        time.sleep(0.001)
        if time.perf_counter() - started > limit:
            raise TimeoutError("the window did not get there")


def timed_grab(original):
    def grab(widget, size=None):
        started = time.perf_counter()
        frame = original(widget, size)
        GRAB_TIMES.append(time.perf_counter() - started)
        return frame
    return grab


def timed_writer(original):
    def open_recording(path, fps):
        writer = original(path, fps)
        add = writer.add_frame

        def add_frame(frame):
            started = time.perf_counter()
            add(frame)
            ENCODE_TIMES.append(time.perf_counter() - started)   # on the encoder thread
        writer.add_frame = add_frame
        return writer
    return open_recording


def change(before: float, during: float) -> str:
    """"12 % slower" or "3 % faster"."""
    ratio = during / before - 1
    return f"{abs(ratio) * 100:.0f} % {'faster' if ratio > 0 else 'slower'}"


def training_speed(app, window, seconds: float) -> float:
    """Epochs per second over ``seconds`` of training, the window drawing as usual."""
    controller = window.controller
    start = controller.latest_snapshot.epoch
    started = time.perf_counter()
    spin(app, lambda: time.perf_counter() - started >= seconds)
    return (controller.latest_snapshot.epoch - start) / (time.perf_counter() - started)


def record(app, window, path, target, frames):
    GRAB_TIMES.clear()
    ENCODE_TIMES.clear()
    request = RecordingRequest(str(path), target, FPS, 1, frames)
    teaching = window.teaching.recording
    assert teaching.start(request)
    recorder = teaching.recorder
    started = time.perf_counter()
    spin(app, lambda: recorder.finished)
    wall = time.perf_counter() - started
    teaching.progress.close()
    return recorder, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="of playback")
    arguments = parser.parse_args()
    frames = int(arguments.seconds * FPS)
    recording.grab_rgb = timed_grab(recording.grab_rgb)
    recording.open_recording = timed_writer(recording.open_recording)

    from playground.qt.shell.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    config = PlaygroundConfig()
    config = replace(config, hyper=replace(config.hyper, epochs_per_second=None))
    with tempfile.TemporaryDirectory() as folder:
        settings = QSettings(str(Path(folder) / "bench.ini"), QSettings.Format.IniFormat)
        window = MainWindow(config=config, settings=settings)
        window.file_actions._interactive = False
        window.show()
        spin(app, lambda: window.rendered_snapshot is not None)
        window.controller.play()
        spin(app, lambda: window.controller.state == PLAYING)
        training_speed(app, window, 1.0)           # warm up
        print(f"Window {window.width()} × {window.height()}, training as fast as possible; "
              f"{frames} frames at {FPS} fps = {arguments.seconds:g} s of playback")
        for target, kind in (("boundary", "gif"), ("boundary", "apng"), ("window", "gif"),
                             ("window", "apng"), ("network", "gif"), ("plots", "gif")):
            before = training_speed(app, window, TRAIN_SECONDS)
            suffix = ".gif" if kind == "gif" else ".png"
            path = Path(folder) / f"{target}-{kind}{suffix}"
            recorder, wall = record(app, window, path, target, frames)
            during = recorder.speed_while_recording()
            width, height = recorder.size
            print(f"{target:8} {kind:4} {width} × {height}: training {before:,.0f} epochs/s "
                  f"without, {during:,.0f} while recording ({change(before, during)}); GUI thread {statistics.median(GRAB_TIMES) * 1000:.1f} ms a frame "
                  f"(grab + copy), encoder thread {statistics.median(ENCODE_TIMES) * 1000:.1f} "
                  f"ms a frame; {recorder.frames} frames in {wall:.1f} s; file "
                  f"{path.stat().st_size / 1e6:.2f} MB")
        window.controller.pause()
        window.close()
        app.processEvents()


if __name__ == "__main__":
    main()
