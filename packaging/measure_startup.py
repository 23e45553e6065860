"""Measure a built app's start-up: wall time from launch until its window is shown on an X server.

    python packaging/measure_startup.py dist/backprop-playground/backprop-playground --runs 5

Starts its own Xvfb (or uses --display), launches the app with a fresh settings folder, and polls
the X server with xdotool until a viewable window belonging to the app's process exists -- the
moment the window is mapped, seen from outside, with no hook in the app. Prints each run and the
median; the first run is usually the slowest (cold file cache). Needs Xvfb and xdotool
(Debian packages xvfb, xdotool). Standard library only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

POLL_INTERVAL_S = 0.01


@contextmanager
def xvfb(screen: str = "1280x1024x24"):
    """Run a private Xvfb server; yields its DISPLAY string (":N")."""
    if shutil.which("Xvfb") is None:
        raise RuntimeError("Xvfb is not installed (Debian: apt-get install xvfb)")
    read_end, write_end = os.pipe()
    # -displayfd: Xvfb picks a free display number and writes it to the pipe once it is ready.
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", screen, "-nolisten", "tcp",
         "-noreset"],
        pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise RuntimeError(f"Xvfb exited with code {server.wait(5)} before it was ready")
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(10)


def app_environment(display: str | None, config_dir: str) -> dict[str, str]:
    """The environment a user's desktop would give the app: no Python variables from this shell."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("PYTHON") and key not in {"VIRTUAL_ENV", "QT_QPA_PLATFORM"}}
    env["XDG_CONFIG_HOME"] = config_dir  # fresh settings: no saved layout, nothing of the user's
    if display is not None:
        env["DISPLAY"] = display
        env["QT_QPA_PLATFORM"] = "xcb"
    return env


def window_is_shown(pid: int, display: str) -> bool:
    result = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--pid", str(pid)],
        env={**os.environ, "DISPLAY": display}, capture_output=True, text=True,
    )
    return result.returncode == 0 and result.stdout.strip() != ""


def time_to_window(app: list[str], display: str, timeout: float = 60.0) -> float:
    """Seconds from launching `app` until one of its windows is viewable on `display`."""
    if shutil.which("xdotool") is None:
        raise RuntimeError("xdotool is not installed (Debian: apt-get install xdotool)")
    with tempfile.TemporaryDirectory(prefix="bpp-startup-") as config_dir:
        started = time.perf_counter()
        process = subprocess.Popen(app, env=app_environment(display, config_dir),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            while not window_is_shown(process.pid, display):
                if process.poll() is not None:
                    raise RuntimeError(f"the app exited with code {process.returncode} before "
                                       f"showing a window:\n{process.stderr.read().decode()}")
                if time.perf_counter() - started > timeout:
                    raise TimeoutError(f"no window within {timeout} s")
                time.sleep(POLL_INTERVAL_S)
            return time.perf_counter() - started
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            process.stderr.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("app", type=Path, help="the built app's executable")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--display", help="use this X display instead of starting Xvfb")
    args = parser.parse_args(argv)

    def measure(display: str) -> list[float]:
        times = []
        for run in range(1, args.runs + 1):
            seconds = time_to_window([str(args.app)], display)
            times.append(seconds)
            print(f"run {run}: window shown after {seconds:.2f} s", flush=True)
        return times

    if args.display:
        times = measure(args.display)
    else:
        with xvfb() as display:
            times = measure(display)
    print(f"start to shown window: median {statistics.median(times):.2f} s, "
          f"min {min(times):.2f} s, max {max(times):.2f} s over {len(times)} runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
