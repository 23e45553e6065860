"""Classroom mode: which of the window's controls a lesson hides or locks for students (pure).

:data:`CONTROLS` is the one registry of the controls a lesson may name, by a stable id with a
label and the panel it sits in; lesson files store the ids, and the window maps each id to its
widgets (a control the window does not map yet is simply left alone). A hidden control is not
shown at all; a locked one is shown with its value but cannot be changed.
"""
from __future__ import annotations

from dataclasses import dataclass

from playground.messages import quote

SHOWN, LOCKED, HIDDEN = "shown", "locked", "hidden"


@dataclass(frozen=True)
class Control:
    """A control a lesson can hide or lock: its label as the window shows it, and its panel."""

    label: str
    panel: str


CONTROLS: dict[str, Control] = {
    # the Data panel
    "dataset": Control("Dataset", "Data"),
    "problem": Control("Problem type", "Data"),
    "noise": Control("Noise", "Data"),
    "train_ratio": Control("Training data", "Data"),
    "classes": Control("Classes", "Data"),
    "regenerate": Control("Regenerate", "Data"),
    # the Training panel
    "learning_rate": Control("Learning rate", "Training"),
    "batch_size": Control("Batch size", "Training"),
    "optimizer": Control("Optimizer", "Training"),
    "activation": Control("Activation", "Training"),
    "regularization": Control("Regularization and its rate", "Training"),
    "precision": Control("Precision", "Training"),
    "speed": Control("Speed", "Training"),
    # the network editor
    "features": Control("Input features", "Network"),
    "layers": Control("Hidden layers and neurons", "Network"),
    "edit_weights": Control("Typing a weight's value", "Network"),
    # tools
    "reset": Control("Reset", "Tool bar"),
    "painter": Control("Dataset painter", "Tool bar"),
    "inspector": Control("Backprop inspector", "Panels"),
    "slope": Control("Slope panel", "Panels"),
    "landscape": Control("Landscape panel", "Panels"),
    "compare_runs": Control("Pin and compare runs", "Panels"),
    "show_test_data": Control("Show test data", "Output"),
    "discretize": Control("Discretize output", "Output"),
}


@dataclass(frozen=True)
class Classroom:
    """The controls a lesson hides and locks (ids of :data:`CONTROLS`; none by default)."""

    hidden: frozenset[str] = frozenset()
    locked: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        for kind in ("hidden", "locked"):
            unknown = sorted(set(getattr(self, kind)) - set(CONTROLS))
            if unknown:
                raise ValueError(f"{kind} names the unknown control {quote(unknown[0])}; the "
                                 f"controls are {', '.join(CONTROLS)}")
        both = sorted(self.hidden & self.locked)
        if both:
            raise ValueError(f"locked names {quote(both[0])}, which is hidden too; a control is "
                             "either hidden or locked")

    def state(self, control_id: str) -> str:
        """SHOWN, LOCKED or HIDDEN for a control id (KeyError for an id not in CONTROLS)."""
        if control_id not in CONTROLS:
            raise KeyError(f"no control {control_id!r}")
        if control_id in self.hidden:
            return HIDDEN
        return LOCKED if control_id in self.locked else SHOWN

    @property
    def is_open(self) -> bool:
        """True when nothing is hidden or locked (a playground as usual)."""
        return not (self.hidden or self.locked)
