"""The dataset painter's tools, one class each: what a press and a drag of the mouse do.

A tool never edits the dataset itself: it asks the painter (``canvas``) to add points or to
erase those near a place, and the painter turns that into a pure edit on its undo stack. One
press, its drags and the release are one stroke, and one stroke is one undo step.
"""
from __future__ import annotations

import numpy as np
from PySide6 import QtCore

POINT, BRUSH, ERASE = "point", "brush", "erase"


def spray(rng: np.random.Generator, centre, radius: float, count: int) -> np.ndarray:
    """``count`` points uniform over the disc of ``radius`` around ``centre``."""
    angle = rng.uniform(0.0, 2.0 * np.pi, count)
    distance = radius * np.sqrt(rng.uniform(0.0, 1.0, count))
    return np.asarray(centre, dtype=np.float64) + np.column_stack(
        [distance * np.cos(angle), distance * np.sin(angle)])


class PaintTool:
    """A tool: its name, its button's label and tip, and what a press and a drag do.

    ``canvas`` is the DatasetPainter: ``add_points(points, text)``, ``erase_near(centre)``,
    ``brush_radius``, ``brush_density`` and ``rng``.
    """

    name = ""
    label = ""
    tip = ""
    uses_radius = True          # the brush circle follows the mouse
    uses_density = False        # how many points a spray puts down

    def press(self, canvas, point: QtCore.QPointF) -> None:
        raise NotImplementedError

    def drag(self, canvas, point: QtCore.QPointF) -> None:
        """The mouse moved with the button down (nothing, unless the tool paints as it goes)."""


class PointTool(PaintTool):
    """One point of the current class (or value) where the mouse is pressed."""

    name, label, tip = POINT, "Point", "Click to put one point."
    uses_radius = False

    def press(self, canvas, point: QtCore.QPointF) -> None:
        canvas.add_points(np.array([[point.x(), point.y()]]), "Add point")


class BrushTool(PaintTool):
    """Sprays points within the radius at the press, and again along the drag."""

    name, label, tip = BRUSH, "Brush", "Drag to spray points within the radius."
    uses_density = True

    def __init__(self) -> None:
        self._last_spray = np.zeros(2)

    def press(self, canvas, point: QtCore.QPointF) -> None:
        self._spray(canvas, point)

    def drag(self, canvas, point: QtCore.QPointF) -> None:
        # spray again after moving half a radius, so a slow drag does not pile points up
        moved = np.hypot(point.x() - self._last_spray[0], point.y() - self._last_spray[1])
        if moved >= 0.5 * canvas.brush_radius:
            self._spray(canvas, point)

    def _spray(self, canvas, point: QtCore.QPointF) -> None:
        centre = np.array([point.x(), point.y()])
        self._last_spray = centre
        canvas.add_points(spray(canvas.rng, centre, canvas.brush_radius, canvas.brush_density),
                          "Brush stroke")


class EraseTool(PaintTool):
    """Removes the points within the radius, at the press and all along the drag."""

    name, label, tip = ERASE, "Erase", "Click or drag to remove the points within the radius."

    def press(self, canvas, point: QtCore.QPointF) -> None:
        canvas.erase_near(point)

    def drag(self, canvas, point: QtCore.QPointF) -> None:
        canvas.erase_near(point)


def paint_tools() -> dict[str, PaintTool]:
    """A fresh set of the tools (the brush remembers where it sprayed), by name, in button order."""
    return {tool.name: tool for tool in (PointTool(), BrushTool(), EraseTool())}
