"""The Slope panel's profile and the loss-landscape slice of a live playground, kept up to date
for the snapshots while those panels are shown, within a share of the training thread's time.

No Qt here. The training worker owns one :class:`LiveLossViews` and calls it at four places:
``changed()`` when a command ran, ``after_training(playground)`` after each run of the fast
path, ``idle_work(playground, seconds)`` when it would otherwise wait (paused, or early for the
speed limit), and ``attach(snapshot, playground, playing)`` for each snapshot. The arithmetic is
:mod:`playground.loss_views`' (the engine's own loss, penalty included).

Cost rules: with both panels hidden it records the optimizer's path (a parameter copy every
few epochs, thinned as the run grows) and nothing else. Shown, it works from a
:class:`TimeBudget` while training, also in the time the speed limit leaves: a landscape slice
a few rows at a time and the slope profile at most once per snapshot, only while the budget
has credit, which grows at ``share`` of the wall time; so the views take at most that share of
the training thread. Paused, the time is free and it works at once.
"""
from __future__ import annotations

import time
from dataclasses import replace

import numpy as np

from playground.commands import LANDSCAPE_DIRECTIONS, SLOPE_DATA
from playground.loss_views import landscape_slice, slope_profile
from playground.snapshot import LandscapeView, SlopeView, frozen, frozen_copy

# the share of the training thread's time the shown views may take while training runs; their
# work also slows training a little beyond its own time (caches, allocations), so the budget is
# kept under the 15 % the views may cost (measured: tests/benchmarks/bench_loss_views.py)
TIME_SHARE = 0.06
# credit the budget may save up (seconds): a burst of work after a quiet spell stays this short
MOST_CREDIT = 0.02
# a unit of landscape work is about this long (seconds), at least one row
UNIT_SECONDS = 0.005
# points of the path kept; past this, every other one is dropped and the spacing doubles
PATH_POINTS = 128
# the principal directions need this many points of path; random directions until then
PCA_MIN_POINTS = 3


class TimeBudget:
    """A token bucket of seconds: credit grows at ``share`` of the wall time, up to
    ``most_credit``; work may start while the credit is positive and is charged what it took
    (a long piece of work leaves a debt that later time repays)."""

    def __init__(self, share: float = TIME_SHARE, most_credit: float = MOST_CREDIT,
                 clock=time.perf_counter):
        self.share, self.most_credit, self.clock = share, most_credit, clock
        self.credit = most_credit
        self._last = clock()
        self.spent = 0.0            # seconds charged in all, for measurements

    def restart(self) -> None:
        """Full credit from now on (the views were just shown)."""
        self.credit, self._last = self.most_credit, self.clock()

    def allows(self) -> bool:
        now = self.clock()
        self.credit = min(self.most_credit, self.credit + self.share * (now - self._last))
        self._last = now
        return self.credit > 0.0

    def charge(self, seconds: float) -> None:
        self.credit -= seconds
        self.spent += seconds


class ThinnedPath:
    """The optimizer's path over the whole run in at most ``capacity`` points: a copy of the
    parameters every ``stride`` epochs, the stride doubling (and every other point dropped)
    whenever the path is full. A new run (another ``run`` key, epochs going back, another
    network size) starts it afresh. Has ``points()`` and a length, as the engine's Trajectory,
    so ``landscape_slice`` takes it."""

    def __init__(self, capacity: int = PATH_POINTS):
        self.capacity = capacity
        self._points: list[np.ndarray] = []
        self._epochs: list[int] = []
        self.stride = 1
        self._run = None

    def __len__(self) -> int:
        return len(self._points)

    def record(self, run, epoch: int, parameters) -> None:
        """Keep ``parameters`` (copied) as the path's point at ``epoch`` if it is due."""
        if (run != self._run or (self._points and self._points[0].size != np.size(parameters))
                or (self._epochs and epoch < self._epochs[-1])):
            self._run, self._points, self._epochs, self.stride = run, [], [], 1
        if self._epochs and epoch < self._epochs[-1] + self.stride:
            return
        if len(self._points) == self.capacity:
            self._points, self._epochs = self._points[::2], self._epochs[::2]
            self.stride *= 2
        self._points.append(np.array(parameters, dtype=np.float64))
        self._epochs.append(epoch)

    def epochs(self) -> list[int]:
        return list(self._epochs)

    def items(self) -> list[tuple[int, np.ndarray]]:
        """(epoch, parameters) of each point, oldest first (the arrays are never changed)."""
        return list(zip(self._epochs, self._points))

    def points(self) -> np.ndarray:
        """(k, parameters), oldest first."""
        return np.array(self._points)


