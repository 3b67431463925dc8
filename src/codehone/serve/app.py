"""The HTTP routes of ``codehone serve``: OpenAI-compatible and llama.cpp-compatible.

    GET  /health                 liveness (no key needed)
    GET  /metrics                Prometheus text format
    GET  /v1/models              the base model and its adapters; a request's "model" picks one
    POST /v1/completions         OpenAI completions; with "suffix" it is an infill (post-processed)
    POST /v1/chat/completions    OpenAI chat
    POST /infill                 llama.cpp infill (llama.vscode, llama.vim, Continue), post-processed
    POST /completion             llama.cpp raw completion

Every POST route streams with ``"stream": true`` (server-sent events ending in ``data: [DONE]``).
Every failure is an OpenAI-style body ``{"error": {"message", "type", "param", "code"}}`` with a
4xx status for the client's mistakes (429 with Retry-After when the queue is full), so a bad
request never takes the server down.

A streamed response only starts once the generation has produced its first event: a request that
fails before any text (prompt too long, model without FIM tokens) gets a proper status and error
body, not a 200 followed by an error chunk.

Hostile clients (see limits.py and server.py): every body is read in full within a size and time
limit before any route sees it (413, 408); every field is checked by its schema, and the prompt
against the context window, before the request queues for the model (400), so a refusal never
waits behind a generation; a client that leaves frees the worker within one prompt chunk.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import logging
import re
from typing import Callable

from fastapi import FastAPI, Request as HttpRequest
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, StreamingResponse
from starlette.exceptions import HTTPException

from codehone.backends.base import Request, SamplingParams
from codehone.backends.chat import ChatTemplateError
from codehone.errors import UserError
from codehone.serve import formats, prompts, runner
from codehone.serve.limits import BodyLimit, Limits, PromptCheck, keep_latest_extra
from codehone.serve.metrics import Metrics, MetricsMiddleware
from codehone.serve.postprocess import InfillFilter
from codehone.serve.queue import Cancelled, GenerationQueue, QueueFull
from codehone.serve.schemas import (APIError, ChatRequest, CompletionRequest, InfillRequest, LlamaCompletionRequest,
                                    error_body)

log = logging.getLogger("codehone.serve")

PUBLIC = {"/health", "/v1/health"}
ROUTES = PUBLIC | {"/metrics", "/v1/models", "/v1/completions", "/v1/chat/completions", "/infill", "/completion"}
CHAT_DEFAULT_TOKENS = 1024  # when a chat request sets no limit (capped by what the context has left)
INFILL_DEFAULT_TOKENS = 256  # llama.cpp's n_predict = -1


def create_app(models: runner.ModelSet, *, api_keys: tuple[str, ...] = (), max_queue: int = 16,
               postprocess: bool = True, fim_layout: str = "psm", limits: Limits = Limits()) -> FastAPI:
    queue = GenerationQueue(max_queue)
    metrics = Metrics(ROUTES)
    precheck = PromptCheck()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        precheck.close()
        queue.close(wait=True)  # the caller may free the backends once the app has stopped

    app = FastAPI(title="codehone", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.queue, app.state.metrics, app.state.models = queue, metrics, models
    _add_error_handlers(app)
    _add_plain_routes(app, models, queue, metrics)
    gen = _Generation(models, queue, metrics, precheck)
    _add_openai_routes(app, gen, postprocess, fim_layout)
    _add_llama_routes(app, gen, postprocess, fim_layout, limits)
    # Outermost first: metrics (counts refusals too), then the key (before reading any body), then the body limits.
    app.add_middleware(BodyLimit, limits=limits)
    app.add_middleware(_AuthMiddleware, keys=tuple(api_keys))
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    return app


# ----- routes ---------------------------------------------------------------------------------


def _add_plain_routes(app: FastAPI, models: runner.ModelSet, queue: GenerationQueue, metrics: Metrics) -> None:
    @app.get("/health")
    @app.get("/v1/health")
    async def health():
        return {"status": "ok", "models": models.names, "waiting": queue.waiting, "running": queue.running}

    @app.get("/metrics")
    async def metrics_route():
        return PlainTextResponse(metrics.render(queue.waiting, queue.running, queue.cancelled_total),
                                 media_type="text/plain; version=0.0.4; charset=utf-8")

    @app.get("/v1/models")
    async def list_models():
        return {"object": "list", "data": [_model_card(n, models.base_name) for n in models.names]}

    @app.get("/v1/models/{name:path}")
    async def get_model(name: str):
        models.get(name)
        return _model_card(name, models.base_name)


def _add_openai_routes(app: FastAPI, gen: _Generation, postprocess: bool, fim_layout: str) -> None:
    @app.post("/v1/completions")
    async def completions(body: CompletionRequest, http: HttpRequest):
        try:
            prompt = body.prompt_text()
        except ValueError as e:
            raise APIError(400, str(e), param="prompt") from None
        params = _params(body, body.max_tokens, body.stop_list())
        if body.suffix is None:
            return await gen.openai_route(http, body, Request.complete(prompt), params, chat=False)
        request = Request.infill(prompt, body.suffix, fim_layout)
        filters = _filters(request, params.n, postprocess if body.postprocess is None else body.postprocess)
        return await gen.openai_route(http, body, request, params, chat=False, filters=filters)

    @app.post("/v1/chat/completions")
    async def chat_completions(body: ChatRequest, http: HttpRequest):
        try:
            request = Request.chat(body.message_dicts())
        except ValueError as e:
            raise APIError(400, str(e), param="messages") from None
        params = _params(body, body.token_limit(CHAT_DEFAULT_TOKENS), body.stop_list())
        adjust = None
        if body.max_tokens is None and body.max_completion_tokens is None:
            adjust = lambda r, p: (  # noqa: E731
                r, prompts.fit_max_tokens(gen.models.get(body.model)[1], r, p, CHAT_DEFAULT_TOKENS))
        return await gen.openai_route(http, body, request, params, chat=True, adjust=adjust,
                                      need_tokens=1 if adjust else None)


def _add_llama_routes(app: FastAPI, gen: _Generation, postprocess: bool, fim_layout: str, limits: Limits) -> None:
    @app.post("/infill")
    async def infill(body: InfillRequest, http: HttpRequest):
        request = Request.infill(body.input_prefix + body.prompt, body.input_suffix, fim_layout)
        filters = _filters(request, 1, postprocess if body.postprocess is None else body.postprocess)
        extra = [(c.filename, c.text) for c in body.input_extra if c.text]
        if extra:  # bounded before the queue: older chunks beyond the cap would not fit the context anyway
            n_ctx = gen.models.get(body.model)[1].context_length
            extra = keep_latest_extra(extra, limits.max_extra_chars_per_token * n_ctx)
        return await gen.llama_route(http, body, request, filters=filters, extra=extra)

    @app.post("/completion")
    async def completion(body: LlamaCompletionRequest, http: HttpRequest):
        return await gen.llama_route(http, body, Request.complete(body.prompt))


# ----- generation -----------------------------------------------------------------------------


class _Generation:
    """What every generating route does: check, queue, answer whole or streamed, count."""

    def __init__(self, models: runner.ModelSet, queue: GenerationQueue, metrics: Metrics, precheck: PromptCheck):
        self.models, self.queue, self.metrics, self.precheck = models, queue, metrics, precheck

    async def run(self, http: HttpRequest, model: str, request: Request, params: SamplingParams, *, stream: bool,
                  filters=None, adjust=None, time_limit_s: float = 0.0, need_tokens: int | None = None,
                  tokens_param: str = "max_tokens"):
        """Validate, check the prompt fits, queue, and wait for the first event (see the module doc).

        ``need_tokens``: the least the completion needs, where the server fits the limit itself.
        """
        try:
            request.validate()
            params.validate()
        except UserError as e:
            raise _user_error(e, tokens_param) from None
        name, backend = self.models.get(model)
        try:
            if request.mode == "infill":
                getattr(backend, "fim", None)  # a model without FIM tokens is a 400 now, not after the queue
            await self.precheck.check(backend, request, params.max_tokens if need_tokens is None else need_tokens,
                                      tokens_param)
        except UserError as e:
            raise _user_error(e, tokens_param) from None
        job = runner.start(self.queue, backend, request, params, filters=filters, stream=stream, adjust=adjust,
                           time_limit_s=time_limit_s)
        first = await runner.next_event(job, http)
        if first[0] == "error":
            raise first[1]
        return name, job, first

    def finished(self, name: str, o: runner.Outcome) -> None:
        self.metrics.observe_generation(name, o.prompt_tokens, o.completion_tokens, o.stopped_by == "filter")

    async def openai_route(self, http, body, request: Request, params: SamplingParams, chat: bool, filters=None,
                           adjust=None, need_tokens=None):
        name, job, first = await self.run(http, body.model, request, params, stream=body.stream, filters=filters,
                                          adjust=adjust, need_tokens=need_tokens)
        fmt = formats.OpenAIFormat(chat, name)
        if not body.stream:
            outcome = await _until_done(job, first, http)
            self.finished(name, outcome)
            return fmt.body(outcome)

        def done(o):
            self.finished(name, o)
            return fmt.end_chunks(o, body.include_usage)

        return _sse_response(_stream_events(job, first, fmt.text_chunk, done, fmt.start_chunks(params.n)))

    async def llama_route(self, http, body, request: Request, filters=None, extra=()):
        limit = INFILL_DEFAULT_TOKENS if body.n_predict < 0 else body.n_predict
        params = SamplingParams(max_tokens=max(limit, 1), temperature=body.temperature, top_p=body.top_p,
                                top_k=body.top_k, seed=body.seed, stop=list(body.stop))
        if body.n_predict == 0:
            raise APIError(400, "n_predict must be -1 (until the model stops) or at least 1", param="n_predict")
        _, backend = self.models.get(body.model)

        def adjust(r: Request, p: SamplingParams):
            if body.n_predict < 0:
                p = prompts.fit_max_tokens(backend, r, p, INFILL_DEFAULT_TOKENS)
            return prompts.with_extra(backend, r, p, extra) if extra else r, p

        try:
            name, job, first = await self.run(http, body.model, request, params, stream=body.stream, filters=filters,
                                              adjust=adjust, time_limit_s=body.t_max_predict_ms / 1000,
                                              need_tokens=1 if body.n_predict < 0 else None, tokens_param="n_predict")
        except UserError as e:
            raise _user_error(e, tokens_param="n_predict") from None
        settings = {"n_predict": body.n_predict, "temperature": body.temperature, "top_k": body.top_k,
                    "top_p": body.top_p, "seed": body.seed, "stop": body.stop, "n_ctx": backend.context_length}
        if not body.stream:
            o = await _until_done(job, first, http)
            self.finished(name, o)
            return formats.pick_fields(formats.llama_body(name, o, o.texts[0], settings), body.response_fields)

        def done(o):
            self.finished(name, o)
            return [formats.pick_fields(formats.llama_body(name, o, "", settings), body.response_fields)]

        return _sse_response(_stream_events(job, first, lambda i, t: formats.llama_body(name, None, t, {}), done))


async def _stream_events(job, first, on_text: Callable, on_done: Callable, start: list[dict] = ()):
    """SSE body: start chunks, text chunks, end chunks, [DONE]; cancels the job if cut short."""
    try:
        for chunk in start:
            yield formats.sse(chunk)
        event = first
        while True:
            if event[0] == "text":
                yield formats.sse(on_text(event[1], event[2]))
            elif event[0] == "done":
                for chunk in on_done(event[1]):
                    yield formats.sse(chunk)
                break
            else:
                err = _as_api_error(event[1])
                yield formats.sse(err.body())
                break
            event = await job.events.get()
        yield formats.sse("[DONE]")
    finally:
        job.cancel()  # client gone mid-stream: stop at the next token and free the slot


def _sse_response(body) -> StreamingResponse:
    return StreamingResponse(body, media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


# ----- helpers --------------------------------------------------------------------------------


def _model_card(name: str, base: str) -> dict:
    return {"id": name, "object": "model", "created": 0, "owned_by": "codehone",
            "parent": None if name == base else base}


def _params(body, max_tokens: int, stop: list[str]) -> SamplingParams:
    return SamplingParams(max_tokens=max_tokens, temperature=body.temperature, top_p=body.top_p, top_k=body.top_k,
                          seed=body.seed, stop=stop, n=body.n)


def _filters(request: Request, n: int, enabled: bool):
    return [InfillFilter(request.prefix, request.suffix) for _ in range(n)] if enabled else None


async def _until_done(job, first, http) -> runner.Outcome:
    event = first
    while event[0] != "done":
        if event[0] == "error":
            raise event[1]
        event = await runner.next_event(job, http)
    return event[1]


def _user_error(e: UserError, tokens_param: str = "max_tokens") -> APIError:
    msg = str(e)
    if "exceeds the context window" in msg:
        return APIError(400, msg, param=tokens_param, code="context_length_exceeded")
    if isinstance(e, ChatTemplateError):  # the model's own chat template refused these messages
        return APIError(400, msg, param="messages", code="invalid_value")
    if type(e).__name__ == "NoFimError":
        return APIError(400, msg, param="suffix", code="infill_not_supported")
    return APIError(400, msg)


def _as_api_error(e: BaseException) -> APIError:
    if isinstance(e, APIError):
        return e
    if isinstance(e, UserError):
        return _user_error(e)
    if isinstance(e, QueueFull):
        return APIError(429, str(e), type="rate_limit_error", code="queue_full",
                        headers={"Retry-After": str(e.retry_after)})
    if isinstance(e, (Cancelled, runner.ClientGone)):
        return APIError(499, "the request was cancelled", type="cancelled", code="cancelled")
    log.error("generation failed", exc_info=e)
    return APIError(500, f"internal error: {type(e).__name__}: {e}", type="server_error")


def _json_error(e: APIError) -> JSONResponse:
    return JSONResponse(e.body(), status_code=e.status, headers=e.headers)


_TYPE_TAG = re.compile(r"[\[\]()]|^(str|int|float|bool|list|dict|none)$")


def _add_error_handlers(app: FastAPI) -> None:
    async def api_error(_req, exc):
        return _json_error(_as_api_error(exc))

    for exc_type in (APIError, UserError, QueueFull, Cancelled, runner.ClientGone, Exception):
        app.add_exception_handler(exc_type, api_error)

    @app.exception_handler(RequestValidationError)
    async def bad_body(_req, exc: RequestValidationError):
        def where(e: dict) -> list[str]:
            # Union members and validators appear in the location ("prompt", "function-after[...]"): not fields.
            return [str(x) for x in e.get("loc", ()) if x != "body" and not _TYPE_TAG.search(str(x))]

        # Of a union's errors, the deepest is from the member the value was meant to be (a list of parts
        # with a bad part, rather than "not a string").
        errors = exc.errors()
        err = max(errors, key=lambda e: len(where(e))) if errors else {}
        loc = where(err)
        if err.get("type") == "string_unicode":
            detail = "contains a lone surrogate (U+D800-U+DFFF), which is not valid Unicode; send text as UTF-8"
        else:
            detail = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
        if err.get("type") == "json_invalid":
            msg, param = "the body is not valid JSON", None
        elif err.get("type") == "missing" and not loc:
            msg, param = "the request needs a JSON body", None
        else:
            param = ".".join(loc) or None
            msg = f"{param}: {detail}" if param else detail
        return _json_error(APIError(400, msg, param=param, code="invalid_value"))

    @app.exception_handler(HTTPException)
    async def http_error(_req, exc: HTTPException):
        kind = "not_found_error" if exc.status_code == 404 else "invalid_request_error"
        return _json_error(APIError(exc.status_code, str(exc.detail), type=kind, headers=exc.headers))


class _AuthMiddleware:
    """Bearer keys (or llama.cpp's X-Api-Key) on every route but /health; compared in constant time."""

    def __init__(self, app, keys: tuple[str, ...]):
        self.app = app
        self.keys = [k.encode() for k in keys if k]

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not self.keys or scope["path"] in PUBLIC:
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        auth = headers.get(b"authorization", b"")
        token = auth[7:].strip() if auth[:7].lower() == b"bearer " else headers.get(b"x-api-key", b"").strip()
        if any(hmac.compare_digest(token, k) for k in self.keys):
            return await self.app(scope, receive, send)
        msg = "missing API key: send 'Authorization: Bearer KEY'" if not token else "wrong API key"
        body = json.dumps(error_body(msg, "authentication_error", None, "invalid_api_key")).encode()
        await send({"type": "http.response.start", "status": 401,
                    "headers": [(b"content-type", b"application/json"), (b"www-authenticate", b"Bearer"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
