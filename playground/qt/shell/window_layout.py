"""Where the window's panels sit, how big the window opens, and the layout it remembers.

The default layout (every size from a 1024 × 640 laptop to a 1920 × 1080 desktop)::

    ┌ tool bar: Reset Play Step Step batch | Speed [30 epochs/s] [Fast] | Epoch | speed ─┐
    │ Data     │                          │ Output (painter row,      │
    │          │  network editor          │ boundary, its options)    │
    │ Training │                          ├───────────────────────────┤
    │ (scroll  ├──────────────────────────┴───────────────────────────┤
    │ when     │ [Plots | Backprop inspector | Slope | Landscape]:     │
    │ short)   │ loss, accuracy, weights, gradients and the pinned     │
    │          │ runs side by side, or one of the other three          │
    └──────────┴──────────────────────────────────────────────────────┘

The boundary is never tabbed with the inspector, so both show while stepping. The window opens
on the Plots tab, even when the inspector was in front when it closed. The bottom row is taller
while the inspector is in front (its tables need the height; the plots are fine lower), and each
tab keeps the height the user gives it.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, QRect, QSize, Qt
from PySide6.QtWidgets import (QDockWidget, QFrame, QHBoxLayout, QMainWindow, QScrollArea,
                               QSizePolicy, QSplitter, QTabBar, QTabWidget, QVBoxLayout, QWidget)

# bump when docks are added, renamed or moved, so a layout saved by an older version is
# discarded instead of being applied to panels it does not describe (version 1: one dock per
# plot, the inspector tabbed with the output; version 2: no Slope and Landscape docks)
LAYOUT_VERSION = 3
SETTINGS_GEOMETRY = "mainWindow/geometry"
SETTINGS_STATE = "mainWindow/state"
# screens up to this size are laptops: the window takes the whole available area there
LAPTOP_SCREEN = QSize(1440, 900)
# on larger screens, this share of the available area
LARGE_SCREEN_SHARE = 0.9
LEFT_COLUMN_WIDTH = 270
# the output column's share of what the left column leaves, and its bounds
OUTPUT_SHARE = 0.4
OUTPUT_WIDTH_RANGE = (300, 560)
# the bottom row's share of the window's height, and its bounds
PLOTS_SHARE = 0.34
PLOTS_HEIGHT_RANGE = (190, 360)
# the bottom row's share of the window's height while the inspector is in front, and the least
# height it leaves to the network and the boundary above it
INSPECTOR_SHARE = 0.52
TOP_ROW_MIN_HEIGHT = 300
DOCK_TITLE_HEIGHT = 24      # about; the data panel's dock is sized for its panel below it


def default_window_size(available: QSize) -> QSize:
    """The first-launch size: the whole available area of a laptop screen, 90 % of a larger
    one."""
    if available.width() <= LAPTOP_SCREEN.width() or available.height() <= LAPTOP_SCREEN.height():
        return QSize(available)
    return QSize(round(available.width() * LARGE_SCREEN_SHARE),
                 round(available.height() * LARGE_SCREEN_SHARE))


def centred(size: QSize, area: QRect) -> QRect:
    """A rectangle of ``size`` centred in ``area``."""
    rect = QRect(0, 0, size.width(), size.height())
    rect.moveCenter(area.center())
    return rect


def fit_into(frame: QRect, inner: QSize, area: QRect) -> tuple[QSize, tuple[int, int]]:
    """The window size and frame position that put a window whose ``frame`` (title bar and
    borders included) surrounds an ``inner`` size wholly inside ``area``, moving it as little as
    possible and shrinking it only when it is larger than the area."""
    extra_w, extra_h = frame.width() - inner.width(), frame.height() - inner.height()
    width = min(inner.width(), area.width() - extra_w)
    height = min(inner.height(), area.height() - extra_h)
    x = min(max(frame.x(), area.left()), area.left() + area.width() - width - extra_w)
    y = min(max(frame.y(), area.top()), area.top() + area.height() - height - extra_h)
    return QSize(width, height), (x, y)


def keep_on_screen(window: QWidget) -> None:
    """Move and, if need be, shrink a normal (not maximised) window into the available area of
    the screen it is on: a geometry saved on a larger screen is not restored off its edges."""
    if window.isMaximized() or window.isFullScreen():
        return
    screen = window.screen()
    if screen is None:
        return
    size, (x, y) = fit_into(window.frameGeometry(), window.size(), screen.availableGeometry())
    if size != window.size():
        window.resize(size)
    if (x, y) != (window.frameGeometry().x(), window.frameGeometry().y()):
        window.move(x, y)


def arrange_docks(window: QMainWindow, docks: dict[str, QDockWidget]) -> None:
    """The default layout of the docks ``window`` added: Data above Training on the left, the
    Output alone on the right, the inspector tabbed behind the plots at the bottom."""
    area = Qt.DockWidgetArea
    window.splitDockWidget(docks["dataDock"], docks["trainingDock"], Qt.Orientation.Vertical)
    # the inspector shares the plots' place, behind them until the user steps a mini-batch or
    # picks its tab; the boundary stays in view beside both
    window.tabifyDockWidget(docks["plotsDock"], docks["inspectorDock"])
    # the loss along the step and the landscape are tabs of the same row, computed only while
    # in front
    for name in ("slopeDock", "landscapeDock"):
        if name in docks:
            window.tabifyDockWidget(docks["plotsDock"], docks[name])
    # their tabs at the top, where the eye meets the bottom row
    window.setTabPosition(area.BottomDockWidgetArea, QTabWidget.TabPosition.North)
    docks["plotsDock"].raise_()
    # the settings column runs the full height (it scrolls when short); the bottom row spans
    # the rest below the network and the boundary
    window.setCorner(Qt.Corner.TopLeftCorner, area.LeftDockWidgetArea)
    window.setCorner(Qt.Corner.BottomLeftCorner, area.LeftDockWidgetArea)
    window.setCorner(Qt.Corner.BottomRightCorner, area.BottomDockWidgetArea)


def size_for_screen(window: QMainWindow, docks: dict[str, QDockWidget], data_height: int,
                    toolbar: QWidget) -> None:
    """The first-launch geometry on the window's screen, and the docks' default sizes in it
    (``data_height``: the height the data panel asks for)."""
    available = window.screen().availableGeometry()
    window.setGeometry(centred(default_window_size(available.size()), available))
    left, output, plots = default_dock_sizes(window.size())
    window.resizeDocks([docks["dataDock"], docks["outputDock"]], [left, output],
                       Qt.Orientation.Horizontal)
    # the data panel as tall as it needs, if the column has room: the training panel, shorter,
    # takes the rest and scrolls when the window is short
    column = window.height() - sum(bar.sizeHint().height() for bar in
                                   (window.menuBar(), toolbar, window.statusBar()))
    data = data_height + DOCK_TITLE_HEIGHT
    window.resizeDocks([docks["dataDock"], docks["trainingDock"]], [data, max(column - data, 1)],
                       Qt.Orientation.Vertical)
    window.resizeDocks([docks["plotsDock"]], [plots], Qt.Orientation.Vertical)


def show_lesson(window: QMainWindow, docks: dict[str, QDockWidget], lesson: QDockWidget,
                panels: tuple[str, ...] = ()) -> None:
    """The lesson's text in the data panel's place, a tab in front of it: read beside the
    training settings it asks to change, the boundary and the plots (brought to the front: a
    lesson opens on a fresh playground, with nothing to inspect yet), or the ``panels`` the
    lesson names ("slope" is the dock "slopeDock"), each opened if closed, the first in front."""
    if window.dockWidgetArea(lesson) == Qt.DockWidgetArea.NoDockWidgetArea:
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, lesson)
        window.tabifyDockWidget(docks["dataDock"], lesson)
    lesson.show()
    lesson.raise_()
    docks["plotsDock"].raise_()
    for name in reversed(panels):
        dock = docks[f"{name}Dock"]
        dock.show()
        dock.raise_()


def default_dock_sizes(window_size: QSize) -> tuple[int, int, int]:
    """(left column width, output column width, bottom row height) for a window size."""
    low, high = OUTPUT_WIDTH_RANGE
    output = round(min(max((window_size.width() - LEFT_COLUMN_WIDTH) * OUTPUT_SHARE, low), high))
    low, high = PLOTS_HEIGHT_RANGE
    plots = round(min(max(window_size.height() * PLOTS_SHARE, low), high))
    return LEFT_COLUMN_WIDTH, output, plots


def scrolling(panel: QWidget) -> QScrollArea:
    """``panel`` in a frameless area that scrolls it vertically when the dock is too short
    (the left column on a 640-pixel screen), never sideways."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(panel)
    # as wide as the panel needs, plus a vertical scroll bar when one shows
    bar = area.verticalScrollBar().sizeHint().width()
    area.setMinimumWidth(panel.minimumSizeHint().width() + bar)
    return area


