"""The window, in rooms that map to what it shows.

Shared by every room: ``worker`` (the training thread and the controller the window drives; the
only Qt module that knows the engine and the session), ``gui_thread_gc`` (garbage collection on
the GUI thread), ``theme`` (colours), ``icon``, ``widgets`` (small helpers for controls) and
``flow_layout`` (widgets in rows that wrap).

- ``shell``: the main window, its layout, tool bar, menus, training controls, status read-outs,
  colour legend, About;
- ``network``: the network drawing, its editor and the backprop animation on it;
- ``data``: the data panel and the dataset painter;
- ``plots``: the live plots and the decision boundary view;
- ``inspector``: the backprop inspector, one page per pass;
- ``files``: save and open, recent files, lessons, exports, autosave and crash recovery.
"""
