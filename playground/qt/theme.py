"""Colours shared by every panel: one diverging palette, class colours, light/dark plot colours.

The diverging palette is the web playground's: orange for negative (or class 0 / probability 0),
a near-white neutral middle, blue for positive (class 1 / probability 1). Weights, neuron maps and
the decision boundary all use it, so a colour means the same thing everywhere.
Orange and blue stay distinguishable for the common colour-vision deficiencies; the extra class
colours come from the Okabe–Ito set, which was designed for that.
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pyqtgraph as pg
from PySide6 import QtGui, QtWidgets

NEGATIVE = "#f59322"
NEUTRAL = "#e8eaeb"
POSITIVE = "#0877bd"

# class 0 and 1 are the palette's ends so a binary problem looks the same whichever way it is drawn
CLASS_COLORS = ("#f59322", "#0877bd", "#009e73", "#cc79a7", "#f0e442", "#56b4e9")

# distinct, colour-blind-safe colours for per-layer curves (Okabe–Ito order)
SERIES_COLORS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442",
                 "#999999")

LUT_SIZE = 256


def hex_to_rgb(color: str) -> np.ndarray:
    """'#rrggbb' -> float array (3,) in 0..255."""
    color = color.lstrip("#")
    return np.array([int(color[k:k + 2], 16) for k in (0, 2, 4)], dtype=np.float64)


@lru_cache(maxsize=8)
def _diverging_lut(lighten: float) -> np.ndarray:
    ends = np.stack([hex_to_rgb(NEGATIVE), hex_to_rgb(NEUTRAL), hex_to_rgb(POSITIVE)])
    t = np.linspace(-1.0, 1.0, LUT_SIZE)[:, None]
    lower = ends[0] + (ends[1] - ends[0]) * (t + 1.0)   # used where t <= 0
    upper = ends[1] + (ends[2] - ends[1]) * t           # used where t > 0
    rgb = np.where(t <= 0.0, lower, upper)
    rgb = rgb + (255.0 - rgb) * lighten
    lut = np.clip(np.rint(rgb), 0, 255).astype(np.uint8)
    lut.flags.writeable = False
    return lut


def diverging_lut(lighten: float = 0.0) -> np.ndarray:
    """The shared palette as a read-only (256, 3) uint8 lookup table, orange → neutral → blue.

    ``lighten`` (0..1) mixes every entry with white, for backgrounds that points are drawn over.
    """
    return _diverging_lut(round(float(lighten), 3))


def diverging_colormap(lighten: float = 0.0) -> pg.ColorMap:
    """The shared palette as a pyqtgraph ColorMap (for ImageItem.setColorMap and ColorBarItem)."""
    lut = diverging_lut(lighten)
    return pg.ColorMap(np.linspace(0.0, 1.0, LUT_SIZE), lut, name="playground-diverging")


_MIDDLE = (LUT_SIZE - 1) / 2.0


def rgb32_table(lut: np.ndarray) -> np.ndarray:
    """A (256, 3) uint8 LUT as 0xFFRRGGBB values, for QImage.Format_RGB32 pixels."""
    lut = lut.astype(np.uint32)
    return (0xFF000000 | (lut[:, 0] << 16) | (lut[:, 1] << 8) | lut[:, 2]).astype(np.uint32)


def lut_indices(values: np.ndarray, low, high) -> np.ndarray:
    """Map values linearly onto 0..255 LUT indices (clipped); NaN goes to the middle.

    ``low`` and ``high`` may be arrays broadcasting against ``values`` (levels per map).
    Diverged networks produce huge values and infinities, and their maps huge or infinite
    levels: values saturate to the end colours (a value at the centre of an empty or infinite
    range to the middle), silently; this runs with every floating-point warning off.
    """
    values = np.asarray(values)
    scalar = values.ndim == 0
    # float32 maps stay float32 (half the memory traffic); anything else is float64
    position = np.atleast_1d(values if values.dtype == np.float32
                             else values.astype(np.float64, copy=False))
    with np.errstate(all="ignore"):
        if getattr(low, "ndim", 0) == 0 and getattr(high, "ndim", 0) == 0:
            middle, factor = _level_terms(float(low), float(high))
        else:
            scalar = False
            low, high = np.asarray(low, position.dtype), np.asarray(high, position.dtype)
            middle = np.array(low / 2.0 + high / 2.0, ndmin=1)   # halves: no overflow
            np.copyto(middle, 0.0, where=np.isnan(middle))       # (-inf, inf): centred on 0
            factor = _MIDDLE / (high / 2.0 - low / 2.0)
        offset = position - middle
        position = offset * factor
        undefined = np.isnan(position)             # NaN, or 0·inf / inf·0 at degenerate levels
        if undefined.any():
            position[undefined] = np.sign(offset[undefined]) * _MIDDLE
            np.copyto(position, 0.0, where=np.isnan(position))
        position += _MIDDLE + 0.5
        np.maximum(position, 0.0, out=position)
        np.minimum(position, LUT_SIZE - 1, out=position)
        indices = position.astype(np.uint8)
    return indices[0] if scalar else indices


def _level_terms(low: float, high: float) -> tuple[float, float]:
    """(centre, LUT steps per unit) of the levels, finite or not, without overflow."""
    middle = low / 2.0 + high / 2.0
    half = high / 2.0 - low / 2.0
    factor = _MIDDLE / half if half else math.inf      # an empty range: a step at its centre
    return (0.0 if middle != middle else middle), factor


# activations with a known output range get fixed levels; others are scaled to their values
BOUNDED_LEVELS = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0), "softmax": (0.0, 1.0)}


def activation_levels(activation: str, values: np.ndarray) -> tuple[float, float]:
    """Colour levels for an activation map: its fixed range, else symmetric around 0."""
    if activation in BOUNDED_LEVELS:
        return BOUNDED_LEVELS[activation]
    finite = np.abs(values[np.isfinite(values)]) if values.size else values
    scale = float(finite.max()) if finite.size else 0.0
    scale = scale if scale > 0 else 1.0
    return (-scale, scale)


def lut_index(value: float, low: float, high: float) -> int:
    """lut_indices for one number, without NumPy's per-call overhead."""
    value = float(value)
    middle, factor = _level_terms(float(low), float(high))
    offset = value - middle
    position = offset * factor
    if position != position:                 # NaN, or 0·inf / inf·0 at degenerate levels
        position = 0.0 if offset != offset or offset == 0.0 else math.copysign(_MIDDLE, offset)
    return int(min(max(position + _MIDDLE + 0.5, 0.0), LUT_SIZE - 1))


