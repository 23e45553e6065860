"""The File ▸ Save as lesson… dialog: what a teacher writes for students.

On the left the title, the text in Markdown with its preview beside it (as the lesson panel
will show it), whether the weights go in, and an optional goal; on the right classroom mode,
each control the lesson may hide or lock with its three choices; under them where the lesson
is saved. The dialog only gathers a :class:`LessonRequest`; the writer
(:mod:`playground.qt.files.lesson_writer`) makes and saves the lesson, and shows a refusal in
the dialog (``show_problem``), which stays open so nothing typed is lost.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QComboBox, QDialog, QDialogButtonBox,
                               QDoubleSpinBox, QFormLayout, QGridLayout, QGroupBox, QHBoxLayout,
                               QLabel, QLineEdit, QPlainTextEdit, QRadioButton, QScrollArea,
                               QSpinBox, QTextBrowser, QVBoxLayout, QWidget)

from playground.classroom import CONTROLS, HIDDEN, LOCKED, SHOWN, Classroom
from playground.config import CLASSIFICATION
from playground.lessons import COMPARISONS, METRICS, Goal, lesson_file_name
from playground.lessons.goal import ACCURACY_METRICS
from playground.lessons.schema import MAX_TITLE_CHARACTERS

STATES = (SHOWN, LOCKED, HIDDEN)
STATE_LABELS = {SHOWN: "Shown", LOCKED: "Locked", HIDDEN: "Hidden"}
PREVIEW_DELAY_MS = 150
MAX_GOAL_EPOCHS = 10_000_000        # a spin box holds a C int; no lesson runs longer
TEXT_PLACEHOLDER = ("What should students try, and what should they see? Markdown: **bold**, "
                    "*italic*, lists, `code`, links.")


@dataclass(frozen=True)
class LessonRequest:
    """What the teacher asked for: ``path`` None saves to the user's lessons folder."""

    title: str
    text: str
    include_weights: bool
    classroom: Classroom
    goal: Goal | None
    path: str | None
    panels: tuple[str, ...] = ()        # kept from the lesson the dialog started from


