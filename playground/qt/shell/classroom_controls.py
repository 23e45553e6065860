"""Where each control a lesson may hide or lock (``playground.classroom.CONTROLS``) is in the
main window: its widgets, actions, dock and network-editor gestures.

Decisions the map makes:

- *dataset* is the gallery and File ▸ Import data (a CSV dropped on the window is refused too);
- *reset* is everything that starts the weights again: Reset, Restart from the same weights,
  and the network header's Weights (initializer) and Seed;
- *layers* is the header's add/remove-layer group and the +/− buttons above each hidden layer;
  *features*, *layers*, *activation* and *edit_weights* are also gestures on the network
  drawing, which the editor refuses itself (``NetworkEditor.set_classroom``);
- *activation* is the Training panel's box and each layer's activation menu;
- *speed* is the tool bar's speed box with its Fast button;
- *inspector* hidden is the whole Backprop inspector dock (and its View menu entry); locked, its
  Step one mini-batch and Check gradients buttons (the tables stay readable);
- *slope* and *landscape* likewise: hidden their dock, locked their choices (what data, which
  directions, what grid);
- *compare_runs* hidden is the runs column beside the plots and Training ▸ Pin this run; locked,
  the pinned runs stay drawn and listed but none can be pinned or removed.
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QWidget

# the controls the network editor carries out on its drawing
EDITOR_CONTROLS = ("features", "layers", "activation", "edit_weights")


@dataclass(frozen=True)
class ControlParts:
    """What one control is made of in the window.

    ``locked``: widgets disabled when it is locked. ``hidden``: widgets hidden when it is hidden
    (a field of a form hides its whole row, label included). ``actions``: disabled when locked,
    invisible (in menus and tool bars, their keys too) when hidden; ``hidden_actions`` only
    the latter (a tool bar's widget: locking disables the widget). ``dock``: hidden with its
    View menu entry when the control is hidden.
    """

    locked: tuple[QWidget, ...] = ()
    hidden: tuple[QWidget, ...] = ()
    actions: tuple[QAction, ...] = ()
    hidden_actions: tuple[QAction, ...] = ()
    dock: QDockWidget | None = None


def widget_action(toolbar, widget: QWidget) -> QAction:
    """The action a tool bar made for a widget added with ``addWidget`` (hiding a widget in a
    tool bar goes through it)."""
    return next(act for act in toolbar.actions() if toolbar.widgetForAction(act) is widget)


def window_controls(window) -> dict[str, ControlParts]:
    """Every id of CONTROLS mapped to its parts in the main window."""
    data, training, editor = window.data_panel, window.training_controls, window.network_editor
    start = window.weight_start
    header_layer_group = editor.add_layer_button.parentWidget()
    weight_start_groups = (start.init.parentWidget(), start.seed.parentWidget())
    inspector, runs = window.inspector, window.runs_panel
    both = lambda *widgets: ControlParts(locked=widgets, hidden=widgets)  # noqa: E731
    return {
        "dataset": ControlParts(locked=(data.gallery,), hidden=(data.gallery,),
                                actions=(window.file_actions.import_action,)),
        "problem": both(data.problem),
        "noise": ControlParts(locked=(data.noise,), hidden=(data.noise.parentWidget(),)),
        "train_ratio": ControlParts(locked=(data.ratio,), hidden=(data.ratio.parentWidget(),)),
        "classes": both(data.classes),
        "regenerate": both(data.regenerate),
        "learning_rate": both(training.learning_rate),
        "batch_size": both(training.batch_size),
        "optimizer": both(training.optimizer),
        "activation": both(training.activation),
        "regularization": both(training.regularization, training.regularization_rate),
        "precision": both(training.precision),
        "speed": ControlParts(locked=(window.speed_control,),
                              hidden_actions=(widget_action(window.toolbar,
                                                            window.speed_control),)),
        "features": ControlParts(),
        "layers": ControlParts(locked=(editor.add_layer_button, editor.remove_layer_button),
                               hidden=(header_layer_group,)),
        "edit_weights": ControlParts(),
        "reset": ControlParts(locked=(start.init, start.seed), hidden=weight_start_groups,
                              actions=(window.reset_action, window.restart_action)),
        "painter": both(window.dataset_painter),
        "inspector": ControlParts(locked=(inspector.step_button, inspector.check_button),
                                  dock=window.docks["inspectorDock"]),
        "slope": ControlParts(locked=(window.slope_panel.data_choice,),
                              dock=window.docks["slopeDock"]),
        "landscape": ControlParts(locked=(window.landscape_panel.directions_choice,
                                          window.landscape_panel.resolution_choice),
                                  dock=window.docks["landscapeDock"]),
        "compare_runs": ControlParts(locked=(runs.pin_button, runs.remove_button),
                                     hidden=(runs,), actions=(window.compare_runs.pin_action,)),
        "show_test_data": both(window.show_test_data),
        "discretize": both(window.discretize_output),
    }