@lru_cache(maxsize=1)
def diverging_lut_rgb32() -> np.ndarray:
    """The palette as 0xFFRRGGBB uint32 values, for building QImage.Format_RGB32 pixels."""
    lut = diverging_lut().astype(np.uint32)
    rgb32 = (0xFF << 24) | (lut[:, 0] << 16) | (lut[:, 1] << 8) | lut[:, 2]
    rgb32.flags.writeable = False
    return rgb32


def value_color(value: float, low: float = -1.0, high: float = 1.0) -> QtGui.QColor:
    """The palette colour of one value (weights, regression targets)."""
    r, g, b = diverging_lut()[lut_index(float(value), low, high)]
    return QtGui.QColor(int(r), int(g), int(b))


def class_color(index: int) -> QtGui.QColor:
    """Colour of class ``index`` (cycles after six classes)."""
    return QtGui.QColor(CLASS_COLORS[index % len(CLASS_COLORS)])


def class_colors_rgb(n_classes: int) -> np.ndarray:
    """(n_classes, 3) float32 RGB 0..255, for blending class probabilities into an image."""
    return np.stack([hex_to_rgb(CLASS_COLORS[k % len(CLASS_COLORS)])
                     for k in range(n_classes)]).astype(np.float32)


def series_color(index: int) -> QtGui.QColor:
    """Colour of the index-th curve of a per-layer plot."""
    return QtGui.QColor(SERIES_COLORS[index % len(SERIES_COLORS)])


