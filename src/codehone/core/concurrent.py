"""Many independent generation requests with N in flight: ``map_concurrent(fn, items, N)``.

The one mechanism behind ``--concurrency``: eval samples, rerank test writing and ``blocks eval``
all map a generate function over independent requests. A server such as vLLM gets its throughput
from many requests in flight, so a remote endpoint gets several at once; threads are enough,
because an HTTP call waits on the network with the GIL released.

Results come back as they complete (not in input order), so callers append each one to their
JSONL as it lands and a crash loses only what was in flight. When a call fails, nothing new is
started, the calls already in flight finish and are yielded (their rows are kept for the resume),
and then the first error is raised.

In-process backends (llama.cpp, transformers) hold one model that is not safe to call from two
threads, so they run one request at a time: ``check_concurrency`` refuses more (and
``refuse_before_loading`` says so before a model loads). vLLM in process is the exception: its
backend gathers the requests in flight into one batch (backends/vllm_engine.py).
"""

from __future__ import annotations

from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Callable, Iterable, Iterator, TypeVar

from codehone.errors import UserError

T = TypeVar("T")
R = TypeVar("R")

# A remote endpoint's default: enough to keep a batching server (vLLM, llama.cpp's --parallel) busy
# without flooding a small one; a backend says it can take more with a ``default_concurrency``.
HTTP_DEFAULT = 8


def default_concurrency(backend) -> int:
    """1 for an in-process model, the backend's own default (8 for HTTP endpoints) otherwise."""
    return int(getattr(backend, "default_concurrency", 1))


def check_concurrency(backend, concurrency: int | None) -> int:
    """The concurrency to use with ``backend``: the default when None; a UserError when the backend
    cannot take that many requests at once."""
    if concurrency is None:
        return default_concurrency(backend)
    if concurrency < 1:
        raise UserError(f"--concurrency must be at least 1, got {concurrency}")
    if concurrency > 1 and default_concurrency(backend) == 1:
        raise UserError(f"--concurrency {concurrency} needs an HTTP endpoint (--model http://HOST:PORT/v1); an "
                        "in-process model generates one request at a time: drop --concurrency or serve the model")
    return concurrency


# Engines that take many requests at once in this process: vLLM batches whatever is in flight.
IN_PROCESS_BATCHING = ("vllm",)


def refuse_before_loading(ref: str | None, concurrency: int | None, engine: str = "auto",
                          option: str = "--concurrency") -> None:
    """The check a command makes before it loads a model (seconds to minutes): more than one request
    in flight needs an HTTP endpoint or a batching engine (``--engine vllm``)."""
    if concurrency is None:
        return
    if concurrency < 1:
        raise UserError(f"{option} must be at least 1, got {concurrency}")
    remote = str(ref).startswith(("http://", "https://"))
    if concurrency > 1 and ref and not remote and engine not in IN_PROCESS_BATCHING:
        raise UserError(f"{option} {concurrency} needs an HTTP endpoint (http://HOST:PORT/v1) or --engine vllm; an "
                        "in-process llama.cpp or transformers model generates one request at a time: drop "
                        f"{option} or serve the model")


def map_concurrent(fn: Callable[[T], R], items: Iterable[T], concurrency: int) -> Iterator[tuple[T, R]]:
    """Yield ``(item, fn(item))`` as each call completes, with at most ``concurrency`` in flight."""
    if concurrency <= 1:  # no threads at all: tracebacks and profiles stay plain
        for item in items:
            yield item, fn(item)
        return
    pending = iter(items)
    error: BaseException | None = None
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="codehone-gen") as pool:
        running: dict[Future, T] = {}

        def top_up() -> None:
            # Submit lazily: a failure then leaves at most `concurrency` calls to finish, not the whole list.
            while error is None and len(running) < concurrency:
                item = next(pending, _END)
                if item is _END:
                    return
                running[pool.submit(fn, item)] = item

        top_up()
        try:
            while running:
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for fut in done:
                    item = running.pop(fut)
                    exc = fut.exception()
                    if exc is not None:
                        error = error or exc
                        continue
                    yield item, fut.result()
                top_up()
        finally:
            # A consumer that stops early (or raised) must not leave queued calls behind.
            for fut in running:
                fut.cancel()
    if error is not None:
        raise error


_END = object()
