"""The ``blocks-next`` benchmark: held-out programs with one block taken out, and the block to suggest.

``next.jsonl`` (beside the ``blocks`` benchmark) holds one task per line::

    {"task_id": "next-polygon-03", "family": "polygon", "source_task": "polygon-03",
     "program": <the reference with one block taken out>, "at": 4,
     "block": "        move(25)", "opcode": "motion_movesteps", "kind": "block",
     "removed": ["        move(25)"], "reference": <the original reference>}

A task takes one stack block out of a ``blocks`` benchmark reference: a plain block, or a C-block
with everything inside it (in Scratch the two are dragged as one piece), so what is left is a
whole program that parses. The block to suggest goes right after line ``at``; for a C-block it is
its header line (``repeat(4):``), since one suggestion is one block or one C-block header. Hats are
never taken out. ``removed`` holds the lines taken out, and putting them back after line ``at``
gives the reference again (a test checks every task).

Scored (:func:`score_next`) by exact match of the top-1 and top-3 suggestions three ways:
``opcode`` (the right kind of block), ``block`` (the block with its arguments) and ``line`` (the
block with its arguments at the right indentation, that is inside or after the right C-block).
Each row also says whether the block's arguments were in view (:func:`arguments_shown`): a move of
40 taken out of a polygon whose other blocks never say 40 can be guessed but not read, so the
report splits the top-3 by that.

Held out: these programs are the ``blocks`` benchmark's references, never training programs; the
training pairs for this skill (skill_pairs.next_pair) take blocks out of synthesizer training
programs. One task per source program, the block picked with ``random.Random("next:" + task id)``;
``python -m codehone.blocks.copilot.next_bench`` rewrites the file and a test checks it matches.
"""

from __future__ import annotations

import json
import random
import re
import statistics
import time
from pathlib import Path
from typing import Callable

from codehone.blocks.copilot.bench import BENCH_FILES, load_benchmark
from codehone.blocks.copilot.evaluate import check_eval_config
from codehone.blocks.copilot.next_block import (NEXT_MAX_TOKENS, block_at, canonical_lines, cursor_at, place_block,
                                                suggest_next)
from codehone.blocks.lang.parser import parse
from codehone.core.progress import ProgressBar
from codehone.runs import append_jsonl, read_jsonl, write_json, write_jsonl, write_manifest

SKIP_FAMILIES = ("impossible",)  # one say() block: taking it out leaves an empty script
LEVELS = ("opcode", "block", "line")
TOP = 3
SAMPLES = 5  # completions drawn besides the greedy one, for the top 3 (8 found no more distinct blocks)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def removable(lines: list[str]) -> list[int]:
    """0-based indices of the lines that start a stack block (no hats, sprite or define headers, else_)."""
    head = 4 if lines and lines[0].startswith("sprite(") else 0
    return [i for i, ln in enumerate(lines) if _indent(ln) > head and ln.strip() != "else_():"]


def take_out(lines: list[str], i: int) -> tuple[list[str], list[str]]:
    """(lines left, lines taken out): line ``i`` and, for a C-block, its body (and its else_ part)."""
    end, ind = i + 1, _indent(lines[i])
    while end < len(lines) and (_indent(lines[end]) > ind or (_indent(lines[end]) == ind
                                                               and lines[end].strip() == "else_():")):
        end += 1
    return lines[:i] + lines[end:], lines[i:end]


def make_task(source: dict, i: int) -> dict | None:
    """The task that takes the block starting at line ``i`` (0-based) out of ``source``'s reference,
    or None if what is left is not a program or the block could not be suggested there."""
    lines = canonical_lines(source["reference"])
    left, removed = take_out(lines, i)
    try:
        parse("".join(ln + "\n" for ln in left))
    except ValueError:
        return None
    cursor = cursor_at(left, i)
    placed = place_block(cursor, "\n" + removed[0])  # the block alone (a C-block's header alone) is valid here
    if placed is None or _indent(removed[0]) not in cursor.indents:
        return None
    # The opcode of the line alone: an if/else taken out is suggested back as its if_(...) header.
    opcode = block_at(placed[2], i + 1).opcode
    return {"family": source["family"], "source_task": source["task_id"], "program": "".join(ln + "\n" for ln in left),
            "at": i, "block": removed[0], "opcode": opcode, "kind": "c-block" if removed[0].endswith(":") else "block",
            "removed": removed, "reference": source["reference"]}


def build_next_benchmark() -> list[dict]:
    """One task per ``blocks`` benchmark reference (``impossible`` left out), in file order."""
    rows, counts = [], {}
    for source in load_benchmark():
        if source["family"] in SKIP_FAMILIES:
            continue
        options = removable(canonical_lines(source["reference"]))
        random.Random("next:" + source["task_id"]).shuffle(options)
        task = next((t for t in (make_task(source, i) for i in options) if t is not None), None)
        if task is not None:
            n = counts[task["family"]] = counts.get(task["family"], 0) + 1
            rows.append({"task_id": f"next-{task['family']}-{n - 1:02d}", **task})
    return rows


