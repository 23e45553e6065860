"""Training controls: learning rate, batch size, optimizer, activation, regularisation,
precision.

The panel only reports intent: every change emits ``sigHyperparametersChanged`` with a complete
new Hyperparameters (or ``sigActivationChanged``), and the window forwards it to the worker. The
speed limit, also a hyperparameter, sits in the tool bar next to Play
(:mod:`~playground.qt.shell.speed_control`); the window keeps this panel's copy of it current.
"""
from __future__ import annotations

import math
from dataclasses import replace
from decimal import Decimal

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QComboBox, QFormLayout, QSpinBox, QToolTip, QWidget)

from playground.config import (ACTIVATION_NAMES, OPTIMIZER_NAMES, PRECISION_NAMES,
                               REGULARIZATIONS, Hyperparameters)
from playground.limits import BATCH_SIZE_RANGE, LEARNING_RATE_RANGE, REGULARIZATION_RATE_RANGE
from playground.qt.widgets import SPACE_KEY, describe, number_field, tab_focus_only

# The web playground's ladders; free entry is accepted between the bounds below.
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REGULARIZATION_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)

OPTIMIZER_LABELS = {"sgd": "SGD", "momentum": "Momentum", "nesterov": "Nesterov momentum",
                    "rmsprop": "RMSprop", "adam": "Adam"}
ACTIVATION_LABELS = {"tanh": "Tanh", "relu": "ReLU", "sigmoid": "Sigmoid", "linear": "Linear",
                     "leaky_relu": "Leaky ReLU", "elu": "ELU", "softplus": "Softplus",
                     "swish": "Swish", "sine": "Sine"}
# the web playground's four first, then the rest of the registry in its own order
ACTIVATION_ORDER = ("tanh", "relu", "sigmoid", "linear")
REGULARIZATION_LABELS = {"none": "None", "l1": "L1", "l2": "L2"}
PRECISION_LABELS = {"float64": "Double (float64)", "float32": "Single (float32)"}
PRECISION_TIP = ("Number format of the weights and every computation: double is exact to ~1e-15 "
                 "and what the inspector's numbers and the gradient check are made for; single "
                 "trains large networks on large data about twice as fast, to ~1e-7.")
# the Activation entry shown when the hidden layers differ, or when there is none
MIXED, NO_HIDDEN_LAYER = "Mixed", "No hidden layer"
ACTIVATION_TIP = "Non-linearity applied by every hidden neuron."
RATE_TIP = "Strength of the weight penalty; pick from the list or type any number from 0 up."
# a highlight for a setting that has no effect as it stands
NO_EFFECT_STYLE = "QComboBox { border: 2px solid #d29922; border-radius: 3px; }"
COMBO_CHARACTERS = 9


