"""``codehone export --to gguf-merged --bench humaneval``: what quantization costs, in pass@1.

The merged model is scored twice with the evaluation harness (codehone.eval): the f16 GGUF
and the quantized GGUF, greedy, same prompts, same sandbox. Each lands in its own evaluation
run under ``export/bench/<bench>-<precision>/`` (samples, results, summary, report), so an
interrupted comparison resumes sample by sample, and ``codehone report`` can show them side by
side. ``export/bench.json`` holds the two pass@1 figures and their difference per benchmark.

Only merged exports are compared: a GGUF LoRA adapter runs over the catalogue's quantized base,
which has no f16 twin to compare with.
"""

from __future__ import annotations

from pathlib import Path

from codehone.backends import load_backend
from codehone.errors import UserError
from codehone.eval.run import EvalOptions, run_eval
from codehone.runs import write_json

KNOWN = ("humaneval", "humaneval+", "mbpp")


def parse_benches(text: str) -> list[str]:
    names = [b.strip() for b in text.split(",") if b.strip()]
    if not names:
        raise UserError("--bench needs at least one benchmark name, e.g. --bench humaneval")
    for name in names:
        if name not in KNOWN:
            import difflib

            close = difflib.get_close_matches(name, KNOWN, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise UserError(f"--bench: unknown benchmark {name!r}; use one of {', '.join(KNOWN)}.{hint}")
    return names


def bench_quantization(files: dict[str, Path], quant: str, benches: list[str], out_dir: Path,
                       limit: int | None = None, max_tokens: int = 768, echo=print) -> dict:
    """Score ``files['f16']`` and ``files[quant]`` on each benchmark; returns the comparison."""

    quant = quant.lower()
    if "f16" not in files or quant not in files or quant == "f16":
        raise UserError("--bench compares the f16 merge with a quantized one; use --to gguf-merged with --quant other than f16")
    result: dict = {"quant": quant, "limit": limit, "benchmarks": {}}
    for bench in benches:
        row: dict = {}
        for precision in ("f16", quant):
            run = out_dir / "bench" / f"{bench.replace('+', 'plus')}-{precision}"
            echo(f"bench: {bench} on the {precision} merge -> {run}")
            backend = load_backend(str(files[precision]))
            try:
                summary = run_eval(EvalOptions(bench=bench, out=run, backend=backend, max_tokens=max_tokens, k=[1],
                                               limit=limit))
            finally:
                backend.close()
            row[precision] = {"pass@1": summary.get("pass@1"), "tasks": summary["tasks"], "run": str(run)}
        row["difference_points"] = round(100 * (row[quant]["pass@1"] - row["f16"]["pass@1"]), 2)
        result["benchmarks"][bench] = row
    write_json(out_dir / "bench.json", result)
    return result
