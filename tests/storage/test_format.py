"""The archive layer alone: round trips, atomic saves, and a clear StorageError for bad files."""
import io
import json
import math
import os
import pickle

import numpy as np
import pytest

from playground.storage import format as fmt
from playground.storage import npy
from playground.storage.errors import StorageError

CONTENT = {
    "number": 3, "ratio": 0.25, "text": "spiral", "flag": True, "nothing": None,
    "huge_int": 2**127 + 5,                    # e.g. a PCG64 RNG state
    "pair": (1, 2.5), "odd_floats": [math.nan, math.inf, -math.inf],
    "arrays": {"X": np.linspace(-1, 1, 12).reshape(6, 2), "labels": np.arange(6, dtype=np.int64),
               "mask": np.array([True, False]), "empty": np.zeros((0, 2)),
               "small": np.arange(4, dtype=np.float32), "big_endian": np.arange(3, dtype=">f8")},
    "nested": [{"w": np.eye(2)}, [np.ones(1)]],
}


def _assert_same(a, b):
    if isinstance(a, np.ndarray):
        assert isinstance(b, np.ndarray) and a.shape == b.shape
        assert a.dtype.newbyteorder("=") == b.dtype.newbyteorder("=")
        np.testing.assert_array_equal(a, b)
    elif isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys()
        for key in a:
            _assert_same(a[key], b[key])
    elif isinstance(a, (list, tuple)):
        assert type(a) is type(b) and len(a) == len(b)
        for x, y in zip(a, b):
            _assert_same(x, y)
    elif isinstance(a, float) and math.isnan(a):
        assert isinstance(b, float) and math.isnan(b)
    else:
        assert type(a) is type(b) and a == b


def test_round_trip_keeps_every_type_and_value():
    data = fmt.encode_archive(CONTENT)
    _assert_same(CONTENT, fmt.decode_archive(data))
    assert fmt.encode_archive(fmt.decode_archive(data)) == data  # saves are deterministic


def test_loaded_arrays_are_writable_copies():
    loaded = fmt.decode_archive(fmt.encode_archive({"a": np.arange(3.0)}))
    loaded["a"][0] = 7.0  # would raise on a read-only view of the file's bytes


def test_manifest_describes_format_and_arrays(surgery):
    manifest = surgery.manifest(fmt.encode_archive(CONTENT))
    assert manifest["format"] == "backprop-playground" and manifest["format_version"] == 5
    assert manifest["arrays"]["arrays/X.npy"]["shape"] == [6, 2]
    assert manifest["arrays"]["arrays/X.npy"]["dtype"] == "<f8"
    assert manifest["content"]["arrays"]["X"] == {"__array__": "arrays/X.npy"}


def test_unsupported_values_are_refused_when_saving():
    with pytest.raises(StorageError, match="cannot save a set"):
        fmt.encode_archive({"s": {1, 2}})
    with pytest.raises(StorageError, match="dtype object"):
        fmt.encode_archive({"o": np.array([object()], dtype=object)})


def test_write_is_atomic_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "run.bpp"
    fmt.write_archive(path, {"v": 1})
    before = path.read_bytes()

    def failing_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fmt.os, "replace", failing_replace)
    with pytest.raises(StorageError, match="No space left"):
        fmt.write_archive(path, {"v": 2})
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.bpp"]
    monkeypatch.undo()
    fmt.write_archive(path, {"v": 2})
    assert fmt.read_archive(path) == {"v": 2}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.bpp"]


def test_saving_into_a_missing_folder_is_a_storage_error(tmp_path):
    with pytest.raises(StorageError, match="cannot save"):
        fmt.write_archive(tmp_path / "no" / "such" / "x.bpp", {"v": 1})


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"hello, world", "not a zip"),
    (b"PK\x03\x04" + b"\0" * 50, "truncated"),
])
def test_garbage_is_named(data, message):
    with pytest.raises(StorageError, match=message):
        fmt.decode_archive(data)


