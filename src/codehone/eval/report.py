"""Reports over scored run directories (each holds summary.json + results.jsonl).

``render_markdown`` / ``render_html`` take one or more run dirs: one gives a single report, several
give a side-by-side comparison (base vs tuned) with per-task pass rates and what changed.
HTML is self-contained: the chart is inline SVG drawn by matplotlib (imported only here).
"""

from __future__ import annotations

import html
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from codehone.core.rundir import RunDir
from codehone.eval.errors import EvalFileMissing
from codehone.runs import atomic_write_text, read_jsonl


@dataclass
class Run:
    label: str
    summary: dict
    per_task: dict[str, tuple[int, int, str]]  # task_id -> (n, passed, first failure detail)
    picks: dict[str, dict[str, bool]] = field(default_factory=dict)  # reranker -> task_id -> pick passed


def load_run(run_dir: str | Path, label: str | None = None) -> Run:
    run_dir = Path(run_dir)
    sp = RunDir(run_dir).summary
    if not sp.is_file():
        raise EvalFileMissing(f"{run_dir}: no summary.json; score the samples first (codehone eval)")
    per: dict[str, list] = {}
    for r in read_jsonl(RunDir(run_dir).results):
        n, c, d = per.get(r["task_id"], (0, 0, ""))
        per[r["task_id"]] = (n + 1, c + bool(r["passed"]), d or ("" if r["passed"] else f"{r['status']}: {r['detail']}"))
    summary = json.loads(sp.read_text())
    picks = {}
    rp = run_dir / "rerank.json"
    if rp.is_file() and "rerank" in summary:  # per-task picks of the rerankers in this summary
        picks = {m: {t: bool(v["passed"]) for t, v in rows.items()}
                 for m, rows in json.loads(rp.read_text()).items() if m in summary["rerank"]}
    return Run(label or run_dir.resolve().name, summary, per, picks)


def _labels(run_dirs: Sequence[str | Path]) -> list[str]:
    names = [Path(d).resolve().name for d in run_dirs]
    if len(set(names)) == len(names):
        return names
    return [str(d) for d in run_dirs]


TEXT_METRICS = {"exact match": "exact_match", "edit similarity": "edit_similarity"}  # repo: runs


def _metrics(runs: Sequence[Run]) -> list[str]:
    """Column labels: pass@k, then "<method> top-1" for each reranker any run has (rerank.py); a
    repo benchmark (scored by text) has exact match and edit similarity instead."""
    if any("exact_match" in r.summary for r in runs):
        return list(TEXT_METRICS)
    keys = sorted({k for r in runs for k in r.summary if k.startswith("pass@")}, key=lambda k: int(k[5:]))
    methods = [m for m in ("codet", "cluster", "logprob") if any(m in r.summary.get("rerank", {}) for r in runs)]
    return (keys or ["pass@1"]) + [f"{m} top-1" for m in methods]


def _value(summary: dict, metric: str) -> float | None:
    if metric in TEXT_METRICS:
        return summary.get(TEXT_METRICS[metric])
    if metric.endswith(" top-1"):
        return summary.get("rerank", {}).get(metric[: -len(" top-1")], {}).get("pass@1")
    return summary.get(metric)


def _cell(summary: dict, metric: str) -> str:
    v = _value(summary, metric)
    return "-" if v is None else f"{100 * v:.1f}"


def _task_order(runs: Sequence[Run]) -> list[str]:
    seen: dict[str, None] = {}
    for r in runs:
        seen.update(dict.fromkeys(r.per_task))
    return list(seen)


def _rate(run: Run, tid: str) -> str:
    if tid not in run.per_task:
        return "-"
    n, c, _ = run.per_task[tid]
    marks = ", ".join(f"{m} {'pass' if p[tid] else 'fail'}" for m, p in run.picks.items() if tid in p)
    return f"{c}/{n}" + (f" ({marks})" if marks else "")


