"""``codehone blocks studio``: the copilot as a local web page (blocks stream in, a stage plays them).

The page and its routes are :mod:`codehone.blocks.studio`; this command loads the model, builds the
app and serves it with ``codehone serve``'s uvicorn setup (head and body deadlines, Ctrl-C is a
clean stop). It listens on loopback by default: the studio has no accounts or keys, so another
host is opt-in with ``--host``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from codehone.blocks.cli.options import AdapterOption, EngineOption, ModelOption, ShotsOption, VoteOption
from codehone.blocks.cli.safety import SafetyOption, check_level
from codehone.errors import UserError
from codehone.models.catalogue import DEFAULT_MODEL

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def studio_command(
    model: ModelOption = DEFAULT_MODEL,
    adapter: AdapterOption = None,
    engine: EngineOption = "auto",
    host: Annotated[str, typer.Option(help="Address to listen on (loopback: only this computer).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8765,
    safety: SafetyOption = "standard",
    shots: ShotsOption = 3,
    max_tokens: Annotated[int, typer.Option("--max-tokens", help="Tokens per answer at most.")] = 320,
    max_queue: Annotated[int, typer.Option("--max-queue", help="Requests that may wait for the model; "
                                           "more are told the copilot is busy.")] = 4,
    samples: Annotated[int, typer.Option("--samples", help="Programs sampled for a new request, run, and chosen by "
                                         "the behaviour most of them share (1: greedy, streamed).")] = 1,
    vote: VoteOption = "always",
    next_ahead: Annotated[bool, typer.Option("--next-ahead/--no-next-ahead", help="Work out next-block ideas while "
                                             "the child looks, so they show at once (uses the idle CPU).")] = True,
    log: Annotated[Optional[Path], typer.Option("--log", help="Write prompts and programs to DIR/studio.jsonl "
                                                "(nothing is written without it).", file_okay=False)] = None,
) -> None:
    """Open the block copilot as a web page: chat, blocks as they are written, a stage, .sb3 in and out."""
    import uvicorn

    from codehone.backends import load_backend
    from codehone.blocks.studio.app import StudioSettings, create_app
    from codehone.serve import server
    from codehone.serve.limits import Limits

    check_level(safety)
    if not 0 <= shots <= 3:
        raise UserError(f"--shots must be between 0 and 3, got {shots}")
    if not 1 <= port <= 65535:
        raise UserError(f"--port must be between 1 and 65535, got {port}")
    if samples < 1:
        raise UserError(f"--samples must be at least 1, got {samples}")
    if max_queue < 0:
        raise UserError(f"--max-queue must be >= 0, got {max_queue}")
    if host not in LOOPBACK:
        typer.echo(f"warning: listening on {host}: anyone who can reach it can use the copilot", err=True)
    settings = StudioSettings(safety=safety, max_tokens=max_tokens, shots=shots, max_waiting=max_queue, log_dir=log,
                              samples=samples, vote=vote, next_ahead=next_ahead)
    backend = load_backend(model, adapter=adapter, engine=engine)
    try:
        app = create_app(backend, settings)
        typer.echo("warming up the model (its prompt cache) ...")
        app.state.studio.warm_up()
        typer.echo(f"codehone studio: open http://{host}:{port}/ in a browser (Ctrl-C stops it)")
        if log is None:
            typer.echo("prompts are not written to disk (--log DIR to keep them)")
        stopped_by: list[int] = []
        with server.stop_signals(stopped_by):  # Ctrl-C: a clean stop, the model closed, exit 0
            uvicorn.Server(server.config(app, host, port, Limits())).run()
    finally:
        backend.close()
    if stopped_by:
        typer.echo("stopped")


def register(app) -> None:  # noqa: ANN001 - a typer.Typer
    """Add this module's commands to ``app``."""
    app.command("studio")(studio_command)
