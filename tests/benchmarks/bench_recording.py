"""Recording cost: encoding time per frame, file size and memory of a synthetic 10-second
recording of a 600 × 400 boundary panel at 15 frames per second (150 frames).

    python tests/benchmarks/bench_recording.py [--seconds 10] [--fps 15] [--size 600x400]

The panel is what the boundary view draws while training: the orange-white-blue shading of the
decision function (moving a little every frame), 250 points in the two class colours on top,
and a frame of axes. Times are medians over the frames (one core; read the ratios).
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

from playground.recording import FORMATS, open_recording

ORANGE, WHITE, BLUE = (np.array(colour, float) for colour in
                       ([245, 147, 34], [232, 234, 235], [8, 119, 189]))


def panel(index: int, width: int, height: int, points: np.ndarray, labels: np.ndarray):
    y, x = np.mgrid[0:height, 0:width] / max(width, height) * 12 - 6
    angle = 0.02 * index
    field = np.tanh(0.6 * (x * np.cos(angle) + y * np.sin(angle)) + 0.3 * np.sin(x * y / 4))
    t = ((field + 1) / 2)[..., None]
    shade = np.where(t < 0.5, ORANGE + (WHITE - ORANGE) * 2 * t,
                     WHITE + (BLUE - WHITE) * (2 * t - 1))
    frame = (0.6 * shade + 0.4 * WHITE).round().astype(np.uint8)      # the view's soft shading
    for (px, py), label in zip(points, labels):
        frame[py - 2: py + 3, px - 2: px + 3] = ORANGE if label == 0 else BLUE
    frame[[0, -1]] = frame[:, [0, -1]] = 60
    return frame


def measure(kind: str, seconds: float, fps: float, width: int, height: int, folder: Path):
    rng = np.random.default_rng(0)
    points = np.column_stack([rng.integers(3, width - 3, 250), rng.integers(3, height - 3, 250)])
    labels = rng.integers(0, 2, 250)
    frames = [panel(index, width, height, points, labels) for index in range(int(seconds * fps))]
    path = folder / f"recording{FORMATS[kind].suffixes[0]}"
    times = []
    tracemalloc.start()
    writer = open_recording(path, fps)
    for frame in frames:
        started = time.perf_counter()
        writer.add_frame(frame)
        times.append(time.perf_counter() - started)
    writer.close()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times), max(times), path.stat().st_size, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--fps", type=float, default=15.0)
    parser.add_argument("--size", default="600x400")
    arguments = parser.parse_args()
    width, height = (int(side) for side in arguments.size.split("x"))
    frame_bytes = width * height * 3
    with tempfile.TemporaryDirectory() as folder:
        for kind, entry in FORMATS.items():
            if not entry.available:
                print(f"{entry.label}: not available (no ffmpeg)")
                continue
            median, worst, size, peak = measure(kind, arguments.seconds, arguments.fps, width,
                                                height, Path(folder))
            print(f"{entry.label}: {median * 1000:.1f} ms a frame (worst {worst * 1000:.1f}), "
                  f"{size / 1e6:.2f} MB for {arguments.seconds:g} s, peak traced memory "
                  f"{peak / 1e6:.2f} MB = {peak / frame_bytes:.1f} frames")


if __name__ == "__main__":
    main()
