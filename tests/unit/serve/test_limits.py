"""The guards before the queue: body size and time (ASGI, driven by hand), prompt-size checks,
schema bounds, model aliases, and the fuzz generator's own parsing."""

from __future__ import annotations

import asyncio
import json

import pytest
from pydantic import ValidationError

from codehone.backends.base import Request
from codehone.serve import hostile
from codehone.serve.limits import BodyLimit, Limits, PromptCheck, keep_latest_extra, utf8_bound
from codehone.serve.runner import ModelSet
from codehone.serve.schemas import APIError, ChatRequest, CompletionRequest, InfillRequest, LlamaCompletionRequest

# ----- BodyLimit ---------------------------------------------------------------------------


def drive(limits: Limits, headers: list, messages: list, delay_s: float = 0.0):
    """Run BodyLimit over a fake connection; returns (what the app read, what was sent, receive calls)."""
    seen: dict = {"calls": 0}
    sent: list = []

    async def app(scope, receive, send):
        first = await receive()
        seen["body"] = first["body"]
        seen["more_body"] = first["more_body"]
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    async def receive():
        seen["calls"] += 1
        if delay_s:
            await asyncio.sleep(delay_s)
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/v1/completions", "headers": headers}
    asyncio.run(BodyLimit(app, limits)(scope, receive, send))
    return seen, sent


def body(data: bytes, more: bool = False) -> dict:
    return {"type": "http.request", "body": data, "more_body": more}


def test_a_declared_length_over_the_limit_is_413_without_reading():
    seen, sent = drive(Limits(max_body_bytes=1024), [(b"content-length", b"5000")], [body(b"x" * 5000)])
    assert seen["calls"] == 0 and "body" not in seen
    assert sent[0]["status"] == 413 and (b"connection", b"close") in sent[0]["headers"]
    err = json.loads(sent[1]["body"])["error"]
    assert err["code"] == "body_too_large" and "1,024 bytes" in err["message"]


def test_a_streamed_body_is_refused_as_soon_as_it_passes_the_limit():
    parts = [body(b"x" * 600, more=True) for _ in range(10)]
    seen, sent = drive(Limits(max_body_bytes=1024), [(b"transfer-encoding", b"chunked")], parts)
    assert seen["calls"] == 2 and "body" not in seen  # 1,200 bytes read, 4,800 never
    assert sent[0]["status"] == 413


def test_a_body_within_the_limit_reaches_the_app_whole():
    parts = [body(b"ab", more=True), body(b""), ]
    seen, sent = drive(Limits(), [(b"transfer-encoding", b"chunked")], parts)
    assert seen["body"] == b"ab" and seen["more_body"] is False and sent[0]["status"] == 200


def test_a_slow_body_is_408_and_a_vanished_client_gets_nothing():
    seen, sent = drive(Limits(body_timeout_s=0.05), [(b"content-length", b"10")], [body(b"x", more=True)] * 5,
                       delay_s=0.03)
    assert sent[0]["status"] == 408 and "body" not in seen
    seen, sent = drive(Limits(), [(b"content-length", b"10")], [body(b"x", more=True)])  # then http.disconnect
    assert sent == [] and "body" not in seen


def test_limits_refuse_nonsense():
    with pytest.raises(ValueError):
        Limits(max_body_bytes=10)
    with pytest.raises(ValueError):
        Limits(header_timeout_s=0)


# ----- prompt size ---------------------------------------------------------------------------


class FakeBackend:
    context_length = 100

    def __init__(self):
        self.tokenized = 0

    def prompt_tokens(self, request: Request) -> list[int]:
        self.tokenized += 1
        return [0] * len(request.prompt)  # one token per character


def test_prompt_check_tokenizes_only_what_might_not_fit():
    b = FakeBackend()
    check = PromptCheck()
    try:
        asyncio.run(check.check(b, Request.complete("x" * 10), 4))
        assert b.tokenized == 0  # 10 bytes + overhead + 4 is within 100 tokens: fits whatever the tokenizer does
        asyncio.run(check.check(b, Request.complete("x" * 90), 4))
        assert b.tokenized == 1
        with pytest.raises(APIError, match=r"prompt \(99 tokens\) \+ max tokens \(4\) exceeds"):
            asyncio.run(check.check(b, Request.complete("x" * 99), 4))
        with pytest.raises(APIError, match="exceeds the context window") as e:
            asyncio.run(check.check(b, Request.complete("x"), 100, "n_predict"))
        assert e.value.param == "n_predict" and b.tokenized == 2  # max tokens alone: no tokenizing
    finally:
        check.close()


def test_utf8_bound_counts_bytes_and_template_overhead():
    assert utf8_bound(Request.complete("é" * 10)) == 20 + 64
    chat = Request.chat([{"role": "user", "content": "abc"}, {"role": "assistant", "content": "de"}])
    assert utf8_bound(chat) == 3 + 4 + 2 + 9 + 2 * 16 + 64


def test_keep_latest_extra_drops_the_oldest_chunks():
    extra = [("a", "1" * 10), ("b", "2" * 10), ("c", "3" * 10)]
    assert keep_latest_extra(extra, 22) == [("b", "2" * 10), ("c", "3" * 10)]
    assert keep_latest_extra(extra, 5) == []
    assert keep_latest_extra(extra, 1000) == extra


# ----- schemas -------------------------------------------------------------------------------


