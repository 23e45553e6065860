"""The main window: toolbar, data and training panels, network drawing, boundary and live plots.

Where the panels sit and how big the window opens is :mod:`~playground.qt.shell.window_layout`.

Wiring only: panels emit intent, the window forwards it to the TrainingController, and snapshots
come back to every view, drawn frame by frame (:mod:`~playground.qt.shell.frame_loop`).
"""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QApplication, QCheckBox, QDockWidget, QGraphicsView, QMainWindow,
                               QSizePolicy, QStyle, QToolBar, QVBoxLayout, QWidget)

from playground.config import PlaygroundConfig
from playground.messages import ERROR, WARNING
from playground.qt.analysis.compare_runs import CompareRuns
from playground.qt.analysis.landscape_panel import LandscapePanel
from playground.qt.analysis.loss_view_docks import watch_loss_views
from playground.qt.analysis.runs_panel import RunsPanel
from playground.qt.analysis.slope_panel import SlopePanel
from playground.qt.data.painter import DatasetPainter
from playground.qt.data.panel import DataPanel
from playground.qt.files.actions import FileActions
from playground.qt.icon import app_icon
from playground.qt.inspector.panel import InspectorPanel
from playground.qt.network.editor import NetworkEditor
from playground.qt.plots.boundary_view import BoundaryView
from playground.qt.plots.history_plots import AccuracyPlot, LossPlot
from playground.qt.plots.layer_plots import GradientPlot, WeightsPlot
from playground.qt.shell.colour_legend import ColourLegend, LegendSwitch
from playground.qt.shell.edit_history import install_window_edits
from playground.qt.shell.frame_loop import FrameLoop
from playground.qt.shell.speed_control import SpeedControl
from playground.qt.shell.status import DIVERGENCE, EpochReadout, StatusReadout
from playground.qt.shell.teaching import install_teaching
from playground.qt.shell.training_controls import TrainingControls
from playground.qt.shell.weight_start import WeightStartControls
from playground.qt.shell.window_layout import (LAYOUT_VERSION, SETTINGS_GEOMETRY, SETTINGS_STATE,
                                               TabHeights, arrange_docks, keep_on_screen,
                                               scrolling, show_lesson, side_by_side,
                                               size_for_screen, stacked)
from playground.qt.widgets import (SPACE_KEY, ArrowsStayInControls, describe, tab_focus_buttons,
                                   tab_focus_only)
from playground.qt.worker import TrainingController
from playground.snapshot import PLAYING, Snapshot


