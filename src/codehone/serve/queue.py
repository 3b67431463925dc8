"""A bounded queue in front of the model: one generation at a time, a few waiting, the rest refused.

On a CPU the model is bound by memory bandwidth, so two requests decoding at once each run at about
half speed and both finish late; llama.cpp's backend also serialises on a lock. So the server runs
generations one at a time on a single worker thread, keeps at most ``max_waiting`` requests waiting,
and refuses the rest at once with a ``Retry-After`` estimate (the app turns ``QueueFull`` into 429),
rather than letting latency grow without bound.

Cancellation is cooperative: a job's ``cancel()`` (client gone, early stop by post-processing)
sets a flag that the backend's ``on_text`` callback checks, raising ``Cancelled`` to end the
generation at the next token. A job cancelled while still waiting gives its place back at once
and is skipped when the worker reaches it. Places are counted under a thread lock and released
by the worker thread itself, so a cancelled async task (whose ``finally`` cannot await) never
leaks a place.
"""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable


class QueueFull(Exception):
    def __init__(self, waiting: int, retry_after: int):
        super().__init__(f"server busy: {waiting} requests already waiting; retry in about {retry_after} s")
        self.retry_after = retry_after


class Cancelled(Exception):
    """Raised inside the worker thread to stop a generation whose job was cancelled."""


class Job:
    """One request's generation: its cancel flag, and a thread-safe channel back to the event loop."""

    def __init__(self, queue: "GenerationQueue", loop: asyncio.AbstractEventLoop):
        self._queue = queue
        self._loop = loop
        self.state = "waiting"  # waiting -> running -> done; guarded by the queue's lock
        self.cancelled = threading.Event()
        self.cut_short = False  # a running generation was stopped by cancel()
        self.events: asyncio.Queue = asyncio.Queue()  # items emitted by the worker, read by the stream

    def cancel(self) -> None:
        self.cancelled.set()
        self._queue._forget_waiting(self)

    def check(self) -> None:
        """Called from the worker thread between tokens."""
        if self.cancelled.is_set():
            self.cut_short = True
            raise Cancelled()

    def emit(self, item: Any) -> None:
        """Hand an item to the async side from the worker thread (never blocks the worker)."""
        self._loop.call_soon_threadsafe(self.events.put_nowait, item)


class GenerationQueue:
    def __init__(self, max_waiting: int = 16):
        if max_waiting < 0:
            raise ValueError("max_waiting must be >= 0")
        self.max_waiting = max_waiting
        self._lock = threading.Lock()
        self._waiting = 0
        self._running = 0
        self._mean_seconds = 1.0  # moving average of job time, for Retry-After
        self.cancelled_total = 0  # generations cut short by their client leaving (for /metrics)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="codehone-generate")
        self._live: set[Job] = set()  # jobs not yet done, so shutdown can cancel them

    @property
    def waiting(self) -> int:
        return self._waiting

    @property
    def running(self) -> int:
        return self._running

    def retry_after(self) -> int:
        return max(1, round(self._mean_seconds * (self._waiting + 1)))

    def submit(self, fn: Callable[[Job], Any]) -> tuple[Job, asyncio.Future]:
        """Queue ``fn(job)`` for the worker thread; raises QueueFull when no place is left.

        Must be called on the event loop. The future resolves to fn's result or exception (Cancelled
        for a job cancelled while running; None for one cancelled while waiting).
        """
        loop = asyncio.get_running_loop()
        with self._lock:
            # A request counts as waiting until the worker takes it, including while another runs.
            if self._waiting >= self.max_waiting and (self._running or self._waiting):
                raise QueueFull(self._waiting, self.retry_after())
            self._waiting += 1
        job = Job(self, loop)
        with self._lock:
            self._live.add(job)
        try:
            fut = self._pool.submit(self._run, job, fn)
        except RuntimeError:  # pool shut down: the server is stopping
            with self._lock:
                self._waiting -= 1
                self._live.discard(job)
            raise QueueFull(self._waiting, 5) from None
        return job, asyncio.wrap_future(fut, loop=loop)

    def _forget_waiting(self, job: Job) -> None:
        with self._lock:
            if job.state == "waiting":
                job.state = "done"
                self._waiting -= 1
                self._live.discard(job)

    def _run(self, job: Job, fn: Callable[[Job], Any]) -> Any:
        with self._lock:
            if job.state != "waiting":  # cancelled while waiting: its place is already free
                return None
            job.state = "running"
            self._waiting -= 1
            self._running += 1
        t0 = time.perf_counter()
        try:
            return fn(job)
        finally:
            dt = time.perf_counter() - t0
            with self._lock:
                job.state = "done"
                self._running -= 1
                self._live.discard(job)
                self.cancelled_total += int(job.cut_short)
                self._mean_seconds = 0.8 * self._mean_seconds + 0.2 * dt

    def close(self, wait: bool = True) -> None:
        """Stop: cancel every job (a running one ends at its next token) and, by default, wait
        for the worker, so the caller may then free the backends safely."""
        with self._lock:
            live = list(self._live)
        for job in live:
            job.cancel()
        self._pool.shutdown(wait=wait, cancel_futures=True)
