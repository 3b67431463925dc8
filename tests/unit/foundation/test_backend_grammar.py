"""Grammar-constrained decoding: llama.cpp follows a GBNF grammar; other backends say what they do."""

import re

import pytest

from codehone.backends.base import GenerationError, Request, SamplingParams

DIGITS = 'root ::= [0-9]{3,10} "."'


@pytest.fixture(scope="module")
def backend(tiny_gguf):
    from codehone.backends.llamacpp import LlamaCppBackend

    b = LlamaCppBackend(tiny_gguf, n_ctx=1024, n_seq_max=8)
    yield b
    b.close()


def test_unconstrained_tiny_model_does_not_write_digits(backend):
    text = backend.generate(Request.chat("count"), SamplingParams(max_tokens=12)).text
    assert not re.fullmatch(r"[0-9]{3,10}\.", text)  # so the tests below show the grammar at work


def test_greedy_output_follows_the_grammar_and_stops_at_its_end(backend):
    r = backend.generate(Request.chat("count"), SamplingParams(max_tokens=30, grammar=DIGITS))
    c = r.completions[0]
    assert re.fullmatch(r"[0-9]{3,10}\.", c.text), c.text
    assert c.finish_reason == "stop"  # the grammar allows nothing after the dot but end-of-text


def test_sampled_batched_output_follows_the_grammar(backend):
    r = backend.generate(Request.chat("count"), SamplingParams(max_tokens=30, grammar=DIGITS, temperature=1.5,
                                                               top_p=0.95, n=6, seed=7))
    assert len(r.completions) == 6
    for c in r.completions:
        assert re.fullmatch(r"[0-9]{3,10}\.", c.text), c.text


def test_grammar_with_prefix_cache_reuse_and_then_without(backend):
    prompt = [{"role": "system", "content": "You write numbers."}, {"role": "user", "content": "one"}]
    first = backend.generate(Request.chat(prompt), SamplingParams(max_tokens=20, grammar=DIGITS)).text
    again = backend.generate(Request.chat(prompt[:1] + [{"role": "user", "content": "one more"}]),
                             SamplingParams(max_tokens=20, grammar=DIGITS)).text
    assert re.fullmatch(r"[0-9]{3,10}\.", first) and re.fullmatch(r"[0-9]{3,10}\.", again)
    # A grammar leaves nothing behind: the next plain request is the same as on a fresh backend.
    plain = backend.generate(Request.chat(prompt), SamplingParams(max_tokens=8)).text
    assert plain == backend.generate(Request.chat(prompt), SamplingParams(max_tokens=8)).text


def test_block_grammar_gives_a_program_even_from_a_random_model(backend):
    from codehone.blocks.lang.grammar import program_grammar
    from codehone.blocks.lang.parser import parse

    g = program_grammar(custom_blocks=False)
    r = backend.generate(Request.chat("draw a square"), SamplingParams(max_tokens=120, grammar=g, temperature=1.0,
                                                                       n=4, seed=3))
    for c in r.completions:
        if c.finish_reason == "stop":
            parse(c.text)  # complete answers are programs
        else:  # cut off: every complete line is still a valid prefix
            from codehone.blocks.lang.stream import StreamParser

            s = StreamParser()
            s.feed(c.text)
            assert s.error is None, (s.error, c.text)


def test_invalid_grammar_is_a_generation_error(backend):
    with pytest.raises(GenerationError, match="not valid GBNF"):
        backend.generate(Request.chat("x"), SamplingParams(max_tokens=4, grammar="root ::= ("))
    with pytest.raises(GenerationError, match="not valid GBNF.*undefined"):
        backend.generate(Request.chat("x"), SamplingParams(max_tokens=4, grammar="root ::= undefined"))
    # The backend is still usable afterwards.
    assert backend.generate(Request.chat("x"), SamplingParams(max_tokens=4, grammar=DIGITS)).completions


def test_transformers_backend_refuses_a_grammar(tiny_model_dir):
    from codehone.backends.transformers import TransformersBackend

    b = TransformersBackend(tiny_model_dir)
    with pytest.raises(GenerationError, match="needs the llama.cpp backend"):
        b.generate(Request.chat("x"), SamplingParams(max_tokens=4, grammar=DIGITS))


def test_http_backend_sends_the_grammar():
    from codehone.backends.http import HttpBackend

    b = HttpBackend("http://127.0.0.1:9/v1", model_name="x")
    _, body = b._body(Request.chat("x"), SamplingParams(max_tokens=4, grammar=DIGITS), stream=False)
    assert body["grammar"] == DIGITS
    _, body = b._body(Request.chat("x"), SamplingParams(max_tokens=4), stream=False)
    assert "grammar" not in body
