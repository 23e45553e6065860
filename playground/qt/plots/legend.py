"""The legend of a live plot: the series' names in their colours, on a line under the plot."""
from __future__ import annotations

from typing import Sequence

import pyqtgraph as pg
from PySide6 import QtGui


class PlotLegend:
    """The series' names in their colours, on a line of their own under the plot.

    Outside the data area it never covers a curve and is not repainted when the curves
    change. Entries wrap onto more lines when the plot is narrow.
    """

    FONT_POINTS = 8

    def __init__(self, plot_item: pg.PlotItem) -> None:
        self.label = pg.LabelItem("", size=f"{self.FONT_POINTS}pt", justify="center",
                                  parent=plot_item)
        self._plot_item = plot_item
        # across every column (axis included) so the legend alone sets no wider minimum width
        plot_item.layout.addItem(self.label, 4, 0, 1, 3)
        self.entries: list[tuple[str, QtGui.QColor]] = []
        self.width = 300.0
        self._html = None

    def detach(self) -> None:
        """Take the label out of the scene: PlotWidget.close's scene.clear() segfaults on
        layout widgets still in it (pyqtgraph's PlotItem.close does the same for its own)."""
        self._plot_item.layout.removeItem(self.label)
        scene = self.label.scene()
        if scene is not None:
            scene.removeItem(self.label)

    def set_entries(self, entries: Sequence[tuple[str, QtGui.QColor]]) -> None:
        self.entries = list(entries)
        self._render()

    def set_width(self, width: float) -> None:
        self.width = width
        self._render()

    def set_foreground(self, color: QtGui.QColor) -> None:
        self.label.setAttr("color", color)
        self._html = None
        self._render()

    def lines(self) -> list[list[str]]:
        """The entry names on each line, as laid out for the current width."""
        font = QtGui.QFont(self.label.item.font())
        font.setPointSizeF(self.FONT_POINTS)
        metrics = QtGui.QFontMetricsF(font)
        lines: list[list[str]] = []
        used = 0.0
        for name, _ in self.entries:
            width = metrics.horizontalAdvance(f"━━ {name}    ")
            if not lines or used + width > self.width:
                lines.append([])
                used = 0.0
            lines[-1].append(name)
            used += width
        return lines

    def _render(self) -> None:
        colors = dict(self.entries)
        html = "<br>".join("&nbsp;&nbsp;&nbsp;".join(
            f"<span style='color:{colors[name].name()}'>━━</span>&nbsp;{name}" for name in line)
            for line in self.lines())
        if html != self._html:
            self._html = html
            self.label.setText(html)
