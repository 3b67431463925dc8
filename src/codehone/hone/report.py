"""The hone report: RUN/report.html (self-contained) and RUN/report.md, from the run's files.

Top to bottom: the before/after table by task kind (tasks, exact match, edit similarity), fills
that changed (expected, base, tuned: gains first, then losses), the training loss, time and
memory per step, the budget plan against what happened, and how to serve and use the model.

Everything is read back from the files the steps wrote (eval/{base,tuned}/samples.jsonl and
results.jsonl, data/bench_repo.jsonl, train_log.jsonl, hone_plan.json via ``result``), so the
report can be rewritten from a finished run. Scores are compared on the tasks both passes scored:
when the tuned pass was cut by the budget, that is fewer than the base pass scored, and it says so.
"""

from __future__ import annotations

import html
from pathlib import Path

from codehone.core.rundir import RunDir
from codehone.eval.report import figure_svg
from codehone.hone.budget import fmt_seconds
from codehone.runs import atomic_write_text, read_jsonl

MAX_EXAMPLES = 6
MAX_STEP_ROWS = 20


def _by_id(path: Path) -> dict[str, dict]:
    return {r["task_id"]: r for r in read_jsonl(path)} if path.exists() else {}


def kind_table(base: dict[str, dict], tuned: dict[str, dict], ids: list[str]) -> list[dict]:
    """Per kind (and "all"), over the tasks both passes scored: n, mean EM and ES before and after."""
    acc: dict[str, list[float]] = {}
    for tid in ids:
        b, t = base.get(tid), tuned.get(tid)
        if b is None or t is None:
            continue
        for key in ("all", b.get("kind", "?")):
            a = acc.setdefault(key, [0, 0.0, 0.0, 0.0, 0.0])
            a[0] += 1
            a[1] += b["exact_match"]
            a[2] += t["exact_match"]
            a[3] += b["edit_similarity"]
            a[4] += t["edit_similarity"]
    rows = [{"kind": k, "n": int(a[0]), "em_base": a[1] / a[0], "em_tuned": a[2] / a[0],
             "es_base": a[3] / a[0], "es_tuned": a[4] / a[0]} for k, a in acc.items()]
    return sorted(rows, key=lambda r: (r["kind"] == "all", r["kind"]))


def changed_fills(out: Path, ids: list[str]) -> list[dict]:
    """Tasks whose fill changed: the tuned model exact where the base was not, then the reverse,
    then the largest edit-similarity changes."""
    run = RunDir(out)
    tasks = _by_id(run.bench_repo)
    samples = {label: _by_id(run.eval_run(label).samples) for label in ("base", "tuned")}
    results = {label: _by_id(run.eval_run(label).results) for label in ("base", "tuned")}
    found = []
    for tid in ids:
        b, t = samples["base"].get(tid), samples["tuned"].get(tid)
        rb, rt = results["base"].get(tid), results["tuned"].get(tid)
        if not (b and t and rb and rt) or b["completion"] == t["completion"]:
            continue
        gain = rt["exact_match"] - rb["exact_match"]
        found.append({"task_id": tid, "kind": rt.get("kind", ""), "path": tasks.get(tid, {}).get("path", ""),
                      "context": "".join(tasks.get(tid, {}).get("prefix", "").splitlines(True)[-4:]),
                      "expected": tasks.get(tid, {}).get("middle", ""), "base": b["completion"], "tuned": t["completion"],
                      "em": (rb["exact_match"], rt["exact_match"]), "es": (rb["edit_similarity"], rt["edit_similarity"]),
                      "order": (-gain, -(rt["edit_similarity"] - rb["edit_similarity"]))})
    found.sort(key=lambda f: f["order"])
    gains = [f for f in found if f["em"][1] > f["em"][0]]
    losses = [f for f in found if f["em"][1] < f["em"][0]]
    rest = [f for f in found if f["em"][1] == f["em"][0]]
    return (gains[:3] + losses[:2] + rest)[:MAX_EXAMPLES]


def step_rows(out: Path) -> list[dict]:
    log = RunDir(out).train_log
    return [r for r in read_jsonl(log) if "step" in r and "loss" in r] if log.exists() else []


def loss_svg(rows: list[dict]) -> str:
    if not rows:
        return ""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 2.6), dpi=100)
    ax.plot([r["step"] for r in rows], [r["loss"] for r in rows], color="#2f6fdf", label="training loss")
    val = [r for r in rows if "val_loss" in r]
    if val:
        ax.plot([r["step"] for r in val], [r["val_loss"] for r in val], "o", color="#d9480f", label="validation")
        ax.legend(fontsize=8)
    ax.set_xlabel("optimizer step")
    ax.set_ylabel("loss")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return figure_svg(fig)


def _pct(x: float) -> str:
    return f"{100 * x:.1f}"