def format_number(value: float) -> str:
    """Plain decimal notation without trailing zeros: 0.00001, 0.03, 3."""
    text = format(Decimal(repr(float(value))), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


class NumberCombo(QComboBox):
    """An editable combo box offering a ladder of numbers and accepting any number in range.

    Text that is not a number in range is refused with a message (``sigInvalid`` and a tooltip at
    the field) and the previous value comes back; a valid number emits ``sigValueChanged``.
    """

    sigValueChanged = Signal(float)
    sigInvalid = Signal(str)

    def __init__(self, ladder, value: float, minimum: float, maximum: float,
                 allow_zero: bool, what: str, parent=None):
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self._minimum, self._maximum, self._allow_zero, self._what = minimum, maximum, allow_zero, what
        for number in ladder:
            self.addItem(format_number(number), float(number))
        self._value = float(value)
        self._show_value()
        self.lineEdit().editingFinished.connect(self._commit_text)
        self.activated.connect(self._commit_item)

    def value(self) -> float:
        return self._value

    def setValue(self, value: float) -> None:
        """Show a value without emitting (used when the window loads a configuration)."""
        if float(value) == self._value:
            return   # leaves text being typed alone when the worker echoes the same value
        self._value = float(value)
        self._show_value()

    def _show_value(self) -> None:
        index = self.findData(self._value)
        if index >= 0:
            self.setCurrentIndex(index)
        self.setEditText(format_number(self._value))

    def _commit_item(self, index: int) -> None:
        self._accept(float(self.itemData(index)))

    def _commit_text(self) -> None:
        text = self.currentText().strip()
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        problem = self._problem(number)
        if problem:
            message = f"“{text}” is not a valid {self._what}: {problem}. " \
                      f"Keeping {format_number(self._value)}."
            self._show_value()
            QToolTip.showText(self.mapToGlobal(self.rect().bottomLeft()), message, self)
            self.sigInvalid.emit(message)
            return
        self._accept(number)

    def _problem(self, number: float) -> str:
        if not math.isfinite(number):
            return "enter a number such as 0.03"
        if number == 0 and self._allow_zero:
            return ""
        if number < self._minimum or number > self._maximum:
            low = "0 or " + format_number(self._minimum) if self._allow_zero \
                else format_number(self._minimum)
            return f"it must lie between {low} and {format_number(self._maximum)}"
        return ""

    def _accept(self, number: float) -> None:
        changed = number != self._value
        self._value = number
        self._show_value()
        if changed:
            self.sigValueChanged.emit(number)


class TrainingControls(QWidget):
    """The settings that change while training runs (but the speed), plus the hidden layers'
    activation."""

    sigHyperparametersChanged = Signal(object)   # Hyperparameters
    sigActivationChanged = Signal(str)
    sigMessage = Signal(str)            # a refused entry or a setting without effect

    def __init__(self, hyper: Hyperparameters | None = None, activation: str = "tanh",
                 parent=None):
        super().__init__(parent)
        self._hyper = hyper or Hyperparameters()
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.learning_rate = NumberCombo(LEARNING_RATES, self._hyper.learning_rate,
                                         *LEARNING_RATE_RANGE, allow_zero=False,
                                         what="learning rate")
        self.batch_size = QSpinBox()
        self.batch_size.setRange(*BATCH_SIZE_RANGE)
        self.batch_size.setValue(self._hyper.batch_size)
        self.batch_size.setKeyboardTracking(False)
        self.optimizer = self._combo(OPTIMIZER_NAMES, OPTIMIZER_LABELS, self._hyper.optimizer)
        self.activation = self._combo(
            [name for name in ACTIVATION_ORDER if name in ACTIVATION_NAMES]
            + [name for name in ACTIVATION_NAMES if name not in ACTIVATION_ORDER],
            ACTIVATION_LABELS, activation)
        self.regularization = self._combo(REGULARIZATIONS, REGULARIZATION_LABELS,
                                          self._hyper.regularization)
        self.regularization_rate = NumberCombo(REGULARIZATION_RATES,
                                               self._hyper.regularization_rate,
                                               *REGULARIZATION_RATE_RANGE, allow_zero=True,
                                               what="regularisation rate")
        self.precision = self._combo(PRECISION_NAMES, PRECISION_LABELS, self._hyper.precision)

        describe(self.learning_rate, "learningRateInput", "Learning rate",
                       "Step size of each gradient-descent update; pick from the list or type any "
                       "positive number.")
        describe(self.batch_size, "batchSizeInput", "Batch size",
                       "Number of training points averaged into each weight update.")
        describe(self.optimizer, "optimizerInput", "Optimizer",
                       "Rule that turns gradients into weight updates; changing it restarts its "
                       "state.")
        describe(self.activation, "activationInput", "Activation", ACTIVATION_TIP)
        describe(self.regularization, "regularizationInput", "Regularization",
                       "Penalty on large weights added to the loss: none, L1 (sum of |w|) or L2 "
                       "(sum of w²).")
        describe(self.regularization_rate, "regularizationRateInput", "Regularization rate",
                 RATE_TIP)
        describe(self.precision, "precisionInput", "Precision", PRECISION_TIP)

        for combo in (self.optimizer, self.activation, self.regularization, self.precision):
            tab_focus_only(combo, SPACE_KEY)
        for field in (self.learning_rate, self.regularization_rate, self.batch_size):
            number_field(field)
        for combo in (self.learning_rate, self.optimizer, self.activation, self.regularization,
                      self.regularization_rate, self.precision):
            # as narrow as a short entry, not the longest ("Nesterov momentum"): the settings
            # column stays ~270 pixels wide; the open list still shows whole entries
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(COMBO_CHARACTERS)
        form.addRow("Learning rate", self.learning_rate)
        form.addRow("Batch size", self.batch_size)
        form.addRow("Optimizer", self.optimizer)
        form.addRow("Activation", self.activation)
        form.addRow("Regularization", self.regularization)
        form.addRow("Regularization rate", self.regularization_rate)
        form.addRow("Precision", self.precision)
        self._update_rate_enabled()

        self.learning_rate.sigValueChanged.connect(
            lambda value: self._change(learning_rate=value))
        self.regularization_rate.sigValueChanged.connect(self._regularization_rate_changed)
        for combo in (self.learning_rate, self.regularization_rate):
            combo.sigInvalid.connect(self.sigMessage)
        self.batch_size.valueChanged.connect(lambda value: self._change(batch_size=value))
        self.optimizer.currentIndexChanged.connect(
            lambda: self._change(optimizer=self.optimizer.currentData()))
        self.regularization.currentIndexChanged.connect(self._regularization_changed)
        self.activation.currentIndexChanged.connect(self._activation_picked)
        self.precision.currentIndexChanged.connect(
            lambda: self._change(precision=self.precision.currentData()))

    # -- reading and showing -------------------------------------------------------------------
    def hyperparameters(self) -> Hyperparameters:
        return self._hyper

    def current_activation(self) -> str:
        return self.activation.currentData()

    def set_hyperparameters(self, hyper: Hyperparameters) -> None:
        """Show a configuration without emitting anything."""
        self._hyper = hyper
        widgets = (self.learning_rate, self.batch_size, self.optimizer, self.regularization,
                   self.regularization_rate, self.precision)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            self.learning_rate.setValue(hyper.learning_rate)
            self.batch_size.setValue(hyper.batch_size)
            self.optimizer.setCurrentIndex(self.optimizer.findData(hyper.optimizer))
            self.regularization.setCurrentIndex(self.regularization.findData(hyper.regularization))
            self.regularization_rate.setValue(hyper.regularization_rate)
            self.precision.setCurrentIndex(self.precision.findData(hyper.precision))
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self._update_rate_enabled()

    def set_activation(self, name: str) -> None:
        """Show one hidden activation without emitting."""
        self.set_activations((name,))

    def set_activations(self, names) -> None:
        """Show the hidden layers' activations without emitting: their name when they agree,
        "Mixed" (the layers' names in the tooltip) when they differ, and "No hidden layer"
        (disabled) when there is none."""
        names = tuple(names)
        combo = self.activation
        combo.blockSignals(True)
        extra = combo.findData("")
        if extra >= 0:
            combo.removeItem(extra)
        if len(set(names)) == 1:
            combo.setCurrentIndex(max(0, combo.findData(names[0])))
            combo.setToolTip(ACTIVATION_TIP)
        else:
            combo.addItem(MIXED if names else NO_HIDDEN_LAYER, "")
            combo.setCurrentIndex(combo.count() - 1)
            labels = ", ".join(ACTIVATION_LABELS.get(name, name) for name in names)
            combo.setToolTip(f"The hidden layers differ ({labels}); pick one to use it in "
                             "every hidden layer." if names else
                             "The network has no hidden layer, so no activation to choose.")
        combo.setEnabled(bool(names))
        combo.blockSignals(False)

    def set_batch_size_limit(self, n_train: int, notify: bool = True) -> None:
        """The batch size may not exceed the training set.

        With ``notify`` (the data panel chose other data) a larger value is clamped and sent
        on. Without (data arriving from elsewhere: painted, cleared, opened) the setting is
        left as it is: the field shows the whole training set while it is smaller (that is
        what each step takes), the setting again once there are enough points, and an empty
        training set (a cleared canvas) limits nothing."""
        if not notify and n_train <= 0:
            return
        self.batch_size.blockSignals(not notify)
        self.batch_size.setMaximum(max(1, int(n_train)))
        if not notify:
            self.batch_size.setValue(self._hyper.batch_size)    # clamped to the limit
        self.batch_size.blockSignals(False)

    # -- internals -----------------------------------------------------------------------------
    @staticmethod
    def _combo(names, labels, current: str) -> QComboBox:
        combo = QComboBox()
        for name in names:
            combo.addItem(labels.get(name, name), name)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        return combo

    def _activation_picked(self) -> None:
        name = self.activation.currentData()
        if name:            # not the "Mixed" entry itself
            self.sigActivationChanged.emit(name)

    def _regularization_changed(self) -> None:
        self._change(regularization=self.regularization.currentData())
        self._update_rate_enabled()
        self._hint_if_without_effect()

    def _regularization_rate_changed(self, value: float) -> None:
        self._change(regularization_rate=value)
        self._update_rate_enabled()
        self._hint_if_without_effect()

    @property
    def penalty_has_no_effect(self) -> bool:
        """L1 or L2 chosen with rate 0: the penalty adds nothing."""
        return self._hyper.regularization != "none" and self._hyper.regularization_rate == 0

    def _update_rate_enabled(self) -> None:
        self.regularization_rate.setEnabled(self.regularization.currentData() != "none")
        idle = self.penalty_has_no_effect
        self.regularization_rate.setStyleSheet(NO_EFFECT_STYLE if idle else "")
        self.regularization_rate.setToolTip(self._no_effect_text() if idle else RATE_TIP)

    def _no_effect_text(self) -> str:
        name = REGULARIZATION_LABELS[self._hyper.regularization]
        return f"Rate 0: {name} has no effect; pick a rate above 0 to penalise large weights."

    def _hint_if_without_effect(self) -> None:
        if self.penalty_has_no_effect:
            self.sigMessage.emit(self._no_effect_text())

    def _change(self, **fields) -> None:
        hyper = replace(self._hyper, **fields)
        if hyper != self._hyper:
            self._hyper = hyper
            self.sigHyperparametersChanged.emit(hyper)
