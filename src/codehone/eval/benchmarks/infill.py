"""HumanEval infilling (Bavarian et al. 2022): single-line and multi-line spans.

A base model sees prefix (``prompt``) and ``suffix`` and writes the middle; the program run is
prefix + middle + suffix followed by the HumanEval test. Instruct models get the code with a
marker and are asked for the missing lines only."""

from __future__ import annotations

from codehone.eval.benchmarks.base import Benchmark, Task, read_asset

HOLE = "<FILL_ME>"
CHAT = ("Fill in the missing code at {hole} in this Python function. Reply with only the missing "
        "lines, exactly indented, in a markdown code block.\n```python\n{code}\n```\n")


def _load(filename: str, name: str) -> Benchmark:
    tasks = {}
    for r in read_asset(filename):
        code = r["prompt"] + HOLE + r["suffix"]
        tasks[r["task_id"]] = Task(task_id=r["task_id"], prompt=r["prompt"], suffix=r["suffix"],
                                   entry_point=r["entry_point"], reference=r["canonical_solution"],
                                   test=r["test"], chat_prompt=CHAT.format(hole=HOLE, code=code))
    return Benchmark(name=name, tasks=tasks, mode="check", request_mode="infill")


def load_single() -> Benchmark:
    return _load("HumanEval-SingleLineInfilling.jsonl.gz", "infill-single")


def load_multi() -> Benchmark:
    return _load("HumanEval-MultiLineInfilling.jsonl.gz", "infill-multi")
