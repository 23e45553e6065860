"""What the GUI thread asks of the training worker: one small frozen type per command.

A command is built where it is sent, so a misspelt command or a missing argument fails there,
on the GUI thread, instead of later on the training thread; the worker matches on the type.
No Qt here: commands are plain values that cross the thread boundary in a queue.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from playground.config import DataSpec, Hyperparameters, NetworkSpec
from playground.data import Dataset

if TYPE_CHECKING:      # a Playground only passes through here; the session loads the engine
    from playground.session import Playground

# what the Slope and Landscape panels may ask for (playground.loss_views computes them)
SLOPE_DATA = ("batch", "train")
LANDSCAPE_DIRECTIONS = ("random", "pca")
LANDSCAPE_RESOLUTIONS = (15, 31, 51)


@dataclass(frozen=True)
class Play:
    """Train continuously (at the speed limit, if any) until paused."""


@dataclass(frozen=True)
class Pause:
    """Stop training between two mini-batches."""


@dataclass(frozen=True)
class StepEpoch:
    """Pause, then train the rest of the current epoch (a whole one from its start)."""


@dataclass(frozen=True)
class StepBatch:
    """Pause, then train one mini-batch; its snapshot carries the engine's caches."""


@dataclass(frozen=True)
class Reset:
    """Re-initialise the weights and restart training: from ``seed`` when one is given, else
    from a fresh random seed when ``new_seed``, else from the network's seed (the same weights
    as the last start)."""

    new_seed: bool = False
    seed: int | None = None


@dataclass(frozen=True)
class SetHyperparameters:
    """New settings that apply from the next mini-batch on, without a rebuild."""

    hyper: Hyperparameters


@dataclass(frozen=True)
class SetNetwork:
    """A new network structure: fresh weights (or ``layers``, (W, b) per layer, as they were
    before an edit that is being undone), the history restarts."""

    spec: NetworkSpec
    layers: tuple | None = None


@dataclass(frozen=True)
class SetDataSpec:
    """Generate new data from a generator's spec."""

    spec: DataSpec


@dataclass(frozen=True)
class SetDataset:
    """Train on a hand-made dataset.

    ``edit`` numbers the sender's edit (the dataset painter's); the snapshots of this data carry
    it back in ``DataView.edit``, so the sender knows its own echo without comparing arrays.
    ``split`` (train indices, test indices) is the points' own split (an imported file's);
    None splits them by the ratio and seed.
    """

    dataset: Dataset
    edit: int | None = None
    split: tuple | None = None


@dataclass(frozen=True)
class SetParameter:
    """Set one weight (``index`` (i, j)) or bias (``index`` j) by hand."""

    kind: str
    layer: int
    index: object
    value: float


@dataclass(frozen=True)
class LoadPlayground:
    """Replace the whole session (a file opened); the sender must not use it any more."""

    playground: Playground


@dataclass(frozen=True)
class RunJob:
    """Run the job the controller keeps under ``token`` (see TrainingController.run_in_worker)."""

    token: int


@dataclass(frozen=True)
class WatchSlope:
    """The Slope panel is shown (``data`` "batch" or "train": the loss along the step for the
    next mini-batch or the whole training set) or hidden (None): the worker computes the
    profile for the snapshots only while it is shown."""

    data: str | None

    def __post_init__(self) -> None:
        if self.data not in (None, *SLOPE_DATA):
            raise ValueError(f"data must be None or one of {SLOPE_DATA}, not {self.data!r}")


@dataclass(frozen=True)
class WatchLandscape:
    """The Landscape panel is shown (``directions`` "random" or "pca", a grid of
    ``resolution`` x ``resolution``) or hidden (None): the worker computes slices for the
    snapshots only while it is shown, within a share of its time."""

    directions: str | None
    resolution: int = 31

    def __post_init__(self) -> None:
        if self.directions not in (None, *LANDSCAPE_DIRECTIONS):
            raise ValueError(f"directions must be None or one of {LANDSCAPE_DIRECTIONS}, "
                             f"not {self.directions!r}")
        if self.resolution not in LANDSCAPE_RESOLUTIONS:
            raise ValueError(f"resolution must be one of {LANDSCAPE_RESOLUTIONS}, "
                             f"not {self.resolution!r}")


# every command type; isinstance(value, Command) tells a command from anything else
Command = (Play | Pause | StepEpoch | StepBatch | Reset | SetHyperparameters | SetNetwork
           | SetDataSpec | SetDataset | SetParameter | LoadPlayground | RunJob | WatchSlope
           | WatchLandscape)
