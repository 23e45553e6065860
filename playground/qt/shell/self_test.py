"""``backprop-playground --self-test``: the smoke test packaging and CI run on a built app.

Opens the real window, trains the default playground for a few hundred epochs (or until a time
limit on a slow machine), checks that the loss fell, optionally saves a screenshot, closes the
window and returns an exit code. The window layout is kept in a throw-away settings file so a
self-test never changes the user's saved layout.
"""
from __future__ import annotations

import math
import os
import sys
import tempfile
import time
from dataclasses import replace

from PySide6.QtCore import QEvent, QSettings
from PySide6.QtWidgets import QApplication

from playground.config import PlaygroundConfig
from playground.qt.shell.main_window import MainWindow
from playground.snapshot import PAUSED

TARGET_EPOCHS = 300
TIME_LIMIT_S = 30.0
# the default circle falls from ~0.69 to well under 0.2 within 300 epochs; a falling loss is
# the check, a generous margin keeps slow machines (fewer epochs in the time limit) passing
REQUIRED_DROP = 0.25


class SelfTestFailure(Exception):
    """The reason the self-test failed, printed on stderr."""


def run_self_test(screenshot: str | None = None, target_epochs: int = TARGET_EPOCHS,
                  time_limit: float = TIME_LIMIT_S) -> int:
    """0 when the window trained the default playground and its loss fell, 1 otherwise."""
    try:
        with tempfile.TemporaryDirectory(prefix="bpp-self-test-") as folder:
            settings = QSettings(os.path.join(folder, "layout.ini"), QSettings.Format.IniFormat)
            report = _train_in_window(settings, screenshot, target_epochs, time_limit)
    except SelfTestFailure as failure:
        print(f"self-test failed: {failure}", file=sys.stderr)
        return 1
    print(report)
    return 0


def _train_in_window(settings: QSettings, screenshot: str | None, target_epochs: int,
                     time_limit: float) -> str:
    app = QApplication.instance()
    problems: list[str] = []
    # the default playground, trained as fast as possible (it opens at a watchable speed, which
    # would make the check take ten seconds)
    config = PlaygroundConfig()
    config = replace(config, hyper=replace(config.hyper, epochs_per_second=None))
    window = MainWindow(config=config, settings=settings)
    try:
        controller = window.controller
        controller.sigDiverged.connect(problems.append)
        controller.sigError.connect(problems.append)
        window.show()
        first = _wait_for(app, lambda: controller.latest_snapshot, 10.0, problems,
                          "no snapshot arrived from the training worker")
        initial_loss = first.train_loss
        started = time.perf_counter()
        controller.play()
        _wait_for(app, lambda: controller.latest_snapshot.epoch >= target_epochs
                  or time.perf_counter() - started > time_limit, time_limit + 5.0, problems,
                  "training did not progress")
        controller.pause()
        last = _wait_for(app, lambda: _paused_snapshot(controller), 10.0, problems,
                         "training did not pause")
        elapsed = time.perf_counter() - started
        window.render_pending()
        app.processEvents()
        if last.epoch < 1:
            raise SelfTestFailure("no epoch was trained")
        final_loss = last.train_loss
        if not (math.isfinite(final_loss) and final_loss < (1.0 - REQUIRED_DROP) * initial_loss):
            raise SelfTestFailure(f"the training loss did not fall enough: {initial_loss:.4f} at "
                                  f"epoch 0, {final_loss:.4f} at epoch {last.epoch}")
        if screenshot:
            if not window.grab().save(screenshot):
                raise SelfTestFailure(f"could not save the screenshot to {screenshot}")
        return (f"self-test passed: train loss {initial_loss:.4f} -> {final_loss:.4f} in "
                f"{last.epoch} epochs ({elapsed:.1f} s)"
                + (f"; screenshot saved to {screenshot}" if screenshot else ""))
    finally:
        window.close()
        # destroy the window (and its controller) now, while Python still holds everything,
        # rather than during interpreter shutdown
        window.deleteLater()
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()


def _paused_snapshot(controller):
    snapshot = controller.latest_snapshot
    return snapshot if snapshot is not None and snapshot.state == PAUSED else None


def _wait_for(app, condition, timeout: float, problems: list[str], what: str):
    """Process events until condition() is truthy; fail on a worker problem or the timeout."""
    deadline = time.perf_counter() + timeout
    while True:
        if problems:
            raise SelfTestFailure(problems[0])
        value = condition()
        if value:
            return value
        if time.perf_counter() > deadline:
            raise SelfTestFailure(f"{what} within {timeout:.0f} s")
        app.processEvents()
        time.sleep(0.005)
