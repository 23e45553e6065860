"""Writing and *checked* reading of single .npy members.

A saved playground's arrays are .npy files (NumPy format 1.0, C order, little-endian plain numbers)
inside the zip. Reading never trusts the file: the header is parsed by hand (a bounded
``ast.literal_eval`` of at most MAX_HEADER_BYTES), compared with what the manifest declared, and
the member's size is checked against the declared shape and dtype *before* the data is looked
at, and then it is taken as plain numbers (``numpy.frombuffer``). Object arrays (the only way a
.npy can carry a pickle) are refused by the dtype allow-list; nothing is ever unpickled.
"""
from __future__ import annotations

import ast
import io
import math

import numpy as np

from playground.messages import quote
from playground.storage.errors import StorageError

MAGIC = b"\x93NUMPY"
# What this format writes and accepts: version 1.0 headers, whose length field is 2 bytes.
NPY_VERSION = (1, 0)
PREAMBLE_BYTES = len(MAGIC) + 2 + 2
# NumPy pads its headers to 64 bytes and writes ~80 for our arrays; anything far longer is hostile.
MAX_HEADER_BYTES = 1024

# Plain numbers only, always little-endian; "|b1" is bool. No objects, strings, structs, voids.
ALLOWED_DTYPES = frozenset({
    "|b1", "|i1", "|u1", "<i2", "<u2", "<i4", "<u4", "<i8", "<u8", "<f4", "<f8",
})


def canonical(array: np.ndarray) -> np.ndarray:
    """The array as it is stored: C-contiguous, little-endian, a dtype from ALLOWED_DTYPES."""
    array = np.asarray(array)
    if array.dtype.byteorder == ">":
        array = array.astype(array.dtype.newbyteorder("<"))
    array = np.ascontiguousarray(array)
    if array.dtype.str not in ALLOWED_DTYPES:
        raise StorageError(f"cannot store an array of dtype {array.dtype} "
                           f"(only plain numbers and booleans are saved)")
    return array


def encode(array: np.ndarray) -> bytes:
    """The .npy bytes of a canonical array."""
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, canonical(array), version=NPY_VERSION, allow_pickle=False)
    return buffer.getvalue()


def expected_size(dtype: str, shape: tuple[int, ...]) -> int:
    """Bytes of array data (after the header) for a declared dtype and shape."""
    return np.dtype(dtype).itemsize * math.prod(shape)


def parse_header(data: bytes, member: str) -> tuple[int, str, tuple[int, ...]]:
    """(data offset, dtype string, shape) from the first bytes of a .npy member.

    Raises StorageError naming the member for anything other than a version 1.0 header of a
    C-ordered array with an allowed dtype.
    """
    if len(data) < PREAMBLE_BYTES or not data.startswith(MAGIC):
        raise StorageError(f"{member} is not a NumPy .npy array (bad magic bytes)")
    version = (data[6], data[7])
    if version != NPY_VERSION:
        raise StorageError(f"{member} uses .npy version {version[0]}.{version[1]}; "
                           f"only {NPY_VERSION[0]}.{NPY_VERSION[1]} is accepted")
    header_length = int.from_bytes(data[8:10], "little")
    if header_length > MAX_HEADER_BYTES:
        raise StorageError(f"{member} has an oversized .npy header ({header_length} bytes, "
                           f"at most {MAX_HEADER_BYTES} allowed)")
    offset = PREAMBLE_BYTES + header_length
    if len(data) < offset:
        raise StorageError(f"{member} is truncated inside its .npy header")
    try:
        text = data[PREAMBLE_BYTES:offset].decode("latin1")
        header = ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError, TypeError) as error:
        raise StorageError(f"{member} has an unreadable .npy header ({error.__class__.__name__})") \
            from None
    if not isinstance(header, dict) or set(header) != {"descr", "fortran_order", "shape"}:
        raise StorageError(f"{member} has a malformed .npy header")
    descr, fortran, shape = header["descr"], header["fortran_order"], header["shape"]
    if not isinstance(descr, str) or descr not in ALLOWED_DTYPES:
        raise StorageError(f"{member} holds dtype {quote(descr)}, which is not allowed "
                           f"(object arrays and other non-numeric data are refused)")
    if fortran is not False:
        raise StorageError(f"{member} is stored in Fortran order; only C order is accepted")
    if (not isinstance(shape, tuple)
            or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in shape)):
        raise StorageError(f"{member} has an invalid shape {quote(shape)} in its .npy header")
    return offset, descr, shape


def decode(data, member: str, dtype: str, shape: tuple[int, ...]) -> np.ndarray:
    """The array in a .npy member, after checking it matches the manifest's dtype and shape.

    ``data`` is the member's bytes; given a private ``bytearray`` (as the file reader passes),
    the array is a writable view of it, so reading costs the array's size once; anything else
    is copied. The array never shares memory with anything the caller still uses.
    """
    offset, found_dtype, found_shape = parse_header(data, member)
    if found_dtype != dtype:
        raise StorageError(f"{member} holds dtype {found_dtype} but the manifest says {dtype}")
    if found_shape != tuple(shape):
        raise StorageError(f"{member} has shape {found_shape} but the manifest says {tuple(shape)}")
    want = offset + expected_size(dtype, found_shape)
    if len(data) != want:
        raise StorageError(f"{member} has {len(data)} bytes but shape {found_shape} of {dtype} "
                           f"needs {want}")
    # the header was checked above: a plain dtype from the allow-list, never an object array
    array = np.frombuffer(data, dtype=np.dtype(dtype), count=math.prod(found_shape),
                          offset=offset).reshape(found_shape)
    if not (isinstance(data, bytearray) and array.flags.writeable and array.flags.aligned):
        array = array.copy()
    return array