class LessonDialog(QDialog):
    """Gathers a lesson; ``sigSave(request)`` when Save is pressed (the dialog stays open until
    the writer calls ``accept`` or shows a problem). ``ValueError`` from an impossible goal
    is shown here, before anything is asked of the writer."""

    sigSave = Signal(object)
    sigChooseFile = Signal()

    def __init__(self, parent, problem: str, folder: Path):
        super().__init__(parent)
        self.setObjectName("lessonDialog")
        self.setWindowTitle("Save as lesson")
        self._problem = problem
        self._folder = Path(folder)
        self.chosen_path: str | None = None
        self.panels: tuple[str, ...] = ()
        self.title = QLineEdit()
        self.title.setObjectName("lessonTitleInput")
        self.title.setMaxLength(MAX_TITLE_CHARACTERS)
        self.title.setPlaceholderText("e.g. Why XOR needs a hidden layer")
        self.text = QPlainTextEdit()
        self.text.setObjectName("lessonTextInput")
        self.text.setPlaceholderText(TEXT_PLACEHOLDER)
        self.preview = QTextBrowser()
        self.preview.setObjectName("lessonPreview")
        self.preview.setOpenLinks(False)        # a preview: nothing opens from it
        self._preview_timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self._update_preview)
        self.text.textChanged.connect(self._preview_timer.start)
        self.include_weights = QCheckBox("Start from the weights the network has now")
        self.include_weights.setObjectName("lessonWeightsInput")
        self.include_weights.setToolTip("Without them the network starts from its seed, as "
                                        "Restart from the same weights would. Painted or "
                                        "imported points always go in.")
        self.goal_box = self._goal_box()
        self.classroom_choices: dict[str, QButtonGroup] = {}
        self.problem_label = QLabel()
        self.problem_label.setObjectName("lessonProblem")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #c01c28;")
        self.problem_label.hide()
        self.where = QLabel()
        self.where.setWordWrap(True)
        self.where.setObjectName("lessonWhere")
        self.to_folder = QRadioButton("My lessons (listed in the Lessons menu)")
        self.to_file = QRadioButton("Another file…")
        self.to_folder.setChecked(True)
        self.to_file.toggled.connect(self._file_toggled)
        self.title.textChanged.connect(self._show_where)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("lessonSaveButton")
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        self._lay_out(buttons)
        self._show_where()

    # ------------------------------------------------------------------ building
    def _lay_out(self, buttons) -> None:
        writing = QWidget()
        left = QVBoxLayout(writing)
        left.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        form.addRow("Title", self.title)
        left.addLayout(form)
        texts = QHBoxLayout()
        for caption, widget in (("Text (Markdown)", self.text), ("As students see it",
                                                                 self.preview)):
            column = QVBoxLayout()
            column.addWidget(QLabel(caption))
            column.addWidget(widget, 1)
            texts.addLayout(column, 1)
        left.addLayout(texts, 1)
        left.addWidget(self.include_weights)
        left.addWidget(self.goal_box)
        classroom = QGroupBox("Classroom mode: what students may use")
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setWidget(self._classroom_grid())
        area.setMinimumWidth(area.widget().sizeHint().width() + 24)
        QVBoxLayout(classroom).addWidget(area)
        top = QHBoxLayout()
        top.addWidget(writing, 3)
        top.addWidget(classroom, 2)
        where = QGroupBox("Save to")
        column = QVBoxLayout(where)
        column.addWidget(self.to_folder)
        column.addWidget(self.to_file)
        column.addWidget(self.where)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addWidget(where)
        layout.addWidget(self.problem_label)
        layout.addWidget(buttons)
        self.resize(1100, 640)

    def _classroom_grid(self) -> QWidget:
        grid_widget = QWidget()
        grid = QGridLayout(grid_widget)
        grid.setVerticalSpacing(2)
        for column, state in enumerate(STATES, start=1):
            grid.addWidget(QLabel(f"<b>{STATE_LABELS[state]}</b>"), 0, column,
                           Qt.AlignmentFlag.AlignHCenter)
        row, panel = 1, None
        for control_id, control in CONTROLS.items():
            if control.panel != panel:
                panel = control.panel
                heading = QLabel(f"<i>{panel}</i>")
                grid.addWidget(heading, row, 0)
                row += 1
            grid.addWidget(QLabel(control.label), row, 0)
            group = QButtonGroup(self)
            for column, state in enumerate(STATES, start=1):
                button = QRadioButton()
                button.setObjectName(f"classroom-{control_id}-{state}")
                button.setAccessibleName(f"{control.label}: {STATE_LABELS[state]}")
                group.addButton(button, column)
                grid.addWidget(button, row, column, Qt.AlignmentFlag.AlignHCenter)
            group.button(1).setChecked(True)
            self.classroom_choices[control_id] = group
            row += 1
        return grid_widget

    def _goal_box(self) -> QGroupBox:
        box = QGroupBox("A goal for students (checked live in the lesson panel)")
        box.setObjectName("lessonGoalInput")
        box.setCheckable(True)
        box.setChecked(False)
        self.goal_metric = QComboBox()
        for key, label in METRICS.items():
            if key in ACCURACY_METRICS and self._problem != CLASSIFICATION:
                continue        # regression has no accuracy
            self.goal_metric.addItem(label, key)
        self.goal_comparison = QComboBox()
        for key, (_function, words) in COMPARISONS.items():
            self.goal_comparison.addItem(words, key)
        self.goal_value = QDoubleSpinBox()
        self.goal_value.setDecimals(4)
        self.within = QCheckBox("within")
        self.epochs = QSpinBox()
        self.epochs.setRange(1, MAX_GOAL_EPOCHS)
        self.epochs.setValue(500)
        self.epochs.setSuffix(" epochs")
        self.epochs.setEnabled(False)
        self.within.toggled.connect(self.epochs.setEnabled)
        row = QHBoxLayout(box)
        for widget in (self.goal_metric, self.goal_comparison, self.goal_value, self.within,
                       self.epochs):
            row.addWidget(widget)
        row.addStretch(1)
        self.goal_metric.currentIndexChanged.connect(self._metric_changed)
        default = "test_accuracy" if self._problem == CLASSIFICATION else "test_loss"
        self.goal_metric.setCurrentIndex(self.goal_metric.findData(default))
        self._metric_changed()
        return box

    # ------------------------------------------------------------------ filling in
    def fill(self, lesson) -> None:
        """Start from a lesson (the one the playground was opened from)."""
        self.title.setText(lesson.title)
        self.panels = lesson.panels
        self.text.setPlainText(lesson.text)
        for control_id, group in self.classroom_choices.items():
            group.button(STATES.index(lesson.classroom.state(control_id)) + 1).setChecked(True)
        goal = lesson.goal
        # a goal on a metric this problem does not offer (accuracy on a regression) is dropped
        offered = goal is not None and self.goal_metric.findData(goal.metric) >= 0
        self.goal_box.setChecked(offered)
        if offered:
            self.goal_metric.setCurrentIndex(self.goal_metric.findData(goal.metric))
            self.goal_comparison.setCurrentIndex(self.goal_comparison.findData(goal.comparison))
            self.goal_value.setValue(goal.value * 100 if goal.is_accuracy else goal.value)
            self.within.setChecked(goal.within_epochs is not None)
            if goal.within_epochs is not None:
                self.epochs.setValue(min(goal.within_epochs, MAX_GOAL_EPOCHS))
        self._update_preview()

    def set_state(self, control_id: str, state: str) -> None:
        """Choose SHOWN, LOCKED or HIDDEN for a control (what a click on its button does)."""
        self.classroom_choices[control_id].button(STATES.index(state) + 1).setChecked(True)

    def classroom(self) -> Classroom:
        chosen = {control_id: STATES[group.checkedId() - 1]
                  for control_id, group in self.classroom_choices.items()}
        return Classroom(hidden=frozenset(k for k, v in chosen.items() if v == HIDDEN),
                         locked=frozenset(k for k, v in chosen.items() if v == LOCKED))

    def goal(self) -> Goal | None:
        """The goal asked for (None without one); ValueError naming what is wrong."""
        if not self.goal_box.isChecked():
            return None
        metric = self.goal_metric.currentData()
        value = self.goal_value.value()
        if metric in ACCURACY_METRICS:
            value /= 100
        return Goal(metric, self.goal_comparison.currentData(), value,
                    self.epochs.value() if self.within.isChecked() else None)

    def request(self) -> LessonRequest:
        """The lesson asked for; ValueError naming what is missing or wrong."""
        title = self.title.text().strip()
        if not title:
            raise ValueError("give the lesson a title")
        return LessonRequest(title, self.text.toPlainText(), self.include_weights.isChecked(),
                             self.classroom(), self.goal(),
                             self.chosen_path if self.to_file.isChecked() else None,
                             self.panels)

    def show_problem(self, text: str) -> None:
        """Say why the lesson was not saved; everything typed stays."""
        self.problem_label.setText(text)
        self.problem_label.show()
        self.save_button.setEnabled(True)

    def choose_file(self, path: str | None) -> None:
        """The file chosen for "Another file…" (None: back to My lessons)."""
        self.chosen_path = path
        if path is None:
            self.to_folder.setChecked(True)
        self._show_where()

    # ------------------------------------------------------------------ reacting
    def _metric_changed(self) -> None:
        accuracy = self.goal_metric.currentData() in ACCURACY_METRICS
        self.goal_value.setRange(0.0, 100.0 if accuracy else 1e6)
        self.goal_value.setSuffix(" %" if accuracy else "")
        self.goal_value.setSingleStep(1.0 if accuracy else 0.01)
        self.goal_value.setValue(95.0 if accuracy else 0.1)
        greater = self.goal_comparison.findData(">=" if accuracy else "<")
        self.goal_comparison.setCurrentIndex(greater)

    def _update_preview(self) -> None:
        self.preview.setMarkdown(self.text.toPlainText())

    def _file_toggled(self, on: bool) -> None:
        if on and self.chosen_path is None:
            self.sigChooseFile.emit()
        self._show_where()

    def _show_where(self) -> None:
        if self.to_file.isChecked() and self.chosen_path:
            self.where.setText(f"Saves to {self.chosen_path}")
            return
        name = lesson_file_name(self.title.text().strip() or "lesson")
        path = self._folder / name
        replaces = " — replaces the lesson saved there" if path.exists() else ""
        self.where.setText(f"Saves to {path}{replaces}")

    def _save(self) -> None:
        try:
            request = self.request()
        except ValueError as error:
            self.show_problem(f"Not saved: {error}.")
            return
        self.problem_label.hide()
        self.save_button.setEnabled(False)      # until the writer answers
        self.sigSave.emit(request)
