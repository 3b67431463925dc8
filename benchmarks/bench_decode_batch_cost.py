"""What a decode step of N tokens of one sequence costs, with logits at every token.

This is the price of checking N drafted tokens at once (speculative or prompt-lookup decoding):
the model has to score every drafted position, so every row needs the 151,936-way output layer.
On a GPU such a step costs about one token's time; on 2 CPU cores it does not, and that bounds
what drafting can save for the next-block suggester (issue 18: a block line is about 10 tokens at
about 25 ms each). Each size is timed 7 times after the same cached prompt, median reported.

    .venv/bin/python benchmarks/bench_decode_batch_cost.py [--adapter A.gguf]
"""

from __future__ import annotations

import argparse
import statistics
import time

from _common import save

SIZES = (1, 2, 3, 4, 6, 8, 12, 16)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="qwen2.5-coder-0.5b-instruct")
    ap.add_argument("--adapter", default=None, help="GGUF LoRA adapter")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--name", default="decode_batch_cost")
    args = ap.parse_args()

    import llama_cpp as C

    from codehone.backends import load_backend
    from codehone.backends.base import Request

    b = load_backend(args.model, adapter=args.adapter)
    request = Request.infill("# draw a red square with the pen\nwhen_flag_clicked():\n    pen_down()\n"
                             "    set_pen_color_to(\"#ff0000\")\n    repeat(4):", "\n")
    prompt = b.prompt_tokens(request)
    b.threads.before_request(b._ctx)
    ms = {}
    for n in SIZES:
        times = []
        for _ in range(args.rounds):
            b._eval_prompt(prompt)
            C.llama_memory_seq_rm(b._mem, 0, len(prompt), -1)  # the drafted tokens go after the prompt
            for i in range(n):
                b._batch_add(i, prompt[i % len(prompt)], len(prompt) + i, (0,), logits=True)
            t = time.perf_counter()
            b._decode(n)
            times.append(time.perf_counter() - t)
            C.llama_memory_seq_rm(b._mem, 0, len(prompt), -1)
            b._cached = prompt
        ms[n] = round(1000 * statistics.median(times), 1)
        print(f"{n:3} tokens: {ms[n]:6.1f} ms  ({ms[n] / n:.1f} ms a token, {ms[n] / ms[1]:.2f}x one token)")
    # If every drafted token were accepted, a step of n tokens yields n tokens: the best case speedup.
    best = {n: round(n * ms[1] / ms[n], 2) for n in SIZES}
    save(args.name, {"model": args.model, "adapter": args.adapter, "prompt_tokens": len(prompt), "ms": ms,
                     "best_case_speedup_all_drafts_accepted": best})


if __name__ == "__main__":
    main()
