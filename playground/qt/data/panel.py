"""Data panel: a gallery of dataset thumbnails, noise, train:test ratio, problem type, classes.

The panel only reports intent: every change emits ``sigDataSpecChanged`` with a complete new
DataSpec and the window forwards it to the worker. Thumbnails are rendered once per generator,
noise and class count into QImages (a few hundred points each), not on every frame.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (QComboBox, QFormLayout, QHBoxLayout, QLabel, QListView,
                               QListWidget, QListWidgetItem, QPushButton, QSlider, QSpinBox,
                               QVBoxLayout, QWidget)

from playground.config import CLASSIFICATION, PROBLEM_TYPES, REGRESSION, DataSpec
from playground.data.dataset import MIN_CLASSES
from playground.data.generators import DATA_EXTENT, GENERATORS, make_dataset
from playground.limits import NOISE_RANGE, TRAIN_RATIO_RANGE
from playground.qt import theme
from playground.qt.widgets import ARROW_KEYS, SPACE_KEY, describe, tab_focus_only

THUMBNAIL_SIZE = 60
THUMBNAIL_POINTS = 240
PROBLEM_LABELS = {CLASSIFICATION: "Classification", REGRESSION: "Regression"}
# the ratio slider moves in steps of 10 % and keeps both sets non-empty
RATIO_RANGE = tuple(round(100 * ratio) for ratio in TRAIN_RATIO_RANGE)


def render_thumbnail(name: str, noise: float, classes: int, size: int = THUMBNAIL_SIZE) -> QImage:
    """A size × size picture of a generator's points: class colours or the diverging palette."""
    entry = GENERATORS[name]
    n_classes = min(max(classes, MIN_CLASSES), entry.max_classes) if entry.kind == CLASSIFICATION \
        else 2
    # regression values near 0 are drawn close to the background colour: more points show the
    # surface's pattern anyway
    n_points = THUMBNAIL_POINTS if entry.kind == CLASSIFICATION else 3 * THUMBNAIL_POINTS
    dataset = make_dataset(name, n=n_points, noise=noise, seed=0, classes=n_classes)
    if entry.kind == CLASSIFICATION:
        colors = theme.class_colors_rgb(dataset.n_classes)[dataset.y]
    else:
        lut = theme.diverging_lut()
        colors = lut[theme.lut_indices(dataset.y, -1.0, 1.0)].astype(np.float32)
    pixels = np.empty((size, size, 3), dtype=np.uint8)
    pixels[:] = theme.hex_to_rgb(theme.NEUTRAL).astype(np.uint8)
    low, high = DATA_EXTENT
    # 2 × 2 dots; y grows upwards in the data, downwards in the image
    scale = (size - 2) / (high - low)
    columns = np.clip(((dataset.X[:, 0] - low) * scale).astype(int), 0, size - 2)
    rows = np.clip(((high - dataset.X[:, 1]) * scale).astype(int), 0, size - 2)
    dots = colors.astype(np.uint8)
    for dr in (0, 1):
        for dc in (0, 1):
            pixels[rows + dr, columns + dc] = dots
    image = QImage(pixels.data, size, size, 3 * size, QImage.Format.Format_RGB888)
    return image.copy()   # the QImage above only borrows the NumPy buffer


