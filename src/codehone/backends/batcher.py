"""Gather calls made from many threads into one batched call: ``Batcher(run_batch).submit(item)``.

vLLM's offline engine (``vllm.LLM``) gets its throughput from generating many prompts in one
``llm.generate`` call, and it must not be called from two threads at once. ``core.concurrent``
keeps N requests in flight on N threads, each calling ``backend.generate`` for one request; the
vLLM backend hands each to a Batcher, whose one worker thread takes everything waiting (up to
``max_batch``), runs it as one batch, and gives each caller its own result. So ``--concurrency 64``
against ``--engine vllm`` is 64 prompts per engine call, through the same mechanism as 64
requests to a vLLM server.

A batch that raises gives that error to every caller in it; the worker carries on with the next.
"""

from __future__ import annotations

import queue
import threading
from concurrent.futures import Future
from typing import Callable, Generic, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_STOP = object()


class Batcher(Generic[T, R]):
    def __init__(self, run_batch: Callable[[list[T]], Sequence[R]], max_batch: int = 256, gather_s: float = 0.002):
        # gather_s: how long the worker waits for more after the queue runs dry, so callers that
        # submit a moment apart (threads being scheduled) still share a batch.
        self.run_batch, self.max_batch, self.gather_s = run_batch, max_batch, gather_s
        self._queue: queue.Queue = queue.Queue()
        self._worker: threading.Thread | None = None
        self._lock = threading.Lock()
        self.batches: list[int] = []  # size of each batch run, for tests and reports

    def submit(self, item: T) -> R:
        """Run ``item`` in the next batch; blocks until its result is back (or raises its batch's error)."""
        fut: Future = Future()
        with self._lock:
            if self._worker is None:
                self._worker = threading.Thread(target=self._loop, name="codehone-batcher", daemon=True)
                self._worker.start()
            self._queue.put((item, fut))
        return fut.result()

    def close(self) -> None:
        with self._lock:
            worker, self._worker = self._worker, None
            if worker is not None:
                self._queue.put(_STOP)
        if worker is not None:
            worker.join()

    def _loop(self) -> None:
        while True:
            first = self._queue.get()
            if first is _STOP:
                return
            batch, stop = [first], False
            while len(batch) < self.max_batch:
                try:
                    nxt = self._queue.get(timeout=self.gather_s)
                except queue.Empty:
                    break
                if nxt is _STOP:
                    stop = True
                    break
                batch.append(nxt)
            self.batches.append(len(batch))
            try:
                results = list(self.run_batch([item for item, _ in batch]))
                if len(results) != len(batch):
                    raise RuntimeError(f"a batch of {len(batch)} gave {len(results)} results")
            except BaseException as e:  # every caller in the batch hears of it; the worker goes on
                for _, fut in batch:
                    fut.set_exception(e)
            else:
                for (_, fut), r in zip(batch, results):
                    fut.set_result(r)
            if stop:
                return