def is_dark(palette: QtGui.QPalette | None = None) -> bool:
    """True when the application palette has a dark window background."""
    if palette is None:
        palette = QtWidgets.QApplication.palette()
    return palette.color(QtGui.QPalette.ColorRole.Window).lightness() < 128


def plot_background(palette: QtGui.QPalette | None = None) -> QtGui.QColor:
    """Background for plot areas: the palette's Base colour (white in light mode)."""
    if palette is None:
        palette = QtWidgets.QApplication.palette()
    return palette.color(QtGui.QPalette.ColorRole.Base)


def plot_foreground(palette: QtGui.QPalette | None = None) -> QtGui.QColor:
    """Foreground for axes, ticks and labels: the palette's Text colour."""
    if palette is None:
        palette = QtWidgets.QApplication.palette()
    return palette.color(QtGui.QPalette.ColorRole.Text)


def muted_foreground(palette: QtGui.QPalette | None = None) -> QtGui.QColor:
    """A quieter foreground, for secondary text such as hover read-outs' frames."""
    if palette is None:
        palette = QtWidgets.QApplication.palette()
    return palette.color(QtGui.QPalette.ColorRole.PlaceholderText)


def apply_plot_theme(plot_item: pg.PlotItem, widget: QtWidgets.QWidget) -> None:
    """Colour one PlotItem's background, axes and labels from ``widget``'s palette.

    Done per widget (not with pg.setConfigOptions) so a palette change can be re-applied live.
    """
    palette = widget.palette()
    foreground = plot_foreground(palette)
    if hasattr(widget, "setBackground"):
        widget.setBackground(plot_background(palette))
    pen = pg.mkPen(foreground, width=1)
    for name in ("left", "bottom", "right", "top"):
        axis = plot_item.getAxis(name)
        axis.setPen(pen)
        axis.setTextPen(pen)
    title = plot_item.titleLabel
    if title is not None:
        title.setAttr("color", foreground)
        title.setText(title.text)


def configure_pyqtgraph() -> None:
    """Global pyqtgraph options this app relies on (cheap live curves, row-major images)."""
    pg.setConfigOptions(antialias=False, imageAxisOrder="row-major", useOpenGL=False)


def save_indexed_png(image: QtGui.QImage, path: str) -> bool:
    """Save ``image`` as a 256-colour PNG (screenshots must stay small in the repository).

    The palette is the 256 most frequent colours at 5 bits a channel; every pixel takes the
    nearest of them. Enough for flat UI colours and the palette's smooth ramps.
    """
    image = image.convertToFormat(QtGui.QImage.Format.Format_RGB32)
    width, height = image.width(), image.height()
    pixels = np.frombuffer(image.constBits(), np.uint32,
                           count=image.bytesPerLine() // 4 * height)
    pixels = pixels.reshape(height, -1)[:, :width]
    keys = (((pixels >> 19) & 31) << 10) | (((pixels >> 11) & 31) << 5) | ((pixels >> 3) & 31)
    unique, inverse, counts = np.unique(keys.ravel(), return_inverse=True, return_counts=True)
    palette_keys = unique[np.argsort(counts)[::-1][:256]]

    def rgb(k):
        return np.stack([(k >> 10) & 31, (k >> 5) & 31, k & 31], axis=-1).astype(np.int32) * 8 + 4

    palette = rgb(palette_keys)
    nearest = np.empty(len(unique), np.uint8)
    colors = rgb(unique)
    for start in range(0, len(unique), 4096):          # bounded memory for busy images
        chunk = colors[start:start + 4096]
        nearest[start:start + 4096] = np.argmin(
            ((chunk[:, None, :] - palette[None]) ** 2).sum(axis=2), axis=1)
    indices = np.ascontiguousarray(nearest[inverse].reshape(height, width))
    indexed = QtGui.QImage(indices.data, width, height, width, QtGui.QImage.Format.Format_Indexed8)
    indexed.setColorTable([QtGui.qRgb(int(r), int(g), int(b)) for r, g, b in palette])
    return indexed.copy().save(path, "PNG", 0)
