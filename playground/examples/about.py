"""The About dialog: ``python -m playground.examples about [--screenshot PATH]``."""
from __future__ import annotations

from playground.examples.running import application, finish, screenshot_wanted
from playground.qt.icon import app_icon
from playground.qt.shell.about import AboutDialog, show_about_dialog


def main(argv: list[str]) -> int:
    app = application(argv)
    app.setWindowIcon(app_icon())
    if screenshot_wanted(argv):
        return finish(app, AboutDialog(), argv)
    show_about_dialog()         # modal, as from Help ▸ About
    return 0
