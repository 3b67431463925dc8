"""Figures for codehone.blocks: round trips of the example programs and interpreter speed.

    .venv/bin/python benchmarks/bench_blocks_core.py

Prints a JSON object: how many example programs survive text -> sb3 -> text unchanged (and
parse -> print), parse/print/convert times, and interpreter blocks per second on a forever
loop that hits the step cap. Pure Python, single thread; no model involved.
"""

from __future__ import annotations

import json
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "unit" / "blocks"))

from examples import ALL  # noqa: E402

from codehone.blocks.lang.parser import parse  # noqa: E402
from codehone.blocks.lang.printer import format_program  # noqa: E402
from codehone.blocks.runtime.interpreter import run_program  # noqa: E402
from codehone.blocks.sb3.read import sb3_to_program  # noqa: E402
from codehone.blocks.sb3.write import program_to_sb3  # noqa: E402


def _best(fn, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    texts = list(ALL.values())
    ok_print = sum(format_program(parse(t)) == t for t in texts)
    ok_sb3 = sum(format_program(sb3_to_program(program_to_sb3(parse(t)))) == t for t in texts)
    programs = [parse(t) for t in texts]
    t_parse = _best(lambda: [parse(t) for t in texts]) / len(texts)
    t_sb3 = _best(lambda: [sb3_to_program(program_to_sb3(p)) for p in programs]) / len(texts)
    loop = parse("when_flag_clicked():\n    pen_down()\n    forever():\n        move(1)\n        turn_right(1)\n")
    steps = 200_000
    t_run = _best(lambda: run_program(loop, max_steps=steps, max_seconds=1e9), repeat=3)
    hexagon = parse(ALL["hexagon"])
    t_hex = _best(lambda: run_program(hexagon), repeat=20)
    print(json.dumps({
        "examples": len(texts), "parse_print_unchanged": ok_print, "text_sb3_text_unchanged": ok_sb3,
        "parse_ms_per_program": round(t_parse * 1e3, 3), "sb3_write_read_ms_per_program": round(t_sb3 * 1e3, 3),
        "interpreter_blocks_per_s": round(steps / t_run), "hexagon_run_ms": round(t_hex * 1e3, 3),
        "python": platform.python_version(), "machine": platform.processor() or platform.machine(),
    }, indent=1))


if __name__ == "__main__":
    main()
