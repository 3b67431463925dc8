"""Reranking through the sandbox on hand-written samples and tests (no model): the CLI scores a
samples file, runs every sample on the generated tests, and each reranker picks a right sample."""

import json

import pytest
import typer
from typer.testing import CliRunner

from codehone.eval import rerank as rr
from codehone.eval.benchmarks import load_benchmark
from codehone.eval.cli import eval_command
from codehone.eval.gen_tests import TaskTests, load_tests
from codehone.eval.score import read_samples, score_samples
from tests.support.cli import said

HE = load_benchmark("humaneval")
STRLEN = HE.tasks["HumanEval/23"].prompt
RIGHT = ["    return len(string)\n", "    n = 0\n    for _ in string:\n        n += 1\n    return n\n",
         "    return sum(1 for _ in string)\n"]
WRONG = ["    return len(string) - 1\n", "    return 0\n", "    return len(set(string))\n",
         "    while True:\n        pass\n", "    return string.count('a')\n"]
TESTS = ["assert strlen('') == 0", "assert strlen('abc') == 3", "assert strlen('hello') == 5",
         "assert strlen('aa') == 2", "assert strlen('x') == 1", "assert strlen('') == 1"]  # the last one is wrong


def _write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.fixture
def run(tmp_path):
    """8 samples for strlen (3 right, 5 wrong in different ways, interleaved so that completion 0 is
    wrong) and 2 for HumanEval/0 whose generated tests are all unparseable (nothing to rank)."""
    bodies = [WRONG[0], RIGHT[0], WRONG[1], WRONG[2], RIGHT[1], WRONG[3], RIGHT[2], WRONG[4]]
    # The model was (made up to be) most confident in a wrong sample, then in a right one.
    lps = [-0.9, -0.3, -0.1, -2.0, -0.5, -1.0, -0.6, -0.7]
    rows = [{"task_id": "HumanEval/23", "completion_id": i, "completion": b, "mean_logprob": lp}
            for i, (b, lp) in enumerate(zip(bodies, lps))]
    ref0 = HE.tasks["HumanEval/0"].reference
    rows += [{"task_id": "HumanEval/0", "completion_id": i, "completion": ref0, "mean_logprob": -1.0} for i in range(2)]
    samples = _write(tmp_path / "samples.jsonl", rows)
    out = tmp_path / "out"
    out.mkdir()
    _write(out / "tests.jsonl", [{"task_id": "HumanEval/23", "sample_id": 0, "tests": TESTS[:4]},
                                 {"task_id": "HumanEval/23", "sample_id": 1, "tests": TESTS[2:]},
                                 {"task_id": "HumanEval/0", "sample_id": 0, "tests": []}])
    return samples, out


def _app():
    app = typer.Typer()
    app.command("eval")(eval_command)
    app.command("other")(lambda: None)  # two commands: the CLI keeps the "eval" name
    return app


def test_rerankers_pick_right_samples_through_the_cli(run):
    samples, out = run
    r = CliRunner().invoke(_app(), ["eval", "--bench", "humaneval", "--samples", str(samples), "--out", str(out),
                                    "--tasks", "HumanEval/23,HumanEval/0", "--k", "1,2",
                                    "--rerank", "codet,cluster,logprob", "--workers", "2"])
    assert r.exit_code == 0, r.output
    s = json.loads((out / "summary.json").read_text())
    # plain pass@1: (3/8 + 2/2) / 2
    assert s["pass@1"] == pytest.approx((3 / 8 + 1) / 2)
    assert s["rerank"]["codet"]["pass@1"] == 1.0 and s["rerank"]["codet"]["fallback_tasks"] == 1
    assert s["rerank"]["cluster"]["pass@1"] == 1.0
    assert s["rerank"]["logprob"]["pass@1"] == 0.5  # completion 2 (wrong) was the most likely
    picks = json.loads((out / "rerank.json").read_text())
    assert picks["codet"]["HumanEval/23"]["pick"] == 1 and picks["codet"]["HumanEval/23"]["pool"] == [1, 4, 6]
    assert picks["cluster"]["HumanEval/23"]["pick"] == 1 and picks["logprob"]["HumanEval/23"]["pick"] == 2
    assert "rerank codet: top-1 pass@1 100.0%" in r.output
    md = (out / "report.md").read_text()
    assert "codet top-1" in md and "| 100.0 |" in md and "codet pass" in md and "logprob fail" in md
    assert "codet top-1" in (out / "report.html").read_text()
    # A rerun executes nothing again: the cache is keyed by the tests.
    before = (out / rr.EXEC_FILE).read_text()
    r = CliRunner().invoke(_app(), ["eval", "--bench", "humaneval", "--samples", str(samples), "--out", str(out),
                                    "--tasks", "HumanEval/23,HumanEval/0", "--rerank", "codet"])
    assert r.exit_code == 0, r.output
    assert (out / rr.EXEC_FILE).read_text() == before


