"""Figure (issue 21, part 4): a chat model's HumanEval answers with and without the stop at the
closing code fence, same tasks, same run, greedy, the default model on llama.cpp. Reports pass@1,
generated tokens and generation seconds of each, and the ratios (with / without).

Without the stop, the model writes its own tests and explanations after the code block until the
token limit (768 by default, as `codehone eval`); the sanitiser throws that text away, so pass@1
must not change.

Usage: .venv/bin/python benchmarks/bench_eval_chat_stop.py [--limit 20] [--max-tokens 768]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import default_model_path, save  # noqa: E402

from codehone.backends import load_backend  # noqa: E402
from codehone.backends.base import SamplingParams  # noqa: E402
from codehone.eval import generate as gen  # noqa: E402
from codehone.eval.score import score_samples  # noqa: E402


def _pass(backend, out: Path, limit: int, max_tokens: int) -> dict:
    t0 = time.perf_counter()
    path = gen.generate_samples(backend, "humaneval", out, n=1, params=SamplingParams(max_tokens=max_tokens),
                                chat=True, limit=limit, progress=False)
    seconds = time.perf_counter() - t0
    rows = [json.loads(x) for x in path.read_text().splitlines() if x.strip()]
    summary = score_samples("humaneval", path, out, workers=2, k=(1,))
    return {"tasks": len(rows), "pass@1": summary["pass@1"], "tokens": sum(r["tokens"] for r in rows),
            "hit_token_limit": sum(r["finish_reason"] == "length" for r in rows), "generate_s": round(seconds, 1)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=20)
    ap.add_argument("--max-tokens", type=int, default=768)
    args = ap.parse_args()
    backend = load_backend(default_model_path())
    tmp = Path(tempfile.mkdtemp(prefix="chat-stop-"))
    try:
        stops = gen.CHAT_STOPS
        gen.CHAT_STOPS = ()  # today's behaviour before the stop: decode to the limit
        without = _pass(backend, tmp / "without", args.limit, args.max_tokens)
        gen.CHAT_STOPS = stops
        with_stop = _pass(backend, tmp / "with", args.limit, args.max_tokens)
    finally:
        backend.close()
    save("eval_chat_stop", {
        "model": "qwen2.5-coder-0.5b-instruct (Q4_K_M, llama.cpp)", "limit": args.limit, "max_tokens": args.max_tokens,
        "without_stop": without, "with_stop": with_stop,
        "tokens_ratio": round(with_stop["tokens"] / max(1, without["tokens"]), 3),
        "generate_time_ratio": round(with_stop["generate_s"] / max(1e-9, without["generate_s"]), 3)})


if __name__ == "__main__":
    main()
