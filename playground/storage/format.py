"""The saved-playground file: a versioned zip of ``manifest.json`` plus one .npy member per array.

See docs/FILE_FORMAT.md for the full description. In short::

    manifest.json        {"format": "backprop-playground", "format_version": 5,
                          "app_version": "...", "arrays": {name: {"dtype", "shape", "sha256"}},
                          "content": {...JSON with {"__array__": name} references...}}
    arrays/<name>        NumPy .npy (version 1.0, C order, little-endian numbers or bool)
    zip comment          "bpp-sha256:" + SHA-256 (hex) of every byte of the file before the digest

Reading is defensive from the first byte: a regular file within the size limit, the integrity
digest, the zip directory record (``container``), the manifest's own declarations, and every
array's header are checked before any array data is read; no array is ever unpickled. Memory
stays within the declared sizes, which are bounded. Every failure is a StorageError whose
message names what is wrong. Writing is atomic (``atomic``): a crash mid-save never leaves a
half-written file.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
import struct
import zipfile
import zlib
from pathlib import Path

from playground import __version__
from playground.files import NotARegularFile, open_regular_file
from playground.messages import quote
from playground.storage import container, npy, tree, versions
from playground.storage.atomic import atomic_write_bytes
from playground.storage.container import DIGEST_HEX_BYTES, TRAILER_PREFIX
from playground.storage.errors import StorageError
from playground.storage.json_text import parse_json

__all__ = [
    "StorageError", "FORMAT_NAME", "FORMAT_VERSION", "encode_archive", "decode_archive",
    "write_archive", "read_archive", "atomic_write_bytes", "seal",
]

FORMAT_NAME = "backprop-playground"
FORMAT_VERSION = 5
FILE_SUFFIX = ".bpp"
MANIFEST = "manifest.json"
ARRAY_FOLDER = "arrays/"

# The largest playground the limits allow (playground.limits: 20,000 points, a million rows of
# history, 8 × 32 neurons, 8 pinned runs of 50,000 rows) unpacks to 73 MB, and its manifest to
# a few kB. These bounds leave room above that and keep what a hostile file costs before it is
# refused near 100 MB.
MAX_FILE_BYTES = 96 * 2**20
MAX_UNCOMPRESSED_BYTES = 96 * 2**20
MAX_MANIFEST_BYTES = 2**20
MAX_MEMBERS = 4096
MAX_ARRAY_DIMENSIONS = 8
_ARRAY_NAME = re.compile(r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*\.npy$")
# A fixed timestamp makes two saves of the same playground byte-identical.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# Errors the zip, zlib, JSON and NumPy layers raise for damaged input; all become StorageError.
_DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, OSError, struct.error, NotImplementedError,
           RuntimeError, UnicodeDecodeError, OverflowError, MemoryError, KeyError, TypeError,
           ValueError)


# ------------------------------------------------------------------------------------- writing
def encode_archive(content) -> bytes:
    """The complete file bytes for ``content`` (a tree of dicts, lists, numbers and arrays)."""
    json_tree, arrays = tree.encode(content)
    encoded = {name: npy.encode(array) for name, array in arrays.items()}
    manifest = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "app_version": __version__,
        "arrays": {name: {"dtype": npy.canonical(array).dtype.str, "shape": list(array.shape),
                          "sha256": hashlib.sha256(encoded[name]).hexdigest()}
                   for name, array in arrays.items()},
        "content": json_tree,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _write_member(archive, MANIFEST,
                      json.dumps(manifest, indent=1, allow_nan=False).encode("utf-8"))
        for name, data in encoded.items():
            _write_member(archive, ARRAY_FOLDER + name, data)
    return seal(buffer.getvalue())


def _write_member(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def seal(zip_bytes: bytes) -> bytes:
    """Add the integrity trailer (the zip comment) to a zip that has no comment yet.

    The comment's length goes into the end-of-central-directory record first, so the digest
    covers every byte of the file except the digest itself.
    """
    if len(zip_bytes) < 22 or zip_bytes[-22:-18] != b"PK\x05\x06" or zip_bytes[-2:] != b"\0\0":
        raise StorageError("internal error: can only seal a zip without a comment")
    comment_length = len(TRAILER_PREFIX) + DIGEST_HEX_BYTES
    body = zip_bytes[:-2] + comment_length.to_bytes(2, "little") + TRAILER_PREFIX
    return body + hashlib.sha256(body).hexdigest().encode("ascii")


def write_archive(path, content) -> None:
    """Encode ``content`` and save it atomically to ``path``."""
    atomic_write_bytes(path, encode_archive(content))


# ------------------------------------------------------------------------------------- reading
def read_archive(path):
    """The content saved at ``path``; StorageError (naming the problem) for any bad file."""
    path = Path(path)
    try:
        with open_regular_file(path) as stream:
            size = os.fstat(stream.fileno()).st_size
            if size > MAX_FILE_BYTES:
                raise StorageError(f"{path.name} is {size / 2**20:.0f} MB, larger than the "
                                   f"{MAX_FILE_BYTES / 2**20:.0f} MB a saved playground may have")
            return _decode(stream, size)
    except NotARegularFile as error:
        raise StorageError(str(error)) from None
    except OSError as error:
        raise StorageError(f"cannot open {path}: {error.strerror or error}") from None


def decode_archive(data: bytes):
    """The content of a saved playground's bytes; StorageError for anything malformed."""
    if len(data) > MAX_FILE_BYTES:
        raise StorageError(f"the file is larger than the {MAX_FILE_BYTES / 2**20:.0f} MB limit")
    return _decode(io.BytesIO(data), len(data))