def test_truncated_and_flipped_files_fail_the_checksum():
    data = fmt.encode_archive(CONTENT)
    with pytest.raises(StorageError, match="truncated"):
        fmt.decode_archive(data[: len(data) // 2])
    flipped = bytearray(data)
    flipped[len(data) // 3] ^= 0x40
    with pytest.raises(StorageError, match="checksum does not match"):
        fmt.decode_archive(bytes(flipped))


def test_missing_file_and_oversized_file(tmp_path, monkeypatch):
    with pytest.raises(StorageError, match="cannot open"):
        fmt.read_archive(tmp_path / "absent.bpp")
    path = tmp_path / "big.bpp"
    fmt.write_archive(path, CONTENT)
    monkeypatch.setattr(fmt, "MAX_FILE_BYTES", 100)
    with pytest.raises(StorageError, match="larger than"):
        fmt.read_archive(path)


def test_newer_format_version_asks_for_an_update(surgery):
    data = fmt.encode_archive(CONTENT)
    manifest = surgery.manifest(data)
    manifest["format_version"] = fmt.FORMAT_VERSION + 1
    with pytest.raises(StorageError, match=f"format version {fmt.FORMAT_VERSION + 1}.*update"):
        fmt.decode_archive(surgery.with_manifest(data, manifest))


@pytest.mark.parametrize("edit, message", [
    (lambda m: m.update(format="something-else"), "not a saved playground"),
    (lambda m: m.pop("content"), "missing 'content'"),
    (lambda m: m.update(format_version="1"), "invalid format_version"),
    (lambda m: m.update(extra=1), "unknown entries"),
    (lambda m: m["arrays"]["arrays/X.npy"].update(shape=[3, 2]), "shape"),
    (lambda m: m["arrays"]["arrays/X.npy"].update(shape=[-1, 2]), "invalid shape"),
    (lambda m: m["arrays"]["arrays/X.npy"].update(dtype="|O"), "disallowed dtype"),
    (lambda m: m["arrays"]["arrays/X.npy"].update(dtype="<i8"), "dtype"),
    (lambda m: m["arrays"]["arrays/X.npy"].update(sha256="0" * 64), "does not match its SHA-256"),
    (lambda m: m["arrays"].update({"../../evil.npy": m["arrays"]["arrays/X.npy"]}), "invalid name"),
    (lambda m: m["arrays"].pop("arrays/X.npy"), "does not declare"),
    (lambda m: m["content"].update(bad={"__array__": "nowhere.npy"}), "does not declare"),
    (lambda m: m["content"].update(bad={"__float__": "many"}), "special number"),
])
def test_manifest_edits_are_named(surgery, edit, message):
    data = fmt.encode_archive(CONTENT)
    manifest = surgery.manifest(data)
    edit(manifest)
    with pytest.raises(StorageError, match=message):
        fmt.decode_archive(surgery.with_manifest(data, manifest))


def test_non_json_and_nan_manifest(surgery):
    data = fmt.encode_archive(CONTENT)
    members = surgery.members(data)
    members[fmt.MANIFEST] = b"{not json"
    with pytest.raises(StorageError, match="not valid JSON"):
        fmt.decode_archive(surgery.rebuild(members, fix_digests=False))
    members[fmt.MANIFEST] = b'{"format": NaN}'
    with pytest.raises(StorageError, match="non-standard number NaN"):
        fmt.decode_archive(surgery.rebuild(members, fix_digests=False))
    members[fmt.MANIFEST] = b"[" * 100000 + b"]" * 100000
    with pytest.raises(StorageError):
        fmt.decode_archive(surgery.rebuild(members, fix_digests=False))


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_member_level_damage_is_named(surgery):
    data = fmt.encode_archive(CONTENT)
    members = surgery.members(data)
    missing = dict(members)
    del missing["arrays/arrays/X.npy"]
    with pytest.raises(StorageError, match="missing the member arrays/arrays/X.npy"):
        fmt.decode_archive(surgery.rebuild(missing, fix_digests=False))
    extra = dict(members, **{"arrays/extra.npy": npy.encode(np.zeros(1))})
    with pytest.raises(StorageError, match="does not declare"):
        fmt.decode_archive(surgery.rebuild(extra))
    duplicated = list(members.items()) + [("arrays/arrays/X.npy", members["arrays/arrays/X.npy"])]
    with pytest.raises(StorageError, match="two members named"):
        fmt.decode_archive(surgery.rebuild(duplicated, fix_digests=False))
    without_manifest = {k: v for k, v in members.items() if k != fmt.MANIFEST}
    with pytest.raises(StorageError, match="no manifest.json"):
        fmt.decode_archive(surgery.rebuild(without_manifest, fix_digests=False))


def test_oversized_npy_header_is_refused_before_parsing(surgery):
    data = fmt.encode_archive({"x": np.zeros(10000)})  # room for a 60 kB header within the size
    members = surgery.members(data)
    members["arrays/x.npy"] = _npy_with_header(
        "{'descr': '<f8', 'fortran_order': False, 'shape': (10000,), }" + " " * 60000 + "\n")
    with pytest.raises(StorageError, match="oversized .npy header \\(600.. bytes"):
        fmt.decode_archive(surgery.rebuild(members))


def test_swapped_members_are_caught_by_their_digests(surgery):
    data = fmt.encode_archive({"a": np.zeros(5), "b": np.ones(5)})
    members = surgery.members(data)
    a, b = "arrays/a.npy", "arrays/b.npy"
    members[a], members[b] = members[b], members[a]
    with pytest.raises(StorageError, match="does not match its SHA-256"):
        fmt.decode_archive(surgery.rebuild(members, fix_digests=False))


def _npy_with_header(header: str, payload: bytes = b"") -> bytes:
    encoded = header.encode("latin1")
    return b"\x93NUMPY\x01\x00" + len(encoded).to_bytes(2, "little") + encoded + payload


@pytest.mark.parametrize("member_bytes, message", [
    (_npy_with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (6, 2), }"
                      + " " * 60000 + "\n"), "more than its declared shape"),
    (_npy_with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (6, 2), }\n",
                      b"\0" * 8), "has 78 bytes but shape \\(6, 2\\) of <f8 needs 166"),
    (_npy_with_header("{'descr': '<f8', 'fortran_order': True, 'shape': (6, 2), }\n",
                      b"\0" * 96), "Fortran order"),
    (_npy_with_header("{'descr': '<f8', 'shape': (6, 2), }\n"), "malformed .npy header"),
    (_npy_with_header("__import__('os').system('echo hacked')\n"), "unreadable .npy header"),
    (_npy_with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 6), }\n",
                      b"\0" * 96), "shape \\(2, 6\\) but the manifest says \\(6, 2\\)"),
    (b"\x93NUMPY\x02\x00" + b"\0" * 100, "version 2.0"),
    (b"not an npy", "bad magic"),
])
def test_bad_npy_members_are_named(surgery, member_bytes, message):
    data = fmt.encode_archive(CONTENT)
    members = surgery.members(data)
    members["arrays/arrays/X.npy"] = member_bytes
    with pytest.raises(StorageError, match=message):
        fmt.decode_archive(surgery.rebuild(members))


