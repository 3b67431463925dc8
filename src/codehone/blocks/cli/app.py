"""The ``codehone blocks`` app: one Typer that gathers the commands of this folder.

Registered by the main CLI with ``app.add_typer(blocks_app, name="blocks")``. Each module here
adds its commands with ``register(app)``; they import only typer at load, so ``codehone --help``
stays fast.
"""

from __future__ import annotations

import typer

from codehone.blocks.cli import data, fix, from_turtle, generate, next as next_block, programs, studio, tutor

blocks_app = typer.Typer(help="Scratch block programs: run them headless, convert text <-> .sb3.",
                         no_args_is_help=True)

for _commands in (programs, generate, fix, tutor, next_block, studio, data, from_turtle):  # the order of `codehone blocks --help`
    _commands.register(blocks_app)