def _delta(a: float, b: float) -> str:
    return f"{100 * (b - a):+.1f}"


def _fenced(text: str) -> list[str]:
    """A Markdown code block that the text cannot close early."""
    fence = "```"
    while fence in text:
        fence += "`"
    return [fence, text.rstrip("\n"), fence]


def _sampled(rows: list[dict]) -> list[dict]:
    if len(rows) <= MAX_STEP_ROWS:
        return rows
    every = -(-len(rows) // MAX_STEP_ROWS)
    return [r for i, r in enumerate(rows) if i % every == 0 or i == len(rows) - 1]


def _plan_rows(plan: dict) -> list[tuple[str, str, str]]:
    predicted, actual = plan.get("predicted", {}), plan.get("actual", {})
    keys = [k for k in ("fetch", "data", "eval_base", "train", "export", "eval_tuned", "report") if k in predicted or k in actual]
    return [(k, fmt_seconds(predicted[k]) if k in predicted else "-", fmt_seconds(actual[k]) if k in actual else "-")
            for k in keys]


def tests_line(tests: dict) -> str:
    """The repository tests' verdicts on both passes, in one sentence (eval/repo_exec.py)."""
    if not tests or tests.get("skipped"):
        return f"Repository tests: not run ({tests.get('skipped', 'no result')})."
    b, t = tests.get("base", {}).get("all"), tests.get("tuned", {}).get("all")
    if not b or not t:
        return "Repository tests: not run."
    rest = (f"{t['untested']} tasks have no test file for their module, {t['not_covered']} are not covered by "
            f"their tests (they pass with the middle taken out)")
    if t["reference_fails"]:
        rest += f", {t['reference_fails']} are in files whose tests fail as they are"
    if b["not_run"] or t["not_run"]:
        rest += f"; not run for lack of time: {b['not_run']} base, {t['not_run']} tuned"
    return (f"Repository tests on the same fills: base {b['passed']}/{b['covered']} covered fills pass, "
            f"tuned {t['passed']}/{t['covered']}; {rest}.")


def _sections(result: dict, out: Path) -> dict:
    """What both renderings show, computed once."""
    run = RunDir(out)
    ids = result["tasks_scored"]
    table = kind_table(_by_id(run.eval_run("base").results), _by_id(run.eval_run("tuned").results), ids)
    rows = step_rows(out)
    plan = result.get("plan", {})
    notes = []
    tasks, train = plan.get("tasks") or {}, plan.get("train") or {}
    if tasks.get("capped"):
        notes.append(f"Benchmark: {tasks['chosen']} of {tasks['available']} tasks ({tasks['capped']}).")
    if len(ids) < len(result["tasks"]):
        notes.append(f"The tuned pass was cut by the budget after {len(ids)} of {len(result['tasks'])} tasks; "
                     "both columns are compared on those.")
    if train.get("capped"):
        notes.append(f"Training: {train['steps']} steps ({train['capped']}).")
    if "tests" in result:
        notes.append(tests_line(result["tests"]))
    if plan.get("floor_s"):
        notes.append(f"The budget ({fmt_seconds(plan['budget_s'])}) was below this machine's fixed costs "
                     f"(about {fmt_seconds(plan['floor_s'])}: data, model loads, one step, export, the tuned pass); "
                     "the run could not keep to it.")
    return {"table": table, "rows": rows, "examples": changed_fills(out, ids), "plan": _plan_rows(plan),
            "notes": notes, "train": train, "tasks": tasks}


def _markdown(result: dict, s: dict) -> str:
    md = [f"# codehone hone: {result['model']} on {result['source']}", "",
          "Held-out repository benchmark (infill from test-split files), greedy; exact match and edit similarity in %.", "",
          "| kind | tasks | exact match base | tuned | change | edit similarity base | tuned | change |",
          "|---|---|---|---|---|---|---|---|"]
    for r in s["table"]:
        md.append(f"| {r['kind']} | {r['n']} | {_pct(r['em_base'])} | {_pct(r['em_tuned'])} | {_delta(r['em_base'], r['em_tuned'])} "
                  f"| {_pct(r['es_base'])} | {_pct(r['es_tuned'])} | {_delta(r['es_base'], r['es_tuned'])} |")
    md += [""] + [f"- {n}" for n in s["notes"]] + [""]
    md += ["## Fills that changed", ""]
    for ex in s["examples"]:
        md += [f"### {ex['task_id']} ({ex['kind']}, {ex['path']}): exact {ex['em'][0]:.0f} -> {ex['em'][1]:.0f}", "",
               "context:", *_fenced(ex["context"])]
        for who in ("expected", "base", "tuned"):
            md += [f"{who}:", *_fenced(ex[who])]
        md.append("")
    md += ["## Training", "", "![loss](loss.png)" if (Path(result["out"]) / "loss.png").exists() else "", "",
           "| step | loss | seconds | tokens/s | peak RSS MB |", "|---|---|---|---|---|"]
    md += [f"| {r['step']} | {r['loss']:.4f} | {r.get('step_s', '-')} | {r.get('tokens_per_s', '-')} | {r.get('rss_mb', '-')} |"
           for r in _sampled(s["rows"])]
    md += ["", "## Budget", "", f"Budget {fmt_seconds(result['budget_s'])}; total {fmt_seconds(result['seconds']['total'])}.", "",
           "| step | planned | took |", "|---|---|---|"] + [f"| {a} | {b} | {c} |" for a, b, c in s["plan"]]
    md += ["", "## Use it", "", "```", result["serve"], "```", ""]
    for title, text in result["editors"].items():
        md += [f"{title}:", "", "```", text, "```", ""]
    return "\n".join(md) + "\n"


_CSS = """
body{font-family:system-ui,sans-serif;max-width:1050px;margin:2em auto;color:#222}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 9px;text-align:right}
td:first-child,th:first-child{text-align:left}pre{background:#f6f8fa;padding:6px;font-size:12px;overflow:auto;margin:2px 0}
.ex{display:grid;grid-template-columns:1fr 1fr 1fr;gap:10px}.up{color:#087f23}.down{color:#b00}svg{max-width:100%}
"""


def _html_table(head: list[str], rows: list[list[str]]) -> str:
    h = "".join(f"<th>{html.escape(c)}</th>" for c in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><tr>{h}</tr>{body}</table>"


def _html(result: dict, s: dict) -> str:
    e = html.escape
    h = [f"<!doctype html><meta charset=utf-8><title>codehone hone</title><style>{_CSS}</style>",
         f"<h1>codehone hone: {e(result['model'])} on {e(result['source'])}</h1>",
         "<p>Held-out repository benchmark (infill from test-split files), greedy; exact match and edit similarity in %.</p>"]

    def d(a, b):
        cls = "up" if b > a else "down" if b < a else ""
        return f"<span class={cls}>{_delta(a, b)}</span>"

    h.append(_html_table(["kind", "tasks", "EM base", "EM tuned", "change", "ES base", "ES tuned", "change"],
                         [[e(r["kind"]), str(r["n"]), _pct(r["em_base"]), _pct(r["em_tuned"]), d(r["em_base"], r["em_tuned"]),
                           _pct(r["es_base"]), _pct(r["es_tuned"]), d(r["es_base"], r["es_tuned"])] for r in s["table"]]))
    h += [f"<p>{e(n)}</p>" for n in s["notes"]]
    h.append("<h2>Fills that changed</h2>")
    for ex in s["examples"]:
        h.append(f"<h3>{e(ex['task_id'])} <small>({e(ex['kind'])}, {e(ex['path'])}): exact {ex['em'][0]:.0f} &rarr; "
                 f"{ex['em'][1]:.0f}, edit similarity {ex['es'][0]:.2f} &rarr; {ex['es'][1]:.2f}</small></h3>")
        h.append(f"<pre>{e(ex['context'])}</pre><div class=ex>")
        h += [f"<div><b>{who}</b><pre>{e(ex[who])}</pre></div>" for who in ("expected", "base", "tuned")]
        h.append("</div>")
    h += ["<h2>Training</h2>", loss_svg(s["rows"])]
    h.append(_html_table(["step", "loss", "seconds", "tokens/s", "peak RSS MB"],
                         [[str(r["step"]), f"{r['loss']:.4f}", str(r.get("step_s", "-")), str(r.get("tokens_per_s", "-")),
                           str(r.get("rss_mb", "-"))] for r in _sampled(s["rows"])]))
    h.append(f"<h2>Budget</h2><p>Budget {e(fmt_seconds(result['budget_s']))}; total {e(fmt_seconds(result['seconds']['total']))}.</p>")
    h.append(_html_table(["step", "planned", "took"], [[e(a), e(b), e(c)] for a, b, c in s["plan"]]))
    h += ["<h2>Use it</h2>", f"<pre>{e(result['serve'])}</pre>"]
    for title, text in result["editors"].items():
        h += [f"<h3>{e(title)}</h3>", f"<pre>{e(text)}</pre>"]
    return "\n".join(h)


def write_hone_report(out: Path, result: dict) -> dict[str, Path]:
    """Write ``report.html`` and ``report.md`` in ``out``; returns their paths."""
    result = {**result, "out": str(out)}
    s = _sections(result, out)
    paths = {"html": RunDir(out).report_html, "md": RunDir(out).report_md}
    atomic_write_text(paths["html"], _html(result, s))
    atomic_write_text(paths["md"], _markdown(result, s))
    return paths
