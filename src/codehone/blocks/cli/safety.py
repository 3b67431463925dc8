"""``--safety strict|standard`` for the copilot commands: the request is checked before the model
is asked, the program after it (:mod:`codehone.blocks.safety`), and the child is told in plain
words what happened. A refused request is a kind message and exit 0: nothing went wrong, nothing is written."""

from __future__ import annotations

from typing import Annotated

import typer

from codehone.errors import UserError

SafetyOption = Annotated[str, typer.Option("--safety", help="standard: steer or refuse unsafe requests and leave "
                                           "ordinary play alone; strict: also steer mild things (fights, monsters).")]


def check_level(level: str) -> None:
    from codehone.blocks.safety.check import LEVELS

    if level not in LEVELS:
        raise UserError(f"--safety must be one of {', '.join(LEVELS)}, got {level!r}")


def screen_request(text: str, level: str) -> str:
    """The request to generate for (``text`` or its safe version); a refusal prints the kind
    message and ends the command with exit 0 (``typer.Exit``)."""
    from codehone.blocks.safety.request_screen import screen as check_request  # rules + classifier, every language

    check_level(level)
    verdict = check_request(text, level)
    if verdict.action == "refuse":
        typer.echo(verdict.message)
        raise typer.Exit(0)
    if verdict.action == "redirect":
        typer.echo(verdict.message, err=True)
        return verdict.request
    return text


def screen_program(program):  # noqa: ANN001, ANN201 - a Program in and out
    """The program with unsafe texts replaced; one that cannot be made safe prints the kind
    message and ends the command with exit 0 (``typer.Exit``)."""
    from codehone.blocks.languages.screen import screen_program as screen_other_languages
    from codehone.blocks.safety.check import safe_program

    safe, verdict = safe_program(program)
    if safe is not None:  # issue 19: texts in Spanish, French, German, Portuguese checked too
        safe, other = screen_other_languages(safe)
        verdict = verdict if other.allowed else other
    if safe is None:
        typer.echo(verdict.message)
        raise typer.Exit(0)
    if verdict.action == "redirect":
        typer.echo(verdict.message, err=True)
    return safe


def screen_steps(steps) -> None:  # noqa: ANN001 - tutor Steps (already validated: every step parses)
    """A tutorial whose sentences or program are unsafe prints the kind message and ends the
    command with exit 0; a tutorial is not rewritten, since its steps explain the texts."""
    from codehone.blocks.copilot.tutor import program_after
    from codehone.blocks.lang.parser import parse
    from codehone.blocks.safety.check import check_program, check_text

    verdicts = [check_text(s.sentence) for s in steps] + [check_program(parse(program_after(steps, len(steps))))]
    for verdict in verdicts:
        if not verdict.allowed:
            typer.echo(verdict.message)
            raise typer.Exit(0)
