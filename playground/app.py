"""Command line entry point: ``backprop-playground [FILE] [--version] [--self-test [--screenshot PATH]]``.

Qt is imported only when a window is needed, so ``--version`` answers without loading it.
"""
from __future__ import annotations

import argparse
import gc
import os
import sys

from playground import __version__

# Before NumPy loads: the engine's matrices are small, so BLAS threads gain nothing on them, and
# beside the GUI thread on a busy machine they made an 8 x 32 network's per-epoch evaluation
# 2-10 times slower and erratic (docs/NOTES.md). A value set by the user is kept.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

APPLICATION_NAME = "Backprop Playground"
ORGANIZATION_NAME = "Backprop Playground"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backprop-playground",
        description="A desktop neural-network playground: build small networks, draw 2-D data "
                    "and watch backpropagation train live.",
    )
    parser.add_argument("file", nargs="?", metavar="FILE",
                        help="a saved playground (.bpp) to open, points as CSV to train on, "
                             "or a lesson (.json)")
    parser.add_argument("--version", action="store_true",
                        help="print the version and exit")
    parser.add_argument("--self-test", action="store_true",
                        help="open the window, train the default playground for a few hundred "
                             "epochs, check that the loss fell and exit (0 on success)")
    parser.add_argument("--screenshot", metavar="PATH",
                        help="with --self-test: save a PNG of the window after training")
    return parser


def ensure_application(argv: list[str] | None = None):
    """The running QApplication, created (with the names QSettings uses) if there is none."""
    # cyclic collection runs on the GUI thread only, from the first import on (gui_thread_gc)
    gc.disable()
    # NumPy before Qt: once PySide6 is loaded it reads the source of every module imported
    # after it (looking for "from __feature__ import"), and NumPy's hundred modules would be
    # read for nothing
    import numpy  # noqa: F401
    from PySide6.QtWidgets import QApplication

    from playground.qt.gui_thread_gc import collect_on_gui_thread

    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0]] + list(argv or []))
    collect_on_gui_thread(app)
    app.setApplicationName(APPLICATION_NAME)
    app.setOrganizationName(ORGANIZATION_NAME)
    app.setApplicationDisplayName(APPLICATION_NAME)
    app.setApplicationVersion(__version__)
    return app


def create_window(config=None, settings=None):
    """The main window, built and ready to show (a QApplication is created if missing).

    ``config`` is a PlaygroundConfig (the defaults when None); ``settings`` a QSettings holding the
    window layout (the application's own settings when None). The window has the network editor
    and the dataset painter.
    """
    ensure_application()
    from playground.qt.shell.main_window import MainWindow

    return MainWindow(config=config, settings=settings)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.version:
        print(f"backprop-playground {__version__}")
        return 0
    if args.screenshot and not args.self_test:
        print("--screenshot is only used with --self-test", file=sys.stderr)
        return 2
    if args.self_test:
        from playground.qt.shell.self_test import run_self_test

        ensure_application()
        return run_self_test(args.screenshot)

    app = ensure_application()
    window = create_window()
    from playground.qt.gui_thread_gc import freeze_start_up_objects

    # destroyed as soon as it closes, while the event loop and Python still hold everything
    from PySide6.QtCore import Qt

    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.show()
    # autosave, crash recovery and the unsaved-changes prompt belong to the real app only
    window.file_actions.start_session()
    freeze_start_up_objects()
    if args.file:
        window.open_file(args.file)
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
