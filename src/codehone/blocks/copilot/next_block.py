"""The Next-block skill: suggest the block that comes after a given line of a program.

It is fill-in-the-middle on the text language, in the model's own FIM template (the backends'
``Request.infill``): the prefix is the program up to and including line ``at``, the suffix the
lines after it, and the middle the model writes is **one line**: some indentation and one block,
or one C-block header (``repeat(4):``, ``if_(...):``, ``forever():``). A GBNF grammar made from the
program grammar's own block rules (:func:`next_grammar`) holds decoding to exactly that, and only
to the indentations that can follow line ``at`` (deeper after a header, else the same level or a
level out); inside a ``define`` the custom block's ``arg()`` reporters are allowed.

Top-k: one greedy answer and ``samples`` answers drawn at temperature 1 from the same prompt (the
second request reuses the first one's cached prompt, and llama.cpp decodes the samples as one
batch); or, with ``beam`` (llama.cpp), the ``beam`` likeliest lines by beam search, which ranks
without drawing and is several times cheaper (docs/benchmarks.md, Next block). Distinct blocks are ranked by their log-probability under the model (a block that could go
inside a C-block or after it is offered once, at the likelier place). Every candidate is
checked by parsing the whole program with the line inserted (:func:`place_block`): the grammar
cannot see the rest of the program (a ``forever()`` in the middle of a stack, a ``call`` to a
block not defined), the parser can; a line that does not make a valid program one block longer is
dropped, so every suggestion is a whole valid block. A block whose text the safety check refuses
is dropped too (:func:`says_something_unsafe`), and where the child's request is known it goes
above the program as a comment (:func:`request_comment`).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from functools import cache
from typing import Callable

from codehone.backends.base import Backend, Completion, Request, SamplingParams
from codehone.blocks.lang.grammar import program_grammar
from codehone.blocks.lang.nodes import Call, Define, Program, Script, walk
from codehone.blocks.lang.parser import parse
from codehone.blocks.lang.printer import INDENT, format_program
from codehone.blocks.lang.tokens import BlockSyntaxError
from codehone.errors import UserError

__all__ = ["NEXT_MAX_TOKENS", "Cursor", "NextResult", "Suggestion", "block_at", "canonical_lines", "cursor_at",
           "next_grammar", "place_block", "request_comment", "says_something_unsafe", "search_for", "suggest_next"]

NEXT_MAX_TOKENS = 48  # one block line; the longest in the benchmark is about 30 tokens
SAMPLE_TEMPERATURE = 1.0  # draws from the model's own distribution, so the samples' ranks mean something
# How the top suggestions are found when nobody says: a beam of 3 where the backend has beam search
# (session 17, the tuned 0.5B on the whole blocks-next set: block top-3 42.7% against 41.0% for greedy
# + 5 samples, at 0.64x their time with the prompt cached), else greedy + 5 samples.
NEXT_BEAM = 3
NEXT_SAMPLES = 5
_WIDTH = len(INDENT)


@dataclass(frozen=True)
class Cursor:
    """Where a new block goes: after line ``at`` (1-based) of ``lines`` (canonical text)."""

    lines: tuple[str, ...]
    at: int
    indents: tuple[int, ...]  # the indentations (in spaces) a block placed here may have
    in_define: bool  # inside a custom block's definition: arg() reporters are in scope

    # The middle starts with the newline that ends line ``at``: the model then writes the
    # indentation as it does in any file (a prefix ending in a newline made the 0.5B model leave the
    # indentation out more often), and the suffix is the following lines, each after its newline.
    @property
    def prefix(self) -> str:
        return "\n".join(self.lines[: self.at])

    @property
    def suffix(self) -> str:
        return "".join("\n" + ln for ln in self.lines[self.at:]) + "\n"


@dataclass
class Suggestion:
    line: str  # the block line as it is inserted, indentation included (canonical text)
    opcode: str
    logprob: float  # sum of the line's token log-probabilities under the model
    program: str  # the whole program with the line inserted

    @property
    def block(self) -> str:
        """The block with its arguments (a C-block header keeps its colon)."""
        return self.line.strip()


@dataclass
class NextResult:
    suggestions: list[Suggestion]
    generated: int = 0  # completions the model wrote
    invalid: int = 0  # distinct lines dropped because the program with them does not parse
    unsafe: int = 0  # distinct valid lines dropped because a text in them is unsafe
    tokens: int = 0
    prompt_tokens: int = 0
    seconds: float = 0.0
    dropped: list[str] = field(default_factory=list)  # the dropped lines, for reports


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def canonical_lines(program: str | Program) -> list[str]:
    """The program's lines as the printer writes them; a program that does not parse is a UserError."""
    try:
        prog = parse(program) if isinstance(program, str) else program
    except BlockSyntaxError as e:
        raise UserError(f"the program does not parse, so there is nowhere to put a block: {e}") from None
    return format_program(prog).splitlines()