class _Payload:
    """Unpickling this creates ``marker``: proof that code from the file ran."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _malicious_npy(marker) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, np.array([_Payload(marker)], dtype=object), allow_pickle=True)
    return buffer.getvalue()


def test_object_array_with_a_pickle_payload_never_runs(surgery, tmp_path, monkeypatch):
    marker = tmp_path / "pwned"
    # sanity: the payload really would run if unpickled
    pickle.loads(pickle.dumps(_Payload(marker)))
    assert marker.exists()
    marker.unlink()

    def no_pickle(*args, **kwargs):
        raise AssertionError("pickle must never be used when loading")

    monkeypatch.setattr(pickle, "load", no_pickle)
    monkeypatch.setattr(pickle, "loads", no_pickle)
    data = fmt.encode_archive({"x": np.zeros(1)})
    members = surgery.members(data)
    members["arrays/x.npy"] = _malicious_npy(marker)
    # the manifest still says <f8, the header says |O
    with pytest.raises(StorageError, match="not allowed"):
        fmt.decode_archive(surgery.rebuild(members))
    # the manifest agrees with the header: refused at the manifest
    manifest = surgery.manifest(surgery.rebuild(members))
    manifest["arrays"]["x.npy"]["dtype"] = "|O"
    members[fmt.MANIFEST] = json.dumps(manifest).encode()
    with pytest.raises(StorageError, match="disallowed dtype"):
        fmt.decode_archive(surgery.rebuild(members))
    assert not marker.exists()


def test_zip_bomb_declared_sizes_are_refused(surgery, monkeypatch):
    data = fmt.encode_archive({"x": np.zeros(1000)})
    monkeypatch.setattr(fmt, "MAX_UNCOMPRESSED_BYTES", 4000)
    with pytest.raises(StorageError, match="would unpack to"):
        fmt.decode_archive(data)


def test_member_larger_than_its_declared_shape_is_refused_before_reading(surgery):
    data = fmt.encode_archive({"x": np.zeros(2)})
    members = surgery.members(data)
    members["arrays/x.npy"] = members["arrays/x.npy"] + b"\0" * 5000
    with pytest.raises(StorageError, match="more than its declared shape"):
        fmt.decode_archive(surgery.rebuild(members))


def test_file_permissions_are_kept(tmp_path):
    path = tmp_path / "keep.bpp"
    fmt.write_archive(path, {"v": 1})
    os.chmod(path, 0o600)
    fmt.write_archive(path, {"v": 2})
    assert os.stat(path).st_mode & 0o777 == 0o600
