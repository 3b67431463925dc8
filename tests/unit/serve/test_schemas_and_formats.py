"""Request validation and response shapes that clients depend on."""

import pytest
from pydantic import ValidationError

from codehone.serve.formats import OpenAIFormat, llama_body, pick_fields, usage
from codehone.serve.runner import Outcome
from codehone.serve.schemas import ChatRequest, CompletionRequest, InfillRequest


def test_strict_types_and_ranges():
    with pytest.raises(ValidationError):
        CompletionRequest(prompt="x", max_tokens="5")
    with pytest.raises(ValidationError):
        ChatRequest(messages=[{"role": "user", "content": "x"}], top_p=0)
    assert CompletionRequest(prompt="x", temperature=1).temperature == 1.0  # ints are fine where floats go


def test_chat_content_parts_and_developer_role():
    r = ChatRequest(messages=[{"role": "developer", "content": "be brief"},
                              {"role": "user", "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]}])
    assert r.message_dicts() == [{"role": "system", "content": "be brief"}, {"role": "user", "content": "ab"}]
    with pytest.raises(ValueError, match="image_url"):
        ChatRequest(messages=[{"role": "user", "content": [{"type": "image_url"}]}]).message_dicts()
    assert ChatRequest(messages=[{"role": "user", "content": "x"}], max_completion_tokens=9).token_limit(5) == 9


def test_llama_fields_and_unknown_options_ignored():
    r = InfillRequest(input_prefix="a", cache_prompt=True, samplers=["top_k"], seed=-1)
    assert r.seed is None and r.n_predict == -1 and r.temperature == 0.8


def test_openai_shapes():
    o = Outcome(["hi"], ["stop"], 3, 1, 0.1, 0.05)
    fmt = OpenAIFormat(chat=True, model="m")
    body = fmt.body(o)
    assert body["object"] == "chat.completion" and body["choices"][0]["message"] == {"role": "assistant", "content": "hi"}
    assert body["usage"] == {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4,
                             "prompt_tokens_details": {"cached_tokens": 0}}
    assert fmt.start_chunks(1)[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    end = fmt.end_chunks(o, include_usage=True)
    assert end[0]["choices"][0]["finish_reason"] == "stop" and end[-1]["choices"] == [] and end[-1]["usage"]
    assert OpenAIFormat(chat=False, model="m").text_chunk(0, "x")["choices"][0]["text"] == "x"


def test_llama_body_and_response_fields():
    body = llama_body("m", Outcome(["x"], ["length"], 10, 4, 1.0, 0.5), "x", {})
    assert body["stopped_limit"] and not body["stopped_eos"] and body["timings"]["predicted_n"] == 4
    assert pick_fields(body, ["content", "timings/prompt_n"]) == {"content": "x", "timings/prompt_n": 10}
    assert pick_fields(body, None) is body
    reused = llama_body("m", Outcome(["x"], ["stop"], 10, 4, 1.0, 0.5, cached_tokens=7), "x", {})
    assert reused["tokens_cached"] == 7 and reused["timings"]["prompt_n"] == 3 and reused["tokens_evaluated"] == 10
    assert usage(Outcome(["x"], ["stop"], 10, 4, 1.0, 0.5, cached_tokens=7))["prompt_tokens_details"] == {"cached_tokens": 7}
