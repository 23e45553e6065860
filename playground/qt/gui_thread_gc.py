"""Python's cyclic garbage collector, run on the GUI thread only, for the whole life of the app.

The interpreter runs a collection on whichever thread happens to cross its allocation threshold.
When that is the training thread, Qt objects caught in reference cycles are destroyed off the GUI
thread, and the two threads can deadlock for good: the training thread waits for the interpreter
lock inside ``QObject::~QObject`` while the GUI thread, holding that lock in its own pass, waits on
a Qt mutex. So automatic collection is switched off as the app starts (before NumPy and Qt load,
which also spares start-up the collector's passes over ~75,000 long-lived objects) and a
GUI-thread timer collects instead, generation by generation, with the interpreter's own
thresholds -- the pattern of pyqtgraph's ``GarbageCollector`` and of calibre. Unlike pyqtgraph's,
this one reads the thresholds at every check (so they can be tuned at run time, as the tests do)
and checks ten times a second rather than once, so a young generation never grows for long.
"""
from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer

CHECK_INTERVAL_MS = 100


def collect_due_generations() -> int | None:
    """Collect the oldest generation whose allocation count passed its threshold, as the
    interpreter's own collector would have at that moment; returns it (None: nothing due).

    Must be called on the GUI thread.
    """
    threshold, count = gc.get_threshold(), gc.get_count()
    if threshold[0] <= 0 or count[0] <= threshold[0]:
        return None          # a threshold of 0 switches the collector off, as in CPython
    generation = next(g for g in (2, 1, 0) if count[g] > threshold[g])
    gc.collect(generation)
    return generation


class GuiThreadCollector(QObject):
    """The app's one garbage collector: automatic collection off, a GUI-thread timer collecting.

    Create it with :func:`collect_on_gui_thread`, which keeps one per application.
    """

    def __init__(self, app: QCoreApplication):
        super().__init__(app)
        if QThread.currentThread() is not app.thread():
            raise RuntimeError("the garbage collector must be started on the GUI thread")
        self.setObjectName("GuiThreadCollector")
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(collect_due_generations)
        self._timer.start(CHECK_INTERVAL_MS)


def collect_on_gui_thread(app: QCoreApplication) -> GuiThreadCollector:
    """Switch automatic collection off for good and collect from ``app``'s thread instead."""
    gc.disable()
    collector = app.findChild(GuiThreadCollector, "GuiThreadCollector")
    return collector if collector is not None else GuiThreadCollector(app)


def freeze_start_up_objects() -> None:
    """Move everything built so far out of the collector's sight for good.

    Call once the window is built: the modules, widgets and plots made at start-up live as long
    as the app, and a full collection that scans them (~110,000 objects) took ~20 ms, every ten
    seconds or so while training; over what is made afterwards it takes well under 1 ms.
    """
    gc.freeze()