def test_sandbox_execution_and_picks_do_not_depend_on_workers(run, tmp_path):
    samples_path, out = run
    tasks = ["HumanEval/23", "HumanEval/0"]
    samples = read_samples(HE, samples_path)
    tests = load_tests(HE, out, tasks)
    blocks = []
    for workers in (1, 2):
        d = tmp_path / f"w{workers}"
        d.mkdir()
        (d / "tests.jsonl").write_text((out / "tests.jsonl").read_text())
        score_samples(HE, samples_path, d, workers=workers, k=(1,), tasks=tasks)
        blocks.append((rr.rerank(HE, samples, d, ["codet", "cluster"], tasks, workers=workers, tests=tests),
                       json.loads((d / "rerank.json").read_text()), (d / rr.EXEC_FILE).read_text()))
    assert blocks[0] == blocks[1]
    rows = [json.loads(x) for x in blocks[0][2].splitlines()]
    hang = next(r for r in rows if r["completion_id"] == 5)  # `while True` times out on each snippet
    assert hang["passed"] == [] and set(hang["outputs"]) <= {rr.TIMEOUT, rr.CRASH}


def test_bad_rerank_input_is_a_clear_error(run, tmp_path):
    samples, out = run
    app = _app()
    r = CliRunner().invoke(app, ["eval", "--bench", "humaneval", "--samples", str(samples), "--out", str(out),
                                 "--rerank", "codt"])
    assert r.exit_code != 0 and "did you mean 'codet'" in said(r)
    one = _write(tmp_path / "one.jsonl", [{"task_id": "HumanEval/23", "completion": RIGHT[0]}])
    r = CliRunner().invoke(app, ["eval", "--bench", "humaneval", "--samples", str(one), "--out", str(tmp_path / "o1"),
                                 "--tasks", "HumanEval/23", "--rerank", "codet"])
    assert r.exit_code == 1 and "several samples per task" in said(r)
    r = CliRunner().invoke(app, ["eval", "--bench", "humaneval", "--model", "nothing-loaded", "--n", "1",
                                 "--out", str(tmp_path / "o2"), "--rerank", "logprob"])
    assert r.exit_code != 0 and "--n is 1" in said(r)
    r = CliRunner().invoke(app, ["eval", "--bench", "humaneval", "--model", "nothing-loaded", "--n", "3",
                                 "--temperature", "0.8", "--k", "1,10", "--out", str(tmp_path / "o3")])
    assert r.exit_code != 0 and "pass@10 needs at least 10 samples" in said(r)
    r = CliRunner().invoke(app, ["eval", "--bench", "humaneval", "--samples", str(samples), "--out", str(tmp_path / "o4"),
                                 "--tasks", "HumanEval/23", "--k", "10"])
    assert r.exit_code == 1 and "pass@10 needs at least 10 samples per task, but HumanEval/23 has 8" in said(r)
    # codet without tests and without a model to write them
    r = CliRunner().invoke(app, ["eval", "--bench", "humaneval", "--samples", str(samples), "--out", str(tmp_path / "o5"),
                                 "--tasks", "HumanEval/23", "--rerank", "codet"])
    assert r.exit_code == 1 and "needs --model REF to write test cases" in said(r)
    # logprob on samples generated without it
    plain = _write(tmp_path / "plain.jsonl", [{"task_id": "HumanEval/23", "completion": b} for b in RIGHT])
    r = CliRunner().invoke(app, ["eval", "--bench", "humaneval", "--samples", str(plain), "--out", str(tmp_path / "o6"),
                                 "--tasks", "HumanEval/23", "--rerank", "logprob"])
    assert r.exit_code == 1 and "no logprob" in said(r) and "Traceback" not in said(r)


def test_generated_asserts_are_not_judged_by_the_sample(tmp_path):
    # A wrong sample that disables exec/eval and makes its own values "equal everything" passes no
    # generated assert: calls come back as plain data and the asserts are judged outside it, in the
    # parent (safe shapes) or in a second interpreter holding only the values (the rest).
    tests = TaskTests(tests=("assert strlen('abc') == 3", "assert [strlen('ab')][0] * 1 == 2",
                      "assert strlen('ab') == 2 or strlen('') == 0"), weights=(1, 1, 1),
                      calls=("strlen('abc')",))
    probe = rr.task_probe("strlen", tests)
    assert [rw.safe for rw in probe.asserts] == [True, False, True]
    cheat = ("import builtins\nbuiltins.exec = lambda *a, **k: None\nbuiltins.eval = lambda *a, **k: True\n"
             "class E(int):\n    def __eq__(self, o): return True\n    __hash__ = int.__hash__\n"
             "def strlen(string):\n    return E(0)\n")
    honest = "def strlen(string):\n    return len(string)\n"
    for program, want in ((cheat, []), (honest, [0, 1, 2])):
        values = rr.execute(program, [("call", c) for c in probe.calls])
        assert rr.judge_asserts(probe, values, rr.PER_SNIPPET_S, rr.sandbox.Limits()) == want
