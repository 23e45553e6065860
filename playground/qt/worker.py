"""The training worker: a :class:`Playground` trained on its own QThread, streamed as snapshots.

This is the only module that imports both the session/engine and Qt.

Design, in one paragraph: the GUI thread calls commands on :class:`TrainingController`; each
command (one frozen type of :mod:`playground.commands`, built at the call site) is appended to a
thread-safe queue that the worker reads between mini-batches, so a group of settings applies
atomically between two batches and never in the middle of one. The worker
runs a plain loop inside its thread and blocks on a condition variable when paused or waiting for
the speed limit, so it needs no timers and a command wakes it at once. While playing, it trains
on the engine's fast path (whole epochs of recorded NumPy calls), which checks after every
mini-batch whether a command is waiting and if so stops there, so the queue is read between two
mini-batches. Per-epoch scalars are kept in the session's history; every snapshot carries the epochs
since the previous snapshot, so none is lost however few snapshots are sent. Snapshots are
throttled at the source (at most ~30 per second, and no more than two waiting in the GUI's event
queue) and always sent after pause, step, reset, rebuild and stop.

History restarts (reset, rebuild, load): a snapshot whose ``epoch`` is lower than the previous
one, or whose history starts at epoch 1, begins a new history; views clear their curves.
"""
from __future__ import annotations

import atexit
import collections
import itertools
import threading
import time
import traceback
import weakref

import numpy as np
import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

from playground.commands import (Command, LoadPlayground, Pause, Play, Reset, RunJob, SetDataset,
                                 SetDataSpec, SetHyperparameters, SetNetwork, SetParameter,
                                 StepBatch, StepEpoch, WatchLandscape, WatchSlope)
from playground.config import DataSpec, Hyperparameters, NetworkSpec, PlaygroundConfig
from playground.data import Dataset
from playground.engine import NonFiniteError
from playground.inspection import inspected_step
from playground.live_loss_views import LiveLossViews
from playground.messages import describe_position
from playground.session import Playground
from playground.snapshot import PAUSED, PLAYING, Snapshot
from playground.snapshot_builder import RateMeter, SnapshotBuilder, history_since

MAX_SNAPSHOTS_PER_SECOND = 30.0
SNAPSHOT_PERIOD = 1.0 / MAX_SNAPSHOTS_PER_SECOND
# at 30 epochs a second an epoch ends every SNAPSHOT_PERIOD give or take a millisecond's jitter;
# without some slack every other epoch ended a hair early and was skipped (20 frames a second)
SNAPSHOT_SLACK = 0.003
SNAPSHOT_CPU_SHARE = 0.10       # of the training thread's time, at most, for periodic snapshots
# snapshots sent but not yet taken by the GUI thread (relayed, or drawn by a window that paces
# them); above this the worker skips (not loses: the history accumulates into the next one)
# throttled snapshots, so a busy GUI never floods and none is built that will not be drawn
MAX_SNAPSHOTS_IN_FLIGHT = 2
SHUTDOWN_TIMEOUT_MS = 1000
DEFAULT_GRID_RESOLUTION = 100


def divergence_message(error: Exception, learning_rate: float, again: bool = False,
                       position: tuple[int, int] | None = None) -> str:
    """A plain-language reason for a non-finite loss, gradient or update (NonFiniteError).

    ``position`` (completed epochs, mini-batches into the next) is where training stands, as
    the tool bar shows it: the engine leaves the weights as they were before the mini-batch that
    failed. Without it the error's own numbers are used, which count the epoch and mini-batch
    under way from 1 and are exact on the step-by-step path only. ``again``: Play was pressed
    with nothing changed since, and the same mini-batch failed once more."""
    what = {"gradient": "a gradient", "update": "a weight update"}.get(
        getattr(error, "what", "loss"), "the loss")
    how = "not a number (NaN)" if "nan" in str(error).lower() else "infinite"
    if position is None:
        position = (getattr(error, "epoch", 1) - 1, getattr(error, "batch_index", 0))
    position = describe_position(*position).lower()
    if again:
        return (f"Play cannot continue from {position}: the next mini-batch still makes {what} "
                f"{how} (learning rate {learning_rate:g}) — lower the learning rate, or press "
                "Reset for new weights")
    return (f"Training stopped at {position}: the next mini-batch made {what} {how} — the "
            f"learning rate {learning_rate:g} is too high for this network; lower it, or press "
            "Reset for new weights")


