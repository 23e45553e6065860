"""A recording encoded on a thread of its own, fed through a queue of one or two frames.

Encoding a frame of the decision boundary takes about 20 ms (docs/RECORDING.md): done where the
frames are drawn, it would stall every redraw. The drawing side hands over NumPy copies and
never waits: when the queue is full it skips that moment and offers the next one (``has_room``),
so memory stays at the queue's frames plus the writer's two, whatever the length. Nothing but
NumPy arrays and this plain-Python writer cross between the threads, and the encoding thread
creates no GUI object (pure; no Qt).
"""
from __future__ import annotations

import queue
import threading

from playground.recording.frames import RecordingWriter

QUEUE_FRAMES = 2
POLL_SECONDS = 0.05


class BackgroundEncoder:
    """Runs ``writer`` on a thread: ``put(frame)`` while ``has_room()``, then ``finish()`` (the
    file is closed and moved into place) or ``cancel()`` (nothing is left); ``done`` is set when
    the thread has ended, with ``path`` (finished) or ``error`` (what went wrong) filled in.
    """

    def __init__(self, writer: RecordingWriter, capacity: int = QUEUE_FRAMES):
        self.writer = writer
        self.path = None
        self.error: Exception | None = None
        self.done = threading.Event()
        self._frames: queue.Queue = queue.Queue(maxsize=capacity)
        self._finishing = threading.Event()
        self._cancelled = threading.Event()
        self._thread = threading.Thread(target=self._run, name="RecordingEncoder", daemon=True)
        self._thread.start()

    def has_room(self) -> bool:
        """True when a frame handed over now would not wait (and nothing has ended)."""
        return not (self._frames.full() or self.done.is_set() or self._finishing.is_set())

    def put(self, frame) -> None:
        """Queue a frame (a uint8 array the caller no longer changes); ``has_room()`` first."""
        self._frames.put_nowait(frame)

    def finish(self) -> None:
        """Encode what is queued, then close the file; returns at once (see ``done``)."""
        self._finishing.set()

    def cancel(self) -> None:
        """Stop and remove the file; returns at once (see ``done``)."""
        self._cancelled.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the thread to end; True when it has."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        writer = self.writer
        try:
            while not self._cancelled.is_set():
                try:
                    frame = self._frames.get(timeout=POLL_SECONDS)
                except queue.Empty:
                    if self._finishing.is_set():
                        self.path = writer.close()
                        return
                    continue
                writer.add_frame(frame)
                del frame           # the queue's copy is the only other one: freed here
            writer.cancel()
        except Exception as error:  # noqa: BLE001 - reported by the drawing side
            self.error = error
            writer.cancel()
        finally:
            self.done.set()
