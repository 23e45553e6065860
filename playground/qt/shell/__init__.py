"""The main window and what frames it.

- ``main_window``: MainWindow builds every panel and dock and wires them to the controller;
- ``snapshot_inbox``: what the window keeps between two frames;
- ``training_controls``: learning rate, batch size, optimizer, activation, regularisation, speed;
- ``status``: the tool bar's epoch and speed, the status bar's losses and messages;
- ``about``: the About dialog (loaded when first opened);
- ``self_test``: ``backprop-playground --self-test``.
"""
