"""``codehone blocks next``: suggest the block that comes after a line of a program (copilot/next_block.py).

The program is read as ``blocks run`` reads it (text or ``.sb3``) and numbered in its canonical
text, the form ``blocks`` commands print; a program written by codehone is already in that form,
so its line numbers are the file's. Suggestions are printed best first with the line they would
be, or as JSON (``--json``) for tools such as the studio.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from codehone.blocks.cli.options import AdapterOption, EngineOption, ModelOption
from codehone.errors import UserError
from codehone.models.catalogue import DEFAULT_MODEL


def _program_text(path: Path) -> str:
    from codehone.blocks.cli.programs import load_program
    from codehone.blocks.lang.printer import format_program
    from codehone.blocks.lang.tokens import BlockSyntaxError
    from codehone.blocks.sb3.validate import Sb3Error

    try:
        return format_program(load_program(path))
    except (BlockSyntaxError, Sb3Error) as e:
        raise UserError(f"{path} is not a valid block program, so there is nowhere to put a block: {e}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise UserError(f"cannot read {path}: {e}") from None


def next_command(
    program: Annotated[Path, typer.Argument(help="PROGRAM.txt or PROJECT.sb3.", exists=True, dir_okay=False)],
    at: Annotated[Optional[int], typer.Option("--at", "--line", help="The block goes right after this line "
                                              "(1-based, canonical text; default: the last line).")] = None,
    top: Annotated[int, typer.Option("--top", "--k", help="Suggestions to show at most.")] = 3,
    model: ModelOption = DEFAULT_MODEL,
    adapter: AdapterOption = None,
    engine: EngineOption = "auto",
    samples: Annotated[Optional[int], typer.Option("--samples", help="Completions drawn besides the greedy one, to "
                                                   "find the top suggestions (0: greedy only; default: 5 where "
                                                   "there is no beam search).")] = None,
    beam: Annotated[Optional[int], typer.Option("--beam", help="Find the top suggestions by a beam search of this "
                                                "width instead of samples (llama.cpp engine; 0: samples; default: 3 "
                                                "on llama.cpp unless --samples is given).")] = None,
    no_grammar: Annotated[bool, typer.Option("--no-grammar", help="Do not constrain decoding to one block line "
                                             "(answers are still checked by parsing).")] = False,
    request: Annotated[Optional[str], typer.Option("--request", help="What the program is for, in the child's "
                                                   "words (\"draw a red square\"): given to the model above the "
                                                   "program, it guesses texts, colours and places better.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the suggestions as one JSON object.")] = False,
) -> None:
    """Suggest the next block after a line of PROGRAM (fill-in-the-middle, one whole block each)."""
    from codehone.backends import load_backend
    from codehone.backends.base import GenerationError
    from codehone.blocks.copilot.next_block import canonical_lines, cursor_at, search_for, suggest_next

    if top < 1:
        raise UserError(f"--top must be at least 1, got {top}")
    if (samples or 0) < 0 or (beam or 0) < 0:
        raise UserError(f"--samples and --beam must be 0 or more, got {samples} and {beam}")
    text = _program_text(program)
    cursor_at(canonical_lines(text), at)  # a bad --at is an error before the (slow) model load
    if request is not None:  # it reaches the model as generate's request does: screened first (issue 19)
        from codehone.blocks.cli.safety import screen_request

        request = screen_request(request, "standard")
    try:
        backend = load_backend(model, adapter=adapter, engine=engine)
        try:
            how = search_for(backend, samples, beam)
            result = suggest_next(backend, text, at, top=top, grammar=not no_grammar, request=request, **how)
        finally:
            backend.close()
    except GenerationError as e:
        raise UserError(str(e)) from None
    where = at or len(text.splitlines())
    if as_json:
        typer.echo(json.dumps({"at": where, "suggestions": [
            {"line": s.line, "block": s.block, "opcode": s.opcode, "logprob": round(s.logprob, 4)}
            for s in result.suggestions], "dropped": result.invalid, "seconds": round(result.seconds, 3)}))
        return
    if not result.suggestions:
        raise UserError(f"the model suggested no block that fits after line {where} ({result.invalid} answers did "
                        "not make a valid program); try another line or --samples higher")
    for k, s in enumerate(result.suggestions, 1):
        typer.echo(f"{k}. {s.line}    # {s.opcode}")  # indented as it would go: inside a C-block or after it
    typer.echo(f"{len(result.suggestions)} suggestion{'s' * (len(result.suggestions) != 1)} after line {where}; "
               f"{result.invalid} dropped as invalid; {result.seconds * 1000:.0f} ms", err=True)


def register(app) -> None:  # noqa: ANN001 - a typer.Typer
    """Add ``next`` to the ``codehone blocks`` app."""
    app.command("next")(next_command)
