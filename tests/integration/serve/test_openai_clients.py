"""OpenAI's own Python client and codehone's HttpBackend against the real server on loopback."""

from __future__ import annotations

import pytest

from codehone.backends.base import Request, SamplingParams


@pytest.fixture
def client(url):
    from openai import OpenAI

    with OpenAI(base_url=f"{url}/v1", api_key="unused", max_retries=0, timeout=30) as c:
        yield c


@pytest.fixture(scope="module")
def local(tiny_gguf):
    """The same model in-process: what the server says must be what the backend says."""
    from codehone.backends.llamacpp import LlamaCppBackend

    b = LlamaCppBackend(tiny_gguf, n_ctx=1024, name="tiny")
    yield b
    b.close()


def test_models_lists_the_base(client):
    assert [m.id for m in client.models.list().data] == ["tiny-qwen2-f32"]


def test_chat_matches_the_backend_in_process(client, local):
    r = client.chat.completions.create(model="tiny-qwen2-f32", messages=[{"role": "user", "content": "def add"}],
                                       max_tokens=8, temperature=0)
    want = local.generate(Request.chat("def add"), SamplingParams(max_tokens=8))
    assert r.choices[0].message.content == want.text and r.choices[0].message.role == "assistant"
    assert r.choices[0].finish_reason == want.completions[0].finish_reason
    assert (r.usage.prompt_tokens, r.usage.completion_tokens) == (want.prompt_tokens, want.completion_tokens)


def test_chat_stream_read_to_the_end(client, local):
    stream = client.chat.completions.create(model="tiny-qwen2-f32", messages=[{"role": "user", "content": "def add"}],
                                            max_tokens=12, temperature=0, stream=True,
                                            stream_options={"include_usage": True})
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == local.generate(Request.chat("def add"), SamplingParams(max_tokens=12)).text
    assert chunks[0].choices[0].delta.role == "assistant"
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "length"
    assert chunks[-1].usage.completion_tokens == 12 and len({c.id for c in chunks}) == 1


def test_completions_plain_and_streamed(client, local):
    want = local.generate(Request.complete("print(i * i)\n"), SamplingParams(max_tokens=6)).text
    r = client.completions.create(model="tiny-qwen2-f32", prompt="print(i * i)\n", max_tokens=6, temperature=0)
    assert r.choices[0].text == want and r.object == "text_completion"
    parts = list(client.completions.create(model="tiny-qwen2-f32", prompt="print(i * i)\n", max_tokens=6,
                                           temperature=0, stream=True))
    assert "".join(p.choices[0].text for p in parts) == want
    assert parts[-1].choices[0].finish_reason == "length"


def test_completions_with_suffix_is_an_infill(client, local):
    r = client.completions.create(model="tiny-qwen2-f32", prompt="def f(", suffix="):\n    pass\n", max_tokens=6,
                                  temperature=0, extra_body={"postprocess": False})
    want = local.generate(Request.infill("def f(", "):\n    pass\n"), SamplingParams(max_tokens=6))
    assert r.choices[0].text == want.text
    assert r.usage.prompt_tokens == want.prompt_tokens  # the FIM prompt, not the plain one


def test_several_samples(client):
    r = client.completions.create(model="tiny-qwen2-f32", prompt="print(i * i)\n", max_tokens=4, n=3,
                                  temperature=1.0, seed=7)
    assert sorted(c.index for c in r.choices) == [0, 1, 2]


def test_http_backend_speaks_to_the_server(url, local):
    from codehone.backends import load_backend

    remote = load_backend(f"{url}/v1?model=tiny-qwen2-f32")
    try:
        for req in (Request.chat("def add"), Request.complete("print(i * i)\n"), Request.infill("def f(", "):\n")):
            want = local.generate(req, SamplingParams(max_tokens=6))
            got = remote.generate(req, SamplingParams(max_tokens=6))
            streamed: list[str] = []
            got_s = remote.generate(req, SamplingParams(max_tokens=6), on_text=lambda i, t: streamed.append(t))
            assert got.text == got_s.text == "".join(streamed) == want.text, req.mode
            assert got.completions[0].finish_reason == want.completions[0].finish_reason
    finally:
        remote.close()


def test_http_backend_discovers_the_model_name(url):
    from codehone.backends import load_backend

    remote = load_backend(url)
    try:
        assert remote.name == "tiny-qwen2-f32"
    finally:
        remote.close()
