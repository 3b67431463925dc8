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
    POST /api/tutor         {"session", "prompt"}: the Teach skill: steps of a few blocks, each one runnable
    POST /api/next          {"session"}: up to 3 next blocks for the end of the program, shown as ghost blocks
    POST /api/next/add      {"session", "index"}: the program with that suggestion added

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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request as HttpRequest
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles

from codehone.backends.base import Backend, GenerationError
from codehone.blocks.lang.nodes import Program, Script, walk
from codehone.blocks.lang.parser import parse
from codehone.blocks.lang.printer import format_program
from codehone.blocks.lang.stream import StreamParser
from codehone.blocks.studio.conversation import Conversations, PromptLog, check_session_id
from codehone.blocks.studio.playback import play
from codehone.blocks.studio.scratchblocks import program_to_scratchblocks
from codehone.errors import UserError
from codehone.serve.limits import BodyLimit, Limits
from codehone.serve.queue import Cancelled, GenerationQueue, QueueFull

log = logging.getLogger("codehone.studio")

STATIC = Path(__file__).with_name("static")
MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # an .sb3 of blocks is kilobytes; costumes and sounds rarely reach this
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
TOO_LARGE = "that file is too large for a Scratch project of blocks: choose another .sb3"
BUSY = "The copilot is busy helping someone else. Try again in about {s} seconds!"


@dataclass(frozen=True)
class StudioSettings:
    safety: str = "standard"  # --safety: how requests and programs are screened (codehone.blocks.safety)
    max_tokens: int = 320
    shots: int = 3
    grammar: bool = True
    max_waiting: int = 4  # requests waiting for the model; more get the busy message
    samples: int = 1  # --samples: new programs chosen by behaviour vote of N (not streamed then)
    log_dir: Path | None = None  # --log: prompts are written only when this is set


