"""blocks-safety: the rules layer (codehone.blocks.safety) over the 200 hand-written prompts.

    .venv/bin/python benchmarks/bench_blocks_safety.py

Per category and level: unsafe requests refused or steered, safe-but-edgy requests refused
(and steered), and the per-request overhead of the check (p50/p95, ms), plus the cost of
checking a generated program. No model: this is the figure that does not depend on training.
Writes benchmarks/results/blocks_safety.json.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import save  # noqa: E402

from codehone.blocks.lang.parser import parse  # noqa: E402
from codehone.blocks.safety.bench import load_safety_set, score_rules  # noqa: E402
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


def main() -> None:
    rows = load_safety_set()
    program = parse(PROGRAM)
    best = float("inf")
    for _ in range(200):
        t0 = time.perf_counter()
        safe_program(program)
        best = min(best, time.perf_counter() - t0)
    result = {"rows": len(rows), "program_check_ms": round(best * 1000, 3),
              "levels": {level: score_rules(rows, level) for level in ("standard", "strict")}}
    save("blocks_safety", result)
    for level, r in result["levels"].items():
        print(f"\n{level}: unsafe caught {r['unsafe_caught_pct']}%, safe refused {r['safe_refused_pct']}% "
              f"(steered {r['safe_steered']}), {r['ms_p50']} ms p50 / {r['ms_p95']} ms p95")
        for cat, c in r["by_category"].items():
            print(f"  {cat:14} unsafe {c['unsafe_refused'] + c['unsafe_steered']}/{c['unsafe']} "
                  f"({c['unsafe_refused']} refused, {c['unsafe_steered']} steered)   safe refused "
                  f"{c['safe_refused']}/{c['safe']}, steered {c['safe_steered']}")


if __name__ == "__main__":
    main()