class DatasetGallery(QListWidget):
    """Clickable thumbnails of every generator of the current problem type."""

    sigGeneratorChosen = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setIconSize(QSize(THUMBNAIL_SIZE, THUMBNAIL_SIZE))
        # long labels ("Gaussian bumps") wrap onto a second line instead of being elided
        self.setWordWrap(True)
        line = self.fontMetrics().lineSpacing()
        self.setGridSize(QSize(THUMBNAIL_SIZE + 20, THUMBNAIL_SIZE + 2 * line + 10))
        self.setSpacing(2)
        # every problem type has at most six generators: two rows of three, no empty space and
        # nothing to scroll, so the settings column stays narrow (~270 pixels)
        self.setFixedHeight(2 * self.gridSize().height() + 4 * self.frameWidth() + 4)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(3 * self.gridSize().width() + 4 * self.frameWidth() + 4)
        for name, entry in GENERATORS.items():
            item = QListWidgetItem(entry.label)
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setToolTip(f"{entry.label}: {PROBLEM_LABELS[entry.kind].lower()} data.")
            self.addItem(item)
        self._rendered: dict[str, tuple[float, int]] = {}
        self._thumbnail_look: tuple[float, int] | None = None   # (noise, classes) to draw with
        self.currentItemChanged.connect(self._item_changed)

    def current_generator(self) -> str | None:
        item = self.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def show_problem(self, problem: str) -> None:
        for row in range(self.count()):
            item = self.item(row)
            item.setHidden(GENERATORS[item.data(Qt.ItemDataRole.UserRole)].kind != problem)
        if self._thumbnail_look is not None:
            self.refresh_thumbnails(*self._thumbnail_look)

    def select(self, name: str | None) -> None:
        """Select a generator without emitting (None: no thumbnail, for hand-made points)."""
        self.blockSignals(True)
        if name is None:
            self.setCurrentRow(-1)
            self.clearSelection()
        for row in range(self.count()):
            if self.item(row).data(Qt.ItemDataRole.UserRole) == name:
                self.setCurrentRow(row)
        self.blockSignals(False)

    def refresh_thumbnails(self, noise: float, classes: int) -> None:
        """Re-render the shown thumbnails whose picture depends on what changed; those of the
        other problem type wait until it is chosen (fewer to draw at start-up)."""
        self._thumbnail_look = (noise, classes)
        for row in range(self.count()):
            item = self.item(row)
            if item.isHidden():
                continue
            name = item.data(Qt.ItemDataRole.UserRole)
            key = (noise, classes if GENERATORS[name].multiclass else MIN_CLASSES)
            if self._rendered.get(name) != key:
                item.setIcon(QIcon(QPixmap.fromImage(render_thumbnail(name, noise, key[1]))))
                self._rendered[name] = key

    def _item_changed(self, current, previous) -> None:
        if current is not None:
            self.sigGeneratorChosen.emit(current.data(Qt.ItemDataRole.UserRole))


