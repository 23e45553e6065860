"""Screenshots of what teachers use, in a 1280 × 720 window: the Record dialog, the Save as lesson
dialog (each drawn over the window, where it opens) and a lesson open in classroom mode with its
goal reached.

    QT_QPA_PLATFORM=offscreen python scripts/screenshots_teaching.py [--out DIR]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from screenshots_sizes import offscreen_environment, settle, wait

SCREEN = (1280, 720)             # the window's inside, what the pictures show
FRAME = 2                        # the offscreen platform's window frame, each side
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if os.environ["QT_QPA_PLATFORM"] == "offscreen":
    os.environ.update(offscreen_environment(SCREEN[0] + 2 * FRAME, SCREEN[1] + 2 * FRAME,
                                            tempfile.mkdtemp()))

OUT_DIR = Path(__file__).resolve().parent.parent / "resources" / "screenshots"
LESSON_TEXT = """Two classes in a ring: no straight line separates them.

1. Press **Play** and watch the *decision boundary* bend.
2. Which features does the first hidden layer need? Try it before you add any.

The goal is reached when the test loss is below **0.1**."""


class Discard:
    """Answers "discard" when asked about unsaved changes; any error stops the script."""

    def unsaved_changes(self, name):
        from playground.qt.files.prompts import DISCARD

        return DISCARD

    def error(self, title, text):
        raise RuntimeError(f"{title}: {text}")


def new_window(settings_path: str, config=None):
    from PySide6.QtCore import QSettings

    from playground.qt.shell.main_window import MainWindow

    window = MainWindow(config=config, settings=QSettings(settings_path,
                                                          QSettings.Format.IniFormat))
    window.file_actions._interactive = False
    window.file_actions.prompter = Discard()
    window.show()
    return window


def train(app, window, epochs: int, limit: float = 60.0) -> None:
    controller = window.controller
    speed = controller.config.hyper
    controller.set_hyperparameters(replace(speed, epochs_per_second=None))
    controller.play()
    started = time.perf_counter()
    wait(app, lambda: controller.latest_snapshot.epoch >= epochs
         or time.perf_counter() - started > limit, limit + 10)
    controller.pause()
    controller.set_hyperparameters(speed)
    settle(app, 1.0)


def over_window(window, dialog):
    """The window's picture with the dialog drawn where it opens (centred on the window)."""
    from PySide6.QtGui import QPainter

    picture = window.grab()
    painter = QPainter(picture)
    shot = dialog.grab()
    x = (picture.width() - shot.width()) // 2
    y = max(0, (picture.height() - shot.height()) // 2)
    painter.drawPixmap(x, y, shot)
    painter.setPen(window.palette().color(window.palette().ColorRole.Mid))
    painter.drawRect(x, y, shot.width() - 1, shot.height() - 1)      # the dialog's frame
    painter.end()
    return picture


def save(picture, path: Path) -> None:
    from playground.qt.theme import save_indexed_png

    if not save_indexed_png(picture.toImage(), str(path)):
        raise OSError(f"could not write {path}")
    print(f"{path}: {picture.width()} × {picture.height()}, {path.stat().st_size // 1024} KB")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    from playground.app import ensure_application
    from playground.classroom import HIDDEN, LOCKED
    from playground.lessons import REACHED

    app = ensure_application()
    with tempfile.TemporaryDirectory() as folder:
        window = new_window(os.path.join(folder, "a.ini"))
        window.file_actions.lessons.user_folder = Path(folder) / "lessons"
        wait(app, lambda: window.rendered_snapshot is not None)
        train(app, window, 150)

        dialog = window.teaching.recording.open_dialog()
        dialog.choose(target="boundary", format_key="gif", path=str(Path.home() /
                                                                    "circle-boundary.gif"))
        settle(app)
        save(over_window(window, dialog), args.out / "record-dialog.png")
        dialog.reject()

        dialog = window.teaching.lessons.open_dialog()
        dialog.title.setText("Why a ring needs a hidden layer")
        dialog.text.setPlainText(LESSON_TEXT)
        dialog.goal_box.setChecked(True)
        dialog.goal_metric.setCurrentIndex(dialog.goal_metric.findData("test_loss"))
        dialog.goal_value.setValue(0.1)
        dialog.within.setChecked(True)
        for control in ("dataset", "problem", "noise", "layers"):
            dialog.set_state(control, LOCKED)
        for control in ("optimizer", "regularization", "inspector", "painter"):
            dialog.set_state(control, HIDDEN)
        settle(app, 0.5)
        save(over_window(window, dialog), args.out / "lesson-dialog.png")
        dialog.sigSave.emit(dialog.request())
        wait(app, lambda: window.teaching.lessons.saved_path is not None)
        path = window.teaching.lessons.saved_path

        window.file_actions.open_any(path)
        wait(app, lambda: window.teaching.classroom.active)
        panel = window.file_actions.lessons.panel
        window.controller.play()
        wait(app, lambda: panel.goal_status == REACHED, 60)
        train(app, window, 200)
        save(window.grab(), args.out / "classroom-mode.png")
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
