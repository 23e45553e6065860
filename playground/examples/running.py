"""What every example does the same way: the application, its options, and showing the panel,
or saving it as a PNG and leaving at once with ``--screenshot PATH``."""
from __future__ import annotations

import time

from PySide6 import QtWidgets

from playground.app import ensure_application
from playground.qt import theme


def application(argv: list[str]) -> QtWidgets.QApplication:
    """The QApplication, set up as the app's own (garbage collection on the GUI thread)."""
    app = ensure_application(argv[1:])
    theme.configure_pyqtgraph()
    return app


def option(argv: list[str], name: str, default: str | None = None) -> str | None:
    """The value after ``name`` in ``argv`` (``default`` when ``name`` is not there)."""
    return argv[argv.index(name) + 1] if name in argv else default


def screenshot_wanted(argv: list[str]) -> bool:
    """Whether the example is to save its panel and leave, rather than run until closed."""
    return "--screenshot" in argv


def wait_until(app, condition, seconds: float = 60.0) -> None:
    """Run the event loop until ``condition()`` holds (or ``seconds`` have passed)."""
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.005)


def finish(app, window: QtWidgets.QWidget, argv: list[str], indexed: bool = False) -> int:
    """Show ``window``; with ``--screenshot PATH`` save it there (as an indexed PNG, smaller,
    when ``indexed``) and return at once, else run until it is closed."""
    window.show()
    path = option(argv, "--screenshot")
    if path is None:
        return app.exec()
    app.processEvents()
    image = window.grab()
    saved = theme.save_indexed_png(image.toImage(), path) if indexed else image.save(path)
    return 0 if saved else 1
