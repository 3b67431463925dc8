"""A client that leaves while its prompt is being evaluated frees the worker then, not after.

The tiny model evaluates a prompt in milliseconds, so these tests slow llama.cpp's prompt chunks
down (0.1 s per llama_decode call of more than one token) and use small chunks (n_batch 16): a
600-token prompt then takes about 4 s, of which a cancelled request must use only a few chunks.
"""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from tests.integration.serve.conftest import running_server

PROMPT = "def fib(n):\n    if n < 2:\n        return n\n" * 40  # ~600 tokens of the tiny tokenizer
CHUNK_S = 0.1


@pytest.fixture
def slow_prompt_backend(tiny_gguf):
    from codehone.backends.llamacpp import LlamaCppBackend

    backend = LlamaCppBackend(tiny_gguf, n_ctx=2048, n_batch=16, n_threads=1)
    chunks: list[int] = []
    decode = backend._decode

    def slow_decode(n_tokens: int) -> None:
        if n_tokens > 1:  # a prompt chunk (decode steps of one sequence are one token)
            chunks.append(n_tokens)
            time.sleep(CHUNK_S)
        decode(n_tokens)

    backend._decode = slow_decode
    yield backend, chunks
    backend.close()


def full_speed(backend) -> None:
    del backend._decode  # back to the class's method


def test_the_backend_stops_between_prompt_chunks_and_keeps_what_it_evaluated(slow_prompt_backend):
    from codehone.backends.base import Request, SamplingParams

    backend, chunks = slow_prompt_backend
    request = Request.complete(PROMPT)
    total = len(backend.prompt_tokens(request))
    assert total > 20 * 16
    calls = []

    def check():
        calls.append(1)
        if len(calls) > 3:
            raise KeyboardInterrupt("stop")  # any exception: the server raises its Cancelled

    with pytest.raises(KeyboardInterrupt):
        backend.generate(request, SamplingParams(max_tokens=2), check=check)
    assert len(chunks) == 3
    # The three chunks stay in the cache: the same prompt again evaluates only the rest.
    full_speed(backend)
    result = backend.generate(request, SamplingParams(max_tokens=2))
    assert result.cached_tokens == 3 * 16


def test_a_client_gone_during_prompt_evaluation_frees_the_worker(tiny_gguf, slow_prompt_backend):
    from codehone.backends.base import Request
    from codehone.serve.runner import ModelSet

    backend, chunks = slow_prompt_backend
    with running_server(str(tiny_gguf), models=ModelSet("slow", backend)) as (url, app):
        queue = app.state.queue
        total = len(backend.prompt_tokens(Request.complete(PROMPT)))
        full_s = total / 16 * CHUNK_S
        assert full_s > 3

        def leave_early():
            with pytest.raises(httpx.ReadTimeout):
                httpx.post(f"{url}/v1/completions", json={"prompt": PROMPT, "max_tokens": 4}, timeout=0.6)

        t = threading.Thread(target=leave_early)
        t.start()
        t.join(10)
        left = time.monotonic()
        while queue.running and time.monotonic() - left < full_s:
            time.sleep(0.02)
        freed_after = time.monotonic() - left
        assert queue.running == 0 and freed_after < 1.0, freed_after  # the whole prompt would take > 3 s
        assert len(chunks) < total / 16 / 2, chunks
        assert queue.cancelled_total == 1
        # The worker takes the next request at once (and reuses the chunks already evaluated).
        full_speed(backend)
        r = httpx.post(f"{url}/v1/completions", json={"prompt": PROMPT, "max_tokens": 2}, timeout=30)
        assert r.status_code == 200 and r.json()["usage"]["prompt_tokens_details"]["cached_tokens"] > 0
