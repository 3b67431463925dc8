"""Rewriting check() tests into calls + checks (core/sandbox/testplan.py) and model-written asserts
(eval/asserts.py): which shapes are judged where, on the vendored benchmarks."""

from collections import Counter

import pytest

from codehone.eval.asserts import judge_here, rewrite
from codehone.eval.benchmarks import load_benchmark
from codehone.core.sandbox.values import Unencodable
from codehone.core.sandbox.testplan import Call, judge_check, plan_for


def _plans(name):
    bench = load_benchmark(name)
    return {t.task_id: plan_for(t.test, t.entry_point, bench.check_name, t.prompt) for t in bench.tasks.values()}


def test_the_replayed_humaneval_tasks_are_the_documented_six():
    plans = _plans("humaneval")
    replay = sorted(t for t, p in plans.items() if p.kind == "replay")
    assert replay == ["HumanEval/151", "HumanEval/32", "HumanEval/38", "HumanEval/44", "HumanEval/50", "HumanEval/53"]
    assert all(p.calls and p.checks for p in plans.values() if p.kind == "static")


def test_every_mbpp_test_is_static_and_calls_by_name():
    plans = _plans("mbpp")
    assert Counter(p.kind for p in plans.values()) == {"static": 257}
    assert plans["MbppEval/11"].calls[0] == Call("remove_Occ", ("hello", "l"), {})


def test_static_plan_of_humaneval_2_judges_abs_on_plain_values():
    he = load_benchmark("humaneval")
    task = he.tasks["HumanEval/2"]
    plan = plan_for(task.test, task.entry_point, "check", task.prompt)
    assert [c.args for c in plan.calls] == [(3.5,), (1.33,), (123.456,)]
    good = [0.5, 0.33000000000000007, 0.45600000000000307]
    assert all(judge_check(plan, c, good) is None for c in plan.checks)
    why = judge_check(plan, plan.checks[1], [0.5, 0.0, 0.0])
    assert "abs(candidate(1.33) - 0.33) < 1e-06" in why and "at test line 11" in why
    assert "not plain data" in judge_check(plan, plan.checks[0], [Unencodable("E")])


def test_arguments_are_evaluated_once_by_the_planner():
    plan = plan_for("def check(candidate):\n    assert candidate(3 * 19) == 57\n    assert candidate([1, 0 ** 0])\n", "f")
    assert plan.kind == "static" and [c.args for c in plan.calls] == [(57,), ([1, 1],)]


@pytest.mark.parametrize("test, reason", [
    ("def check(candidate):\n    x = 3\n    assert candidate(x) == 3\n", "Assign"),
    ("def check(candidate):\n    assert candidate(candidate(1)) == 1\n", "calls the candidate"),
    ("def check(candidate):\n    assert poly([1], candidate([1])) == 0\n", "helper"),
    ("import os\ndef check(candidate):\n    assert candidate(1)\n", "imports os"),
])
def test_shapes_that_are_replayed(test, reason):
    plan = plan_for(test, "f", "check", "def poly(xs, x):\n    return 0\n")
    assert plan.kind == "replay" and reason in plan.reason


def test_infill_prefix_is_not_a_helper_of_its_own_entry_point():
    plans = _plans("infill-single")
    assert plans["SingleLineInfilling/HumanEval/33/L1"].kind == "static"


def test_generated_asserts_safe_shapes_are_judged_here_and_others_are_not():
    calls: list[str] = []
    rw = rewrite("assert f([1, 2]) == 3 and abs(f([]) - 0) < 1e-6", "f", calls)
    assert calls == ["f([1, 2])", "f([])"] and rw.safe and rw.calls == (0, 1)
    assert judge_here(rw, [3, 0]) and not judge_here(rw, [4, 0])
    assert rewrite("assert f(1) * 10 ** 9 == 3", "f", calls).safe is False  # can grow: not in the parent
    assert rewrite("assert '%0999999d' % f(1) == 'x'", "f", calls).safe is False
    assert rewrite("assert __import__('os').system('x') == f(1)", "f", calls).safe is False
    assert rewrite("assert g(1) == 2", "f", calls) is None  # does not call the entry point
