"""The inspector's matrix tables: values kept exactly, colours scaled to the finite values."""
import warnings

import numpy as np
from PySide6.QtCore import Qt

from playground.qt.inspector.matrix_table import MatrixModel, heat_colors


def background(model, row, column):
    return model.data(model.index(row, column), Qt.ItemDataRole.BackgroundRole)


def text(model, row, column):
    return model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole)


def test_infinite_and_nan_cells_colour_without_warnings_and_keep_the_finite_contrast(qapp):
    values = np.array([[1.0, np.inf], [-2.0, np.nan]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # a RuntimeWarning from NumPy fails the test
        model = MatrixModel("z", values, ["a", "b"], ["c", "d"], sample_rows=False)
    colors = heat_colors()
    assert background(model, 0, 1) == colors[-1]          # +inf saturates to the end colour
    assert background(model, 1, 0) == colors[0]           # -2 is the largest finite magnitude
    assert background(model, 0, 0) not in (colors[0], colors[-1], background(model, 1, 1))
    assert background(model, 1, 1) in (colors[127], colors[128])   # NaN sits in the middle
    assert model.data(model.index(0, 1), Qt.ItemDataRole.UserRole) == np.inf
    assert [text(model, 0, 1), text(model, 1, 1), text(model, 1, 0)] == ["inf", "nan", "-2"]