def cursor_at(lines: list[str] | tuple[str, ...], at: int | None = None) -> Cursor:
    """The cursor after line ``at`` (default: the last line); UserError for a line a block cannot follow."""
    lines = tuple(lines)
    if not lines:
        raise UserError("the program is empty: write at least a hat block such as when_flag_clicked(): first")
    at = len(lines) if at is None else at
    if not 1 <= at <= len(lines):
        raise UserError(f"line {at} is out of range: the program has {len(lines)} lines; give a line from 1 to "
                        f"{len(lines)} (the block goes right after it)")
    head_indent = _WIDTH if lines[0].startswith("sprite(") else 0
    prev = lines[at - 1]
    if prev.startswith("sprite("):
        raise UserError(f"line {at} is a sprite header: put the cursor on a line inside a script (a block goes "
                        "under a hat such as when_flag_clicked():)")
    p = _indent(prev)
    if prev.rstrip().endswith(":"):  # a hat, define, C-block header or else_(): its body comes next
        indents = (p + _WIDTH,)
    else:  # the same stack, or after the C-block(s) this line closes
        indents = tuple(range(p, head_indent, -_WIDTH))
    head = next(ln for ln in reversed(lines[:at]) if _indent(ln) == head_indent and not ln.startswith("sprite("))
    return Cursor(lines, at, indents, head.lstrip().startswith("define("))


@cache
def next_grammar(indents: tuple[int, ...], in_define: bool = False) -> str:
    """GBNF for one block line at one of ``indents``: the program grammar's block rules under a
    root of their own: the newline that ends line ``at``, then a block, a terminal block, or a C-block,
    if or forever header (the middle of the infill ends with the block; the suffix holds the newlines after)."""
    p = "-p" if in_define else ""
    lines = [ln for ln in program_grammar().splitlines() if not ln.startswith("root ::=")]
    pads = " | ".join(f'"{" " * n}"' for n in indents)
    root = f'root ::= "\\n" ({pads}) (simple{p} | term{p} | chead{p} ":" | ifhead{p} ":" | fhead{p} ":")'
    return "\n".join([root, *lines]) + "\n"


def block_at(program: Program, line: int) -> Call | None:
    """The stack block written on ``line`` (1-based) of ``program``'s canonical text, if any."""
    for sprite in program.sprites:
        for script in sprite.scripts:
            body = script.body if isinstance(script, (Script, Define)) else ()
            for call in walk(body):
                if call.line == line:
                    return call  # walk goes depth first: the statement comes before its reporters
    return None


def place_block(cursor: Cursor, text: str) -> tuple[str, str, Program] | None:
    """(canonical line, program text, program) for ``text`` (one line) inserted at ``cursor``,
    or None if the result is not the program with exactly one block more."""
    line = text.strip("\n")
    if not line.strip() or "\n" in line:
        return None
    program = "".join(ln + "\n" for ln in (*cursor.lines[: cursor.at], line, *cursor.lines[cursor.at:]))
    try:
        prog = parse(program)
    except BlockSyntaxError:
        return None
    printed = format_program(prog).splitlines()
    if len(printed) != len(cursor.lines) + 1 or block_at(prog, cursor.at + 1) is None:
        return None  # a comment, a hat or anything else that is not one more stack block here
    return printed[cursor.at], "".join(ln + "\n" for ln in printed), prog


def _line_of(completion: Completion, grammar: bool) -> str | None:
    """The one line a completion proposes, or None if it was cut off before the line ended.
    Under the grammar the completion is that line; without it, the first line the model wrote."""
    if grammar:
        return completion.text if completion.finish_reason == "stop" else None
    line, newline, _ = completion.text.lstrip("\n").partition("\n")
    return line if newline or completion.finish_reason == "stop" else None


def request_comment(request: str | None) -> str:
    """The child's request as the program's first line, a comment (``# draw a red square``): what
    the program is for, which the blocks alone often do not say (the text a sprite says, the colour,
    where it goes). One line, however the request was typed; "" without a request."""
    words = " ".join((request or "").split())
    return f"# {words}\n" if words else ""


def _ask(backend: Backend, cursor: Cursor, params: SamplingParams, result: NextResult, beam: int = 0,
         context: str = "", check: Callable[[], None] | None = None) -> list[Completion]:
    request = Request.infill(context + cursor.prefix, cursor.suffix)
    if beam:
        out = backend.beam_search(request, params, beam, check)
    else:  # every backend streams text: the check runs on each piece
        out = backend.generate(request, params, on_text=(lambda _i, _t: check()) if check else None)
    result.tokens += out.completion_tokens
    result.prompt_tokens = out.prompt_tokens
    result.generated += len(out.completions)
    return out.completions


