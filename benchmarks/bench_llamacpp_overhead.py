"""Decode speed of codehone's llama.cpp backend vs calling llama-cpp-python directly.

Same GGUF, same prompt, same threads, greedy; runs alternate between the two so that load on a
shared machine hits both alike. Decode rate is (tokens - 1) / (time of last token - time of first
token), measured from streamed output on both sides, so prompt evaluation is excluded from both.

    .venv/bin/python benchmarks/bench_llamacpp_overhead.py [--rounds 5] [--tokens 128]
"""

from __future__ import annotations

import argparse
import statistics
import time

from _common import default_model_path, save

PROMPT = "Write a Python module implementing a binary search tree with insert, delete, search and in-order traversal."


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=None)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--tokens", type=int, default=128)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    path = args.model or default_model_path()

    import llama_cpp

    from codehone.backends.base import Request, SamplingParams
    from codehone.backends.llamacpp import LlamaCppBackend

    ours = LlamaCppBackend(path, n_ctx=2048, n_threads=args.threads)
    direct = llama_cpp.Llama(path, n_ctx=2048, n_threads=args.threads, n_threads_batch=args.threads, verbose=False)
    messages = [{"role": "user", "content": PROMPT}]

    def run_direct() -> tuple[float, int]:
        stamps = []
        for _chunk in direct.create_chat_completion(messages, max_tokens=args.tokens, temperature=0.0, stream=True):
            stamps.append(time.perf_counter())
        # The first and last chunks carry the role and the finish reason, not tokens.
        toks = stamps[1:-1]
        return (len(toks) - 1) / (toks[-1] - toks[0]), len(toks)

    def run_ours() -> tuple[float, int]:
        stamps = []
        r = ours.generate(Request.chat(messages), SamplingParams(max_tokens=args.tokens),
                          on_text=lambda i, t: stamps.append(time.perf_counter()))
        return (len(stamps) - 1) / (stamps[-1] - stamps[0]), r.completion_tokens

    run_direct(), run_ours()  # warm-up: page in the weights, build caches
    d_rates, o_rates, d_tok, o_tok = [], [], 0, 0
    for _ in range(args.rounds):
        rate, n = run_direct()
        d_rates.append(rate)
        d_tok = n
        rate, n = run_ours()
        o_rates.append(rate)
        o_tok = n
    d, o = statistics.median(d_rates), statistics.median(o_rates)
    save("llamacpp_overhead", {
        "model": path, "threads": args.threads, "rounds": args.rounds, "max_tokens": args.tokens,
        "direct_tokens_per_s_median": round(d, 2), "codehone_tokens_per_s_median": round(o, 2),
        "ratio_codehone_over_direct": round(o / d, 3),
        "direct_rates": [round(x, 2) for x in d_rates], "codehone_rates": [round(x, 2) for x in o_rates],
        "tokens_direct": d_tok, "tokens_codehone": o_tok,
    })


if __name__ == "__main__":
    main()
