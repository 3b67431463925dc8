"""The worker side on the tiny model: early stop by the filter, editor context, token limits."""

import asyncio

import pytest

from codehone.backends.base import Request, SamplingParams
from codehone.serve import prompts, runner
from codehone.serve.postprocess import InfillFilter
from codehone.serve.queue import GenerationQueue


@pytest.fixture(scope="module")
def backend(tiny_gguf):
    from codehone.backends.llamacpp import LlamaCppBackend

    b = LlamaCppBackend(tiny_gguf, n_ctx=1024)
    yield b
    b.close()


def outcome(backend, request, params, **kw):
    async def main():
        q = GenerationQueue()
        job = runner.start(q, backend, request, params, **kw)
        events = []
        while not events or events[-1][0] not in ("done", "error"):
            events.append(await job.events.get())
        q.close()
        return events

    return asyncio.run(asyncio.wait_for(main(), 30))


def test_filter_stops_generation_early(backend):
    # The tiny model repeats its last token: ")\n)\n)\n..." after "print(i * i)\n". With the cursor
    # on an indented line, the second ")" at column 0 leaves the block: two tokens, not forty.
    req = Request.complete("print(i * i)\n")
    assert backend.generate(req, SamplingParams(max_tokens=40)).text.count(")") == 40
    f = InfillFilter("def f():\n    x = g(", "")
    events = outcome(backend, req, SamplingParams(max_tokens=40), filters=[f], stream=True)
    kind, o = events[-1]
    assert kind == "done" and o.stopped_by == "filter" and o.finish == ["stop"]
    assert o.texts == [")"] and o.completion_tokens <= 3
    assert "".join(e[2] for e in events if e[0] == "text") == ")"


def test_without_filter_the_stream_is_the_backend_text(backend):
    req = Request.complete("print(i * i)\n")
    want = backend.generate(req, SamplingParams(max_tokens=9))
    events = outcome(backend, req, SamplingParams(max_tokens=9), stream=True)
    assert "".join(e[2] for e in events if e[0] == "text") == want.text == events[-1][1].texts[0]
    assert events[-1][1].completion_tokens == 9


def test_errors_arrive_as_events(backend):
    events = outcome(backend, Request.complete("x"), SamplingParams(max_tokens=5000))
    assert events[-1][0] == "error" and "exceeds the context window" in str(events[-1][1])


def test_extra_context_with_repo_tokens(backend):
    req = Request.infill("print(", ")\n")
    out = prompts.with_extra(backend, req, SamplingParams(max_tokens=8), [("a.py", "x = 1"), ("b.py", "y = 2\n")])
    fim = backend.fim
    assert out.mode == "complete"
    assert out.prompt == (fim.repo_header("myproject") + fim.file_header("a.py") + "x = 1\n" + fim.file_header("b.py")
                          + "y = 2\n" + fim.file_header("filename") + fim.psm("print(", ")\n"))


def test_extra_context_that_looks_like_a_sentinel_stays_plain_text(backend):
    req = Request.infill("print(", ")\n")
    out = prompts.with_extra(backend, req, SamplingParams(max_tokens=8), [("a.py", "s = '<|fim_middle|>'\n")])
    assert out.mode == "infill" and "<|fim_middle|>" in out.prefix and out.prefix.endswith("print(")


def test_extra_context_keeps_the_latest_chunks_that_fit(backend):
    req = Request.infill("print(", ")\n")
    chunks = [(f"f{i}.py", "print(i * i)\n" * 60) for i in range(10)]  # far beyond 1,024 tokens
    out = prompts.with_extra(backend, req, SamplingParams(max_tokens=64), chunks)
    assert "f9.py" in out.prompt and "f0.py" not in out.prompt
    assert len(backend.prompt_tokens(out)) + 64 <= backend.context_length


def test_fit_max_tokens_leaves_room_for_the_prompt(backend):
    req = Request.complete("print(i * i)\n" * 150)
    p = prompts.fit_max_tokens(backend, req, SamplingParams(max_tokens=1), 1024)
    assert p.max_tokens == backend.context_length - len(backend.prompt_tokens(req))
    assert prompts.fit_max_tokens(backend, Request.complete("x"), SamplingParams(), 100).max_tokens == 100
