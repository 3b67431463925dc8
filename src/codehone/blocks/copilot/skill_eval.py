"""Score a model on the named block task sets ``blocks-kids``, ``blocks-fix``, ``blocks-edit`` and ``blocks-tutor``.

``blocks-kids`` is scored exactly like the ``blocks`` benchmark (the same few-shot prompt and
:func:`codehone.blocks.copilot.evaluate.score`); ``blocks-fix`` asks with the fix prompt
(:func:`codehone.blocks.copilot.fix.fix_messages`) and judges with
:func:`codehone.blocks.copilot.fix.score_fix` (check passes and few blocks changed; a passing
rewrite is counted apart); ``blocks-edit`` asks with the edit prompt
(:func:`codehone.blocks.copilot.edit.edit_messages`) and judges by the task's check, which covers the
change and what had to stay (:func:`codehone.blocks.copilot.edit.score_edit`); ``blocks-tutor`` asks for steps
(:func:`codehone.blocks.copilot.tutor.tutor`: by default the program under the grammar, cut in steps;
``tutor_direct=True`` the model's own free-text tutorial) and judges every step mechanically
(:func:`codehone.blocks.copilot.tutor.score_tutorial`). Files in ``out_dir`` are those of a ``blocks`` evaluation
(eval_config.json, samples.jsonl appended as answers arrive so a rerun resumes, results.jsonl,
summary.json, report.md/.html with drawings), so one report reader serves all three. ``blocks-next``
is handed to :func:`codehone.blocks.copilot.next_bench.evaluate_next` (fill-in-the-middle, ranked
suggestions scored top-1/top-3; the same run files, but report.md only).

This is a loop of its own rather than an option of ``evaluate_blocks`` because that module is
edited elsewhere; it reuses its scorer, summary and report.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import Callable

from codehone.backends import Request, SamplingParams
from codehone.blocks.copilot.bench import BENCH_FILES, LANG_BENCHES, load_benchmark
from codehone.blocks.copilot.echo_beam import ECHO_BEAM, instead_of_echo
from codehone.blocks.copilot.evaluate import (MAX_TOKENS, BlocksEvalError, answer_sample, check_eval_config, score,
                                              summarize, vote_config, write_report)
from codehone.blocks.copilot.edit import edit_messages, score_edit
from codehone.blocks.copilot.fix import fix_messages, score_fix
from codehone.blocks.copilot.next_bench import evaluate_next
from codehone.blocks.copilot.lang_bench import language_summary, score_lang
from codehone.blocks.copilot.tutor import score_tutorial, tutor
from codehone.blocks.copilot.vote import ask_votes, check_vote_when, voting
from codehone.blocks.copilot.prompting import build_messages
from codehone.blocks.lang.grammar import program_grammar
from codehone.core.progress import ProgressBar
from codehone.runs import append_jsonl, read_jsonl, write_json, write_jsonl, write_manifest

SETS = ("blocks-kids", "blocks-fix", "blocks-edit", "blocks-tutor", *LANG_BENCHES, "blocks-next")
TUTOR_MAX_TOKENS = 400  # a tutorial is the program plus a sentence a step
FIX_MAX_TOKENS = 240  # the buggy program comes back whole: room for the longest (about 110 tokens) twice


def _messages(bench: str, task: dict, shots: int) -> list[dict]:
    if bench == "blocks-fix":
        return fix_messages(task["program"], task["complaint"], min(shots, 1))
    if bench == "blocks-edit":
        return edit_messages(task["program"], task["prompt"], min(shots, 1))
    return build_messages(task["prompt"], shots)


def _tutor_sample(backend, task: dict, shots: int, params: SamplingParams, direct: bool) -> dict:
    """The ``samples.jsonl`` row of one tutorial (tutor.tutor, program mode or direct)."""
    lesson = tutor(backend, task["prompt"], shots=shots, max_tokens=params.max_tokens, direct=direct,
                   grammar=params.grammar is not None)
    return {"task_id": task["task_id"], "text": lesson.text, "tokens": lesson.tokens,
            "prompt_tokens": lesson.prompt_tokens, "finish_reason": lesson.finish_reason,
            "seconds": round(lesson.seconds, 3), **({} if direct else {"program": lesson.program,
                                                                       "problem": lesson.problem})}


def _generate(backend, bench: str, tasks: list[dict], samples_path: Path, shots: int, params: SamplingParams,
              progress: bool, on_sample: Callable[[dict], None] | None, tutor_direct: bool = False,
              echo_beam: int = 0, vote_when: str = "always") -> dict[str, dict]:
    """The samples of ``tasks``: those already in ``samples_path``, and new ones appended as they
    come (with ``params.n > 1``, each the behaviour vote of n programs: vote.py; with ``echo_beam``,
    a fix or change that behaves as the program given is asked again by beam search: echo_beam.py)."""
    samples = {s["task_id"]: s for s in read_jsonl(samples_path)}
    todo = [t for t in tasks if t["task_id"] not in samples]
    with ProgressBar(bench, total=len(tasks), completed=len(tasks) - len(todo), unit="tasks",
                     enabled=progress and bool(todo)) as bar:
        for task in todo:
            t0 = time.perf_counter()
            if bench == "blocks-tutor":
                sample = _tutor_sample(backend, task, shots, params, tutor_direct)
            else:  # a fix or change vote puts answers that behave as the program given last (vote.py)
                given = task["program"] if bench in ("blocks-fix", "blocks-edit") else None
                request = Request.chat(_messages(bench, task, shots))
                result = ask_votes(backend, request, params, vote_when, task.get("answers"), task.get("events"), given)
                if given and echo_beam:  # a fix's complaint, a change's request: as fix_program and edit_program ask
                    complaint = task.get("complaint") or task.get("prompt") or ""
                    result = instead_of_echo(backend, request, params, result, given, task.get("answers"),
                                             task.get("events"), echo_beam, complaint)
                sample = answer_sample(task, result, t0, avoid_program=given)
            append_jsonl(samples_path, sample)
            samples[task["task_id"]] = sample
            if on_sample:
                on_sample(sample)
            bar.advance()
    return samples


def evaluate_set(backend, out_dir: str | Path, bench: str, *, grammar: bool = True, shots: int | None = None,
                 limit: int | None = None, tasks: list[str] | None = None, label: str = "",
                 adapter: str | None = None, max_tokens: int | None = None, progress: bool = True,
                 on_sample: Callable[[dict], None] | None = None, samples: int = 1,
                 tutor_direct: bool = False, beam: int = 0, echo_beam: int = ECHO_BEAM,
                 vote_when: str = "always", next_request: bool = False) -> dict:
    """Evaluate ``backend`` on ``bench`` (one of SETS) into ``out_dir``; returns the summary.
    ``tutor_direct``: blocks-tutor asks for the model's own free-text tutorial (tutor.py);
    ``beam``: blocks-next's top 3 by a beam search of that width (next_block.suggest_next);
    ``echo_beam``: blocks-fix and blocks-edit, a greedy answer that is the program given is asked
    again by a beam of that width (echo_beam.py; as ``blocks fix`` and ``generate --program`` do);
    ``vote_when``: with ``samples > 1``, vote on every task or only where the greedy answer hesitated
    (vote.ask_votes); ``next_request``: blocks-next's suggester is given the request each program was
    written for (next_bench.evaluate_next ``with_request``)."""
    check_vote_when(vote_when)
    if beam and bench != "blocks-next":
        raise BlocksEvalError(f"--beam ranks next-block suggestions; {bench} answers with one program (leave it 0)")
    if bench not in SETS:
        raise BlocksEvalError(f"unknown task set {bench!r}; choose {' or '.join(SETS)} "
                              f"(the `blocks` benchmark is `codehone blocks eval`)")
    if bench == "blocks-next":  # fill-in-the-middle with several suggestions a task: its own loop and scores
        return evaluate_next(backend, out_dir, grammar=grammar, limit=limit, tasks=tasks, label=label, adapter=adapter,
                             max_tokens=max_tokens, progress=progress, on_sample=on_sample, beam=beam,
                             with_request=next_request)
    fix, change, teach = bench == "blocks-fix", bench == "blocks-edit", bench == "blocks-tutor"
    direct = teach and tutor_direct
    shots = (1 if fix or change or direct else 3) if shots is None else shots
    max_tokens = max_tokens or (TUTOR_MAX_TOKENS if teach else FIX_MAX_TOKENS if fix or change else MAX_TOKENS)
    grammar = grammar and not direct  # a free-text tutorial mixes sentences with blocks: no program grammar
    if samples > 1 and teach:
        raise BlocksEvalError("--samples votes on what programs do; a tutorial is not one program (use 1 for blocks-tutor)")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rows_in = load_benchmark(tasks, limit, bench=bench)
    config = {"bench": bench, "model": getattr(backend, "name", "?"), "adapter": str(adapter) if adapter else None,
              "grammar": bool(grammar), "shots": shots, "max_tokens": max_tokens, "temperature": 0.0}
    config.update(vote_config(samples, fix or change, vote_when))
    echo_beam = echo_beam if (fix or change) and samples == 1 else 0
    if echo_beam:  # only then, so directories written before session 17 resume
        config["echo_beam"] = echo_beam
    if teach and not direct:  # only then, so tutor directories written in direct mode (before session 14) resume
        config["tutor"] = "program"
    check_eval_config(out, config)
    write_manifest(out, "blocks_eval", {**config, "limit": limit, "tasks": tasks, "label": label,
                                        "file": BENCH_FILES[bench]})
    params = SamplingParams(max_tokens=max_tokens, temperature=0.0, grammar=program_grammar() if grammar else None)
    if samples > 1:
        params = voting(replace(params, seed=0), samples)
    samples = _generate(backend, bench, rows_in, out / "samples.jsonl", shots, params, progress, on_sample, direct,
                        echo_beam, vote_when)
    scorer = score_fix if fix else score_edit if change else score_tutorial if teach else \
        score_lang if bench in LANG_BENCHES else score  # blocks-lang(-2): behaviour, then the language said
    rows, traces = [], {}
    for task in rows_in:
        sample = samples[task["task_id"]]
        row, trace = scorer(task, sample["text"], sample.get("finish_reason", "stop"))
        rows.append(row)
        if trace is not None:
            traces[task["task_id"]] = trace
    summary = summarize(rows, [samples[t["task_id"]] for t in rows_in], config, label)
    if fix:
        summary["rewrite"] = sum(r["status"] == "rewrite" for r in rows)
        summary["rewrite_rate"] = round(summary["rewrite"] / len(rows), 4) if rows else 0.0
        # the two readings side by side: a passing rewrite is a pass, reported apart
        summary["pass_rate_with_rewrites"] = round((summary["passed"] + summary["rewrite"]) / len(rows), 4) if rows else 0.0
    if teach:
        summary["faults"] = {k: sum(r.get("fault") == k for r in rows) for k in sorted({r.get("fault") for r in rows} - {None})}
    if change:
        summary["unchanged"] = sum(bool(r.get("unchanged")) for r in rows)
        summary["by_edit"] = {k: {"n": sum(r["edit"] == k for r in rows),
                                  "passed": sum(r["edit"] == k and r["status"] == "passed" for r in rows)}
                              for k in sorted({r["edit"] for r in rows})}
    if bench in LANG_BENCHES:
        summary.update(language_summary(rows))
    write_jsonl(out / "results.jsonl", rows)
    write_json(out / "summary.json", summary)
    write_report(out, summary, rows, traces)
    return summary


__all__ = ["SETS", "evaluate_set"]
