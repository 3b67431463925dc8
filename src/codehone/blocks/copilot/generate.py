"""Ask a model for a block program: one function shared by the CLI, the evaluation and the demo.

The request is the shared prompt format (:mod:`codehone.blocks.copilot.prompting`); with ``grammar=True``
decoding is constrained by the catalogue's GBNF grammar (llama.cpp backend only), so the answer
is a program by construction, up to what a context-free grammar cannot check (see
:mod:`codehone.blocks.lang.grammar`). The answer is always parsed here, so ``program`` and ``error``
say the same thing whichever way it was made.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

from codehone.backends.base import Backend, Request, SamplingParams
from codehone.blocks.copilot.echo_beam import instead_of_echo
from codehone.blocks.copilot.prompting import FEW_SHOT, build_messages, extract_program
from codehone.blocks.copilot.vote import ask_votes, pick, voting
from codehone.blocks.lang.grammar import program_grammar
from codehone.blocks.lang.nodes import Program
from codehone.blocks.lang.parser import parse
from codehone.blocks.lang.tokens import BlockSyntaxError

__all__ = ["GeneratedProgram", "ask_program", "generate_program"]


@dataclass
class GeneratedProgram:
    text: str  # the program text taken from the answer (extract_program), "" if none
    program: Program | None  # parsed; None when the answer is not a valid program
    error: str | None  # why not (the parser's message, naming the line), else None
    tokens: int  # generated tokens
    seconds: float  # wall time of the request, prompt included
    raw: str = ""  # the model's answer as written
    finish_reason: str = "stop"  # "length" when max_tokens cut it off
    prompt_tokens: int = 0
    votes: dict | None = None  # with samples > 1: how the behaviour vote went (vote.Vote.to_json)
    echo: dict | None = None  # the greedy answer was the program given: what the beam did (echo_beam.py)

    @property
    def ok(self) -> bool:
        return self.program is not None

    @property
    def refused(self) -> bool:
        """A plain refusal: a comment and no blocks (the grammar's answer to impossible requests)."""
        return self.program is not None and not any(s.scripts for s in self.program.sprites)


def generate_program(
    backend: Backend,
    prompt: str,
    *,
    grammar: bool = True,
    shots: int = len(FEW_SHOT),
    max_tokens: int = 320,
    temperature: float = 0.0,
    seed: int | None = None,
    custom_blocks: bool = False,
    on_text: Callable[[str], None] | None = None,
    samples: int = 1,
    answers: list | None = None,
    events: list | None = None,
    vote_when: str = "always",
) -> GeneratedProgram:
    """Generate a program for ``prompt``; never raises for a bad answer, only for a bad request.

    ``custom_blocks=False`` (the default) leaves define/call out of the grammar, because whether
    a ``call`` names a defined block is beyond a grammar; benchmark prompts never need them.
    ``samples > 1``: that many programs decoded as one batch (at VOTE_TEMPERATURE when
    ``temperature`` is 0), run on ``answers``/``events``, and chosen by behaviour (vote.py); the
    answer is not streamed then; ``vote_when="unsure"`` votes only where the greedy answer
    hesitated (vote.ask_votes).
    """
    params = SamplingParams(max_tokens=max_tokens, temperature=temperature, seed=seed,
                            grammar=program_grammar(custom_blocks=custom_blocks) if grammar else None)
    params = voting(params, samples)
    return ask_program(backend, build_messages(prompt, shots), params, on_text=on_text, answers=answers, events=events,
                       vote_when=vote_when)


def ask_program(backend: Backend, messages: list[dict], params: SamplingParams, *,
                on_text: Callable[[str], None] | None = None, answers: list | None = None,
                events: list | None = None, avoid_program: str | None = None, echo_beam: int = 0,
                complaint: str = "", vote_when: str = "always") -> GeneratedProgram:
    """Send ``messages`` and take the program out of the answer (generate, fix and edit share this):
    with ``params.n > 1`` the behaviour vote's pick on ``answers``/``events`` (not streamed; answers
    that behave as ``avoid_program``, the program a fix or change was asked of, go last), else the
    one answer; parsed, so ``program`` and ``error`` agree. ``echo_beam``: a greedy answer that
    behaves as ``avoid_program``, or still never ends when the child's ``complaint`` (a fix's, a
    change's request) says it never ends, is asked again by a beam of that width (echo_beam.py; then
    the streamed text was the echo, and the answer is another)."""
    stream = on_text if params.n == 1 else None
    t0 = time.perf_counter()
    request = Request.chat(messages)
    if stream:
        result = backend.generate(request, params, on_text=lambda _i, delta: stream(delta))
    else:  # several programs: the vote's candidates (all at once, or the greedy one first: vote.ask_votes)
        result = ask_votes(backend, request, params, vote_when, answers, events, avoid_program)
    if avoid_program and echo_beam:
        result = instead_of_echo(backend, request, params, result, avoid_program, answers, events, echo_beam, complaint)
    seconds = time.perf_counter() - t0
    completion, votes = pick(result.completions, answers, events, avoid_program)
    text = extract_program(completion.text)
    program, error = None, None
    try:
        program = parse(text)
    except BlockSyntaxError as e:
        error = str(e)
        if completion.finish_reason == "length":
            error = f"the answer was cut off at {params.max_tokens} tokens (raise max_tokens): {error}"
    if program is not None and not text.strip():
        program, error = None, "the answer is empty"
    return GeneratedProgram(text, program, error, sum(c.tokens for c in result.completions), seconds, completion.text,
                            completion.finish_reason, result.prompt_tokens, votes, result.extra.get("echo_beam"))
