"""What a request may cost the server before it reaches the model: body size, read time, prompt size.

Three guards, each before the generation queue, so a hostile or broken client never holds the one
worker thread or much memory:

- ``BodyLimit`` (ASGI middleware) reads every request body itself, in full, before the app sees
  it: a ``Content-Length`` over the limit is refused with 413 without reading a byte (a 50 MB body
  used to be parsed whole, briefly 1.5 GB of RSS); a chunked body is counted as it arrives and
  refused as soon as it passes the limit; a body that has not arrived within ``body_timeout_s`` is
  a 408. Refusals close the connection, so the rest of an unread body is never read.
- The slow *headers* of a slowloris client are not the app's to see: ``server.py`` closes a
  connection whose request head is not complete within the header timeout.
- ``PromptCheck`` answers "can this prompt fit the context window at all?" before the request
  queues. A prompt whose UTF-8 size (plus template overhead) is within the budget is let through
  without tokenizing: a byte-level BPE token is at least one byte. A longer one is tokenized on a
  small thread pool of its own (never the generation worker, never the event loop), so a
  200k-character prompt gets its 400 while a slow generation runs.

What is not covered here: the worker's own time per request (``--max-queue`` bounds the wait, the
context bounds the work), and a client that reads a streamed response slowly (uvicorn's flow
control pauses the stream; the generation still ends at its token limit and frees the worker).
"""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from codehone.backends.base import Backend, Request
from codehone.serve.schemas import APIError, error_body

TEMPLATE_TOKENS_PER_MESSAGE = 16  # chat template overhead bound per message (ChatML uses 5)
TEMPLATE_TOKENS = 64  # and per prompt (system prompt defaults, FIM sentinels, BOS)


@dataclass(frozen=True)
class Limits:
    max_body_bytes: int = 8 * 1024 * 1024
    header_timeout_s: float = 10.0  # from a request's first byte (or the connection) to the end of its head
    body_timeout_s: float = 30.0  # from the end of the head to the end of the body
    max_extra_chars_per_token: int = 8  # input_extra kept: at most this many characters per context token
    body_limit_hint: str = "codehone serve --max-body-mb"  # what a 413 tells the client to do about it

    def __post_init__(self):
        if self.max_body_bytes < 1024:
            raise ValueError("the body limit must be at least 1 KB")
        if self.header_timeout_s <= 0 or self.body_timeout_s <= 0:
            raise ValueError("timeouts must be positive")


class _Refused(Exception):
    def __init__(self, status: int, message: str, code: str):
        super().__init__(message)
        self.status, self.code = status, code


class BodyLimit:
    """Pure ASGI middleware: read the whole body within the size and time limits, then replay it."""

    def __init__(self, app, limits: Limits):
        self.app = app
        self.limits = limits

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        try:
            body = await self._read(scope, receive)
        except _Refused as e:
            return await _refuse(send, e.status, str(e), e.code)
        except OSError:  # the client went away while sending
            return None
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: only http.disconnect is left to come

        return await self.app(scope, replay, send)

    async def _read(self, scope, receive) -> bytes:
        limit = self.limits.max_body_bytes
        length = _content_length(scope)
        if length is not None and length > limit:
            raise _Refused(413, f"the request body ({length:,} bytes) is over this server's limit of {limit:,} bytes "
                                f"({self.limits.body_limit_hint})", "body_too_large")
        parts: list[bytes] = []
        size = 0
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.limits.body_timeout_s
        while True:
            left = deadline - loop.time()
            try:
                if left <= 0:
                    raise asyncio.TimeoutError
                message = await asyncio.wait_for(receive(), left)
            except asyncio.TimeoutError:
                raise _Refused(408, f"the request body did not arrive within {self.limits.body_timeout_s:g} s",
                               "body_timeout") from None
            if message["type"] == "http.disconnect":
                raise OSError("client disconnected")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise _Refused(413, f"the request body is over this server's limit of {limit:,} bytes "
                                    f"({self.limits.body_limit_hint})", "body_too_large")
            if chunk:
                parts.append(chunk)
            if not message.get("more_body", False):
                return b"".join(parts)


def _content_length(scope) -> int | None:
    for name, value in scope.get("headers") or ():
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the HTTP layer refuses such a request before it gets here
    return None


async def _refuse(send, status: int, message: str, code: str) -> None:
    body = json.dumps(error_body(message, "invalid_request_error", None, code)).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


# ----- prompt size against the context window -------------------------------------------------


def context_error(prompt_tokens: int | None, max_tokens: int, n_ctx: int, param: str) -> APIError:
    what = f"prompt ({prompt_tokens} tokens) + max tokens ({max_tokens})" if prompt_tokens is not None \
        else f"max tokens ({max_tokens})"
    return APIError(400, f"{what} exceeds the context window ({n_ctx} tokens); lower max tokens or shorten the "
                         "prompt", param=param, code="context_length_exceeded")


def utf8_bound(request: Request) -> int:
    """An upper bound on the request's prompt tokens: its UTF-8 bytes plus template overhead."""
    if request.mode == "chat":
        text = sum(_utf8_len(str(m.get("content", ""))) + _utf8_len(str(m.get("role", ""))) for m in request.messages)
        return text + TEMPLATE_TOKENS_PER_MESSAGE * len(request.messages) + TEMPLATE_TOKENS
    if request.mode == "complete":
        return _utf8_len(request.prompt) + TEMPLATE_TOKENS
    return _utf8_len(request.prefix) + _utf8_len(request.suffix) + TEMPLATE_TOKENS


def _utf8_len(text: str) -> int:
    # Characters are 1-4 bytes; len() is exact for ASCII and cheap, encode() only when needed.
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


class PromptCheck:
    """Refuse, before queueing, a request whose prompt cannot fit (see the module doc)."""

    def __init__(self, threads: int = 2):
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="codehone-precheck")

    async def check(self, backend: Backend, request: Request, max_tokens: int, param: str = "max_tokens") -> None:
        """``max_tokens`` is the least the request needs (1 where the server fits the limit itself)."""
        n_ctx = backend.context_length
        if max_tokens >= n_ctx:
            raise context_error(None, max_tokens, n_ctx, param)
        tokens = getattr(backend, "prompt_tokens", None)
        if tokens is None or utf8_bound(request) + max_tokens <= n_ctx:
            return  # remote backends check for themselves; a short prompt always fits
        loop = asyncio.get_running_loop()
        n = len(await loop.run_in_executor(self._pool, tokens, request))
        if n + max_tokens > n_ctx:
            raise context_error(n, max_tokens, n_ctx, param)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def keep_latest_extra(extra: list[tuple[str, str]], max_chars: int) -> list[tuple[str, str]]:
    """The latest input_extra chunks whose text totals at most ``max_chars``; older ones are dropped
    before any tokenizing (the context budget would drop them anyway, after paying for it)."""
    kept: list[tuple[str, str]] = []
    total = 0
    for name, text in reversed(extra):
        total += len(name) + len(text)
        if total > max_chars:
            break
        kept.append((name, text))
    kept.reverse()
    return kept
