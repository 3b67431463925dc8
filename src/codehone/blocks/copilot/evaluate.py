"""Score a model on the ``blocks`` benchmark: generate a program per request, run it, check it.

For each task: the few-shot chat prompt (:func:`codehone.blocks.copilot.prompting.build_messages`),
one greedy answer (optionally constrained by the GBNF grammar of the block language), then

    extract_program -> parse      fails: "invalid" (a hallucinated or malformed block; the
                                  parser's message says which)
                    -> run        with the task's typed answers and key presses/clicks, capped
                                  by ``synth.RUN_LIMITS``
                    -> check      "passed" or "failed", with the check's detail

Files in ``out_dir`` (a rerun resumes: samples already there are never generated again)::

    eval_config.json  model, adapter, grammar, shots, max_tokens; a rerun must match it
    samples.jsonl     one row per generated answer, appended as each one arrives
    results.jsonl     one row per task: status, detail, program, parser error
    summary.json      pass and invalid rates, per-family pass rates, counts, tokens, seconds
    report.md, report.html (self-contained, with an SVG drawing of every trace), drawings/*.svg

:func:`comparison_table` puts several summaries (base/tuned x grammar/no grammar) side by side.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from html import escape
from pathlib import Path
from typing import Any, Callable

from codehone.backends import Request, SamplingParams
from codehone.blocks.copilot.bench import load_benchmark
from codehone.blocks.copilot.prompting import build_messages, extract_program
from codehone.blocks.copilot.vote import VOTE_TEMPERATURE, ask_votes, check_vote_when, pick, voting
from codehone.blocks.lang.grammar import program_grammar
from codehone.blocks.lang.parser import parse
from codehone.blocks.lang.stream import StreamParser
from codehone.blocks.lang.tokens import BlockSyntaxError
from codehone.blocks.runtime.checks import run_check
from codehone.blocks.runtime.draw import trace_svg
from codehone.blocks.runtime.interpreter import run_program
from codehone.blocks.synth.pairs import RUN_LIMITS
from codehone.core.progress import ProgressBar
from codehone.errors import UserError
from codehone.core.concurrent import check_concurrency, map_concurrent
from codehone.runs import append_jsonl, atomic_write_text, read_jsonl, write_json, write_jsonl, write_manifest

# Twice the longest reference program of the benchmark (75 tokens for Qwen2.5-Coder): room for a
# longer correct program, while a model that repeats lines stops early instead of costing 320.
MAX_TOKENS = 160
STATUSES = ("passed", "failed", "invalid")


class BlocksEvalError(UserError, ValueError):
    """An evaluation that cannot go on (its settings differ from the run being resumed)."""


# --------------------------------------------------------------------------- scoring one answer

def _complete_blocks(program: str):
    """A program cut off by the token limit, as its complete lines with open C-blocks closed
    (the streaming parser's snapshot); raises BlockSyntaxError if a complete line is wrong."""
    sp = StreamParser()
    sp.feed(program)
    if sp.error is not None:
        raise sp.error
    return sp.snapshot()


def score(task: dict, text: str, finish_reason: str = "stop") -> tuple[dict, dict | None]:
    """(result row, trace or None) for a model's answer ``text`` to ``task``.

    An answer cut off by the token limit (``finish_reason == "length"``) is scored on its complete
    blocks, as an editor showing the streamed program would run it, and flagged ``truncated``:
    a model that repeats lines until the limit fails on behaviour, not on block validity."""
    row = {"task_id": task["task_id"], "family": task["family"], "prompt": task["prompt"]}
    row["truncated"] = finish_reason == "length"
    if row["truncated"]:
        text = text[: text.rfind("\n") + 1]  # the line the limit struck is not a block yet
    program = extract_program(text)
    row["program"] = program
    if not program.strip():
        return {**row, "status": "invalid", "detail": "no program in the answer", "error": "empty answer"}, None
    try:
        prog = _complete_blocks(program) if row["truncated"] else parse(program)
    except (BlockSyntaxError, ValueError, RecursionError) as e:
        return {**row, "status": "invalid", "detail": str(e).splitlines()[0], "error": str(e)}, None
    try:
        trace = run_program(prog, answers=list(task.get("answers", [])), events=list(task.get("events", [])),
                            **RUN_LIMITS)
    except Exception as e:  # noqa: BLE001 - a program the interpreter cannot run fails its task, never the run
        return {**row, "status": "failed", "detail": f"the program could not run: {type(e).__name__}: {e}",
                "error": None}, None
    result = run_check(task["check"], trace)
    status = "passed" if result.ok else "failed"
    return {**row, "status": status, "detail": result.detail, "error": None,
            "said": trace["said"][:5], "segments": len(trace["segments"]), "stopped_by_cap": trace["stopped_by_cap"]}, trace


# --------------------------------------------------------------------------- the run

def answer_sample(task: dict, result, t0: float, with_prompt: bool = False, avoid_program: str | None = None) -> dict:
    """The ``samples.jsonl`` row of one answer (``result``, a backends ``Result``, asked at ``t0``):
    the vote's pick when there are several completions, with the vote and every candidate kept beside
    it; ``avoid_program``: the program a fix or change was asked of (vote.py)."""
    c, votes = pick(result.completions, task.get("answers"), task.get("events"), avoid_program)
    sample = {"task_id": task["task_id"], **({"prompt": task["prompt"]} if with_prompt else {}), "text": c.text,
              "tokens": sum(x.tokens for x in result.completions),
              "prompt_tokens": result.prompt_tokens, "finish_reason": c.finish_reason,
              "seconds": round(time.perf_counter() - t0, 3)}
    if "vote_gate" in result.extra:  # --vote unsure: whether the greedy answer stood alone (vote.ask_votes)
        sample["vote_gate"] = result.extra["vote_gate"]
    if "echo_beam" in result.extra:  # the greedy answer was the program given: what the beam did (echo_beam.py)
        sample["echo_beam"] = result.extra["echo_beam"]
    if votes is not None:
        # Every candidate is kept, so a vote can be regrouped later (another behaviour digest, another
        # tie rule) from the run's own samples without decoding again.
        sample["votes"] = {**votes, "candidates": [{"text": x.text, "mean_logprob": x.mean_logprob}
                                                   for x in result.completions]}
    return sample


def vote_config(samples: int, avoids_given: bool, vote_when: str) -> dict:
    """What a vote adds to an evaluation's eval_config.json (``blocks eval`` and ``eval-set`` alike):
    nothing for greedy, so directories written before voting existed still resume;
    ``vote_avoids_given`` for fix/edit since session 15 (directories voted before then do not resume
    under it); ``vote_when`` only when not "always" (since session 20)."""
    if samples <= 1:
        return {}
    config = {"samples": samples, "temperature": VOTE_TEMPERATURE}
    if avoids_given:
        config["vote_avoids_given"] = True
    if vote_when != "always":
        config["vote_when"] = vote_when
    return config


def check_eval_config(out_dir: Path, config: dict) -> None:
    """An evaluation directory is resumed only with the settings it was started with."""
    path = out_dir / "eval_config.json"
    if path.exists():
        old = json.loads(path.read_text(encoding="utf-8"))
        diff = sorted(k for k in config if old.get(k) != config[k])
        if diff:
            raise BlocksEvalError(f"{out_dir} holds a blocks evaluation with other settings ({', '.join(diff)}: "
                                  f"{', '.join(f'{old.get(k)!r} -> {config[k]!r}' for k in diff)}); "
                                  "use another --out or delete it")
    else:
        write_json(path, config)


def evaluate_blocks(backend, out_dir: str | Path, *, grammar: bool, shots: int = 3, limit: int | None = None,
                    tasks: list[str] | None = None, label: str = "", adapter: str | None = None,
                    max_tokens: int = MAX_TOKENS, progress: bool = True,
                    on_sample: Callable[[dict], None] | None = None, samples: int = 1,
                    concurrency: int | None = None, vote_when: str = "always") -> dict:
    """Evaluate ``backend`` on the benchmark into ``out_dir``; returns the summary (also in summary.json).
    ``samples > 1``: each answer is the behaviour vote of that many sampled programs (vote.py), on
    every task or, ``vote_when="unsure"``, where the greedy answer hesitated (vote.ask_votes).
    ``concurrency``: requests in flight (core.concurrent; None: 1 in process, 8 for an HTTP endpoint)."""
    concurrency = check_concurrency(backend, concurrency)
    check_vote_when(vote_when)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    n_vote = samples  # the name ``samples`` is the generated answers below
    bench = load_benchmark(tasks, limit)
    config = {"bench": "blocks", "model": getattr(backend, "name", "?"), "adapter": str(adapter) if adapter else None,
              "grammar": bool(grammar), "shots": shots, "max_tokens": max_tokens, "temperature": 0.0}
    config.update(vote_config(n_vote, False, vote_when))
    check_eval_config(out, config)
    write_manifest(out, "blocks_eval", {**config, "limit": limit, "tasks": tasks, "label": label})
    samples_path = out / "samples.jsonl"
    samples = {s["task_id"]: s for s in read_jsonl(samples_path)}
    todo = [t for t in bench if t["task_id"] not in samples]
    params = SamplingParams(max_tokens=max_tokens, temperature=0.0, grammar=program_grammar() if grammar and todo else None)
    if n_vote > 1:
        params = voting(replace(params, seed=0), n_vote)

    def ask(task: dict):
        t0 = time.perf_counter()
        request = Request.chat(build_messages(task["prompt"], shots))
        return ask_votes(backend, request, params, vote_when, task.get("answers"), task.get("events")), t0

    def record(task: dict, result, t0: float) -> None:  # on this thread, as each answer lands
        sample = answer_sample(task, result, t0, with_prompt=True)
        append_jsonl(samples_path, sample)  # the unit of progress that survives a crash
        samples[task["task_id"]] = sample
        if on_sample:
            on_sample(sample)

    # Counts only on the line: the label can name a model file, and a request is the user's text.
    with ProgressBar("blocks eval", total=len(bench), completed=len(bench) - len(todo), unit="tasks",
                     enabled=progress and bool(todo)) as bar:
        for task, (result, t0) in map_concurrent(ask, todo, concurrency):
            record(task, result, t0)
            bar.advance()
    rows, traces = [], {}
    for task in bench:
        sample = samples[task["task_id"]]
        row, trace = score(task, sample["text"], sample.get("finish_reason", "stop"))
        rows.append(row)
        if trace is not None:
            traces[task["task_id"]] = trace
    summary = summarize(rows, [samples[t["task_id"]] for t in bench], config, label)
    write_jsonl(out / "results.jsonl", rows)
    write_json(out / "summary.json", summary)
    write_report(out, summary, rows, traces)
    return summary


def summarize(rows: list[dict], samples: list[dict], config: dict, label: str = "") -> dict:
    n = len(rows)
    counts = {s: sum(r["status"] == s for r in rows) for s in STATUSES}
    families: dict[str, dict[str, Any]] = {}
    for r in rows:
        f = families.setdefault(r["family"], {"tasks": 0, "passed": 0, "invalid": 0})
        f["tasks"] += 1
        f["passed"] += r["status"] == "passed"
        f["invalid"] += r["status"] == "invalid"
    for f in families.values():
        f["pass_rate"] = round(f["passed"] / f["tasks"], 4)
    model = config["model"] + (" + adapter" if config.get("adapter") else "")
    return {
        "bench": "blocks", **config,
        "label": label or f"{model}, {'grammar' if config['grammar'] else 'no grammar'}, {config['shots']}-shot",
        "tasks": n, **counts,
        "pass_rate": round(counts["passed"] / n, 4) if n else 0.0,
        "invalid_rate": round(counts["invalid"] / n, 4) if n else 0.0,
        "truncated": sum(bool(r.get("truncated")) for r in rows),
        "families": {k: families[k] for k in sorted(families)},
        "tokens": sum(s.get("tokens", 0) for s in samples),
        "prompt_tokens": sum(s.get("prompt_tokens", 0) for s in samples),
        "seconds": round(sum(s.get("seconds", 0.0) for s in samples), 2),
    }


# --------------------------------------------------------------------------- reports

def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def write_report(out_dir: str | Path, summary: dict | None = None, rows: list[dict] | None = None,
                 traces: dict[str, dict] | None = None) -> tuple[Path, Path]:
    """report.md (+ drawings/*.svg) and a self-contained report.html; reads the run's files for
    what is not given, re-running the programs to draw them. Returns (md path, html path)."""
    out = Path(out_dir)
    summary = summary or json.loads((out / "summary.json").read_text(encoding="utf-8"))
    rows = rows if rows is not None else list(read_jsonl(out / "results.jsonl"))
    if traces is None:
        by_id = {t["task_id"]: t for t in load_benchmark()}
        traces = {}
        for r in rows:
            if r["task_id"] in by_id and r["status"] != "invalid":
                _, trace = score(by_id[r["task_id"]], r["program"])
                if trace is not None:
                    traces[r["task_id"]] = trace
    svgs = {tid: trace_svg(t, width=200, title=tid) for tid, t in traces.items()}
    (out / "drawings").mkdir(exist_ok=True)
    for tid, svg in svgs.items():
        atomic_write_text(out / "drawings" / f"{tid}.svg", svg)
    head = (f"{summary['label']}: passed {summary['passed']}/{summary['tasks']} ({_pct(summary['pass_rate'])}), "
            f"invalid {summary['invalid']} ({_pct(summary['invalid_rate'])}); {summary['tokens']:,} tokens in "
            f"{summary['seconds']:.0f} s")
    fam_rows = [(k, f"{v['passed']}/{v['tasks']}", _pct(v["pass_rate"]), v["invalid"]) for k, v in summary["families"].items()]
    md = [f"# blocks benchmark: {summary['label']}", "", head, "",
          "| family | passed | pass rate | invalid |", "|---|---|---|---|",
          *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in fam_rows], "",
          "| task | status | prompt | detail | drawing |", "|---|---|---|---|---|"]
    for r in rows:
        pic = f"![{r['task_id']}](drawings/{r['task_id']}.svg)" if r["task_id"] in svgs else ""
        md.append(f"| {r['task_id']} | {r['status']} | {_md_cell(r['prompt'])} | {_md_cell(r['detail'])[:160]} | {pic} |")
    md_path, html_path = out / "report.md", out / "report.html"
    atomic_write_text(md_path, "\n".join(md) + "\n")
    atomic_write_text(html_path, _html(summary, head, fam_rows, rows, svgs))
    return md_path, html_path


