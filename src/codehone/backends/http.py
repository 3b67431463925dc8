"""OpenAI-compatible HTTP backend: teachers and remote servers (vLLM, Ollama, llama.cpp, codehone serve).

chat -> POST /v1/chat/completions, complete -> POST /v1/completions, infill -> POST /infill with
llama.cpp's fields (input_prefix, input_suffix), which llama.cpp's server and ``codehone serve``
speak; OpenAI's own API has no infill route, so there infill is a clear error, never a silent
completion that ignores the suffix.

A busy or restarting server is retried: 429, 5xx, timeouts and refused connections get up to
``retries`` more tries with exponential backoff (``Retry-After`` honoured when the server sends
it), then a GenerationError (a UserError) naming the endpoint, what it answered and what to do.
The client is thread-safe, so ``core.concurrent`` can keep several requests in flight.
"""

from __future__ import annotations

import email.utils
import json
import time
from functools import cached_property

import httpx

from codehone.backends.base import Completion, GenerationError, OnText, Request, Result, SamplingParams
from codehone.backends.textstream import TextAssembler
from codehone.core.concurrent import HTTP_DEFAULT

# Worth another try: the server is busy (429), failing for now (5xx) or restarting.
RETRY_STATUS = frozenset({408, 429, 500, 502, 503, 504})
MAX_BACKOFF = 60.0  # seconds; also the most of a Retry-After that is waited


class _Retry(Exception):
    """One failed try that may succeed later; ``message`` is the error if it was the last."""

    def __init__(self, message: str, wait: float | None = None):
        super().__init__(message)
        self.message, self.wait = message, wait


