"""Compare runs in the window: "Pin this run" (the runs panel's button, Training ▸ Pin this run,
P), the pinned runs' list, their ghost curves in the loss and accuracy plots, and File ▸
Export ▸ Comparison of pinned runs as PNG (the CSV is a storage export beside it).

The pins live in the document (saved with the file, restored after a crash); this wires them
to the views and keeps every label's "what differs" current with the settings in force.
"""
from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QColor, QImage, QKeySequence, QPainter

from playground.qt import theme
from playground.qt.analysis.ghost_curves import GhostCurves
from playground.qt.analysis.pinned_runs import PinnedRunsKeeper, view_thumbnail
from playground.runs import PinnedRuns

PNG_FILTER = "PNG image (*.png)"


class CompareRuns(QObject):
    """Pinned runs for ``window`` (a MainWindow with its file actions installed).

    ``ghosts`` are views: the window hands them every snapshot after the plots.
    """

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        document = window.file_actions.document
        self.keeper = PinnedRunsKeeper(window.controller, document,
                                       lambda: view_thumbnail(window.boundary_view), self)
        self.keeper.sigMessage.connect(window.status.show_message)
        self.panel = window.runs_panel
        self.ghosts = (GhostCurves(window.loss_plot, "train_loss", "test_loss"),
                       GhostCurves(window.accuracy_plot, "train_accuracy", "test_accuracy"))
        self.pin_action = QAction("Pin this run", window)
        self.pin_action.setObjectName("pinRunAction")
        self.pin_action.setShortcut(QKeySequence("P"))
        self.pin_action.setStatusTip("Keep this run's curves, settings and boundary to compare "
                                     "with the runs that follow.")
        self.pin_action.triggered.connect(self.keeper.pin)
        window.addAction(self.pin_action)
        window.training_menu.addSeparator()
        window.training_menu.addAction(self.pin_action)
        self.panel.sigPin.connect(self.keeper.pin)
        self.panel.sigVisibilityChanged.connect(self.keeper.set_visible)
        self.panel.sigRemove.connect(self.keeper.remove)
        document.sigPinsChanged.connect(self.show_runs)
        window.controller.sigConfigChanged.connect(lambda _config: self.show_runs(self.runs))
        exports = window.file_actions.exports
        self.png_action = exports.menu.addAction("Comparison of pinned runs as PNG…")
        self.png_action.setObjectName("export_comparison_png")
        self.png_action.triggered.connect(lambda checked=False: self.export_png())

    @property
    def runs(self) -> PinnedRuns:
        return self.keeper.runs

    def show_runs(self, runs: PinnedRuns) -> None:
        differences = {run.pin_id: self.keeper.difference(run.pin_id) for run in runs}
        self.panel.show_runs(runs, differences)
        for ghosts in self.ghosts:
            ghosts.show_runs(runs, differences)

    def comparison_image(self) -> QImage:
        """The loss and accuracy plots (the loss alone for a regression), ghosts included,
        side by side."""
        plots = [self.window.loss_plot]
        if self.window.accuracy_plot.applicable:
            plots.append(self.window.accuracy_plot)
        pictures = [plot.grab().toImage() for plot in plots]
        width = sum(picture.width() for picture in pictures)
        height = max(picture.height() for picture in pictures)
        image = QImage(width, height, QImage.Format.Format_RGB32)
        image.fill(QColor(theme.plot_background(self.window.palette())))
        painter = QPainter(image)
        x = 0
        for picture in pictures:
            painter.drawImage(x, 0, picture)
            x += picture.width()
        painter.end()
        return image

    def export_png(self, path: str | None = None) -> bool:
        """File ▸ Export ▸ Comparison of pinned runs as PNG (``path`` asked for when None)."""
        actions = self.window.file_actions
        if path is None:
            path = actions.prompter.save_path("Export the comparison",
                                              actions.suggested_path("-comparison.png"),
                                              PNG_FILTER)
            if not path:
                return False
        if not self.comparison_image().save(path, "PNG"):
            actions.prompter.error("Cannot export the comparison", f"cannot write {path}")
            return False
        actions.message(f"Exported {path}", problem=False)
        return True
