"""Where the weights start: the initializer and the seed, in the network editor's header bar.

The seed shown is the network's own (``config.network.seed``), the one a saved file keeps and
Reset replaces with a fresh one; typing another and pressing Enter starts training again from
the weights it draws. The initializer is part of the network's shape: choosing one rebuilds the
network (the window sends it as a network edit, so Ctrl+Z takes it back).
"""
from __future__ import annotations

from PySide6.QtCore import QObject, QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QToolTip, QWidget

from playground.config import INITIALIZER_NAMES, NetworkSpec
from playground.limits import MAX_SEED
from playground.qt.widgets import SPACE_KEY, describe, number_field, tab_focus_only

INITIALIZER_LABELS = {"default": "Default", "xavier": "Xavier", "he": "He",
                      "uniform": "Uniform ±0.5", "zeros": "Zeros"}
INITIALIZER_TIPS = {
    "default": "Xavier for tanh and sigmoid layers, He for the ReLU family.",
    "xavier": "Normal, variance 2 / (inputs + outputs): keeps tanh and sigmoid unsaturated.",
    "he": "Normal, variance 2 / inputs: makes up for ReLU zeroing half its inputs.",
    "uniform": "Uniform between −0.5 and 0.5, as the classic web playground starts.",
    "zeros": "Every weight 0: the neurons of a layer start the same and stay the same.",
}
SEED_CHARACTERS = "0000000000"       # the field is wide enough for ten digits


class WeightStartControls(QObject):
    """The initializer menu and the seed field, each with its label in ``groups``.

    Signals: ``sigInitChosen(name)`` (an INITIALIZER_NAMES entry) and ``sigSeedChosen(seed)``
    (a seed typed and confirmed with Enter); ``sigMessage(text)`` for a refused seed.
    ``show_network(spec)`` shows the spec in force without emitting.
    """

    sigInitChosen = Signal(str)
    sigSeedChosen = Signal(int)
    sigMessage = Signal(str)

    def __init__(self, spec: NetworkSpec | None = None, parent: QObject | None = None):
        super().__init__(parent)
        spec = spec or NetworkSpec()
        self.init = QComboBox()
        for name in INITIALIZER_NAMES:
            self.init.addItem(INITIALIZER_LABELS.get(name, name), name)
            self.init.setItemData(self.init.count() - 1, INITIALIZER_TIPS.get(name, ""),
                                  Qt.ItemDataRole.ToolTipRole)
        describe(self.init, "initInput", "Initial weights",
                 "How the starting weights are drawn (Reset draws them again); with zeros every "
                 "neuron of a layer starts the same, and stays the same.")
        tab_focus_only(self.init, SPACE_KEY)
        self.seed = QLineEdit()
        self.seed.setValidator(QRegularExpressionValidator(QRegularExpression("[0-9]{1,19}"),
                                                           self.seed))
        describe(self.seed, "seedInput", "Weights seed",
                 "The random seed the starting weights are drawn from; Reset picks a new one, "
                 "type one and press Enter to start from its weights.")
        number_field(self.seed)
        self.seed.setFixedWidth(self.seed.fontMetrics().horizontalAdvance(SEED_CHARACTERS) + 12)
        init_label, seed_label = QLabel("Weights"), QLabel("Seed")
        init_label.setBuddy(self.init)
        seed_label.setBuddy(self.seed)
        self.groups: tuple[tuple[QWidget, QWidget], ...] = ((init_label, self.init),
                                                            (seed_label, self.seed))
        self._spec = spec
        self.show_network(spec)
        self.init.activated.connect(lambda _index: self._init_picked())
        self.seed.returnPressed.connect(self._seed_entered)
        self.seed.editingFinished.connect(self._restore_unless_entered)

    def show_network(self, spec: NetworkSpec) -> None:
        """Show the initializer and seed in force, leaving a seed being typed alone."""
        changed_seed = spec.seed != self._spec.seed
        self._spec = spec
        self.init.blockSignals(True)
        self.init.setCurrentIndex(max(0, self.init.findData(spec.init)))
        self.init.blockSignals(False)
        if changed_seed or not self.seed.hasFocus():
            self.seed.setText(str(spec.seed))

    def _init_picked(self) -> None:
        name = self.init.currentData()
        if name != self._spec.init:
            self.sigInitChosen.emit(name)

    def _seed_entered(self) -> None:
        text = self.seed.text()
        seed = int(text) if text.isdigit() else None
        if seed is None or seed > MAX_SEED:
            message = (f"“{text}” is not a seed: type a whole number from 0 to {MAX_SEED:,}. "
                       f"Keeping {self._spec.seed}.")
            self.seed.setText(str(self._spec.seed))
            QToolTip.showText(self.seed.mapToGlobal(self.seed.rect().bottomLeft()), message,
                              self.seed)
            self.sigMessage.emit(message)
            return
        self.sigSeedChosen.emit(seed)

    def _restore_unless_entered(self) -> None:
        # focus left without Enter: the field goes back to the seed in force
        if not self.seed.hasFocus():
            self.seed.setText(str(self._spec.seed))
