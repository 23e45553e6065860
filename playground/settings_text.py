"""A playground's settings as a few lines of ``key=value`` text, and back (pure; no Qt).

What a teacher pastes into a chat or a worksheet, and a student pastes back into the app::

    backprop-playground:1
    dataset=circle problem=classification points=500 noise=0 train=0.5 classes=2 data_seed=0
    features=x1,x2 layers=4,2 activation=tanh net_seed=0
    lr=0.03 batch=10 optimizer=sgd reg=none reg_rate=0 speed=30 shuffle_seed=0

The first word names the format and its version; the pairs that follow may come in any order,
separated by any whitespace (a chat that joins the lines changes nothing). The weights are not
part of it: the network starts again from ``net_seed``. Reading is all or nothing:
:func:`parse_settings` returns a PlaygroundConfig or raises :class:`SettingsError` naming the
key and quoting a short excerpt of what is wrong. A key left out takes the default of a new
playground (``problem`` follows the dataset, ``activation`` is tanh on every hidden layer);
an unknown key is refused by name. Values must lie within the limits the controls allow
(``playground.validation``, the same rules as saved files and lessons). Numbers are written
with Python's shortest exact repr, so every setting comes back exactly.

:data:`SETTINGS` is the one table of keys; the label of what differs between two runs
(``playground.runs.describe_difference``) uses its keys and spellings too.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, fields, replace
from typing import Callable

from playground.config import DataSpec, Hyperparameters, NetworkSpec, PlaygroundConfig
from playground.data import GENERATORS
from playground.messages import quote, shorten
from playground.validation import check_config

MARKER = "backprop-playground"
VERSION = 1
MAX_TEXT_CHARACTERS = 4000
UNLIMITED_SPEED = "max"
NO_LAYERS = "none"
_INTEGER = re.compile(r"[0-9]{1,40}")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?")
_MARKER = re.compile(rf"{MARKER}:([0-9]{{1,6}})")


class SettingsError(ValueError):
    """Settings text that cannot be read; the message names the key and quotes an excerpt."""

    def __init__(self, message: str) -> None:
        super().__init__(shorten(message))


# ----------------------------------------------------------------------------- the key table
def _number(value: float) -> str:
    """Shortest exact spelling: ``repr`` without a trailing ``.0`` (0.03, 3, 1e-05)."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _parse_integer(text: str) -> int:
    if not _INTEGER.fullmatch(text):
        raise ValueError(f"{quote(text)} is not a whole number")
    return int(text)


def _parse_decimal(text: str) -> float:
    if not _DECIMAL.fullmatch(text) or len(text) > 40:
        raise ValueError(f"{quote(text)} is not a number")
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{quote(text)} is too large")
    return value


def _parse_names(text: str) -> tuple[str, ...]:
    return tuple(text.split(","))


def _parse_layers(text: str) -> tuple[int, ...]:
    return () if text == NO_LAYERS else tuple(_parse_integer(part) for part in text.split(","))


def _format_layers(layers: tuple[int, ...]) -> str:
    return ",".join(map(str, layers)) if layers else NO_LAYERS


def _format_activations(activations: tuple[str, ...]) -> str:
    # one name stands for every hidden layer, as the Activation control sets them
    return activations[0] if len(set(activations)) == 1 else ",".join(activations)


def _parse_speed(text: str) -> float | None:
    return None if text == UNLIMITED_SPEED else _parse_decimal(text)


def _format_speed(speed: float | None) -> str:
    return UNLIMITED_SPEED if speed is None else _number(speed)


@dataclass(frozen=True)
class Setting:
    """One key of the text: the config field it holds (``section.field``) and its spelling."""

    key: str
    path: str
    parse: Callable[[str], object]
    format: Callable[[object], str]
    line: int           # the text groups data, network and training settings on three lines

    @property
    def section(self) -> str:
        return self.path.split(".")[0]

    @property
    def field(self) -> str:
        return self.path.split(".")[1]

    def value_in(self, config: PlaygroundConfig):
        return getattr(getattr(config, self.section), self.field)


