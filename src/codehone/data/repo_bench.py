"""A held-out infill benchmark built from the test split: does the model know *this* code?

From each test file, a few single-line and multi-line infill tasks in the style of HumanEval
infilling: the middle is one whole line, or a run of whole lines ending where a block ends.
Context is cut to whole lines (``PREFIX_CHARS`` before, ``SUFFIX_CHARS`` after) so prompts fit a
small model's window. Rows of ``RUN_DIR/data/bench_repo.jsonl``::

    {"task_id": "repo/17", "language": "python", "path": "pkg/mod.py",
     "prefix": "...", "suffix": "...", "middle": "    return x\\n", "kind": "single_line"}

Scoring is by text, as CodeXGLUE / RepoBench do for line completion: ``exact_match`` (equal
after trimming trailing whitespace per line) and ``edit_similarity`` (1 - Levenshtein distance /
longer length). The eval stage runs the model's infill on prefix + suffix and scores here.
"""

from __future__ import annotations

import random
from typing import Iterable

PREFIX_CHARS = 3000
SUFFIX_CHARS = 1500
SINGLE_PER_FILE = 4
MULTI_PER_FILE = 2
MAX_MULTI_LINES = 8


def _norm(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip("\n").split("\n"))


def exact_match(prediction: str, reference: str) -> float:
    return float(_norm(prediction) == _norm(reference))


def levenshtein(a: str, b: str) -> int:
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def edit_similarity(prediction: str, reference: str) -> float:
    p, r = _norm(prediction), _norm(reference)
    if not p and not r:
        return 1.0
    return 1.0 - levenshtein(p, r) / max(len(p), len(r))


def score(rows: Iterable[dict], predictions: dict[str, str]) -> dict:
    """Mean exact match and edit similarity overall and per kind; a missing prediction is ""."""
    totals: dict[str, list[float]] = {}
    for row in rows:
        pred = predictions.get(row["task_id"], "")
        em, es = exact_match(pred, row["middle"]), edit_similarity(pred, row["middle"])
        for key in ("all", row["kind"]):
            t = totals.setdefault(key, [0, 0.0, 0.0])
            t[0] += 1
            t[1] += em
            t[2] += es
    return {k: {"n": n, "exact_match": em / n, "edit_similarity": es / n} for k, (n, em, es) in totals.items()}


def _context(lines: list[str], a: int, b: int) -> tuple[str, str]:
    prefix, size = [], 0
    for line in reversed(lines[:a]):
        if size + len(line) > PREFIX_CHARS:
            break
        prefix.append(line)
        size += len(line)
    suffix, size = [], 0
    for line in lines[b:]:
        if size + len(line) > SUFFIX_CHARS:
            break
        suffix.append(line)
        size += len(line)
    return "".join(reversed(prefix)), "".join(suffix)


def tasks_for_file(path: str, language: str, lines: list[str], boundaries: set[int], seed: int) -> list[dict]:
    """Infill tasks from one file's lines (with newlines); deterministic in (seed, path)."""
    rng = random.Random(f"{seed}:bench:{path}")
    content = [i for i, line in enumerate(lines) if len(line.strip()) >= 8]
    out = []
    for i in sorted(rng.sample(content, min(SINGLE_PER_FILE, len(content)))):
        prefix, suffix = _context(lines, i, i + 1)
        out.append({"language": language, "path": path, "prefix": prefix, "suffix": suffix,
                    "middle": lines[i], "kind": "single_line"})
    starts = [i for i in content if any(i < b < i + MAX_MULTI_LINES for b in boundaries)]
    for i in sorted(rng.sample(starts, min(MULTI_PER_FILE, len(starts)))):
        end = rng.choice([b for b in boundaries if i < b < i + MAX_MULTI_LINES])
        prefix, suffix = _context(lines, i, end + 1)
        middle = "".join(lines[i : end + 1])
        if middle.strip():
            out.append({"language": language, "path": path, "prefix": prefix, "suffix": suffix,
                        "middle": middle, "kind": "multi_line"})
    return out


def number_tasks(rows: list[dict], repo: str) -> list[dict]:
    return [{"task_id": f"{repo}/{i}", **row} for i, row in enumerate(rows)]
