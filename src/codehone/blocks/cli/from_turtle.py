"""``codehone blocks from-turtle``: a simple Python turtle program -> blocks (.txt or .sb3).

Registered on the ``codehone blocks`` app by :func:`register`. The transpiler and the sandbox are
imported inside the command so ``codehone --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from codehone.errors import UserError


def from_turtle_command(
    src: Annotated[Path, typer.Argument(help="a Python turtle program (.py)", exists=True, dir_okay=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="where to write the blocks: .txt or .sb3")],
    verify: Annotated[bool, typer.Option("--verify/--no-verify",
                                         help="run both programs and compare their drawings")] = True,
) -> None:
    """Turn a simple Python turtle program into blocks, checking that both draw the same."""
    from codehone.blocks.sb3.write import write_sb3
    from codehone.blocks.turtle.transpile import TurtleError, transpile_turtle
    from codehone.blocks.turtle.check import verify_turtle
    from codehone.blocks.lang.printer import format_program

    try:
        source = src.read_text(encoding="utf-8")
        program = transpile_turtle(source)
    except (TurtleError, OSError, UnicodeDecodeError) as e:
        raise UserError(f"{src}: {e}") from None
    if verify:
        verdict = verify_turtle(source)
        if not verdict.ok:
            raise UserError(f"{src}: the blocks do not draw what the Python draws: {verdict.detail}")
        typer.echo(f"verified: {verdict.detail}")
    try:
        if out.suffix.lower() == ".sb3":
            write_sb3(program, out)
        else:
            out.write_text(format_program(program), encoding="utf-8")
    except OSError as e:
        raise UserError(str(e)) from None
    typer.echo(f"wrote {out}")


def register(app) -> None:  # noqa: ANN001 - a typer.Typer
    """Add ``from-turtle`` to the ``codehone blocks`` app."""
    app.command("from-turtle")(from_turtle_command)
