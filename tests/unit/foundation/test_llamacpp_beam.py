"""Beam search in the llama.cpp backend (llamacpp_beam.py), on the tiny GGUF: exact on a grammar with
few answers, greedy at width 1, the prompt cache left as generate leaves it, clear errors."""

import pytest

from codehone.backends.base import GenerationError, Request, SamplingParams

LETTERS = ("q", "x", "z", "j", "k")  # one token each, so each answer has one tokenization to score
WORDS = "root ::= " + " | ".join(f'"{c}"' for c in LETTERS) + "\n"


@pytest.fixture(scope="module")
def backend(tiny_gguf):
    from codehone.backends.llamacpp import LlamaCppBackend

    b = LlamaCppBackend(tiny_gguf, n_ctx=1024, n_seq_max=8)
    yield b
    b.close()


def _exact_logprob(backend, request: Request, answer: str) -> float:
    """log P(answer, then its likeliest stop token | prompt), teacher-forced over the whole sequence
    (a beam ends with whichever stop token is likeliest there)."""
    prompt = backend.prompt_tokens(request)
    best = -float("inf")
    for stop in backend.stop_ids(request.mode):
        _, logp = backend.score_tokens(prompt + backend.tokenize(answer) + [stop])
        best = max(best, float(logp[len(prompt) - 1:].sum()))
    return best


def test_beams_are_the_likeliest_answers_of_the_grammar_in_order(backend):
    """Five answers, width 5: all of them (none is cut at the first step), ranked by their exact
    log-probability with the end of text, which reorders them (the test fails if it does not)."""
    req = Request.complete("my favourite letter is")
    exact = sorted(((_exact_logprob(backend, req, w), w) for w in LETTERS),
                   reverse=True)
    prompt = backend.prompt_tokens(req)
    alone = sorted(LETTERS, key=lambda w: -float(backend.score_tokens(prompt + backend.tokenize(w))[1][-1]))
    r = backend.beam_search(req, SamplingParams(max_tokens=8, grammar=WORDS), 5)
    assert [c.text for c in r.completions] == [w for _, w in exact]
    assert alone != [w for _, w in exact]  # the letters alone rank otherwise: the stop token's share counts
    for c, (lp, _) in zip(r.completions, exact):
        assert c.finish_reason == "stop" and c.logprob == pytest.approx(lp, abs=1e-3)
    assert r.extra["beam"] == 5
    three = backend.beam_search(req, SamplingParams(max_tokens=8, grammar=WORDS), 3)
    assert len(three.completions) == 3


def test_width_one_is_greedy(backend):
    for req, grammar in ((Request.complete("def fib(n):"), None), (Request.infill("x = ", "\n"), None),
                         (Request.complete("colour:"), WORDS)):
        greedy = backend.generate(req, SamplingParams(max_tokens=10, grammar=grammar, logprobs=True)).completions[0]
        beam = backend.beam_search(req, SamplingParams(max_tokens=10, grammar=grammar), 1).completions[0]
        assert (beam.text, beam.finish_reason, beam.tokens) == (greedy.text, greedy.finish_reason, greedy.tokens)
        assert beam.logprob == pytest.approx(greedy.logprob, abs=1e-3)


def test_beams_are_distinct_sorted_and_capped_and_leave_the_cache_sound(backend):
    req = Request.complete("for i in range(")
    before = backend.generate(req, SamplingParams(max_tokens=12)).text
    r = backend.beam_search(req, SamplingParams(max_tokens=6), 4)
    texts = [c.text for c in r.completions]
    assert len(texts) == 4 and len(set(texts)) == 4
    assert [c.logprob for c in r.completions] == sorted((c.logprob for c in r.completions), reverse=True)
    assert all(c.tokens <= 6 for c in r.completions)
    again = backend.beam_search(req, SamplingParams(max_tokens=6), 4)
    assert r.prompt_tokens == again.cached_tokens + 1  # the prompt stayed cached (its last token is always evaluated)
    assert [c.text for c in again.completions] == texts
    assert backend.generate(req, SamplingParams(max_tokens=12)).text == before


def test_bad_beam_requests_are_clear_errors(backend, tiny_gguf):
    from codehone.backends.llamacpp import LlamaCppBackend

    with pytest.raises(GenerationError, match="at least 1"):
        backend.beam_search(Request.complete("def"), SamplingParams(max_tokens=4), 0)
    with pytest.raises(GenerationError, match="no stop strings"):
        backend.beam_search(Request.complete("def"), SamplingParams(max_tokens=4, stop=["\n"]), 2)
    with pytest.raises(GenerationError, match="exceeds the context window"):
        backend.beam_search(Request.complete("def"), SamplingParams(max_tokens=5000), 2)
    small = LlamaCppBackend(tiny_gguf, n_ctx=256, n_seq_max=3)
    try:
        with pytest.raises(GenerationError, match="n_seq_max >= 4"):
            small.beam_search(Request.complete("def"), SamplingParams(max_tokens=4), 3)
    finally:
        small.close()


class Stop(Exception):
    pass


def test_a_check_that_raises_stops_the_beam_and_the_backend_goes_on(backend):
    req, params = Request.complete("def fib(n):\n   "), SamplingParams(max_tokens=12)
    want = [c.text for c in backend.beam_search(req, params, 3).completions]
    calls = []

    def check():
        calls.append(1)
        if len(calls) == 4:  # the prompt's check, then three steps
            raise Stop

    with pytest.raises(Stop):
        backend.beam_search(req, params, 3, check)
    assert len(calls) == 4
    assert [c.text for c in backend.beam_search(req, params, 3).completions] == want  # nothing left behind