class MainWindow(QMainWindow):
    """Backprop Playground's window; owns the TrainingController and shuts it down on close.

    ``sigRendered(snapshot)`` follows every snapshot every view has shown (a recording's
    frames are taken then). ``sigClosing`` says the window closes for good, every question
    answered (event filters that keep it open have run): a recording stops, classroom mode
    shows what it hid so the layout saved next is the window's own."""

    sigRendered = Signal(object)
    sigClosing = Signal()

    def __init__(self, config: PlaygroundConfig | None = None, settings: QSettings | None = None,
                 parent=None):
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("Backprop Playground")
        self.setWindowIcon(app_icon())
        self.setDockNestingEnabled(True)
        config = config or PlaygroundConfig()
        self._settings = settings if settings is not None else QSettings()
        self.controller = TrainingController(config, parent=self)
        self.rendered_snapshot: Snapshot | None = None

        self.network_editor = NetworkEditor(config.network)
        self.network_editor.setToolTip("The network: features, hidden layers and output, links "
                                       "coloured and sized by their weights.")
        self.colour_legend = ColourLegend()
        centre = QWidget()
        column = QVBoxLayout(centre)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.network_editor, 1)
        column.addWidget(self.colour_legend)
        self.setCentralWidget(centre)
        self.dataset_painter = DatasetPainter()

        self.data_panel = DataPanel(config.data)
        # as tall as it needs: spare height of the settings column goes to the training dock
        self.data_panel.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.training_controls = TrainingControls(config.hyper, config.network.activations[0]
                                                  if config.network.activations else "tanh")
        self.speed_control = SpeedControl(config.hyper.epochs_per_second)
        self.weight_start = WeightStartControls(config.network, parent=self)
        self.network_editor.add_to_header(*self.weight_start.groups)
        self.boundary_view = BoundaryView()
        self.loss_plot = LossPlot()
        self.accuracy_plot = AccuracyPlot()
        self.weights_plot = WeightsPlot()
        self.gradient_plot = GradientPlot()
        for view, name, accessible, tip in (
                (self.boundary_view, "boundaryView", "Decision boundary",
                 "The network's output over the data plane, with the training points."),
                (self.loss_plot, "lossPlot", "Loss plot", "Training and test loss per epoch."),
                (self.accuracy_plot, "accuracyPlot", "Accuracy plot",
                 "Training and test accuracy per epoch."),
                (self.weights_plot, "weightsPlot", "Weights plot",
                 "Distribution of each layer's weights over the epochs."),
                (self.gradient_plot, "gradientPlot", "Gradient plot",
                 "Size of each layer's gradient per update.")):
            view.setObjectName(name)
            view.setAccessibleName(accessible)
            view.setToolTip(tip)
        self.inspector = InspectorPanel(run_in_worker=self.controller.run_in_worker)
        self.inspector.setAccessibleName("Backprop inspector")
        self.inspector.attach_network_view(self.network_editor.view)
        self.views = (self.network_editor, self.boundary_view, self.loss_plot, self.accuracy_plot,
                      self.weights_plot, self.gradient_plot, self.inspector)
        # the loss along the step, the loss landscape and the pinned runs (qt/analysis)
        self.slope_panel = SlopePanel()
        self.landscape_panel = LandscapePanel()
        self.runs_panel = RunsPanel()
        self.views += (self.slope_panel, self.landscape_panel)

        self._build_actions()
        self._build_toolbar()
        self.status = StatusReadout(self.statusBar())
        self._build_docks()
        self._build_menus()
        # File, Lessons and Export menus, unsaved-changes tracking (storage's side of the window)
        self.file_actions = FileActions(self, self.controller, settings=self._settings)
        self.file_actions.sigMessage.connect(self.status.show_message)
        self.file_actions.install()
        self.network_edits, self.edit_history = install_window_edits(self)   # Edit ▸ Undo, Redo
        self.loss_view_watches = watch_loss_views(self.docks, self.slope_panel,
                                                  self.landscape_panel, self.controller)
        self.compare_runs = CompareRuns(self)
        self.views += self.compare_runs.ghosts
        self.teaching = install_teaching(self)    # recordings, lessons, classroom, settings text
        self._connect_editors()
        self.apply_config(config)
        size_for_screen(self, self.docks, self.data_panel.sizeHint().height(), self.toolbar)
        self._default_layout = self.saveState(LAYOUT_VERSION)
        self.tab_heights = TabHeights(self, self.docks["plotsDock"], self.docks["inspectorDock"])
        self._restore_layout()

        self.frames = FrameLoop(self)
        # after the frame loop took it in: the first snapshot is drawn the moment it arrives,
        # not up to a frame interval later on the frame loop's tick
        self.controller.sigSnapshot.connect(self._render_first_snapshot)
        self.controller.sigStateChanged.connect(self._show_state)
        self.controller.sigDiverged.connect(lambda text: self.status.show_divergence(
            text, self.controller.latest_snapshot, offer=self.reset_action))
        self.controller.sigError.connect(
            lambda text: self.status.show_message(f"Error: {text}", ERROR))
        self.controller.sigConfigChanged.connect(self.apply_config)
        self.training_controls.sigHyperparametersChanged.connect(
            self.controller.set_hyperparameters)
        self.training_controls.sigActivationChanged.connect(self._activation_changed)
        for source in (self.training_controls, self.weight_start):
            source.sigMessage.connect(lambda text: self.status.show_message(text, WARNING))
        self.weight_start.sigSeedChosen.connect(self.controller.reset_to_seed)
        self.weight_start.sigInitChosen.connect(self._init_changed)
        self.speed_control.sigSpeedChanged.connect(self._speed_changed)
        self.data_panel.sigDataSpecChanged.connect(self._data_spec_changed)
        self.inspector.sigStepBatch.connect(self.controller.step_batch)

        self._focus_centre()
        self._arrow_keys = ArrowsStayInControls(self)
        QApplication.instance().installEventFilter(self._arrow_keys)

    # -- public ---------------------------------------------------------------------------------
    @property
    def config(self) -> PlaygroundConfig:
        """The configuration in force in the worker."""
        return self.controller.config

    def apply_config(self, config: PlaygroundConfig) -> None:
        """Show a configuration in the panels without sending anything to the worker."""
        self.data_panel.set_data_spec(config.data)
        if self.rendered_snapshot is None:      # later, the data shown set the limit
            self.training_controls.set_batch_size_limit(self.data_panel.training_set_size(),
                                                        notify=False)
        self.training_controls.set_hyperparameters(config.hyper)
        self.speed_control.set_speed(config.hyper.epochs_per_second)
        self.training_controls.set_activations(config.network.activations)
        self.weight_start.show_network(config.network)

    def open_file(self, path: str) -> bool:
        """Open the command line's FILE as File ▸ Open would (a saved playground, points as
        CSV, a lesson); a bad file is reported, not fatal."""
        return self.file_actions.open_any(path)

    def render_pending(self) -> None:
        """Draw what arrived since the last frame now (the frame loop does it on its ticks)."""
        self.frames.render_pending()

    def render_snapshot(self, snapshot: Snapshot) -> None:
        """Show one snapshot in every view and read-out."""
        for view in self.views:
            view.show_snapshot(snapshot)
        self.show_rendered(snapshot)

    @property
    def history_views(self) -> tuple:
        """The views that take a long history in pieces (the frame loop feeds them in turns)."""
        return self.loss_plot, self.accuracy_plot

    def show_rendered(self, snapshot: Snapshot) -> None:
        """The read-outs and controls that follow a snapshot every view has taken."""
        previous = self.rendered_snapshot
        if previous is None or previous.data.version != snapshot.data.version:
            # the training set as it is (painted data may have any size)
            self.training_controls.set_batch_size_limit(len(snapshot.data.X_train),
                                                        notify=False)
            self.data_panel.show_data_source(snapshot.data.generated)
        self.epoch_readout.show(snapshot.epoch, snapshot.batch_in_epoch,
                                snapshot.epochs_per_second, playing=snapshot.state == PLAYING)
        self.status.show_snapshot(snapshot)
        self.rendered_snapshot = snapshot
        self.sigRendered.emit(snapshot)

    def _render_first_snapshot(self, _snapshot: Snapshot) -> None:
        self.controller.sigSnapshot.disconnect(self._render_first_snapshot)
        if self.rendered_snapshot is None:
            self.render_pending()

    # -- building -------------------------------------------------------------------------------
    def _build_actions(self) -> None:
        icon = self.style().standardIcon
        pixmap = QStyle.StandardPixmap

        def action(text, shortcut, tooltip, slot, icon_name):
            act = QAction(icon(icon_name), text, self)
            act.setShortcut(QKeySequence(shortcut))
            act.setToolTip(f"{tooltip} ({QKeySequence(shortcut).toString()})")
            act.setStatusTip(tooltip)
            act.triggered.connect(slot)
            self.addAction(act)   # shortcuts work even when the toolbar is hidden
            return act

        self.reset_action = action("Reset", "R", "Start again from new random weights (a new "
                                   "seed); the epoch goes back to 0.", self._reset,
                                   pixmap.SP_BrowserReload)
        self.restart_action = action("Restart from the same weights", "Shift+R",
                                     "Start again from the weights of the last start (the same "
                                     "seed); the epoch goes back to 0.", self._restart,
                                     pixmap.SP_MediaSkipBackward)
        self.restart_action.setObjectName("restartAction")
        self.play_action = action("Play", "Space", "Start or pause training.",
                                  self.controller.toggle, pixmap.SP_MediaPlay)
        self.step_action = action("Step", "Right", "Train exactly one epoch, then pause.",
                                  self.controller.step_epoch, pixmap.SP_MediaSeekForward)
        self.step_batch_action = action("Step batch", "Shift+Right",
                                        "Train exactly one mini-batch, then pause.",
                                        self._step_batch, pixmap.SP_MediaSkipForward)

    def _build_toolbar(self) -> None:
        toolbar = QToolBar("Training")
        toolbar.setObjectName("trainingToolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.setMovable(True)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
        for act, name, accessible in ((self.reset_action, "resetButton", "Reset"),
                                      (self.play_action, "playButton", "Play or pause"),
                                      (self.step_action, "stepButton", "Step one epoch"),
                                      (self.step_batch_action, "stepBatchButton",
                                       "Step one mini-batch")):
            toolbar.addAction(act)
            button = toolbar.widgetForAction(act)
            button.setObjectName(name)
            button.setAccessibleName(accessible)
        # as wide as "Pause", so the speed control beside it stays put when training starts
        play = toolbar.widgetForAction(self.play_action)
        self.play_action.setText("Pause")
        play.setMinimumWidth(play.sizeHint().width())
        self.play_action.setText("Play")
        toolbar.addSeparator()
        toolbar.addWidget(self.speed_control)
        toolbar.addSeparator()
        self.epoch_readout = EpochReadout()
        toolbar.addWidget(self.epoch_readout.epoch)
        toolbar.addWidget(self.epoch_readout.speed)
        self.toolbar = toolbar
        for bar in (toolbar, self.dataset_painter):
            tab_focus_buttons(bar)

    def _build_docks(self) -> None:
        area = Qt.DockWidgetArea
        self.docks: dict[str, QDockWidget] = {}
        self._dock("dataDock", "Data", scrolling(self.data_panel), area.LeftDockWidgetArea)
        self._dock("trainingDock", "Training", scrolling(self.training_controls),
                   area.LeftDockWidgetArea)
        self._dock("outputDock", "Output", self._output_panel(), area.RightDockWidgetArea)
        self.plots_row = side_by_side(self._loss_panel(), self.accuracy_plot, self.weights_plot,
                                  self.gradient_plot)
        self.plots_row.setObjectName("plotsRow")
        # the pinned runs beside the plots, as wide as they need when there is room
        self.plots_row.addWidget(self.runs_panel)
        for index in range(self.plots_row.count() - 1):
            self.plots_row.setStretchFactor(index, 1)
        self._dock("plotsDock", "Plots", self.plots_row, area.BottomDockWidgetArea)
        self._dock("inspectorDock", "Backprop inspector", self.inspector,
                   area.BottomDockWidgetArea)
        self._dock("slopeDock", "Slope", self.slope_panel, area.BottomDockWidgetArea)
        self._dock("landscapeDock", "Landscape", self.landscape_panel, area.BottomDockWidgetArea)
        arrange_docks(self, self.docks)

    def _connect_editors(self) -> None:
        """The network editor's and the dataset painter's edits go to the worker; what the
        editor points at shows in the boundary view, the inspector and the status bar."""
        controller, editor, painter = self.controller, self.network_editor, self.dataset_painter
        controller.sigConfigChanged.connect(lambda config: editor.set_network_spec(config.network))
        editor.sigNetworkChanged.connect(self.network_edits.change_network)
        editor.sigParameterEdited.connect(self.network_edits.set_parameter)
        editor.sigNeuronHovered.connect(self._neuron_hovered)
        editor.sigLinkClicked.connect(self.inspector.pick_weight)
        editor.sigMessage.connect(lambda text: self.status.show_message(text, WARNING))
        painter.attach(self.boundary_view)
        controller.sigSnapshot.connect(painter.show_snapshot)
        painter.sigDatasetEdited.connect(controller.set_dataset)

    def _dock(self, name: str, title: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setAllowedAreas(Qt.DockWidgetArea.AllDockWidgetAreas)
        self.addDockWidget(area, dock)
        self.docks[name] = dock
        return dock

    def _output_panel(self) -> QWidget:
        self.show_test_data = QCheckBox("Show test data")
        self.discretize_output = QCheckBox("Discretize output")
        describe(self.show_test_data, "showTestDataInput", "Show test data",
                  "Also draw the held-out test points, outlined.")
        describe(self.discretize_output, "discretizeInput", "Discretize output",
                  "Colour each pixel by its predicted class instead of the output's value.")
        for box in (self.show_test_data, self.discretize_output):
            tab_focus_only(box, SPACE_KEY)
        self.show_test_data.toggled.connect(self.boundary_view.set_show_test)
        self.discretize_output.toggled.connect(self.boundary_view.set_discretize)
        # the painter's tools in a row above the view they paint on, not a tool bar of their own
        painter = self.dataset_painter
        painter.setIconSize(painter.iconSize() * 0.75)
        return stacked(painter, self.boundary_view, self.show_test_data, self.discretize_output)

    def _loss_panel(self) -> QWidget:
        # floats over the plot's top-left corner so the loss plot keeps the same height as its
        # neighbours in the bottom row
        self.log_scale = QCheckBox("Log scale", self.loss_plot)
        describe(self.log_scale, "logScaleInput", "Logarithmic loss axis",
                  "Draw the loss on a logarithmic axis to see small improvements.")
        self.log_scale.move(6, 4)
        tab_focus_only(self.log_scale, SPACE_KEY)
        self.log_scale.toggled.connect(self.loss_plot.set_log_scale)
        return self.loss_plot

    def _build_menus(self) -> None:
        menu = self.menuBar().addMenu("&Training")
        for act in (self.play_action, self.step_action, self.step_batch_action,
                    self.reset_action, self.restart_action):
            menu.addAction(act)
        self.training_menu = menu
        view = self.menuBar().addMenu("&View")
        toolbar_toggle = self.toolbar.toggleViewAction()
        toolbar_toggle.setText("Training tool bar")     # the Training dock has its own entry
        view.addAction(toolbar_toggle)
        for dock in self.docks.values():
            view.addAction(dock.toggleViewAction())
        view.addSeparator()
        restore = view.addAction("Restore default layout")
        restore.setStatusTip("Put every panel back where it was at first launch.")
        restore.triggered.connect(self.restore_default_layout)
        help_menu = self.menuBar().addMenu("&Help")
        self.legend_switch = LegendSwitch(self.colour_legend,
                                          help_menu.addAction("Show colour legend"),
                                          self._settings)
        shortcuts = help_menu.addAction("&Keyboard shortcuts")
        shortcuts.setObjectName("shortcutsAction")
        shortcuts.setShortcut(QKeySequence.StandardKey.HelpContents)
        shortcuts.setStatusTip("List every key of the window.")
        shortcuts.triggered.connect(self.show_shortcuts)
        about = help_menu.addAction("About Backprop Playground")
        about.triggered.connect(self._show_about)

    def show_shortcuts(self):
        """Help ▸ Keyboard shortcuts: the dialog listing every key (returned, shown)."""
        from playground.qt.shell.shortcuts_dialog import show_shortcuts   # built when asked

        return show_shortcuts(self)

    def _show_about(self) -> None:
        from playground.qt.shell.about import show_about_dialog   # built only when asked for

        show_about_dialog(self)

    def _focus_centre(self) -> None:
        """Start with the keyboard on the network drawing, which leaves Space, Right and R to
        the shortcuts (a text field of a panel would take them)."""
        centre = self.centralWidget()
        view = centre if isinstance(centre, QGraphicsView) else centre.findChild(QGraphicsView)
        (view or centre).setFocus(Qt.FocusReason.OtherFocusReason)

    # -- layout persistence ---------------------------------------------------------------------
    def _restore_layout(self) -> None:
        geometry = self._settings.value(SETTINGS_GEOMETRY)
        state = self._settings.value(SETTINGS_STATE)
        if geometry is not None:
            self.restoreGeometry(geometry)
            keep_on_screen(self)
        # a layout saved by an older version (another LAYOUT_VERSION) is refused: the default
        if state is not None:
            self.restoreState(state, LAYOUT_VERSION)
        self.docks["plotsDock"].raise_()     # opens on the plots, whatever was in front

    def show_lesson_dock(self, dock: QDockWidget, panels: tuple[str, ...] = ()) -> None:
        """Show the open lesson's text where the layout has room for it (the Lessons menu),
        and the panels the lesson opens, the first in front."""
        show_lesson(self, self.docks, dock, panels)

    def restore_default_layout(self) -> None:
        """Put every panel back where it was at first launch (View ▸ Restore default layout)."""
        self.restoreState(self._default_layout, LAYOUT_VERSION)
        self.docks["plotsDock"].raise_()
        self.tab_heights.reset_heights()

    def save_layout(self) -> None:
        self._settings.setValue(SETTINGS_GEOMETRY, self.saveGeometry())
        self._settings.setValue(SETTINGS_STATE, self.saveState(LAYOUT_VERSION))
        self._settings.sync()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not event.spontaneous():
            # a window manager adds its frame once the window is shown: keep that on screen too
            QTimer.singleShot(0, lambda: keep_on_screen(self))

    def closeEvent(self, event) -> None:
        self.sigClosing.emit()
        QApplication.instance().removeEventFilter(self._arrow_keys)
        self.save_layout()
        self.frames.stop()
        self.controller.shutdown()
        super().closeEvent(event)

    # -- reactions ------------------------------------------------------------------------------
    def _reset(self) -> None:
        self.status.clear_message(DIVERGENCE)
        self.controller.reset_new_seed()

    def _restart(self) -> None:
        self.status.clear_message(DIVERGENCE)
        self.controller.reset()

    def _show_state(self, state: str) -> None:
        playing = state == PLAYING
        self.play_action.setText("Pause" if playing else "Play")
        pixmap = QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        self.play_action.setIcon(self.style().standardIcon(pixmap))

    def _neuron_hovered(self, layer: int, unit: int) -> None:
        if layer < 0:
            self.boundary_view.clear_neuron_map()
        else:
            self.boundary_view.show_neuron_map(layer, unit)

    def _speed_changed(self, epochs_per_second) -> None:
        hyper = replace(self.training_controls.hyperparameters(),
                        epochs_per_second=epochs_per_second)
        # the Training panel sends whole hyperparameters: it must hold the new speed too
        self.training_controls.set_hyperparameters(hyper)
        self.controller.set_hyperparameters(hyper)

    def _step_batch(self) -> None:
        """Train one mini-batch and bring the inspector, which shows it, to the front."""
        self.controller.step_batch()
        inspector = self.docks["inspectorDock"]
        if not inspector.isHidden():
            inspector.raise_()

    def _activation_changed(self, name: str) -> None:
        self.network_edits.change_network(self.network_edits.spec.with_activation(name))

    def _init_changed(self, name: str) -> None:
        self.network_edits.change_network(replace(self.network_edits.spec, init=name))

    def _data_spec_changed(self, spec) -> None:
        self.controller.set_data_spec(spec)
        # after the data so a clamped batch size applies to the new training set
        self.training_controls.set_batch_size_limit(self.data_panel.training_set_size())
