"""Hostile and broken saved files: each is refused quickly, in bounded memory, with a message
naming what is wrong; and whatever state the app can be in saves and reopens."""
import io
import json
import os
import struct
import threading
import time
import tracemalloc
import zipfile
import zlib

import numpy as np
import pytest

from playground.config import DataSpec, Hyperparameters, NetworkSpec, PlaygroundConfig
from playground.data import Dataset
from playground.session import Playground
from playground.storage import (
    StorageError, capture, load_playground, save_playground, write_content,
)
from playground.storage import format as fmt
from playground.storage.container import TRAILER_BYTES

MiB = 2**20


def small_playground(**hyper) -> Playground:
    return Playground(PlaygroundConfig(
        data=DataSpec(n_samples=40, seed=1),
        network=NetworkSpec(hidden_layers=(3,), activations=("tanh",)),
        hyper=Hyperparameters(**hyper)))


def saved_with(tmp_path, edit):
    content = capture(small_playground())
    edit(content)
    path = tmp_path / "edited.bpp"
    write_content(path, content)
    return path


def unsealed(data: bytes) -> bytearray:
    """A sealed file without its trailer (the zip comment), ready for surgery and fmt.seal."""
    body = bytearray(data[:-TRAILER_BYTES])
    body[-2:] = b"\0\0"
    return body


def peak_memory_of(action) -> tuple[int, str]:
    """(bytes allocated at the peak, message) of ``action()``, which must raise StorageError."""
    tracemalloc.start()
    try:
        with pytest.raises(StorageError) as caught:
            action()
        return tracemalloc.get_traced_memory()[1], str(caught.value)
    finally:
        tracemalloc.stop()


# -- 1. whatever the app can be in, it can save and reopen --------------------------------------
@pytest.mark.parametrize("points", [0, 3])
def test_a_cleared_canvas_or_fewer_points_than_the_batch_size_reopen(tmp_path, points):
    playground = small_playground(batch_size=10)
    X = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 2.0]])[:points]
    playground.set_dataset(Dataset(X, np.array([0, 1, 0])[:points], "classification", 2))
    path = tmp_path / "few.bpp"
    save_playground(path, playground)
    reopened = load_playground(path)
    assert reopened.dataset == playground.dataset
    assert reopened.config == playground.config and reopened.config.hyper.batch_size == 10


# -- 3. no network or dataset larger than the controls allow -------------------------------------
def test_ten_thousand_layers_are_refused(tmp_path):
    def deep(content):
        content["config"]["network"].update(hidden_layers=[1] * 10_000,
                                            activations=["tanh"] * 10_000)
        content["network"].update(layer_sizes=[2, *[1] * 10_000, 1],
                                  activations=["tanh"] * 10_000,
                                  parameters=np.zeros(3 + 2 * 10_000))

    with pytest.raises(StorageError, match="number of config.network.hidden_layers is 10000; "
                                           "it must be 0..8"):
        load_playground(saved_with(tmp_path, deep))


def test_a_layer_of_a_million_units_is_refused_before_its_weights_are_looked_at(tmp_path):
    def wide(content):
        content["config"]["network"]["hidden_layers"] = [1_000_000]

    with pytest.raises(StorageError, match=r"hidden_layers\[0\] is 1000000; it must be 1..32"):
        load_playground(saved_with(tmp_path, wide))


def test_more_points_than_allowed_are_refused(tmp_path):
    many = np.random.default_rng(0).uniform(-5, 5, size=(20_001, 2))
    playground = small_playground()
    playground.set_dataset(Dataset(many, np.arange(20_001) % 2, "classification", 2))
    path = tmp_path / "many.bpp"
    save_playground(path, playground)
    with pytest.raises(StorageError, match="dataset has 20,001 points; at most 20,000"):
        load_playground(path)