def render_markdown(run_dirs: Sequence[str | Path]) -> str:
    runs = [load_run(d, lab) for d, lab in zip(run_dirs, _labels(run_dirs))]
    metrics = _metrics(runs)
    out = [f"# Evaluation: {', '.join(sorted({r.summary.get('benchmark', '?') for r in runs}))}", ""]
    out += ["| run | model | tasks | samples | " + " | ".join(metrics) + " | statuses | isolation |",
            "|---|---|---|---|" + "---|" * len(metrics) + "---|---|"]
    for r in runs:
        s = r.summary
        vals = " | ".join(_cell(s, m) for m in metrics)
        st = ", ".join(f"{k} {v}" for k, v in sorted(s.get("status", {}).items()))
        model = s.get("model", "") + (f" + {Path(s['adapter']).name}" if s.get("adapter") else "")
        out.append(f"| {r.label} | {_md_escape(model)} | {s.get('tasks')} | {s.get('samples')} | {vals} | {st} | "
                   f"{s.get('isolation', 'text match' if 'exact_match' in s else '')} |")
    if any("rerank" in r.summary for r in runs):
        out += ["", "*METHOD top-1*: pass@1 of the one sample each reranker picked per task (codet: generated "
                "tests, cluster: agreement of outputs, logprob: mean token log-probability); compare with pass@1 "
                "(a random sample) and pass@k (an oracle over k samples)."]
    if len(runs) > 1:
        a, b = runs[0], runs[-1]
        gained = [t for t in _task_order(runs) if _frac(a, t) < _frac(b, t)]
        lost = [t for t in _task_order(runs) if _frac(a, t) > _frac(b, t)]
        out += ["", f"{b.label} vs {a.label}: {len(gained)} tasks better, {len(lost)} worse."]
    out += ["", "## Per task", "", "| task | " + " | ".join(r.label for r in runs) + " | first failure |",
            "|---|" + "---|" * len(runs) + "---|"]
    for tid in _task_order(runs):
        fail = next((r.per_task[tid][2] for r in reversed(runs) if tid in r.per_task and r.per_task[tid][2]), "")
        cells = " | ".join(_rate(r, tid) for r in runs)
        out.append(f"| {tid} | {cells} | {_md_escape(fail[:120])} |")
    return "\n".join(out) + "\n"


def _frac(run: Run, tid: str) -> float:
    n, c, _ = run.per_task.get(tid, (1, 0, ""))
    return c / n


def _md_escape(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def chart_svg(runs: Sequence[Run]) -> str:
    """Grouped bars of pass@k per run, as an inline <svg> string."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metrics = _metrics(runs)
    fig, ax = plt.subplots(figsize=(1.6 + 1.4 * len(metrics) * max(1, len(runs)) / 2, 3.0))
    width = 0.8 / len(runs)
    for i, r in enumerate(runs):
        xs = [j + i * width for j in range(len(metrics))]
        ys = [100 * (_value(r.summary, m) or 0.0) for m in metrics]
        bars = ax.bar(xs, ys, width, label=r.label)
        ax.bar_label(bars, fmt="%.1f", fontsize=8)
    ax.set_xticks([j + width * (len(runs) - 1) / 2 for j in range(len(metrics))], metrics)
    ax.set_ylim(0, 105)
    ax.set_ylabel("%")
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return figure_svg(fig)


def figure_svg(fig) -> str:
    """A matplotlib figure as an inline ``<svg>`` element (no XML prologue), the figure closed."""
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    plt.close(fig)
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]


def render_html(run_dirs: Sequence[str | Path]) -> str:
    runs = [load_run(d, lab) for d, lab in zip(run_dirs, _labels(run_dirs))]
    metrics = _metrics(runs)
    esc = html.escape
    rows = "".join(
        f"<tr><td>{esc(r.label)}</td><td>{r.summary.get('tasks')}</td><td>{r.summary.get('samples')}</td>"
        + "".join(f"<td>{_cell(r.summary, m)}</td>" for m in metrics)
        + f"<td>{esc(json.dumps(r.summary.get('status', {})))}</td><td>{esc(str(r.summary.get('isolation', '')))}</td></tr>"
        for r in runs)
    tasks = "".join(
        f"<tr><td>{esc(t)}</td>" + "".join(
            f"<td class='{'ok' if _frac(r, t) == 1 else 'bad' if t in r.per_task and _frac(r, t) == 0 else ''}'>"
            f"{_rate(r, t)}</td>" for r in runs)
        + f"<td>{esc(next((r.per_task[t][2] for r in reversed(runs) if t in r.per_task and r.per_task[t][2]), '')[:200])}</td></tr>"
        for t in _task_order(runs))
    head = "".join(f"<th>{esc(m)}</th>" for m in metrics)
    labels = "".join(f"<th>{esc(r.label)}</th>" for r in runs)
    title = "Evaluation: " + ", ".join(sorted({r.summary.get("benchmark", "?") for r in runs}))
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>{esc(title)}</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;
padding:2px 6px;font-size:13px}}td.ok{{background:#dfd}}td.bad{{background:#fdd}}</style></head><body>
<h1>{esc(title)}</h1>
{chart_svg(runs)}
<table><tr><th>run</th><th>tasks</th><th>samples</th>{head}<th>statuses</th><th>isolation</th></tr>{rows}</table>
<h2>Per task</h2>
<table><tr><th>task</th>{labels}<th>first failure</th></tr>{tasks}</table>
</body></html>
"""


def write_report(run_dirs: Sequence[str | Path], out: str | Path) -> list[Path]:
    """Write report.md and report.html into directory ``out``; returns their paths."""
    out = Path(out)
    md, page = out / "report.md", out / "report.html"
    atomic_write_text(md, render_markdown(run_dirs))
    atomic_write_text(page, render_html(run_dirs))
    return [md, page]
