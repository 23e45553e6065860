"""File ▸ Export: the loss history, the comparison of pinned runs and the dataset as CSV, the
model as .npz or JSON, NumPy and PyTorch code, and any plot as an image.

Data, model and code are written from a consistent copy of the playground that the worker
takes between two mini-batches (FileActions.write_playground); the exporters and code generators
load on the first export, not at start-up.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pyqtgraph as pg
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QGraphicsView, QMenu

from playground.messages import SUCCESS
from playground.storage import StorageError

EXPORT_LABELS = {
    "history_csv": "Loss history as CSV…",
    "comparison_csv": "Comparison of pinned runs as CSV…",
    "dataset_csv": "Dataset as CSV…",
    "model_npz": "Model as NumPy archive (.npz)…",
    "model_json": "Model as JSON…",
    "numpy_predict": "NumPy predict() script (.py)…",
    "pytorch": "PyTorch module with training loop (.py)…",
}
EXPORT_SUFFIX_NAMES = {"history_csv": "-loss", "comparison_csv": "-comparison",
                       "dataset_csv": "-data", "model_npz": "-model",
                       "model_json": "-model", "numpy_predict": "_predict",
                       "pytorch": "_torch"}


class ExportActions(QObject):
    """Fills ``menu`` (the Export submenu) and runs its exports.

    ``write(function, path, failure)`` captures the playground and writes it with
    ``function(path, content)`` (None, after telling the user, when it could not),
    ``suggest(ending)`` gives a path to offer, ``message(text)`` reports a result; ``prompter``
    asks for paths and shows errors.
    """

    def __init__(self, window, menu: QMenu, prompter, write: Callable[..., dict | None],
                 suggest: Callable[[str], str], message: Callable[[str], None],
                 parent: QObject | None = None):
        super().__init__(parent)
        self.window = window
        self.menu = menu
        self.prompter = prompter
        self._write, self._suggest, self._message = write, suggest, message
        self.plot_menu = menu.addMenu("&Plot as image")
        self.plot_menu.setObjectName("exportPlotMenu")
        self.plot_menu.aboutToShow.connect(self._fill_plot_menu)
        menu.addSeparator()
        self.actions = {}
        for key, label in EXPORT_LABELS.items():
            act = menu.addAction(label)
            act.setObjectName(f"export_{key}")
            act.triggered.connect(lambda checked=False, key=key: self.export(key))
            self.actions[key] = act

    def export(self, key: str, path: str | None = None) -> bool:
        """Export what ``key`` names (EXPORT_LABELS) to ``path`` (asked for when None)."""
        # the exporters and the code generators load on the first export, not at start-up
        from playground.storage.export import EXPORTERS

        function, dialog_filter, suffix = EXPORTERS[key]
        if path is None:
            suggested = self._suggest(f"{EXPORT_SUFFIX_NAMES[key]}{suffix}")
            path = self.prompter.save_path(EXPORT_LABELS[key].rstrip("…"), suggested,
                                           dialog_filter)
            if not path:
                return False
        if self._write(function, path, "Cannot export") is None:
            return False
        self._message(f"Exported {path}", kind=SUCCESS)
        return True

    def plot_views(self) -> list[QGraphicsView]:
        """The window's visible views that can be exported as images, by their accessible name."""
        views = [view for view in self.window.findChildren(QGraphicsView)
                 if view.isVisible() and view.accessibleName()]
        return sorted(views, key=lambda view: view.accessibleName())

    def _fill_plot_menu(self) -> None:
        self.plot_menu.clear()
        for view in self.plot_views():
            act = self.plot_menu.addAction(f"{view.accessibleName()}…")
            act.triggered.connect(lambda checked=False, view=view: self.export_plot(view))

    def export_plot(self, view: QGraphicsView, path: str | None = None) -> bool:
        """PNG through pyqtgraph's ImageExporter (a plain grab for non-pyqtgraph views); SVG
        through its SVGExporter, which fails on Qt 6 in pyqtgraph 0.14.0 (upstream #3485)."""
        if path is None:
            name = view.accessibleName().lower().replace(" ", "-")
            path = self.prompter.save_path("Export plot", self._suggest(f"-{name}.png"),
                                           "PNG image (*.png);;SVG image (*.svg)")
            if not path:
                return False
        try:
            if path.lower().endswith(".svg"):
                self._export_svg(view, path)
            else:
                self._export_png(view, path)
        except (StorageError, OSError) as error:
            self.prompter.error("Cannot export the plot", str(error))
            return False
        self._message(f"Exported {path}", kind=SUCCESS)
        return True

    @staticmethod
    def _export_png(view: QGraphicsView, path: str) -> None:
        if isinstance(view, pg.GraphicsView):
            from pyqtgraph.exporters import ImageExporter

            ImageExporter(view.scene()).export(path)
        elif not view.grab().save(path, "PNG"):
            raise StorageError(f"cannot write {path}")
        if not Path(path).is_file():
            raise StorageError(f"cannot write {path}")

    @staticmethod
    def _export_svg(view: QGraphicsView, path: str) -> None:
        if not isinstance(view, pg.GraphicsView):
            raise StorageError(f"{view.accessibleName()} can only be exported as PNG")
        from pyqtgraph.exporters import SVGExporter

        try:
            SVGExporter(view.scene()).export(path)
        except Exception as error:  # noqa: BLE001 - any failure of the exporter means "no SVG"
            raise StorageError(
                f"pyqtgraph {pg.__version__} could not export SVG ({type(error).__name__}: "
                f"{error}); this is a known problem with Qt 6 (pyqtgraph issue #3485). "
                "Export the plot as PNG instead.") from None