def benchmark_path() -> Path:
    return Path(__file__).parent / "bench" / BENCH_FILES["blocks-next"]


# --------------------------------------------------------------------------- scoring

_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?!\w|\.\d)")  # "40." ending a sentence is 40
_TEXT = re.compile(r'"((?:[^"\\]|\\.)*)"')


def arguments_shown(block: str, shown: str) -> bool:
    """Whether every literal argument of ``block`` (its numbers and texts) is written in ``shown``,
    what the suggester was given: a number as a whole number there, a text anywhere in it, case
    ignored. A block without literal arguments (``pen_down()``) counts as shown."""
    texts = _TEXT.findall(block)
    numbers = _NUMBER.findall(_TEXT.sub("", block))
    in_view = set(_NUMBER.findall(shown))
    return all(n in in_view for n in numbers) and all(t.lower() in shown.lower() for t in texts)


def _rank(task: dict, suggestions: list[dict], level: str) -> int | None:
    want = {"opcode": task["opcode"], "block": task["block"].strip(), "line": task["block"]}[level]
    for k, s in enumerate(suggestions, 1):
        got = {"opcode": s["opcode"], "block": s["line"].strip(), "line": s["line"]}[level]
        if got == want:
            return k
    return None


def score_next(task: dict, suggestions: list[dict], top: int = TOP, shown: str | None = None) -> dict:
    """The result row of ``suggestions`` (ranked dicts with ``line`` and ``opcode``) for ``task``:
    the rank of the first match at each level, top-1 / top-``top`` hits, and whether the block's
    arguments were in ``shown`` (what the suggester was given; by default the task's program)."""
    shown = task.get("program", "") if shown is None else shown
    row = {"task_id": task["task_id"], "family": task["family"], "kind": task["kind"], "expected": task["block"],
           "suggested": [s["line"] for s in suggestions[:top]], "args_shown": arguments_shown(task["block"], shown)}
    for level in LEVELS:
        rank = _rank(task, suggestions[:top], level)
        row[f"rank_{level}"] = rank
        row[f"top1_{level}"] = rank == 1
        row[f"top{top}_{level}"] = rank is not None
    return row


def summarize_next(rows: list[dict], samples: list[dict], config: dict, label: str = "", top: int = TOP) -> dict:
    n = len(rows)
    rate = lambda key: round(sum(r[key] for r in rows) / n, 4) if n else 0.0  # noqa: E731
    seconds = [s["seconds"] for s in samples]
    model = config["model"] + (" + adapter" if config.get("adapter") else "")
    summary = {**config, "label": label or f"{model}, {'grammar' if config['grammar'] else 'no grammar'}, FIM",
               "tasks": n, "top": top, "no_suggestion": sum(not r["suggested"] for r in rows),
               "invalid_candidates": sum(s.get("invalid", 0) for s in samples),
               "tokens": sum(s.get("tokens", 0) for s in samples),
               "seconds": round(sum(seconds), 2),
               "p50_ms": round(1000 * statistics.median(seconds), 1) if seconds else None,
               "p90_ms": round(1000 * statistics.quantiles(seconds, n=10)[-1], 1) if len(seconds) > 1 else None}
    for level in LEVELS:
        summary[f"top1_{level}"] = rate(f"top1_{level}")
        summary[f"top{top}_{level}"] = rate(f"top{top}_{level}")
    summary["by_kind"] = {k: {"tasks": sum(r["kind"] == k for r in rows),
                              f"top{top}_block": sum(r["kind"] == k and r[f"top{top}_block"] for r in rows)}
                          for k in sorted({r["kind"] for r in rows})}
    summary["by_args_shown"] = {name: {"tasks": sum(r["args_shown"] == flag for r in rows),
                                       f"top{top}_block": sum(r["args_shown"] == flag and r[f"top{top}_block"]
                                                              for r in rows)}
                                for name, flag in (("shown", True), ("not_shown", False))}
    return summary


def summary_line(s: dict) -> str:
    """One line for a terminal: the six rates and the latency."""
    top = s["top"]
    rates = ", ".join(f"{level} top-1 {100 * s[f'top1_{level}']:.1f}% top-{top} {100 * s[f'top{top}_{level}']:.1f}%"
                      for level in LEVELS)
    split = s.get("by_args_shown")
    split = (f"; block top-{top} with its arguments in view {split['shown'][f'top{top}_block']}/{split['shown']['tasks']}"
             f", not in view {split['not_shown'][f'top{top}_block']}/{split['not_shown']['tasks']}") if split else ""
    return f"{s['label']} on blocks-next ({s['tasks']} tasks): {rates}; p50 {s['p50_ms']} ms a suggestion{split}"


