"""Benchmark: how long the worst hostile files take to be refused, and what they cost in memory;
and how long the window stalls while the largest valid file loads.

Run by hand (prints figures, asserts nothing about time):

    QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_hostile.py [--keep DIR]

Each hostile file is built first (some take a few seconds to compress), then opened through
the app's own reader in a fresh process, which reports the time to the refusal and how far its
peak resident memory grew past what the imports had taken. Targets (issue 14): every hostile
file refused within 2 s and +200 MB; the window never unresponsive for more than 0.5 s while a
file loads (a 5-ms QTimer probe, from Open until the loaded playground is drawn).
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import resource
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402

from playground.config import DataSpec, Hyperparameters, NetworkSpec, PlaygroundConfig  # noqa: E402
from playground.session import Playground  # noqa: E402
from playground.storage import capture, save_playground, write_content  # noqa: E402
from playground.storage import format as fmt  # noqa: E402

MiB = 2**20


# --------------------------------------------------------------------------- building the files
def small_content() -> dict:
    return capture(Playground(PlaygroundConfig(data=DataSpec(n_samples=40))))


def edited(folder: Path, name: str, edit) -> Path:
    content = small_content()
    edit(content)
    path = folder / name
    write_content(path, content)
    return path


def zeros_member(archive: zipfile.ZipFile, name: str, size: int) -> None:
    with archive.open(name, "w", force_zip64=size > 2**31) as member:
        chunk = bytes(MiB)
        for _ in range(size // MiB):
            member.write(chunk)


def sealed_zip(folder: Path, name: str, manifest: dict, zero_members: dict[str, int]) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
        for member, size in zero_members.items():
            zeros_member(archive, member, size)
    path = folder / name
    path.write_bytes(fmt.seal(buffer.getvalue()))
    return path


def manifest_declaring(arrays: dict[str, tuple[str, list]]) -> dict:
    return {"format": fmt.FORMAT_NAME, "format_version": 1, "app_version": "0",
            "arrays": {name: {"dtype": dtype, "shape": shape, "sha256": "0" * 64}
                       for name, (dtype, shape) in arrays.items()},
            "content": {name: {"__array__": name} for name in arrays}}


def zip_bomb(folder: Path) -> Path:
    """1 GiB of zeros in about 1 MB, declared as a 1 GiB array."""
    return sealed_zip(folder, "zip-bomb.bpp", manifest_declaring({"x.npy": ("<f8", [2**27])}),
                      {"arrays/x.npy": 2**30})


def inflating_member(folder: Path) -> Path:
    """A member declaring 1 KiB whose deflate stream inflates to 512 MiB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json",
                         json.dumps(manifest_declaring({"x.npy": ("<f8", [128])})))
        zeros_member(archive, "arrays/x.npy", 512 * MiB)
    body = bytearray(buffer.getvalue())
    for signature, crc_at, size_at in ((b"PK\x03\x04", 14, 22), (b"PK\x01\x02", 16, 24)):
        header = body.rfind(signature, 0, body.find(b"arrays/x.npy", body.find(signature)))
        struct.pack_into("<L", body, header + crc_at, zlib.crc32(bytes(1024)))
        struct.pack_into("<L", body, header + size_at, 1024)
    path = folder / "inflating-member.bpp"
    path.write_bytes(fmt.seal(bytes(body)))
    return path


def huge_directory(folder: Path) -> Path:
    """A 94 MB file whose central directory lists two million (empty) members."""
    entries = 2_000_000
    local = b"PK\x03\x04" + struct.pack("<5H3L2H", 20, 0, 0, 0, 0, 0, 0, 0, 1, 0) + b"a"
    entry = (b"PK\x01\x02" + struct.pack("<6H3L5H2L", 20, 20, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
                                         0, 0, 0) + b"a")
    directory = entry * entries
    end = b"PK\x05\x06" + struct.pack("<4H2LH", 0, 0, 0xFFFF, 0xFFFF, len(directory),
                                      len(local), 0)
    path = folder / "huge-directory.bpp"
    path.write_bytes(fmt.seal(local + directory + end))
    return path


