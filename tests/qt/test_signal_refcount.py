"""Guards against the PySide6 6.12.0 / Python < 3.12 bug that decrements the refcount of True
(and of None in a pyqtgraph app) on every Signal.emit and aborts a streaming window."""
import gc
import sys

import pyqtgraph  # noqa: F401  (the None leak showed only with pyqtgraph loaded)
from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    sigObject = Signal(object)
    sigBool = Signal(bool)
    sigNothing = Signal()


def test_ten_thousand_emits_keep_true_and_none_alive(qapp):
    emitter = _Emitter()
    received = []
    emitter.sigObject.connect(received.append)
    emitter.sigBool.connect(received.append)
    # garbage left by earlier tests, collected mid-loop, would move the counts by a few hundred
    # (automatic collection is off for the whole session, as in the app)
    gc.collect()
    true_before, none_before = sys.getrefcount(True), sys.getrefcount(None)
    for i in range(10_000):
        emitter.sigObject.emit(None if i % 2 else {"ok": True})
        emitter.sigBool.emit(True)
        emitter.sigNothing.emit()
    assert len(received) == 20_000
    received.clear()
    true_after, none_after = sys.getrefcount(True), sys.getrefcount(None)
    # immortal objects (Python >= 3.12) report a huge constant; a leak shows as a drop of ~10,000
    assert true_after >= true_before - 100
    assert none_after >= none_before - 100
