"""What a chat turn costs after next-block ideas took the prompt cache, with and without a kept prompt.

The studio mixes two prompt layouts: the chat's (system card and 3 worked examples, shared by every
turn) and the next-block ideas' (FIM). Each ideas request takes sequence 0, so the next chat turn
evaluates the shared part again, unless the backend kept it aside (``keep_prompt``,
llamacpp_kept.py), as the studio's warm-up does. Each round here: ideas for a ``blocks-next``
program (a beam of 3, with its request), then a chat turn with another ``blocks`` request, its
prompt timed (one token generated). The same rounds on a backend that keeps the prompt and on one
that does not, loaded one after the other, in one run.

    .venv/bin/python benchmarks/bench_kept_prompt.py --adapter runs/long21/export/adapter.gguf [--rounds 20]
"""

from __future__ import annotations

import argparse
import statistics

from _common import save


def _rounds(backend, keep: bool, rounds: list[tuple[str, str, str]]) -> dict:  # noqa: ANN001
    from codehone.backends.base import Request, SamplingParams
    from codehone.blocks.copilot.next_block import suggest_next
    from codehone.blocks.copilot.prompting import build_messages

    one = SamplingParams(max_tokens=1)
    backend.generate(Request.chat(build_messages("draw a square", 3)), one)  # the studio's warm-up
    kept = backend.keep_prompt() if keep else 0
    prompt_s, cached = [], []
    for program, asked, chat in rounds:
        suggest_next(backend, program, top=3, request=asked, beam=3)
        r = backend.generate(Request.chat(build_messages(chat, 3)), one)
        prompt_s.append(r.prompt_seconds)
        cached.append(r.cached_tokens)
    return {"kept": keep, "kept_bytes": kept, "rounds": len(rounds), "prompt_tokens": r.prompt_tokens,
            "cached_tokens_p50": statistics.median(cached),
            "chat_prompt_p50_ms": round(1000 * statistics.median(prompt_s)),
            "chat_prompt_p90_ms": round(1000 * sorted(prompt_s)[int(0.9 * (len(prompt_s) - 1))])}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="qwen2.5-coder-0.5b-instruct")
    ap.add_argument("--adapter", default=None, help="GGUF LoRA adapter")
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--name", default="kept_prompt")
    args = ap.parse_args()

    from codehone.backends import load_backend
    from codehone.blocks.copilot.bench import load_benchmark
    from codehone.blocks.copilot.next_bench import benchmark_path, source_requests
    from codehone.runs import read_jsonl

    requests, chats = source_requests(), [t["prompt"] for t in load_benchmark(bench="blocks")]
    tasks = list(read_jsonl(benchmark_path()))[: args.rounds]
    rounds = [(t["program"], requests[t["source_task"]], chats[-1 - k]) for k, t in enumerate(tasks)]
    rows = []
    for keep in (False, True):
        backend = load_backend(args.model, adapter=args.adapter)
        try:
            rows.append(_rounds(backend, keep, rounds))
        finally:
            backend.close()
        r = rows[-1]
        print(f"{'kept' if keep else 'not kept':8}: chat prompt p50 {r['chat_prompt_p50_ms']} ms, "
              f"p90 {r['chat_prompt_p90_ms']} ms, {r['cached_tokens_p50']} of about {r['prompt_tokens']} tokens cached")
    save(args.name, {"model": args.model, "adapter": args.adapter, "rows": rows,
                     "ratio_p50": round(rows[1]["chat_prompt_p50_ms"] / max(1, rows[0]["chat_prompt_p50_ms"]), 3)})


if __name__ == "__main__":
    main()
