"""The default layout of the real window: one tool bar row with the speed next to Play, the
settings column on the left, the boundary alone on the right, the plots tabbed with the backprop
inspector below; what it remembers and what it refuses; the colour legend.

The sizes of the screens it must fit are checked in test_screen_sizes.py.
"""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, QSettings, QSize, Qt
from PySide6.QtWidgets import QAbstractButton, QScrollArea, QToolBar, QWidget

from playground.qt.shell.colour_legend import SETTINGS_SHOWN
from playground.qt.shell.layout_check import in_view
from playground.qt.shell.main_window import MainWindow
from playground.qt.shell.window_layout import (LAYOUT_VERSION, SETTINGS_STATE, fit_into)

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise)\(\)")
TIMEOUT_MS = 20_000
AREA = Qt.DockWidgetArea
# the tabs behind the plots, in order
BOTTOM_TABS = ("inspectorDock", "slopeDock", "landscapeDock")


def settings_in(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat)


def open_window(qtbot, tmp_path, size=QSize(1366, 768)) -> MainWindow:
    window = MainWindow(settings=settings_in(tmp_path))
    qtbot.addWidget(window)
    window.resize(size)
    window.show()
    qtbot.waitUntil(lambda: window.rendered_snapshot is not None, timeout=TIMEOUT_MS)
    return window


@pytest.fixture
def window(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path)
    yield window
    window.close()


def left_of(a: QWidget, b: QWidget) -> bool:
    return a.mapToGlobal(QPoint(0, 0)).x() < b.mapToGlobal(QPoint(0, 0)).x()


def test_one_tool_bar_row_with_the_speed_next_to_play(window):
    toolbars = [bar for bar in window.findChildren(QToolBar)
                if window.toolBarArea(bar) == Qt.ToolBarArea.TopToolBarArea]
    assert toolbars == [window.toolbar]            # the painter is no second row any more
    # (the offscreen test screen is 800 pixels wide: the window is at its narrowest, which
    # leaves the measured speed to the tool bar's » menu)
    names = ["resetButton", "playButton", "stepButton", "stepBatchButton", "speedInput",
             "fastSpeedButton", "epochValue"]
    widgets = [window.toolbar.findChild(QWidget, name) for name in names]
    assert all(widget is not None and widget.isVisible() for widget in widgets)
    for before, after in zip(widgets, widgets[1:]):
        assert left_of(before, after), f"{before.objectName()} / {after.objectName()}"
    # one control, one place: the Training panel has no speed any more
    assert window.training_controls.findChild(QWidget, "speedInput") is None


def test_the_default_layout(window):
    docks = window.docks
    assert window.dockWidgetArea(docks["dataDock"]) == AREA.LeftDockWidgetArea
    assert window.dockWidgetArea(docks["trainingDock"]) == AREA.LeftDockWidgetArea
    data, training = docks["dataDock"].geometry(), docks["trainingDock"].geometry()
    assert data.bottom() < training.top() and abs(data.x() - training.x()) <= 1
    # the left column runs the full height, beside the editor and above nothing else
    assert data.top() <= window.centralWidget().geometry().top()
    assert training.bottom() >= docks["plotsDock"].geometry().bottom()
    assert 240 <= data.width() <= 300
    for name in ("dataDock", "trainingDock"):     # they scroll when the window is short
        assert isinstance(docks[name].widget(), QScrollArea)
    assert window.dockWidgetArea(docks["outputDock"]) == AREA.RightDockWidgetArea
    assert window.tabifiedDockWidgets(docks["outputDock"]) == []
    assert window.dockWidgetArea(docks["plotsDock"]) == AREA.BottomDockWidgetArea
    assert window.tabifiedDockWidgets(docks["plotsDock"]) == [
        docks[name] for name in BOTTOM_TABS]
    assert (docks["plotsDock"].windowTitle(), docks["inspectorDock"].windowTitle()) == \
        ("Plots", "Backprop inspector")
    # the bottom row spans below the editor and the output column, not below the settings
    plots, output = docks["plotsDock"].geometry(), docks["outputDock"].geometry()
    assert plots.top() > output.bottom() and plots.right() >= output.right() - 1
    assert plots.left() > data.right()
    # the four plots side by side in the one Plots dock
    row = [window.loss_plot, window.accuracy_plot, window.weights_plot, window.gradient_plot]
    assert all(docks["plotsDock"].isAncestorOf(plot) for plot in row)
    assert all(left_of(a, b) for a, b in zip(row, row[1:]))
    tops = {plot.mapToGlobal(QPoint(0, 0)).y() for plot in row[1:]}
    assert len(tops) == 1
    # the window opens on the plots, with the boundary beside them
    assert in_view(docks["plotsDock"]) and not in_view(docks["inspectorDock"])
    assert in_view(window.boundary_view)
    # the painter's tools top the Output panel
    assert docks["outputDock"].isAncestorOf(window.dataset_painter)
    assert window.dataset_painter.objectName() == "datasetEditor"


def test_step_batch_brings_the_inspector_up_beside_the_boundary(qtbot, window):
    docks = window.docks
    plots_height = docks["plotsDock"].height()
    window.findChild(QAbstractButton, "stepBatchButton").click()
    qtbot.waitUntil(lambda: in_view(docks["inspectorDock"]), timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.inspector.stack.currentIndex() == 1, timeout=TIMEOUT_MS)
    assert not in_view(docks["plotsDock"])
    assert in_view(window.boundary_view) and in_view(window.network_editor)
    # taller than the plots' row, for the tables; the network and the boundary keep room
    qtbot.waitUntil(lambda: docks["inspectorDock"].height() > plots_height + 40,
                    timeout=TIMEOUT_MS)
    assert window.boundary_view.height() >= 150
    docks["plotsDock"].raise_()
    qtbot.waitUntil(lambda: abs(docks["plotsDock"].height() - plots_height) <= 2,
                    timeout=TIMEOUT_MS)


