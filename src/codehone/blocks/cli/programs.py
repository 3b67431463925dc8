"""``codehone blocks run`` and ``codehone blocks convert``, and :func:`load_program`, which
reads a program from a ``.txt`` or ``.sb3`` file for every command that takes one.

Registered on the ``codehone blocks`` app by :func:`register`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from codehone.errors import UserError


def load_program(path: Path):
    """A program from a ``.txt`` (text language) or ``.sb3`` file; errors say what is wrong."""
    if path.suffix.lower() == ".sb3":
        from codehone.blocks.sb3.read import read_sb3

        return read_sb3(path)
    from codehone.blocks.lang.parser import parse

    return parse(path.read_text(encoding="utf-8"))


EVENT_KINDS = ("key", "click", "broadcast")


def parse_events(text: str | None) -> list[dict]:
    """``--events``: a JSON list (inline, or ``@FILE``) of ``{"time": s, "key"|"click"|"broadcast": name}``.

    The same shape :func:`codehone.blocks.runtime.interpreter.run_program` takes; checked here so
    a typo is a one-line error rather than an event that never fires.
    """
    if not text:
        return []
    if text.startswith("@"):
        try:
            text = Path(text[1:]).read_text(encoding="utf-8")
        except OSError as e:
            raise UserError(f"--events: {e}") from None
    try:
        events = json.loads(text)
    except json.JSONDecodeError as e:
        raise UserError(f"--events is not JSON: {e}") from None
    if not isinstance(events, list):
        raise UserError('--events must be a JSON list, e.g. [{"time": 1, "key": "space"}]')
    for i, e in enumerate(events):
        kinds = [k for k in EVENT_KINDS if isinstance(e, dict) and k in e]
        time = e.get("time", 0) if isinstance(e, dict) else None
        if len(kinds) != 1 or isinstance(time, bool) or not isinstance(time, (int, float)) or time < 0:
            raise UserError(f"--events[{i}]: expected {{\"time\": seconds >= 0, and one of "
                            f"{', '.join(EVENT_KINDS)}}}, got {json.dumps(e)}")
    return events


def run_command(
    program: Annotated[Path, typer.Argument(help="PROGRAM.txt or PROJECT.sb3", exists=True, dir_okay=False)],
    trace: Annotated[Optional[Path], typer.Option("--trace", help="write the JSON trace here")] = None,
    answers: Annotated[Optional[list[str]], typer.Option("--answers", help="answer for ask(); repeat for more")] = None,
    events: Annotated[Optional[str], typer.Option(
        "--events", help='key presses, clicks and broadcasts at times, as JSON or @FILE: '
        '\'[{"time": 1, "key": "space"}, {"time": 2, "click": "Sprite1"}]\'')] = None,
    max_steps: Annotated[int, typer.Option(help="stop after this many blocks")] = 100_000,
    max_seconds: Annotated[float, typer.Option(help="stop after this much program time")] = 300.0,
) -> None:
    """Run a program from the green flag and print what it said and drew."""
    from codehone.blocks.runtime.interpreter import run_program
    from codehone.blocks.lang.tokens import BlockSyntaxError
    from codehone.blocks.sb3.validate import Sb3Error

    timed = parse_events(events)
    try:
        result = run_program(load_program(program), answers=list(answers or []), events=timed, max_steps=max_steps,
                             max_seconds=max_seconds)
    except (BlockSyntaxError, Sb3Error, OSError, UnicodeDecodeError) as e:
        raise UserError(str(e)) from None
    if trace is not None:
        trace.write_text(json.dumps(result, indent=1), encoding="utf-8")
    for text in result["said"]:
        typer.echo(f"said: {text}")
    typer.echo(f"{len(result['segments'])} pen lines, {result['steps']} blocks, {result['time']:g} s of program time"
               + ("; stopped by the cap" if result["stopped_by_cap"] else ""))
    for note in result["notes"]:
        typer.echo(f"note: {note}")


def convert_command(
    src: Annotated[Path, typer.Argument(help="input .txt or .sb3", exists=True, dir_okay=False)],
    dst: Annotated[Path, typer.Argument(help="output .sb3 or .txt")],
) -> None:
    """Convert text <-> .sb3, chosen by the file extensions."""
    from codehone.blocks.lang.printer import format_program
    from codehone.blocks.lang.tokens import BlockSyntaxError
    from codehone.blocks.sb3.validate import Sb3Error
    from codehone.blocks.sb3.write import write_sb3

    try:
        program = load_program(src)
        if dst.suffix.lower() == ".sb3":
            write_sb3(program, dst)
        else:
            dst.write_text(format_program(program), encoding="utf-8")
    except (BlockSyntaxError, Sb3Error, OSError, UnicodeDecodeError) as e:
        raise UserError(str(e)) from None
    typer.echo(f"wrote {dst}")


def register(app) -> None:  # noqa: ANN001 - a typer.Typer
    """Add this module's commands to ``app``."""
    app.command("run")(run_command)
    app.command("convert")(convert_command)
