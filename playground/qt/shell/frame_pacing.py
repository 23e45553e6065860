"""When the window draws its next frame.

The GUI thread shares Python's interpreter lock with the training thread, so every millisecond
of Python the window runs is a millisecond training waits. At a watchable speed (a speed limit),
or paused, that does not matter and frames come about 30 times a second. As fast as possible it
does: there the window keeps its own CPU time within a share of the wall time, measured over the
last frames, so the frame rate follows what a frame costs (a small network's frames come often,
a big network's less often) instead of a fixed rate that would take a fixed bite of training.
"""
from __future__ import annotations

WATCHABLE_INTERVAL = 1.0 / 30        # seconds between frames at a speed limit or paused
FAST_CPU_SHARE = 0.10                # as fast as possible: the GUI thread's share of wall time
LONGEST_INTERVAL = 0.25              # however costly a frame, at least four a second
SMOOTHING = 0.3                      # weight of the newest frame in the running cost


class FramePacer:
    """The interval before the next frame, from the GUI thread's CPU time over the last one.

    Call :meth:`next_interval` once a frame, with the thread's CPU seconds and the wall seconds
    since the previous call.
    """

    def __init__(self, cpu_share: float = FAST_CPU_SHARE,
                 shortest: float = WATCHABLE_INTERVAL, longest: float = LONGEST_INTERVAL):
        self.cpu_share = cpu_share
        self.shortest = shortest
        self.longest = longest
        self.frame_cost = 0.0            # running CPU seconds a frame takes, all told

    def next_interval(self, cpu_seconds: float, wall_seconds: float, fast: bool) -> float:
        """Seconds to wait before the next frame."""
        if wall_seconds > 0:
            self.frame_cost += SMOOTHING * (cpu_seconds - self.frame_cost)
        if not fast:
            return self.shortest
        return min(max(self.frame_cost / self.cpu_share, self.shortest), self.longest)