class HttpBackend:
    default_concurrency = HTTP_DEFAULT  # a server batches requests in flight (core.concurrent)

    def __init__(self, url: str, model_name: str | None = None, api_key: str | None = None, timeout: float = 600.0,
                 context_length: int = 32768, retries: int = 5, backoff: float = 1.0):
        self.retries, self.backoff = retries, backoff  # waits backoff, 2x, 4x ... (capped at MAX_BACKOFF)
        self.url = url.rstrip("/")  # ends in /v1
        self.root = self.url[: -len("/v1")] if self.url.endswith("/v1") else self.url
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        # Enough pooled connections for any --concurrency asked of it.
        self._client = httpx.Client(timeout=httpx.Timeout(timeout, connect=10.0), headers=headers,
                                    limits=httpx.Limits(max_connections=None, max_keepalive_connections=64))
        self._model_name = model_name
        self._context_length = context_length

    @property
    def context_length(self) -> int:
        return self._context_length

    vocab = None  # a remote tokenizer is not visible

    @cached_property
    def name(self) -> str:
        if self._model_name:
            return self._model_name
        data = self._request("GET", f"{self.url}/models").json()
        models = data.get("data") or []
        if not models:
            raise GenerationError(f"{self.url}/models lists no models; add ?model=NAME to the endpoint URL")
        return models[0]["id"]

    def count_tokens(self, text: str) -> int:
        # Remote tokenizers are not visible; an estimate is enough for budgeting.
        return max(1, len(text) // 4)

    def _request(self, method: str, url: str, **kw) -> httpx.Response:
        def once() -> httpx.Response:
            try:
                resp = self._client.request(method, url, **kw)
            except httpx.HTTPError as e:
                raise _transport_retry(url, e) from None
            _check_status(url, resp)
            return resp

        return self._with_retries(once)

    def _with_retries(self, once):
        """``once()`` until it succeeds or the tries run out; a _Retry it raises is worth another try."""
        tries = self.retries + 1
        for attempt in range(tries):
            try:
                return once()
            except _Retry as r:
                if attempt == tries - 1:
                    raise GenerationError(f"{r.message} (after {tries} tries)") from None
                delay = min(self.backoff * 2 ** attempt, MAX_BACKOFF)
                time.sleep(min(r.wait, MAX_BACKOFF) if r.wait is not None else delay)

    def _body(self, request: Request, params: SamplingParams, stream: bool) -> tuple[str, dict]:
        request.validate()
        params.validate()
        common = {"max_tokens": params.max_tokens, "temperature": params.temperature, "top_p": params.top_p,
                  "stream": stream}
        if params.seed is not None:
            common["seed"] = params.seed
        if params.stop:
            common["stop"] = list(params.stop)
        if params.grammar:
            # llama.cpp's server reads a GBNF grammar from the request body; a server that ignores
            # unknown fields returns unconstrained text, which callers parse anyway.
            common["grammar"] = params.grammar
        if request.mode == "infill":
            body = {"input_prefix": request.prefix, "input_suffix": request.suffix, "n_predict": params.max_tokens,
                    **{k: v for k, v in common.items() if k != "max_tokens"}}
            if params.n > 1:
                raise GenerationError("infill over HTTP gives one sample per request; use n=1 or a local model")
            if request.layout != "psm":
                # /infill has no per-request layout (llama.cpp's server sets it at start: --spm-infill)
                raise GenerationError("infill layout spm cannot be asked of a remote /infill; start that server "
                                      "with --spm-infill (llama.cpp) and send psm, or use a local model")
            return f"{self.root}/infill", body
        body = {"model": self.name, "n": params.n, **common}
        if params.top_k:
            body["top_k"] = params.top_k
        if request.mode == "chat":
            messages = list(request.messages)
            if messages and messages[-1].get("role") == "assistant":
                # A response prefix (eval's "```python\n") is to be continued, not answered by a new
                # turn: vLLM's extra fields say so; servers that do not know them ignore them.
                body.update(continue_final_message=True, add_generation_prompt=False)
            return f"{self.url}/chat/completions", {**body, "messages": messages}
        return f"{self.url}/completions", {**body, "prompt": request.prompt}

    def generate(self, request: Request, params: SamplingParams, on_text: OnText | None = None) -> Result:
        t0 = time.perf_counter()
        url, body = self._body(request, params, stream=on_text is not None)
        if on_text is not None:
            return self._stream(url, body, request, params, on_text, t0)
        data = self._request("POST", url, json=body).json()
        if request.mode == "infill":  # llama.cpp's /infill answers {"content": ..., "tokens_predicted": ...}
            comp = [Completion(data.get("content", ""), "stop" if data.get("stopped_eos") or data.get("stopped_word") else "length",
                               int(data.get("tokens_predicted", 0)))]
            return Result(comp, int(data.get("tokens_evaluated", 0)), total_seconds=time.perf_counter() - t0, backend="http")
        usage = data.get("usage") or {}
        comps = []
        for ch in sorted(data.get("choices", []), key=lambda c: c.get("index", 0)):
            text = ch["message"]["content"] if request.mode == "chat" else ch.get("text", "")
            comps.append(Completion(text or "", "length" if ch.get("finish_reason") == "length" else "stop", 0))
        if comps:  # servers report usage for all choices together
            per = int(usage.get("completion_tokens", 0)) // len(comps)
            for c in comps:
                c.tokens = per
        return Result(comps, int(usage.get("prompt_tokens", 0)), total_seconds=time.perf_counter() - t0, backend="http")

    def _stream(self, url, body, request: Request, params: SamplingParams, on_text: OnText, t0: float) -> Result:
        texts = [TextAssembler(()) for _ in range(params.n)]
        finish = ["length"] * params.n
        counts = [0] * params.n

        def opened():
            # Retried only until the answer starts: text already shown to on_text cannot be taken back.
            cm = self._client.stream("POST", url, json=body)
            try:
                resp = cm.__enter__()
            except httpx.HTTPError as e:
                raise _transport_retry(url, e) from None
            if resp.status_code >= 400:
                resp.read()
                cm.__exit__(None, None, None)
                _check_status(url, resp)
            return cm, resp

        cm, resp = self._with_retries(opened)
        try:
            for line in resp.iter_lines():
                if not line.startswith("data:"):
                    continue
                payload = line[5:].strip()
                if payload == "[DONE]":
                    break
                chunk = json.loads(payload)
                if request.mode == "infill":
                    pieces = [(0, chunk.get("content", ""), "stop" if chunk.get("stop") else None)]
                else:
                    pieces = [(c.get("index", 0), (c.get("delta") or {}).get("content") or c.get("text") or "",
                               c.get("finish_reason")) for c in chunk.get("choices", [])]
                for i, text, reason in pieces:
                    if text:
                        counts[i] += 1
                        out = texts[i].feed(text.encode("utf-8"))
                        if out:
                            on_text(i, out)
                    if reason:
                        finish[i] = "length" if reason == "length" else "stop"
        except httpx.HTTPError as e:
            raise GenerationError(f"{url} broke off its answer ({type(e).__name__}); check the server and rerun "
                                  "(finished rows are kept)") from None
        finally:
            cm.__exit__(None, None, None)
        comps = []
        for i, asm in enumerate(texts):
            tail = asm.finish()
            if tail:
                on_text(i, tail)
            comps.append(Completion(asm.text, finish[i], counts[i]))
        return Result(comps, 0, total_seconds=time.perf_counter() - t0, backend="http")

    def close(self) -> None:
        self._client.close()


def _error_text(resp: httpx.Response) -> str:
    try:
        err = resp.json().get("error")
        if isinstance(err, dict):
            return str(err.get("message", err))[:300]
        if err:
            return str(err)[:300]
    except (json.JSONDecodeError, AttributeError, ValueError):
        pass
    return resp.text[:300] or resp.reason_phrase


def _check_status(url: str, resp: httpx.Response) -> None:
    """Raise for an error answer: a _Retry when waiting may help, a GenerationError when not."""
    if resp.status_code < 400:
        return
    if resp.status_code in RETRY_STATUS:
        hint = ("the server is busy: lower --concurrency or retry later" if resp.status_code == 429
                else "the server is failing: check its log, or retry later")
        raise _Retry(f"{url} answered {resp.status_code}: {_error_text(resp)}; {hint}", _retry_after(resp))
    if resp.status_code == 404 and url.endswith("/infill"):
        raise GenerationError(f"{url} answered 404: this server has no llama.cpp /infill route (vLLM and OpenAI's API "
                              "have none); fill in the middle with a server that has it (llama.cpp's llama-server, "
                              "codehone serve) or leave infill out (distill --mode sequence: kinds=instruct)")
    raise GenerationError(f"{url} answered {resp.status_code}: {_error_text(resp)}")


def _transport_retry(url: str, e: httpx.HTTPError) -> _Retry:
    if isinstance(e, httpx.ConnectError):
        return _Retry(f"cannot reach {url}: connection refused; start the server or check the URL")
    if isinstance(e, httpx.TimeoutException):
        return _Retry(f"{url} did not answer in time; check the server, lower --concurrency or raise the timeout")
    return _Retry(f"{url} broke the connection ({type(e).__name__}); check the server and rerun (finished rows are kept)")


def _retry_after(resp: httpx.Response) -> float | None:
    """Retry-After in seconds: a number, or an HTTP date; None when absent or unreadable."""
    value = resp.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