def _decode(stream, size: int):
    container.check_seal(stream, size)
    try:
        container.check_directory_record(stream, size, MAX_MEMBERS)
        with zipfile.ZipFile(stream) as archive:
            members = _checked_members(archive)
            manifest = _read_manifest(archive, members)
            declared = _declared_arrays(manifest, members)
            arrays = {name: npy.decode(_read_array_member(archive, members, name, digest),
                                       ARRAY_FOLDER + name, dtype, shape)
                      for name, (dtype, shape, digest) in declared.items()}
        return versions.upgrade(tree.decode(manifest["content"], arrays),
                                manifest["format_version"])
    except StorageError:
        raise
    except RecursionError:
        raise StorageError("the file is corrupt: its manifest is nested too deeply") from None
    except _DAMAGE as error:
        raise StorageError(f"the file is corrupt: {error.__class__.__name__}: {error}") from None


def _checked_members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise StorageError(f"the file has {len(infos)} members, more than {MAX_MEMBERS}")
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        if info.filename in members:
            raise StorageError(f"the file has two members named {quote(info.filename)}")
        if info.flag_bits & 0x1:
            raise StorageError(f"member {quote(info.filename)} is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise StorageError(f"member {quote(info.filename)} uses an unsupported compression "
                               f"method ({info.compress_type})")
        total += info.file_size
        members[info.filename] = info
    if total > MAX_UNCOMPRESSED_BYTES:
        raise StorageError(f"the file would unpack to {total / 2**20:.0f} MB, more than the "
                           f"{MAX_UNCOMPRESSED_BYTES / 2**20:.0f} MB limit")
    if MANIFEST not in members:
        raise StorageError(f"the file has no {MANIFEST}; it is not a saved playground")
    return members


def _read_array_member(archive: zipfile.ZipFile, members: dict, name: str,
                       digest: str) -> bytearray:
    data = container.read_member(archive, members[ARRAY_FOLDER + name])
    # Catches members swapped or replaced by someone who then recomputed the file checksum.
    if hashlib.sha256(data).hexdigest() != digest:
        raise StorageError(f"member {ARRAY_FOLDER + name} does not match its SHA-256 in {MANIFEST}")
    return data


