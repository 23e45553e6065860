"""A nested state (dicts, lists, tuples, numbers, strings, NumPy arrays) as JSON plus named arrays.

The manifest holds the JSON part; every array becomes a separate .npy member, referenced from the
JSON as ``{"__array__": "<member name>"}``. Tuples and non-finite floats, which JSON cannot say,
become ``{"__tuple__": [...]}`` and ``{"__float__": "nan" | "inf" | "-inf"}``. This lets storage
save whatever ``Trainer.state_dict()`` returns without knowing its inside, and give it back with
the same types.
"""
from __future__ import annotations

import math
import re

import numpy as np

from playground.messages import quote
from playground.storage.errors import StorageError

ARRAY_KEY = "__array__"
TUPLE_KEY = "__tuple__"
FLOAT_KEY = "__float__"
RESERVED_KEYS = (ARRAY_KEY, TUPLE_KEY, FLOAT_KEY)
MAX_DEPTH = 32
_NON_FINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}
_UNSAFE_NAME_CHARACTERS = re.compile(r"[^A-Za-z0-9_.-]")


def encode(tree) -> tuple[object, dict[str, np.ndarray]]:
    """(JSON-ready tree, {array name: array}); array names follow the path to each array."""
    arrays: dict[str, np.ndarray] = {}
    return _encode(tree, [], arrays), arrays


def _array_name(path: list[str], taken: dict) -> str:
    stem = "/".join(_UNSAFE_NAME_CHARACTERS.sub("_", part) or "_" for part in path) or "root"
    name, counter = f"{stem}.npy", 1
    while name in taken:
        counter += 1
        name = f"{stem}-{counter}.npy"
    return name


def _encode(value, path: list[str], arrays: dict):
    if len(path) > MAX_DEPTH:
        raise StorageError(f"state nested deeper than {MAX_DEPTH} levels at {'/'.join(path)}")
    if isinstance(value, np.ndarray):
        name = _array_name(path, arrays)
        arrays[name] = value
        return {ARRAY_KEY: name}
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return {FLOAT_KEY: "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")}
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise StorageError(f"state key {quote(key)} at {'/'.join(path) or 'top'} "
                                   f"is not a string")
            out[key] = _encode(item, path + [key], arrays)
        if len(out) == 1 and next(iter(out)) in RESERVED_KEYS:
            raise StorageError(f"state at {'/'.join(path)} uses the reserved key {next(iter(out))}")
        return out
    if isinstance(value, (list, tuple)):
        items = [_encode(item, path + [str(i)], arrays) for i, item in enumerate(value)]
        return {TUPLE_KEY: items} if isinstance(value, tuple) else items
    raise StorageError(f"cannot save a {type(value).__name__} at {'/'.join(path) or 'top'}")


def decode(tree, arrays: dict[str, np.ndarray]):
    """The state ``encode`` was given, with each array reference replaced by its array.

    Every referenced array must be in ``arrays``; StorageError names what is wrong and where.
    """
    return _decode(tree, [], arrays)


def _decode(value, path: list[str], arrays: dict):
    where = "/".join(path) or "top"
    if len(path) > MAX_DEPTH:
        raise StorageError(f"manifest nested deeper than {MAX_DEPTH} levels at {where}")
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise StorageError(f"manifest holds a non-finite number at {where}")
        return value
    if isinstance(value, list):
        return [_decode(item, path + [str(i)], arrays) for i, item in enumerate(value)]
    if not isinstance(value, dict):
        raise StorageError(f"manifest holds an unexpected {type(value).__name__} at {where}")
    if len(value) == 1 and next(iter(value)) in RESERVED_KEYS:
        (key, inner), = value.items()
        if key == ARRAY_KEY:
            if not isinstance(inner, str) or inner not in arrays:
                raise StorageError(f"manifest refers to an array {quote(inner)} at {where} "
                                   f"that the file does not declare")
            return arrays[inner]
        if key == TUPLE_KEY:
            if not isinstance(inner, list):
                raise StorageError(f"manifest has a malformed tuple at {where}")
            return tuple(_decode(item, path + [str(i)], arrays) for i, item in enumerate(inner))
        if not isinstance(inner, str) or inner not in _NON_FINITE:
            raise StorageError(f"manifest has a malformed special number {quote(inner)} at "
                               f"{where}")
        return _NON_FINITE[inner]
    return {key: _decode(item, path + [key], arrays) for key, item in value.items()}
