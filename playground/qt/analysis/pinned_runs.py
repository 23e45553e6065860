"""Compare runs: pin the run as it is, show or hide a pinned run, remove it.

The pinned runs belong to the open document (``qt.files.document.Document.pins``): they are
saved in its file, come back when it is opened or restored after a crash, and count as
unsaved changes. Pinning reads the run's history in the worker between two mini-batches
(``playground.runs.pin_run``); the thumbnail is the boundary view as it is drawn.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter

from playground import limits
from playground.runs import PinnedRuns, describe_difference, pin_run

# one colour per pin, by its id; none is the live curves' blue or orange
GHOST_COLOURS = ("#009e73", "#7570b3", "#cc79a7", "#56b4e9", "#a6761d", "#e7298a", "#66a61e",
                 "#666666")


def pin_colour(pin_id: int) -> QColor:
    return QColor(GHOST_COLOURS[(pin_id - 1) % len(GHOST_COLOURS)])


def _pin_job(label: str, thumbnail):
    """Runs in the worker: (True, the pinned run) or (False, why there is nothing to pin)."""
    def job(playground):
        try:
            return True, pin_run(playground, label, thumbnail)
        except ValueError as error:
            return False, str(error)
    return job


class PinnedRunsKeeper(QObject):
    """Pins the running playground's run into the document and changes the pins it holds.

    ``document`` holds the pins (``pins``, ``set_pins``, ``sigPinsChanged``); ``thumbnail()``
    gives the boundary picture to keep with a pin (or None). ``sigMessage(text, problem)``
    says what happened, for the status bar.
    """

    sigMessage = Signal(str, bool)

    def __init__(self, controller, document, thumbnail=lambda: None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.controller = controller
        self.document = document
        self._thumbnail = thumbnail

    @property
    def runs(self) -> PinnedRuns:
        return self.document.pins

    def pin(self) -> None:
        """Pin the run as it is now (a job in the worker; the pin arrives a moment later)."""
        if self.runs.is_full:
            self.sigMessage.emit(f"At most {limits.MAX_PINNED_RUNS} runs can be pinned: "
                                 "remove one first.", True)
            return
        label = self.runs.next_label()
        loads = self.document.loads
        self.controller.run_in_worker(_pin_job(label, self._thumbnail()),
                                      lambda result: self._pinned(result, loads),
                                      lambda: None)

    def _pinned(self, result, loads: int) -> None:
        if loads != self.document.loads:    # another playground came meanwhile: not its run
            return
        ok, value = result
        if not ok:
            self.sigMessage.emit(f"Nothing pinned: {value}", True)
            return
        if self.runs.is_full:           # pinned twice in a row at the limit
            return
        self.document.set_pins(self.runs.add(value))
        self.sigMessage.emit(f"Pinned {value.label} at epoch {value.last_epoch}: change a "
                             "setting, press Reset and train to compare.", False)

    def set_visible(self, pin_id: int, visible: bool) -> None:
        if self.runs.get(pin_id).visible != visible:
            self.document.set_pins(self.runs.with_visible(pin_id, visible))

    def remove(self, pin_id: int) -> None:
        self.document.set_pins(self.runs.remove(pin_id))

    def difference(self, pin_id: int) -> str:
        """What differs between the pinned run's settings and the running one's."""
        return describe_difference(self.runs.get(pin_id).config, self.controller.config)


def view_thumbnail(view, side: int = limits.MAX_THUMBNAIL_SIDE) -> np.ndarray | None:
    """The data area of a pyqtgraph view (the boundary's plot) as a uint8 RGB image of
    ``side`` × ``side`` pixels, or None when it has not been laid out yet."""
    plot = getattr(view, "plot", None)
    if plot is None:
        return None
    source = plot.getViewBox().sceneBoundingRect()
    if source.width() < 2 or source.height() < 2:
        return None
    image = QImage(side, side, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    view.scene().render(painter, QRectF(0, 0, side, side), source,
                        Qt.AspectRatioMode.IgnoreAspectRatio)
    painter.end()
    return rgb_array(image)


def rgb_array(image: QImage) -> np.ndarray:
    """A QImage as a fresh (h, w, 3) uint8 RGB array."""
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height = image.width(), image.height()
    rows = np.frombuffer(image.constBits(), np.uint8,
                         count=image.bytesPerLine() * height).reshape(height, -1)
    return rows[:, :width * 3].reshape(height, width, 3).copy()


def rgb_image(array: np.ndarray) -> QImage:
    """A (h, w, 3) uint8 RGB array as a QImage that owns its pixels."""
    array = np.ascontiguousarray(array, dtype=np.uint8)
    height, width, _ = array.shape
    return QImage(array.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()
