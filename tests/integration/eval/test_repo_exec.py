"""Repo benchmark fills scored by the repository's own pytest tests, in the real sandbox
(eval/repo_exec.py): which tests cover a file, the reference and mutant checks, fills that pass,
fail or do not compile, tasks without tests, and a rerun that runs nothing again."""

from __future__ import annotations

import time
from pathlib import Path

from codehone.eval.repo_exec import Checkout, execute, execution_line, mutants, summarize
from codehone.runs import read_jsonl

OPS = '''"""Small arithmetic helpers."""


def add(a, b):
    total = a + b
    return total


def scale(values, factor):
    out = []
    for v in values:
        out.append(v * factor)
    return out


def never_tested(x):
    doubled = x * 2
    return doubled
'''

TESTS = '''from calc.ops import add, scale


def test_add():
    assert add(2, 3) == 5


def test_scale():
    assert scale([1, 2], 3) == [3, 6]
'''


def make_checkout(root: Path) -> Path:
    (root / "src" / "calc").mkdir(parents=True)
    (root / "src" / "calc" / "__init__.py").write_text("")
    (root / "src" / "calc" / "ops.py").write_text(OPS)
    (root / "src" / "calc" / "notes.py").write_text("X = 1\n")
    (root / "tests").mkdir()
    (root / "tests" / "test_ops.py").write_text(TESTS)
    (root / "pyproject.toml").write_text("[tool.pytest.ini_options]\naddopts = ['--cov=calc']\n")  # a plugin we lack
    (root / ".git").mkdir()
    (root / ".git" / "junk.py").write_text("raise SystemExit(1)\n")
    return root


def task(tid: str, middle: str, kind: str = "single_line", path: str = "src/calc/ops.py", text: str = OPS) -> dict:
    at = text.index(middle)
    return {"task_id": tid, "path": path, "language": "python", "kind": kind,
            "prefix": text[:at], "middle": middle, "suffix": text[at + len(middle):]}


def test_which_tests_cover_which_files(tmp_path):
    co = Checkout.load(make_checkout(tmp_path / "repo"))
    assert co.tests == ["tests/test_ops.py"] and ".git/junk.py" not in co.files
    assert co.tests_for("src/calc/ops.py") == ["tests/test_ops.py"]
    assert co.tests_for("tests/test_ops.py") == ["tests/test_ops.py"]
    assert co.tests_for("src/calc/notes.py") == [] and co.tests_for("README.md") == []
    assert co.import_paths() == ["src", "."]
    assert mutants("        out.append(v)\n", "single_line")[0] == "        pass\n"
    assert mutants("a + b", "random_span")[0] == "None"


def test_fills_are_judged_by_the_tests_and_a_rerun_runs_nothing(tmp_path):
    co = Checkout.load(make_checkout(tmp_path / "repo"))
    rows = [task("r/0", "    total = a + b\n"),
            task("r/1", "    total = a + b\n"),
            task("r/2", "v * factor", kind="random_span"),
            task("r/3", "    doubled = x * 2\n"),
            task("r/4", "    total = a + b\n"),
            task("r/5", "X = 1\n", path="src/calc/notes.py", text="X = 1\n")]
    predictions = {"r/0": "    total = a + b\n",  # the reference middle
                   "r/1": "    total = b + a\n",  # another way to say it: exact match misses it, the tests do not
                   "r/2": "v + factor",  # wrong
                   "r/3": "    doubled = x\n",  # wrong, but no test calls it
                   "r/4": "    total = (a +\n"}  # does not compile
    log = tmp_path / "executions.jsonl"
    verdicts = execute(rows, predictions, co, log, progress=False)
    got = {t: v["exec"] for t, v in verdicts.items()}
    assert got == {"r/0": "passed", "r/1": "passed", "r/2": "failed", "r/3": "not_covered", "r/4": "failed",
                   "r/5": "untested"}
    assert "FAILED tests/test_ops.py::test_scale" in verdicts["r/2"]["exec_detail"]
    assert verdicts["r/4"]["exec_detail"] == "SyntaxError (not run)"
    runs = list(read_jsonl(log))
    assert sum(r["what"] == "reference" for r in runs) == 1  # once for the file, not once a task
    summary = summarize([{"kind": r["kind"], **verdicts[r["task_id"]]} for r in rows])["all"]
    assert (summary["passed"], summary["covered"], summary["untested"], summary["not_covered"]) == (2, 4, 1, 1)
    assert execution_line(summary).startswith("repository tests: 2/4 covered fills pass (50.0%)")

    # A rerun (the next chunk of a pass, or the tuned pass sharing the log) runs nothing again.
    again = execute(rows, predictions, co, log, progress=False)
    assert again == verdicts and list(read_jsonl(log)) == runs


def test_the_repository_tests_failing_as_they_are_is_said(tmp_path):
    root = make_checkout(tmp_path / "repo")
    (root / "tests" / "test_ops.py").write_text(TESTS + "\n\ndef test_broken():\n    assert False\n")
    co = Checkout.load(root)
    verdicts = execute([task("r/0", "    total = a + b\n")], {"r/0": "    total = a + b\n"}, co,
                       tmp_path / "x.jsonl", progress=False)
    assert verdicts["r/0"]["exec"] == "reference_fails" and "test_broken" in verdicts["r/0"]["exec_detail"]


def test_out_of_time_tasks_are_not_run(tmp_path):
    co = Checkout.load(make_checkout(tmp_path / "repo"))
    verdicts = execute([task("r/0", "    total = a + b\n")], {"r/0": "x"}, co, tmp_path / "x.jsonl",
                       progress=False, stop_at=time.monotonic() - 1)
    assert verdicts["r/0"] == {"exec": "not_run", "exec_detail": "out of time"}
    assert not (tmp_path / "x.jsonl").exists()


def test_a_missing_checkout_is_a_clear_error(tmp_path):
    import pytest

    from codehone.errors import UserError

    with pytest.raises(UserError, match="does not exist"):
        Checkout.load(tmp_path / "nope")


def test_a_hanging_fill_cannot_carry_a_deadline_past_itself(tmp_path):
    co = Checkout.load(make_checkout(tmp_path / "repo"))
    rows = [task("r/0", "    total = a + b\n")]
    log = tmp_path / "x.jsonl"
    execute(rows, {"r/0": "    total = a + b\n"}, co, log, progress=False)  # the original file and mutant, cached
    t0 = time.monotonic()
    verdicts = execute(rows, {"r/0": "    while True: pass\n"}, co, log, progress=False, stop_at=t0 + 20)
    assert time.monotonic() - t0 < 25
    assert verdicts["r/0"] == {"exec": "not_run", "exec_detail": "out of time"}
    assert all(r["what"] != "fill" for r in read_jsonl(log))  # a cut-short timeout is not remembered