def run_key(playground) -> tuple:
    """What identifies one run of one network on one dataset: a Reset, a rebuild, new data or
    an opened file changes it."""
    return (playground.structure_version, playground.data_version, playground.history.generation)


class _Slice:
    """A landscape slice being computed or done, with what it was made for."""

    def __init__(self, plane, requested: str, used: str, key: tuple, epoch: int,
                 path_share: float):
        self.plane, self.requested, self.used = plane, requested, used
        self.key, self.epoch, self.path_share = key, epoch, path_share
        # (a, b) of any parameters: least squares on the plane (random directions are not
        # orthogonal), as one matrix product
        self.projector = np.linalg.pinv(plane.directions.T)
        self._path: dict[int, np.ndarray] = {}      # (a, b) of the path's points, by epoch

    def project(self, points: np.ndarray) -> np.ndarray:
        return (np.atleast_2d(points) - self.plane.surface.centre) @ self.projector.T

    def project_path(self, path: ThinnedPath) -> np.ndarray:
        """(k, 2): the path on the plane; each point is projected once (a snapshot carries the
        path 30 times a second, and a point is as large as the network)."""
        items = path.items()
        new = [(epoch, point) for epoch, point in items if epoch not in self._path]
        if new:
            for (epoch, _), ab in zip(new, self.project(np.array([p for _, p in new]))):
                self._path[epoch] = ab
        if len(self._path) > 2 * len(items):        # thinned away: forget them
            kept = {epoch for epoch, _ in items}
            self._path = {epoch: ab for epoch, ab in self._path.items() if epoch in kept}
        return np.array([self._path[epoch] for epoch, _ in items]).reshape(-1, 2)


