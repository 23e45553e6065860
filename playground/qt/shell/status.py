"""Read-outs of the training state: the toolbar's epoch and speed, the status bar's losses.

Every value label's text contains the number it shows ("Epoch 312", "Train loss 0.0412"), so
people, screen readers and tests read the same thing.
"""
from __future__ import annotations

import math

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QLabel, QSizePolicy, QStatusBar

from playground.config import REGRESSION
from playground.messages import shorten
from playground.snapshot import Snapshot


def format_loss(value: float) -> str:
    """Four decimals in the usual range; powers of ten for tiny and for diverging losses, so
    the text stays as narrow as the fixed-width status label ("00000.0000")."""
    if not math.isfinite(value):
        return "—"
    return f"{value:.4f}" if 1e-3 <= value < 1e4 else f"{value:.2e}"


def format_percent(value: float) -> str:
    return "—" if not math.isfinite(value) else f"{100.0 * value:.1f} %"


def value_label(object_name: str, accessible: str, tooltip: str) -> QLabel:
    label = QLabel()
    label.setObjectName(object_name)
    label.setAccessibleName(accessible)
    label.setToolTip(tooltip)
    return label


def fix_width(label: QLabel, widest: str) -> None:
    """Size ``label`` for its widest text once: a label of fixed size changing its text repaints
    itself only, where a growing or shrinking one lays out its whole tool bar or status bar."""
    margins = label.contentsMargins()
    width = label.fontMetrics().horizontalAdvance(widest) + margins.left() + margins.right() + 2
    label.setFixedSize(width, label.sizeHint().height())


def set_text(label: QLabel, text: str) -> None:
    """setText when the text changed (an unchanged setText still repaints the label)."""
    if label.text() != text:
        label.setText(text)


class EpochReadout:
    """The toolbar's epoch counter and measured speed.

    While paused the speed shows "paused" and the last rate measured while playing, dimmed:
    the worker reports 0 epochs/s when it is not training, which is not the network's speed.
    """

    def __init__(self):
        self.epoch = value_label("epochValue", "Epoch", "Number of completed training epochs.")
        self.speed = value_label("speedValue", "Training speed",
                                 "Epochs trained per second, measured over the last second.")
        font = QFont(self.epoch.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.epoch.setFont(font)
        # wide enough for six digits so the toolbar does not jump while counting
        fix_width(self.epoch, "Epoch 000000 · batch 00")
        fix_width(self.speed, "paused · 00000 epochs/s")
        self.last_rate: float | None = None      # the last speed measured while playing
        self.show(0, 0, 0.0, playing=False)

    def show(self, epoch: int, batch_in_epoch: int, epochs_per_second: float,
             playing: bool = True) -> None:
        text = f"Epoch {epoch}"
        if batch_in_epoch:
            text += f" · batch {batch_in_epoch}"
        set_text(self.epoch, text)
        if playing and epochs_per_second > 0:
            self.last_rate = epochs_per_second
        if playing:
            rate = f"{epochs_per_second:.0f} epochs/s" if epochs_per_second > 0 else "— epochs/s"
        elif self.last_rate is not None:
            rate = f"paused · {self.last_rate:.0f} epochs/s"
        else:
            rate = "paused"
        set_text(self.speed, rate)
        if self.speed.isEnabled() != playing:
            self.speed.setEnabled(playing)        # disabled = drawn dimmed


class StatusReadout:
    """Train and test loss, accuracy and the last divergence or error message in a status bar."""

    def __init__(self, status_bar: QStatusBar):
        self.message = value_label("statusMessage", "Message",
                                   "The last divergence, error or refused entry.")
        # a long message is clipped (its tooltip holds all of it) rather than widening the window
        self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        # also in the tool bar, which can be hidden; the status bar always shows where training is
        self.epoch = value_label("statusEpochValue", "Epoch",
                                 "Number of completed training epochs.")
        self.train_loss = value_label("trainLossValue", "Training loss",
                                      "Loss on the training data, without the regularisation "
                                      "penalty.")
        self.test_loss = value_label("testLossValue", "Test loss",
                                     "Loss on the held-out test data.")
        self.accuracy = value_label("accuracyValue", "Accuracy",
                                    "Share of correctly classified training and test points.")
        status_bar.addWidget(self.message, 1)
        for label, widest in ((self.epoch, "Epoch 0000000"),
                              (self.train_loss, "Train loss 00000.0000"),
                              (self.test_loss, "Test loss 00000.0000"),
                              (self.accuracy, "Accuracy train 100.0 % · test 100.0 %")):
            label.setContentsMargins(8, 0, 8, 0)
            fix_width(label, widest)
            # opaque on the flat status bar: a new number repaints the label alone, not the
            # bar under it too (the tool bar's gradient would show a filled label's edges)
            label.setAutoFillBackground(True)
            status_bar.addPermanentWidget(label)
        self.epoch.setText("Epoch 0")
        self._show_losses(math.nan, math.nan)
        self.accuracy.setText("Accuracy —")

    def show_snapshot(self, snapshot: Snapshot) -> None:
        set_text(self.epoch, f"Epoch {snapshot.epoch}")
        self._show_losses(snapshot.train_loss, snapshot.test_loss)
        if snapshot.data.kind == REGRESSION:
            self.accuracy.hide()
        else:
            self.accuracy.show()
            set_text(self.accuracy, f"Accuracy train {format_percent(snapshot.train_accuracy)}"
                                    f" · test {format_percent(snapshot.test_accuracy)}")

    def show_message(self, text: str, problem: bool = True) -> None:
        """Show a message until the next one (or clear_message); problems are drawn in red."""
        text = shorten(text)
        self.message.setText(text)
        self.message.setToolTip(text or "The last divergence, error or refused entry.")
        palette = self.message.palette()
        color = QPalette().color(QPalette.ColorRole.WindowText)
        if problem:   # a red readable on the light or the dark palette
            color = QColor("#c01c28") if color.lightness() < 128 else QColor("#ff7b72")
        palette.setColor(QPalette.ColorRole.WindowText, color)
        self.message.setPalette(palette)

    def clear_message(self) -> None:
        self.show_message("", problem=False)

    def _show_losses(self, train: float, test: float) -> None:
        set_text(self.train_loss, f"Train loss {format_loss(train)}")
        set_text(self.test_loss, f"Test loss {format_loss(test)}")
