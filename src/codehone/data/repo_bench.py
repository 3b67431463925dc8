"""Asking a model for the held-out benchmark's middles, and scoring them (tasks: bench_tasks.py).

Rows of ``RUN_DIR/data/bench_repo.jsonl``::

    {"task_id": "repo/17", "language": "python", "path": "pkg/mod.py", "repo": "repo",
     "prefix": "...", "suffix": "...", "middle": "    return x\\n", "kind": "single_line"}

The prompt is the one the model was trained on (data/fim.py): where the template has repository
tokens, ``<|repo_name|>repo\\n<|file_sep|>path\\n`` goes before the FIM sentinels, sent as a raw
completion so the sentinels are real special tokens (serve/prompts.py does the same for editors).

Where a fill ends (HumanEval-infilling and Tabby post-process the same way):

* single_line: generation stops at "\\n" and the text is cut there (``cut_line``);
* block and random_span: generation stops where the model starts writing the suffix again (a
  stop string on the suffix's first non-blank lines, ``suffix_stop``), and ``trim_to_suffix``
  cuts a fill that repeats them anyway (a backend without stop strings, blank lines between).

Before this, a block fill ran to the token budget and the exact middle followed by the suffix
scored EM 0; a single-line fill decoded 128 tokens to keep one line.

Scoring is by text, as CodeXGLUE / RepoBench do for line completion (``core/textmatch.py``):
``exact_match`` and ``edit_similarity``, over all tasks and per kind. ``predict`` is the one loop
that asks a model for the middles, used by the eval stage (``--bench repo:RUN_DIR``,
eval/repo.py) and training's end-of-run benchmark (train/report.py).
"""

from __future__ import annotations

import dataclasses
from typing import Callable, Iterable

from codehone.backends.base import Request, Result, SamplingParams
from codehone.core.textmatch import edit_similarity, exact_match
from codehone.data.fim import file_context

ANCHOR_CHARS = 8  # suffix lines matched until they hold this many characters ("}" alone is no anchor)
ANCHOR_LINES = 3


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
    line judged, as editors show it)."""
    return text.split("\n", 1)[0]


def _anchor(suffix: str, whole: bool) -> tuple[int, int, list[str]]:
    """(start, end, lines) of the suffix's first non-blank whole lines, taken until they hold
    ANCHOR_CHARS characters. When the middle ends mid-line (not ``whole``) the suffix's first line
    is the rest of the cursor's line and is skipped. ``lines`` is empty when there are none."""
    pos = 0
    if not whole:
        first_nl = suffix.find("\n")
        if first_nl < 0:
            return len(suffix), len(suffix), []
        pos = first_nl + 1
    lines, start = [], -1
    while pos < len(suffix) and len(lines) < ANCHOR_LINES:
        nl = suffix.find("\n", pos)
        end = len(suffix) if nl < 0 else nl
        line = suffix[pos:end]
        if line.strip():
            start = pos if start < 0 else start
            lines.append(line)
            if sum(len(x.strip()) for x in lines) >= ANCHOR_CHARS:
                return start, end, lines
        elif lines:
            break
        pos = end + 1
    return (start, pos, lines) if lines else (len(suffix), len(suffix), [])


def whole_lines(row: dict) -> bool:
    """Whether the task's middle is whole lines (its suffix starts a line): every kind but
    random_span, which ends wherever a syntax node ends."""
    return row["kind"] != "random_span"


def suffix_stop(suffix: str, whole: bool) -> str | None:
    """A stop string that ends a multi-line fill where it starts writing the suffix again: the
    suffix verbatim up to the end of its first distinctive lines, from the rest of the cursor's
    line when the middle ends mid-line, after a newline when the middle is whole lines. None when
    the suffix has no distinctive line ("}" alone would cut an inner block)."""
    _, end, lines = _anchor(suffix, whole)
    if not lines or sum(len(x.strip()) for x in lines) < ANCHOR_CHARS:
        return None
    return "\n" + suffix[:end] if whole else suffix[:end]


def trim_to_suffix(text: str, suffix: str, whole: bool) -> str:
    """The fill cut where it repeats the suffix: at the first of its lines that starts the
    suffix's first non-blank lines (compared without surrounding whitespace). When the middle
    ends mid-line, a copy of the rest of the cursor's line just before the cut goes too."""
    _, _, anchor = _anchor(suffix, whole)
    if not anchor:
        return text
    want = [a.strip() for a in anchor]
    lines = text.split("\n")
    # Mid-line, the fill's first line continues the cursor's line: it cannot be a suffix line.
    for i in range(0 if whole else 1, len(lines) - len(want) + 1):
        if [x.strip() for x in lines[i:i + len(want)]] == want:
            cut = "\n".join(lines[:i]) + ("\n" if i else "")
            rest = "" if whole else suffix[:suffix.find("\n")].strip()
            body = cut.rstrip()
            if rest and body.endswith(rest):
                return body[: len(body) - len(rest)]
            return cut
    return text


def _template(backend):
    try:
        return getattr(backend, "fim", None)
    except ValueError:  # NoFimError: the backend's generate says so for every request
        return None


def request_for(row: dict, template) -> Request:
    """The task's prompt as the model was trained (module doc): repository header + PSM as a raw
    completion where the template has repository tokens and the task names its repository; the
    plain infill request otherwise."""
    head = file_context(template, row.get("repo"), row.get("path", "")) if template is not None else ""
    texts = (row["prefix"], row["suffix"], row.get("repo", ""), row.get("path", ""))
    if head and not any(s in t for s in template.sentinels for t in texts):
        return Request.complete(head + template.psm(row["prefix"], row["suffix"]))
    return Request.infill(row["prefix"], row["suffix"])


def predict(backend, rows: Iterable[dict], params: SamplingParams, *, done: dict[str, str] | None = None,
            fits: Callable[[Request], bool] | None = None,
            on_prediction: Callable[[dict, str, Result], None] | None = None) -> dict[str, str]:
    """The model's middle for each task by task id: ``backend.generate`` on the task's request
    (``request_for``), greedy or as ``params`` say, stopped and cut as the module doc says. Tasks
    already in ``done`` are not asked again; a task whose request ``fits`` refuses is left out
    (``score`` counts it as a miss); ``on_prediction(row, text, result)`` sees each new answer as
    it arrives (to append it to a file)."""
    template = _template(backend)
    # A raw completion stops on end-of-document tokens only; a sentinel also ends a fill.
    ends = tuple(template.stop_tokens) if template is not None else ()
    predictions = dict(done or {})
    for row in rows:
        if row["task_id"] in predictions:
            continue
        request = request_for(row, template)
        if fits is not None and not fits(request):
            continue
        single = row["kind"] == "single_line"
        whole = whole_lines(row)
        extra = ("\n",) if single else tuple(s for s in (suffix_stop(row["suffix"], whole),) if s)
        stops = (*params.stop, *(ends if request.mode == "complete" else ()), *extra)
        result = backend.generate(request, dataclasses.replace(params, stop=stops))
        text = result.text
        text = cut_line(text) if single else trim_to_suffix(text, row["suffix"], whole)
        predictions[row["task_id"]] = text
        if on_prediction is not None:
            on_prediction(row, text, result)
    return predictions