class LiveLossViews:
    """What the worker computes for the Slope and Landscape panels while they are shown."""

    def __init__(self, share: float = TIME_SHARE, clock=time.perf_counter):
        self.clock = clock
        self.budget = TimeBudget(share, clock=clock)
        self.path = ThinnedPath()
        self.slope_data: str | None = None
        self.directions: str | None = None
        self.resolution = 31
        self._slope: SlopeView | None = None
        self._slope_stale = True
        self._slope_seconds = 0.0
        self._slice: _Slice | None = None           # being computed
        self._shown: _Slice | None = None           # the last complete one
        self._row_seconds = 0.0
        self.rows_computed = 0      # landscape rows in all, for measurements
        self._failed = None         # (run, settings, weights) at which slicing failed
        self.problem = ""           # why there is no slice, if there is none

    # ------------------------------------------------------------------ what is shown
    @property
    def watching(self) -> bool:
        return self.slope_data is not None or self.directions is not None

    def watch_slope(self, data: str | None) -> None:
        if data not in (None, *SLOPE_DATA):
            raise ValueError(f"data must be None or one of {SLOPE_DATA}, not {data!r}")
        if data is not None and not self.watching:
            self.budget.restart()
        if data != self.slope_data:
            self._slope, self._slope_stale = None, True
        self.slope_data = data

    def watch_landscape(self, directions: str | None, resolution: int = 31) -> None:
        if directions not in (None, *LANDSCAPE_DIRECTIONS):
            raise ValueError(f"directions must be None or one of {LANDSCAPE_DIRECTIONS}, "
                             f"not {directions!r}")
        if directions is not None and not self.watching:
            self.budget.restart()
        if (directions, resolution) != (self.directions, self.resolution) or directions is None:
            self._slice = self._shown = None          # hidden: nothing kept, nothing stale
        self.directions, self.resolution = directions, int(resolution)

    # ------------------------------------------------------------------ the worker's calls
    def changed(self) -> bool:
        """A command ran (settings, weights or data may have changed); True when a shown view
        needs a new snapshot."""
        self._slope_stale = True
        return self.watching

    def after_training(self, playground) -> None:
        """After the fast path trained: record the path; while shown, work if the budget has
        credit."""
        self.path.record(run_key(playground), playground.epoch, playground.network.parameters)
        if not self.watching:
            return
        self._slope_stale = True
        if self.budget.allows() and self._landscape_work_due(playground):
            self.budget.charge(self._landscape_unit(playground))

    def idle_work(self, playground, seconds: float | None) -> bool:
        """Work while the worker would wait ``seconds`` for the speed limit (within the budget:
        a core kept busy redrawing the landscape would slow the window), or while it is paused
        (None: free, as long as there is work); one unit a call, so commands still come first.
        True when something was done."""
        if not self.watching or (seconds is not None and not self.budget.allows()):
            return False
        self.path.record(run_key(playground), playground.epoch, playground.network.parameters)
        if self.slope_data is not None and self._slope_stale and seconds is None:
            # paused: a step or a new setting is shown at once (playing, every snapshot
            # recomputes it anyway, in attach)
            self._refresh_slope(playground)
            return True
        if self._landscape_work_due(playground) and (
                seconds is None or self._row_seconds <= seconds):
            taken = self._landscape_unit(playground, seconds)
            if seconds is not None:
                self.budget.charge(taken)
            return True
        return False

    def attach(self, snapshot, playground, playing: bool):
        """``snapshot`` with the shown views' numbers (the same snapshot when none is shown).
        Playing, the slope is recomputed only if the budget has credit (else the last one
        goes out again); paused, always."""
        # the path's first point (epoch 0) and those of stepped epochs come from here
        self.path.record(run_key(playground), playground.epoch, playground.network.parameters)
        if not self.watching:
            return snapshot
        start = self.clock()
        slope = landscape = None
        if self.slope_data is not None:
            if self._slope_stale and (not playing or self.budget.allows()):
                self._refresh_slope(playground, charged=False)
            slope = self._slope
        if self.directions is not None:
            landscape = self._landscape_view(playground)
        if playing:
            self.budget.charge(self.clock() - start)
        return replace(snapshot, slope=slope, landscape=landscape)

    # ------------------------------------------------------------------ the slope
    def _refresh_slope(self, playground, charged: bool = True) -> None:
        start = self.clock()
        self._slope = slope_view(playground, self.slope_data)
        self._slope_stale = False
        self._slope_seconds = self.clock() - start
        if charged:
            self.budget.charge(self._slope_seconds)

    # ------------------------------------------------------------------ the landscape
    def _landscape_work_due(self, playground) -> bool:
        """A slice is being computed, or the one shown is not of the weights, data and
        penalty in force."""
        if self.directions is None:
            return False
        if self._slice is not None and not self._slice.plane.done:
            return True
        if self._failed is not None:
            # nothing can be sliced (no training points, weights not finite) until that changes
            key, hyper, parameters = self._failed
            if (key == run_key(playground) and hyper == playground.config.hyper
                    and np.array_equal(parameters, playground.network.parameters)):
                return False
        shown = self._shown
        if shown is None or shown.key != run_key(playground):
            return True
        net, hyper = shown.plane.surface.net, playground.config.hyper
        return ((net.l1, net.l2) != (hyper.l1, hyper.l2)
                or not np.array_equal(shown.plane.surface.centre, playground.network.parameters))

    def _landscape_unit(self, playground, seconds: float | None = None) -> float:
        """Compute a few rows (starting a slice first if need be); returns the seconds taken."""
        start = self.clock()
        try:
            self._compute_rows(playground, seconds)
        except Exception as error:  # noqa: BLE001 - a view's trouble must never stop training
            self._slice = self._shown = None
            self.problem = f"{error}" if isinstance(error, ValueError) else \
                f"{type(error).__name__}: {error}"
            self._failed = (run_key(playground), playground.config.hyper,
                            np.array(playground.network.parameters, dtype=np.float64))
        return self.clock() - start

    def _compute_rows(self, playground, seconds: float | None) -> None:
        current = self._slice
        if current is None or current.plane.done or current.key != run_key(playground):
            self._slice = self._new_slice(playground)
            self._failed, self.problem = None, ""
        plane = self._slice.plane
        limit = UNIT_SECONDS if seconds is None else min(UNIT_SECONDS, seconds)
        rows = max(1, int(limit / self._row_seconds)) if self._row_seconds > 0 else 1
        before, done_before = self.clock(), plane.rows_done
        plane.compute_rows(rows)
        self.rows_computed += plane.rows_done - done_before
        taken = (self.clock() - before) / max(plane.rows_done - done_before, 1)
        self._row_seconds = taken if self._row_seconds == 0 else 0.7 * self._row_seconds + 0.3 * taken
        if plane.done or self._shown is None or self._shown.key != self._slice.key:
            # the first slice of a run shows row by row; later ones replace it when done
            self._shown = self._slice

    def _new_slice(self, playground) -> _Slice:
        key, epoch = run_key(playground), playground.epoch
        self.path.record(key, epoch, playground.network.parameters)
        requested = self.directions
        # the principal directions of a path too short, or on one line so far: random ones
        used = "pca" if requested == "pca" and len(self.path) >= PCA_MIN_POINTS else "random"
        try:
            plane = self._plane(playground, used)
        except ValueError:
            if used == "random":
                raise
            used = "random"
            plane = self._plane(playground, used)
        new = _Slice(plane, requested, used, key, epoch, float("nan"))
        if used == "pca":
            points = self.path.points()
            offsets = points - points.mean(axis=0)
            total = float(np.einsum("kp,kp->", offsets, offsets))
            projected = new.project(points)
            projected -= projected.mean(axis=0)
            new.path_share = float(np.sum(projected ** 2) / total) if total > 0 else float("nan")
        return new

    def _plane(self, playground, directions: str):
        return landscape_slice(playground, self.path if directions == "pca" else None,
                               directions, self.resolution)

    def _landscape_view(self, playground) -> LandscapeView | None:
        shown = self._shown
        if shown is None:
            return None if not self.problem else empty_landscape(
                self.directions, self.resolution, playground.epoch, self.problem)
        plane = shown.plane
        if shown.key == run_key(playground) and len(self.path):
            path = shown.project_path(self.path)
        else:
            path = np.zeros((0, 2))
        current = shown.project(playground.network.parameters)[0]
        return LandscapeView(
            directions=shown.used, requested=shown.requested, resolution=len(plane.a),
            epoch=shown.epoch, a=frozen_copy(plane.a), b=frozen_copy(plane.b),
            values=frozen_copy(plane.values), rows_done=plane.rows_done,
            centre_loss=float(plane.surface.loss), path=frozen(path),
            current=(float(current[0]), float(current[1])), path_share=shown.path_share)


