"""Server overhead: decode tokens/s through ``codehone serve`` vs the same backend called in-process.

Same GGUF, same threads, same prompt, greedy, 128 tokens; runs alternate (server, in-process,
server, ...) so that load on a shared machine hits both alike. Decode rate is
(tokens - 1) / (arrival of last token - arrival of first token): for the server, SSE chunks of a
streamed /v1/completions timed by the client; in-process, the backend's on_text callback. Prompt
evaluation is excluded from both; the whole-request rate (tokens / wall time) is recorded as well.

    .venv/bin/python benchmarks/bench_serve_overhead.py [--rounds 7] [--tokens 128]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import httpx

from _common import default_model_path, save
from bench_serve_common import Server, load_avg

PROMPT = "# A Python module implementing a binary search tree with insert, delete, search and traversal.\n\nclass Node:\n"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--tokens", type=int, default=128)
    args = ap.parse_args()
    path = default_model_path()

    from codehone.backends.base import Request, SamplingParams
    from codehone.backends.llamacpp import LlamaCppBackend

    local = LlamaCppBackend(path)  # the server's defaults: context up to 8192, CODEHONE_THREADS or all cores
    load_start = load_avg()
    with Server(path) as server, httpx.Client(timeout=300) as client:
        def via_server() -> tuple[float, float, int]:
            stamps = []
            t0 = time.perf_counter()
            body = {"prompt": PROMPT, "max_tokens": args.tokens, "temperature": 0, "stream": True}
            with client.stream("POST", f"{server.url}/v1/completions", json=body) as r:
                for line in r.iter_lines():
                    if line.startswith("data: {"):
                        if json.loads(line[6:])["choices"][0]["text"]:
                            stamps.append(time.perf_counter())
            n = len(stamps)
            return (n - 1) / (stamps[-1] - stamps[0]), n / (time.perf_counter() - t0), n

        def in_process() -> tuple[float, float, int]:
            stamps = []
            t0 = time.perf_counter()
            local.generate(Request.complete(PROMPT), SamplingParams(max_tokens=args.tokens),
                           on_text=lambda i, t: stamps.append(time.perf_counter()))
            n = len(stamps)
            return (n - 1) / (stamps[-1] - stamps[0]), n / (time.perf_counter() - t0), n

        via_server(), in_process()  # warm-up: page in the weights, fill the caches
        s_rates, l_rates, s_whole, l_whole, chunks = [], [], [], [], (0, 0)
        for _ in range(args.rounds):
            a, b, n_s = via_server()
            c, d, n_l = in_process()
            s_rates.append(a), s_whole.append(b), l_rates.append(c), l_whole.append(d)
            chunks = (n_s, n_l)
        rss = server.rss_mb()
    local.close()
    s, l = statistics.median(s_rates), statistics.median(l_rates)
    ratios = [x / y for x, y in zip(s_rates, l_rates)]
    save("serve_overhead", {
        "model": path, "rounds": args.rounds, "max_tokens": args.tokens, "target": "server >= 0.95x in-process",
        "load_avg_start": load_start, "load_avg_end": load_avg(),
        "server_decode_tokens_per_s_median": round(s, 2), "in_process_decode_tokens_per_s_median": round(l, 2),
        "ratio_server_over_in_process": round(s / l, 3),
        "ratio_median_of_paired_rounds": round(statistics.median(ratios), 3),
        "server_whole_request_tokens_per_s_median": round(statistics.median(s_whole), 2),
        "in_process_whole_request_tokens_per_s_median": round(statistics.median(l_whole), 2),
        "server_rates": [round(x, 2) for x in s_rates], "in_process_rates": [round(x, 2) for x in l_rates],
        "text_chunks_server_in_process": chunks, "server_rss_mb": round(rss, 1),
    })


if __name__ == "__main__":
    main()
