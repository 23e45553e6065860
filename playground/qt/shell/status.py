"""Read-outs of the training state: the toolbar's epoch and speed, the status bar's losses and
messages.

Every value label's text contains the number it shows ("Epoch 312", "Train loss 0.0412"), so
people, screen readers and tests read the same thing; a position in training is always written
by ``playground.messages.describe_position``.

Messages have a kind (``playground.messages``): a success or a piece of information fades after
a few seconds, a warning after longer, and an error stays until it is replaced or stops being
true (the window clears a divergence once training restarts). Each kind has its colour.
"""
from __future__ import annotations

import math

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QColor, QFont, QPalette
from PySide6.QtWidgets import QLabel, QSizePolicy, QStatusBar, QToolButton

from playground.config import REGRESSION
from playground.messages import ERROR, INFO, SUCCESS, WARNING, describe_position, shorten
from playground.snapshot import Snapshot

# how long a message of each kind stays (None: until replaced or cleared)
MESSAGE_SECONDS = {SUCCESS: 8.0, INFO: 8.0, WARNING: 20.0, ERROR: None}
# (on a light palette, on a dark one); information is drawn in the palette's own text colour
MESSAGE_COLORS = {SUCCESS: ("#1a7f37", "#3fb950"), WARNING: ("#9a6700", "#d29922"),
                  ERROR: ("#c01c28", "#ff7b72")}
MESSAGE_TIP = "The last message: what was done, refused or went wrong."
DIVERGENCE = "divergence"           # the topic of a divergence message


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
        set_text(self.epoch, describe_position(epoch, batch_in_epoch))
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
    """Train and test loss, accuracy and the last message (with an action it may offer, such
    as Reset after a divergence) in a status bar."""

    def __init__(self, status_bar: QStatusBar):
        self.message = value_label("statusMessage", "Message", MESSAGE_TIP)
        # a long message is clipped (its tooltip holds all of it) rather than widening the window
        self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.kind = INFO
        self.topic: str | None = None
        # (serial, epoch, batch) of the snapshot a divergence message describes
        self._stopped_at: tuple[int, int, int] | None = None
        self._expiry = QTimer(self.message)
        self._expiry.setSingleShot(True)
        self._expiry.timeout.connect(self.clear_message)
        # the action a message offers (Reset after a divergence), as a button beside it
        self.offer = QToolButton()
        self.offer.setObjectName("statusOfferButton")
        self.offer.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.offer.hide()
        # also in the tool bar, which can be hidden; the status bar always shows where training is
        self.epoch = value_label("statusEpochValue", "Epoch",
                                 "Completed training epochs, and the mini-batches done of the "
                                 "next one.")
        self.train_loss = value_label("trainLossValue", "Training loss",
                                      "Loss on the training data, without the regularisation "
                                      "penalty.")
        self.test_loss = value_label("testLossValue", "Test loss",
                                     "Loss on the held-out test data.")
        self.accuracy = value_label("accuracyValue", "Accuracy",
                                    "Share of correctly classified training and test points.")
        status_bar.addWidget(self.message, 1)
        status_bar.addWidget(self.offer)
        for label, widest in ((self.epoch, "Epoch 0000000 · batch 00"),
                              (self.train_loss, "Train loss 00000.0000"),
                              (self.test_loss, "Test loss 00000.0000"),
                              (self.accuracy, "Accuracy train 100.0 % · test 100.0 %")):
            label.setContentsMargins(8, 0, 8, 0)
            fix_width(label, widest)
            # opaque on the flat status bar: a new number repaints the label alone, not the
            # bar under it too (the tool bar's gradient would show a filled label's edges)
            label.setAutoFillBackground(True)
            status_bar.addPermanentWidget(label)
        self.epoch.setText(describe_position(0))
        self._show_losses(math.nan, math.nan)
        self.accuracy.setText("Accuracy —")

    def show_snapshot(self, snapshot: Snapshot) -> None:
        stopped = self._stopped_at
        if stopped is not None and snapshot.serial > stopped[0] and \
                (snapshot.epoch, snapshot.batch_in_epoch) != stopped[1:]:
            self._stopped_at = None     # trained on, or restarted: no longer true
            self.clear_message(DIVERGENCE)
        set_text(self.epoch, describe_position(snapshot.epoch, snapshot.batch_in_epoch))
        self._show_losses(snapshot.train_loss, snapshot.test_loss)
        if snapshot.data.kind == REGRESSION:
            self.accuracy.hide()
        else:
            self.accuracy.show()
            set_text(self.accuracy, f"Accuracy train {format_percent(snapshot.train_accuracy)}"
                                    f" · test {format_percent(snapshot.test_accuracy)}")

    def show_message(self, text: str, kind: str | bool = ERROR, topic: str | None = None,
                     offer: QAction | None = None) -> None:
        """Show a message of a kind (SUCCESS, INFO, WARNING, ERROR; True and False mean ERROR
        and INFO) until it expires or the next one replaces it. ``topic`` names what it is
        about, so ``clear_message(topic)`` can take it back once it is no longer true;
        ``offer`` is an action shown as a button beside it."""
        if isinstance(kind, bool):
            kind = ERROR if kind else INFO
        text = shorten(text)
        self.kind, self.topic = kind, topic
        self.message.setText(text)
        self.message.setToolTip(text or MESSAGE_TIP)
        self.message.setAccessibleDescription(kind if text else "")
        palette = self.message.palette()
        color = QPalette().color(QPalette.ColorRole.WindowText)
        if kind in MESSAGE_COLORS:     # readable on the light or the dark palette
            light, dark = MESSAGE_COLORS[kind]
            color = QColor(light if color.lightness() < 128 else dark)
        palette.setColor(QPalette.ColorRole.WindowText, color)
        self.message.setPalette(palette)
        if offer is not None:
            self.offer.setDefaultAction(offer)
        self.offer.setVisible(offer is not None and bool(text))
        seconds = MESSAGE_SECONDS.get(kind)
        if text and seconds is not None:
            self._expiry.start(int(seconds * 1000))
        else:
            self._expiry.stop()

    def show_divergence(self, text: str, stopped: Snapshot | None,
                        offer: QAction | None = None) -> None:
        """A divergence, described at the snapshot ``stopped`` (the worker sends it just
        before the message): shown until a later snapshot is somewhere else."""
        if stopped is not None:
            self._stopped_at = (stopped.serial, stopped.epoch, stopped.batch_in_epoch)
        self.show_message(text, ERROR, topic=DIVERGENCE, offer=offer)

    def clear_message(self, topic: str | None = None) -> None:
        """Remove the message; with ``topic``, only a message about that."""
        if topic is None or topic == self.topic:
            self.show_message("", INFO)

    def _show_losses(self, train: float, test: float) -> None:
        set_text(self.train_loss, f"Train loss {format_loss(train)}")
        set_text(self.test_loss, f"Test loss {format_loss(test)}")