def twenty_million_points(folder: Path) -> Path:
    n = 20_000_000
    return sealed_zip(folder, "20M-points.bpp",
                      manifest_declaring({"dataset/X.npy": ("<f8", [n, 2]),
                                          "dataset/y.npy": ("<i8", [n])}),
                      {"arrays/dataset/X.npy": 16 * n, "arrays/dataset/y.npy": 8 * n})


def million_unit_layer(folder: Path) -> Path:
    units = 1_000_000

    def edit(content):
        content["config"]["network"]["hidden_layers"] = [units]
        content["config"]["network"]["activations"] = ["tanh"]
        content["network"].update(layer_sizes=[2, units, 1], activations=["tanh"],
                                  parameters=np.zeros(3 * units + units + 1))
        content["trainer"]["optimizer"] = {}
    return edited(folder, "million-unit-layer.bpp", edit)


def arrays_behind_a_valid_checksum(folder: Path) -> Path:
    """88 MB of zeros, correctly declared and sealed, in content that is no playground: the
    worst a file within the limits can cost, since it is refused only after reading."""
    from playground.storage import npy

    data = npy.encode(np.zeros(11_000_000))
    manifest = manifest_declaring({"x.npy": ("<f8", [11_000_000])})
    manifest["arrays"]["x.npy"]["sha256"] = hashlib.sha256(data).hexdigest()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
        archive.writestr("arrays/x.npy", data)
    path = folder / "valid-arrays.bpp"
    path.write_bytes(fmt.seal(buffer.getvalue()))
    return path


def ten_thousand_layers(folder: Path) -> Path:
    def edit(content):
        content["config"]["network"].update(hidden_layers=[1] * 10_000,
                                            activations=["tanh"] * 10_000)
        content["network"].update(layer_sizes=[2, *[1] * 10_000, 1],
                                  activations=["tanh"] * 10_000,
                                  parameters=np.zeros(3 + 2 * 10_000))
        content["trainer"]["optimizer"] = {}
    return edited(folder, "ten-thousand-layers.bpp", edit)


def manifest_text(folder: Path, name: str, text: bytes) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", text)
    path = folder / name
    path.write_bytes(fmt.seal(buffer.getvalue()))
    return path


def deep_json(folder: Path) -> Path:
    return manifest_text(folder, "deep-json.bpp", b"[" * 500_000 + b"]" * 500_000)


def long_integer(folder: Path) -> Path:
    return manifest_text(folder, "long-integer.bpp", b'{"format": ' + b"7" * 900_000 + b"}")


def weights_1e308(folder: Path) -> Path:
    def edit(content):
        content["network"]["parameters"][:] = 1e308
    return edited(folder, "weights-1e308.bpp", edit)


def ten_million_row_csv(folder: Path) -> Path:
    path = folder / "ten-million-rows.csv"
    with open(path, "wb") as handle:
        handle.write(b"x1,x2,label\n")
        block = b"0.5,-1.25,1\n" * 100_000
        for _ in range(100):
            handle.write(block)
    return path


def named_pipe(folder: Path) -> Path:
    path = folder / "named-pipe.bpp"
    os.mkfifo(path)
    return path


def largest_valid(folder: Path) -> Path:
    """The largest playground the limits allow: 20,000 points, 8 × 32 neurons, nine features,
    Adam, a million rows of history."""
    features = ("x1", "x2", "x1_sq", "x2_sq", "x1_x2", "sin_x1", "sin_x2", "cos_x1", "cos_x2")
    playground = Playground(PlaygroundConfig(
        data=DataSpec(generator="spiral", n_samples=20_000, classes=6, noise=0.2),
        network=NetworkSpec(hidden_layers=(32,) * 8, activations=("tanh",) * 8,
                            features=features),
        hyper=Hyperparameters(optimizer="adam", batch_size=7)))
    playground.step_batch()
    rows = 1_000_000
    rng = np.random.default_rng(0)
    playground.history.replace_all({
        "epochs": np.arange(1, rows + 1), "train_loss": rng.random(rows),
        "test_loss": rng.random(rows), "train_accuracy": rng.random(rows),
        "test_accuracy": rng.random(rows), "learning_rate": np.full(rows, 0.03),
        "batch_size": np.full(rows, 7)})
    playground.trainer.epoch = rows
    path = folder / "largest-valid.bpp"
    save_playground(path, playground)
    return path


