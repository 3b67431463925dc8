"""The ``blocks-tutor`` benchmark: held-out requests to be taught step by step (tutor.py says how
a tutorial is judged).

``tutor.jsonl`` (beside the ``blocks`` benchmark) holds one task per line: a ``blocks`` benchmark
task (request, check, answers, events, reference) renamed ``tutor-<family>-NN``, taken round-robin
over the families (``impossible`` left out: there is nothing to teach) until ``TASKS``. A task is
kept only if its reference can itself be taught within the rules (:func:`make_tutorial` gives a
tutorial that passes :func:`score_tutorial`), so every task is solvable. Training tutorials come from
synthesizer programs (skill_pairs.py), never from these references. Deterministic;
``python -m codehone.blocks.copilot.tutor_bench`` rewrites the file and a test checks it matches.
"""

from __future__ import annotations

import json
from pathlib import Path

from codehone.blocks.copilot.bench import BENCH_FILES, load_benchmark
from codehone.blocks.copilot.tutor import make_tutorial, score_tutorial

TASKS = 64
SKIP_FAMILIES = ("impossible",)


def build_tutor_benchmark(n: int = TASKS) -> list[dict]:
    by_family: dict[str, list[dict]] = {}
    for task in load_benchmark():
        if task["family"] in SKIP_FAMILIES:
            continue
        tutorial = make_tutorial(task["reference"])
        if tutorial is None or score_tutorial(task, tutorial)[0]["status"] != "passed":
            continue
        by_family.setdefault(task["family"], []).append(task)
    out: list[dict] = []
    turn = 0
    while len(out) < n and any(by_family.values()):
        for family in sorted(by_family):
            if by_family[family] and len(out) < n:
                task = by_family[family].pop(0)
                out.append({**task, "task_id": f"tutor-{family}-{turn:02d}", "source_task": task["task_id"]})
        turn += 1
    return out


def benchmark_path() -> Path:
    return Path(__file__).parent / "bench" / BENCH_FILES["blocks-tutor"]


def main() -> None:
    rows = build_tutor_benchmark()
    benchmark_path().write_text("".join(json.dumps(r, sort_keys=True) + "\n" for r in rows), encoding="utf-8")


if __name__ == "__main__":
    main()
