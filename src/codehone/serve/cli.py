"""``codehone serve``: load the model (and adapters) and run the HTTP server.

Registered by the main CLI with ``app.command("serve")(serve_command)``. Only typer is imported at
module load; the backends, FastAPI and uvicorn are imported when the command runs.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def parse_adapters(specs: list[str]) -> dict[str, str]:
    """``NAME=PATH`` pairs; names must be unique and differ from the base model's."""
    out: dict[str, str] = {}
    for spec in specs:
        name, sep, path = spec.partition("=")
        if not sep or not name.strip() or not path.strip():
            raise typer.BadParameter(f"{spec!r}: write adapters as NAME=PATH (a GGUF LoRA file)", param_hint="--adapter")
        if name in out:
            raise typer.BadParameter(f"adapter name {name!r} given twice", param_hint="--adapter")
        out[name.strip()] = path.strip()
    return out


def load_models(model: str, adapters: dict[str, str], ctx: Optional[int] = None, default: Optional[str] = None):
    """The served ModelSet: the base, then one backend per adapter (see runner.ModelSet).

    The reference the user typed (``qwen2.5-coder-0.5b-instruct``, a path) is an alias of the base,
    whose own name comes from the file (``qwen2.5-coder-0.5b-instruct-q4_k_m``)."""
    from codehone.backends import load_backend
    from codehone.serve.runner import ModelSet

    if default and default not in (model, *adapters):
        raise typer.BadParameter(f"{default!r} is neither the model nor an --adapter name; one of "
                                 f"{', '.join([model, *adapters])}", param_hint="--default-model")
    options = {"n_ctx": ctx} if ctx else {}
    base = load_backend(model, **options)
    loaded = {}
    try:
        for name, path in adapters.items():
            if name in (base.name, model):
                raise typer.BadParameter(f"adapter name {name!r} is the base model's name; pick another",
                                         param_hint="--adapter")
            loaded[name] = load_backend(model, adapter=path, **options)
    except BaseException:
        for b in (base, *loaded.values()):
            b.close()
        raise
    return ModelSet(base.name, base, loaded, aliases={model: base.name}, default=default)


def serve_command(
    model: Annotated[str, typer.Option("--model", "-m", help="catalogue name, .gguf file, HF directory or URL")],
    adapter: Annotated[Optional[list[str]], typer.Option(
        "--adapter", help="NAME=PATH of a GGUF LoRA adapter, served as model NAME; repeat for more")] = None,
    default_model: Annotated[Optional[str], typer.Option(
        "--default-model", help="the model (an --adapter NAME) that answers requests naming none, such as "
                                "/infill from llama.vscode; default: the base")] = None,
    host: Annotated[str, typer.Option(help="address to listen on; keep loopback unless you set --api-key")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8080,
    api_key: Annotated[Optional[list[str]], typer.Option(
        "--api-key", envvar="CODEHONE_API_KEY",
        help="require 'Authorization: Bearer KEY' (repeat for several keys; env CODEHONE_API_KEY)")] = None,
    max_queue: Annotated[int, typer.Option(help="requests that may wait for the model; more get 429")] = 16,
    ctx: Annotated[Optional[int], typer.Option(help="context window in tokens (default: the model's, up to 8192)")] = None,
    postprocess: Annotated[bool, typer.Option(
        "--postprocess/--no-postprocess", help="editor-style clean-up of infill suggestions")] = True,
    fim_layout: Annotated[str, typer.Option(
        "--fim-layout", help="infill prompt layout: psm, or spm (suffix first: a keystroke in the prefix re-reads "
                             "only the changed tokens; for models trained on it, e.g. codehone adapters)")] = "psm",
    max_body_mb: Annotated[float, typer.Option(help="largest request body in MB; larger ones get 413")] = 8.0,
    header_timeout: Annotated[float, typer.Option(
        help="seconds a client may take to send a request's headers before the connection is closed")] = 10.0,
    body_timeout: Annotated[float, typer.Option(help="seconds a client may take to send a request body (408 after)")] = 30.0,
) -> None:
    """Serve a model over HTTP: OpenAI-compatible /v1 routes and llama.cpp's /infill for editors."""
    import uvicorn

    from codehone.serve import server
    from codehone.serve.app import create_app
    from codehone.serve.limits import Limits

    if max_queue < 0:
        raise typer.BadParameter("must be >= 0", param_hint="--max-queue")
    try:
        limits = Limits(max_body_bytes=int(max_body_mb * 1024 * 1024), header_timeout_s=header_timeout,
                        body_timeout_s=body_timeout)
    except ValueError as e:
        raise typer.BadParameter(str(e)) from None
    from codehone.backends.base import GenerationError, check_layout

    try:
        check_layout(fim_layout)  # before any model loads
    except GenerationError as e:
        raise typer.BadParameter(str(e), param_hint="--fim-layout") from None
    keys = tuple(k for k in (api_key or []) if k)
    if host not in LOOPBACK and not keys:
        typer.echo(f"warning: listening on {host} without --api-key: anyone who can reach it can use the model",
                   err=True)
    models = load_models(model, parse_adapters(adapter or []), ctx, default_model)
    stopped_by: list[int] = []
    try:
        app = create_app(models, api_keys=keys, max_queue=max_queue, postprocess=postprocess, fim_layout=fim_layout,
                         limits=limits)
        typer.echo(f"serving {', '.join(models.names)} on http://{host}:{port} (OpenAI: /v1, editors: /infill)")
        from codehone.core.threads import shared_policy

        if (threads := shared_policy().choice) is not None:  # set by llama.cpp's load; re-checked per request
            typer.echo(threads.describe())
        with server.stop_signals(stopped_by):
            uvicorn.Server(server.config(app, host, port, limits)).run()
    finally:
        models.close()
    if stopped_by:
        typer.echo("stopped")