def test_a_relaunch_opens_on_the_plots_even_if_it_closed_on_the_inspector(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path)
    window.step_batch_action.trigger()
    qtbot.waitUntil(lambda: in_view(window.docks["inspectorDock"]), timeout=TIMEOUT_MS)
    window.close()
    again = open_window(qtbot, tmp_path)
    try:
        assert in_view(again.docks["plotsDock"]) and not in_view(again.docks["inspectorDock"])
        assert again.tabifiedDockWidgets(again.docks["plotsDock"]) == \
            [again.docks[name] for name in BOTTOM_TABS]
    finally:
        again.close()


def test_a_layout_saved_by_an_older_version_is_discarded(qtbot, tmp_path):
    old = open_window(qtbot, tmp_path)
    # what the first version did: the inspector tabbed over the output, in front of it
    old.tabifyDockWidget(old.docks["outputDock"], old.docks["inspectorDock"])
    old.docks["inspectorDock"].raise_()
    state = old.saveState(LAYOUT_VERSION - 1)
    old.close()
    settings = settings_in(tmp_path)
    settings.setValue(SETTINGS_STATE, state)
    settings.sync()
    window = open_window(qtbot, tmp_path)
    try:
        assert window.tabifiedDockWidgets(window.docks["outputDock"]) == []
        assert window.tabifiedDockWidgets(window.docks["plotsDock"]) == \
            [window.docks[name] for name in BOTTOM_TABS]
        assert in_view(window.boundary_view)
    finally:
        window.close()


def test_a_window_is_brought_back_inside_its_screen():
    area = QRect(0, 0, 1280, 720)
    # saved 1400 × 900 at (600, 400) with a 30-pixel title bar, reopened on a 1280 × 720 screen
    size, position = fit_into(QRect(600, 400, 1400, 930), QSize(1400, 900), area)
    assert size == QSize(1280, 690) and position == (0, 0)
    # a window that fits is only moved in from the edge it crossed
    size, position = fit_into(QRect(1000, -20, 800, 630), QSize(800, 600), area)
    assert size == QSize(800, 600) and position == (480, 0)


# -- the colour legend -------------------------------------------------------------------------
def test_the_colour_legend_says_what_the_colours_mean(window):
    legend = window.colour_legend
    assert in_view(legend) and window.centralWidget().isAncestorOf(legend)
    editor = window.network_editor
    assert legend.mapToGlobal(QPoint(0, 0)).y() >= editor.mapToGlobal(
        QPoint(0, editor.height())).y() - 1                  # under the drawing, not over it
    text = " ".join(legend.texts()).lower()
    for words in ("orange", "blue", "below 0", "above", "class 0", "|w|", "width",
                  "bias", "small square", "hover", "output"):
        assert words in text, words


def test_the_legend_can_be_closed_and_comes_back_from_help(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path)
    help_menu = next(action.menu() for action in window.menuBar().actions()
                     if action.text() == "&Help")
    show = next(action for action in help_menu.actions()
                if action.text() == "Show colour legend")
    assert show.isChecked() and in_view(window.colour_legend)
    qtbot.mouseClick(window.colour_legend.close_button, Qt.MouseButton.LeftButton)
    assert window.colour_legend.isHidden() and not show.isChecked()
    window.close()
    assert settings_in(tmp_path).value(SETTINGS_SHOWN, type=bool) is False
    again = open_window(qtbot, tmp_path)              # remembered across launches
    try:
        assert again.colour_legend.isHidden()
        show = next(action for action in again.menuBar().actions()
                    if action.text() == "&Help").menu().actions()[0]
        assert show.text() == "Show colour legend" and not show.isChecked()
        show.trigger()
        assert in_view(again.colour_legend) and show.isChecked()
        assert settings_in(tmp_path).value(SETTINGS_SHOWN, type=bool) is True
    finally:
        again.close()


def test_the_speed_control_stays_put_when_play_becomes_pause(qtbot, window):
    speed = window.speed_control.combo
    before = speed.mapTo(window, QPoint(0, 0)).x()
    window.play_action.trigger()
    qtbot.waitUntil(lambda: window.play_action.text() == "Pause", timeout=TIMEOUT_MS)
    qtbot.wait(50)
    assert speed.mapTo(window, QPoint(0, 0)).x() == before
    window.controller.pause()


def test_a_lesson_reads_in_the_data_panels_place_beside_the_plots(qtbot, window):
    menu = window.file_actions.lessons.menu
    window.step_batch_action.trigger()                  # the inspector in front, then a lesson
    qtbot.waitUntil(lambda: in_view(window.docks["inspectorDock"]), timeout=TIMEOUT_MS)
    window.file_actions.prompter.unsaved_changes = lambda title: "discard"
    # a lesson that names no panel of its own: the plots come back to the front
    next(act for act in menu.actions() if act.text() == "Spiral: features vs depth").trigger()
    lesson = window.file_actions.lessons.dock
    qtbot.waitUntil(lambda: lesson is not None and in_view(lesson), timeout=TIMEOUT_MS)
    assert window.tabifiedDockWidgets(window.docks["dataDock"]) == [lesson]
    assert in_view(window.docks["trainingDock"]) and in_view(window.boundary_view)
    assert in_view(window.docks["plotsDock"]) and not in_view(window.docks["dataDock"])
    assert lesson.width() >= 240 and lesson.height() >= 200
