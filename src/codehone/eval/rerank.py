"""Pick one of n sampled solutions per task without the benchmark's tests, and report how often
the pick is right (top-1 pass@1) beside plain pass@1 and pass@k.

Three rerankers:

* ``codet`` (Chen et al. 2022, microsoft/CodeT, "dual execution agreement"): every sample runs the
  model's own generated tests (``gen_tests.py``); samples that pass exactly the same set of tests
  form a consensus set, scored ``|tests passed| x sqrt(|samples in set|)``. The paper writes the
  score as |S_x| x |S_y|; the released code (``src/agreement.py``) takes the square root of the
  solution count, and so do we (the issue asks for it too). Tests are weighted by how many
  generations wrote them and samples that pass no test are not ranked, as in CodeT.
* ``cluster`` (AlphaCode): every sample is called on the generated tests' inputs (the distinct
  ``entry_point(...)`` calls in them); samples with identical outputs form a cluster and the pick
  comes from the largest. Samples that do not even load are left out, and clusters whose every
  output is an exception rank below any cluster that returned something.
* ``logprob``: the highest mean token log-probability (the backend reports it when generating with
  ``--rerank logprob``; samples.jsonl stores ``logprob`` (sum), ``tokens`` and ``mean_logprob``).
  Samples generated without it cannot be ranked: that is an error asking to regenerate (scoring
  them afterwards would need the exact token sequence the model produced, which a sanitised
  chat answer no longer is).

Determinism: ties go to the larger group, then to the lowest completion_id, and execution is CPU-time
limited and collected in job order, so picks do not depend on the number of workers. Besides the
deterministic pick, ``expected_pass@1`` is CodeT's own measure: the chance that a uniformly random
sample from the top-scoring group(s) passes; where nothing can be ranked (no sample passes any
generated test) both fall back to a random sample (pass@1 of the task; the pick is completion 0).

Execution: one sandboxed program per sample (n per task, not n x tests). The generated asserts are
never judged in the sample's interpreter (``asserts.py``): each outermost call of the entry point in
them, and each clustering input, becomes a call snippet. The sample's program is followed by a probe
function holding those snippets as source text; the sandbox's io mode calls the probe once per
snippet with a per-snippet CPU limit, each inside try/except, and streams each plain-data value
back. The asserts, rewritten over those values, are judged in the parent when they are made of
harmless expressions, or else in a second sandboxed interpreter that holds only the values. A
snippet that hangs or kills the process ends that run; the program is started again after it (at
most ``MAX_RESTARTS`` times). Results are cached in ``rerank_exec.jsonl`` keyed by the test set, so
a rerun executes only what is new. Verdicts of the picks come from results.jsonl (the real
benchmark tests), never from this execution.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from codehone.core.rundir import RunDir
from codehone.eval.errors import EvalError
from codehone.runs import append_jsonl, read_jsonl, write_json
from codehone.core.sandbox import judge
from codehone.core.sandbox import run as sandbox
from codehone.eval.asserts import Rewritten, judge_here, rewrite
from codehone.eval.benchmarks import Benchmark

METHODS = ("codet", "cluster", "logprob")
NEEDS_TESTS = ("codet", "cluster")
EXEC_FILE = "rerank_exec.jsonl"
PICKS_FILE = "rerank.json"
PER_SNIPPET_S = 1.0  # CPU seconds per generated assert or call (CodeT used 0.1 s wall on a server)
MAX_RESTARTS = 3  # hung or crashing snippets tolerated per sample before the rest count as failed
PROBE = "__codehone_probe__"
TIMEOUT, CRASH = "<timeout>", "<crash>"  # a snippet that produced no value


def parse_methods(text: str | None) -> list[str]:
    """``"codet,logprob"`` -> ["codet", "logprob"]; an unknown name is an error naming the closest."""
    if not text:
        return []
    names = [t.strip().lower() for t in text.split(",") if t.strip()]
    for name in names:
        if name not in METHODS:
            near = difflib.get_close_matches(name, METHODS, n=1, cutoff=0.4)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            raise EvalError(f"unknown reranker {name!r}{hint} (choose from {', '.join(METHODS)})")
    return list(dict.fromkeys(names))


# --- picking: pure functions over one task's samples -------------------------------------------

@dataclass(frozen=True)
class Pick:
    choice: int  # completion_id of the chosen sample
    pool: tuple[int, ...]  # the top-scoring samples (ties merged): expected pass@1 is over these
    score: float = 0.0
    fallback: bool = False  # nothing could be ranked: the first sample, and a random one in expectation


def _fallback(ids: Sequence[int]) -> Pick:
    ids = sorted(ids)
    return Pick(ids[0], tuple(ids), 0.0, True)


def _best_groups(scored: list[tuple[tuple, list[int]]], ids: Sequence[int]) -> Pick:
    """scored: (sort key, member ids) per group, higher key better. The pick is the lowest id of the
    best group (larger groups and lower ids first among equal keys); ties for the best key pool."""
    if not scored:
        return _fallback(ids)
    best = max(key for key, _ in scored)
    top = sorted((members for key, members in scored if key == best), key=lambda m: (-len(m), min(m)))
    return Pick(min(top[0]), tuple(sorted(c for m in top for c in m)), float(best[-1]), False)


def codet_pick(passed: Mapping[int, Sequence[int]], weights: Sequence[int] | None = None) -> Pick:
    """``passed``: completion_id -> indices of the generated tests it passes; ``weights[i]``: how
    many times test i was generated (default 1). Consensus sets score tests x sqrt(samples)."""
    groups: dict[frozenset, list[int]] = defaultdict(list)
    for cid in sorted(passed):
        s = frozenset(passed[cid])
        if s:
            groups[s].append(cid)
    w = (lambda t: weights[t]) if weights is not None else (lambda t: 1)
    # Scores are compared after rounding so float noise in sqrt never decides a tie.
    scored = [((round(sum(w(t) for t in s) * math.sqrt(len(m)), 9),), m) for s, m in groups.items()]
    return _best_groups(scored, list(passed))


def cluster_pick(outputs: Mapping[int, Sequence[str] | None]) -> Pick:
    """``outputs``: completion_id -> canonical outputs on the generated inputs, or None where the
    program did not run at all. Largest cluster of identical outputs wins; clusters that only raised
    rank below any that returned a value."""
    groups: dict[tuple, list[int]] = defaultdict(list)
    for cid in sorted(outputs):
        sig = outputs[cid]
        if sig is not None and len(sig) > 0:
            groups[tuple(sig)].append(cid)
    scored = [((int(not all(o.startswith(("raised:", TIMEOUT, CRASH)) for o in sig)), len(m)), m)
              for sig, m in groups.items()]
    return _best_groups(scored, list(outputs))


def logprob_pick(mean_logprob: Mapping[int, float]) -> Pick:
    """Highest mean token log-probability; equal values pool (and the lowest id is picked)."""
    scored = [((round(lp, 9),), [cid]) for cid, lp in mean_logprob.items()]
    return _best_groups(scored, list(mean_logprob))


# --- execution: one program per sample ---------------------------------------------------------

_PROBE_SRC = '''

def {name}(i, _snippets={snippets!r}):
    kind, src = _snippets[i]
    g = dict(globals())
    try:
        if kind == "assert":
            exec(src, g)
            return True
        return eval(src, g)
    except BaseException as e:  # a wrong answer, an exception, exit(): a failed snippet
        return False if kind == "assert" else ("<raised>", type(e).__name__)
'''


def probe_program(program: str, snippets: Sequence[tuple[str, str]]) -> str:
    """The sample's program plus a probe that runs snippet i (("assert", src) -> bool, or
    ("call", src) -> the value, or ("<raised>", exception name))."""
    return program.rstrip("\n") + "\n" + _PROBE_SRC.format(name=PROBE, snippets=[tuple(s) for s in snippets])


def canon(v) -> str:
    """A canonical string for a decoded output: equal values give equal strings, whatever the
    set or dict order, and values of different types never collide."""
    t = type(v)
    if t is bool or v is None:
        return repr(v)
    if t is int:  # in hex: Python refuses to write an int of more than 4,300 decimal digits in base 10 (a
        return f"i{v:x}"  # model's test called a sample on a huge input, session 19), and base 16 has no such limit
    if t is float:
        return "fnan" if v != v else f"f{v!r}"
    if t is tuple and len(v) == 2 and v[0] == "<raised>":
        return f"raised:{v[1]}"
    if t is list or t is tuple:
        inner = ",".join(canon(x) for x in v)
        return f"[{inner}]" if t is list else f"({inner})"
    if t is set or t is frozenset:
        return "{" + ",".join(sorted(canon(x) for x in v)) + "}"
    if t is dict:
        return "{" + ",".join(sorted(f"{canon(k)}:{canon(x)}" for k, x in v.items())) + "}"
    return f"{t.__name__}:{v!r}"


def execute(program: str, snippets: Sequence[tuple[str, str]], per_snippet_s: float = PER_SNIPPET_S,
            box: sandbox.Limits = sandbox.Limits()) -> list:
    """Run every snippet against the program; returns one decoded value per snippet, or TIMEOUT /
    CRASH where the snippet produced none."""
    values: list = [CRASH] * len(snippets)
    start, restarts, loaded = 0, 0, False
    full = probe_program(program, snippets)
    while start < len(snippets):
        idx = list(range(start, len(snippets)))
        got: dict[int, object] = {}

        def keep(i, value):
            got[idx[i]] = value
            return None

        o = sandbox.run_program(full, entry_point=PROBE, inputs=[[j] for j in idx],
                                limits=[per_snippet_s] * len(idx), sandbox=box, expect=keep)
        if o.status == "done" and len(o.outputs) == len(idx):
            for j, v in zip(idx, o.outputs):
                values[j] = v
            break
        done = 0
        loaded = loaded or bool(got)
        while done < len(idx) and idx[done] in got:
            values[idx[done]] = got[idx[done]]
            done += 1
        if done == len(idx):
            break
        if not loaded and o.status != "timeout":
            break  # the program itself does not load (no snippet ever ran): every snippet fails
        values[idx[done]] = TIMEOUT if o.status == "timeout" else CRASH
        start = idx[done] + 1
        restarts += 1
        if restarts > MAX_RESTARTS:
            break
    return values


EXEC_VERSION = 2  # 2: asserts judged outside the candidate's interpreter (eval/asserts.py)


def _digest(snippets: Sequence[tuple[str, str]], per_snippet_s: float) -> str:
    return hashlib.sha256(json.dumps([list(s) for s in snippets] + [per_snippet_s, EXEC_VERSION]).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class TaskProbe:
    """One task's generated tests, split for judging outside the candidate: ``calls`` are the call
    sources the candidate evaluates (the asserts' calls, then the clustering inputs), ``asserts``
    the rewritten asserts over their values (None where a test could not be rewritten: it fails)."""

    calls: tuple[str, ...]
    asserts: tuple[Rewritten | None, ...]
    cluster: tuple[int, ...]  # indices into calls of the clustering inputs (TaskTests.calls)


def task_probe(entry_point: str, tt) -> TaskProbe:
    calls: list[str] = []
    rewritten = tuple(rewrite(t, entry_point, calls) for t in tt.tests)
    cluster = []
    for c in tt.calls:
        if c not in calls:
            calls.append(c)
        cluster.append(calls.index(c))
    return TaskProbe(tuple(calls), rewritten, tuple(cluster))


def _failed_value(v) -> bool:
    return v in (TIMEOUT, CRASH) or isinstance(v, (sandbox.Unencodable, sandbox.Digest)) or (
        type(v) is tuple and len(v) == 2 and v[0] == "<raised>")


def judge_asserts(probe: TaskProbe, values: list, per_snippet_s: float, box: sandbox.Limits) -> list[int]:
    """Indices of the generated asserts that hold on the candidate's values. Safe asserts are
    judged here; the rest in one fresh sandboxed interpreter holding only the values."""
    passed, elsewhere = [], []
    for i, rw in enumerate(probe.asserts):
        if rw is None or any(_failed_value(values[k]) for k in rw.calls):
            continue
        if rw.safe:
            if judge_here(rw, values):
                passed.append(i)
        else:
            elsewhere.append(i)
    if elsewhere:
        raw = [judge.encode(v) for v in values]
        program = judge.decoder_source() + (
            "\nimport ast as _codehone_ast\n"
            f"_v = [decode(_codehone_ast.literal_eval(s)) for s in {raw!r}]\n")
        verdicts = execute(program, [("assert", f"assert {probe.asserts[i].source}") for i in elsewhere],
                           per_snippet_s, box)
        passed += [i for i, v in zip(elsewhere, verdicts) if v is True]
    return sorted(passed)


def execute_all(bench: Benchmark, samples, tests, out_dir: Path, workers: int,
                per_snippet_s: float = PER_SNIPPET_S, box: sandbox.Limits = sandbox.Limits()) -> dict:
    """Run each sample on its task's generated calls and judge the generated asserts outside it
    (cached in rerank_exec.jsonl). Returns (task_id, completion_id) -> {"passed": [test indices],
    "outputs": [canonical strings of the clustering calls]}."""
    path = out_dir / EXEC_FILE
    probes = {tid: task_probe(bench.tasks[tid].entry_point, tt) for tid, tt in tests.items()}
    snippets = {tid: [("call", c) for c in p.calls] for tid, p in probes.items()}
    digests = {tid: _digest([("assert", t) for t in tests[tid].tests] + s, per_snippet_s) for tid, s in snippets.items()}
    cache = {(r["task_id"], r["completion_id"]): r for r in read_jsonl(path) if digests.get(r["task_id"]) == r["digest"]}
    todo = [s for s in samples if (s.task_id, s.completion_id) not in cache and snippets[s.task_id]]

    def job(s):
        values = execute(s.program, snippets[s.task_id], per_snippet_s, box)
        return values, judge_asserts(probes[s.task_id], values, per_snippet_s, box)

    for s, (values, passed) in zip(todo, sandbox.run_many([lambda s=s: job(s) for s in todo], workers)):
        cluster = [values[k] for k in probes[s.task_id].cluster]
        row = {"task_id": s.task_id, "completion_id": s.completion_id, "digest": digests[s.task_id],
               "passed": passed,
               "outputs": None if all(v == CRASH for v in values) else
               [v if v in (TIMEOUT, CRASH) else canon(v) for v in cluster]}
        append_jsonl(path, row)
        cache[(s.task_id, s.completion_id)] = row
    empty = {"passed": [], "outputs": []}
    return {(s.task_id, s.completion_id): cache.get((s.task_id, s.completion_id), empty) for s in samples}


# --- the run-level step ------------------------------------------------------------------------

def mean_logprobs(samples_path: str | Path, task_ids: Sequence[str]) -> dict[tuple[str, int], float]:
    """(task_id, completion_id) -> mean token log-probability, from samples.jsonl rows. Rows without
    it are an error: they were generated without --rerank logprob."""
    wanted, seen, out, missing = set(task_ids), defaultdict(int), {}, 0
    for r in read_jsonl(samples_path):
        tid = r.get("task_id")
        if tid not in wanted:
            continue
        cid = r.get("completion_id", seen[tid])
        seen[tid] += 1
        if isinstance(r.get("mean_logprob"), (int, float)):
            out[(tid, cid)] = float(r["mean_logprob"])
        elif isinstance(r.get("logprob"), (int, float)):
            out[(tid, cid)] = float(r["logprob"]) / max(1, int(r.get("tokens") or 0))
        else:
            missing += 1
    if missing:
        raise EvalError(f"{samples_path}: {missing} sample(s) have no logprob (generated without --rerank logprob); "
                         "--rerank logprob needs samples generated with it: rerun with --model and --rerank logprob "
                         "into a new --out dir (or delete samples.jsonl there)")
    return out


def rerank(bench: Benchmark, samples, out_dir: str | Path, methods: Sequence[str], task_ids: Sequence[str],
           workers: int = 1, samples_path: str | Path | None = None, tests=None,
           per_snippet_s: float = PER_SNIPPET_S, box: sandbox.Limits = sandbox.Limits()) -> dict:
    """Pick a sample per task with each method; write rerank.json (per-task picks) and return the
    summary block ``{method: {"pass@1", "expected_pass@1", "tasks", "fallback_tasks"}}``.
    ``samples``: score.Sample rows (already scored into out_dir/results.jsonl); ``tests``:
    gen_tests.load_tests(...) when codet or cluster is asked for."""
    out_dir = Path(out_dir)
    verdict = {(r["task_id"], r["completion_id"]): bool(r["passed"]) for r in read_jsonl(out_dir / "results.jsonl")}
    by_task: dict[str, list[int]] = defaultdict(list)
    for s in samples:
        if s.task_id in set(task_ids):
            by_task[s.task_id].append(s.completion_id)
    unscored = [k for tid, ids in by_task.items() for k in ((tid, c) for c in ids) if k not in verdict]
    if unscored:
        raise EvalError(f"sample {unscored[0]} has no verdict in results.jsonl; score the samples first")
    wanted = [s for s in samples if s.task_id in by_task]
    ran = execute_all(bench, wanted, tests, out_dir, workers, per_snippet_s, box) if set(methods) & set(NEEDS_TESTS) else {}
    lps = mean_logprobs(samples_path, list(by_task)) if "logprob" in methods else {}
    picks: dict[str, dict] = {}
    summary: dict[str, dict] = {}
    for m in methods:
        rows = {}
        for tid in (t for t in task_ids if t in by_task):
            ids = by_task[tid]
            if m == "codet":
                p = codet_pick({c: ran[(tid, c)]["passed"] for c in ids}, tests[tid].weights)
            elif m == "cluster":
                p = cluster_pick({c: ran[(tid, c)]["outputs"] for c in ids}) if tests[tid].calls else _fallback(ids)
            else:
                p = logprob_pick({c: lps[(tid, c)] for c in ids})
            rows[tid] = {"pick": p.choice, "passed": verdict[(tid, p.choice)], "pool": list(p.pool),
                         "expected": sum(verdict[(tid, c)] for c in p.pool) / len(p.pool),
                         "score": p.score, "fallback": p.fallback}
        picks[m] = rows
        n = max(1, len(rows))
        summary[m] = {"pass@1": sum(r["passed"] for r in rows.values()) / n,
                      "expected_pass@1": sum(r["expected"] for r in rows.values()) / n,
                      "tasks": len(rows), "fallback_tasks": sum(r["fallback"] for r in rows.values())}
        if m in NEEDS_TESTS:
            summary[m]["tests_per_task"] = (sum(len(tests[t].tests) for t in rows) / n) if rows else 0.0
    write_json(out_dir / PICKS_FILE, picks)
    return summary


def add_to_summary(out_dir: str | Path, block: dict) -> dict:
    """Put the rerank block into out_dir/summary.json (written by score.summarize) and return it."""
    path = RunDir(out_dir).summary
    summary = json.loads(path.read_text())
    summary["rerank"] = block
    write_json(path, summary)
    return summary