class TrainingWorker(QObject):
    """Runs the playground in its thread; fed by :class:`TrainingController`, never called directly.

    Signals are emitted from the worker thread; connect to the controller's relays instead.
    """

    sigSnapshot = Signal(object)
    sigDiverged = Signal(str)
    sigError = Signal(str)
    sigStateChanged = Signal(str)
    sigConfigChanged = Signal(object)
    sigJobDone = Signal(int, bool, object)   # (token, succeeded, value) for run_in_worker

    def __init__(self, playground: Playground, grid_resolution: int, jobs: dict):
        super().__init__()
        self.playground = playground
        self._jobs = jobs       # token -> (function, callback, failed); the GUI thread owns it
        self._job_done = None                # (token, succeeded, value) of the job just run
        self._commands = collections.deque()
        self._wake = threading.Condition()
        self._stopping = False
        self._playing = False
        self._epochs_per_second = playground.config.hyper.epochs_per_second
        self._next_epoch_due = 0.0
        self._builder = SnapshotBuilder(grid_resolution)
        self._meter = RateMeter()
        self._history_sent = 0
        self._history_generation = playground.history.generation
        self._next_snapshot = 0.0
        self._snapshot_pending = False       # a change waits for the throttle (while paused)
        # (epoch, batch) where training last diverged; a divergence at the same place again
        # means Play cannot continue as things are
        self._diverged_at: tuple[int, int] | None = None
        self.snapshots_sent = 0          # written by the worker thread only
        self.snapshots_taken = 0         # written by the GUI thread only
        # the Slope and Landscape panels' numbers, computed only while they are shown
        self.loss_views = LiveLossViews()

    # ------------------------------------------------------------------ called from the GUI
    def enqueue(self, command: Command) -> None:
        if not isinstance(command, Command):
            raise TypeError(f"not a worker command: {command!r}")
        with self._wake:
            self._commands.append(command)
            self._wake.notify()

    def request_stop(self) -> None:
        with self._wake:
            self._stopping = True
            self._wake.notify()

    # ------------------------------------------------------------------ the worker thread
    def run(self) -> None:
        """The worker thread's whole life: returns when :meth:`request_stop` was called."""
        # a diverging network overflows on its way to the NonFiniteError the engine raises; the
        # error state is per thread, so this silences only the worker's RuntimeWarnings
        np.seterr(all="ignore")
        self._guarded(self._send_config)
        self._guarded(self._send_snapshot)
        while not self._stopping:
            self._guarded(self._turn)
        self._playing = False
        self._guarded(self._send_snapshot)

    def _turn(self) -> None:
        if self._commands:
            self._run_commands()
        elif not self._playing:
            if self._loss_view_work(None):
                pass
            elif self._snapshot_pending:
                # a throttled change while paused (a weight dragged by hand): send it when due
                delay = self._next_snapshot - time.perf_counter()
                if delay > 0:
                    self._wait(delay)
                else:
                    self._send_snapshot()
            else:
                self._wait(None)
        else:
            delay = self._delay_before_next_batch()
            if delay > 0:
                if not self._loss_view_work(delay):
                    self._wait(delay)
            else:
                self._train_batches()

    def _guarded(self, action) -> None:
        """Run one step of the loop; an unexpected failure pauses and is reported, never fatal."""
        try:
            action()
        except Exception as error:  # noqa: BLE001 - the thread must survive anything
            self._set_playing(False)
            self._report_error(error)

    def _wait(self, timeout: float | None) -> None:
        with self._wake:
            if not self._commands and not self._stopping:
                self._wake.wait(timeout)

    def _run_commands(self) -> None:
        while self._commands and not self._stopping:
            command = self._commands.popleft()
            try:
                self._apply(command)
            except Exception as error:  # noqa: BLE001 - every failure must reach the GUI
                self._report_error(error)
                self._send_snapshot()
            if self._job_done is not None:
                self.sigJobDone.emit(*self._job_done)
                self._job_done = None

    def _report_error(self, error: Exception) -> None:
        traceback.print_exc()
        self.sigError.emit(f"{type(error).__name__}: {error}")

    def _set_playing(self, playing: bool) -> None:
        if playing != self._playing:
            self._playing = playing
            self._next_epoch_due = time.perf_counter()
            self._meter.clear()
            self.sigStateChanged.emit(PLAYING if playing else PAUSED)

    def _delay_before_next_batch(self) -> float:
        if self._epochs_per_second is None or self.playground.batch_in_epoch != 0:
            return 0.0
        return self._next_epoch_due - time.perf_counter()

    def _train_batches(self) -> None:
        """Train back to back until a command, the speed limit or a late snapshot is due.

        This is the hot loop. It runs the engine's fast path (whole epochs of recorded calls),
        which asks :meth:`_should_yield` after every mini-batch, so a command still applies
        between two mini-batches. Snapshots go out at epoch ends when due; an epoch so long that
        one is a frame overdue is left at a mini-batch boundary to send it.
        """
        playground = self.playground
        while True:
            try:
                finished = playground.step_epoch(self._should_yield) is not None
            except NonFiniteError as error:
                self._diverged(error)
                return
            except Exception as error:  # noqa: BLE001
                self._set_playing(False)
                self._report_error(error)
                self._send_snapshot()
                return
            self.loss_views.after_training(playground)
            now = time.perf_counter()
            if now >= self._next_snapshot and self._gui_keeps_up():
                self._send_snapshot(now)
            if finished and self._epochs_per_second is not None:
                period = 1.0 / self._epochs_per_second
                # after falling behind (a slow epoch), do not race to catch up
                self._next_epoch_due = max(self._next_epoch_due + period, now - period)
                return
            if self._commands or self._stopping:
                return

    def _should_yield(self) -> bool:
        """Asked between two mini-batches of the fast path: leave the epoch for a command, a
        stop, or a snapshot overdue by a whole frame (epochs of a large data set)."""
        return bool(self._commands or self._stopping
                    or (time.perf_counter() >= self._next_snapshot + SNAPSHOT_PERIOD
                        and self._gui_keeps_up()))

    def _loss_view_work(self, seconds: float | None) -> bool:
        """Use ``seconds`` the loop would wait (None: paused) for the shown loss views; False
        when there is nothing to do in that time, or a snapshot is overdue."""
        if self._snapshot_pending and time.perf_counter() >= self._next_snapshot:
            return False
        if not self.loss_views.idle_work(self.playground, seconds):
            return False
        self._snapshot_pending = True
        return True

    def _gui_keeps_up(self) -> bool:
        return self.snapshots_sent - self.snapshots_taken < MAX_SNAPSHOTS_IN_FLIGHT

    def _diverged(self, error: Exception) -> None:
        self._set_playing(False)
        position = (self.playground.epoch, self.playground.batch_in_epoch)
        again = position == self._diverged_at
        self._diverged_at = position
        message = divergence_message(error, self.playground.trainer.learning_rate, again,
                                     position)
        # the snapshot first: when the message arrives, the controller's latest snapshot
        # shows where training stopped
        self._send_snapshot()
        self.sigDiverged.emit(message)

    def _send_snapshot(self, now: float | None = None, inspection=None) -> None:
        now = time.perf_counter() if now is None else now
        self._next_snapshot = now + SNAPSHOT_PERIOD - SNAPSHOT_SLACK
        self._snapshot_pending = False
        playground = self.playground
        if playground.history.generation != self._history_generation:
            self._history_generation = playground.history.generation
            self._history_sent = 0
        history = history_since(playground, self._history_sent)
        self._history_sent += len(history)
        rate = self._meter.measure(now, playground.epoch) if self._playing else 0.0
        snapshot = self._builder.build(playground, PLAYING if self._playing else PAUSED,
                                       history, rate, inspection)
        # a snapshot of a large network over the 100 x 100 grid costs the training thread ~20 ms:
        # keep the periodic ones within a share of its time, as the window keeps its frames
        cost = time.perf_counter() - now
        self._next_snapshot = max(self._next_snapshot, now + cost / SNAPSHOT_CPU_SHARE)
        snapshot = self.loss_views.attach(snapshot, playground, self._playing)
        self.snapshots_sent += 1
        self.sigSnapshot.emit(snapshot)

    def _send_config(self) -> None:
        self.sigConfigChanged.emit(self.playground.config)

    def _after_rebuild(self) -> None:
        self._diverged_at = None
        self._meter.clear()
        self._next_epoch_due = time.perf_counter()
        self._send_config()
        self._send_snapshot()

    # ------------------------------------------------------------------ commands
    def _apply(self, command: Command) -> None:
        """Carry out one command, between two mini-batches."""
        if self.loss_views.changed():
            self._snapshot_pending = True       # the shown loss views follow any change
        match command:
            case Play() | Pause():
                self._set_playing(isinstance(command, Play))
                self._send_snapshot()
            case StepEpoch():
                self._step_epoch()
            case StepBatch():
                self._step_batch()
            case Reset(new_seed, seed):
                if new_seed:
                    seed = int(np.random.default_rng().integers(0, 2**31 - 1))
                self.playground.reset(seed)
                self._after_rebuild()
            case SetHyperparameters(hyper):
                self._set_hyperparameters(hyper)
            case SetNetwork(spec, layers):
                self.playground.set_network(spec, layers)
                self._after_rebuild()
            case SetDataSpec(spec):
                self.playground.set_data_spec(spec)
                self._after_rebuild()
            case SetDataset(dataset, edit, split):
                self.playground.set_dataset(dataset, split)
                self._builder.data_edit_is(self.playground.data_version, edit)
                self._after_rebuild()
            case SetParameter(kind, layer, index, value):
                self.playground.set_parameter(kind, layer, index, value)
                # throttled like training updates: dragging a weight sends dozens a second
                self._snapshot_pending = True
            case LoadPlayground(playground):
                self._load(playground)
            case RunJob(token):
                self._run_job(token)
            case WatchSlope(data):
                self.loss_views.watch_slope(data)
            case WatchLandscape(directions, resolution):
                self.loss_views.watch_landscape(directions, resolution)
            case _:
                raise TypeError(f"not a worker command: {command!r}")

    def _step_epoch(self) -> None:
        self._set_playing(False)
        try:
            self.playground.step_epoch()
        except NonFiniteError as error:
            self._diverged(error)
            return
        self._send_snapshot()

    def _step_batch(self) -> None:
        self._set_playing(False)
        playground = self.playground
        try:
            _, inspection = inspected_step(playground.trainer, playground.step_batch)
        except NonFiniteError as error:
            self._diverged(error)
            return
        self._send_snapshot(inspection=inspection)

    def _set_hyperparameters(self, hyper: Hyperparameters) -> None:
        rate = hyper.epochs_per_second
        if rate is not None and not rate > 0:
            raise ValueError(f"epochs per second must be positive or None, not {rate!r}")
        self.playground.apply_hyperparameters(hyper)
        if rate != self._epochs_per_second:
            self._epochs_per_second = rate
            self._next_epoch_due = time.perf_counter()
        self._send_config()

    def _load(self, playground: Playground) -> None:
        # views (and the snapshot builder) cache by version: the loaded playground's must
        # never repeat one of the old playground's
        playground.number_versions_after(self.playground)
        self.playground = playground
        self._epochs_per_second = playground.config.hyper.epochs_per_second
        self._history_generation = -1       # send the loaded history from its start
        self._after_rebuild()

    def _run_job(self, token: int) -> None:
        # reported by _run_commands once this frame (and any traceback holding it) is gone: the
        # GUI thread then drops the job's last reference, so nothing it holds is freed here
        self._job_done = (token, False, None)
        function = self._jobs[token][0]
        self._job_done = (token, True, function(self.playground))


