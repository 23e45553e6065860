"""Recorded NumPy calls, replayed once per mini-batch.

A training step on the playground's networks is a few dozen NumPy calls on arrays of a few dozen
numbers; the Python around each call (attribute look-ups, small helper functions, argument
parsing) costs more than the arithmetic.  So the engine writes each piece of the algorithm as a
list of ``(function, arguments)`` pairs on preallocated buffers -- the forward pass, the chain
rule of the backward pass, the optimizer update -- records those lists once per set of buffers,
and replays them with one tight loop.  Running a list right away (:func:`run`) executes exactly
the same calls, which is how the public passes and the training loop stay bit-identical.
"""
from __future__ import annotations

from typing import Any, Callable

Calls = list[tuple[Callable[..., Any], tuple]]


def run(calls: Calls) -> None:
    """Execute recorded calls in order."""
    for function, arguments in calls:
        function(*arguments)


def scalar_view(array, index: int):
    """A 0-d view of ``array[index]``: a place where reductions and dot products can write."""
    return array[index:index + 1].reshape(())
