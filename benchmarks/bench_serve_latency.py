"""Editor latency: consecutive keystroke-like /infill requests on one file, timed from the client.

The file is a real module of this repository (src/codehone/backends/llamacpp.py), cut so that the
prefix plus suffix is about 1,000 tokens. The "user" then types the file's true continuation one
or two characters at a time, and each keystroke sends an /infill request with n_predict=32, the
way llama.vscode does; the server reuses the KV cache of the common prefix, so each request
evaluates only the changed tail of the prefix and the suffix behind it (the FIM layout puts the
suffix after the prefix, so the suffix is evaluated again on every keystroke).

Two modes, each run twice in alternating passes (ABAB) so machine load hits both alike:
  raw     postprocess off: the model writes until 32 tokens or its end-of-middle token
  editor  postprocess on (the default): the suggestion is cut, and generation stopped, where an
          editor would cut it (end of line inside a line, end of block, repeated suffix)

With ``--fim-layout spm`` the server is started with ``codehone serve --fim-layout spm``: the prompt
is suffix first and prefix last, so a keystroke re-reads only the retokenised end of the prefix
(result: serve_latency_spm.json; its quality cost is measured on HumanEval infilling, see
docs/benchmarks.d/serve.md).

    .venv/bin/python benchmarks/bench_serve_latency.py [--keystrokes 40] [--suffix-tokens 120] [--fim-layout spm]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path

import httpx

from _common import save
from bench_serve_common import DEFAULT_MODEL, Server, load_avg, percentile

SOURCE = Path(__file__).resolve().parents[1] / "src/codehone/backends/llamacpp.py"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=DEFAULT_MODEL)
    ap.add_argument("--keystrokes", type=int, default=40)
    ap.add_argument("--total-tokens", type=int, default=1000)
    ap.add_argument("--suffix-tokens", type=int, default=120)
    ap.add_argument("--n-predict", type=int, default=32)
    ap.add_argument("--fim-layout", default="psm", choices=("psm", "spm"))
    args = ap.parse_args()

    text = SOURCE.read_text()
    rng = random.Random(0)
    load_start = load_avg()
    with Server(args.model, "--fim-layout", args.fim_layout) as server, httpx.Client(timeout=120) as client:
        # Token counts come from the server's own tokenizer (tokens_evaluated of a probe request).
        def tokens(prefix: str, suffix: str) -> int:
            r = client.post(f"{server.url}/infill", json={"input_prefix": prefix, "input_suffix": suffix,
                                                         "n_predict": 1, "temperature": 0, "postprocess": False})
            return r.json()["tokens_evaluated"]

        # Cursor: 4 characters per token as a first guess, then adjusted to the wanted sizes.
        cursor = len(text) // 2
        prefix_chars = (args.total_tokens - args.suffix_tokens) * 4
        suffix_chars = args.suffix_tokens * 4
        for _ in range(4):
            pre, suf = text[cursor - prefix_chars: cursor], text[cursor: cursor + suffix_chars]
            total = tokens(pre, suf)
            prefix_chars = int(prefix_chars * (args.total_tokens - args.suffix_tokens) / max(1, total - args.suffix_tokens - 3))
            if abs(total - args.total_tokens) < 40:
                break
        start = cursor - prefix_chars
        suffix = text[cursor + args.keystrokes * 2: cursor + args.keystrokes * 2 + suffix_chars]

        # Modes run as separate passes over the same keystrokes (raw, editor, raw, editor), so each pass
        # sees the cache an editor would: the previous keystroke of the same pass. The first request of
        # a pass (cursor moved back) is excluded; so is the very first, which evaluates everything.
        results: dict[str, list] = {"raw": [], "editor": []}
        steps = [rng.choice((1, 2)) for _ in range(args.keystrokes)]  # one or two characters of the real file
        cold = None
        for mode in ("raw", "editor", "raw", "editor"):
            pos = cursor
            for k in range(args.keystrokes + 1):
                body = {"input_prefix": text[start:pos], "input_suffix": suffix, "n_predict": args.n_predict,
                        "temperature": 0, "postprocess": mode == "editor", "cache_prompt": True}
                t0 = time.perf_counter()
                r = client.post(f"{server.url}/infill", json=body)
                dt = time.perf_counter() - t0
                assert r.status_code == 200, r.text
                d = r.json()
                row = {"ms": dt * 1000, "predicted": d["tokens_predicted"], "evaluated": d["tokens_evaluated"],
                       "server_prompt_ms": d["timings"]["prompt_ms"], "chars": len(d["content"])}
                if cold is None:
                    cold = row
                elif k > 0:
                    results[mode].append(row)
                if k < args.keystrokes:
                    pos += steps[k]
        rss = server.rss_mb()
    load_end = load_avg()

    def summary(rows):
        ms = [r["ms"] for r in rows]
        return {"requests": len(rows), "p50_ms": round(percentile(ms, 0.5), 1), "p95_ms": round(percentile(ms, 0.95), 1),
                "mean_ms": round(statistics.mean(ms), 1),
                "mean_tokens_predicted": round(statistics.mean(r["predicted"] for r in rows), 1),
                "mean_prompt_tokens": round(statistics.mean(r["evaluated"] for r in rows), 1),
                "mean_server_prompt_ms": round(statistics.mean(r["server_prompt_ms"] for r in rows), 1),
                "mean_suggestion_chars": round(statistics.mean(r["chars"] for r in rows), 1)}

    save("serve_latency" + ("_spm" if args.fim_layout == "spm" else ""), {
        "model": args.model, "fim_layout": args.fim_layout, "n_predict": args.n_predict, "keystrokes": args.keystrokes,
        "target": "p50 <= 500 ms, p95 <= 900 ms", "load_avg_start": load_start, "load_avg_end": load_end,
        "cold_first_request": cold, "raw": summary(results["raw"]), "editor": summary(results["editor"]),
        "server_rss_mb": round(rss, 1),
    })


if __name__ == "__main__":
    main()
