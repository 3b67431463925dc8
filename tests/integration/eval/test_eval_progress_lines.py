"""issue 16, defect 6: generating samples for an executed benchmark shows progress in a log
(output not a terminal) while it runs, in counts only: never a prompt or a completion."""

from __future__ import annotations

import io
import json

from codehone.backends.base import Completion, Request, Result, SamplingParams
from codehone.eval.benchmarks import load_benchmark
from codehone.eval.run import EvalOptions, run_eval


class Recording:
    """A stand-in model that answers the reference and notes what the log held at each request."""

    name = "recording"
    context_length = 4096
    vocab = None

    def __init__(self, log: io.StringIO):
        self.log, self.seen = log, []
        self.refs = {t.prompt: t.reference for t in load_benchmark("humaneval").tasks.values()}

    def generate(self, request: Request, params: SamplingParams, on_text=None) -> Result:
        self.seen.append(self.log.getvalue())
        return Result([Completion(self.refs[request.prompt], "stop", 5) for _ in range(params.n)], prompt_tokens=10)

    def close(self):
        pass


def test_generation_prints_lines_while_running_and_resumes_counting(tmp_path, monkeypatch):
    log = io.StringIO()
    monkeypatch.setattr("sys.stderr", log)
    monkeypatch.setenv("CODEHONE_PROGRESS_SECONDS", "0")
    fake = Recording(log)
    opts = dict(bench="humaneval", out=tmp_path, backend=fake, chat=False, limit=3, k=[1], report=False)
    run_eval(EvalOptions(**opts, tasks=["HumanEval/0", "HumanEval/1"]))
    assert "[eval humaneval] 1/2 tasks  50%" in fake.seen[1]  # out before the last task was asked for
    assert "tok/s" in fake.seen[1]
    # A rerun counts the tasks already generated and asks only for the missing one.
    log.truncate(0), log.seek(0)
    run_eval(EvalOptions(**opts))
    assert len(fake.seen) == 3 and "[eval humaneval] 3/3 tasks  100%" in log.getvalue()
    out = log.getvalue() + "".join(fake.seen)
    rows = [json.loads(x) for x in (tmp_path / "samples.jsonl").read_text().splitlines()]
    assert all(r["completion"].strip().splitlines()[0] not in out for r in rows)
    assert "def " not in out and str(tmp_path) not in out


def test_progress_false_prints_nothing(tmp_path, monkeypatch):
    log = io.StringIO()
    monkeypatch.setattr("sys.stderr", log)
    monkeypatch.setenv("CODEHONE_PROGRESS_SECONDS", "0")
    run_eval(EvalOptions(bench="humaneval", out=tmp_path, backend=Recording(log), chat=False, limit=2, k=[1],
                         report=False, progress=False))
    assert log.getvalue() == ""
