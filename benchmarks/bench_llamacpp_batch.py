"""n=8 samples of one prompt: one batched call (shared prompt cache) vs 8 sequential calls.

Aggregate throughput = all generated tokens / wall time of the whole job, prompt included, as a
user waiting for 8 samples sees it. Also measures the ceiling: raw decode throughput of a batch of
B sequences for B = 1, 2, 4, 8, 16 (no prompt, no sampling), which bounds what batching can give
on this hardware.

    .venv/bin/python benchmarks/bench_llamacpp_batch.py [--rounds 3] [--tokens 128]
"""

from __future__ import annotations

import argparse
import statistics
import time

from _common import default_model_path, save

PROMPT = "Write a Python function that parses an ISO 8601 date string and returns a datetime, with tests."


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=None)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--tokens", type=int, default=128)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    path = args.model or default_model_path()

    from codehone.backends.base import Request, SamplingParams
    from codehone.backends.llamacpp import LlamaCppBackend

    b = LlamaCppBackend(path, n_ctx=4096, n_seq_max=16, n_threads=args.threads)
    req = Request.chat(PROMPT)

    def batched(seed: int) -> tuple[float, int]:
        t = time.perf_counter()
        r = b.generate(req, SamplingParams(max_tokens=args.tokens, temperature=0.8, top_p=0.95, seed=seed, n=8))
        return time.perf_counter() - t, r.completion_tokens

    def sequential(seed: int) -> tuple[float, int]:
        t, n = time.perf_counter(), 0
        for i in range(8):
            b._cached = []  # a fresh call each time, as 8 separate requests without a shared cache would be
            r = b.generate(req, SamplingParams(max_tokens=args.tokens, temperature=0.8, top_p=0.95, seed=seed + i))
            n += r.completion_tokens
        return time.perf_counter() - t, n

    batched(0)  # warm-up
    b_rates, s_rates = [], []
    for r in range(args.rounds):
        secs, n = sequential(100 * r)
        s_rates.append(n / secs)
        b._cached = []
        secs, n = batched(100 * r)
        b_rates.append(n / secs)

    # Ceiling: decode steps of B sequences at once, straight through llama.cpp.
    import llama_cpp as C

    ceiling = {}
    for B in (1, 2, 4, 8, 16):
        prompt = b.prompt_tokens(req)
        b._eval_prompt(prompt)
        for s in range(1, B):
            C.llama_memory_seq_cp(b._mem, 0, s, -1, -1)
        steps = 32
        t = time.perf_counter()
        for step in range(steps):
            for s in range(B):
                b._batch_add(s, 100 + s, len(prompt) + step, (s,), logits=True)
            b._decode(B)
        ceiling[B] = round(B * steps / (time.perf_counter() - t), 1)
        for s in range(B):
            C.llama_memory_seq_rm(b._mem, s, len(prompt) if s == 0 else -1, -1)
        b._cached = prompt

    bm, sm = statistics.median(b_rates), statistics.median(s_rates)
    save("llamacpp_batch", {
        "model": path, "threads": args.threads, "rounds": args.rounds, "max_tokens": args.tokens,
        "batched_n8_tokens_per_s_median": round(bm, 2), "sequential_8_tokens_per_s_median": round(sm, 2),
        "speedup": round(bm / sm, 3), "batched_rates": [round(x, 2) for x in b_rates],
        "sequential_rates": [round(x, 2) for x in s_rates], "decode_ceiling_tokens_per_s_by_batch": ceiling,
    })


if __name__ == "__main__":
    main()
