"""The hone steps, in order, each resumable; the repository counterpart of demo/pipeline.py.

    model -> data -> base benchmark (calibrate, size, run) -> LoRA (calibrate, size, run to a deadline)
          -> export --to gguf-lora --verify -> tuned benchmark
          -> both passes scored by the repository's own tests (in the time left) -> report

One run directory holds everything, laid out as the separate commands would (RunDir): data/ and
the cards, adapter/ and the training log, export/, and the two benchmark passes in eval/base and
eval/tuned; hone adds hone_options.json (the settings a rerun must match), hone_plan.json (the
measured speeds and the sizes chosen from them, budget.py) and hone_summary.json.

Resuming: each step is skipped when its output is complete (``RunDir.is_complete``; a benchmark
pass when its summary covers the planned tasks), the plan is read back instead of measured again,
benchmark samples are kept one by one and training resumes from its last checkpoint, so a crash or
Ctrl-C costs at most the work since the last sample or checkpoint. A rerun gets the budget again
for what is left (the clock starts with the command).
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from codehone.backends import load_backend
from codehone.backends.base import SamplingParams
from codehone.core.fim import detect_fim
from codehone.core.rundir import RunDir
from codehone.data.build import BuildOptions, build_dataset
from codehone.data.split import parse_ratios
from codehone.demo.pipeline import StepTimer
from codehone.errors import UserError
from codehone.eval.repo import bench_rows, eval_repo, rescore_repo
from codehone.eval.repo_exec import Checkout
from codehone.export.step import run_export
from codehone.hone import budget as B
from codehone.hone.editors import adapter_name, editor_configs, render_text, serve_command
from codehone.hone.report import write_hone_report
from codehone.hone.train_step import TrainSettings, run_training
from codehone.models import load_tokenizer
from codehone.models.catalogue import CATALOGUE, DEFAULT_MODEL
from codehone.models.fetch import fetch
from codehone.runs import read_jsonl, write_json

HONE_OPTIONS, HONE_PLAN, HONE_SUMMARY = "hone_options.json", "hone_plan.json", "hone_summary.json"
CALIBRATION_TASKS = 4  # base-benchmark tasks timed before the benchmark is sized
EVAL_CHUNK = 8  # tasks between two looks at the clock in a guarded pass


@dataclass
class HoneOptions:
    path: Path
    out: Path
    model: str = DEFAULT_MODEL
    budget: str = "30m"
    limit: int = 0  # most benchmark tasks (0: as many as the budget allows)
    max_steps: int = 0  # most optimizer steps (0: as many as the budget allows)
    max_tokens: int = 64  # tokens generated per benchmark middle at most
    split: str = "0.9,0.05,0.05"
    seed: int = 0
    train_overrides: list[str] = field(default_factory=list)
    progress: bool = True
    execute: bool = True  # score both passes by the repository's own tests, in the time the budget has left


class Clock:
    """The budget's clock: started when the command starts (a rerun gets the budget again)."""

    def __init__(self, budget_s: float):
        self.budget_s = budget_s
        self.t0 = time.monotonic()
        self.end = self.t0 + budget_s

    def left(self) -> float:
        return self.end - time.monotonic()

    def elapsed(self) -> float:
        return time.monotonic() - self.t0


def validate(opts: HoneOptions) -> float:
    """Every check a user can fix, before anything loads; returns the budget in seconds."""
    budget_s = B.parse_budget(opts.budget)
    if not opts.path.exists():
        raise UserError(f"{opts.path} does not exist; give a folder or git repository of code (or a .tar/.zip of one)")
    if opts.path.is_dir() and not any(p.is_file() for p in opts.path.rglob("*")):
        raise UserError(f"{opts.path} holds no files; give a folder or git repository of code")
    if opts.limit < 0 or opts.max_steps < 0 or opts.max_tokens < 1:
        raise UserError("--limit and --max-steps must be 0 (no cap) or more, --max-tokens at least 1")
    parse_ratios(opts.split)
    if opts.out.exists() and not opts.out.is_dir():
        raise UserError(f"--out {opts.out} exists and is not a directory")
    return budget_s


def _check_same_settings(opts: HoneOptions) -> None:
    """A hone directory is resumed only with the settings it was started with (the plan depends on them)."""
    path = opts.out / HONE_OPTIONS
    now = {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(opts).items()
           if k not in ("out", "progress", "execute")}
    now["path"] = str(Path(now["path"]).resolve())
    if path.exists():
        before = json.loads(path.read_text())
        changed = sorted(k for k in now if before.get(k) != now[k])
        if changed:
            what = ", ".join(f"{k}: {before.get(k)!r} -> {now[k]!r}" for k in changed)
            raise UserError(f"{opts.out} holds a hone run with other settings ({what}); rerun with the same "
                            "options to resume it, or use another --out")
    else:
        write_json(path, now)


