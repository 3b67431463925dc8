"""Every client mistake is a 4xx with an OpenAI-style body, and the server keeps serving."""

from __future__ import annotations

import httpx
import pytest

from tests.integration.serve.conftest import running_server


def assert_error(r: httpx.Response, status: int, param=None, code=None) -> dict:
    assert r.status_code == status, r.text
    err = r.json()["error"]
    assert set(err) == {"message", "type", "param", "code"} and err["message"]
    if param is not None:
        assert err["param"] == param, err
    if code is not None:
        assert err["code"] == code, err
    return err


CHAT = {"messages": [{"role": "user", "content": "hi"}], "max_tokens": 4}


@pytest.mark.parametrize("route,body,status,param", [
    ("/v1/chat/completions", b"{not json", 400, None),
    ("/v1/chat/completions", b"", 400, None),
    ("/v1/chat/completions", {"messages": "hi"}, 400, "messages"),
    ("/v1/chat/completions", {"messages": []}, 400, "messages"),
    ("/v1/chat/completions", {**CHAT, "max_tokens": "4"}, 400, "max_tokens"),
    ("/v1/chat/completions", {**CHAT, "max_tokens": 0}, 400, "max_tokens"),
    ("/v1/chat/completions", {**CHAT, "temperature": 3}, 400, "temperature"),
    ("/v1/chat/completions", {**CHAT, "messages": [{"role": "wizard", "content": "x"}]}, 400, None),
    ("/v1/chat/completions", {**CHAT, "logprobs": True}, 400, "logprobs"),
    ("/v1/chat/completions", {**CHAT, "n": 2, "temperature": 0}, 400, None),
    ("/v1/completions", {"prompt": "x", "max_tokens": 100000}, 400, "max_tokens"),
    ("/v1/completions", {"prompt": ""}, 400, None),
    ("/v1/completions", {"prompt": ["a", "b"]}, 400, "prompt"),
    ("/v1/completions", {"prompt": "x", "echo": True}, 400, "echo"),
    ("/v1/completions", {"prompt": "x", "frequency_penalty": 0.5}, 400, "frequency_penalty"),
    ("/infill", {"input_prefix": "x", "n_predict": 0}, 400, "n_predict"),
    ("/infill", {"input_prefix": "x", "n_predict": 99999}, 400, "n_predict"),
    ("/infill", {"input_prefix": "", "input_suffix": ""}, 400, None),
    ("/infill", {"input_prefix": "x", "input_extra": [{"filename": 3}]}, 400, "input_extra.0.filename"),
])
def test_bad_requests_are_400_with_an_openai_body(url, route, body, status, param):
    kw = {"content": body, "headers": {"content-type": "application/json"}} if isinstance(body, bytes) else {"json": body}
    assert_error(httpx.post(f"{url}{route}", timeout=30, **kw), status, param)
    assert httpx.get(f"{url}/health").json()["status"] == "ok"


def test_prompt_beyond_the_context(url):
    err = assert_error(httpx.post(f"{url}/v1/completions", json={"prompt": "print(i * i)\n" * 400, "max_tokens": 4}),
                       400, code="context_length_exceeded")
    assert "exceeds the context window" in err["message"]


def test_unknown_model_is_404_listing_the_names(url):
    err = assert_error(httpx.post(f"{url}/v1/chat/completions", json={**CHAT, "model": "gpt-9"}), 404,
                       param="model", code="model_not_found")
    assert "tiny-qwen2-f32" in err["message"]
    assert_error(httpx.get(f"{url}/v1/models/gpt-9"), 404, code="model_not_found")


def test_unknown_route_and_wrong_method(url):
    assert_error(httpx.get(f"{url}/v2/nothing"), 404)
    assert_error(httpx.get(f"{url}/v1/chat/completions"), 405)


def test_streamed_request_that_fails_gets_a_status_not_a_broken_stream(url):
    r = httpx.post(f"{url}/v1/completions", json={"prompt": "x", "max_tokens": 100000, "stream": True})
    assert_error(r, 400, code="context_length_exceeded")


def test_openai_client_raises_the_right_errors(url):
    import openai

    with openai.OpenAI(base_url=f"{url}/v1", api_key="x", max_retries=0) as c:
        with pytest.raises(openai.NotFoundError, match="tiny-qwen2-f32"):
            c.chat.completions.create(model="nope", messages=[{"role": "user", "content": "hi"}])
        with pytest.raises(openai.BadRequestError, match="context window"):
            c.completions.create(model="tiny-qwen2-f32", prompt="x", max_tokens=100000)


@pytest.fixture(scope="module")
def keyed(tiny_gguf):
    with running_server(str(tiny_gguf), api_keys=("s3cret", "other-key")) as (url, _app):
        yield url


def test_api_key_required_on_every_route_but_health(keyed):
    assert httpx.get(f"{keyed}/health").status_code == 200
    assert_error(httpx.get(f"{keyed}/v1/models"), 401, code="invalid_api_key")
    assert_error(httpx.get(f"{keyed}/metrics"), 401, code="invalid_api_key")
    r = httpx.post(f"{keyed}/infill", json={"input_prefix": "x"}, headers={"Authorization": "Bearer wrong"})
    assert_error(r, 401, code="invalid_api_key")
    assert r.headers["www-authenticate"] == "Bearer"
    # A malformed body from a client without a key is refused for the key, not parsed.
    assert_error(httpx.post(f"{keyed}/v1/completions", content=b"{", headers={"content-type": "application/json"}), 401)
    ok = httpx.post(f"{keyed}/infill", json={"input_prefix": "x", "n_predict": 2}, headers={"Authorization": "Bearer s3cret"})
    assert ok.status_code == 200
    assert httpx.get(f"{keyed}/v1/models", headers={"X-Api-Key": "other-key"}).status_code == 200


def test_openai_client_with_and_without_the_key(keyed):
    import openai

    with openai.OpenAI(base_url=f"{keyed}/v1", api_key="s3cret", max_retries=0) as c:
        assert c.chat.completions.create(model="tiny-qwen2-f32", messages=[{"role": "user", "content": "hi"}],
                                         max_tokens=2).choices
    with openai.OpenAI(base_url=f"{keyed}/v1", api_key="nope", max_retries=0) as c:
        with pytest.raises(openai.AuthenticationError):
            c.models.list()


def test_http_backend_passes_the_key(keyed):
    from codehone.backends import load_backend
    from codehone.backends.base import GenerationError, Request, SamplingParams

    good = load_backend(f"{keyed}/v1?model=tiny-qwen2-f32", api_key="s3cret")
    bad = load_backend(f"{keyed}/v1?model=tiny-qwen2-f32")
    try:
        assert good.generate(Request.infill("def f(", "):\n"), SamplingParams(max_tokens=2)).completions
        with pytest.raises(GenerationError, match="401"):
            bad.generate(Request.chat("hi"), SamplingParams(max_tokens=2))
    finally:
        good.close()
        bad.close()