class _WorkerThread(QThread):
    """Runs the worker's loop and nothing else: no event loop, so the thread ends as soon as
    the loop returns and nothing has to remember to ``quit()`` it."""

    def __init__(self, worker: TrainingWorker):
        super().__init__()
        self.setObjectName("TrainingWorkerThread")
        self._worker = worker

    def run(self) -> None:
        self._worker.run()


# every controller not yet shut down: stopped at interpreter exit, before Python tears down the
# objects a running training thread uses (a script that exits without closing its window)
_running_controllers: weakref.WeakSet = weakref.WeakSet()


@atexit.register
def _shut_down_running_controllers() -> None:
    for controller in list(_running_controllers):
        controller.shutdown()


def _stop_and_wait(worker: TrainingWorker, thread: QThread) -> None:
    worker.request_stop()                  # plain Python: safe even if Qt deleted the object
    if not shiboken6.isValid(thread):      # Qt already deleted it (at exit, after shutdown)
        return
    if not thread.wait(SHUTDOWN_TIMEOUT_MS):
        # a single huge mini-batch can outlast the timeout; destroying a running QThread
        # aborts the process, so wait it out
        thread.wait()


class TrainingController(QObject):
    """The GUI thread's handle on training: commands in, snapshots and messages out.

    Every command returns at once; the worker applies it at the next mini-batch boundary.
    All signals are emitted in the GUI thread. Call :meth:`shutdown` before the application
    quits (it is also connected to ``QCoreApplication.aboutToQuit``).
    """

    sigSnapshot = Signal(object)        # Snapshot
    sigDiverged = Signal(str)           # plain-language reason; training is paused
    sigError = Signal(str)              # an exception in the worker; the thread keeps running
    sigStateChanged = Signal(str)       # PLAYING | PAUSED
    sigConfigChanged = Signal(object)   # the PlaygroundConfig actually in force

    def __init__(self, config: PlaygroundConfig | None = None, dataset=None, parent=None,
                 grid_resolution: int = DEFAULT_GRID_RESOLUTION, playground: Playground = None):
        super().__init__(parent)
        playground = playground or Playground(config, dataset)
        self.state = PAUSED
        self.config = playground.config
        self.latest_snapshot: Snapshot | None = None
        # the worker object stays in this thread; its signals, emitted from the training
        # thread, reach the relays below as queued calls
        self._jobs: dict = {}
        self._job_tokens = itertools.count()
        self._worker = TrainingWorker(playground, grid_resolution, self._jobs)
        self._thread = _WorkerThread(self._worker)
        self._worker.sigSnapshot.connect(self._relay_snapshot)
        self._worker.sigDiverged.connect(self._relay_diverged)
        self._worker.sigError.connect(self._relay_error)
        self._worker.sigStateChanged.connect(self._relay_state)
        self._worker.sigConfigChanged.connect(self._relay_config)
        self._worker.sigJobDone.connect(self._relay_job_done)
        self._stopped = False
        self._relayed = 0
        self._paced_by_consumer = False
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)
        # safety net when the controller dies with its parent before shutdown(): the closure
        # holds the worker and the thread (not self, which is gone by then) and waits for it
        worker, thread = self._worker, self._thread
        self.destroyed.connect(lambda *_: _stop_and_wait(worker, thread))
        _running_controllers.add(self)
        self._thread.start()

    # ------------------------------------------------------------------ commands
    def send(self, command: Command) -> None:
        """Queue ``command`` for the worker; anything but a command raises TypeError here."""
        if not self._stopped:
            self._worker.enqueue(command)

    def play(self) -> None:
        self.send(Play())

    def pause(self) -> None:
        self.send(Pause())

    def toggle(self) -> None:
        """Play when paused, pause when playing (as far as the GUI knows)."""
        self.send(Pause() if self.state == PLAYING else Play())

    def step_epoch(self) -> None:
        self.send(StepEpoch())

    def step_batch(self) -> None:
        self.send(StepBatch())

    def reset(self) -> None:
        """Start training again from the same initial weights (the network's seed)."""
        self.send(Reset())

    def reset_new_seed(self) -> None:
        """Start training again from new random weights (a fresh seed, kept in the config)."""
        self.send(Reset(new_seed=True))

    def reset_to_seed(self, seed: int) -> None:
        """Start training again from the weights ``seed`` draws (kept in the config)."""
        self.send(Reset(seed=int(seed)))

    def set_hyperparameters(self, hyper: Hyperparameters) -> None:
        self.send(SetHyperparameters(hyper))

    def set_network(self, spec: NetworkSpec, layers: tuple | None = None) -> None:
        """Rebuild the network as ``spec`` says, with fresh weights or ``layers`` ((W, b) per
        layer, the shapes ``spec`` gives)."""
        self.send(SetNetwork(spec, layers))

    def set_data_spec(self, spec: DataSpec) -> None:
        self.send(SetDataSpec(spec))

    def set_dataset(self, dataset: Dataset, edit: int | None = None, split=None) -> None:
        """Train on ``dataset``; ``edit`` comes back in the snapshots' ``data.edit``; ``split``
        (train indices, test indices) instead of the ratio and seed's."""
        self.send(SetDataset(dataset, edit, split))

    def set_parameter(self, kind: str, layer: int, index, value: float) -> None:
        self.send(SetParameter(kind, layer, index, value))

    def load_playground(self, playground: Playground) -> None:
        """Replace the whole session (storage's Open); the GUI must not keep using it."""
        self.send(LoadPlayground(playground))

    def watch_slope(self, data: str | None) -> None:
        """The Slope panel shows the profile on ``data`` ("batch" or "train"), or is hidden
        (None): the snapshots carry ``slope`` only while it is shown."""
        self.send(WatchSlope(data))

    def watch_landscape(self, directions: str | None, resolution: int = 31) -> None:
        """The Landscape panel shows a slice along ``directions`` ("random" or "pca"), or is
        hidden (None): the snapshots carry ``landscape`` only while it is shown."""
        self.send(WatchLandscape(directions, resolution))

    def run_in_worker(self, function, callback=None, failed=None) -> None:
        """Call ``function(playground)`` in the worker between two mini-batches.

        Its return value goes to ``callback`` in the GUI thread. The function may read and
        change the playground but must return copies, never live engine arrays. Exceptions
        become sigError, and ``failed()`` is called instead of ``callback``.
        """
        token = next(self._job_tokens)
        self._jobs[token] = (function, callback, failed)
        self.send(RunJob(token))

    def shutdown(self) -> None:
        """Stop training and the thread; returns when the thread has finished."""
        if self._stopped:
            return
        self._stopped = True
        _running_controllers.discard(self)
        _stop_and_wait(self._worker, self._thread)

    @property
    def is_running(self) -> bool:
        return self._thread.isRunning()

    # ------------------------------------------------------------------ relays (GUI thread)
    def pace_snapshots_by_consumer(self) -> None:
        """From now on a snapshot counts as taken only when :meth:`snapshots_taken` says so
        (a window that draws them at its own frame rate), not when it is relayed: the worker
        then builds no more snapshots than are drawn."""
        self._paced_by_consumer = True

    def snapshots_taken(self) -> None:
        """Every snapshot relayed so far has been taken (drawn, or merged into a drawing)."""
        self._worker.snapshots_taken = self._relayed

    @Slot(object)
    def _relay_snapshot(self, snapshot) -> None:
        self._relayed += 1
        if not self._paced_by_consumer:
            self._worker.snapshots_taken = self._relayed
        self.latest_snapshot = snapshot
        self.sigSnapshot.emit(snapshot)

    @Slot(str)
    def _relay_diverged(self, message: str) -> None:
        self.sigDiverged.emit(message)

    @Slot(str)
    def _relay_error(self, message: str) -> None:
        self.sigError.emit(message)

    @Slot(str)
    def _relay_state(self, state: str) -> None:
        self.state = state
        self.sigStateChanged.emit(state)

    @Slot(object)
    def _relay_config(self, config) -> None:
        self.config = config
        self.sigConfigChanged.emit(config)

    @Slot(int, bool, object)
    def _relay_job_done(self, token: int, succeeded: bool, value) -> None:
        _, callback, failed = self._jobs.pop(token)
        if succeeded and callback is not None:
            callback(value)
        elif not succeeded and failed is not None:
            failed()
