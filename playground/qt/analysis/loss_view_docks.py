"""The Slope and Landscape docks ask the worker for their numbers only while they are shown.

A dock is shown when its tab is in front (or it floats, or has a place of its own) and hidden
when another tab covers it, it is closed, or the window is minimised: Qt's
``visibilityChanged`` follows exactly that (``isVisible`` does not: a dock behind a tab stays
"visible", moved off the window; see docs/NOTES.md). Shown, the panel's choice goes to the
worker (``watch_slope`` / ``watch_landscape``); hidden, None, and the worker spends nothing.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDockWidget


class DockWatch(QObject):
    """Sends ``request()`` while ``dock`` is shown and None while it is hidden, through
    ``send``, each change once; call :meth:`update` when the panel's choice changes."""

    def __init__(self, dock: QDockWidget, request: Callable[[], object],
                 send: Callable[[object], None]) -> None:
        super().__init__(dock)
        self._request, self._send = request, send
        self.shown = False
        self.sent: object = None
        dock.visibilityChanged.connect(self._visibility_changed)

    def _visibility_changed(self, shown: bool) -> None:
        self.shown = shown
        self.update()

    def update(self) -> None:
        wanted = self._request() if self.shown else None
        if wanted != self.sent:
            self.sent = wanted
            self._send(wanted)


def watch_loss_views(docks: dict[str, QDockWidget], slope_panel, landscape_panel,
                     controller) -> tuple[DockWatch, DockWatch]:
    """Connect the Slope and Landscape docks to the worker; returns their watches."""
    slope = DockWatch(docks["slopeDock"], slope_panel.data, controller.watch_slope)
    slope_panel.sigDataChanged.connect(lambda _data: slope.update())
    landscape = DockWatch(
        docks["landscapeDock"],
        lambda: (landscape_panel.directions(), landscape_panel.resolution()),
        lambda wanted: controller.watch_landscape(*(wanted or (None,))))
    landscape_panel.sigSettingsChanged.connect(lambda *_: landscape.update())
    return slope, landscape
