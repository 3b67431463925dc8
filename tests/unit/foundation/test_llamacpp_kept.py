"""A prompt kept aside (llamacpp_kept.py): served again after another prompt took sequence 0, unchanged."""

import pytest

from codehone.backends.base import Request, SamplingParams

SHARED = "# a header every request shares, like the studio's system card and worked examples\n" * 6


@pytest.fixture
def backend(tiny_gguf):
    from codehone.backends.llamacpp import LlamaCppBackend

    b = LlamaCppBackend(tiny_gguf, n_ctx=1024, n_seq_max=4)
    yield b
    b.close()


def test_a_kept_prompt_comes_back_after_another_kind_of_request(backend, tiny_gguf):
    from codehone.backends.llamacpp import LlamaCppBackend

    greedy, asked = SamplingParams(max_tokens=12), Request.complete(SHARED + "def fib(n):\n    return")
    assert backend.keep_prompt() == 0  # nothing cached yet: nothing kept
    backend.generate(Request.complete(SHARED + "def add(a, b):"), greedy)
    assert backend.keep_prompt() > 0
    backend.generate(Request.infill("x = 1\n", "\ny = 2\n"), greedy)  # another layout takes sequence 0
    shared = len(backend.prompt_tokens(Request.complete(SHARED)))
    r = backend.generate(asked, greedy)
    assert r.cached_tokens >= shared - 1  # the header came back from the kept copy, not a new evaluation
    fresh = LlamaCppBackend(tiny_gguf, n_ctx=1024)
    try:
        assert r.text == fresh.generate(asked, greedy).text  # and it is the same model state
    finally:
        fresh.close()


def test_samples_and_beams_start_from_a_kept_prompt_as_from_a_fresh_one(backend):
    sampled = SamplingParams(max_tokens=8, temperature=5.0, seed=3, n=3)
    before = [c.text for c in backend.generate(Request.complete(SHARED + "for i in"), sampled).completions]
    beams = [c.text for c in backend.beam_search(Request.complete(SHARED + "while"), SamplingParams(max_tokens=6), 2).completions]
    backend.keep_prompt()
    backend.generate(Request.infill("a = 1\n", "\n"), SamplingParams(max_tokens=4))
    assert [c.text for c in backend.generate(Request.complete(SHARED + "for i in"), sampled).completions] == before
    backend.generate(Request.infill("b = 2\n", "\n"), SamplingParams(max_tokens=4))
    assert [c.text for c in backend.beam_search(Request.complete(SHARED + "while"), SamplingParams(max_tokens=6),
                                                2).completions] == beams
