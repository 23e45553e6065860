"""The window's frames: what arrived since the last one, drawn when the pacer says.

Snapshots arrive as fast as the worker sends them; the inbox keeps the newest plus every epoch
of history since the last frame, so a burst costs one drawing and no epoch goes missing. A frame
takes what is in the inbox and tells the controller so (the worker builds no more snapshots than
are drawn), draws it, then waits as long as the FramePacer says: ~30 frames a second at a speed
limit, as fast as possible within a share of the GUI thread's time. A snapshot carrying a very
long history (a long run opened from a file) is drawn a view per event-loop turn, its history
handed to the history plots in pieces, so the window keeps responding.
"""
from __future__ import annotations

import time
from dataclasses import replace

from PySide6.QtCore import QObject, QTimer

from playground.qt.shell.frame_pacing import WATCHABLE_INTERVAL, FramePacer
from playground.qt.shell.snapshot_inbox import SnapshotInbox, split_history
from playground.snapshot import PLAYING, Snapshot

# A quarter of what a plot keeps (growing_columns.MAX_ROWS): a plot then halves its rows at most
# once to take a piece in, and keeps the envelope of everything before it.
HISTORY_ROWS_PER_TURN = 25_000


class FrameLoop(QObject):
    """Draws ``window``'s snapshots frame by frame (``window.render_snapshot`` for an ordinary
    one, the window's views one per turn for a long one)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.inbox = SnapshotInbox()
        self.pacer = FramePacer()
        self._clock = (time.perf_counter(), time.thread_time())
        self.render_timer = QTimer(self)
        self.render_timer.setSingleShot(True)
        self.render_timer.timeout.connect(self._frame)
        self._turns: list = []              # what is left of a heavy snapshot's rendering
        self._turn_timer = QTimer(self)
        self._turn_timer.setSingleShot(True)
        self._turn_timer.setInterval(0)
        self._turn_timer.timeout.connect(self._next_turn)
        controller = window.controller
        # the window takes snapshots as it draws them: the worker builds no more than it draws
        controller.pace_snapshots_by_consumer()
        controller.sigSnapshot.connect(self.inbox.push)
        self.render_timer.start(round(1000 * WATCHABLE_INTERVAL))

    def stop(self) -> None:
        self.render_timer.stop()
        self._turn_timer.stop()

    def render_pending(self) -> None:
        """Draw the newest snapshot received since the last frame, if any.

        A heavy one is drawn a view per event-loop turn; until it is done, newer snapshots wait
        in the inbox (which keeps all their history), so every view sees every epoch."""
        if self._turns:
            return
        snapshot = self.inbox.take()
        self.window.controller.snapshots_taken()
        if snapshot is None:
            return
        if len(snapshot.history) <= HISTORY_ROWS_PER_TURN:
            self.window.render_snapshot(snapshot)
            return
        self._turns = self._rendering_turns(snapshot)
        self._next_turn()

    def _frame(self) -> None:
        self.render_pending()
        wall, cpu = time.perf_counter(), time.thread_time()
        last_wall, last_cpu = self._clock
        self._clock = (wall, cpu)
        controller = self.window.controller
        fast = controller.state == PLAYING and controller.config.hyper.epochs_per_second is None
        interval = self.pacer.next_interval(cpu - last_cpu, wall - last_wall, fast)
        self.render_timer.start(round(1000 * interval))

    def _rendering_turns(self, snapshot: Snapshot) -> list:
        window = self.window
        pieces = split_history(snapshot.history, HISTORY_ROWS_PER_TURN)
        # each piece as if it had come in a snapshot of its own, up to its last epoch
        partial = [replace(snapshot, history=piece, epoch=int(piece.epochs[-1]))
                   for piece in pieces[:-1]] + [replace(snapshot, history=pieces[-1])]
        turns = []
        for view in window.views:
            shown = partial if view in window.history_views else [snapshot]
            turns += [lambda view=view, part=part: view.show_snapshot(part) for part in shown]
        return turns + [lambda: window.show_rendered(snapshot)]

    def _next_turn(self) -> None:
        if self._turns:
            self._turns.pop(0)()
        if self._turns:
            self._turn_timer.start()
