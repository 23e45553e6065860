"""PlaygroundConfig to and from plain JSON objects, with strict checking of what comes back.

Used by saved files (manifest ``content.config``) and by lesson presets. Fields left out take the
dataclass default (presets stay short; files from an older 1.x keep opening); unknown fields, wrong
types and non-finite numbers are StorageErrors naming the field. Whether a *value* makes sense (an
activation that exists, a ratio in range) is decided by the code that builds the playground.
"""
from __future__ import annotations

import math
import types
import typing
from dataclasses import MISSING, asdict, fields

from playground.config import DataSpec, Hyperparameters, NetworkSpec, PlaygroundConfig
from playground.messages import quote
from playground.storage.errors import StorageError

SECTIONS = {"data": DataSpec, "network": NetworkSpec, "hyper": Hyperparameters}


def config_to_dict(config: PlaygroundConfig) -> dict:
    """JSON-ready dict: {"data": {...}, "network": {...}, "hyper": {...}}; tuples become lists."""
    def plain(value):
        return list(value) if isinstance(value, tuple) else value

    return {section: {key: plain(value) for key, value in asdict(getattr(config, section)).items()}
            for section in SECTIONS}


def config_from_dict(raw, where: str = "config", complete: bool = False) -> PlaygroundConfig:
    """The PlaygroundConfig a dict describes; StorageError naming the first bad field.

    ``complete`` requires every field (saved files have them all; presets may leave some out).
    """
    if not isinstance(raw, dict):
        raise StorageError(f"{where} must be an object")
    unknown = sorted(set(raw) - set(SECTIONS))
    if unknown:
        raise StorageError(f"{where} has unknown sections {unknown}")
    parts = {}
    for section, cls in SECTIONS.items():
        if complete and section not in raw:
            raise StorageError(f"{where} is missing the section {section!r}")
        parts[section] = _section_from_dict(raw.get(section, {}), cls, f"{where}.{section}",
                                            complete)
    return PlaygroundConfig(**parts)


def _section_from_dict(raw, cls, where: str, complete: bool):
    if not isinstance(raw, dict):
        raise StorageError(f"{where} must be an object")
    hints = typing.get_type_hints(cls)
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(raw) - set(known))
    if unknown:
        raise StorageError(f"{where} has unknown fields {unknown}")
    values = {}
    for name, value in raw.items():
        values[name] = _checked(value, hints[name], f"{where}.{name}")
    missing = [name for name, f in known.items()
               if name not in values
               and (complete or (f.default is MISSING and f.default_factory is MISSING))]
    if missing:
        raise StorageError(f"{where} is missing {missing}")
    return cls(**values)


def _checked(value, hint, where: str):
    """``value`` converted to the annotated type (int, float, str, tuple[...], X | None)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(hint)
        if value is None and type(None) in options:
            return None
        inner = [option for option in options if option is not type(None)]
        return _checked(value, inner[0], where)
    if origin is tuple:
        item_type = typing.get_args(hint)[0]
        if not isinstance(value, (list, tuple)):
            raise StorageError(f"{where} must be a list, not {type(value).__name__}")
        return tuple(_checked(item, item_type, f"{where}[{i}]") for i, item in enumerate(value))
    if hint is bool:
        if not isinstance(value, bool):
            raise StorageError(f"{where} must be true or false")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise StorageError(f"{where} must be a whole number, not {quote(value)}")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise StorageError(f"{where} must be a number, not {quote(value)}")
        if not math.isfinite(value):
            raise StorageError(f"{where} must be finite")
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise StorageError(f"{where} must be text, not {quote(value)}")
        return value
    raise StorageError(f"internal error: no check for the type of {where}")  # a new config type
