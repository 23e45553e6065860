"""The colour legend under the network: what orange and blue, a link's width and the small
squares mean, and that hovering a neuron shows its map (the classic playground's explanations).

A strip of short items that wrap onto a second row when the network is narrow, each with a
tooltip saying more. The user can close it (×); Help ▸ Show colour legend brings it back, and
the choice is remembered across launches.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSettings, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from playground.qt import theme
from playground.qt.flow_layout import FlowLayout

SETTINGS_SHOWN = "help/colourLegendShown"
ICON_HEIGHT = 14
SWATCH_WIDTH = 54

# (object name, text, tooltip); the icon of each is drawn by the function of the same name
ITEMS = (
    ("legendValues", "orange = −, blue = +",
     "Colours show values: every neuron's output map, the weights on the links and the biases "
     "are orange below 0, white near 0 and blue above it."),
    ("legendClasses", "= class 0, 1",
     "Data points take their class's colour: orange class 0, blue class 1 (more classes add "
     "green, pink, yellow and light blue); a regression value is coloured like any value."),
    ("legendLinkWidth", "width = |w|",
     "The thicker a link, the larger its weight's magnitude; its colour gives the sign."),
    ("legendBias", "= bias",
     "The small square at a neuron's lower-left corner is its bias, coloured by its value; "
     "click it to type a new one."),
    ("legendHover", "hover a neuron: its map in Output",
     "Hovering a neuron shows its output over the whole plane, large, in the Output panel."),
)


class ColourLegend(QFrame):
    """The legend strip (objectName ``colourLegend``); ``sigClosed`` when its × is clicked."""

    sigClosed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("colourLegend")
        self.setAccessibleName("Colour legend")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        items = QWidget()
        flow = FlowLayout(items, spacing=14, row_spacing=2)
        icons = {"legendValues": value_swatch, "legendClasses": class_dots,
                 "legendLinkWidth": link_widths, "legendBias": bias_square,
                 "legendHover": hover_mark}
        for name, text, tip in ITEMS:
            flow.addWidget(_item(name, icons[name](), text, tip))
        self.close_button = QToolButton()
        self.close_button.setObjectName("closeColourLegend")
        self.close_button.setText("×")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip("Hide the colour legend (Help ▸ Show colour legend brings "
                                     "it back).")
        self.close_button.setAccessibleName("Hide the colour legend")
        self.close_button.clicked.connect(self.sigClosed)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 1, 2, 1)
        row.addWidget(items, 1)
        row.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)

    def texts(self) -> list[str]:
        """Each item's text and tooltip, in order (what a reader learns from the legend)."""
        return [f"{label.text()} — {label.toolTip()}"
                for label in self.findChildren(QLabel) if label.objectName().endswith("Text")]


class LegendSwitch:
    """Shows or hides a ColourLegend, with a checkable action (Help ▸ Show colour legend) and
    the choice kept in ``settings``."""

    def __init__(self, legend: ColourLegend, action, settings: QSettings) -> None:
        self.legend, self.action, self._settings = legend, action, settings
        shown = settings.value(SETTINGS_SHOWN, True, type=bool)
        action.setCheckable(True)
        action.setChecked(shown)
        legend.setVisible(shown)
        action.toggled.connect(self.set_shown)
        legend.sigClosed.connect(lambda: self.set_shown(False))

    def set_shown(self, shown: bool) -> None:
        self.legend.setVisible(shown)
        if self.action.isChecked() != shown:
            self.action.setChecked(shown)
        self._settings.setValue(SETTINGS_SHOWN, shown)


def _item(name: str, icon: QPixmap, text: str, tip: str) -> QWidget:
    box = QWidget()
    box.setObjectName(name)
    box.setToolTip(tip)
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(4)
    picture = QLabel()
    picture.setPixmap(icon)
    label = QLabel(text)
    label.setObjectName(f"{name}Text")
    label.setToolTip(tip)
    row.addWidget(picture)
    row.addWidget(label)
    return box


# --- the small pictures -------------------------------------------------------------------------
def _canvas(width: int) -> tuple[QPixmap, QPainter]:
    pixmap = QPixmap(width, ICON_HEIGHT)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    return pixmap, painter


def value_swatch() -> QPixmap:
    """The diverging palette from -1 (orange) through 0 (white) to +1 (blue)."""
    lut = theme.diverging_lut()
    columns = lut[np.linspace(0, len(lut) - 1, SWATCH_WIDTH).round().astype(int)]
    pixels = np.ascontiguousarray(np.repeat(columns[None, :, :], ICON_HEIGHT, axis=0),
                                  dtype=np.uint8)
    image = QImage(pixels.data, SWATCH_WIDTH, ICON_HEIGHT, 3 * SWATCH_WIDTH,
                   QImage.Format.Format_RGB888).copy()
    return QPixmap.fromImage(image)


def class_dots() -> QPixmap:
    pixmap, painter = _canvas(2 * ICON_HEIGHT + 2)
    painter.setPen(QPen(QColor("#ffffff"), 1.0))
    for index in range(2):
        painter.setBrush(theme.class_color(index))
        painter.drawEllipse(QRectF(1 + index * (ICON_HEIGHT + 2), 1, ICON_HEIGHT - 2,
                                   ICON_HEIGHT - 2))
    painter.end()
    return pixmap


def link_widths() -> QPixmap:
    pixmap, painter = _canvas(30)
    for y, width in ((3.0, 1.0), (10.0, 4.0)):
        painter.setPen(QPen(QColor(theme.POSITIVE), width))
        painter.drawLine(QPointF(1, y), QPointF(29, y))
    painter.end()
    return pixmap


def bias_square() -> QPixmap:
    """A neuron's corner with its bias square, as the network draws it."""
    pixmap, painter = _canvas(ICON_HEIGHT + 4)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.setPen(QPen(QColor("#888888"), 1.0))
    painter.setBrush(QColor(theme.NEUTRAL))
    painter.drawRect(QRectF(4, 0, ICON_HEIGHT - 1, ICON_HEIGHT - 5))
    painter.setBrush(QColor(theme.NEGATIVE))
    painter.drawRect(QRectF(1, ICON_HEIGHT - 9, 7, 7))
    painter.end()
    return pixmap


def hover_mark() -> QPixmap:
    """A neuron with an arrow pointing on to a larger map."""
    pixmap, painter = _canvas(30)
    painter.setPen(QPen(QColor("#888888"), 1.0))
    painter.setBrush(QColor(theme.POSITIVE))
    painter.drawRect(QRectF(1, 4, 7, 7))
    painter.drawLine(QPointF(10, 7.5), QPointF(16, 7.5))
    painter.setBrush(QColor(theme.NEGATIVE))
    painter.drawRect(QRectF(17, 1, 12, 12))
    painter.end()
    return pixmap