_CSS = ("body{font-family:sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;margin:1em 0}"
        "td,th{border:1px solid #ddd;padding:4px 8px;vertical-align:top;text-align:left}"
        "pre{margin:0;font-size:12px;white-space:pre-wrap;max-width:420px}"
        ".passed{color:#1a7f37;font-weight:bold}.failed{color:#b35900;font-weight:bold}"
        ".invalid{color:#cf222e;font-weight:bold}")


def _html(summary: dict, head: str, fam_rows: list, rows: list[dict], svgs: dict[str, str]) -> str:
    out = [f"<!doctype html><html><head><meta charset='utf-8'><title>blocks: {escape(summary['label'])}</title>"
           f"<style>{_CSS}</style></head><body>", f"<h1>blocks benchmark: {escape(summary['label'])}</h1>",
           f"<p>{escape(head)}</p>", "<table><tr><th>family</th><th>passed</th><th>pass rate</th><th>invalid</th></tr>"]
    out += [f"<tr><td>{escape(a)}</td><td>{b}</td><td>{c}</td><td>{d}</td></tr>" for a, b, c, d in fam_rows]
    out.append("</table><table><tr><th>task</th><th>prompt</th><th>status</th><th>program</th><th>drawing</th></tr>")
    for r in rows:
        out.append(f"<tr><td>{escape(r['task_id'])}</td><td>{escape(r['prompt'])}</td>"
                   f"<td><span class='{r['status']}'>{r['status']}</span><br>{escape(str(r['detail']))[:300]}</td>"
                   f"<td><pre>{escape(r['program'])}</pre></td><td>{svgs.get(r['task_id'], '')}</td></tr>")
    out.append("</table></body></html>")
    return "\n".join(out)


