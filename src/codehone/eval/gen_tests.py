"""Model-written test cases, for CodeT-style reranking (Chen et al. 2022, microsoft/CodeT).

The model is shown a task's prompt (signature + docstring) and asked for ``assert`` statements on
the entry point: base models continue CodeT's prompt (the signature with a ``pass`` body, then
``# check the correctness of {entry_point}``), chat models get an instruction and an answer that
already opens a python code block; both then start with ``assert``. Test generation is sampled
(several generations per task) and, as in CodeT, only the first ``PER_SAMPLE`` asserts of each
generation are kept: later ones drift.

``tests.jsonl`` in the run dir holds one row per generation, appended as it arrives, so a rerun
asks only for what is missing (the same contract as samples.jsonl):
``{task_id, sample_id, text, tests}`` (``tests``: the parsed asserts, normalised by ``ast.unparse``).

``load_tests`` turns the rows into each task's test list with CodeT's weights: a test that
several generations wrote counts that many times (CodeT expands duplicates the same way), and
at most ``MAX_TESTS`` distinct tests, the most frequent, are kept per task.
"""

from __future__ import annotations

import ast
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Sequence

from codehone.core.concurrent import check_concurrency, map_concurrent
from codehone.eval.errors import EvalError, EvalFileMissing
from codehone.backends.base import Request, SamplingParams
from codehone.runs import append_jsonl, read_jsonl, write_manifest
from codehone.eval.benchmarks import Benchmark, Task

TESTS_FILE = "tests.jsonl"
PER_SAMPLE = 5  # CodeT's test_case_limit: first asserts of each generation
MAX_TESTS = 100  # distinct tests per task
MAX_CALLS = 50  # distinct calls per task used as cluster inputs
MAX_TEST_CHARS = 2000  # one assert longer than this is a runaway generation, not a test

CHAT_INSTRUCTION = (
    "Here is a Python function to be implemented:\n```python\n{prompt}\n```\n"
    "Write test cases for `{entry}`: assert statements, one per line, each calling `{entry}` on one input "
    "and comparing the result with the output that the description implies. Do not implement the function."
)


@dataclass(frozen=True)
class TaskTests:
    """One task's generated tests: ``tests[i]`` written ``weights[i]`` times; ``calls``: the
    distinct calls of the entry point found in them (inputs for clustering)."""

    tests: tuple[str, ...]
    weights: tuple[int, ...]
    calls: tuple[str, ...]


def request_for_tests(task: Task, chat: bool) -> tuple[Request, str]:
    """The request that asks for tests, and the text the answer continues (prepended before parsing)."""
    entry = task.entry_point
    # Both prompts end in a whole "assert" token, so the answer is a test from its first token (a
    # small chat model asked for tests otherwise writes the function). CodeT's prompt ends in
    # "assert f(", but BPE vocabularies merge "([" into one token, so a prompt cut after "(" pushes
    # the model off its usual tokens (the 0.5B then wrote f(1.0, 2.0) for f([1.0, 2.0], ...)).
    if chat:
        start = f"```python\n# test cases for {entry}\nassert"
        user = CHAT_INSTRUCTION.format(prompt=task.prompt.strip(), entry=entry)
        return Request.chat([{"role": "user", "content": user}, {"role": "assistant", "content": start}]), start
    # CodeT's HumanEval prompt: the signature with a stub body, then a comment that asks for tests.
    start = "assert"
    return Request.complete(f"{task.prompt.rstrip()}\n    pass\n\n\n# check the correctness of {entry}\n{start}"), start


def extract_tests(text: str, entry_point: str, limit: int = PER_SAMPLE) -> list[str]:
    """The first ``limit`` well-formed ``assert`` statements in ``text`` that call ``entry_point``.
    An assert may span lines (a long literal); anything that does not parse is skipped."""
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines) and len(out) < limit:
        line = lines[i].strip()
        i += 1
        if not line.startswith("assert"):
            continue
        for extra in range(0, 6):  # join up to 5 continuation lines
            src = "\n".join([line] + [ln.strip() for ln in lines[i: i + extra]])
            test = _parse_assert(src, entry_point)
            if test is not None:
                if len(test) <= MAX_TEST_CHARS:
                    out.append(test)
                i += extra
                break
    return out