# -- 4. memory and time before refusal ----------------------------------------------------------
def test_a_member_inflating_past_its_declared_size_costs_no_more_than_declared(surgery):
    members = surgery.members(fmt.encode_archive({"x": np.zeros(100)}))
    members["arrays/x.npy"] = bytes(32 * MiB)         # deflates to 32 kB
    body = unsealed(surgery.rebuild(members, fix_digests=False))
    declared, crc = 1024, zlib.crc32(bytes(1024))
    for signature, crc_at, size_at in ((b"PK\x03\x04", 14, 22), (b"PK\x01\x02", 16, 24)):
        name_at = body.find(b"arrays/x.npy", body.find(signature))
        header = body.rfind(signature, 0, name_at)
        struct.pack_into("<L", body, header + crc_at, crc)
        struct.pack_into("<L", body, header + size_at, declared)
    hostile = fmt.seal(bytes(body))
    peak, message = peak_memory_of(lambda: fmt.decode_archive(hostile))
    assert peak < 8 * MiB, f"{peak / MiB:.0f} MiB"
    assert "arrays/x.npy" in message


def test_a_zip_bomb_is_refused_from_its_declared_sizes_before_inflating(tmp_path):
    # 100 MiB of zeros in 100 kB: more than any playground unpacks to
    manifest = {"format": "backprop-playground", "format_version": 1, "app_version": "0",
                "arrays": {"x.npy": {"dtype": "<f8", "shape": [100 * MiB // 8],
                                     "sha256": "0" * 64}},
                "content": {"x": {"__array__": "x.npy"}}}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
        with archive.open("arrays/x.npy", "w") as member:
            chunk = bytes(MiB)
            for _ in range(100):
                member.write(chunk)
    hostile = fmt.seal(buffer.getvalue())
    assert len(hostile) < MiB
    peak, message = peak_memory_of(lambda: fmt.decode_archive(hostile))
    assert peak < 8 * MiB, f"{peak / MiB:.0f} MiB"
    assert "would unpack to 100 MB, more than the 96 MB limit" in message


def test_a_huge_directory_is_refused_before_zipfile_parses_it(monkeypatch):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for index in range(5000):
            archive.writestr(f"m{index}", b"")
    hostile = fmt.seal(buffer.getvalue())
    parsed = []
    real = zipfile.ZipFile
    monkeypatch.setattr(fmt.zipfile, "ZipFile", lambda *a, **k: parsed.append(1) or real(*a, **k))
    with pytest.raises(StorageError, match="lists 5,000 members, more than 4,096"):
        fmt.decode_archive(hostile)
    assert parsed == []


def test_a_zip64_record_is_refused():
    body = unsealed(fmt.encode_archive({"x": np.zeros(3)}))
    end = len(body) - 22
    locator = b"PK\x06\x07" + struct.pack("<LQL", 0, 0, 1)
    hostile = fmt.seal(bytes(body[:end] + locator + body[end:]))
    with pytest.raises(StorageError, match="ZIP64"):
        fmt.decode_archive(hostile)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_refused_instead_of_waiting_for_a_writer(tmp_path):
    pipe = tmp_path / "pipe.bpp"
    os.mkfifo(pipe)
    outcome = []

    def load():
        try:
            load_playground(pipe)
        except StorageError as error:
            outcome.append(str(error))

    reader = threading.Thread(target=load, daemon=True)
    reader.start()
    reader.join(60)              # a guard against hanging the suite, not a time limit
    if reader.is_alive():        # unblock it: open the pipe for writing, then close it
        os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
    assert outcome == ["pipe.bpp is not a regular file (a folder, a device or a pipe cannot be "
                       "read as one)"]


# -- 5. settings the controls could not have set --------------------------------------------------
@pytest.mark.parametrize("section, field, value, message", [
    ("data", "generator", "swirl", "config.data.generator is 'swirl'; it must be one of circle"),
    ("data", "noise", 1e300, "config.data.noise is 1e\\+300; it must be 0..0.5"),
    ("data", "n_samples", 0, "config.data.n_samples is 0; it must be 1..20,000"),
    ("hyper", "epochs_per_second", 0, "epochs_per_second is 0.0; it must be null"),
    ("hyper", "epochs_per_second", 1e-300, "epochs_per_second is 1e-300; it must be null"),
    ("hyper", "learning_rate", 1e9, "learning_rate is 1000000000.0; it must be 1e-07..100"),
    ("hyper", "optimizer", "lbfgs", "optimizer is 'lbfgs'"),
    ("hyper", "precision", "float16",
     "config.hyper.precision is 'float16'; it must be one of float64, float32"),
    ("network", "features", ["x1", "x1"], "names a feature twice"),
    ("network", "seed", -1, "config.network.seed is -1"),
])
def test_settings_outside_the_controls_are_refused(tmp_path, section, field, value, message):
    def edit(content):
        content["config"][section][field] = value

    with pytest.raises(StorageError, match=message):
        load_playground(saved_with(tmp_path, edit))


def test_an_epoch_count_past_two_to_the_63_is_refused(tmp_path):
    def edit(content):
        content["trainer"]["state"]["epoch"] = 2**63      # no history yet to disagree with

    with pytest.raises(StorageError, match="trainer.state.epoch is 9223372036854775808"):
        load_playground(saved_with(tmp_path, edit))


# -- 6. finite but absurd numbers -----------------------------------------------------------------
def test_weights_of_1e308_are_refused(tmp_path):
    def edit(content):
        content["network"]["parameters"][::2] = 1e308
        content["network"]["parameters"][1::2] = -1e308

    with pytest.raises(StorageError, match=r"network.parameters holds 1e\+308; values must lie "
                                           r"within ±1e\+150"):
        load_playground(saved_with(tmp_path, edit))


def test_points_at_1e308_are_refused(tmp_path):
    def edit(content):
        content["dataset"]["X"][3, 1] = 1e308

    with pytest.raises(StorageError, match=r"dataset.X holds 1e\+308; values must lie within "
                                           r"±10000"):
        load_playground(saved_with(tmp_path, edit))


# -- 8. and 10. messages -------------------------------------------------------------------------
def test_a_long_version_string_is_quoted_as_an_excerpt(surgery):
    data = fmt.encode_archive({"x": 1})
    manifest = surgery.manifest(data)
    manifest.update(format_version=99, app_version="9" * 900_000)
    with pytest.raises(StorageError) as caught:
        fmt.decode_archive(surgery.with_manifest(data, manifest))
    message = str(caught.value)
    assert "format version 99" in message and "please update the app" in message
    assert len(message) < 400


def test_a_5000_digit_number_gets_our_own_message(surgery):
    data = fmt.encode_archive({"x": 1})
    members = surgery.members(data)
    members[fmt.MANIFEST] = members[fmt.MANIFEST].replace(b'"x": 1', b'"x": ' + b"7" * 5000)
    with pytest.raises(StorageError) as caught:
        fmt.decode_archive(surgery.rebuild(members, fix_digests=False))
    assert str(caught.value) == ("manifest.json holds a whole number of 5,000 digits; at most 40 "
                                 "are allowed")


# -- 10. saving: leftovers of killed saves, links -------------------------------------------------
def test_a_save_removes_what_killed_saves_of_the_same_file_left_behind(tmp_path):
    target = tmp_path / "work.bpp"
    old = time.time() - 2 * 3600
    leftovers = [tmp_path / f".work.bpp.{stem}.tmp" for stem in ("abcd1234", "x_y_z_09")]
    recent = tmp_path / ".work.bpp.recent00.tmp"          # a save that may still be running
    other = tmp_path / ".notes.bpp.abcd1234.tmp"          # another file's
    for path in (*leftovers, recent, other):
        path.write_bytes(b"partial")
    for path in (*leftovers, other):
        os.utime(path, (old, old))
    save_playground(target, small_playground())
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        [target.name, recent.name, other.name])


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_saving_to_a_symbolic_link_writes_through_it(tmp_path):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "playground.bpp"
    save_playground(target, small_playground())
    link = tmp_path / "link.bpp"
    link.symlink_to(target)
    playground = small_playground()
    playground.step_epoch()
    save_playground(link, playground)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert load_playground(target).epoch == 1
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["playground.bpp"]