def _fetch(model: str) -> str:
    return str(fetch(model)) if model in CATALOGUE else model


def _data(opts: HoneOptions, settings: TrainSettings) -> dict:
    run = RunDir(opts.out)
    if run.is_complete("data"):
        return json.loads(run.data_card.read_text())
    options = BuildOptions(seq_len=settings.config(1).seq_len, split=parse_ratios(opts.split), seed=opts.seed,
                           progress=opts.progress)
    return build_dataset(opts.path, load_tokenizer(opts.model), run.root, options)


def task_order(rows: list[dict]) -> list[str]:
    """Task ids round-robin over the kinds (file order within a kind), so a capped benchmark and
    the calibration tasks keep every kind in proportion."""
    by_kind: dict[str, list[str]] = {}
    for r in rows:
        by_kind.setdefault(r["kind"], []).append(r["task_id"])
    queues, out = list(by_kind.values()), []
    while any(queues):
        for q in queues:
            if q:
                out.append(q.pop(0))
    return out


def _count(path: Path) -> int:
    return sum(1 for _ in read_jsonl(path)) if path.exists() else 0


def _pass_complete(run: RunDir, ids: list[str]) -> bool:
    if not run.is_complete("eval"):
        return False
    done = {r["task_id"] for r in read_jsonl(run.results)} if run.results.exists() else set()
    return done == set(ids)


def _guarded_eval(backend, spec: str, run: RunDir, ids: list[str], params: SamplingParams, adapter,
                  stop_at: float | None) -> tuple[dict, list[str]]:
    """Score ``ids`` in chunks; past ``stop_at`` (monotonic) stop at the end of a chunk and score
    what was reached. Returns the summary and the task ids it covers."""
    n = 0
    while True:
        n = min(len(ids), n + EVAL_CHUNK)
        summary = eval_repo(backend, spec, run.root, params, tasks=ids[:n], adapter=adapter)
        if n == len(ids) or (stop_at is not None and time.monotonic() > stop_at):
            return summary, ids[:n]


def _base_eval(opts: HoneOptions, plan: B.BudgetPlan, clock: Clock, save: Callable[[], None], echo) -> tuple[dict, list[str]]:
    run, spec = RunDir(opts.out).eval_run("base"), f"repo:{opts.out}"
    order = task_order(bench_rows(spec))
    if plan.tasks is not None and _pass_complete(run, order[: plan.tasks.chosen]):
        return json.loads(run.summary.read_text()), order[: plan.tasks.chosen]
    params = SamplingParams(max_tokens=opts.max_tokens)
    backend = load_backend(opts.model)
    try:
        if plan.tasks is None:
            # The first task warms llama.cpp up (buffers, threads): it is run first and not timed.
            eval_repo(backend, spec, run.root, params, tasks=order[:1])
            k = min(CALIBRATION_TASKS + 1, len(order))
            before = _count(run.samples)
            t = time.perf_counter()
            eval_repo(backend, spec, run.root, params, tasks=order[:k])
            new = _count(run.samples) - before
            per_task = (time.perf_counter() - t) / new if new else B.FALLBACK_TASK_S
            plan.tasks = B.size_tasks(clock.left(), per_task, len(order), opts.limit, train_reserve_s=B.REPORT_S)
            save()
            echo(f"   {per_task:.1f} s a task on this machine: {plan.tasks.chosen} of {len(order)} tasks"
                 + (f" ({plan.tasks.capped})" if plan.tasks.capped else ""))
        ids = order[: plan.tasks.chosen]
        before, t = _count(run.samples), time.perf_counter()
        summary, _ = _guarded_eval(backend, spec, run, ids, params, None, None)
        plan.tasks.measured(time.perf_counter() - t, _count(run.samples) - before)
        save()
        return summary, ids
    finally:
        backend.close()


def _export(opts: HoneOptions) -> dict:
    run = RunDir(opts.out)
    if run.is_complete("export"):
        record = json.loads(run.export_record.read_text())
        if record.get("adapter_gguf") and Path(record["adapter_gguf"]).exists():
            return record
    return run_export(run.root, "gguf-lora", base=opts.model, verify=True)


