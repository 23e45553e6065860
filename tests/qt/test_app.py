"""playground.app in-process: create_window, application identity and argument handling."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from playground import __version__
from playground.app import build_parser, create_window, main
from playground.qt.shell.main_window import MainWindow

# The offscreen platform cannot pass a top-level window's size hints on (it warns whenever a
# layout changes the window's minimum size) nor raise a window (a tooltip, a floated dock); a real
# platform (see the Xvfb test in tests/test_cli.py) does both.
pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise)\(\)")


def test_create_window_returns_the_main_window_ready_to_show(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    settings = QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat)
    window = create_window(settings=settings)
    qtbot.addWidget(window)
    try:
        assert isinstance(window, MainWindow)
        assert window.findChild(QWidget, "playButton") is not None
        assert QCoreApplication.applicationName() == "Backprop Playground"
        assert QCoreApplication.organizationName() == "Backprop Playground"
        assert not window.windowIcon().isNull()
        window.show()
        qtbot.waitUntil(lambda: window.rendered_snapshot is not None, timeout=20_000)
    finally:
        window.close()
    assert not window.controller.is_running


def test_version_flag_prints_the_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"backprop-playground {__version__}"


def test_screenshot_needs_self_test(capsys):
    assert main(["--screenshot", "x.png"]) == 2
    assert "--self-test" in capsys.readouterr().err


def test_file_argument_is_optional():
    parser = build_parser()
    assert parser.parse_args([]).file is None
    assert parser.parse_args(["saved.bpp"]).file == "saved.bpp"


def test_open_file_loads_a_saved_playground_into_the_window(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from playground.config import DataSpec, NetworkSpec, PlaygroundConfig
    from playground.session import Playground
    from playground.storage import save_playground

    config = PlaygroundConfig(data=DataSpec(generator="spiral", noise=0.1),
                              network=NetworkSpec(hidden_layers=(6,), activations=("relu",)))
    path = tmp_path / "spiral.bpp"
    save_playground(str(path), Playground(config))
    window = create_window(settings=QSettings(str(tmp_path / "layout.ini"),
                                              QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    try:
        window.show()
        assert window.open_file(str(path))
        qtbot.waitUntil(lambda: window.rendered_snapshot is not None
                        and window.rendered_snapshot.structure.layer_sizes == (2, 6, 1),
                        timeout=20_000)
        assert window.data_panel.gallery.current_generator() == "spiral"
        assert window.training_controls.activation.currentData() == "relu"
    finally:
        window.close()