HOSTILE = [
    ("zip bomb: 1 GiB of zeros in 1 MB", zip_bomb),
    ("member declaring 1 KiB, inflating to 512 MiB", inflating_member),
    ("central directory of 2 million entries", huge_directory),
    ("20 million points", twenty_million_points),
    ("88 MB of arrays behind a valid checksum", arrays_behind_a_valid_checksum),
    ("a layer of a million units", million_unit_layer),
    ("10,000 layers", ten_thousand_layers),
    ("manifest nested 500,000 deep", deep_json),
    ("a 900,000-digit integer", long_integer),
    ("weights of 1e308", weights_1e308),
    ("CSV of ten million rows", ten_million_row_csv),
    ("named pipe", named_pipe),
    ("largest valid playground (loads)", largest_valid),
]


# --------------------------------------------------------------------------- measuring a load
def peak_resident_kib() -> int:
    """This process's peak resident memory. Linux's VmHWM belongs to the process image, unlike
    ru_maxrss, which a child started by a big parent inherits from it."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def measure_one(path: str) -> None:
    """In a fresh process: open ``path`` as the app does; print time, memory, outcome."""
    from playground.data import read_csv
    from playground.qt.files.loading import open_playground

    baseline = peak_resident_kib()
    start = time.perf_counter()
    try:
        if path.endswith(".csv"):
            read_csv(path)
        else:
            open_playground(path)
        outcome = "loaded"
    except ValueError as error:         # StorageError and CsvError
        outcome = f"refused: {error}"
    elapsed = time.perf_counter() - start
    grown = peak_resident_kib() - baseline
    print(json.dumps({"seconds": elapsed, "megabytes": grown / 1024, "outcome": outcome}))


def measure(path: Path) -> dict:
    result = subprocess.run([sys.executable, __file__, "--measure", str(path)],
                            capture_output=True, text=True, timeout=600)
    if result.returncode:
        return {"seconds": float("nan"), "megabytes": float("nan"),
                "outcome": f"crashed: {result.stderr.strip()[-300:]}"}
    return json.loads(result.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- the window stall
def window_stall(path: Path) -> tuple[float, float]:
    """(longest gap between 5-ms probe ticks, seconds until drawn) while ``path`` opens."""
    from PySide6.QtCore import QSettings, QTimer

    from playground.app import create_window, ensure_application

    app = ensure_application()
    with tempfile.TemporaryDirectory() as settings_folder:
        window = create_window(settings=QSettings(str(Path(settings_folder) / "s.ini"),
                                                  QSettings.Format.IniFormat))
        window.show()
        while window.rendered_snapshot is None:
            app.processEvents()
        gaps, last = [], [time.perf_counter()]

        def tick():
            now = time.perf_counter()
            gaps.append(now - last[0])
            last[0] = now

        probe = QTimer()
        probe.timeout.connect(tick)
        probe.start(5)
        start = time.perf_counter()
        window.open_file(str(path))
        while (window.rendered_snapshot.epoch != 1_000_000
               or window.file_actions.loading):
            app.processEvents()
        drawn = time.perf_counter() - start
        settle = time.perf_counter() + 1.0
        while time.perf_counter() < settle:
            app.processEvents()
        probe.stop()
        window.close()
    return max(gaps), drawn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--keep", metavar="DIR", help="build the files in DIR and keep them")
    args = parser.parse_args()
    if args.measure:
        measure_one(args.measure)
        return
    folder = Path(args.keep or tempfile.mkdtemp(prefix="bench-hostile-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        print(f"{'file':48s} {'size':>9s} {'time':>8s} {'memory':>9s}  outcome")
        largest = None
        for title, build in HOSTILE:
            path = build(folder)
            largest = path if build is largest_valid else largest
            size = path.stat().st_size if path.is_file() else 0
            result = measure(path)
            print(f"{title:48s} {size / MiB:7.1f}MB {result['seconds']:7.2f}s "
                  f"{result['megabytes']:+7.0f}MB  {result['outcome'][:90]}")
        gap, drawn = window_stall(largest)
        print(f"\nwindow opening the largest valid file: longest stall {gap * 1000:.0f} ms "
              f"(5-ms probe), drawn after {drawn:.2f} s")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
