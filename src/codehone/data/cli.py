"""``codehone data SOURCE --model REF --out RUN_DIR``: the data step from the command line.

A plain typer-annotated function; the main CLI registers it with
``app.command("data")(data_command)``. Only typer and light modules are imported at module level
so ``--help`` stays instant; the tokenizer and the pipeline load when the command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from codehone.data.errors import DataError
from codehone.data.limits import DEFAULT_SEQ_LEN
from codehone.data.split import parse_ratios
from codehone.models import load_tokenizer
from codehone.models.catalogue import DEFAULT_MODEL


def _load_tokenizer(model: str):
    """The seam tests replace with the tiny tokenizer."""
    return load_tokenizer(model)


def _csv(values: Optional[list[str]]) -> tuple[str, ...]:
    out: list[str] = []
    for v in values or []:
        out += [p.strip() for p in v.split(",") if p.strip()]
    return tuple(out)


def data_command(
    source: Annotated[str, typer.Argument(help="A folder, a git repository, or a .tar/.zip archive of code.")],
    model: Annotated[str, typer.Option("--model", "-m", help="Model whose tokenizer and FIM template to use.")] = DEFAULT_MODEL,
    out: Annotated[Path, typer.Option("--out", "-o", help="Run directory; writes data/ and data_card.json there.")] = Path("run"),
    languages: Annotated[Optional[list[str]], typer.Option("--language", "-l", help="Keep only these languages (repeat or comma-separate).")] = None,
    include: Annotated[Optional[list[str]], typer.Option("--include", help="Glob of paths to read (repeatable).")] = None,
    exclude: Annotated[Optional[list[str]], typer.Option("--exclude", help="Glob of paths to skip (repeatable).")] = None,
    fim_rate: Annotated[float, typer.Option("--fim-rate", help="Share of code chunks turned into fill-in-the-middle examples.")] = 0.5,
    seq_len: Annotated[int, typer.Option("--seq-len", help="Longest example, in tokens; `codehone train` trains at this length unless given seq_len=N.")] = DEFAULT_SEQ_LEN,
    split: Annotated[str, typer.Option("--split", help="train,valid,test shares by file.")] = "0.9,0.05,0.05",
    seed: Annotated[int, typer.Option("--seed", help="Fixes the split and every FIM split point.")] = 0,
    revision: Annotated[Optional[str], typer.Option("--revision", help="Git revision to read instead of the work tree.")] = None,
    benchmark: Annotated[Optional[list[str]], typer.Option("--decontaminate", help="More benchmark files (JSONL or text) to keep out.")] = None,
    teacher: Annotated[Optional[str], typer.Option("--teacher", help="Model reference that writes 'explain this code' pairs (cached).")] = None,
    bench_tasks: Annotated[int, typer.Option("--bench-tasks", help="Held-out repository benchmark tasks to aim for (0: no benchmark).")] = 120,
    bench_per_file: Annotated[int, typer.Option("--bench-per-file", help="Most benchmark tasks cut from one test file.")] = 60,
    concurrency: Annotated[Optional[int], typer.Option("--concurrency", help="--teacher requests in flight at once (default: 8 for an HTTP endpoint, 1 for an in-process model, which cannot take more).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
) -> None:
    """Build a clean FIM + instruction training set from one body of code."""
    from codehone.data.build import BuildOptions, build_dataset  # the pipeline (numpy, tokenizers) loads when it runs

    langs = tuple(lang.lower() for lang in _csv(languages)) or None
    options = BuildOptions(
        languages=langs, include=_csv(include), exclude=_csv(exclude), fim_rate=fim_rate, seq_len=seq_len,
        split=parse_ratios(split), seed=seed, revision=revision, benchmark_files=_csv(benchmark),
        teacher=teacher, teacher_concurrency=concurrency, progress=not quiet, bench=bench_tasks != 0, bench_target=max(1, bench_tasks),
        bench_per_file=bench_per_file,
    )
    options.validate()  # before the (slow) tokenizer load
    if not Path(source).exists():
        raise DataError(f"source {source!r} does not exist; give a folder, a git repository, or a .tar/.zip archive")
    tokenizer = _load_tokenizer(model)
    card = build_dataset(source, tokenizer, out, options)
    from rich.console import Console

    f = card["files"]
    ex = {s: sum(card["examples"][s].values()) for s in ("train", "valid", "test")}
    tok = {s: sum(card["tokens"][s].values()) for s in ("train", "valid", "test")}
    Console(highlight=False).print(
        f"{f['seen']} files, {f['kept']} kept; examples train {ex['train']} ({tok['train']:,} tokens), "
        f"valid {ex['valid']}, test {ex['test']}; {sum(card['redactions']['by_kind'].values())} redactions. "
        f"Wrote {out}/data/ and {out}/data_card.md"
    )
