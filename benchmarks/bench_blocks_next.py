"""The Next-block skill on ``blocks-next``: top-1 / top-3 exact match and latency per suggestion.

Two resumable ``blocks-next`` runs of one model on the same tasks: the top 3 (greedy + N samples,
``codehone blocks eval-set blocks-next``'s setting; with ``--beam W`` also the top 3 by a beam
search of width W, llamacpp_beam.py) and greedy alone (one suggestion: the ghost
block a studio shows first, and its latency). Prints and saves the six rates (opcode, block with
arguments, block at the right indentation; top-1 and top-3) and p50/p90 milliseconds a suggestion,
then the p50 of a second request at the same cursor on ``--warm`` tasks (prompt cached: decoding alone).
``--greedy-all`` adds greedy on every task (top-1 on the whole set, cheaper than the top 3).

    .venv/bin/python benchmarks/bench_blocks_next.py --limit 60 [--adapter A.gguf] [--samples 5] [--beam 3]
    .venv/bin/python benchmarks/bench_blocks_next.py --adapter A.gguf --beam 3 --with-request   # the studio's condition

``--limit N`` takes N tasks spread evenly over the file, so every family is in;
without it all 178. Result: benchmarks/results/blocks_next.json (or blocks_next_tuned.json with
an adapter).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from _common import save

KEYS = ("tasks", "top1_opcode", "top3_opcode", "top1_block", "top3_block", "top1_line", "top3_line", "p50_ms",
        "p90_ms", "no_suggestion", "invalid_candidates", "seconds", "by_kind")


def _warm(backend, every: list[dict], ids: list[str], samples: int, beam: int, requests: dict[str, str]) -> dict:
    """p50 ms of a suggestion asked again at the same cursor: the prompt is then in the backend's
    cache, as when a studio asks again while the child edits further down, so this is the decoding
    alone (the cold runs above pay for evaluating the whole program first). ``requests``: each source
    task's request, given to the suggester (``--with-request``), or empty."""
    import statistics

    from codehone.blocks.copilot.next_block import suggest_next

    by_id = {t["task_id"]: t for t in every}
    out = {"tasks": len(ids)}
    for name, n, width in (("greedy", 0, 0), ("top3", samples, 0), ("beam", 0, beam)):
        if name == "beam" and not beam:
            continue
        seconds = []
        for tid in ids:
            task = by_id[tid]
            ask = {"samples": n, "beam": width, "request": requests.get(task["source_task"])}
            suggest_next(backend, task["program"], task["at"], **ask)  # fills the cache
            seconds.append(suggest_next(backend, task["program"], task["at"], **ask).seconds)
        out[f"{name}_p50_ms"] = round(1000 * statistics.median(seconds), 1) if seconds else None
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="qwen2.5-coder-0.5b-instruct")
    ap.add_argument("--adapter", default=None, help="GGUF LoRA adapter (a tuned model)")
    ap.add_argument("--samples", type=int, default=5, help="completions drawn besides the greedy one")
    ap.add_argument("--beam", type=int, default=0, help="also the top 3 by a beam search of this width (0: not)")
    ap.add_argument("--limit", type=int, default=None, help="N tasks spread over the file (default: all)")
    ap.add_argument("--runs", default="runs/bench-next")
    ap.add_argument("--name", default=None, help="result file name (default blocks_next or blocks_next_tuned)")
    ap.add_argument("--warm", type=int, default=10, help="tasks on which to time a second, cached-prompt request")
    ap.add_argument("--greedy-all", action="store_true", help="also greedy on all 178 tasks (about 1.5 s a task)")
    ap.add_argument("--with-request", action="store_true", help="give the suggester the request each program was "
                    "written for, as the studio does (another condition: its runs are named ...-req)")
    args = ap.parse_args()

    from codehone.backends import load_backend
    from codehone.blocks.copilot.bench import load_benchmark
    from codehone.blocks.copilot.next_bench import evaluate_next, source_requests

    every = load_benchmark(bench="blocks-next")
    n = min(args.limit or len(every), len(every))
    ids = [every[i * len(every) // n]["task_id"] for i in range(n)]  # evenly spread: every family is in
    backend = load_backend(args.model, adapter=args.adapter)
    out = {}
    every_id = [t["task_id"] for t in every]
    try:
        for name, n, tasks in (("top3", args.samples, ids), ("beam", args.beam, ids), ("greedy", 0, ids),
                               ("greedy_all", 0, every_id)):
            if (name == "greedy_all" and not args.greedy_all) or (name == "beam" and not args.beam):
                continue
            run = Path(args.runs) / (f"{'tuned' if args.adapter else 'base'}-{name}-{'b' if name == 'beam' else 'n'}{n}"
                                     + ("-req" if args.with_request else ""))
            kw = {"beam": n} if name == "beam" else {"samples": n}
            s = evaluate_next(backend, run, tasks=tasks, adapter=args.adapter, with_request=args.with_request, **kw)
            out[name] = {"beam" if name == "beam" else "samples": n, "run": str(run), **{k: s[k] for k in KEYS}}
        out["warm"] = _warm(backend, every, ids[: args.warm], args.samples, args.beam,
                            source_requests() if args.with_request else {})
    finally:
        backend.close()
    save(args.name or ("blocks_next_tuned" if args.adapter else "blocks_next"),
         {"model": args.model, "adapter": args.adapter, "limit": args.limit, "with_request": args.with_request,
          "runs": out})


if __name__ == "__main__":
    main()
