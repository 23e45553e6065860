"""The titles above the network's columns and the "+"/"−" buttons of each hidden layer, fitted
to the width a column has on screen.

A wide column shows its whole title ("Hidden 1 / 4 · tanh"); a narrower one the short form
("H1 / 4"); one narrower still shows none (the tooltip of the title and of every neuron still
says what it is). A hidden layer's buttons show only while a pair of them fits between its
neighbours' pairs. So neither overlaps a neighbour at any window size or network depth (a
1024-pixel-wide window, 8 hidden layers).
"""
from __future__ import annotations

from PySide6 import QtGui, QtWidgets

from playground.qt.network.items import BUTTON_PIXELS, NODE_SIZE
from playground.snapshot import Structure

TITLE_SPACING_PIXELS = 8.0      # at least this much space between two columns' titles
BUTTON_SPACING_PIXELS = 4.0     # between the "−" and the "+" of one layer
BUTTON_PAIR_PIXELS = 2 * BUTTON_PIXELS + BUTTON_SPACING_PIXELS


def title_texts(structure: Structure) -> list[tuple[str, str]]:
    """(full, short) title of each column: the inputs, every hidden layer, the output."""
    sizes = structure.layer_sizes
    titles = [(f"Input\n{sizes[0]} feature{'s' * (sizes[0] != 1)}", f"In\n{sizes[0]}")]
    for layer in range(len(sizes) - 2):
        units = sizes[layer + 1]
        titles.append((f"Hidden {layer + 1}\n{units} · {structure.activations[layer]}",
                       f"H{layer + 1}\n{units}"))
    titles.append((f"Output\n{sizes[-1]} · {structure.output_activation}", f"Out\n{sizes[-1]}"))
    return titles


class ColumnTitles:
    """The column titles and layer buttons of one network drawing, placed by ``place``."""

    def __init__(self, structure: Structure, editable: bool) -> None:
        self.texts = title_texts(structure)
        self.labels = [QtWidgets.QGraphicsSimpleTextItem(full) for full, _ in self.texts]
        for label, (full, _) in zip(self.labels, self.texts):
            tip = full.replace("\n", ": ")
            if editable:
                tip += " (right-click a neuron to change its layer's activation)"
            label.setToolTip(tip)

    def place(self, buttons, column_gap: float, pixel: float, text_scale: float,
              header_pixels: float) -> None:
        """Lay out the titles and ``buttons`` (LayerButtonItems) above columns ``column_gap``
        scene units apart, with ``pixel`` scene units per screen pixel and the titles drawn at
        ``text_scale``."""
        pitch = column_gap / pixel          # screen pixels from one column to the next
        top = -(header_pixels - BUTTON_PIXELS - 6.0) * pixel
        for index, (label, texts) in enumerate(zip(self.labels, self.texts)):
            label.setScale(text_scale)
            fitting = [text for text in texts if self._width(label, text, text_scale, pixel)
                       + TITLE_SPACING_PIXELS <= pitch]
            label.setVisible(bool(fitting))
            if fitting:
                if label.text() != fitting[0]:
                    label.setText(fitting[0])
                width = label.boundingRect().width() * text_scale
                label.setPos(index * column_gap + (NODE_SIZE - width) / 2.0, top)
        show_buttons = BUTTON_PAIR_PIXELS + TITLE_SPACING_PIXELS <= pitch
        for button in buttons:
            button.setVisible(show_buttons)
            centre = (button.layer + 1) * column_gap + NODE_SIZE / 2.0
            offset = BUTTON_SPACING_PIXELS / 2.0 if button.delta > 0 \
                else -BUTTON_PIXELS - BUTTON_SPACING_PIXELS / 2.0
            button.setPos(centre + offset * pixel, -(header_pixels - 2.0) * pixel)

    @staticmethod
    def _width(label: QtWidgets.QGraphicsSimpleTextItem, text: str, text_scale: float,
               pixel: float) -> float:
        """The screen width of ``text`` in ``label``'s font."""
        metrics = QtGui.QFontMetricsF(label.font())
        width = max(metrics.horizontalAdvance(line) for line in text.split("\n"))
        return width * text_scale / pixel