def _tuned_eval(opts: HoneOptions, ids: list[str], adapter: str, clock: Clock) -> tuple[dict, list[str]]:
    run, spec = RunDir(opts.out).eval_run("tuned"), f"repo:{opts.out}"
    if _pass_complete(run, ids):
        return json.loads(run.summary.read_text()), ids
    # The last guard: never past budget + 10%, keeping the report's time.
    stop_at = clock.end + B.OVERRUN * clock.budget_s - B.REPORT_S
    backend = load_backend(opts.model, adapter=adapter)
    try:
        return _guarded_eval(backend, spec, run, ids, SamplingParams(max_tokens=opts.max_tokens), adapter, stop_at)
    finally:
        backend.close()


def _run_tests(opts: HoneOptions, ids: list[str], tuned_ids: list[str], clock: Clock) -> dict:
    """Both passes scored again by the repository's own tests (eval/repo_exec.py), base first, in
    the time the budget has left: the planned steps never wait for it, and tasks it does not reach
    are marked not run. The original file's and the mutants' runs are shared by the two passes."""
    if not opts.execute:
        return {"skipped": "--no-execute"}
    run, spec = RunDir(opts.out), f"repo:{opts.out}"
    stop_at = clock.end - B.REPORT_S
    out: dict = {}
    try:
        checkout = Checkout.load(opts.path)  # read once, for both passes
        for label, which in (("base", ids), ("tuned", tuned_ids)):
            s = rescore_repo(spec, run.eval_run(label).root, checkout, tasks=which, exec_log=run.executions,
                             stop_at=stop_at, progress=opts.progress)
            out[label] = s["execution"]
    except UserError as e:  # no sandbox on this machine, a checkout too large to ship: say so, keep the run
        return {"skipped": str(e)}
    return out


def run_hone(opts: HoneOptions, echo: Callable[[str], None] = print) -> dict:
    """Run (or finish) the whole loop in ``opts.out``; returns what the report shows."""
    budget_s = validate(opts)
    clock = Clock(budget_s)
    opts.out.mkdir(parents=True, exist_ok=True)
    _check_same_settings(opts)
    plan_path = opts.out / HONE_PLAN
    plan = B.BudgetPlan.from_json(json.loads(plan_path.read_text())) if plan_path.exists() else B.BudgetPlan(budget_s)

    def save() -> None:
        write_json(plan_path, plan.to_json())

    settings = TrainSettings(opts.seed, list(opts.train_overrides), opts.progress)
    settings.config(1)  # a bad --set fails here, before the model or the data
    timer = StepTimer(echo)
    timer.run("fetch", f"1/8 model {opts.model}", lambda: _fetch(opts.model))
    card = timer.run("data", f"2/8 data from {opts.path}", lambda: _data(opts, settings))
    base, ids = timer.run("eval_base", "3/8 base model on the held-out repository benchmark",
                          lambda: _base_eval(opts, plan, clock, save, echo))
    train = timer.run("train", "4/8 LoRA fine-tuning, sized to the budget",
                      lambda: run_training(opts.out, opts.model, settings, plan, clock, save, card, opts.max_steps, echo))
    export = timer.run("export", "5/8 export --to gguf-lora --verify", lambda: _export(opts))
    tuned, tuned_ids = timer.run("eval_tuned", "6/8 tuned model on the same benchmark",
                                 lambda: _tuned_eval(opts, ids, export["adapter_gguf"], clock))
    tests = timer.run("tests", "7/8 the repository's own tests on both passes' fills (in the time left)",
                      lambda: _run_tests(opts, ids, tuned_ids, clock))
    plan.actual.update({k: v for k, v in timer.times.items() if v >= 0.5 or k not in plan.actual})
    save()
    name = adapter_name(opts.path)
    fim = detect_fim(load_tokenizer(opts.model).get_vocab())
    serve = serve_command(opts.model, name, export["adapter_gguf"])
    configs = editor_configs(model=opts.model, name=name, adapter_gguf=export["adapter_gguf"],
                             modelfile=export.get("modelfile"), fim=fim)
    result = {"model": opts.model, "source": str(opts.path), "budget_s": budget_s, "base": base, "tuned": tuned,
              "tasks": ids, "tasks_scored": tuned_ids, "tests": tests, "train": train, "export": export, "plan": plan.to_json(),
              "serve": serve, "editors": configs}
    result["seconds"] = {**timer.times, "total": round(clock.elapsed(), 1)}
    paths = timer.run("report", "8/8 report", lambda: write_hone_report(opts.out, result))
    result["seconds"] = {**timer.times, "total": round(clock.elapsed(), 1)}
    result["report"] = {k: str(v) for k, v in paths.items()}
    result["editors_text"] = render_text(serve, configs)
    write_json(opts.out / HONE_SUMMARY, result)
    return result
