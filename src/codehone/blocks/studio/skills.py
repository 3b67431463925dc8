"""The studio's skill routes beside the chat: next-block ideas and Teach me (issue 18's skills).

    POST /api/next          {"session"}: up to 3 next blocks for the end of the program (ghost blocks)
    POST /api/next/add      {"session", "index"}: the program with that suggestion added
    POST /api/tutor         {"session", "prompt"}: steps of a few blocks, each one runnable

Both ask the model through the studio's one queue, like the chat.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from fastapi import FastAPI, Request as HttpRequest

from codehone.backends.base import GenerationError
from codehone.blocks.lang.parser import parse
from codehone.blocks.lang.printer import format_program
from codehone.blocks.studio.conversation import check_session_id
from codehone.blocks.studio.copilot import Studio
from codehone.blocks.studio.playback import play
from codehone.blocks.studio.requests import busy_response, json_body, prompt_request
from codehone.blocks.studio.scratchblocks import block_count, program_to_scratchblocks
from codehone.errors import UserError
from codehone.serve.queue import QueueFull

__all__ = ["add_skill_routes", "guess_next", "requests_so_far"]


def add_skill_routes(app: FastAPI, studio: Studio) -> None:
    _add_next_routes(app, studio)
    _add_tutor_route(app, studio)


def requests_so_far(turns: list[dict]) -> str:
    """What the child asked for the program now on the stage: the prompts of the turns that wrote or
    changed it since an .sb3 was last opened, oldest first ("draw a square; now make it red")."""
    asked: list[str] = []
    for turn in turns:
        if turn.get("opened"):
            asked = []
        elif turn.get("prompt") and "program" in turn:
            asked.append(turn["prompt"])
    return "; ".join(asked)


def guess_next(studio: Studio, session: str) -> None:
    """The tab's program changed (a chat turn, Teach me, an opened file): where the tab uses ideas,
    work out the next ones while the child looks (next_ahead.py)."""
    conv = studio.conversations.get(session)
    if conv.program is not None:
        studio.ahead.program_changed(session, conv.program, requests_so_far(conv.turns))


def _add_next_routes(app: FastAPI, studio: Studio) -> None:
    """The Next-block skill (copilot/next_block.py) as ghost blocks under the program."""

    @app.post("/api/next")
    async def next_blocks(request: HttpRequest):  # noqa: ANN202
        from codehone.blocks.copilot.next_block import block_at

        body = await json_body(request)
        session = check_session_id(body.get("session"))
        conv = studio.conversations.get(session)
        if conv.program is None:
            raise UserError("there is no program yet: ask for one first, or open an .sb3")
        current, asked = conv.program, requests_so_far(conv.turns)
        t0 = time.perf_counter()
        guessed, result = studio.ahead.take(session, current, asked), None  # worked out while the child looked
        if guessed is not None:
            if not guessed.done():
                studio.ahead.make_way()  # the other guesses (other tabs' too) give way to this one, taken
            with contextlib.suppress(Exception):  # a failed guess: asking again reports the error itself
                result = await guessed
        from_guess = result is not None
        if result is None:  # no guess, or one cancelled before it ran
            studio.ahead.make_way()
            try:
                _job, future = studio.queue.submit(lambda job: studio.next_ideas(current, asked))
            except QueueFull as e:
                return busy_response(e)
            result = await future
        printer = _single_block_printer()
        shown, after = [], []  # the ideas as drawn; the program each makes, as /api/next/add stores it
        for s in result.suggestions:
            program = parse(s.program)
            call = block_at(program, s.program.splitlines().index(s.line) + 1)
            shown.append({"block": printer(call) if call is not None else s.block, "line": s.line})
            after.append(format_program(program))
        conv.suggestions = [s.program for s in result.suggestions]
        studio.ahead.shown(session, current, asked, result)  # a second click for the same program: these again
        # the child looks at these ideas and usually adds one: work out what comes after each, best first
        studio.ahead.guess(session, after, asked)
        return {"suggestions": shown, "seconds": round(result.seconds, 3), "ahead": from_guess,
                "waited": round(time.perf_counter() - t0, 3)}

    @app.post("/api/next/add")
    async def add_next(request: HttpRequest) -> dict:
        body = await json_body(request)
        session = check_session_id(body.get("session"))
        conv = studio.conversations.get(session)
        index = body.get("index")
        if not isinstance(index, int) or not 0 <= index < len(conv.suggestions):
            raise UserError("that suggestion is gone: ask for new ones")
        program = parse(conv.suggestions[index])
        conv.program, conv.answers, conv.suggestions = format_program(program), [], []
        conv.turns.append({"added_next_block": True, "program": conv.program})
        studio.ahead.guess(session, [conv.program], requests_so_far(conv.turns))  # kept if already on the way
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

        session, prompt = await prompt_request(request)
        verdict = studio.screen(prompt)
        if verdict.action == "refuse":
            return {"message": verdict.message, "steps": []}
        asked = verdict.request if verdict.action == "redirect" else prompt
        try:
            s = studio.settings  # the program is written as "Make it!" writes one, then cut in steps (tutor.py)
            studio.ahead.make_way()
            _job, future = studio.queue.submit(lambda job: tutor(studio.backend, asked, max_tokens=400, grammar=s.grammar,
                                                                 shots=s.shots))
        except QueueFull as e:
            return busy_response(e)
        try:
            result = await future
        except GenerationError as e:
            raise UserError(f"The model could not answer: {e}") from None
        return _lesson(studio, session, asked, result)



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
    guess_next(studio, session)
    steps = [{"number": s.number, "sentence": s.sentence, "added": len(s.lines),
              "blocks": program_to_scratchblocks(p), "count": block_count(p)} for s, p in zip(result.steps, programs)]
    last = programs[-1]
    return {"steps": steps, "program": conv.program, "blocks": program_to_scratchblocks(last),
            "count": block_count(last), "run": play(last)}
