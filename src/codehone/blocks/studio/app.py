"""The studio's HTTP routes: the page, and the copilot behind it.

    GET  /                  the page (static/index.html); /static/... its script, style and scratchblocks
    GET  /health            liveness
    POST /api/chat          {"session", "prompt"}: a new program, or a change to the current one,
                            streamed as NDJSON events (below)
    POST /api/run           {"session", "answers"}: the current program's run for the stage (playback.py)
    POST /api/explain       {"session", "answers"}: what the current program does, in plain words
    GET  /api/sb3?session=  the current program as a Scratch 3 project (download)
    POST /api/open?session= an .sb3's bytes as the body: it becomes the current program
    POST /api/reset         {"session"}: start a new conversation
    /api/next, /api/next/add, /api/tutor   next-block ideas and Teach me (skills.py)

/api/chat streams one JSON object a line:
    {"type": "blocks", "blocks": SCRATCHBLOCKS, "count": N}   each time the streaming parser accepts
                            a block; the text is always a whole program (open C-blocks closed)
    {"type": "done", "program": TEXT, "blocks": ..., "run": PLAYBACK, "message": ...}   the answer
    {"type": "done", "message": ...}   a kind refusal, or the model declined (no program changed)
    {"type": "error", "message": ...}  the model's answer was not a program; the old one stays

Every failure is a message the page can show ({"error": {"message": ...}} with a 4xx status), and
the server keeps running. The model answers one request at a time from the bounded queue of
``codehone serve`` (429 with a friendly message when it is full). The Content-Security-Policy
allows nothing but the studio's own origin (``data:`` images only: scratchblocks draws its icons,
the green flag and the turn arrows, as inline PNGs, which make no request).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from pathlib import Path

from fastapi import FastAPI, Request as HttpRequest
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles

from codehone.backends.base import Backend, GenerationError
from codehone.blocks.lang.nodes import Program
from codehone.blocks.lang.parser import parse
from codehone.blocks.lang.printer import format_program
from codehone.blocks.studio.conversation import check_session_id
from codehone.blocks.studio.copilot import Studio, StudioSettings
from codehone.blocks.studio.playback import play
from codehone.blocks.studio.requests import busy_response, error_response, json_body, prompt_request
from codehone.blocks.studio.scratchblocks import block_count, program_to_scratchblocks
from codehone.blocks.studio.skills import add_skill_routes, guess_next
from codehone.errors import UserError
from codehone.serve.limits import BodyLimit, Limits
from codehone.serve.queue import Cancelled, QueueFull

log = logging.getLogger("codehone.studio")

STATIC = Path(__file__).with_name("static")
MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # an .sb3 of blocks is kilobytes; costumes and sounds rarely reach this
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
WAITING = "The copilot is helping {n} other request{s} first. Your blocks come right after!"
TOO_LARGE = "that file is too large for a Scratch project of blocks: choose another .sb3"


def _answers(body: dict) -> list[str]:
    answers = body.get("answers") or []
    if not isinstance(answers, list) or not all(isinstance(a, str) and len(a) <= 1000 for a in answers):
        raise UserError("answers must be a list of texts (at most 1,000 characters each)")
    return answers[:100]


def create_app(backend: Backend, settings: StudioSettings = StudioSettings()) -> FastAPI:
    """The studio app on ``backend``; the caller closes the backend after the app has stopped."""
    studio = Studio(backend, settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        studio.queue.close(wait=True)

    app = FastAPI(title="codehone studio", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.studio = studio

    @app.exception_handler(UserError)
    async def _user_error(_request: HttpRequest, exc: UserError) -> JSONResponse:
        return error_response(400, str(exc))

    @app.middleware("http")
    async def _headers(request: HttpRequest, call_next):  # noqa: ANN001, ANN202
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    _add_page_routes(app)
    _add_chat_route(app, studio)
    _add_program_routes(app, studio)
    add_skill_routes(app, studio)
    app.add_middleware(BodyLimit, limits=Limits(max_body_bytes=MAX_UPLOAD_BYTES, body_limit_hint=TOO_LARGE))
    return app


def _add_page_routes(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/")
    async def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    @app.get("/health")
    async def health() -> dict:
        return {"status": "ok"}


def _add_chat_route(app: FastAPI, studio: Studio) -> None:
    @app.post("/api/chat")
    async def chat(request: HttpRequest):  # noqa: ANN202
        session, prompt = await prompt_request(request)
        verdict = studio.screen(prompt)
        if verdict.action == "refuse":  # a kind message, not an error: nothing went wrong
            studio.conversations.get(session).turns.append({"prompt": prompt[:200], "message": verdict.message})
            studio.log.write(session, "chat", prompt=prompt[:2000], message=verdict.message)
            return StreamingResponse(iter([json.dumps({"type": "done", "message": verdict.message}) + "\n"]),
                                     media_type="application/x-ndjson")
        asked = verdict.request if verdict.action == "redirect" else prompt
        current = studio.conversations.get(session).program
        try:
            studio.ahead.make_way()  # next-block guesses give way: waiting ones leave, a running one stops
            job, future = studio.queue.submit(lambda job: studio.generate(job, current, asked))
        except QueueFull as e:
            return busy_response(e)
        # requests the model answers before this one (a guess still running is not one: it stops at its next step)
        ahead = studio.queue.running + studio.queue.waiting - 1 - studio.ahead.running()
        return StreamingResponse(_chat_events(studio, request, session, asked, job, future, verdict, ahead),
                                 media_type="application/x-ndjson")


async def _chat_events(studio: Studio, request: HttpRequest, session: str, prompt: str, job, future, verdict,  # noqa: ANN001, ANN201
                       ahead: int = 0):
    """The NDJSON lines of one chat turn: the blocks as they come, then the answer."""
    if ahead > 0:  # the page says why nothing happens yet, instead of looking stuck
        yield json.dumps({"type": "status", "message": WAITING.format(n=ahead, s="s" * (ahead > 1))}) + "\n"
    if verdict.action == "redirect":
        yield json.dumps({"type": "note", "message": verdict.message}) + "\n"
    try:
        while not future.done() or not job.events.empty():
            getter = asyncio.ensure_future(job.events.get())
            done, _ = await asyncio.wait({getter, future}, timeout=1.0, return_when=asyncio.FIRST_COMPLETED)
            if getter in done:
                yield json.dumps(getter.result()) + "\n"
            else:
                getter.cancel()
                if await request.is_disconnected():
                    job.cancel()
                    return
        try:
            result = future.result()
        except GenerationError as e:
            yield json.dumps({"type": "error", "message": f"The model could not answer: {e}"}) + "\n"
            return
        except UserError as e:
            yield json.dumps({"type": "error", "message": str(e)}) + "\n"
            return
        if result is None:  # cancelled while waiting
            return
        last = studio.finish(session, prompt, result)
        if "program" in last:
            guess_next(studio, session)
        if verdict.action == "redirect" and not last.get("message"):
            last["message"] = verdict.message
        yield json.dumps(last) + "\n"
    except Cancelled:
        return
    finally:
        job.cancel()


def _add_program_routes(app: FastAPI, studio: Studio) -> None:
    def current(session: str) -> Program:
        conv = studio.conversations.get(check_session_id(session))
        if conv.program is None:
            raise UserError("there is no program yet: ask for one first, or open an .sb3")
        return parse(conv.program)

    @app.post("/api/run")
    async def run(request: HttpRequest) -> dict:
        body = await json_body(request)
        program = current(body.get("session"))
        return await asyncio.to_thread(play, program, _answers(body))

    @app.post("/api/explain")
    async def explain(request: HttpRequest) -> dict:
        from codehone.blocks.copilot.explain import explain_program

        body = await json_body(request)
        program = current(body.get("session"))
        return {"explanation": await asyncio.to_thread(explain_program, program, _answers(body) or None)}

    @app.get("/api/sb3")
    async def sb3(session: str = "") -> Response:
        from codehone.blocks.sb3.write import program_to_sb3

        data = program_to_sb3(current(session))
        return Response(data, media_type="application/x.scratch.sb3",
                        headers={"Content-Disposition": 'attachment; filename="my-program.sb3"'})

    @app.post("/api/open")
    async def open_sb3(request: HttpRequest, session: str = "") -> dict:
        session = check_session_id(session)
        opened = await asyncio.to_thread(_open, studio, session, await request.body())
        guess_next(studio, session)
        return opened

    @app.post("/api/reset")
    async def reset(request: HttpRequest) -> dict:
        body = await json_body(request)
        studio.conversations.reset(check_session_id(body.get("session")))
        return {"status": "ok"}


def _open(studio: Studio, session: str, data: bytes) -> dict:
    """An uploaded .sb3 becomes the conversation's program: its blocks, its run and its explanation."""
    from codehone.blocks.copilot.explain import explain_program
    from codehone.blocks.safety.check import safe_program
    from codehone.blocks.sb3.read import sb3_to_program
    from codehone.blocks.sb3.validate import Sb3Error

    if not data:
        raise UserError("the file is empty: choose a Scratch 3 project (.sb3)")
    try:
        program = sb3_to_program(data)
    except Sb3Error as e:
        raise UserError(f"I can't open this file: {e}") from None
    safe, verdict = safe_program(program)
    if safe is None:
        raise UserError(verdict.message)
    conv = studio.conversations.get(session)
    conv.program, conv.answers = format_program(safe), []
    conv.turns.append({"opened": True, "program": conv.program})
    return {"program": conv.program, "blocks": program_to_scratchblocks(safe), "count": block_count(safe),
            "run": play(safe), "explanation": explain_program(safe),
            "message": verdict.message if verdict.action == "redirect" else ""}

