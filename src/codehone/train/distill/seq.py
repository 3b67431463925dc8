"""Sequence-level distillation (Kim & Rush 2016): the teacher rewrites the answers, the student
trains on them with the ordinary LoRA loop.

For each training row of the data run:

    instruct  the teacher answers the user's turn(s) (chat); its answer replaces the data's
    fim       the teacher fills the middle (infill, PSM) between the row's prefix and suffix;
              SPM rows, whose prefix and middle run together, keep the data's middle
    lm        kept as it is: plain repository text has no prompt to answer

A teacher answer is kept only if it passes the checks the row allows (``check_answer``): a row
with tests (``test`` and optionally ``entry_point``, HumanEval style) must pass them, judged
outside the answer's interpreter (``codehone.core.sandbox.judge.judge_test_source``); Python code
must parse (an instruct answer's first code block; the infilled file chunk) wherever the data's
own answer parses: a check the reference fails is no check. Other languages are only checked for a code block. A failing answer falls back to the
data's row (``fallback=original``, so the student sees as many examples as without a teacher)
or drops it (``fallback=drop``). Validation rows stay the data's: validation loss measures the
same thing with or without a teacher.

Answers are cached in ``RUN/teacher/sequence.jsonl`` keyed by a hash of (teacher, request,
sampling settings), appended and flushed as each arrives (against an HTTP endpoint several are
in flight at once: ``--concurrency``, core.concurrent): a rerun or a resumed run asks the
teacher nothing it has answered before, and the teacher is not even loaded when every answer is
cached. The rewritten data set is written as a data run in ``RUN/teacher/sequence-data/`` (the
same files ``codehone data`` writes), which ``lora.train`` then reads (run.py).
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any, Callable

from codehone.backends import load_backend
from codehone.backends.base import Request, SamplingParams
from codehone.core.concurrent import check_concurrency, map_concurrent
from codehone.core.sandbox.judge import judge_test_source
from codehone.core.rundir import RunDir
from codehone.runs import append_jsonl, read_jsonl, write_json, write_jsonl
from codehone.train import TrainError
from codehone.train.dataset import Encoder, read_card, read_split
from codehone.train.model import resolve_base

_FENCE = re.compile(r"```[ \t]*([\w+#.-]*)[^\n]*\n(.*?)(?:```|\Z)", re.S)


def first_code_block(text: str) -> str | None:
    m = _FENCE.search(text)
    return m.group(2) if m else None


def _parses(code: str) -> bool:
    try:
        ast.parse(code)
        return True
    except (SyntaxError, ValueError):
        return False


def _run_tests(program: str, row: dict, reference: str | None) -> tuple[bool, str]:
    outcome = judge_test_source(program, row["test"], row.get("entry_point", ""), reference or "")
    return outcome.passed, f"tests {outcome.status}"


def check_answer(row: dict, original: str, answer: str, *, prefix: str = "", suffix: str = "") -> tuple[bool, str]:
    """Whether a teacher ``answer`` may replace ``original`` (an instruct answer, or a FIM middle
    when prefix/suffix are given); (ok, reason)."""
    if not answer.strip():
        return False, "empty"
    python = row.get("language") == "python"
    if row["kind"] == "fim":
        program, reference = prefix + answer + suffix, prefix + original + suffix
    else:
        program, reference = first_code_block(answer), first_code_block(original)
        if program is None:
            return (False, "no code block") if reference is not None else (True, "ok")
    if row.get("test"):
        return _run_tests(program, row, reference)
    if python and (reference is None or _parses(reference)) and not _parses(program):
        return False, "does not parse"
    return True, "ok"


def split_fim(text: str, template) -> tuple[str, str, str, str] | None:
    """(head up to and including the middle sentinel, prefix, suffix, middle) of a PSM training
    string; None for SPM or anything else."""
    p, s, m = template._texts()
    i, j, k = text.find(p), text.find(s), text.find(m)
    if not (0 <= i and i + len(p) < j and j < k):  # SPM puts <SUF> right after <PRE>
        return None
    middle = text[k + len(m) :]
    for end in template.end:
        if middle.endswith(end):
            middle = middle[: -len(end)]
            break
    return text[: k + len(m)], text[i + len(p) : j], text[j + len(s) : k], middle


def _key(teacher: str, request: dict, settings: dict) -> str:
    return hashlib.sha256(json.dumps([teacher, request, settings], sort_keys=True).encode()).hexdigest()


def _teacher_request(row: dict, template):
    """(Request, its cache form, the row's own answer, FIM parts or None) for a row the teacher
    rewrites; None for a row kept as it is."""
    if row["kind"] == "instruct":
        msgs = row["messages"]
        last = max((i for i, m in enumerate(msgs) if m["role"] == "assistant"), default=-1)
        if last <= 0:
            return None
        return Request.chat(msgs[:last]), {"mode": "chat", "messages": msgs[:last]}, msgs[last]["content"], None
    if row["kind"] == "fim" and template is not None and (parts := split_fim(row["text"], template)):
        head, prefix, suffix, original = parts
        return Request.infill(prefix, suffix), {"mode": "infill", "prefix": prefix, "suffix": suffix}, original, parts
    return None


def teacher_rows(rows: list[dict], template, teacher: str, cache_path: Path, settings: dict, fallback: str,
                 backend_factory: Callable[[str], Any], echo: Callable[[str], None],
                 concurrency: int | None = None) -> tuple[list[dict], dict]:
    """The rows with the teacher's answers where they pass; and counts of what happened.
    ``concurrency``: teacher requests in flight (core.concurrent; None: 1 in process, 8 over HTTP);
    the rows come out in the data's order whatever order the answers land in."""
    cache = {r["key"]: r["answer"] for r in read_jsonl(cache_path)} if cache_path.exists() else {}
    params = SamplingParams(max_tokens=settings["max_tokens"], temperature=settings["temperature"],
                            seed=settings["seed"])
    stats: Counter = Counter()
    planned = []  # (row, (request, req, original, parts) or None, key)
    for row in rows:
        plan = _teacher_request(row, template)
        planned.append((row, plan, _key(teacher, plan[1], settings) if plan else None))
    missing = list({key: plan[0] for _, plan, key in planned if plan and key not in cache}.items())
    if missing:
        echo(f"asking the teacher {teacher} for {len(missing)} answers (cached in {cache_path})")
        backend = backend_factory(teacher)
        try:
            cache_path.parent.mkdir(parents=True, exist_ok=True)
            for (key, _), answer in map_concurrent(lambda item: backend.generate(item[1], params).text, missing,
                                                   check_concurrency(backend, concurrency)):
                append_jsonl(cache_path, {"key": key, "answer": answer})  # kept as it lands: a rerun resumes
                cache[key] = answer
        finally:
            backend.close()
    fresh = {key for key, _ in missing}  # a key's first row counts as asked, any later one as cached
    out = []
    for row, plan, key in planned:
        if plan is None:
            out.append(row)
            stats["unchanged"] += 1
            continue
        _, req, original, parts = plan
        stats["asked" if key in fresh else "cached"] += 1
        fresh.discard(key)
        answer = cache[key]
        if parts is None:
            ok, why = check_answer(row, original, answer.strip())
            new = {**row, "messages": [*req["messages"], {"role": "assistant", "content": answer.strip()}],
                   "teacher": True}
        else:
            head, prefix, suffix, _ = parts
            ok, why = check_answer(row, original, answer, prefix=prefix, suffix=suffix)
            new = {**row, "text": head + answer + (template.end[0] if template.end else ""), "teacher": True}
        new.pop("tokens", None)  # counted in the data's tokenizer for the data's answer
        if ok:
            out.append(new)
            stats["kept"] += 1
        else:
            stats[f"rejected: {why}"] += 1
            if fallback == "original":
                out.append(row)
    return out, dict(stats)


def sequence_data(data_dir: Path, teacher: str, student: str, out: Path, config, dcfg, *,
                  echo: Callable[[str], None] = print,
                  backend_factory: Callable[[str], Any] | None = None,
                  concurrency: int | None = None) -> tuple[Path, dict]:
    """Write ``out/teacher/sequence-data/`` (a data run with the teacher's answers); returns it and the counts."""
    from transformers import AutoTokenizer

    data_dir, out = Path(data_dir), Path(out)
    card = read_card(data_dir)
    rows = read_split(data_dir, "train", config.kind_list)
    read_split(data_dir, "valid", config.kind_list)  # an empty validation split fails before the teacher runs
    encoder = Encoder(AutoTokenizer.from_pretrained(str(resolve_base(student))))
    encoder.check_tokenizer(card, rows, student)
    settings = {"max_tokens": dcfg.gen_max_tokens, "temperature": dcfg.teacher_temperature,
                "seed": config.seed if dcfg.teacher_temperature > 0 else None}
    new_rows, stats = teacher_rows(rows, encoder.template, teacher, RunDir(out).teacher_sequence, settings,
                                   dcfg.fallback, backend_factory or load_backend, echo, concurrency)
    echo("teacher answers: " + ", ".join(f"{k} {v}" for k, v in sorted(stats.items())))
    if not new_rows:
        raise TrainError("no teacher answer passed the checks and fallback=drop left no rows; use fallback=original")

    seq, source = RunDir(out).sequence_data, RunDir(data_dir)
    seq.data_dir.mkdir(parents=True, exist_ok=True)
    write_jsonl(seq.split("train"), new_rows)
    for src, dst in ((source.split("valid"), seq.split("valid")), (source.split("test"), seq.split("test")),
                     (source.bench_repo, seq.bench_repo)):
        if src.exists():
            shutil.copyfile(src, dst)
    write_json(seq.data_card, {**card, "distill": {"teacher": teacher, "source": str(data_dir),
                                                   "teacher_answers": stats}})
    return seq.root, stats
