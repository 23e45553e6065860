"""Shared test set-up: headless Qt, garbage collected on the GUI thread only, and no test may
leave a thread running; ``generated_function`` runs one function of generated code alone."""
import ast
import gc
import os
import threading

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from playground.qt.gui_thread_gc import collect_due_generations

# as in the app, for the whole session: a collection on a training thread can destroy Qt objects
# there and deadlock both threads; the main (GUI) thread collects between tests and, in tests
# that build the app's window, from the app's own collector timer
gc.disable()


@pytest.fixture(autouse=True)
def garbage_collected_on_the_gui_thread():
    """Collect, on this thread, what the interpreter's own collector would have by now."""
    yield
    assert not gc.isenabled(), "a test switched automatic garbage collection back on"
    collect_due_generations()


def _running_qthreads():
    """QThreads still running, found through the Python wrappers the tests created."""
    import gc
    import sys

    if "PySide6.QtCore" not in sys.modules:
        return []
    from PySide6.QtCore import QThread

    running = []
    for obj in gc.get_objects():
        try:
            if isinstance(obj, QThread) and obj.isRunning():
                running.append(obj)
        except RuntimeError:  # wrapper whose C++ object is already deleted
            pass
    return running


@pytest.fixture(autouse=True)
def no_thread_left_running():
    """Fail any test that leaves a QThread or a Python thread running."""
    before = set(threading.enumerate())
    yield
    leftover_qthreads = _running_qthreads()
    # _DummyThread entries stand for foreign (Qt) threads that touched `threading`; they never die
    leftover = [t for t in threading.enumerate()
                if t not in before and t.is_alive() and not isinstance(t, threading._DummyThread)]
    assert not leftover_qthreads, f"test left {len(leftover_qthreads)} QThread(s) running"
    assert not leftover, f"test left threads running: {[t.name for t in leftover]}"


def _generated_function(source: str, name: str, **names):
    """The function ``name`` of generated Python source, compiled alone with ``names`` as its
    globals: a part of an export that needs no PyTorch (its CSV reading) runs without it."""
    function = next(node for node in ast.parse(source).body
                    if isinstance(node, ast.FunctionDef) and node.name == name)
    namespace = dict(names)
    exec(compile(ast.Module([function], type_ignores=[]), name, "exec"), namespace)
    return namespace[name]


@pytest.fixture
def generated_function():
    """``generated_function(source, name, **globals)``: one function of generated code."""
    return _generated_function
