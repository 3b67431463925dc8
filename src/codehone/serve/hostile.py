"""Malformed and hostile requests for ``codehone serve``, and a runner that fires them over a socket.

One generator feeds two users: ``benchmarks/bench_serve_fuzz.py`` (the default model, figures for
docs/benchmarks.md) and ``tests/integration/serve/test_hostile.py`` (the tiny model, in seconds).
The cases are deterministic for a seed. Each is raw bytes on a fresh connection with
``Connection: close``, read until the server closes, so HTTP-level garbage (bad request lines,
lying Content-Length, smuggling attempts) is tested the same way as bad JSON.

What a case may answer: ``expect`` is the set of statuses that count as right (``None`` in it: the
server may also close without an answer, as uvicorn does for some broken HTTP). Whatever the case,
a 5xx, or no answer within the timeout, is a failure. Not covered here: slow clients (see
``slow_head`` and the tests), and load (bench_serve_load.py).
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from dataclasses import dataclass, field
from typing import Iterator

ROUTES = ("/v1/completions", "/v1/chat/completions", "/infill", "/completion")
BASE = {
    "/v1/completions": {"prompt": "def f(", "max_tokens": 4, "temperature": 0},
    "/v1/chat/completions": {"messages": [{"role": "user", "content": "hi"}], "max_tokens": 4, "temperature": 0},
    "/infill": {"input_prefix": "def f(", "input_suffix": "\n", "n_predict": 4, "temperature": 0},
    "/completion": {"prompt": "def f(", "n_predict": 4, "temperature": 0},
}
# Where each route takes text, as paths into its body ("messages.0.content").
TEXT_FIELDS = {
    "/v1/completions": ["prompt", "suffix", "stop", "model", "user", "prompt.0"],
    "/v1/chat/completions": ["messages.0.content", "messages.0.content.0.text", "messages.0.content.0.type", "stop",
                             "stop.0", "model", "user"],
    "/infill": ["input_prefix", "input_suffix", "prompt", "input_extra.0.text", "input_extra.0.filename", "stop.0",
                "model", "response_fields.0"],
    "/completion": ["prompt", "stop.0", "model"],
}
SURROGATES = ["\ud800", "\udfff", "a\udc80b", "\ud83d", "x" * 1000 + "\udbff"]
BAD = {400}
REFUSED = {400, 404, 405, 408, 411, 413, 414, 415, 422, 431, None}
OK_OR_BAD = {200, 400}


@dataclass
class Case:
    name: str
    raw: bytes  # the whole request, as sent
    expect: set = field(default_factory=lambda: set(REFUSED))
    # Sent in two parts with a pause between, for bodies that arrive late (kept short: 0 by default).
    pause_after: int = 0


def http(method: str, path: str, body: bytes = b"", headers: dict | None = None, content_length: bool = True,
         version: str = "HTTP/1.1") -> bytes:
    head = {"Host": "127.0.0.1", "Connection": "close", **(headers or {})}
    if content_length and "Content-Length" not in head and "Transfer-Encoding" not in head:
        head["Content-Length"] = str(len(body))
    lines = [f"{method} {path} {version}"] + [f"{k}: {v}" for k, v in head.items() if v is not None]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def post_json(path: str, body, **headers) -> bytes:
    data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=True).encode()
    return http("POST", path, data, {"Content-Type": "application/json", **headers})


def _set(body: dict, path: str, value) -> dict:
    """A deep copy of ``body`` with ``value`` at ``path``, creating lists and dicts on the way."""
    body = json.loads(json.dumps(body))
    node, keys = body, path.split(".")
    for key, nxt in zip(keys, keys[1:] + [None]):
        if isinstance(node, list):
            key = int(key)
            node.extend({} if nxt is not None and not nxt.isdigit() else None for _ in range(key + 1 - len(node)))
        if nxt is None:
            node[key] = value
            break
        child = node[key] if isinstance(node, list) else node.get(key)
        if not isinstance(child, (dict, list)):
            node[key] = child = [] if nxt.isdigit() else {}
        node = child
    return body


def _case(name: str, raw: bytes, expect=REFUSED, pause_after: int = 0) -> Case:
    return Case(name, raw, set(expect), pause_after)


def cases(seed: int = 0) -> list[Case]:
    """Every case, in a fixed order: the groups below one after the other, the random one last."""
    groups = (_encoding_cases(), _number_cases(), _size_cases(), _shape_cases(), _json_cases(), _framing_cases(),
              _http_cases(), _odd_cases(), _random_cases(random.Random(seed)))
    return [case for group in groups for case in group]


def _encoding_cases() -> Iterator[Case]:
    """Lone surrogates in every text field of every route, and the same as raw bytes: 400, never 500."""
    for route, fields in TEXT_FIELDS.items():
        for path in fields:
            for j, s in enumerate(SURROGATES[:3] if path not in ("model", "user") else SURROGATES[:1]):
                if path == "messages.0.content.0.type":
                    body = _set(BASE[route], "messages.0.content", [{"type": s, "text": "hi"}])
                elif path == "messages.0.content.0.text":
                    body = _set(BASE[route], "messages.0.content", [{"type": "text", "text": s}])
                else:
                    body = _set(BASE[route], path, s)
                yield _case(f"surrogate {route} {path} #{j}", post_json(route, body), BAD)
    # The same as raw bytes: CESU-8 surrogates (JSON reads them with surrogatepass) and invalid UTF-8.
    for route in ROUTES:
        key = "messages" if route == "/v1/chat/completions" else ("input_prefix" if route == "/infill" else "prompt")
        for label, junk in (("cesu", b"\xed\xa0\x80"), ("invalid utf-8", b"\xff\xfe\xfd"), ("overlong", b"\xc0\xaf")):
            if key == "messages":
                raw = b'{"messages":[{"role":"user","content":"a' + junk + b'"}]}'
            else:
                raw = b'{"' + key.encode() + b'":"a' + junk + b'"}'
            yield _case(f"bytes {label} {route}", post_json(route, raw), BAD)


def _number_cases() -> Iterator[Case]:
    """Out-of-range and wrongly typed sampling values."""
    numbers = {
        "top_k": [2**70, -1, 2**31, 1.5, "40"],
        "temperature": [float("nan"), float("inf"), -float("inf"), -1, 1e308, "0.5"],
        "top_p": [0, -0.5, 1.5, float("nan")],
        "seed": [2**70, -(2**70), 1.5],
    }
    openai_numbers = {"n": [0, 17, 10**9, True], "max_tokens": [0, -1, 2**63, 2**70, 10**9, 4.0, True, "4"]}
    llama_numbers = {"n_predict": [-2, 2**70, 10**9, "4"], "t_max_predict_ms": [-1, 2**70]}
    for route in ROUTES:
        table = {**numbers, **(openai_numbers if route.startswith("/v1") else llama_numbers)}
        for key, values in table.items():
            for v in values:
                raw = json.dumps(_set(BASE[route], key, v)).encode()  # NaN and Infinity as Python writes them
                yield _case(f"number {route} {key}={v!r}", post_json(route, raw), BAD)


def _size_cases() -> Iterator[Case]:
    """Lengths: prompts past the context, lists past their caps, editor context in bulk."""
    huge = "print(i)\n" * 25_000  # 225k characters
    completions, chat, infill = BASE["/v1/completions"], BASE["/v1/chat/completions"], BASE["/infill"]
    for name, route, body, expect in [
        ("completions prompt 225k chars", "/v1/completions", {"prompt": huge, "max_tokens": 4}, BAD),
        ("chat 225k chars", "/v1/chat/completions", _set(chat, "messages.0.content", huge), BAD),
        ("infill 225k prefix", "/infill", {"input_prefix": huge, "n_predict": 4}, BAD),
        ("completion 225k", "/completion", {"prompt": huge, "n_predict": 4}, BAD),
        ("chat 5000 messages", "/v1/chat/completions",
         {"messages": [{"role": "user", "content": "x"}] * 5000, "max_tokens": 4}, BAD),
        ("chat 3000 messages", "/v1/chat/completions",
         {"messages": [{"role": "user", "content": "x"}] * 3000, "max_tokens": 4}, BAD),
        ("17 stop strings", "/v1/completions", {**completions, "stop": ["x"] * 17}, BAD),
        ("stop string 5000 chars", "/v1/completions", {**completions, "stop": "x" * 5000}, BAD),
        ("input_extra 500 chunks", "/infill",
         {**infill, "input_extra": [{"filename": "a.py", "text": "x = 1\n"}] * 500}, BAD),
        ("input_extra 100 x 60k chars", "/infill", {**infill, "input_extra": [
            {"filename": f"f{i}.py", "text": "y = 2\n" * 10_000} for i in range(100)]}, OK_OR_BAD),
        ("input_extra one 2M-char chunk", "/infill",
         {**infill, "input_extra": [{"filename": "big.py", "text": "z" * 2_000_000}]}, OK_OR_BAD),
        ("response_fields 1000", "/infill", {**infill, "response_fields": ["content"] * 1000}, BAD),
        ("model name 100k", "/v1/completions", {**completions, "model": "m" * 100_000}, BAD),
        ("1000 content parts", "/v1/chat/completions", {"messages": [
            {"role": "user", "content": [{"type": "text", "text": "x"}] * 1000}], "max_tokens": 4}, OK_OR_BAD),
    ]:
        yield _case(f"length {name}", post_json(route, body), expect)


def _shape_cases() -> Iterator[Case]:
    """Shapes: wrong types at every level."""
    for route in ROUTES:
        for label, raw in (("null", b"null"), ("list", b"[]"), ("string", b'"x"'), ("number", b"1"), ("true", b"true"),
                           ("empty object", b"{}")):
            yield _case(f"shape {route} top-level {label}", post_json(route, raw), BAD)
    shapes = [
        ("/v1/chat/completions", "messages", [None, {}, [1], [[]], [{"role": "user"}], [{"content": "x"}],
                                              [{"role": "user", "content": [{"type": "image_url"}]}],
                                              [{"role": "user", "content": {"text": "x"}}], "hi"]),
        ("/v1/completions", "prompt", [[], [[1, 2, 3]], {}, None, 5, [None]]),
        ("/v1/completions", "stop", [5, [1], {"a": 1}]),
        ("/v1/completions", "stream", ["yes", 1]),
        ("/v1/completions", "stream_options", [[], "x"]),
        ("/infill", "input_extra", [{}, [1], [{"text": 5}], "x", [[]]]),
        ("/infill", "input_prefix", [None, 5, ["a"]]),
        ("/completion", "prompt", [None, [1, 2], {}]),
        ("/completion", "stop", ["x", [None]]),
    ]
    for route, key, values in shapes:
        for v in values:
            yield _case(f"shape {route} {key}={json.dumps(v)[:30]}", post_json(route, _set(BASE[route], key, v)), BAD)


def _json_cases() -> Iterator[Case]:
    """JSON that is not JSON, or JSON the parser finds expensive."""
    junk = [b"{", b"}", b'{"prompt": "x",}', b'{"prompt": "x"} trailing', b"\x00\x00\x00", b"{'prompt': 'x'}",
            b"[" * 100_000, b'{"a":' * 50_000, b'{"prompt": "x", "max_tokens": 1' + b"0" * 5000 + b"}",
            b'{"prompt": "x", "max_tokens": 1e999}', b'{"prompt": "\\u12"}', b'{"prompt": "\\ud800\\u0041"}',
            b'\xef\xbb\xbf{"prompt": "x", "max_tokens": 2}', '{"prompt": "x", "max_tokens": 2}'.encode("utf-16"),
            '{"prompt": "x", "max_tokens": 2}'.encode("utf-32"), b'{"prompt": "x", "prompt": ["a", "b"]}']
    for i, raw in enumerate(junk):
        # A BOM, UTF-16/32 and a duplicate key whose last value is valid may be served (200).
        yield _case(f"json junk #{i} {raw[:24]!r}", post_json("/v1/completions", raw), REFUSED | {200})


def _framing_cases() -> Iterator[Case]:
    """Framing: lying or conflicting Content-Length, chunking, content types, big bodies."""
    body = json.dumps(BASE["/v1/completions"]).encode()
    p, js = "/v1/completions", {"Content-Type": "application/json"}
    chunked, fifty_mb = {**js, "Transfer-Encoding": "chunked"}, str(50 * 1024 * 1024)
    for label, raw in [
        ("content-length abc", http("POST", p, body, {**js, "Content-Length": "abc"})),
        ("content-length -1", http("POST", p, body, {**js, "Content-Length": "-1"})),
        ("content-length 2**70", http("POST", p, body, {**js, "Content-Length": str(2**70)})),
        ("content-length 50 MB, 1 KB sent", http("POST", p, b"{" + b" " * 1024, {**js, "Content-Length": fifty_mb})),
        ("content-length 50 MB, expect 100-continue",
         http("POST", p, b"", {**js, "Content-Length": fifty_mb, "Expect": "100-continue"})),
        ("two content-lengths", http("POST", p, body, {**js, "Content-Length": f"{len(body)}, {len(body) + 5}"})),
        ("content-length and chunked", http("POST", p, b"5\r\nhello\r\n0\r\n\r\n", {**js, "Content-Length": "4",
                                                                                   "Transfer-Encoding": "chunked"})),
        ("transfer-encoding gzip", http("POST", p, body, {**js, "Transfer-Encoding": "gzip"})),
        ("chunk size not hex", http("POST", p, b"zz\r\nhello\r\n0\r\n\r\n", chunked)),
        ("chunk size huge", http("POST", p, b"f" * 40 + b"\r\nhello\r\n0\r\n\r\n", chunked)),
        ("chunked 9 MB", http("POST", p, b"".join(b"100000\r\n" + b" " * 0x100000 + b"\r\n" for _ in range(9))
                              + b"0\r\n\r\n", chunked)),
        ("content-type text/plain", http("POST", p, body, {"Content-Type": "text/plain"})),
        ("content-type form", http("POST", p, b"prompt=x", {"Content-Type": "application/x-www-form-urlencoded"})),
        ("content-type multipart", http("POST", p, b"--xx\r\n\r\n", {"Content-Type": "multipart/form-data; boundary=xx"})),
        ("content-type json latin-1", http("POST", p, body, {"Content-Type": "application/json; charset=latin-1"})),
        ("no content-type", http("POST", p, body)),
        ("9 MB declared and sent", http("POST", p, b'{"prompt": "' + b"x" * (9 * 1024 * 1024) + b'"}', js)),
    ]:
        may_serve = label.startswith(("no content-type", "content-type json"))
        yield _case(f"framing {label}", raw, REFUSED | ({200} if may_serve else set()))


# Broken HTTP that uvicorn may still serve (200, or 307 to a canonical path): it reads what it can.
_HTTP_MAY_SERVE = {"absolute uri", "double slash", "query junk", "get with a body", "bad bearer", "http/0.9",
                   "trailing slash", "websocket upgrade", "percent nul path", "percent surrogate path", "url 10 KB",
                   "url 100 KB", "trace", "delete", "300 headers", "asterisk", "obs-fold", "http/9.9", "header 70 KB"}


def _http_cases() -> Iterator[Case]:
    """Broken HTTP: request lines, headers, paths and methods; and two requests in one write."""
    body = json.dumps(BASE["/v1/completions"]).encode()
    for label, raw in [
        ("no host", b"GET /health HTTP/1.1\r\nConnection: close\r\n\r\n"),
        ("garbage method", b"G\x00T /health HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("unknown method", http("BREW", "/health")),
        ("http/9.9", http("GET", "/health", version="HTTP/9.9")),
        ("http/0.9", b"GET /health\r\n\r\n"),
        ("h2 preface", b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
        ("tls hello", bytes.fromhex("16030100a5010000a10303") + bytes(range(64))),
        ("header without colon", b"GET /health HTTP/1.1\r\nHost: x\r\nbroken header\r\nConnection: close\r\n\r\n"),
        ("header 70 KB", http("GET", "/health", headers={"X-Big": "a" * 70_000})),
        ("300 headers", http("GET", "/health", headers={f"X-H{i}": "v" for i in range(300)})),
        ("nul in header", b"GET /health HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\nConnection: close\r\n\r\n"),
        ("obs-fold", b"GET /health HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\nConnection: close\r\n\r\n"),
        ("url 100 KB", http("GET", "/v1/models/" + "a" * 100_000)),
        ("url 10 KB", http("GET", "/v1/models/" + "a" * 10_000)),
        ("percent surrogate path", http("GET", "/v1/models/%ED%A0%80")),
        ("percent nul path", http("GET", "/v1/models/%00")),
        ("dot-dot path", http("GET", "/%2e%2e/%2e%2e/etc/passwd")),
        ("double slash", http("GET", "//health")),
        ("absolute uri", http("GET", "http://example.com/health")),
        ("asterisk", http("OPTIONS", "*")),
        ("connect", http("CONNECT", "example.com:443")),
        ("trace", http("TRACE", "/health")),
        ("put", http("PUT", "/v1/completions", body, {"Content-Type": "application/json"})),
        ("delete", http("DELETE", "/v1/models")),
        ("websocket upgrade", http("GET", "/v1/completions", headers={"Upgrade": "websocket", "Connection": "Upgrade",
                                                                      "Sec-WebSocket-Key": "x", "Sec-WebSocket-Version": "13"})),
        ("query junk", http("GET", "/health?%ff%fe=%ED%A0%80&a=" + "b" * 5000)),
        ("trailing slash", http("POST", "/v1/completions/", body, {"Content-Type": "application/json"})),
        ("get with a body", http("GET", "/health", b"x" * 1000)),
        ("bad bearer", http("GET", "/v1/models", headers={"Authorization": "Bearer \x7f\x01"})),
    ]:
        yield _case(f"http {label}", raw, REFUSED | ({200, 307} if label in _HTTP_MAY_SERVE else set()))
    # Two requests in one write (pipelining): each answered in turn, the second closing.
    two = http("GET", "/health", headers={"Connection": "keep-alive"}) + http("GET", "/health")
    yield _case("http pipelined", two, {200})


def _odd_cases() -> Iterator[Case]:
    """Requests that are odd but valid: served (200), or refused for a clear reason (400)."""
    odd = [
        ("/v1/completions", {"prompt": "x", "max_tokens": 4, "stop": ""}),
        ("/v1/completions", {"prompt": "x", "max_tokens": 4, "stop": ["", "\n"]}),
        ("/v1/completions", {"prompt": "<|im_end|><|fim_prefix|><|endoftext|>", "max_tokens": 4}),
        ("/v1/completions", {"prompt": "a\u0000b", "max_tokens": 4}),
        ("/v1/completions", {"prompt": " \t\n" * 50, "max_tokens": 4}),
        ("/v1/completions", {"prompt": "😀漢字\u0301\u200d\ufeff", "max_tokens": 4}),
        ("/v1/completions", {"prompt": "x", "max_tokens": 4, "top_k": 2**31 - 1, "temperature": 2, "top_p": 1e-9,
                             "seed": 2**64 - 1}),
        ("/v1/completions", {"prompt": "x", "max_tokens": 4, "n": 16, "temperature": 0.5}),
        ("/v1/completions", {"prompt": "x", "suffix": "", "max_tokens": 4}),
        ("/v1/completions", {"prompt": "x", "max_tokens": 4, "stream": True, "stream_options": {"include_usage": 5}}),
        ("/v1/completions", {"prompt": "x", "max_tokens": 4, "unknown_field": {"deep": [1, 2, {"x": None}]}}),
        ("/v1/chat/completions", {"messages": [{"role": "assistant", "content": "prefill"}], "max_tokens": 4}),
        ("/v1/chat/completions", {"messages": [{"role": "system", "content": ""}, {"role": "user", "content": "x"}],
                                  "max_tokens": 4, "stream": True}),
        ("/v1/chat/completions", {"messages": [{"role": "tool", "content": None}, {"role": "user", "content": "x"}],
                                  "max_tokens": 4}),
        ("/v1/chat/completions", {"messages": [{"role": "user", "content": "{{ 7*7 }}{% raw %}"}], "max_tokens": 4}),
        ("/infill", {"input_prefix": "<|fim_suffix|>", "input_suffix": "<|file_sep|>", "n_predict": 4,
                     "input_extra": [{"filename": "<|repo_name|>", "text": "<|fim_middle|>"}]}),
        ("/infill", {"input_prefix": "x", "n_predict": 16, "t_max_predict_ms": 1, "stream": True}),
        ("/infill", {"input_prefix": "x", "n_predict": 4, "seed": -1, "response_fields": ["", "/", "a/b/c", "timings/x"]}),
        ("/infill", {"input_suffix": "only a suffix", "n_predict": 4, "samplers": ["x"], "cache_prompt": "yes"}),
        ("/completion", {"prompt": "x", "n_predict": 4, "stop": ["\n"] * 16, "stream": True}),
    ]
    for i, (route, body) in enumerate(odd):
        yield _case(f"odd #{i} {route}", post_json(route, body), OK_OR_BAD)


def _random_cases(rng: random.Random) -> Iterator[Case]:
    """Random bytes as a request head, and random byte mutations of valid JSON bodies. Each ends
    its head, so the server has all it will get: an incomplete head is the slow cases' business."""
    for i in range(12):
        yield _case(f"random bytes #{i}", bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400))) + b"\r\n\r\n")
    for i in range(24):
        route = rng.choice(ROUTES)
        body = bytearray(json.dumps(BASE[route]).encode())
        for _ in range(rng.randrange(1, 6)):
            body[rng.randrange(len(body))] = rng.randrange(256)
        yield _case(f"mutated #{i} {route}", post_json(route, bytes(body)), REFUSED | {200})