@pytest.mark.parametrize("model,fields", [
    (CompletionRequest, {"prompt": "\ud800"}),
    (CompletionRequest, {"prompt": ["ok", "a\udfffb"]}),
    (CompletionRequest, {"prompt": "x", "stop": "\ud800"}),
    (ChatRequest, {"messages": [{"role": "user", "content": "\udc00"}]}),
    (InfillRequest, {"input_prefix": "x", "input_extra": [{"filename": "\ud800", "text": "t"}]}),
    (LlamaCompletionRequest, {"prompt": "x", "response_fields": ["\ud800"]}),
])
def test_every_text_field_refuses_lone_surrogates(model, fields):
    with pytest.raises(ValidationError, match="surrogate|unicode"):
        model(**fields)


@pytest.mark.parametrize("fields", [
    {"top_k": 2**70}, {"top_k": 2**31}, {"temperature": float("nan")}, {"temperature": float("inf")},
    {"top_p": float("nan")}, {"n": 17}, {"max_tokens": 2**31}, {"seed": 2**64}, {"seed": -(2**63) - 1},
    {"stop": ["x"] * 17}, {"stop": "x" * 1001}, {"model": "m" * 1025},
])
def test_sampling_values_out_of_range(fields):
    with pytest.raises(ValidationError):
        CompletionRequest(prompt="x", **fields)


def test_llama_bounds_and_valid_extremes():
    with pytest.raises(ValidationError):
        InfillRequest(input_prefix="x", input_extra=[{"text": "t"}] * 129)
    with pytest.raises(ValidationError):
        InfillRequest(input_prefix="x", t_max_predict_ms=2**40)
    with pytest.raises(ValidationError):
        ChatRequest(messages=[{"role": "user", "content": "x"}] * 4097)
    r = CompletionRequest(prompt="x", top_k=2**31 - 1, seed=2**64 - 1, temperature=2, top_p=1e-9)
    assert r.top_k == 2**31 - 1
    assert InfillRequest(input_prefix="😀 é 漢").input_prefix == "😀 é 漢"


# ----- model names ---------------------------------------------------------------------------


def test_model_aliases_resolve_to_the_served_name():
    base, tuned = object(), object()
    models = ModelSet("qwen-q4_k_m", base, {"tuned": tuned}, aliases={"qwen": "qwen-q4_k_m", "tuned": "qwen-q4_k_m",
                                                                      "ghost": "nowhere"})
    assert models.get("qwen") == ("qwen-q4_k_m", base)
    assert models.get("tuned") == ("tuned", tuned)  # a real name wins over an alias
    assert models.names == ["qwen-q4_k_m", "tuned"] and models.aliases == {"qwen": "qwen-q4_k_m"}
    with pytest.raises(APIError, match=r"qwen \(= qwen-q4_k_m\)") as e:
        models.get("ghost")
    assert e.value.status == 404


def test_a_request_naming_no_model_gets_the_default():
    base, tuned = object(), object()
    assert ModelSet("qwen-q4_k_m", base, {"tuned": tuned}).get(None) == ("qwen-q4_k_m", base)
    models = ModelSet("qwen-q4_k_m", base, {"tuned": tuned}, default="tuned")
    assert models.get(None) == ("tuned", tuned) and models.get("") == ("tuned", tuned)
    assert models.get("qwen-q4_k_m") == ("qwen-q4_k_m", base)  # the base is still there by name
    aliased = ModelSet("qwen-q4_k_m", base, {"tuned": tuned}, aliases={"qwen": "qwen-q4_k_m"}, default="qwen")
    assert aliased.get(None) == ("qwen-q4_k_m", base)
    with pytest.raises(ValueError, match="not served"):
        ModelSet("qwen-q4_k_m", base, {"tuned": tuned}, default="other")


# ----- the fuzz generator --------------------------------------------------------------------


def test_fuzz_cases_are_many_deterministic_and_named_once():
    a, b = hostile.cases(seed=0), hostile.cases(seed=0)
    assert len(a) >= 200 and [c.raw for c in a] == [c.raw for c in b]
    assert len({c.name for c in a}) == len(a)
    assert hostile.cases(seed=1)[-1].raw != a[-1].raw  # the random part follows the seed
    surrogate = [c for c in a if c.name.startswith("surrogate")]
    assert len(surrogate) >= 40 and all(c.expect == {400} for c in surrogate)
    assert all(b"\\ud" in c.raw or b"\\ud" in c.raw.lower() for c in surrogate)


def test_fuzz_response_parsing():
    ok = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok"
    assert hostile._complete(ok) and hostile._status(ok) == 200
    assert not hostile._complete(ok[:-1])
    cont = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 413 Payload Too Large\r\ncontent-length: 0\r\n\r\n"
    assert hostile._complete(cont) and hostile._status(cont) == 413
    chunked = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nok\r\n"
    assert not hostile._complete(chunked) and hostile._complete(chunked + b"0\r\n\r\n")
    assert hostile._status(b"") is None and hostile._status(b"garbage") is None


def test_a_chat_template_that_refuses_the_messages_is_a_400():
    from codehone.backends.base import GenerationError
    from codehone.backends.chat import render_chat, split_prefill
    from codehone.serve.app import _as_api_error

    # Qwen's template reads messages[0]; a lone assistant message (a prefill) leaves it no turn to read.
    turns, _prefill = split_prefill([{"role": "assistant", "content": "def f("}])
    with pytest.raises(GenerationError) as refused:
        render_chat("{{ messages[0]['role'] }}{% for m in messages %}{{ m['content'] }}{% endfor %}", turns)
    err = _as_api_error(refused.value)
    assert err.status == 400 and err.param == "messages" and "chat template" in err.message
