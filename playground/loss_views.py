"""The numbers behind the Slope panel and the loss-landscape slice, for a live Playground.

No Qt here. The worker calls these on the training thread between two mini-batches, only while
the panel showing them is visible; both read the playground and change nothing in it. The
arithmetic is the engine's (playground/engine/landscape.py): the same loss as training,
penalty included, exact at the current weights.

- :func:`slope_profile`: the loss along the optimizer's step, for the mini-batch training takes
  next or for the whole training set.
- :func:`landscape_slice`: a 2-D slice of the training loss around the current weights, as a
  PlaneSlice to compute a few rows at a time (one row of a 31 x 31 grid is 31 evaluations of
  the training loss; see the README's performance section for what a grid costs).
"""
from __future__ import annotations

import numpy as np

from playground.commands import LANDSCAPE_DIRECTIONS as DIRECTIONS
from playground.commands import SLOPE_DATA
from playground.engine.landscape import (
    LossSurface,
    PlaneSlice,
    StepProfile,
    Trajectory,
    filter_normalized_direction,
    grid_coordinates,
    principal_directions,
)

# for the principal directions, the grid reaches this far beyond the farthest projected point
TRAJECTORY_MARGIN = 1.25


def slope_profile(playground, data: str = "batch", reach: float = 2.0,
                  points: int = 41) -> StepProfile:
    """The loss along the step the optimizer takes, L(W + s*D) for s in [0, reach].

    ``data`` "batch": the loss of the mini-batch training takes next, and D the step it will
    take on it (bit for bit the next step_batch's; for plain SGD, D = -lr*g). "train": the loss
    of the whole training set, and D the step the optimizer, in its current state, would take
    on that set's gradient (training itself steps on mini-batches). NonFiniteError if the step
    diverges (the playground is left as it was).
    """
    if data not in SLOPE_DATA:
        raise ValueError(f"data must be one of {SLOPE_DATA}, not {data!r}")
    playground.check_trainable()
    trainer, n = playground.trainer, len(playground.F_train)
    rows = trainer.upcoming_batch(n) if data == "batch" else np.arange(n)
    X, Y = playground.F_train[rows], playground.Y_train[rows]
    preview = trainer.preview_step(X, Y)
    surface = LossSurface(playground.network, X, Y)
    return surface.step_profile(preview.parameters, trainer.learning_rate, reach, points)


def landscape_slice(playground, trajectory: Trajectory | None = None, directions: str = "random",
                    resolution: int = 31, span: float | None = None, seed: int = 0) -> PlaneSlice:
    """A slice L(W + a*d1 + b*d2) of the training loss (penalty included) around the current
    weights W, nothing computed yet: call ``compute_rows`` on it.

    ``directions`` "random": two filter-normalised random directions drawn from ``seed``, the
    grid spanning a, b in [-span, span] (default 1: a step as large as the weights themselves,
    neuron by neuron). "pca": the two principal directions of ``trajectory`` (unit vectors), the
    grid reaching 25 % beyond its farthest point by default. The trajectory, when given, is
    projected onto the plane either way (``slice.trajectory``).
    """
    if directions not in DIRECTIONS:
        raise ValueError(f"directions must be one of {DIRECTIONS}, not {directions!r}")
    playground.check_trainable()
    surface = LossSurface(playground.network, playground.F_train, playground.Y_train)
    points = trajectory.points() if trajectory is not None and len(trajectory) else None
    if directions == "random":
        rng = np.random.default_rng(seed)
        sizes = playground.network.layer_sizes
        plane = np.array([filter_normalized_direction(surface.centre, sizes, rng)
                          for _ in range(2)])
        span = 1.0 if span is None else span
    else:
        if points is None:
            raise ValueError("the principal directions need a recorded trajectory")
        plane, _ = principal_directions(points, surface.centre)
        if span is None:
            span = TRAJECTORY_MARGIN * float(np.abs(surface.project(points, plane)).max())
    coordinates = grid_coordinates(span, resolution)
    return PlaneSlice(surface, plane, coordinates, coordinates, points)
