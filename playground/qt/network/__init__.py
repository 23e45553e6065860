"""The network panel: graphics items, the one view that draws the network, and its editor."""
