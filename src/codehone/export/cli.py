"""`codehone export`: typer-annotated; heavy imports happen inside the function."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer


def export_command(
    adapter: Annotated[Optional[Path], typer.Option(help="Training run directory (or its adapter/ folder).")] = None,
    to: Annotated[str, typer.Option(help="gguf-lora (small adapter over the base GGUF) or gguf-merged (one quantized file).")] = "gguf-lora",
    base: Annotated[Optional[str], typer.Option(help="Base model reference; default: the one the run trained on.")] = None,
    quant: Annotated[str, typer.Option(help="Quantization of merged output: q4_k_m, q8_0, q5_k_m, f16, ...")] = "q4_k_m",
    out: Annotated[Optional[Path], typer.Option(help="Output directory; default RUN_DIR/export.")] = None,
    verify: Annotated[bool, typer.Option("--verify", help="Compare transformers vs llama.cpp on held-out text.")] = False,
    bench: Annotated[Optional[str], typer.Option(help="With --to gguf-merged: pass@1 of the f16 and quantized merges, e.g. humaneval,mbpp.")] = None,
    bench_limit: Annotated[Optional[int], typer.Option("--bench-limit", help="Only the first N tasks of each benchmark.")] = None,
) -> None:
    """Export a trained adapter as GGUF (LoRA or merged + quantized), with an Ollama Modelfile."""
    from codehone.export.step import run_export

    from codehone.export.bench import parse_benches

    benches = parse_benches(bench) if bench else None  # a typo fails before any model work
    r = run_export(adapter, to, base=base, out=out, quant=quant, verify=verify, bench=benches, bench_limit=bench_limit)
    for warning in r.get("warnings", []):
        typer.echo(f"warning: {warning}", err=True)
    typer.echo(f"model:     {r['model']}")
    if r.get("adapter_gguf"):
        typer.echo(f"adapter:   {r['adapter_gguf']} ({r['adapter_bytes'] / 1e6:.1f} MB)")
    typer.echo(f"Modelfile: {r['modelfile']}")
    checked = r.get("verify_by_precision") or ({"": r["verify"]} if r.get("verify") else {})
    for label, v in checked.items():
        typer.echo(f"verify:    {label + ' ' if label else ''}top-1 agreement {v['top1_agreement']:.2%} over {v['positions']} positions, "
                   f"mean |Δ log p| {v['mean_abs_logprob_diff']:.4f}")
    for name, row in (r.get("bench") or {}).get("benchmarks", {}).items():
        q = r["bench"]["quant"]
        typer.echo(f"bench:     {name} pass@1 f16 {100 * row['f16']['pass@1']:.1f}% vs {q} {100 * row[q]['pass@1']:.1f}% "
                   f"({row['difference_points']:+.1f} points, {row['f16']['tasks']} tasks)")
