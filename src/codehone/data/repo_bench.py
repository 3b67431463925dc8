"""A held-out infill benchmark built from the test split: does the model know *this* code?

From each test file, a few single-line and multi-line infill tasks in the style of HumanEval
infilling: the middle is one whole line, or a run of whole lines ending where a block ends.
Context is cut to whole lines (``PREFIX_CHARS`` before, ``SUFFIX_CHARS`` after) so prompts fit a
small model's window. Rows of ``RUN_DIR/data/bench_repo.jsonl``::

    {"task_id": "repo/17", "language": "python", "path": "pkg/mod.py",
     "prefix": "...", "suffix": "...", "middle": "    return x\\n", "kind": "single_line"}

Scoring is by text, as CodeXGLUE / RepoBench do for line completion (``core/textmatch.py``):
``exact_match`` (equal after trimming trailing whitespace per line) and ``edit_similarity``
(1 - Levenshtein distance / longer length); ``score`` averages them over the tasks. ``predict``
is the one loop that asks a model for the middles, used by the eval stage (``--bench
repo:RUN_DIR``, eval/repo.py) and by training's end-of-run benchmark (train/report.py).
"""

from __future__ import annotations

import dataclasses
import random
from typing import Callable, Iterable

from codehone.backends.base import Request, Result, SamplingParams
from codehone.core.textmatch import edit_similarity, exact_match

PREFIX_CHARS = 3000
SUFFIX_CHARS = 1500
SINGLE_PER_FILE = 4
MULTI_PER_FILE = 2
MAX_MULTI_LINES = 8


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


def cut_line(text: str) -> str:
    """A single-line task's prediction: the text before the first newline (one line asked, one
    line judged, as editors show it). Generation also stops at "\n" (``predict``), so the cut
    only matters for a backend that ran past it; either way the text is the same."""
    return text.split("\n", 1)[0]


def predict(backend, rows: Iterable[dict], params: SamplingParams, *, done: dict[str, str] | None = None,
            fits: Callable[[Request], bool] | None = None,
            on_prediction: Callable[[dict, str, Result], None] | None = None) -> dict[str, str]:
    """The model's middle for each task by task id: ``backend.generate`` on the task's infill
    request, greedy or as ``params`` say. Single-line tasks stop at the end of the line and are
    cut there (``cut_line``). Tasks already in ``done`` are not asked again; a task whose request
    ``fits`` refuses is left out (``score`` counts it as a miss); ``on_prediction(row, text,
    result)`` sees each new answer as it arrives (to append it to a file)."""
    line_params = dataclasses.replace(params, stop=(*params.stop, "\n"))
    predictions = dict(done or {})
    for row in rows:
        if row["task_id"] in predictions:
            continue
        request = Request.infill(row["prefix"], row["suffix"])
        if fits is not None and not fits(request):
            continue
        single = row["kind"] == "single_line"
        result = backend.generate(request, line_params if single else params)
        text = cut_line(result.text) if single else result.text
        predictions[row["task_id"]] = text
        if on_prediction is not None:
            on_prediction(row, text, result)
    return predictions


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
