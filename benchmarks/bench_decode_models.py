"""Decode time a token of each catalogue model on this machine: could a smaller suggester reach 150 ms?

A next-block line is about 10 tokens. The default 0.5B takes about 25 ms a token on 2 cores, so a
greedy line alone is about 250 ms. The catalogue's smaller model (SmolLM2 135M) has a quarter of
the parameters but 30 layers (the 0.5B has 24): on a CPU, a token's time follows the layers' weights
read and the number of layers run one after another, not the parameter count alone. Each model here
decodes the same block program greedily after the same prompt, ``--rounds`` times, through the
project's llama.cpp backend; the median per token is reported. Then the studio's way to find 3
ideas, a beam of 3, over a 10-token line after a block program, with that program's prompt cached
and with a program not seen before (median of ``--rounds`` each).

    .venv/bin/python benchmarks/bench_decode_models.py [--models qwen2.5-coder-0.5b-instruct,smollm2-135m-instruct]
"""

from __future__ import annotations

import argparse
import statistics

from _common import save

PROMPT = ("when_flag_clicked():\n    pen_down()\n    set_pen_color_to(\"#ff0000\")\n    repeat(4):\n"
          "        move(100)\n        turn_right(90)\n    pen_up()\n    say(\"a red square!\")\n")


def _beam_ms(backend, rounds: int, cached: bool) -> float:  # noqa: ANN001
    """A beam of 3 over a 10-token line (the studio's top 3), after a prompt that is cached, or not:
    a new first line each round, so the whole prompt is evaluated again (a program not seen before)."""
    from codehone.backends.base import Request, SamplingParams

    ms = []
    for k in range(rounds):
        head = "" if cached else f"# program {k}\n"
        r = backend.beam_search(Request.complete(head + PROMPT), SamplingParams(max_tokens=10), 3)
        ms.append(1000 * r.total_seconds)
    return round(statistics.median(ms))


def _per_token_ms(model: str, rounds: int, tokens: int) -> dict:
    from codehone.backends import load_backend
    from codehone.backends.base import Request, SamplingParams

    backend = load_backend(model)
    try:
        ms = []
        for _ in range(rounds):
            r = backend.generate(Request.complete(PROMPT * 3), SamplingParams(max_tokens=tokens))
            c = r.completions[0]
            decode_s = r.total_seconds - r.prompt_seconds
            ms.append(1000 * decode_s / max(1, c.tokens))
        return {"model": model, "ms_per_token": round(statistics.median(ms), 1), "tokens": c.tokens,
                "prompt_tokens": r.prompt_tokens, "beam3_10_tokens_cached_ms": _beam_ms(backend, rounds, True),
                "beam3_10_tokens_cold_ms": _beam_ms(backend, rounds, False),
                "beam_prompt_tokens": len(backend.prompt_tokens(Request.complete(PROMPT)))}
    finally:
        backend.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", default="qwen2.5-coder-0.5b-instruct,smollm2-135m-instruct")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--tokens", type=int, default=32)
    ap.add_argument("--name", default="decode_models")
    args = ap.parse_args()
    rows = [_per_token_ms(m, args.rounds, args.tokens) for m in args.models.split(",")]
    for r in rows:
        print(f"{r['model']}: {r['ms_per_token']} ms a token ({r['tokens']} tokens, {r['prompt_tokens']} prompt tokens); "
              f"a 10-token line {10 * r['ms_per_token']:.0f} ms; a beam of 3 over 10 tokens "
              f"{r['beam3_10_tokens_cached_ms']} ms with the prompt cached, {r['beam3_10_tokens_cold_ms']} ms "
              f"with {r['beam_prompt_tokens']} prompt tokens to evaluate")
    save(args.name, {"rounds": args.rounds, "rows": rows,
                     "ratio_first_to_others": [round(rows[0]["ms_per_token"] / r["ms_per_token"], 2) for r in rows]})


if __name__ == "__main__":
    main()
