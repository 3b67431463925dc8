"""blocks-safety: the rules layer (codehone.blocks.safety) over the 200 hand-written prompts.

    .venv/bin/python benchmarks/bench_blocks_safety.py
    .venv/bin/python benchmarks/bench_blocks_safety.py --e2e 10   # also N unsafe + N safe prompts through
                                                                  # `codehone blocks generate` (default model)
    .venv/bin/python benchmarks/bench_blocks_safety.py --lang     # blocks-safety-lang instead (es/fr/de/pt)
    .venv/bin/python benchmarks/bench_blocks_safety.py --lang --lang-set 2   # the second set
    .venv/bin/python benchmarks/bench_blocks_safety.py --lang --lang-set 3   # the third set (development since session 14)
    .venv/bin/python benchmarks/bench_blocks_safety.py --lang --lang-set 4   # the fourth, held-out set (with English)

Per category and level: unsafe requests refused or steered, safe-but-edgy requests refused
(and steered), and the per-request overhead of the check (p50/p95, ms), plus the cost of
checking a generated program. No model: this is the figure that does not depend on training.
Writes benchmarks/results/blocks_safety.json.

With ``--lang``: the 160 hand-written prompts of safety_lang.jsonl (Spanish, French, German,
Portuguese) through the screen ``blocks generate`` runs before the model
(codehone.blocks.languages.screen.screen_request), the same figures per language and category.
Writes benchmarks/results/blocks_safety_lang.json. With ``--lang --lang-set 2``: the 240 prompts of
safety_lang_2.jsonl, written to benchmarks/results/blocks_safety_lang_2.json. With ``--lang --lang-set 3``:
the 240 prompts of safety_lang_3.jsonl, written to benchmarks/results/blocks_safety_lang_3.json: the
held-out test set from session 13 on (sets 1 and 2 are development sets; see safety_lang_3.md).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import save  # noqa: E402

from codehone.blocks.lang.parser import parse  # noqa: E402
from codehone.blocks.safety.bench import (SAFETY_LANG_SET, SAFETY_LANG_SET_2, SAFETY_LANG_SET_3,  # noqa: E402
                                          SAFETY_LANG_SET_4, load_safety_set, score_languages, score_rules)
from codehone.blocks.safety.check import safe_program  # noqa: E402

# A program of the size the copilot writes, for the cost of the after-generation check.
PROGRAM = """sprite("Cat"):
    when_flag_clicked():
        ask("What is your name?")
        say_for_secs(join("Hello ", answer()), 2)
        repeat(10):
            move(10)
            turn_right(36)
            think("I am dizzy")
        set_variable("score", 0)
    when_this_sprite_clicked():
        broadcast("clicked")
sprite("Dog"):
    when_i_receive("clicked"):
        say("Woof! Let's play tag!")
"""


def end_to_end(rows: list[dict], n: int) -> dict:
    """``n`` unsafe and ``n`` safe prompts (spread over the categories) through the real command:
    each answer must be a program that parses and passes check_program, or a plain message."""
    from codehone.blocks.safety.check import check_program

    picked = []
    for label in ("unsafe", "safe"):
        pool = [r for r in rows if r["label"] == label]
        picked += pool[:: max(1, len(pool) // n)][:n]
    out, results = Path(tempfile.mkdtemp()), []
    for row in picked:
        path = out / f"{row['id']}.txt"
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "codehone", "blocks", "generate", row["prompt"], "-o", str(path),
                               "--max-tokens", "200"], capture_output=True, text=True)
        answer = "program" if path.exists() else "message"
        valid = True
        if path.exists():
            try:
                valid = check_program(parse(path.read_text())).allowed
            except Exception:  # noqa: BLE001 - an unparsable file is what this looks for
                valid = False
        results.append({"id": row["id"], "label": row["label"], "category": row["category"], "rc": proc.returncode,
                        "answer": answer, "valid": valid, "seconds": round(time.perf_counter() - t0, 1),
                        "said": proc.stdout.strip()[:200], "traceback": "Traceback" in proc.stderr})
        print(results[-1], flush=True)
    return {"n": len(results), "tracebacks": sum(r["traceback"] for r in results),
            "invalid_programs": sum(not r["valid"] for r in results), "runs": results}


def _print(name: str, r: dict) -> None:
    print(f"\n{name}: unsafe caught {r['unsafe_caught_pct']}%, safe refused {r['safe_refused_pct']}% "
          f"(steered {r['safe_steered']}), {r['ms_p50']} ms p50 / {r['ms_p95']} ms p95")
    for cat, c in r["by_category"].items():
        print(f"  {cat:14} unsafe {c['unsafe_refused'] + c['unsafe_steered']}/{c['unsafe']} "
              f"({c['unsafe_refused']} refused, {c['unsafe_steered']} steered)   safe refused "
              f"{c['safe_refused']}/{c['safe']}, steered {c['safe_steered']}")


def languages(lang_set: int = 1) -> None:
    """blocks-safety-lang (set 1), blocks-safety-lang-2 (set 2) or blocks-safety-lang-3 (set 3, held out):
    per language and category, at both levels."""
    rows = load_safety_set({1: SAFETY_LANG_SET, 2: SAFETY_LANG_SET_2, 3: SAFETY_LANG_SET_3, 4: SAFETY_LANG_SET_4}[lang_set])
    prompts = {r["id"]: r["prompt"] for r in rows}
    result = {"rows": len(rows), "check": "codehone.blocks.languages.screen.screen_request",
              "levels": {level: score_languages(rows, level) for level in ("standard", "strict")}}
    save("blocks_safety_lang" if lang_set == 1 else f"blocks_safety_lang_{lang_set}", result)
    for level, by_level in result["levels"].items():
        for lang, r in [("all", by_level["all"]), *by_level["languages"].items()]:
            _print(f"{level} {lang}", r)
        missed = by_level["all"]["unsafe_missed"]
        print(f"\n{level}: unsafe let through ({len(missed)}):")
        for i in missed:
            print(f"  {i}: {prompts[i]}")
        print(f"{level}: safe refused:")
        for i, why in by_level["all"]["safe_refused_as"].items():
            print(f"  {i} ({why}): {prompts[i]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--e2e", type=int, default=0, help="also run N unsafe + N safe prompts end to end")
    parser.add_argument("--lang", action="store_true", help="score blocks-safety-lang (es/fr/de/pt) instead")
    parser.add_argument("--lang-set", type=int, choices=(1, 2, 3, 4), default=1,
                        help="with --lang: 1 = safety_lang.jsonl, 2 = safety_lang_2.jsonl (development), "
                             "3 = safety_lang_3.jsonl (held out)")
    args = parser.parse_args()
    if args.lang:
        return languages(args.lang_set)
    rows = load_safety_set()
    program = parse(PROGRAM)
    best = float("inf")
    for _ in range(200):
        t0 = time.perf_counter()
        safe_program(program)
        best = min(best, time.perf_counter() - t0)
    result = {"rows": len(rows), "program_check_ms": round(best * 1000, 3),
              "levels": {level: score_rules(rows, level) for level in ("standard", "strict")}}
    if args.e2e:
        result["end_to_end"] = end_to_end(rows, args.e2e)
    save("blocks_safety", result)
    for level, r in result["levels"].items():
        _print(level, r)


if __name__ == "__main__":
    main()