_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def says_something_unsafe(line: str) -> bool:
    """Whether a text in the block ``line`` (what a sprite says, thinks or asks, a name) is one the
    safety check refuses (:func:`codehone.blocks.safety.check.check_text`, the rules, well under a
    millisecond)."""
    from codehone.blocks.safety.check import check_text

    return any(not check_text(text).allowed for text in _STRING.findall(line))


def _rank(cursor: Cursor, completions: list[Completion], grammar: bool, result: NextResult) -> list[Suggestion]:
    """Distinct blocks that make a valid program, most likely first. A block drawn at two
    indentations (inside a loop and after it) is offered once, where the model finds it likelier."""
    best: dict[str, Suggestion] = {}
    seen: set[str] = set()
    for c in completions:
        text = _line_of(c, grammar)
        if text is None or text in seen:
            continue
        seen.add(text)
        placed = place_block(cursor, text)
        if placed is None:
            result.invalid += 1
            result.dropped.append(text.strip("\n"))
            continue
        line, whole, prog = placed
        if says_something_unsafe(line):  # a ghost block is an answer too (issue 19): never an unkind text
            result.unsafe += 1
            continue
        logprob = c.logprob if c.logprob is not None else 0.0
        key = line.strip()
        if key not in best or logprob > best[key].logprob:
            best[key] = Suggestion(line, block_at(prog, cursor.at + 1).opcode, logprob, whole)
    return sorted(best.values(), key=lambda s: -s.logprob)


def search_for(backend: Backend, samples: int | None = None, beam: int | None = None) -> dict[str, int]:
    """``suggest_next``'s ``samples`` and ``beam`` for what was asked: either one as given (the other
    then 0, unless both are given), or, with neither, a beam of :data:`NEXT_BEAM` where ``backend``
    has beam search and room for the beam's sequences (``n_seq_max`` above the width), and
    :data:`NEXT_SAMPLES` samples where it has not (they are decoded in turns when they do not fit)."""
    if samples is None and beam is None:
        if hasattr(backend, "beam_search") and getattr(backend, "n_seq_max", 0) > NEXT_BEAM:
            return {"samples": 0, "beam": NEXT_BEAM}
        return {"samples": NEXT_SAMPLES, "beam": 0}
    return {"samples": samples or 0, "beam": beam or 0}


def suggest_next(backend: Backend, program: str | Program, at: int | None = None, *, top: int = 3, samples: int = NEXT_SAMPLES,
                 grammar: bool = True, max_tokens: int = NEXT_MAX_TOKENS, seed: int = 0, beam: int = 0,
                 request: str | None = None, check: Callable[[], None] | None = None) -> NextResult:
    """The ``top`` most likely distinct valid blocks to put after line ``at`` of ``program``.

    ``samples``: completions drawn besides the greedy one (0: greedy only, one suggestion at most).
    ``beam``: instead, the ``beam`` likeliest lines by beam search (a llama.cpp backend's
    ``beam_search``; ``samples`` is then not used): ranked answers without drawing.
    ``request``: what the child asked the program to do, where it is known (the studio's
    conversation), put above the program as a comment (:func:`request_comment`).
    ``check``: called as decoding goes (each beam step, or each piece of text); raise from it to
    stop (the studio's guesses, next_ahead.py, give way to a child's request this way).
    Raises UserError for a program that does not parse or a line a block cannot follow."""
    if top < 1:
        raise UserError(f"top must be at least 1, got {top}")
    if samples < 0 or beam < 0:
        raise UserError(f"samples and beam must be 0 or more, got {samples} and {beam}")
    if beam and not hasattr(backend, "beam_search"):
        raise UserError(f"the {type(backend).__name__} backend has no beam search (the llama.cpp backend has): "
                        "ask with samples instead (beam 0)")
    cursor = cursor_at(canonical_lines(program), at)
    t0 = time.perf_counter()
    result = NextResult([])
    gbnf = next_grammar(cursor.indents, cursor.in_define) if grammar else None
    context = request_comment(request)
    if beam:
        completions = _ask(backend, cursor, SamplingParams(max_tokens=max_tokens, grammar=gbnf), result, beam, context,
                           check)
    else:
        completions = _ask(backend, cursor, SamplingParams(max_tokens=max_tokens, temperature=0.0, logprobs=True,
                                                           grammar=gbnf), result, context=context, check=check)
    if samples and not beam:  # the same prompt again: the backend reuses its cached evaluation
        completions += _ask(backend, cursor, SamplingParams(max_tokens=max_tokens, temperature=SAMPLE_TEMPERATURE,
                                                            n=samples, seed=seed, logprobs=True, grammar=gbnf), result,
                            context=context, check=check)
    result.suggestions = _rank(cursor, completions, grammar, result)[:top]
    result.seconds = time.perf_counter() - t0
    return result
