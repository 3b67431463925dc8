"""``codehone blocks tutor``: teach a program step by step (copilot/tutor.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from codehone.blocks.cli.options import AdapterOption, EngineOption, ModelOption
from codehone.blocks.cli.safety import SafetyOption, screen_request, screen_steps
from codehone.errors import UserError
from codehone.models.catalogue import DEFAULT_MODEL


def tutor_command(
    prompt: Annotated[str, typer.Argument(help="What the program should do, in the child's words.")],
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write the steps here (printed if not given).")] = None,
    model: ModelOption = DEFAULT_MODEL,
    adapter: AdapterOption = None,
    engine: EngineOption = "auto",
    max_tokens: Annotated[int, typer.Option("--max-tokens", help="Tokens to generate at most.")] = 400,
    safety: SafetyOption = "standard",
    direct: Annotated[bool, typer.Option("--direct", help="Let the model write the whole tutorial as free text "
                                         "(no grammar) instead of cutting the program it writes under the grammar.")] = False,
) -> None:
    """Teach PROMPT in steps: one sentence and at most 4 blocks each, every step runnable."""
    from codehone.backends import load_backend
    from codehone.backends.base import GenerationError
    from codehone.blocks.copilot.tutor import MAX_BLOCKS, child_language, tutor, validate_steps
    from codehone.blocks.copilot.tutor_words import STEP_WORD

    if not prompt.strip():
        raise UserError("the request is empty: say what the program should do")
    prompt = screen_request(prompt, safety)  # issue 19: refused with a kind message, or steered, before the model
    try:
        backend = load_backend(model, adapter=adapter, engine=engine)
        try:
            result = tutor(backend, prompt, max_tokens=max_tokens, direct=direct)
        finally:
            backend.close()
    except GenerationError as e:
        raise UserError(str(e)) from None
    if result.problem:  # program mode: no program to cut (invalid, or only a comment)
        raise UserError(f"{result.problem}; nothing was written. Try other words, or `codehone blocks generate`.")
    problem = validate_steps(result.steps)
    if problem:
        raise UserError(f"the model's steps cannot be followed ({problem[1]}); nothing was written.\n"
                        f"{result.text.strip()}")
    screen_steps(result.steps)  # issue 19: an unsafe sentence or text in the steps ends in a kind message
    word = STEP_WORD.get(child_language(prompt), "Step")  # the child reads the steps in their language
    text = "".join(f"{word} {s.number}: {s.sentence}\n" + "".join(ln + "\n" for ln in s.lines) for s in result.steps)
    if out is None:
        typer.echo(text, nl=False)
    else:
        try:
            out.write_text(text, encoding="utf-8")
        except OSError as e:
            raise UserError(f"cannot write {out}: {e.strerror}") from None
    typer.echo(f"{len(result.steps)} steps of at most {MAX_BLOCKS} blocks, each one runs; {result.tokens} tokens in "
               f"{result.seconds:.1f} s", err=out is None)


def register(app) -> None:  # noqa: ANN001 - a typer.Typer
    app.command("tutor")(tutor_command)
