"""HumanEval+ v0.1.10 (EvalPlus): the HumanEval problems with base_input + plus_input.

Judged like EvalPlus: each input is passed (deep-copied) to the candidate, whose return value must
equal the canonical solution's on the same input; floats within ``atol`` (at least 1e-6) with
rtol 1e-7; HumanEval/32 (find_zero) is judged by |poly(x)| <= atol. Expected values are computed
by running the canonical solution in the same sandbox (score.py), never hard-coded.
"""

from __future__ import annotations

import math

from codehone.eval.benchmarks.base import Benchmark, Task, chat_prompt, read_asset


def load() -> Benchmark:
    tasks = {}
    for r in read_asset("HumanEvalPlus-v0.1.10.jsonl.gz"):
        tasks[r["task_id"]] = Task(task_id=r["task_id"], prompt=r["prompt"], entry_point=r["entry_point"],
                                   reference=r["canonical_solution"], test=r["test"],
                                   inputs=r["base_input"] + r["plus_input"], atol=float(r["atol"] or 0),
                                   chat_prompt=chat_prompt(r["prompt"]))
    return Benchmark(name="humaneval+", tasks=tasks, mode="io", request_mode="complete")


def _is_floats(x) -> bool:
    return type(x) is float or (type(x) in (list, tuple) and len(x) > 0 and all(type(v) is float for v in x))


def _poly(xs, x):
    return sum(c * math.pow(x, i) for i, c in enumerate(xs))


def _allclose(out, exp, atol: float) -> bool:
    a = out if isinstance(out, (list, tuple)) else [out]
    b = exp if isinstance(exp, (list, tuple)) else [exp]
    try:
        return all(abs(x - y) <= atol + 1e-7 * abs(y) for x, y in zip(a, b, strict=True))
    except (TypeError, ValueError):
        return False


def judge(task: Task, inp: list, out, exp) -> bool:
    """One output against the reference's, following EvalPlus's evaluate/`unsafe_execute` rules.
    ``out`` is plain data (sandbox.decode), so == cannot be hijacked by the program."""
    atol = task.atol
    if task.entry_point == "find_zero":
        try:
            return type(out) in (int, float) and abs(_poly(inp[0], out)) <= atol
        except (OverflowError, TypeError, ValueError):
            return False
    if atol == 0 and _is_floats(exp):
        atol = 1e-6
    if type(out) is not type(exp) and not (isinstance(out, (int, float)) and isinstance(exp, (int, float))):
        return False
    if out == exp:
        return True
    if atol != 0:
        if type(out) is not type(exp):
            return False
        if isinstance(exp, (list, tuple)) and len(out) != len(exp):
            return False
        return _allclose(out, exp, atol)
    return False