def comparison_table(summaries: list[dict], fmt: str = "markdown") -> str:
    """Several runs side by side: one column per run, rows for the rates, counts and families."""
    if fmt not in ("markdown", "html"):
        raise ValueError(f"fmt must be markdown or html, got {fmt!r}")
    families = sorted({f for s in summaries for f in s.get("families", {})})
    table: list[tuple[str, list[str]]] = [
        ("pass rate", [_pct(s["pass_rate"]) for s in summaries]),
        ("invalid blocks", [_pct(s["invalid_rate"]) for s in summaries]),
        ("passed / tasks", [f"{s['passed']}/{s['tasks']}" for s in summaries]),
        ("grammar", ["yes" if s.get("grammar") else "no" for s in summaries]),
        ("shots", [str(s.get("shots", "")) for s in summaries]),
        ("tokens generated", [f"{s.get('tokens', 0):,}" for s in summaries]),
        ("seconds", [f"{s.get('seconds', 0):.0f}" for s in summaries]),
    ]
    for f in families:
        table.append((f, [_pct(s["families"][f]["pass_rate"]) if f in s.get("families", {}) else "-" for s in summaries]))
    labels = [s.get("label", s.get("model", "?")) for s in summaries]
    if fmt == "markdown":
        lines = ["| | " + " | ".join(_md_cell(x) for x in labels) + " |", "|---|" + "---|" * len(labels)]
        lines += [f"| {name} | " + " | ".join(cells) + " |" for name, cells in table]
        return "\n".join(lines) + "\n"
    lines = ["<table><tr><th></th>" + "".join(f"<th>{escape(x)}</th>" for x in labels) + "</tr>"]
    lines += [f"<tr><th>{escape(name)}</th>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>"
              for name, cells in table]
    return "\n".join(lines) + "\n</table>\n"
