"""Keyboard access to the editable network drawing: a visible focus mark moved between its items.

The drawing is one QGraphicsView, so Qt's own focus chain passes over its features, "+"/"−"
buttons and neurons; this module gives them keyboard focus of their own. Tab into the drawing
marks its first item (Shift+Tab its last); Tab and Shift+Tab go on item by item and, past the
last or the first, on to the next control of the window. The arrows move the mark within a
column (Up, Down) and across columns (Left, Right). Enter or Space acts on the marked item: a
feature is switched, a button pressed, and a neuron opens its menu (its layer's activation,
editing its bias or one of its incoming weights). Escape takes the mark away.

While an item is marked the keys above belong to the drawing, as they belong to a list that has
focus; without a mark (the drawing clicked, or Escape) Space, Right and Left keep meaning play
and step.
"""
from __future__ import annotations

import shiboken6
from PySide6 import QtCore, QtGui, QtWidgets

from playground.data import FEATURE_NAMES
from playground.qt import theme

Key = QtCore.Qt.Key
# what each key does while an item is marked: the shortcuts dialog lists these
KEYS = (("Tab / Shift+Tab", "Network: next / previous item (features, ± buttons, neurons)"),
        ("Arrow keys", "Network: move the focus mark within a column or across columns"),
        ("Enter or Space", "Network: switch the feature, press the button, or open the "
                           "neuron's menu (activation, bias, incoming weights)"),
        ("Escape", "Network: leave the items (Space and Right play and step again)"))
ACTIVATE_KEYS = (Key.Key_Return, Key.Key_Enter, Key.Key_Space)
OWN_KEYS = (*ACTIVATE_KEYS, Key.Key_Up, Key.Key_Down, Key.Key_Left, Key.Key_Right,
            Key.Key_Escape, Key.Key_Tab, Key.Key_Backtab)
MARK_MARGIN = 4.0