def slope_view(playground, data: str) -> SlopeView:
    """The Slope panel's numbers now: ``slope_profile`` as a frozen view, or a view saying why
    there are none (the step diverges, no training points)."""
    hyper = playground.config.hyper
    common = dict(data=data, epoch=playground.epoch, batch_in_epoch=playground.batch_in_epoch,
                  optimizer=hyper.optimizer,
                  plain_gradient_step=hyper.optimizer == "sgd" and hyper.l1 == 0.0,
                  learning_rate=float(playground.trainer.learning_rate))
    try:
        with np.errstate(all="ignore"):
            profile = slope_profile(playground, data)
    except Exception as error:  # noqa: BLE001 - said in the panel; training goes on
        # the engine's NonFiniteError (the step diverges) and "no training points" are
        # ValueErrors that say it all; anything else is named
        problem = str(error) if isinstance(error, ValueError) else \
            f"{type(error).__name__}: {error}"
        empty, nan = frozen(np.zeros(0)), float("nan")
        return SlopeView(t=empty, losses=empty, loss=nan, landing_loss=nan, slope=nan,
                         predicted_landing=nan, gradient_norm_sq=nan, step_norm=nan,
                         problem=problem, **common)
    return SlopeView(t=frozen_copy(profile.t), losses=frozen_copy(profile.losses),
                     loss=float(profile.loss), landing_loss=float(profile.landing_loss),
                     slope=float(profile.slope), predicted_landing=float(profile.predicted_landing),
                     gradient_norm_sq=float(profile.gradient_norm_sq),
                     step_norm=float(profile.step_norm), **common)


def empty_landscape(directions: str, resolution: int, epoch: int, problem: str) -> LandscapeView:
    """A view with no slice, saying why."""
    empty = frozen(np.zeros(0))
    return LandscapeView(directions=directions, requested=directions, resolution=resolution,
                         epoch=epoch, a=empty, b=empty, values=frozen(np.zeros((0, 0))),
                         rows_done=0, centre_loss=float("nan"), path=frozen(np.zeros((0, 2))),
                         current=(0.0, 0.0), path_share=float("nan"), problem=problem)