SETTINGS: tuple[Setting, ...] = (
    Setting("dataset", "data.generator", str, str, 0),
    Setting("problem", "data.problem", str, str, 0),
    Setting("points", "data.n_samples", _parse_integer, str, 0),
    Setting("noise", "data.noise", _parse_decimal, _number, 0),
    Setting("train", "data.train_ratio", _parse_decimal, _number, 0),
    Setting("classes", "data.classes", _parse_integer, str, 0),
    Setting("data_seed", "data.seed", _parse_integer, str, 0),
    Setting("features", "network.features", _parse_names, ",".join, 1),
    Setting("layers", "network.hidden_layers", _parse_layers, _format_layers, 1),
    Setting("activation", "network.activations", _parse_names, _format_activations, 1),
    Setting("net_seed", "network.seed", _parse_integer, str, 1),
    Setting("init", "network.init", str, str, 1),
    Setting("lr", "hyper.learning_rate", _parse_decimal, _number, 2),
    Setting("batch", "hyper.batch_size", _parse_integer, str, 2),
    Setting("optimizer", "hyper.optimizer", str, str, 2),
    Setting("reg", "hyper.regularization", str, str, 2),
    Setting("reg_rate", "hyper.regularization_rate", _parse_decimal, _number, 2),
    Setting("speed", "hyper.epochs_per_second", _parse_speed, _format_speed, 2),
    Setting("shuffle_seed", "hyper.shuffle_seed", _parse_integer, str, 2),
    Setting("precision", "hyper.precision", str, str, 2),
)
# keys written only when they differ from a new playground's, so texts written before they
# existed are still what the app writes for those settings
_WRITTEN_WHEN_CHANGED = {"init", "precision"}
SETTING_BY_KEY = {setting.key: setting for setting in SETTINGS}
KEY_BY_PATH = {setting.path: setting.key for setting in SETTINGS}
_SECTIONS = {"data": DataSpec, "network": NetworkSpec, "hyper": Hyperparameters}


def config_paths() -> set[str]:
    """Every ``section.field`` of PlaygroundConfig; a test holds SETTINGS to cover them all."""
    return {f"{section}.{item.name}" for section, cls in _SECTIONS.items()
            for item in fields(cls)}


# ----------------------------------------------------------------------------- writing
def format_settings(config: PlaygroundConfig) -> str:
    """The settings as text: the version marker, then one line each of data, network and
    training settings. The activation is left out when there is no hidden layer; the initializer
    and the precision when they are the defaults, so texts written before they existed stay the
    same."""
    lines: list[list[str]] = [[], [], []]
    defaults = PlaygroundConfig()
    for setting in SETTINGS:
        value = setting.value_in(config)
        if setting.key == "activation" and not value:
            continue
        if setting.key in _WRITTEN_WHEN_CHANGED and value == setting.value_in(defaults):
            continue
        lines[setting.line].append(f"{setting.key}={setting.format(value)}")
    return "\n".join([f"{MARKER}:{VERSION}", *(" ".join(line) for line in lines)]) + "\n"


# ----------------------------------------------------------------------------- reading
def parse_settings(text: str) -> PlaygroundConfig:
    """The PlaygroundConfig the text describes; SettingsError naming the key otherwise."""
    if not isinstance(text, str):
        raise SettingsError("settings must be text")
    if len(text) > MAX_TEXT_CHARACTERS:
        raise SettingsError(f"the settings text has {len(text):,} characters; settings are at "
                            f"most {MAX_TEXT_CHARACTERS:,}")
    words = text.split()
    if not words:
        raise SettingsError("the settings text is empty")
    _check_marker(words[0])
    values = _values(words[1:])
    config = _config(values)
    try:
        check_config(config, name=lambda path: KEY_BY_PATH.get(path, path),
                     unlimited=UNLIMITED_SPEED)
    except ValueError as error:
        raise SettingsError(str(error)) from None
    return config


def _check_marker(word: str) -> None:
    match = _MARKER.fullmatch(word)
    if match is None:
        raise SettingsError(f"this is not Backprop Playground settings text: it starts with "
                            f"{quote(word)} instead of {MARKER}:{VERSION}")
    version = int(match.group(1))
    if version > VERSION or version < 1:
        raise SettingsError(f"these settings are version {version}; this app reads version "
                            f"{VERSION}{' (please update the app)' if version > VERSION else ''}")


def _values(words: list[str]) -> dict[str, object]:
    values: dict[str, object] = {}
    for word in words:
        key, equals, raw = word.partition("=")
        if not equals:
            raise SettingsError(f"{quote(word)} is not a key=value pair")
        setting = SETTING_BY_KEY.get(key)
        if setting is None:
            raise SettingsError(f"unknown key {quote(key)} (in {quote(word)}); the keys are "
                                f"{', '.join(SETTING_BY_KEY)}")
        if key in values:
            raise SettingsError(f"{key} is given twice")
        try:
            values[key] = setting.parse(raw)
        except ValueError as error:
            raise SettingsError(f"{key}: {error} (in {quote(word)})") from None
    return values


def _config(values: dict[str, object]) -> PlaygroundConfig:
    """Defaults of a new playground, overridden by ``values``; the problem type follows the
    dataset and one activation name stands for every hidden layer."""
    defaults = PlaygroundConfig()
    parts = {section: {} for section in _SECTIONS}
    for key, value in values.items():
        setting = SETTING_BY_KEY[key]
        parts[setting.section][setting.field] = value
    data, network = parts["data"], parts["network"]
    entry = GENERATORS.get(data.get("generator"))
    if "problem" not in data and entry is not None:
        data["problem"] = entry.kind
    layers = network.get("hidden_layers", defaults.network.hidden_layers)
    activations = network.get("activations", defaults.network.activations[:1])
    if len(activations) == 1:
        network["activations"] = activations * len(layers)
    return PlaygroundConfig(replace(defaults.data, **data), replace(defaults.network, **network),
                            replace(defaults.hyper, **parts["hyper"]))