def _error(status: int, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": {"message": message}}, status_code=status, headers=headers)


def block_count(program: Program) -> int:
    """Blocks on screen: hats and define headers, stack blocks and the reporters inside them."""
    return sum(int(not isinstance(s, Script) or s.hat is not None) + sum(1 for _ in walk(s.body))
               for sp in program.sprites for s in sp.scripts)


class Studio:
    """The copilot behind the page: one backend, one queue, the tabs' conversations."""

    def __init__(self, backend: Backend, settings: StudioSettings):
        from codehone.blocks.safety.check import LEVELS

        if settings.safety not in LEVELS:
            raise UserError(f"--safety must be one of {', '.join(LEVELS)}, got {settings.safety!r}")
        if settings.samples < 1:
            raise UserError(f"--samples must be at least 1, got {settings.samples}")
        self.backend, self.settings = backend, settings
        self.queue = GenerationQueue(settings.max_waiting)
        self.conversations = Conversations()
        self.log = PromptLog(settings.log_dir)

    def warm_up(self) -> None:
        """Evaluate the prompt every new request starts with (system card and worked examples), so
        the first child's request finds it in the model's prompt cache like every later one does."""
        from codehone.blocks.copilot.generate import generate_program

        s = self.settings
        generate_program(self.backend, "draw a square", grammar=s.grammar, shots=s.shots, max_tokens=1)

    # ------------------------------------------------------------------ generation (worker thread)
    def generate(self, job, current: str | None, prompt: str):  # noqa: ANN001, ANN201 - a queue Job; GeneratedProgram
        """Ask the model; emit the program to the page each time a block completes."""
        from codehone.blocks.copilot.edit import edit_program
        from codehone.blocks.copilot.generate import generate_program

        stream, shown = StreamParser(), [-1]

        def on_text(delta: str) -> None:
            job.check()
            if stream.feed(delta):
                snapshot = stream.snapshot()
                count = block_count(snapshot)
                if count != shown[0]:
                    shown[0] = count
                    job.emit({"type": "blocks", "blocks": program_to_scratchblocks(snapshot), "count": count})

        s = self.settings
        if current is not None:
            return edit_program(self.backend, current, prompt, grammar=s.grammar, shots=min(s.shots, 1),
                                max_tokens=s.max_tokens, on_text=on_text)
        return generate_program(self.backend, prompt, grammar=s.grammar, shots=s.shots, max_tokens=s.max_tokens,
                                on_text=on_text, samples=s.samples)

    def finish(self, session: str, prompt: str, result) -> dict[str, Any]:  # noqa: ANN001 - GeneratedProgram
        """The last event of a chat turn; the conversation's program changes only for a good answer."""
        event = self._answer(session, prompt, result)
        self.log.write(session, "chat", prompt=prompt, **{k: event[k] for k in ("program", "message") if k in event})
        return event

    def _answer(self, session: str, prompt: str, result) -> dict[str, Any]:  # noqa: ANN001 - GeneratedProgram
        from codehone.blocks.safety.check import safe_program

        conv = self.conversations.get(session)
        if result.program is None:
            conv.turns.append({"prompt": prompt, "error": result.error})
            return {"type": "error", "message": "I got muddled and wrote blocks that don't fit together. "
                                                "Please try again, maybe with other words.", "detail": result.error}
        if result.refused:
            conv.turns.append({"prompt": prompt, "message": result.text.strip()})
            return {"type": "done", "message": _comment_text(result.text) or "I can't make that one. Try another idea!"}
        program, verdict = safe_program(result.program)
        if program is None:
            conv.turns.append({"prompt": prompt, "message": verdict.message})
            return {"type": "done", "message": verdict.message}
        conv.program, conv.answers = format_program(program), []
        conv.turns.append({"prompt": prompt, "program": conv.program})
        return {"type": "done", "program": conv.program, "blocks": program_to_scratchblocks(program),
                "count": block_count(program), "run": play(program),
                "message": verdict.message if verdict.action == "redirect" else "",
                "tokens": result.tokens, "seconds": round(result.seconds, 3)}


def _comment_text(text: str) -> str:
    return " ".join(line.strip().lstrip("#").strip() for line in text.splitlines() if line.strip())


async def _json_body(request: HttpRequest) -> dict:
    try:
        body = json.loads(await request.body() or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise UserError("the request body is not JSON") from None
    if not isinstance(body, dict):
        raise UserError("the request body must be a JSON object")
    return body


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
        return _error(400, str(exc))

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
    _add_next_routes(app, studio)
    _add_tutor_route(app, studio)
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
        body = await _json_body(request)
        session = check_session_id(body.get("session"))
        prompt = body.get("prompt")
        if not isinstance(prompt, str):
            raise UserError("prompt must be text")
        verdict = _screen(studio, prompt)
        if verdict.action == "refuse":  # a kind message, not an error: nothing went wrong
            studio.conversations.get(session).turns.append({"prompt": prompt[:200], "message": verdict.message})
            studio.log.write(session, "chat", prompt=prompt[:2000], message=verdict.message)
            return StreamingResponse(iter([json.dumps({"type": "done", "message": verdict.message}) + "\n"]),
                                     media_type="application/x-ndjson")
        asked = verdict.request if verdict.action == "redirect" else prompt
        current = studio.conversations.get(session).program
        try:
            job, future = studio.queue.submit(lambda job: studio.generate(job, current, asked))
        except QueueFull as e:
            return _error(429, BUSY.format(s=e.retry_after), {"Retry-After": str(e.retry_after)})
        return StreamingResponse(_chat_events(studio, request, session, asked, job, future, verdict),
                                 media_type="application/x-ndjson")


async def _chat_events(studio: Studio, request: HttpRequest, session: str, prompt: str, job, future, verdict):  # noqa: ANN001, ANN201
    """The NDJSON lines of one chat turn: the blocks as they come, then the answer."""
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
        body = await _json_body(request)
        program = current(body.get("session"))
        return await asyncio.to_thread(play, program, _answers(body))

    @app.post("/api/explain")
    async def explain(request: HttpRequest) -> dict:
        from codehone.blocks.copilot.explain import explain_program

        body = await _json_body(request)
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
        return await asyncio.to_thread(_open, studio, check_session_id(session), await request.body())

    @app.post("/api/reset")
    async def reset(request: HttpRequest) -> dict:
        body = await _json_body(request)
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


def _add_next_routes(app: FastAPI, studio: Studio) -> None:
    """The Next-block skill (copilot/next_block.py) as ghost blocks under the program."""

    @app.post("/api/next")
    async def next_blocks(request: HttpRequest):  # noqa: ANN202
        from codehone.blocks.copilot.next_block import block_at, suggest_next

        body = await _json_body(request)
        session = check_session_id(body.get("session"))
        conv = studio.conversations.get(session)
        if conv.program is None:
            raise UserError("there is no program yet: ask for one first, or open an .sb3")
        current = conv.program
        try:
            _job, future = studio.queue.submit(lambda job: suggest_next(studio.backend, current, top=3, samples=4))
        except QueueFull as e:
            return _error(429, BUSY.format(s=e.retry_after), {"Retry-After": str(e.retry_after)})
        result = await future
        printer = _single_block_printer()
        shown = []
        for s in result.suggestions:
            program = parse(s.program)
            call = block_at(program, s.program.splitlines().index(s.line) + 1)
            shown.append({"block": printer(call) if call is not None else s.block, "line": s.line})
        conv.suggestions = [s.program for s in result.suggestions]
        return {"suggestions": shown, "seconds": round(result.seconds, 3)}

    @app.post("/api/next/add")
    async def add_next(request: HttpRequest) -> dict:
        body = await _json_body(request)
        conv = studio.conversations.get(check_session_id(body.get("session")))
        index = body.get("index")
        if not isinstance(index, int) or not 0 <= index < len(conv.suggestions):
            raise UserError("that suggestion is gone: ask for new ones")
        program = parse(conv.suggestions[index])
        conv.program, conv.answers, conv.suggestions = format_program(program), [], []
        conv.turns.append({"added_next_block": True, "program": conv.program})
        return {"program": conv.program, "blocks": program_to_scratchblocks(program), "count": block_count(program),
                "run": await asyncio.to_thread(play, program)}


def _single_block_printer():  # noqa: ANN202
    """scratchblocks text of one block (a C-block as its empty shape)."""
    from codehone.blocks.lang.nodes import Program, Script, Sprite

    def one(call) -> str:  # noqa: ANN001
        bodies = tuple(() for _ in call.bodies)
        block = type(call)(call.opcode, call.args, bodies)
        return program_to_scratchblocks(Program((Sprite("Sprite1", (Script(None, (block,)),)),)))

    return one


def _add_tutor_route(app: FastAPI, studio: Studio) -> None:
    """The Teach skill (copilot/tutor.py): the steps, each with the program as it stands after it."""

    @app.post("/api/tutor")
    async def teach(request: HttpRequest):  # noqa: ANN202
        from codehone.blocks.copilot.tutor import tutor

        body = await _json_body(request)
        session = check_session_id(body.get("session"))
        prompt = body.get("prompt")
        if not isinstance(prompt, str):
            raise UserError("prompt must be text")
        verdict = _screen(studio, prompt)
        if verdict.action == "refuse":
            return {"message": verdict.message, "steps": []}
        asked = verdict.request if verdict.action == "redirect" else prompt
        try:
            _job, future = studio.queue.submit(lambda job: tutor(studio.backend, asked, max_tokens=400))
        except QueueFull as e:
            return _error(429, BUSY.format(s=e.retry_after), {"Retry-After": str(e.retry_after)})
        try:
            result = await future
        except GenerationError as e:
            raise UserError(f"The model could not answer: {e}") from None
        return _lesson(studio, session, asked, result)


def _screen(studio: Studio, prompt: str):  # noqa: ANN202 - a safety Verdict
    from codehone.blocks.languages.screen import screen_request  # the safety check, in every language

    return screen_request(prompt, studio.settings.safety)


def _lesson(studio: Studio, session: str, prompt: str, result) -> dict:  # noqa: ANN001 - a tutor.Tutorial
    """Checked steps for the page; the last step's program becomes the conversation's program."""
    from codehone.blocks.copilot.tutor import program_after, validate_steps
    from codehone.blocks.safety.check import check_program, check_text

    problem = validate_steps(result.steps)
    if problem is not None:
        return {"message": "I couldn't turn that into steps I can check. Try \"Make it!\" instead, or other words.",
                "steps": [], "detail": problem[1]}
    programs = [parse(program_after(result.steps, k)) for k in range(1, len(result.steps) + 1)]
    verdicts = [check_text(s.sentence) for s in result.steps] + [check_program(programs[-1])]
    unsafe = next((v for v in verdicts if not v.allowed), None)
    if unsafe is not None:
        return {"message": unsafe.message, "steps": []}
    conv = studio.conversations.get(session)
    conv.program, conv.answers = format_program(programs[-1]), []
    conv.turns.append({"prompt": prompt, "tutorial": len(result.steps), "program": conv.program})
    studio.log.write(session, "tutor", prompt=prompt, program=conv.program)
    steps = [{"number": s.number, "sentence": s.sentence, "added": len(s.lines),
              "blocks": program_to_scratchblocks(p), "count": block_count(p)} for s, p in zip(result.steps, programs)]
    last = programs[-1]
    return {"steps": steps, "program": conv.program, "blocks": program_to_scratchblocks(last),
            "count": block_count(last), "run": play(last)}
