"""The pinned runs beside the plots: "Pin this run", and a list to show, hide or remove each.

Each row is a pinned run: a check box (its ghost curves shown or not), its boundary thumbnail
framed in its ghost colour, its label, what differs from the running settings ("lr 0.3 vs
0.03") and how far it went. Remove takes the selected run away (also the Delete key and the
row's context menu).
"""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMenu,
                               QPushButton, QVBoxLayout, QWidget)

from playground.qt.analysis.pinned_runs import pin_colour, rgb_image
from playground.qt.widgets import describe
from playground.runs import PinnedRuns

PANEL_WIDTH = 200
# as narrow as a thumbnail and its check box: beside the four plots on a 1024-pixel screen
NARROW_WIDTH = 64
ICON_SIDE = 36
PIN_ID_ROLE = Qt.ItemDataRole.UserRole


class RunsPanel(QWidget):
    """"Pin this run" and the list of pinned runs.

    Signals: ``sigPin`` (pin the run as it is), ``sigVisibilityChanged(pin_id, shown)``,
    ``sigRemove(pin_id)``. ``show_runs(runs, differences)`` lists the runs, ``differences``
    giving each pin's id what differs from the running settings.
    """

    sigPin = Signal()
    sigVisibilityChanged = Signal(int, bool)
    sigRemove = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runsPanel")
        self.pin_button = QPushButton("Pin this run")
        describe(self.pin_button, "pinRunButton", "Pin this run",
                 "Keep this run's loss and accuracy curves, settings and boundary: change a "
                 "setting, press Reset and train, and it stays drawn faintly to compare (P).")
        self.pin_button.clicked.connect(self.sigPin)
        self.list = QListWidget()
        describe(self.list, "pinnedRunsList", "Pinned runs",
                 "Runs pinned for comparison: tick to show a run's ghost curves in the loss "
                 "and accuracy plots.")
        self.list.setIconSize(QSize(ICON_SIDE, ICON_SIDE))
        self.list.setWordWrap(True)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._context_menu)
        self.list.itemChanged.connect(self._item_changed)
        self.list.currentItemChanged.connect(lambda *_: self._update_remove())
        self.remove_button = QPushButton("Remove")
        describe(self.remove_button, "removeRunButton", "Remove pinned run",
                 "Forget the selected pinned run.")
        self.remove_button.clicked.connect(self._remove_current)
        self.empty_hint = QLabel("Pin a run, change a setting, Reset and train: the pinned "
                                 "run stays drawn faintly in the plots.")
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setObjectName("runsHint")
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.pin_button, 1)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(buttons)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty_hint, 1)
        self.setMinimumWidth(NARROW_WIDTH)
        self._filling = False
        self.show_runs(PinnedRuns(), {})

    def show_runs(self, runs: PinnedRuns, differences: dict[int, str]) -> None:
        """List ``runs``; the rows are updated in place while the same pins are listed (a
        check box just ticked keeps its row)."""
        self._filling = True
        ids = [run.pin_id for run in runs]
        if ids != [self.list.item(row).data(PIN_ID_ROLE) for row in range(self.list.count())]:
            current = self.current_pin()
            self.list.clear()
            for run in runs:
                item = QListWidgetItem(thumbnail_icon(run), "")
                item.setData(PIN_ID_ROLE, run.pin_id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                self.list.addItem(item)
                if run.pin_id == current:
                    self.list.setCurrentItem(item)
        for row, run in enumerate(runs):
            item, difference = self.list.item(row), differences.get(run.pin_id, "")
            item.setText(f"{run.label} · epoch {run.last_epoch}\n{difference}")
            item.setToolTip(f"{run.label}: {difference}, trained {run.last_epoch} epochs")
            item.setCheckState(Qt.CheckState.Checked if run.visible else Qt.CheckState.Unchecked)
        self._filling = False
        self.list.setVisible(len(runs) > 0)
        self.empty_hint.setVisible(len(runs) == 0)
        self.pin_button.setEnabled(not runs.is_full)
        self._update_remove()

    def sizeHint(self) -> QSize:
        return QSize(PANEL_WIDTH, super().sizeHint().height())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        narrow = self.width() < PANEL_WIDTH * 3 // 4
        self.pin_button.setText("Pin" if narrow else "Pin this run")
        self.remove_button.setText("×" if narrow else "Remove")

    def current_pin(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(PIN_ID_ROLE))

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Delete and self.current_pin() is not None:
            self._remove_current()
            return
        super().keyPressEvent(event)

    def _item_changed(self, item: QListWidgetItem) -> None:
        if not self._filling:
            self.sigVisibilityChanged.emit(int(item.data(PIN_ID_ROLE)),
                                           item.checkState() == Qt.CheckState.Checked)

    def _update_remove(self) -> None:
        self.remove_button.setEnabled(self.current_pin() is not None)

    def _remove_current(self) -> None:
        pin_id = self.current_pin()
        if pin_id is not None:
            self.sigRemove.emit(pin_id)

    def _context_menu(self, position) -> None:
        item = self.list.itemAt(position)
        if item is None:
            return
        menu = QMenu(self)
        remove = menu.addAction("Remove")
        remove.triggered.connect(lambda: self.sigRemove.emit(int(item.data(PIN_ID_ROLE))))
        menu.exec(self.list.viewport().mapToGlobal(position))


def thumbnail_icon(run) -> QIcon:
    """The run's boundary thumbnail (a plain square without one) framed in its ghost colour."""
    pixmap = QPixmap(ICON_SIDE, ICON_SIDE)
    colour = pin_colour(run.pin_id)
    pixmap.fill(colour)
    painter = QPainter(pixmap)
    inner = ICON_SIDE - 6
    if run.thumbnail is not None:
        painter.drawImage(3, 3, rgb_image(run.thumbnail).scaled(
            inner, inner, Qt.AspectRatioMode.IgnoreAspectRatio,
            Qt.TransformationMode.SmoothTransformation))
    else:
        painter.fillRect(3, 3, inner, inner, QColor("white"))
    painter.end()
    return QIcon(pixmap)
