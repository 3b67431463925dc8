"""What the streaming block parser adds per generated token.

    .venv/bin/python benchmarks/bench_blocks_stream.py

Each program (the test examples, the few-shot answers, and a 61-line script to show how the
cost grows) is cut into tokens by the default model's tokenizer when it is cached (the tiny test
tokenizer otherwise), and fed token by token to a StreamParser, reading ``snapshot()`` after
every token as the CLI's live view could. Beside it, the simple alternative: reparse all complete
lines at every newline. Times are per token, best of 5 passes per program (a shared 2-core
machine: the minimum filters out other jobs). Writes benchmarks/results/blocks_stream.json.
"""

from __future__ import annotations

import codecs
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests" / "unit" / "blocks"))

from _common import save  # noqa: E402
from examples import ALL  # noqa: E402

from codehone.blocks.copilot.prompting import FEW_SHOT  # noqa: E402
from codehone.blocks.lang.parser import parse  # noqa: E402
from codehone.blocks.lang.stream import StreamParser  # noqa: E402
from codehone.blocks.lang.tokens import BlockSyntaxError  # noqa: E402


def long_program() -> str:
    lines = ["when_flag_clicked():", "    pen_down()"]
    for i in range(10):
        lines += ["    repeat(4):", f"        move({10 + i})", "        turn_right(90)",
                  f"    change_variable(\"n\", {i})", "    say(join(\"side \", variable(\"n\")))", "    wait(0.1)"]
    return "\n".join(lines[:61]) + "\n"


def tokenizer():
    """(name, text -> list of token byte strings)."""
    try:
        from codehone.models.catalogue import CATALOGUE
        from codehone.models.fetch import cached_path

        path = cached_path(CATALOGUE["qwen2.5-coder-0.5b-instruct"])
        if path.exists():
            from codehone.backends.llamacpp import LlamaCppBackend

            b = LlamaCppBackend(path, n_ctx=512, n_seq_max=1)
            return "qwen2.5-coder-0.5b-instruct (llama.cpp vocab)", lambda t: [b.piece(i) for i in b.tokenize(t)]
    except Exception as e:  # noqa: BLE001 - fall back to the tiny tokenizer, say why
        print(f"default model tokenizer unavailable ({e}); using the tiny test tokenizer", file=sys.stderr)
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import build_tiny_tokenizer

    tok = build_tiny_tokenizer()
    return "tiny test tokenizer (600 tokens)", lambda t: [tok.convert_tokens_to_string([p]).encode()
                                                          for p in tok.tokenize(t)]


def chunks(pieces: list[bytes]) -> list[str]:
    dec = codecs.getincrementaldecoder("utf-8")()
    return [dec.decode(p) for p in pieces]


def stream_times(parts: list[str]) -> list[float]:
    s, out = StreamParser(), []
    for part in parts:
        t0 = time.perf_counter()
        s.feed(part)
        s.snapshot()
        out.append(time.perf_counter() - t0)
    s.finish()
    return out


def reparse_times(parts: list[str]) -> list[float]:
    text, out = "", []
    for part in parts:
        t0 = time.perf_counter()
        text += part
        if "\n" in part:
            try:
                parse(text[: text.rfind("\n") + 1])
            except BlockSyntaxError:  # a call above its define: the prefix is not a program yet
                pass
        out.append(time.perf_counter() - t0)
    return out


def best_of(fn, parts: list[str], passes: int = 5) -> list[float]:
    runs = [fn(parts) for _ in range(passes)]
    return [min(r[i] for r in runs) for i in range(len(parts))]


def main() -> None:
    name, tokenize = tokenizer()
    programs = {**ALL, **{f"few_shot_{i}": p for i, (_, p) in enumerate(FEW_SHOT)}, "long_61_lines": long_program()}
    rows, all_stream, all_reparse = [], [], []
    for key, text in programs.items():
        parts = chunks(tokenize(text))
        assert "".join(parts) == text, key
        st, rp = best_of(stream_times, parts), best_of(reparse_times, parts)
        all_stream += st
        all_reparse += rp
        rows.append({"program": key, "lines": text.count("\n"), "tokens": len(parts),
                     "stream_mean_us": round(statistics.mean(st) * 1e6, 1), "stream_max_us": round(max(st) * 1e6, 1),
                     "reparse_mean_us": round(statistics.mean(rp) * 1e6, 1),
                     "reparse_max_us": round(max(rp) * 1e6, 1)})
    q = statistics.quantiles(all_stream, n=100)
    save("blocks_stream", {
        "tokenizer": name,
        "programs": len(programs),
        "tokens": len(all_stream),
        "stream_per_token_us": {"mean": round(statistics.mean(all_stream) * 1e6, 1), "p50": round(q[49] * 1e6, 1),
                                "p99": round(q[98] * 1e6, 1), "max": round(max(all_stream) * 1e6, 1)},
        "reparse_per_token_us": {"mean": round(statistics.mean(all_reparse) * 1e6, 1),
                                 "max": round(max(all_reparse) * 1e6, 1)},
        "under_1ms_per_token": statistics.mean(all_stream) < 1e-3,
        "per_program": rows,
    })


if __name__ == "__main__":
    main()
