"""Replay a finished greedy chat run under more stop strings, without generating again (issue 21, part 4).

Greedy decoding is a function of the prompt and the text so far, so an answer that would have
stopped at a stop string is exactly the recorded answer cut there: cutting each recorded ``raw``
answer at the first stop gives the answer that run would have produced, and re-sanitising and
re-scoring it gives its verdict. Tokens are counted by re-tokenising the kept text with the
model's own tokenizer (the stop included: the model had to write it), so they can differ from the
live count by a token or two an answer.

The stop lists compared (each on top of the closing fence ``"\\n```\\n"`` the run already used):
- ``fence``: the run as it was;
- ``evalplus``: EvalPlus's extra end-of-sequence strings, ``"\\nif __name__"``, ``"\\ndef main("``,
  ``"\\nprint("``: a top-level test driver or print after the function;
- ``evalplus+assert``: also ``"\\nassert "`` (the Codex paper's stop): top-level asserts the model
  writes as its own tests.

    .venv/bin/python benchmarks/bench_eval_stop_replay.py --run runs/he-stop --bench humaneval [--name eval_stop_replay]

Writes each variant's samples and verdicts under RUN/replay-NAME/ and the figures to
benchmarks/results/eval_stop_replay[_BENCH].json.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import save  # noqa: E402

from codehone.eval.benchmarks import load_benchmark  # noqa: E402
from codehone.eval.benchmarks.base import RESPONSE_PREFIX  # noqa: E402
from codehone.eval.generate import truncate  # noqa: E402
from codehone.eval.sanitize import sanitize  # noqa: E402
from codehone.eval.score import score_samples  # noqa: E402

EVALPLUS = ("\nif __name__", "\ndef main(", "\nprint(")
VARIANTS = {"fence": (), "evalplus": EVALPLUS, "evalplus+assert": EVALPLUS + ("\nassert ",)}
TOKENIZER = Path.home() / ".cache/codehone/converted"


def _tokenizer():
    from transformers import AutoTokenizer

    found = sorted(TOKENIZER.glob("qwen2.5-coder-0.5b-instruct-*/tokenizer"))
    if not found:
        raise SystemExit(f"no converted tokenizer under {TOKENIZER}: run `codehone demo` or `codehone train` once")
    return AutoTokenizer.from_pretrained(found[0])


def replay(rows: list[dict], stops: tuple[str, ...], entry_points: dict[str, str], tok) -> tuple[list[dict], dict]:
    out, tokens, cut, at_limit = [], 0, 0, 0
    for r in rows:
        text = r["raw"][len(RESPONSE_PREFIX):]
        kept = truncate(text, stops)
        row = dict(r)
        if len(kept) < len(text):
            stop = next(s for s in stops if text.startswith(s, len(kept)))
            row.update(raw=RESPONSE_PREFIX + kept, solution=sanitize(RESPONSE_PREFIX + kept, entry_points[r["task_id"]]),
                       tokens=len(tok(kept + stop)["input_ids"]), finish_reason="stop")
            cut += 1
        tokens += row["tokens"]
        at_limit += row["finish_reason"] == "length"
        out.append(row)
    return out, {"tokens": tokens, "answers_cut_by_new_stops": cut, "answers_at_token_limit": at_limit}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", required=True, help="a finished `codehone eval --chat` run directory (greedy, n=1)")
    ap.add_argument("--bench", required=True)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    run = Path(args.run)
    rows = [json.loads(x) for x in (run / "samples.jsonl").read_text().splitlines() if x.strip()]
    if not rows or "raw" not in rows[0]:
        raise SystemExit(f"{run}/samples.jsonl has no chat answers (`raw`): replay needs a --chat run")
    bench = load_benchmark(args.bench)
    entry_points = {tid: t.entry_point for tid, t in bench.tasks.items()}
    tok = _tokenizer()
    result = {"run": str(run), "bench": args.bench, "tasks": len(rows), "variants": {}}
    for name, stops in VARIANTS.items():
        new_rows, figures = replay(rows, stops, entry_points, tok)
        out = run / f"replay-{name}"
        out.mkdir(exist_ok=True)
        path = out / "samples.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in new_rows))
        summary = score_samples(bench, path, out, workers=args.workers, k=(1,))
        figures.update(passed=summary["passed"], pass_at_1=round(100 * summary["pass@1"], 1), stops=list(stops))
        result["variants"][name] = figures
        print(f"{name:16} pass@1 {figures['pass_at_1']}% ({figures['passed']}/{len(rows)}), {figures['tokens']:,} tokens, "
              f"{figures['answers_cut_by_new_stops']} cut by the new stops, {figures['answers_at_token_limit']} at the limit")
    base = result["variants"]["fence"]["tokens"]
    for figures in result["variants"].values():
        figures["tokens_vs_fence"] = round(figures["tokens"] / max(1, base), 3)
    save("eval_stop_replay" + ("" if args.bench == "humaneval" else f"_{args.bench}"), result)


if __name__ == "__main__":
    main()
