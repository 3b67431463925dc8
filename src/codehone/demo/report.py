"""The demo's report: one self-contained HTML page (and a Markdown twin) a teacher can open.

What it shows, top to bottom: the four scores (base/tuned x grammar/free) with the
invalid-block rate, the training loss, the time and peak resident memory of each step, and examples where the tuned
model passes and the base model does not, each with the drawing of what its program does
(the interpreter's trace rendered as SVG). Drawings are recomputed from the programs saved in
the evaluation runs, so the report never depends on traces kept in memory.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from codehone.blocks.copilot.bench import load_benchmark
from codehone.blocks.lang.parser import parse
from codehone.blocks.runtime.draw import trace_svg
from codehone.blocks.runtime.interpreter import run_program
from codehone.core.rundir import RunDir
from codehone.eval.report import figure_svg
from codehone.runs import atomic_write_text, read_jsonl

LABELS = {
    "base-free": "base, free text",
    "base-grammar": "base, with grammar",
    "tuned-free": "tuned, free text",
    "tuned-grammar": "tuned, with grammar",
}
ORDER = ("base-free", "base-grammar", "tuned-free", "tuned-grammar")
MAX_EXAMPLES = 6


def _pct(x) -> str:
    return "-" if x is None else f"{100 * float(x):.1f}%"


def _gb(x) -> str:
    return "-" if x is None else f"{float(x):.2f} GB"


def _results(run_dir: Path) -> dict[str, dict]:
    path = RunDir(run_dir).results
    return {r["task_id"]: r for r in read_jsonl(path)} if path.exists() else {}


def _drawing(program_text: str, task: dict | None) -> str:
    """Inline SVG of what the program does, or a note when it cannot run."""

    try:
        program = parse(program_text)
    except Exception as e:  # noqa: BLE001 - an invalid program is shown with its error
        return f"<p class=err>invalid: {html.escape(str(e))}</p>"
    task = task or {}
    trace = run_program(program, answers=task.get("answers") or None, events=task.get("events") or None)
    return trace_svg(trace, width=240)


def _loss_chart(train_dir: Path) -> str:
    log = RunDir(train_dir).train_log
    if not log.exists():
        return ""

    rows = [r for r in read_jsonl(log) if "loss" in r and "step" in r]
    if not rows:
        return ""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 2.6), dpi=100)
    ax.plot([r["step"] for r in rows], [r["loss"] for r in rows], color="#4c97ff")
    ax.set_xlabel("optimizer step")
    ax.set_ylabel("training loss")
    ax.grid(alpha=0.3)
    fig.tight_layout()

    return figure_svg(fig)


def _score_rows(evals: dict[str, dict]) -> list[tuple[str, str, str, str, str]]:
    rows = []
    for key in ORDER:
        s = evals.get(key)
        if not s:
            continue
        rows.append((LABELS[key], _pct(s.get("pass_rate")), _pct(s.get("invalid_rate")),
                     str(s.get("tasks", "-")), f"{float(s.get('seconds', 0)):.0f} s"))
    return rows


SKILL_NAMES = {"blocks-fix": "Fix (pass, few blocks changed)", "blocks-edit": "Change (pass)",
               "blocks-tutor": "Teach (every step checked)", "blocks-next": "Next block (top-3, block + arguments)",
               "blocks-next-request": "Next block with the child's request, as the studio asks (top-3)"}


def _skill_rows(skills: dict[str, dict]) -> list[tuple[str, str, str, str]]:
    """(skill, base, tuned, tasks) for the skill sets scored by the demo, base vs tuned."""
    base, tuned = skills.get("base") or {}, skills.get("tuned") or {}
    return [(SKILL_NAMES.get(b, b), _pct(base[b].get("score")), _pct((tuned.get(b) or {}).get("score")),
             str(base[b].get("tasks", "-"))) for b in base]


def _examples(out: Path, tasks: dict[str, dict]) -> list[dict]:
    base = _results(RunDir(out).eval_run("base-grammar").root)
    tuned = _results(RunDir(out).eval_run("tuned-grammar").root)
    chosen = [t for t, r in tuned.items() if r.get("status") == "passed" and base.get(t, {}).get("status") != "passed"]
    chosen += [t for t, r in tuned.items() if r.get("status") == "passed" and t not in chosen]
    examples = []
    for task_id in chosen[:MAX_EXAMPLES]:
        task = tasks.get(task_id, {})
        b, t = base.get(task_id, {}), tuned[task_id]
        examples.append({"task_id": task_id, "prompt": task.get("prompt", t.get("prompt", "")),
                         "base_program": b.get("program", ""), "base_status": b.get("status", "-"),
                         "tuned_program": t.get("program", ""), "tuned_status": t.get("status"), "task": task})
    return examples


_CSS = """
body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;color:#222}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 10px;text-align:left}
pre{background:#f6f8fa;padding:8px;font-size:12px;overflow:auto}.err{color:#b00}
.ex{display:grid;grid-template-columns:1fr 1fr;gap:16px;border-top:1px solid #ddd;padding-top:8px}
svg{max-width:100%}
"""


def write_demo_report(out: Path, result: dict) -> dict[str, Path]:
    """Write ``report.html`` and ``report.md`` in ``out``; returns their paths."""

    tasks = {t["task_id"]: t for t in load_benchmark()}
    evals = result["evals"]
    rows = _score_rows(evals)
    examples = _examples(out, tasks)
    secs = result.get("seconds", {})
    peaks = result.get("peak_rss_gb", {})  # step -> GB; "total": the process's high-water mark

    md = [f"# codehone demo: {result['model']} learns Scratch blocks", "",
          "| model | behaviour pass rate | invalid blocks | tasks | time |", "|---|---|---|---|---|"]
    md += [f"| {' | '.join(r)} |" for r in rows]
    skill_rows = _skill_rows(result.get("skills") or {})
    if skill_rows:
        md += ["", "| skill | base | tuned | tasks |", "|---|---|---|---|"] + [f"| {' | '.join(r)} |" for r in skill_rows]
    md += ["", "Step times: " + ", ".join(f"{k} {v:.0f} s" for k, v in secs.items()), ""]
    if peaks:
        md += ["Peak memory (resident, GB): " + ", ".join(f"{k} {v:.2f}" for k, v in peaks.items()), ""]
    md += [f"Adapter: `{result.get('adapter')}`", ""]
    for ex in examples:
        md += [f"## {ex['task_id']}: {ex['prompt']}", "", f"base ({ex['base_status']}):", "```",
               ex["base_program"].rstrip(), "```", f"tuned ({ex['tuned_status']}):", "```", ex["tuned_program"].rstrip(), "```", ""]

    h = [f"<!doctype html><meta charset=utf-8><title>codehone demo</title><style>{_CSS}</style>",
         f"<h1>codehone demo: {html.escape(result['model'])} learns Scratch blocks</h1>",
         "<table><tr><th>model</th><th>behaviour pass rate</th><th>invalid blocks</th><th>tasks</th><th>time</th></tr>"]
    h += ["<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows]
    h.append("</table>")
    h.append("<p>Pass rate: the program's behaviour (what it draws, says, asks) passes the task's check when run "
             "headless. Invalid: the answer is not a program of existing blocks with the right arguments.</p>")
    if skill_rows:
        h.append("<h2>Skills</h2><table><tr><th>skill</th><th>base</th><th>tuned</th><th>tasks</th></tr>"
                 + "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in skill_rows)
                 + "</table><p>Held-out skill sets (<code>codehone blocks eval-set</code>), the first tasks of each; "
                   "the demo trains on all the skills at once.</p>")
    chart = _loss_chart(out / "train")
    if chart:
        h += ["<h2>Training</h2>", chart]
    h.append("<h2>Time and memory</h2><table><tr><th>step</th><th>time</th><th>peak memory (resident)</th></tr>"
             + "".join(f"<tr><td>{html.escape(k)}</td><td>{v:.0f} s</td><td>{_gb(peaks.get(k))}</td></tr>"
                       for k, v in secs.items())
             + "</table>")
    h.append(f"<p>GGUF adapter: <code>{html.escape(str(result.get('adapter')))}</code></p>")
    if examples:
        h.append("<h2>Examples (with the grammar)</h2>")
    for ex in examples:
        h.append(f"<h3>{html.escape(ex['task_id'])}: {html.escape(ex['prompt'])}</h3><div class=ex>")
        for who in ("base", "tuned"):
            prog = ex[f"{who}_program"]
            h.append(f"<div><b>{who}</b> ({html.escape(ex[f'{who}_status'])})<pre>{html.escape(prog)}</pre>"
                     f"{_drawing(prog, ex['task']) if prog.strip() else ''}</div>")
        h.append("</div>")
    paths = {"html": RunDir(out).report_html, "md": RunDir(out).report_md}

    atomic_write_text(paths["html"], "\n".join(h))
    atomic_write_text(paths["md"], "\n".join(md) + "\n")
    return paths


def load_summary(out: Path) -> dict:
    return json.loads(RunDir(out).demo_summary.read_text())
