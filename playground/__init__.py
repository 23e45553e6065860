"""Backprop Playground: build small neural networks and watch backpropagation train them live."""

__version__ = "0.1.0"
