"""The main window and what frames it: menus, tool bar, training controls, status read-outs,
the About dialog and the command line's self-test."""
