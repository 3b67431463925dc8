"""Running one request on the queue: the worker-thread side and the async side that reads it.

The backend's ``generate`` is a blocking call; it runs on the queue's worker thread. Its
``on_text`` callback is where everything per-token happens: the cancel check (client gone),
the editor-style filter (which may decide the suggestion is complete and stop generation early),
and the hand-off of text to the event loop for streaming. A backend whose ``generate`` takes
``check`` (llama.cpp) also gets the cancel check between prompt chunks, where no text flows yet.
Every job ends with exactly one ``("done", Outcome)`` or ``("error", exception)`` event, so the
async side never hangs.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Sequence

from codehone.backends.base import Backend, Request, SamplingParams
from codehone.serve.postprocess import InfillFilter
from codehone.serve.queue import Cancelled, GenerationQueue, Job
from codehone.serve.schemas import APIError


class ModelSet:
    """The served models: the base and one backend per adapter, by the names clients ask for.

    llama.cpp applies a LoRA to a context, not per request, so each adapter is its own backend
    (model + context). The weights are memory-mapped from the same GGUF, so the base's pages are
    shared between them; each context still has its own KV cache (about 12 MB per 1,000 tokens of
    context for the 0.5B model).

    ``aliases`` are other names for a served model, not listed in /v1/models: the name the server
    was started with (``--model qwen2.5-coder-0.5b-instruct`` loads a file whose model is called
    ``qwen2.5-coder-0.5b-instruct-q4_k_m``), so a client configured with what the user typed works.

    ``default`` answers a request that names no model (llama.cpp's ``/infill`` as llama.vscode
    sends it never does): the base unless ``serve --default-model`` names an adapter.
    """

    def __init__(self, base_name: str, base: Backend, adapters: dict[str, Backend] | None = None,
                 aliases: dict[str, str] | None = None, default: str | None = None):
        self.base_name = base_name
        self.backends: dict[str, Backend] = {base_name: base, **(adapters or {})}
        self.aliases = {a: n for a, n in (aliases or {}).items() if a not in self.backends and n in self.backends}
        default = self.aliases.get(default, default) if default else base_name
        if default not in self.backends:
            raise ValueError(f"default model {default!r} is not served; one of {', '.join(self.backends)}")
        self.default = default

    @property
    def names(self) -> list[str]:
        return list(self.backends)

    def get(self, name: str | None) -> tuple[str, Backend]:
        if not name:
            return self.default, self.backends[self.default]
        name = self.aliases.get(name, name)
        if name in self.backends:
            return name, self.backends[name]
        known = ", ".join(self.names + [f"{a} (= {n})" for a, n in self.aliases.items()])
        shown = name if len(name) <= 80 else name[:80] + "..."
        raise APIError(404, f"the model {shown!r} does not exist; this server has: {known}",
                       type="invalid_request_error", param="model", code="model_not_found")

    def close(self) -> None:
        for b in self.backends.values():
            b.close()


class _EarlyStop(Exception):
    """Raised in on_text when the suggestion is complete (filter) or out of time; not an error."""


@dataclass
class Outcome:
    texts: list[str]
    finish: list[str]  # "stop" or "length" per sample
    prompt_tokens: int
    completion_tokens: int
    seconds: float
    prompt_seconds: float
    stopped_by: str = "model"  # model | filter | time
    cached_tokens: int = 0  # prompt tokens reused from the KV cache (llama.cpp's tokens_cached)
    extra: dict = field(default_factory=dict)


Adjust = Callable[[Request, SamplingParams], tuple[Request, SamplingParams]]


def start(queue: GenerationQueue, backend: Backend, request: Request, params: SamplingParams, *,
          filters: Sequence[InfillFilter] | None = None, stream: bool = False,
          time_limit_s: float = 0.0, adjust: Adjust | None = None) -> Job:
    """Queue the generation; raises QueueFull. Read the job's events with ``next_event``.

    ``adjust`` runs first on the worker thread, for prompt work that needs the tokenizer
    (editor context, default token limits) and so should not block the event loop.
    """

    def work(job: Job) -> None:
        nonlocal request, params
        t0 = time.perf_counter()
        raw = [""] * params.n
        first: list[float] = []
        stopped_by = "model"

        def on_text(i: int, text: str) -> None:
            nonlocal stopped_by
            job.check()
            if not first:
                first.append(time.perf_counter())
            raw[i] += text
            out = filters[i].feed(text) if filters else text
            if stream and out:
                job.emit(("text", i, out))
            if filters and all(f.stopped for f in filters):
                stopped_by = "filter"
                raise _EarlyStop()
            if time_limit_s and "\n" in text and time.perf_counter() - t0 > time_limit_s:
                stopped_by = "time"
                raise _EarlyStop()

        try:
            try:
                if adjust is not None:
                    request, params = adjust(request, params)
                job.check()
                # A backend that takes ``check`` calls it between prompt chunks and decode steps, so a
                # client that leaves during a long prompt evaluation frees the worker within a chunk.
                checks = {"check": job.check} if _takes_check(type(backend)) else {}
                result = backend.generate(request, params, on_text=on_text, **checks)
                texts = [c.text for c in result.completions]
                finish = [c.finish_reason for c in result.completions]
                prompt_tokens, completion_tokens = result.prompt_tokens, result.completion_tokens
                prompt_seconds, cached_tokens = result.prompt_seconds, result.cached_tokens
            except _EarlyStop:
                # The backend gave no Result: count what it made. The filter's cut is a natural end.
                texts = raw
                finish = ["stop" if stopped_by == "filter" else "length"] * params.n
                prompt_tokens = _prompt_tokens(backend, request)
                completion_tokens = sum(backend.count_tokens(t) for t in raw if t)
                prompt_seconds = (first[0] if first else time.perf_counter()) - t0
                cached_tokens = getattr(backend, "last_cached_tokens", 0)
            if filters:
                for i, f in enumerate(filters):
                    tail = f.finish()
                    if stream and tail:
                        job.emit(("text", i, tail))
                texts = [f.text for f in filters]
            outcome = Outcome(texts, finish, prompt_tokens, completion_tokens, time.perf_counter() - t0,
                              prompt_seconds, stopped_by, cached_tokens)
            job.emit(("done", outcome))
        except Cancelled:
            job.emit(("error", Cancelled()))
        except BaseException as e:  # noqa: BLE001 - the async side re-raises it in the request
            job.emit(("error", e))

    job, _future = queue.submit(work)
    return job


@lru_cache(maxsize=None)
def _takes_check(cls: type) -> bool:
    try:
        return "check" in inspect.signature(cls.generate).parameters
    except (TypeError, ValueError, AttributeError):
        return False


def _prompt_tokens(backend: Backend, request: Request) -> int:
    tokens = getattr(backend, "prompt_tokens", None)
    if tokens is not None:
        return len(tokens(request))
    text = request.prompt or request.prefix + request.suffix or "".join(str(m.get("content", "")) for m in request.messages)
    return backend.count_tokens(text)


class ClientGone(Exception):
    pass


async def next_event(job: Job, http_request=None, poll_s: float = 0.25) -> tuple:
    """The job's next event; with ``http_request``, cancels the job if the client goes away.

    Used before a response starts. Inside a streaming response, Starlette already cancels the
    generator when the client disconnects, so the stream reads ``job.events`` directly.
    """
    while True:
        if http_request is None:
            return await job.events.get()
        try:
            return await asyncio.wait_for(job.events.get(), timeout=poll_s)
        except asyncio.TimeoutError:
            if await http_request.is_disconnected():
                job.cancel()
                raise ClientGone() from None
