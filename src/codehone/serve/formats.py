"""Response bodies and stream chunks, in the shapes the clients already parse.

OpenAI's completion and chat objects (and their ``chunk`` forms for streaming), and llama.cpp's
``/completion`` and ``/infill`` answers (``content``, ``tokens_predicted``, ``stopped_eos``,
``timings``...), which llama.vscode, llama.vim and Continue read field by field.
"""

from __future__ import annotations

import json
import time
import uuid

from codehone.serve.runner import Outcome


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:24]}"


def sse(data: dict | str) -> str:
    return f"data: {data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)}\n\n"


def usage(o: Outcome) -> dict:
    return {"prompt_tokens": o.prompt_tokens, "completion_tokens": o.completion_tokens,
            "total_tokens": o.prompt_tokens + o.completion_tokens,
            "prompt_tokens_details": {"cached_tokens": o.cached_tokens}}


class OpenAIFormat:
    """Bodies for one /v1/completions or /v1/chat/completions request (one id for all its chunks)."""

    def __init__(self, chat: bool, model: str):
        self.chat = chat
        self.model = model
        self.id = new_id("chatcmpl" if chat else "cmpl")
        self.created = int(time.time())

    def _head(self, chunk: bool) -> dict:
        obj = ("chat.completion.chunk" if chunk else "chat.completion") if self.chat else "text_completion"
        head = {"id": self.id, "object": obj, "created": self.created, "model": self.model}
        if self.chat:
            head["system_fingerprint"] = None
        return head

    def _choice(self, i: int, text: str | None, finish: str | None, chunk: bool, role: bool = False) -> dict:
        if not self.chat:
            return {"index": i, "text": text or "", "logprobs": None, "finish_reason": finish}
        if chunk:
            delta = {"role": "assistant", "content": ""} if role else ({"content": text} if text else {})
            return {"index": i, "delta": delta, "logprobs": None, "finish_reason": finish}
        return {"index": i, "message": {"role": "assistant", "content": text}, "logprobs": None, "finish_reason": finish}

    def body(self, o: Outcome) -> dict:
        choices = [self._choice(i, t, f, chunk=False) for i, (t, f) in enumerate(zip(o.texts, o.finish))]
        return {**self._head(False), "choices": choices, "usage": usage(o)}

    def start_chunks(self, n: int) -> list[dict]:
        if not self.chat:
            return []
        return [{**self._head(True), "choices": [self._choice(i, None, None, chunk=True, role=True)]} for i in range(n)]

    def text_chunk(self, i: int, text: str) -> dict:
        return {**self._head(True), "choices": [self._choice(i, text, None, chunk=True)]}

    def end_chunks(self, o: Outcome, include_usage: bool) -> list[dict]:
        out = [{**self._head(True), "choices": [self._choice(i, None, f, chunk=True)]} for i, f in enumerate(o.finish)]
        if include_usage:
            out.append({**self._head(True), "choices": [], "usage": usage(o)})
        return out


def llama_body(model: str, o: Outcome | None, text: str, settings: dict) -> dict:
    """llama.cpp's answer to /completion and /infill; ``o`` is None for a streamed piece."""
    if o is None:
        return {"index": 0, "content": text, "tokens": [], "stop": False, "id_slot": 0}
    finish = o.finish[0]
    stop_type = "eos" if finish == "stop" else "limit"
    decode_s = max(o.seconds - o.prompt_seconds, 1e-9)
    evaluated = o.prompt_tokens - o.cached_tokens  # llama.cpp's prompt_n: what this request computed
    return {
        "index": 0, "content": text, "tokens": [], "id_slot": 0, "stop": True, "model": model,
        "tokens_predicted": o.completion_tokens, "tokens_evaluated": o.prompt_tokens,
        "generation_settings": settings, "prompt": "", "has_new_line": "\n" in text, "truncated": False,
        "stop_type": stop_type, "stopping_word": "", "stopped_eos": finish == "stop", "stopped_word": False,
        "stopped_limit": finish == "length", "tokens_cached": o.cached_tokens, "postprocess_stop": o.stopped_by == "filter",
        "timings": {
            "prompt_n": evaluated, "prompt_ms": o.prompt_seconds * 1000,
            "prompt_per_token_ms": o.prompt_seconds * 1000 / max(evaluated, 1),
            "prompt_per_second": evaluated / o.prompt_seconds if o.prompt_seconds > 0 else 0.0,
            "predicted_n": o.completion_tokens, "predicted_ms": decode_s * 1000,
            "predicted_per_token_ms": decode_s * 1000 / max(o.completion_tokens, 1),
            "predicted_per_second": o.completion_tokens / decode_s,
        },
    }


def pick_fields(body: dict, fields: list[str] | None) -> dict:
    """llama.cpp's ``response_fields``: only the listed paths ("timings/prompt_n"), keyed by path."""
    if not fields:
        return body
    out = {}
    for path in fields:
        node = body
        for part in path.split("/"):
            if not isinstance(node, dict) or part not in node:
                break
            node = node[part]
        else:
            out[path] = node
    return out