# ----- the runner -------------------------------------------------------------------------------


@dataclass
class Outcome:
    case: Case
    status: int | None  # None: closed without an answer
    seconds: float
    error: str = ""
    hung: bool = False

    @property
    def right(self) -> bool:
        return not self.hung and (self.status is None or self.status < 500) and self.status in self.case.expect


async def send(host: str, port: int, case: Case, timeout_s: float = 10.0) -> Outcome:
    """Send the case on a fresh connection and read until the server closes (or the timeout)."""
    t0 = time.perf_counter()
    data = bytearray()
    error = ""
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout_s)
    except (OSError, asyncio.TimeoutError) as e:
        return Outcome(case, None, time.perf_counter() - t0, f"connect: {type(e).__name__}", hung=True)

    async def write():
        try:
            writer.write(case.raw)
            await writer.drain()  # no half-close: asyncio servers take EOF as the client leaving
        except (OSError, RuntimeError):
            pass  # the server answered early and closed: what we read says how

    async def read():
        # Until the server closes, or, once a whole final response is in, until it goes quiet
        # (a client that asked for keep-alive, e.g. through a mutated Connection header).
        while True:
            try:
                wait = 1.0 if _complete(bytes(data)) else None
                chunk = await asyncio.wait_for(reader.read(65536), wait)
            except asyncio.TimeoutError:
                return
            if not chunk:
                return
            data.extend(chunk)

    hung = False
    writing = asyncio.ensure_future(write())
    try:
        await asyncio.wait_for(read(), timeout_s)
    except asyncio.TimeoutError:
        hung = not _complete(bytes(data))
    except OSError as e:  # reset after a partial answer
        error = f"{type(e).__name__}"
    finally:
        writing.cancel()
        writer.close()
        try:
            await writer.wait_closed()
        except (OSError, RuntimeError):
            pass
    return Outcome(case, _status(bytes(data)), time.perf_counter() - t0, error, hung)