def score_answers(tasks: list[dict], answers: dict[str, dict], config: dict, requests: dict[str, str],
                  label: str = "") -> tuple[list[dict], dict]:
    """(rows, summary) of a run's ``answers`` (task id -> its samples.jsonl entry) to ``tasks``; a
    block's arguments count as in view when the program, or the request it was written for
    (``requests``, empty for a run without them), shows them."""
    rows = [score_next(t, answers[t["task_id"]]["suggestions"],
                       shown=t["program"] + "\n" + requests.get(t["source_task"], "")) for t in tasks]
    return rows, summarize_next(rows, [answers[t["task_id"]] for t in tasks], config, label)


def _write_report(out: Path, summary: dict, rows: list[dict]) -> None:
    md = [f"# blocks-next: {summary['label']}", "", summary_line(summary), "",
          "| task | kind | expected | suggested (best first) | block rank |", "|---|---|---|---|---|"]
    for r in rows:
        got = " / ".join(f"`{s.strip()}`" for s in r["suggested"]) or "(none)"
        md.append(f"| {r['task_id']} | {r['kind']} | `{r['expected'].strip()}` | {got} | {r['rank_block'] or '-'} |")
    (out / "report.md").write_text("\n".join(md) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- running a model

def _suggest_all(backend, tasks: list[dict], path: Path, config: dict, requests: dict[str, str], progress: bool,
                 on_sample: Callable[[dict], None] | None) -> dict[str, dict]:
    samples = {s["task_id"]: s for s in read_jsonl(path)}
    todo = [t for t in tasks if t["task_id"] not in samples]
    with ProgressBar("blocks-next", total=len(tasks), completed=len(tasks) - len(todo), unit="tasks",
                     enabled=progress and bool(todo)) as bar:
        for task in todo:
            t0 = time.perf_counter()
            r = suggest_next(backend, task["program"], task["at"], top=TOP, samples=config["samples"],
                             grammar=config["grammar"], max_tokens=config["max_tokens"], beam=config.get("beam", 0),
                             request=requests.get(task["source_task"]))
            sample = {"task_id": task["task_id"], "suggestions": [{"line": s.line, "opcode": s.opcode,
                                                                   "logprob": round(s.logprob, 4)}
                                                                  for s in r.suggestions],
                      "invalid": r.invalid, "tokens": r.tokens, "prompt_tokens": r.prompt_tokens,
                      "seconds": round(time.perf_counter() - t0, 4)}
            append_jsonl(path, sample)
            samples[task["task_id"]] = sample
            if on_sample:
                on_sample(sample)
            bar.advance()
    return samples


def source_requests() -> dict[str, str]:
    """The request each ``blocks-next`` program was written for: its source task's prompt in the
    ``blocks`` benchmark, by that task's id."""
    return {t["task_id"]: t["prompt"] for t in load_benchmark(bench="blocks")}


def evaluate_next(backend, out_dir: str | Path, *, grammar: bool = True, limit: int | None = None,
                  tasks: list[str] | None = None, label: str = "", adapter: str | None = None,
                  max_tokens: int | None = None, progress: bool = True,
                  on_sample: Callable[[dict], None] | None = None, samples: int = SAMPLES, beam: int = 0,
                  with_request: bool = False) -> dict:
    """Suggest the block of every ``blocks-next`` task with ``backend``, into ``out_dir``
    (samples.jsonl appended as answers come, so a rerun resumes); returns the summary.
    ``samples``: completions drawn besides the greedy one (0: greedy only, so top-3 is top-1);
    ``beam``: the top 3 from a beam search of that width instead (samples then unused);
    ``with_request``: the suggester is also given the request the program was written for
    (:func:`source_requests`, as the studio gives its conversation's): another condition of the
    benchmark, recorded in the run's config and reported apart."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rows_in = load_benchmark(tasks, limit, bench="blocks-next")
    config = {"bench": "blocks-next", "model": getattr(backend, "name", "?"),
              "adapter": str(adapter) if adapter else None, "grammar": bool(grammar),
              "max_tokens": max_tokens or NEXT_MAX_TOKENS, "samples": 0 if beam else samples, "top": TOP}
    if beam:  # only then: the runs made before beam search existed keep their config and resume
        config["beam"] = beam
    if with_request:  # likewise
        config["with_request"] = True
    check_eval_config(out, config)
    write_manifest(out, "blocks_eval", {**config, "limit": limit, "tasks": tasks, "label": label,
                                        "file": BENCH_FILES["blocks-next"]})
    requests = source_requests() if with_request else {}
    answers = _suggest_all(backend, rows_in, out / "samples.jsonl", config, requests, progress, on_sample)
    rows, summary = score_answers(rows_in, answers, config, requests, label)
    write_jsonl(out / "results.jsonl", rows)
    write_json(out / "summary.json", summary)
    _write_report(out, summary, rows)
    return summary


def main() -> None:
    rows = build_next_benchmark()
    benchmark_path().write_text("".join(json.dumps(r, sort_keys=True, ensure_ascii=False) + "\n" for r in rows),
                                encoding="utf-8")
    print(f"wrote {len(rows)} tasks to {benchmark_path()}")


if __name__ == "__main__":  # python -m codehone.blocks.copilot.next_bench
    main()
