"""The network panel.

- ``items``: the graphics items (nodes, link layers, buttons) and their colours;
- ``view``: NetworkView, the one view that draws the network, read-only or editable;
- ``layer_titles``: the column titles and layer buttons, fitted to each column's width;
- ``editor``: NetworkEditor, the editable view under its header, turning gestures into specs;
- ``keyboard``: the focus mark moved over the drawing's items by Tab and the arrows;
- ``edit_commands``: network edits as undo steps (the earlier weights come back on undo);
- ``backprop_animation``: an inspected step played on the view, forward then backward.
"""
