"""The backprop inspector: one mini-batch step, pass by pass, with the engine's own numbers."""
