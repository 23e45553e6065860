"""The main window and what frames it.

- ``main_window``: MainWindow builds every panel and dock and wires them to the controller;
- ``snapshot_inbox``: what the window keeps between two frames;
- ``training_controls``: learning rate, batch size, optimizer, activation, regularisation, speed;
- ``weight_start``: the initializer and the seed, in the network editor's header;
- ``edit_history``: Edit ▸ Undo and Redo across the undo stacks, in the order edits were made;
- ``shortcuts_dialog``: Help ▸ Keyboard shortcuts, read from the window's actions;
- ``status``: the tool bar's epoch and speed, the status bar's losses and messages;
- ``about``: the About dialog (loaded when first opened);
- ``self_test``: ``backprop-playground --self-test``.
"""
