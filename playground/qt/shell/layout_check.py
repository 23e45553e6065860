"""Checks of what a shown main window looks like at its size: nothing off the screen, nothing
overlapping in the network editor, the inspector's pages not wider than the panel.

``layout_report(window)`` returns the measurements as plain data (JSON-ready) with a list of
``problems`` in words; the screen-size tests and ``scripts/screenshots_sizes.py`` run it on a
window shown on screens from 1024 × 640 to 1920 × 1080.
"""
from __future__ import annotations

from itertools import combinations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QGraphicsItem, QScrollArea, QWidget

# controls that must stay on the tool bar itself, not in its overflow menu (»)
TOOL_BAR_ESSENTIALS = ("resetButton", "playButton", "stepButton", "stepBatchButton",
                       "speedInput", "fastSpeedButton", "epochValue")


def rect_list(rect: QRect) -> list[int]:
    return [rect.x(), rect.y(), rect.width(), rect.height()]


def in_view(widget: QWidget) -> bool:
    """Shown within its window: a dock on a tab behind another is "visible" to Qt, only moved
    out of the window, so nothing of it is on screen."""
    if not widget.isVisible():
        return False
    window = widget.window()
    corner = widget.mapTo(window, QPoint(0, 0))
    return QRect(corner, widget.size()).intersects(window.rect())


def global_rect(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def editor_item_rects(view) -> dict[str, QRect]:
    """Viewport rectangles of the visible texts and buttons of a NetworkView: column titles,
    layer buttons and feature labels."""
    items: dict[str, QGraphicsItem] = {}
    for index, label in enumerate(view.layer_labels):
        items[f"title of column {index}"] = label
    for button in view.buttons:
        items[f"{'+' if button.delta > 0 else '−'} of hidden layer {button.layer + 1}"] = button
    for feature in [*view.features, *view.faded.values()]:
        items[f"label of {feature.name}"] = feature.text
    rects = {}
    for name, item in items.items():
        if not item.isVisible():
            continue
        if item.flags() & QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations:
            corner = view.mapFromScene(item.scenePos())
            rects[name] = QRect(corner, item.boundingRect().size().toSize())
        else:
            rects[name] = view.mapFromScene(item.sceneBoundingRect()).boundingRect()
    return rects


def editor_problems(view) -> list[str]:
    """Texts or buttons of the network drawing that overlap or leave its viewport."""
    rects = editor_item_rects(view)
    viewport = view.viewport().rect()
    problems = [f"network editor: {name} {rect_list(rect)} is outside the drawing "
                f"{rect_list(viewport)}" for name, rect in rects.items()
                if not viewport.contains(rect)]
    for (a, rect_a), (b, rect_b) in combinations(rects.items(), 2):
        # touching edges are fine; a shared pixel row or column is an overlap
        if rect_a.adjusted(0, 0, -1, -1).intersects(rect_b.adjusted(0, 0, -1, -1)):
            problems.append(f"network editor: {a} {rect_list(rect_a)} overlaps {b} "
                            f"{rect_list(rect_b)}")
    return problems


def inspector_report(panel) -> dict:
    """How the inspector's pages fit its width: page and viewport widths, per tab (each tab is
    brought to the front to be laid out, then the one in front before comes back)."""
    pages, current = {}, panel.tabs.currentIndex()
    for index in range(panel.tabs.count()):
        panel.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        page = panel.tabs.widget(index)
        content = page.area.widget()
        pages[panel.tabs.tabText(index)] = {
            "content_width": content.width() if content is not None else 0,
            "content_minimum_width": content.minimumSizeHint().width() if content else 0,
            "viewport_width": page.area.viewport().width(),
            "horizontal_scroll": page.area.horizontalScrollBar().maximum(),
        }
    panel.tabs.setCurrentIndex(current)
    return {"pages": pages, "tab_bar_y": panel.tabs.tabBar().mapTo(panel, QPoint(0, 0)).y(),
            "slider_width": panel.speed_slider.width()}


def layout_report(window) -> dict:
    """Measurements of a shown MainWindow and the problems they reveal."""
    screen = window.screen().availableGeometry()
    frame = window.frameGeometry()
    status = global_rect(window.statusBar())
    problems = []
    if not screen.contains(frame):
        problems.append(f"window {rect_list(frame)} leaves the screen {rect_list(screen)}")
    if not screen.contains(status):
        problems.append(f"status bar {rect_list(status)} leaves the screen {rect_list(screen)}")
    for name in TOOL_BAR_ESSENTIALS:
        widget = window.toolbar.findChild(QWidget, name)
        if widget is None or not widget.isVisible():
            problems.append(f"tool bar: {name} is not on the tool bar (pushed into its »)")
    docks = {}
    for name, dock in window.docks.items():
        docks[name] = {"rect": rect_list(dock.geometry()), "visible": in_view(dock),
                       "minimum": [dock.minimumSizeHint().width(),
                                   dock.minimumSizeHint().height()]}
        if in_view(dock) and (dock.width() < dock.minimumSizeHint().width()
                                 or dock.height() < dock.minimumSizeHint().height()):
            problems.append(f"dock {name} {rect_list(dock.geometry())} is smaller than its "
                            f"minimum {docks[name]['minimum']}")
        area = dock.widget()
        if in_view(dock) and isinstance(area, QScrollArea) and area.widget() is not None:
            # a panel that scrolls must keep its own size inside, not be squeezed and clipped
            panel, needed = area.widget(), area.widget().minimumSizeHint()
            docks[name]["scrolls"] = area.verticalScrollBar().maximum() > 0
            if panel.width() < needed.width() or panel.height() < needed.height():
                problems.append(f"dock {name}: its panel is {panel.width()}×{panel.height()}, "
                                f"less than the {needed.width()}×{needed.height()} it needs")
    problems += editor_problems(window.network_editor.view)
    inspector = inspector_report(window.inspector)
    if in_view(window.docks["inspectorDock"]) and window.inspector.stack.currentIndex() == 1:
        for title, page in inspector["pages"].items():
            if page["horizontal_scroll"] or page["content_width"] > page["viewport_width"]:
                problems.append(f"inspector: {title} is {page['content_width']} pixels wide in "
                                f"a {page['viewport_width']}-pixel panel")
    return {"screen": rect_list(screen), "frame": rect_list(frame),
            "window": [window.width(), window.height()], "status_bar": rect_list(status),
            "docks": docks, "inspector": inspector,
            "editor_items": {name: rect_list(rect) for name, rect
                             in editor_item_rects(window.network_editor.view).items()},
            "problems": problems}