def _complete(data: bytes) -> bool:
    """Whether ``data`` holds at least one whole final (non-1xx) response."""
    while True:
        end = data.find(b"\r\n\r\n")
        if end < 0:
            return False
        head, rest = data[:end].lower(), data[end + 4:]
        interim = head[9:10] == b"1"
        if interim:
            data = rest
            continue
        for line in head.split(b"\r\n"):
            if line.startswith(b"content-length:"):
                try:
                    return len(rest) >= int(line.split(b":", 1)[1])
                except ValueError:
                    return False
        if b"transfer-encoding: chunked" in head:
            return rest.endswith(b"0\r\n\r\n")
        return False  # read until close


def _status(data: bytes) -> int | None:
    """The status of the last final response on the connection (1xx interim answers skipped)."""
    status = None
    for line in data.split(b"\r\n"):
        if line.startswith(b"HTTP/1.") and len(line) >= 12 and line[9:12].isdigit():
            code = int(line[9:12])
            if code >= 200:
                status = code if status is None or code >= 400 else status
    return status


async def fuzz(host: str, port: int, all_cases: list[Case], concurrency: int = 8, timeout_s: float = 10.0,
               health_every_s: float = 0.25) -> dict:
    """Run every case against a live server while polling /health; a summary of what went wrong.

    Cases that must be refused run ``concurrency`` at a time; those that may be served (200 in
    ``expect``) run one at a time afterwards, so each is timed on its own generation rather than
    on the queue of the others' (the server runs one generation at a time, by design).
    """
    sem = asyncio.Semaphore(concurrency)
    health: list[float] = []
    health_failures: list[str] = []
    done = asyncio.Event()

    async def one(case: Case) -> Outcome:
        async with sem:
            return await send(host, port, case, timeout_s)

    async def poll():
        probe = Case("health", http("GET", "/health"), {200})
        while not done.is_set():
            o = await send(host, port, probe, timeout_s=5.0)
            health.append(o.seconds)
            if o.status != 200:
                health_failures.append(f"{o.status} {o.error} after {o.seconds:.2f} s")
            await asyncio.sleep(health_every_s)

    poller = asyncio.ensure_future(poll())
    t0 = time.perf_counter()
    try:
        refused = [c for c in all_cases if 200 not in c.expect]
        served = [c for c in all_cases if 200 in c.expect]
        outcomes = list(await asyncio.gather(*(one(c) for c in refused)))
        for c in served:
            outcomes.append(await send(host, port, c, timeout_s))
    finally:
        done.set()
        await poller
    statuses: dict[str, int] = {}
    for o in outcomes:
        statuses[str(o.status)] = statuses.get(str(o.status), 0) + 1
    return {
        "cases": len(outcomes), "wall_s": round(time.perf_counter() - t0, 2), "statuses": dict(sorted(statuses.items())),
        "server_errors": [f"{o.case.name}: {o.status}" for o in outcomes if o.status is not None and o.status >= 500],
        "hangs": [f"{o.case.name}: no answer in {timeout_s:g} s" for o in outcomes if o.hung],
        "unexpected": [f"{o.case.name}: {o.status} {o.error}".strip() for o in outcomes if not o.right],
        "slowest": sorted(((round(o.seconds, 2), o.case.name) for o in outcomes), reverse=True)[:5],
        "health_checks": len(health), "health_failures": health_failures,
        "health_max_s": round(max(health, default=0.0), 3),
    }


async def slow_head(host: str, port: int, byte_every_s: float, give_up_s: float) -> float | None:
    """A slowloris client: request-head bytes one at a time; seconds until the server closed on it
    (None if it was still open after ``give_up_s``)."""
    reader, writer = await asyncio.open_connection(host, port)
    head = b"POST /v1/completions HTTP/1.1\r\nHost: x\r\n" + b"X-Slow: " + b"a" * 10_000
    t0 = time.perf_counter()
    try:
        for b in head:
            writer.write(bytes([b]))
            await writer.drain()
            try:
                if await asyncio.wait_for(reader.read(1024), byte_every_s) == b"":
                    return time.perf_counter() - t0
            except asyncio.TimeoutError:
                pass
            if time.perf_counter() - t0 > give_up_s:
                return None
    except OSError:
        return time.perf_counter() - t0
    finally:
        writer.close()
    return None