class DataPanel(QWidget):
    """Choose and shape the generated dataset."""

    sigDataSpecChanged = Signal(object)   # DataSpec

    def __init__(self, spec: DataSpec | None = None, parent=None):
        super().__init__(parent)
        self._spec = spec or DataSpec()
        # the last generator chosen for each problem type, restored when switching back
        self._last_generator = {kind: next(name for name, entry in GENERATORS.items()
                                           if entry.kind == kind) for kind in PROBLEM_TYPES}

        self.problem = QComboBox()
        for kind in PROBLEM_TYPES:
            self.problem.addItem(PROBLEM_LABELS[kind], kind)
        self.gallery = DatasetGallery()
        self.noise = QSlider(Qt.Orientation.Horizontal)
        self.noise.setRange(round(100 * NOISE_RANGE[0]), round(100 * NOISE_RANGE[1]))
        self.noise.setPageStep(5)
        self.noise.setTracking(False)   # regenerate on release, not on every pixel of a drag
        self.noise_label = QLabel()
        self.ratio = QSlider(Qt.Orientation.Horizontal)
        self.ratio.setRange(*RATIO_RANGE)
        self.ratio.setSingleStep(10)
        self.ratio.setPageStep(10)
        self.ratio.setTickInterval(10)
        self.ratio.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.ratio.setTracking(False)
        self.ratio_label = QLabel()
        self.classes = QSpinBox()
        self.regenerate = QPushButton("Regenerate")
        # shown instead of a selected thumbnail while the points are hand-made
        self.source_label = QLabel("Painted points: no dataset is selected; click one to "
                                   "generate its points again.")
        self.source_label.setObjectName("dataSourceLabel")
        self.source_label.setWordWrap(True)
        self.source_label.hide()
        self._hand_made = False

        describe(self.problem, "problemTypeInput", "Problem type",
                 "Classify points into classes, or predict a number for each point.")
        describe(self.gallery, "datasetInput", "Dataset",
                 "Dataset to train on; click a thumbnail to switch.")
        describe(self.noise, "noiseInput", "Noise",
                 "How far points are scattered from the clean pattern, in percent.")
        describe(self.ratio, "trainRatioInput", "Training data ratio",
                 "Percentage of the points used for training; the rest are test data.")
        describe(self.classes, "classesInput", "Number of classes",
                 "Number of classes for the spiral and blobs datasets.")
        describe(self.regenerate, "regenerateButton", "Regenerate data",
                 "Draw a fresh random sample of the same dataset; the network keeps its "
                 "weights and training goes on.")

        tab_focus_only(self.problem, SPACE_KEY)
        tab_focus_only(self.gallery, ARROW_KEYS)
        tab_focus_only(self.noise, ARROW_KEYS)
        tab_focus_only(self.ratio, ARROW_KEYS)
        tab_focus_only(self.regenerate, SPACE_KEY)
        form = QFormLayout()
        form.addRow("Problem type", self.problem)
        form.addRow("Noise", _with_label(self.noise, self.noise_label))
        form.addRow("Training data", _with_label(self.ratio, self.ratio_label))
        form.addRow("Classes", self.classes)
        layout = QVBoxLayout(self)
        layout.addWidget(self.gallery)
        layout.addWidget(self.source_label)
        layout.addLayout(form)
        layout.addWidget(self.regenerate)
        layout.addStretch(1)

        self.set_data_spec(self._spec)
        self.problem.currentIndexChanged.connect(self._problem_changed)
        self.gallery.sigGeneratorChosen.connect(self._generator_chosen)
        self.noise.valueChanged.connect(lambda value: self._change(noise=value / 100.0))
        self.noise.sliderMoved.connect(self._show_noise)
        self.ratio.valueChanged.connect(self._ratio_changed)
        self.ratio.sliderMoved.connect(self._show_ratio)
        self.classes.valueChanged.connect(lambda value: self._change(classes=value))
        self.regenerate.clicked.connect(lambda: self._change(seed=self._spec.seed + 1))

    def data_spec(self) -> DataSpec:
        return self._spec

    def set_data_spec(self, spec: DataSpec) -> None:
        """Show a DataSpec without emitting."""
        self._spec = spec
        widgets = (self.problem, self.gallery, self.noise, self.ratio, self.classes)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            self.problem.setCurrentIndex(self.problem.findData(spec.problem))
            self.gallery.show_problem(spec.problem)
            self.gallery.select(None if self._hand_made else spec.generator)
            self._last_generator[spec.problem] = spec.generator
            self.noise.setValue(round(spec.noise * 100))
            self.ratio.setValue(round(spec.train_ratio * 100))
            entry = GENERATORS[spec.generator]
            self.classes.setRange(MIN_CLASSES, max(MIN_CLASSES, entry.max_classes))
            self.classes.setValue(spec.classes)
            self.classes.setEnabled(entry.multiclass)
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self._show_noise(self.noise.value())
        self._show_ratio(self.ratio.value())
        self.gallery.refresh_thumbnails(spec.noise, spec.classes)

    def show_data_source(self, generated: bool) -> None:
        """Whether the points shown are the selected generator's (False: painted or otherwise
        hand-made; no thumbnail is selected then)."""
        self._hand_made = not generated
        self.source_label.setVisible(self._hand_made)
        self.gallery.select(None if self._hand_made else self._spec.generator)

    def training_set_size(self) -> int:
        return max(1, round(self._spec.n_samples * self._spec.train_ratio))

    # -- internals -----------------------------------------------------------------------------
    def _problem_changed(self) -> None:
        problem = self.problem.currentData()
        self._change(problem=problem, generator=self._last_generator[problem])

    def _generator_chosen(self, name: str) -> None:
        hand_made, self._hand_made = self._hand_made, False    # a generator's points from now
        if hand_made and name == self._spec.generator:
            # the generator's points again, in place of the painted ones
            self.sigDataSpecChanged.emit(self._spec)
            return
        self._change(generator=name)

    def _ratio_changed(self, percent: int) -> None:
        snapped = int(round(percent / 10.0) * 10)   # keyboard and clicks may land between ticks
        self._change(train_ratio=snapped / 100.0)

    def _show_noise(self, percent: int) -> None:
        self.noise_label.setText(f"{percent} %")

    def _show_ratio(self, percent: int) -> None:
        self.ratio_label.setText(f"{percent} %")

    def _change(self, **fields) -> None:
        previous = self._spec
        spec = replace(previous, **fields)
        entry = GENERATORS[spec.generator]
        if entry.kind == CLASSIFICATION:
            spec = replace(spec, classes=min(max(spec.classes, MIN_CLASSES), entry.max_classes))
        self.set_data_spec(spec)   # shows clamped values, enables the class count, thumbnails
        if spec != previous:
            self.sigDataSpecChanged.emit(spec)


def _with_label(slider: QSlider, label: QLabel) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(slider, 1)
    label.setMinimumWidth(label.fontMetrics().horizontalAdvance("100 %"))
    row.addWidget(label)
    return box