def stacked(tools: QWidget, main: QWidget, *options: QWidget) -> QWidget:
    """A view between a row of tools above it and a row of option check boxes under it."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(tools)
    layout.addWidget(main, 1)
    row = QHBoxLayout()
    row.setContentsMargins(6, 0, 6, 2)
    for option in options:
        row.addWidget(option)
    row.addStretch(1)
    layout.addLayout(row)
    main.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    return box


def side_by_side(*views: QWidget) -> QSplitter:
    """Views in a row, each resizable with the handles between them, none collapsing away."""
    splitter = QSplitter(Qt.Orientation.Horizontal)
    for view in views:
        splitter.addWidget(view)
    splitter.setChildrenCollapsible(False)
    return splitter


class TabHeights(QObject):
    """Gives the bottom row the height of the tab in front: the plots' or the inspector's.

    Each tab starts at its default height and remembers the height it had when it went behind,
    so a row dragged taller for the inspector comes back that tall. Nothing is resized while the
    two docks are not tabbed together in the bottom area (the user moved them).
    """

    def __init__(self, window: QMainWindow, plots: QDockWidget, inspector: QDockWidget) -> None:
        super().__init__(window)
        self._window, self._docks = window, {"plots": plots, "inspector": inspector}
        self.front = "plots"
        self.heights = {"plots": 0, "inspector": 0}
        self.reset_heights()
        plots.visibilityChanged.connect(lambda shown: shown and self._came_to_front("plots"))
        inspector.visibilityChanged.connect(
            lambda shown: shown and self._came_to_front("inspector"))

    def reset_heights(self) -> None:
        """Back to the default heights for the window's current size."""
        height = self._window.height()
        plots = default_dock_sizes(self._window.size())[2]
        inspector = min(round(height * INSPECTOR_SHARE), height - TOP_ROW_MIN_HEIGHT)
        self.heights = {"plots": plots, "inspector": max(inspector, plots)}

    def _came_to_front(self, tab: str) -> None:
        if tab == self.front:
            return
        previous, self.front = self.front, tab
        if not self._tabbed_together():
            return
        # heights are the row's, tabs included: what resizeDocks sets for a tabbed dock
        tabs = self._tab_bar_height()
        self.heights[previous] = self._docks[previous].height() + tabs
        self._window.resizeDocks([self._docks[tab]], [self.heights[tab]], Qt.Orientation.Vertical)

    def _tab_bar_height(self) -> int:
        title = self._docks["plots"].windowTitle()
        for bar in self._window.findChildren(QTabBar):
            if bar.isVisible() and any(bar.tabText(i) == title for i in range(bar.count())):
                return bar.height()
        return 0

    def _tabbed_together(self) -> bool:
        plots, inspector = self._docks["plots"], self._docks["inspector"]
        window = self._window
        return (not plots.isFloating() and not inspector.isFloating()
                and window.dockWidgetArea(plots) == Qt.DockWidgetArea.BottomDockWidgetArea
                and inspector in window.tabifiedDockWidgets(plots))
