"""Behaviour pass rate and invalid-block rate on the `blocks` benchmark, per model and grammar.

Each configuration is one `codehone blocks eval` run under RUNS/<name>/ (resumable: rerun the
same command after an interruption and only missing samples are generated), greedy, 3-shot.
The tuned rows need the GGUF adapter of a finished `codehone demo` (or any block-trained run).

    .venv/bin/python benchmarks/bench_blocks_quality.py --adapter runs/demo/train/export/adapter.gguf \
        [--configs tuned-grammar,tuned-free,base-grammar,base-free,base1.5b-grammar] [--limit N]

Result: benchmarks/results/blocks_quality.json (one row per configuration).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from _common import save

CONFIGS = {  # name -> (model, uses the adapter, grammar)
    "tuned-grammar": ("qwen2.5-coder-0.5b-instruct", True, True),
    "tuned-free": ("qwen2.5-coder-0.5b-instruct", True, False),
    "base-grammar": ("qwen2.5-coder-0.5b-instruct", False, True),
    "base-free": ("qwen2.5-coder-0.5b-instruct", False, False),
    "base1.5b-grammar": ("qwen2.5-coder-1.5b-instruct", False, True),
    "base1.5b-free": ("qwen2.5-coder-1.5b-instruct", False, False),
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--adapter", help="GGUF LoRA adapter for the tuned rows")
    ap.add_argument("--configs", default="tuned-grammar,tuned-free,base-grammar,base-free")
    ap.add_argument("--limit", type=int, default=None, help="only N tasks, spread over the families (the demo's choice)")
    ap.add_argument("--runs", default="runs/bench-blocks", help="where the evaluation runs go")
    args = ap.parse_args()

    from codehone.backends import load_backend
    from codehone.blocks.copilot.evaluate import evaluate_blocks
    from codehone.demo.pipeline import demo_tasks
    from codehone.models.fetch import fetch

    names = [c.strip() for c in args.configs.split(",") if c.strip()]
    unknown = [n for n in names if n not in CONFIGS]
    if unknown:
        raise SystemExit(f"unknown config(s) {unknown}; choose from {', '.join(CONFIGS)}")
    if any(CONFIGS[n][1] for n in names) and not args.adapter:
        raise SystemExit("the tuned configurations need --adapter PATH.gguf")
    tasks = demo_tasks(args.limit) if args.limit else None
    rows = []
    for name in names:
        model, tuned, grammar = CONFIGS[name]
        fetch(model)
        suffix = f"-limit{args.limit}" if args.limit else ""
        backend = load_backend(model, adapter=args.adapter if tuned else None)
        try:
            s = evaluate_blocks(backend, Path(args.runs) / f"{name}{suffix}", grammar=grammar, tasks=tasks, label=name,
                                adapter=args.adapter if tuned else None)
        finally:
            backend.close()
        rows.append({"config": name, "model": model, "adapter": tuned, "grammar": grammar, "tasks": s["tasks"],
                     "pass_rate": s["pass_rate"], "invalid_rate": s["invalid_rate"], "truncated": s.get("truncated"),
                     "seconds": s["seconds"], "tokens": s["tokens"], "families": {k: v["pass_rate"] for k, v in s["families"].items()}})
        print(f"{name}: pass {100 * s['pass_rate']:.1f}%, invalid {100 * s['invalid_rate']:.1f}% ({s['tasks']} tasks)", flush=True)
    save("blocks_quality" + (f"_limit{args.limit}" if args.limit else ""), {"adapter": args.adapter, "rows": rows})


if __name__ == "__main__":
    main()
