"""Pinned runs in a saved playground (the content's ``pins`` section, format version 3).

Each pin is an object with its label, visibility, settings (a config like the playground's; a
field a later version adds takes its default), the five history columns and an optional
thumbnail, the arrays stored as members like every other array. Reading builds every
:class:`playground.runs.PinnedRun` with its own checks (lengths, types, limits) and names the
pin and field of the first problem: ``pins[2].history.epochs must increase ...``.
"""
from __future__ import annotations

import numpy as np

from playground.limits import MAX_PINNED_RUNS
from playground.runs import RUN_COLUMNS, PinnedRun, PinnedRuns
from playground.storage.config_codec import config_from_dict, config_to_dict
from playground.storage.errors import StorageError

PIN_KEYS = {"label", "visible", "config", "history", "thumbnail"}


def pins_to_content(pins: PinnedRuns | None) -> list[dict]:
    """The pins as content for the file (copies; an empty list when there are none)."""
    return [{"label": run.label, "visible": run.visible, "config": config_to_dict(run.config),
             "history": {name: np.array(run.history[name]) for name in RUN_COLUMNS},
             "thumbnail": None if run.thumbnail is None else np.array(run.thumbnail)}
            for run in (pins or PinnedRuns())]


def pins_from_content(content) -> PinnedRuns:
    """The pinned runs a file's content holds (none for a file of an older version)."""
    raw = content.get("pins", []) if isinstance(content, dict) else None
    if not isinstance(raw, list):
        raise StorageError("pins must be a list")
    if len(raw) > MAX_PINNED_RUNS:
        raise StorageError(f"the file has {len(raw)} pinned runs; at most {MAX_PINNED_RUNS} "
                           "are kept")
    pins = PinnedRuns()
    for index, item in enumerate(raw):
        where = f"pins[{index}]"
        if not isinstance(item, dict) or set(item) != PIN_KEYS:
            raise StorageError(f"{where} must hold exactly {', '.join(sorted(PIN_KEYS))}")
        config = config_from_dict(item["config"], f"{where}.config")
        try:
            run = PinnedRun(item["label"], config, item["history"], item["thumbnail"],
                            item["visible"])
        except ValueError as error:
            raise StorageError(f"{where}.{error}") from None
        pins = pins.add(run)
    return pins