class FocusMark(QtWidgets.QGraphicsRectItem):
    """The dashed frame around the marked item; a child of it, so it follows every re-layout."""

    def __init__(self, target: QtWidgets.QGraphicsItem, color: QtGui.QColor) -> None:
        rect = target.boundingRect().adjusted(-MARK_MARGIN, -MARK_MARGIN, MARK_MARGIN,
                                              MARK_MARGIN)
        super().__init__(rect, target)
        pen = QtGui.QPen(color, 2.0, QtCore.Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        self.setPen(pen)
        self.setZValue(10)
        self.setAcceptedMouseButtons(QtCore.Qt.MouseButton.NoButton)
        # a faded (unused) feature still gets a frame that can be seen
        self.setFlag(QtWidgets.QGraphicsItem.GraphicsItemFlag.ItemIgnoresParentOpacity)


class NetworkKeyboard(QtCore.QObject):
    """Moves a focus mark over an editable NetworkView's items and acts on them.

    ``open_neuron_menu(layer, unit, viewport_position)`` is called for Enter on a neuron (the
    editor builds that menu). ``marked`` is the key of the marked item: ("feature", name),
    ("button", (layer, delta)) or ("neuron", (layer, unit)); None without a mark.
    """

    def __init__(self, view, open_neuron_menu, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self._open_neuron_menu = open_neuron_menu
        self.marked: tuple[str, object] | None = None
        self._shown = False                 # the mark is drawn (the view has focus)
        self._mark_item: FocusMark | None = None
        view.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        view.installEventFilter(self)

    # --- the items, in Tab order --------------------------------------------------------------
    def columns(self) -> list[list[tuple[str, object]]]:
        """The keys of the items, column by column: the features, then per hidden layer its
        "−" and "+" buttons and its neurons, then the output neurons."""
        view = self.view
        shown = {item.name for item in [*view.features, *view.faded.values()]}
        columns = [[("feature", name) for name in FEATURE_NAMES if name in shown]]
        buttons: dict[int, list] = {}
        for button in view.buttons:
            buttons.setdefault(button.layer, []).append(("button", (button.layer, button.delta)))
        for layer, column in enumerate(view.columns[1:]):
            columns.append(sorted(buttons.get(layer, []), key=lambda key: key[1][1])
                           + [("neuron", (neuron.layer, neuron.unit)) for neuron in column])
        return [column for column in columns if column]

    def stops(self) -> list[tuple[str, object]]:
        return [key for column in self.columns() for key in column]

    def item_of(self, key) -> QtWidgets.QGraphicsItem | None:
        kind, value = key
        view = self.view
        if kind == "feature":
            found = [item for item in [*view.features, *view.faded.values()] if item.name == value]
            return found[0] if found else None
        if kind == "button":
            found = [b for b in view.buttons if (b.layer, b.delta) == value]
            return found[0] if found else None
        return view.neurons.get(value)

    # --- marking ------------------------------------------------------------------------------
    def mark(self, key) -> None:
        """Mark the item of ``key`` (None: no item) and make sure it can be seen."""
        self.marked = key
        self._draw()

    def refresh(self) -> None:
        """Put the mark back after the view rebuilt its items (a layer or feature edit)."""
        if self.marked is None:
            return
        if self.item_of(self.marked) is None:
            stops = self.stops()
            kind = self.marked[0]
            same_kind = [key for key in stops if key[0] == kind]
            self.marked = (same_kind or stops or [None])[-1]
        self._draw()

    def _draw(self) -> None:
        item = self.item_of(self.marked) if self.marked is not None else None
        current = self._mark_item
        if current is not None and (not self._shown or item is None
                                    or current.parentItem() is not item):
            self._remove_mark()
        if item is not None and self._shown and self._mark_item is None:
            color = self.view.palette().color(QtGui.QPalette.ColorRole.Highlight)
            if theme.is_dark(self.view.palette()):
                color = color.lighter(140)
            self._mark_item = FocusMark(item, color)
        if item is not None and self._shown:
            self.view.ensureVisible(item)

    def take_mark_away(self) -> None:
        """Remove the drawn mark (the item it frames is about to be rebuilt); ``refresh``
        draws it again on the new item."""
        self._remove_mark()

    def _remove_mark(self) -> None:
        mark, self._mark_item = self._mark_item, None
        if mark is not None and shiboken6.isValid(mark) and mark.scene() is not None:
            mark.scene().removeItem(mark)

    # --- keys ---------------------------------------------------------------------------------
    def eventFilter(self, watched, event) -> bool:
        kind = event.type()
        Type = QtCore.QEvent.Type
        if kind == Type.FocusIn:
            self._focus_in(event.reason())
        elif kind == Type.FocusOut:
            self._shown = False
            self._draw()
        elif kind == Type.ShortcutOverride and self._owns(event):
            event.accept()          # the key comes to the drawing, not to a shortcut
            return True
        elif kind == Type.KeyPress and self._owns(event):
            return self._key(event)
        return False

    def _owns(self, event) -> bool:
        modifiers = event.modifiers() & ~QtCore.Qt.KeyboardModifier.KeypadModifier
        if event.key() in (Key.Key_Tab, Key.Key_Backtab):
            return True           # Tab walks the items even before one is marked
        return (self.marked is not None and event.key() in OWN_KEYS
                and modifiers in (QtCore.Qt.KeyboardModifier.NoModifier,))

    def _focus_in(self, reason) -> None:
        Reason = QtCore.Qt.FocusReason
        stops = self.stops()
        if reason == Reason.TabFocusReason and stops:
            self.marked = stops[0]
        elif reason == Reason.BacktabFocusReason and stops:
            self.marked = stops[-1]
        elif reason == Reason.MouseFocusReason:
            self.marked = None      # a click: the mouse is the pointer now
        self._shown = True
        if self.marked is not None:
            self.refresh()
        else:
            self._draw()

    def _key(self, event) -> bool:
        key = event.key()
        backwards = key == Key.Key_Backtab or (
            key == Key.Key_Tab and event.modifiers() & QtCore.Qt.KeyboardModifier.ShiftModifier)
        if key in (Key.Key_Tab, Key.Key_Backtab):
            return self._tab(backwards)
        if key == Key.Key_Escape:
            self.mark(None)
        elif key in ACTIVATE_KEYS:
            self.activate()
        else:
            self._arrow(key)
        return True

    def _tab(self, backwards: bool) -> bool:
        stops = self.stops()
        if self.marked is None and stops:
            # focus came by a click or at start-up: Tab starts on the items
            self.mark(stops[-1] if backwards else stops[0])
            return True
        if self.marked in stops:
            index = stops.index(self.marked) + (-1 if backwards else 1)
            if 0 <= index < len(stops):
                self.mark(stops[index])
                return True
        self.marked = None
        self._draw()
        # past the last (or the first) item: on to the window's next (previous) control
        QtWidgets.QWidget.focusNextPrevChild(self.view, not backwards)
        return True

    def _arrow(self, key) -> None:
        columns = self.columns()
        where = [(c, r) for c, column in enumerate(columns) for r, k in enumerate(column)
                 if k == self.marked]
        if not where:
            return
        column, row = where[0]
        if key in (Key.Key_Up, Key.Key_Down):
            row = max(0, min(len(columns[column]) - 1, row + (1 if key == Key.Key_Down else -1)))
        else:
            step = 1 if key == Key.Key_Right else -1
            column = max(0, min(len(columns) - 1, column + step))
            row = min(row, len(columns[column]) - 1)
        self.mark(columns[column][row])

    def activate(self) -> None:
        """Act on the marked item, as a click on it would."""
        if self.marked is None:
            return
        kind, value = self.marked
        view = self.view
        if kind == "feature":
            view.sigFeatureClicked.emit(value)
        elif kind == "button":
            item = self.item_of(self.marked)
            if item is not None and item.enabled:
                view.sigLayerResized.emit(*value)
        else:
            item = self.item_of(self.marked)
            if item is not None:
                centre = item.mapToScene(item.boundingRect().center())
                self._open_neuron_menu(*value, view.mapFromScene(centre))
