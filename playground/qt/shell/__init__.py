"""The main window and what frames it.

- ``main_window``: MainWindow builds every panel and dock and wires them to the controller;
- ``window_layout``: where the docks sit, the window's first size, the layout it remembers;
- ``layout_check``: measurements of a shown window (off screen, overlaps) for tests and scripts;
- ``speed_control``: the tool bar's speed limit and its Fast toggle;
- ``colour_legend``: the legend of the network's colours, closable, back from Help;
- ``snapshot_inbox``: what the window keeps between two frames;
- ``training_controls``: learning rate, batch size, optimizer, activation, regularisation;
- ``weight_start``: the initializer and the seed, in the network editor's header;
- ``edit_history``: Edit ▸ Undo and Redo across the undo stacks, in the order edits were made;
- ``shortcuts_dialog``: Help ▸ Keyboard shortcuts, read from the window's actions;
- ``status``: the tool bar's epoch and speed, the status bar's losses and messages;
- ``about``: the About dialog (loaded when first opened);
- ``self_test``: ``backprop-playground --self-test``.
"""
