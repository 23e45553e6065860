"""A lesson's goal ("test loss below 0.1", "test accuracy at least 95 % within 500 epochs") and
its check over the epoch history (pure NumPy).

The check is a function of the history's columns, so the lesson panel can run it on every
snapshot (a million rows take a few milliseconds) or on the rows that just arrived, keeping
the first hit: a goal once reached stays reached until the history restarts (Reset).
"""
from __future__ import annotations

import math
import operator
from dataclasses import dataclass

import numpy as np

from playground.limits import MAX_COUNT
from playground.messages import quote

# metric: the history column it reads, and how the panel names it
METRICS = {
    "train_loss": "training loss",
    "test_loss": "test loss",
    "train_accuracy": "training accuracy",
    "test_accuracy": "test accuracy",
}
ACCURACY_METRICS = ("train_accuracy", "test_accuracy")
COMPARISONS = {
    "<": (operator.lt, "below"),
    "<=": (operator.le, "at most"),
    ">": (operator.gt, "above"),
    ">=": (operator.ge, "at least"),
}
REACHED, MISSED, PENDING = "reached", "missed", "pending"


@dataclass(frozen=True)
class Goal:
    """A target on one metric of the history, optionally within a number of epochs.

    ``value`` is a loss (≥ 0) or an accuracy as a fraction (0.95 for 95 %). ValueError naming
    the field for anything else.
    """

    metric: str
    comparison: str
    value: float
    within_epochs: int | None = None

    def __post_init__(self) -> None:
        if self.metric not in METRICS:
            raise ValueError(f"metric is {quote(self.metric)}; it must be one of "
                             f"{', '.join(METRICS)}")
        if self.comparison not in COMPARISONS:
            raise ValueError(f"comparison is {quote(self.comparison)}; it must be one of "
                             f"{', '.join(COMPARISONS)}")
        value = self.value
        if isinstance(value, bool) or not isinstance(value, (int, float)) \
                or not math.isfinite(value):
            raise ValueError(f"value is {quote(value)}; it must be a finite number")
        if self.metric in ACCURACY_METRICS and not 0 <= value <= 1:
            raise ValueError(f"value is {quote(value)}; an accuracy is a fraction 0..1 "
                             "(0.95 for 95 %)")
        if value < 0:
            raise ValueError(f"value is {quote(value)}; a loss is never negative")
        object.__setattr__(self, "value", float(value))
        limit = self.within_epochs
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)
                                  or not 1 <= limit <= MAX_COUNT):
            raise ValueError(f"within_epochs is {quote(limit)}; it must be a whole number "
                             f"1..{MAX_COUNT:,} or null")

    @property
    def is_accuracy(self) -> bool:
        return self.metric in ACCURACY_METRICS

    def describe(self) -> str:
        """The goal in words: "test accuracy at least 95 % within 500 epochs"."""
        amount = (f"{self.value * 100:g} %" if self.is_accuracy else f"{self.value:g}")
        words = f"{METRICS[self.metric]} {COMPARISONS[self.comparison][1]} {amount}"
        if self.within_epochs is not None:
            words += f" within {self.within_epochs:,} epoch{'s' * (self.within_epochs != 1)}"
        return words


@dataclass(frozen=True)
class GoalProgress:
    """Where a run stands: REACHED (at ``epoch``, the first epoch that met the goal), MISSED
    (the epoch limit passed without it) or PENDING (not yet)."""

    status: str
    epoch: int | None = None

    @property
    def reached(self) -> bool:
        return self.status == REACHED


def evaluate_goal(goal: Goal, epochs, values) -> GoalProgress:
    """The goal checked on a history: ``epochs`` and the goal metric's column, row by row.

    A NaN (an empty test set, the accuracy of a regression) never meets a goal. Rows after
    ``within_epochs`` do not count; the goal is MISSED once the history has passed it.
    """
    epochs = np.asarray(epochs)
    values = np.asarray(values, dtype=np.float64)
    if epochs.shape != values.shape or epochs.ndim != 1:
        raise ValueError("epochs and values must be 1-D columns of the same length")
    compare = COMPARISONS[goal.comparison][0]
    with np.errstate(invalid="ignore"):
        met = compare(values, goal.value)
    if goal.within_epochs is not None:
        met &= epochs <= goal.within_epochs
    if met.any():
        return GoalProgress(REACHED, int(epochs[int(np.argmax(met))]))
    if goal.within_epochs is not None and len(epochs) and epochs[-1] >= goal.within_epochs:
        return GoalProgress(MISSED)
    return GoalProgress(PENDING)
