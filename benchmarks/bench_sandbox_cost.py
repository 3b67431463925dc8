"""Figure: CPU cost of one sandboxed run of a trivial program, check mode vs io mode (the mode every
verdict now goes through), as the sandbox's children's CPU (rusage) plus the parent's, per run.
CPU time, not wall time, so a shared machine's load moves it little.

Usage: .venv/bin/python benchmarks/bench_sandbox_cost.py [--runs 60]
"""

from __future__ import annotations

import argparse
import resource

from codehone.core.sandbox import run as sandbox

PROGRAM = "def f(a, b):\n    return a + b\n"


def cost(fn, runs: int) -> str:
    r0, s0 = resource.getrusage(resource.RUSAGE_CHILDREN), resource.getrusage(resource.RUSAGE_SELF)
    for _ in range(runs):
        fn()
    r1, s1 = resource.getrusage(resource.RUSAGE_CHILDREN), resource.getrusage(resource.RUSAGE_SELF)
    child = (r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime) / runs * 1000
    parent = (s1.ru_utime + s1.ru_stime - s0.ru_utime - s0.ru_stime) / runs * 1000
    return f"{child:.1f} ms sandbox + {parent:.1f} ms parent"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=60)
    args = ap.parse_args()
    print(f"isolation: {sandbox.isolation()}")
    cases = {
        "check mode, 1 assert": lambda: sandbox.run_program(PROGRAM, test="def check(c):\n    assert c(1, 2) == 3\n",
                                                             entry_point="f"),
        "io mode, 1 call": lambda: sandbox.run_program(PROGRAM, entry_point="f", inputs=[[1, 2]], limits=[3.0]),
        "io mode, 10 calls": lambda: sandbox.run_program(PROGRAM, entry_point="f", inputs=[[1, 2]] * 10,
                                                          limits=[3.0] * 10),
    }
    for name, fn in cases.items():
        print(f"{name}: {cost(fn, args.runs)}")


if __name__ == "__main__":
    main()