def _parse_assert(src: str, entry_point: str) -> str | None:
    try:
        tree = ast.parse(src)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Assert):
        return None
    if not _calls(tree.body[0], entry_point):
        return None
    try:
        return ast.unparse(tree.body[0])
    except (RecursionError, ValueError):
        return None


def _calls(node: ast.AST, entry_point: str) -> list[ast.Call]:
    return [n for n in ast.walk(node)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == entry_point]


def calls_in(tests: Sequence[str], entry_point: str, limit: int = MAX_CALLS) -> list[str]:
    """Distinct ``entry_point(...)`` calls in the tests, in order: generated inputs for clustering."""
    seen: dict[str, None] = {}
    for t in tests:
        for call in _calls(ast.parse(t), entry_point):
            if len(seen) >= limit:
                return list(seen)
            seen.setdefault(ast.unparse(call), None)
    return list(seen)


def generate_tests(backend, bench: Benchmark, out_dir: str | Path, task_ids: Sequence[str], chat: bool,
                   samples: int = 10, params: SamplingParams | None = None, concurrency: int | None = None) -> Path:
    """Fill out_dir/tests.jsonl up to ``samples`` generations per task; returns its path.
    ``concurrency``: tasks in flight at once (core.concurrent; None: 1 in process, 8 over HTTP)."""
    if samples < 1:
        raise EvalError(f"test samples must be at least 1, got {samples}")
    concurrency = check_concurrency(backend, concurrency)
    params = params or SamplingParams(max_tokens=300, temperature=0.8, top_p=0.95)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / TESTS_FILE
    have = Counter(r["task_id"] for r in read_jsonl(path))
    write_manifest(out_dir, "eval.tests", {"bench": bench.name, "samples": samples, "chat": chat,
                                           "model": getattr(backend, "name", "?")}, params=asdict(params))
    # Stop at the end of the code block (chat) or at the next top-level definition (base).
    stops = ("\n```",) if chat else ("\ndef ", "\nclass ", "\nif __name__", "\nprint(", '\n"""', "\n\n\n")

    def ask(tid: str):
        request, start = request_for_tests(bench.tasks[tid], chat)
        missing = samples - have[tid]
        return start, backend.generate(request, replace(params, n=missing, stop=tuple(params.stop) + stops))

    todo = [tid for tid in task_ids if samples - have[tid] > 0]
    for tid, (start, result) in map_concurrent(ask, todo, concurrency):  # rows land as answers do
        missing = samples - have[tid]
        task = bench.tasks[tid]
        for j, c in enumerate(result.completions[:missing]):
            text = start + c.text
            append_jsonl(path, {"task_id": tid, "sample_id": have[tid] + j, "text": text,
                                "tests": extract_tests(text, task.entry_point)})
        have[tid] += min(missing, len(result.completions))
    return path


def load_tests(bench: Benchmark, out_dir: str | Path, task_ids: Sequence[str]) -> dict[str, TaskTests]:
    """Each task's weighted tests from out_dir/tests.jsonl. Tasks without any row are an error:
    their tests were never generated (the caller says how to generate them)."""
    path = Path(out_dir) / TESTS_FILE
    per_task: dict[str, Counter] = defaultdict(Counter)
    order: dict[str, dict[str, int]] = defaultdict(dict)
    seen_rows: set[str] = set()
    for r in read_jsonl(path):
        tid = r["task_id"]
        seen_rows.add(tid)
        for t in r.get("tests", [])[:PER_SAMPLE]:
            per_task[tid][t] += 1
            order[tid].setdefault(t, len(order[tid]))
    missing = [t for t in task_ids if t not in seen_rows]
    if missing:
        raise EvalFileMissing(f"{path}: no generated tests for {len(missing)} task(s) (e.g. {missing[0]!r})")
    out = {}
    for tid in task_ids:
        counts = per_task[tid]
        # Most written first, then first written: deterministic, and the cap drops the rarest.
        kept = sorted(counts, key=lambda t: (-counts[t], order[tid][t]))[:MAX_TESTS]
        out[tid] = TaskTests(tuple(kept), tuple(counts[t] for t in kept),
                             tuple(calls_in(kept, bench.tasks[tid].entry_point)))
    return out