def _read_manifest(archive: zipfile.ZipFile, members: dict) -> dict:
    info = members[MANIFEST]
    if info.file_size > MAX_MANIFEST_BYTES:
        raise StorageError(f"{MANIFEST} is {info.file_size} bytes, more than the "
                           f"{MAX_MANIFEST_BYTES} allowed")
    raw = container.read_member(archive, info)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise StorageError(f"{MANIFEST} is not UTF-8 text") from None
    manifest = parse_json(text, MANIFEST)
    if not isinstance(manifest, dict):
        raise StorageError(f"{MANIFEST} must hold a JSON object")
    if manifest.get("format") != FORMAT_NAME:
        raise StorageError(f"this is not a saved playground ({MANIFEST} names format "
                           f"{quote(manifest.get('format'))}, expected {FORMAT_NAME!r})")
    version = manifest.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise StorageError(f"{MANIFEST} has an invalid format_version {quote(version)}")
    if version > FORMAT_VERSION:
        raise StorageError(
            f"the file uses format version {version} (saved by Backprop Playground "
            f"{quote(manifest.get('app_version', '?'))}); this version ({__version__}) reads "
            f"format version {FORMAT_VERSION} and older — please update the app")
    if not isinstance(manifest.get("app_version"), str):
        raise StorageError(f"{MANIFEST} has no app_version")
    for key in ("arrays", "content"):
        if key not in manifest:
            raise StorageError(f"{MANIFEST} is missing {key!r}")
    unknown = sorted(set(manifest) - {"format", "format_version", "app_version", "arrays",
                                      "content"})
    if unknown:
        raise StorageError(f"{MANIFEST} has unknown entries {quote(unknown)}")
    return manifest


def _declared_arrays(manifest: dict, members: dict) -> dict[str, tuple[str, tuple, str]]:
    """{name: (dtype, shape, sha256)}, after checking the declarations against the members."""
    declarations = manifest["arrays"]
    if not isinstance(declarations, dict):
        raise StorageError(f"{MANIFEST}: 'arrays' must be an object")
    declared = {}
    for name, spec in declarations.items():
        if not _ARRAY_NAME.match(name) or ".." in name.split("/"):
            raise StorageError(f"{MANIFEST} declares an array with an invalid name {quote(name)}")
        if not isinstance(spec, dict) or set(spec) != {"dtype", "shape", "sha256"}:
            raise StorageError(f"{MANIFEST}: array {name} must declare exactly dtype, shape "
                               f"and sha256")
        dtype, shape, digest = spec["dtype"], spec["shape"], spec["sha256"]
        if not isinstance(digest, str) or not re.fullmatch(r"[0-9a-f]{64}", digest):
            raise StorageError(f"{MANIFEST}: array {name} has an invalid sha256 {quote(digest)}")
        if not isinstance(dtype, str) or dtype not in npy.ALLOWED_DTYPES:
            raise StorageError(f"{MANIFEST}: array {name} has the disallowed dtype {quote(dtype)}")
        if (not isinstance(shape, list) or len(shape) > MAX_ARRAY_DIMENSIONS
                or not all(isinstance(n, int) and not isinstance(n, bool) and 0 <= n
                           for n in shape)):
            raise StorageError(f"{MANIFEST}: array {name} has an invalid shape {quote(shape)}")
        shape = tuple(shape)
        member = ARRAY_FOLDER + name
        if member not in members:
            raise StorageError(f"the file is missing the member {member}")
        size_limit = npy.expected_size(dtype, shape) + npy.PREAMBLE_BYTES + npy.MAX_HEADER_BYTES
        if members[member].file_size > size_limit:
            raise StorageError(f"member {member} is {members[member].file_size} bytes, more than "
                               f"its declared shape {shape} of {dtype} allows")
        declared[name] = (dtype, shape, digest)
    expected = {MANIFEST} | {ARRAY_FOLDER + name for name in declared}
    extra = sorted(set(members) - expected)
    if extra:
        raise StorageError(f"the file has members the manifest does not declare: {quote(extra)}")
    return declared
