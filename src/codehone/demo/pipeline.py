"""The demo's steps, in order, each resumable.

Budget (2 cores, model already fetched; see docs/benchmarks.d/blocks.md for the measured run):
the four scoring passes use the same ``limit`` tasks spread over every family of the ``blocks``
benchmark (the full benchmark is ``codehone blocks eval``); training is capped by ``max_steps``
(by default about one epoch of the data: the demo trains the copilot the benchmark figures are for).

A step is skipped when its output says it is complete (``data_card.json``, an evaluation's
``summary.json`` covering all its tasks, ``train_state.json`` with status done, ``export.json``),
and an interrupted training resumes from its last checkpoint, so Ctrl-C costs at most the work
since the last checkpoint or sample.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from codehone.backends import load_backend
from codehone.blocks.copilot.bench import load_benchmark
from codehone.blocks.copilot.dataset import BlocksDataOptions, build_blocks_data
from codehone.blocks.copilot.evaluate import evaluate_blocks
from codehone.core.memory import PeakRss, peak_rss_bytes
from codehone.core.rundir import RunDir
from codehone.demo.report import write_demo_report
from codehone.errors import UserError
from codehone.export.step import run_export
from codehone.models import load_tokenizer
from codehone.models.catalogue import CATALOGUE
from codehone.models.catalogue import DEFAULT_MODEL
from codehone.models.fetch import fetch
from codehone.runs import write_json
from codehone.train.checkpoint import list_checkpoints
from codehone.train.config import build_config
from codehone.train.lora import train

# The LoRA settings of the demo: all linear layers at r=16 as the 0.5B preset, a higher learning
# rate because the task is narrow; rows are multi-turn (system card + 16 requests, ~1.3k tokens),
# one per optimizer step: the ~300-token card is paid once per 16 pairs, and the row has the shape
# of the few-shot prompt used for scoring. These are configs/qwen2.5-coder-0.5b/blocks-skills.yaml's.
# Gradient checkpointing is off: it cost a third of the speed (69 against 100 tokens/s, session 21),
# and without it the demo's whole run peaked at 5.4 GB (session 25), under issue 21's 6 GB. Turn it on
# (--set gradient_checkpointing=true) where memory is shorter: it keeps only each layer's input for
# the backward (figures in docs/benchmarks.d/train.md).
DEMO_TRAIN_SETTINGS = [
    "lora_r=16", "lora_alpha=32", "target_modules=all-linear", "seq_len=2048", "micro_batch_size=1",
    "grad_accum=1", "lr=5e-4", "warmup_steps=3", "min_lr_ratio=0.1", "eval_every=0", "save_every=20",
    "keep_checkpoints=1", "early_stopping_patience=0", "kinds=instruct,fim", "bench=false",
    "gradient_checkpointing=false",
]


@dataclass
class DemoOptions:
    out: Path
    model: str = DEFAULT_MODEL
    examples: int = 4000  # request/program pairs generated for training: about 270 rows of <= 2048 tokens
    turns: int = 16  # pairs per training row (the system card is paid once per row)
    # optimizer steps of one row each (~1.3k tokens): about one epoch of the 4,000 pairs' 271 rows; 73
    # minutes at ~85 tokens/s on 2 bf16 cores (session 25); fewer steps make a quicker, weaker demo
    max_steps: int = 266
    limit: int = 40  # benchmark tasks per scoring pass, spread over the families
    shots: int = 3
    seed: int = 0
    train_overrides: list[str] = field(default_factory=list)
    skill_limit: int = 10  # tasks of each skill set (blocks-fix, -edit, -tutor, -next) scored base vs tuned; 0: none


@dataclass
class StepTimer:
    """Runs the demo's steps, recording each one's time and peak resident memory (the report shows
    both: the demo must fit on an 8 GB laptop, issue 21). The peak is sampled while the step runs
    (core/memory.py: the kernel's own high-water mark covers the whole process, not a step)."""

    echo: Callable[[str], None]
    times: dict[str, float] = field(default_factory=dict)
    peak_rss_gb: dict[str, float] = field(default_factory=dict)

    def run(self, name: str, title: str, fn: Callable[[], object]):
        self.echo(f"[bold]== {title}[/bold]")
        t0 = time.perf_counter()
        with PeakRss() as peak:
            result = fn()
        self.times[name] = round(time.perf_counter() - t0, 1)
        self.peak_rss_gb[name] = round(peak.gb, 2)
        self.echo(f"   done in {self.times[name]:.0f} s, peak memory {peak.gb:.1f} GB")
        return result


def _fetch(model: str) -> Path:
    if model not in CATALOGUE:
        return Path(model)  # a file or directory reference: nothing to fetch
    return fetch(model)


def _build_data(opts: DemoOptions) -> Path:
    data_dir = RunDir(opts.out).data_dir  # a blocks data run of its own, inside the demo's directory
    options = BlocksDataOptions(examples=opts.examples, turns=opts.turns, seed=opts.seed)
    build_blocks_data(data_dir, load_tokenizer(opts.model), options)  # returns at once when already built
    return data_dir


def _evaluate(opts: DemoOptions, label: str, grammar: bool, adapter: Path | None) -> dict:
    # evaluate_blocks resumes: samples already generated are only scored again (milliseconds).
    run = RunDir(opts.out).eval_run(label).root
    backend = load_backend(opts.model, adapter=adapter)
    try:
        return evaluate_blocks(backend, run, grammar=grammar, shots=opts.shots, tasks=demo_tasks(opts.limit),
                               label=label, adapter=str(adapter) if adapter else None)
    finally:
        backend.close()


SKILL_SETS = ("blocks-fix", "blocks-edit", "blocks-tutor", "blocks-next")
# blocks-next once more the studio's way: with the request each program was written for (the studio
# has the child's conversation) and the top 3 found as the studio finds them. Reported apart, since
# from the program alone most blocks' arguments are nowhere in view (docs/benchmarks.md, session 26).
NEXT_WITH_REQUEST = "blocks-next-request"


def skill_score(summary: dict) -> float | None:
    """One figure a skill set: its pass rate, or for blocks-next the top-3 rate of the block with its arguments."""
    if "pass_rate" in summary:
        return summary["pass_rate"]
    return summary.get(f"top{summary.get('top', 3)}_block")


def _evaluate_skills(opts: DemoOptions, label: str, adapter: Path | None) -> dict[str, dict]:
    """The skills the demo also trains (issue 18), ``skill_limit`` tasks each, one model load for all."""
    from codehone.blocks.copilot.next_block import search_for
    from codehone.blocks.copilot.skill_eval import evaluate_set

    backend = load_backend(opts.model, adapter=adapter)
    try:
        scored = [(bench, bench, {}) for bench in SKILL_SETS]
        scored.append((NEXT_WITH_REQUEST, "blocks-next", {"beam": search_for(backend)["beam"], "next_request": True}))
        out = {}
        for key, bench, how in scored:
            run = RunDir(opts.out).eval_run(f"{key}-{label}").root  # resumes like the blocks passes
            # spread over the set's families: the first N of a skill set are all one family (all wrong angles)
            summary = evaluate_set(backend, run, bench, tasks=demo_tasks(opts.skill_limit, bench),
                                   label=f"{key} {label}", adapter=str(adapter) if adapter else None, **how)
            out[key] = {"score": skill_score(summary), "tasks": summary.get("tasks")}
        return out
    finally:
        backend.close()


def demo_tasks(limit: int, bench: str = "blocks") -> list[str]:
    """``limit`` tasks of ``bench`` spread over all families (round-robin in file order), so a short
    demo still scores shapes, stories, games and questions rather than the first family only."""

    by_family: dict[str, list[str]] = {}
    for task in load_benchmark(bench=bench):
        by_family.setdefault(task["family"], []).append(task["task_id"])
    chosen: list[str] = []
    queues = list(by_family.values())
    while len(chosen) < limit and any(queues):
        for q in queues:
            if q and len(chosen) < limit:
                chosen.append(q.pop(0))
    return chosen


def _train(opts: DemoOptions, data_dir: Path) -> dict:
    run = RunDir(opts.out / "train")
    if run.is_complete("train"):
        return run.read_train_state().get("summary", {})
    cfg = build_config(None, DEMO_TRAIN_SETTINGS + [f"max_steps={opts.max_steps}", f"seed={opts.seed}"]
                       + list(opts.train_overrides))

    # A checkpoint means an interrupted demo: continue it exactly; anything else starts over.
    resume = bool(list_checkpoints(run.checkpoints))
    return train(data_dir, opts.model, run.root, cfg, resume=resume, force=not resume)


def _export(opts: DemoOptions) -> Path:
    run = RunDir(opts.out / "train")
    if run.is_complete("export"):
        adapter = json.loads(run.export_record.read_text()).get("adapter_gguf")
        if adapter and Path(adapter).exists():
            return Path(adapter)
    result = run_export(run.root, "gguf-lora", base=opts.model)
    return Path(result["adapter_gguf"])


def _check_same_settings(opts: DemoOptions) -> None:
    """A demo directory is resumed only with the settings it was started with."""
    from dataclasses import asdict


    path = RunDir(opts.out).demo_options
    now = {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(opts).items() if k != "out"}
    if path.exists():
        before = json.loads(path.read_text())
        # an option added since the run started counts as its default (the run did not know it)
        changed = sorted(k for k in now if before.get(k, now[k]) != now[k])
        if changed:
            raise UserError(f"{opts.out} holds a demo run with other settings ({', '.join(f'{k}: {before.get(k)!r} -> {now[k]!r}' for k in changed)}); "
                            "rerun with the same options to resume it, or use another --out")
    else:
        write_json(path, now)


def _across_sittings(opts: DemoOptions, timer: StepTimer, total: float) -> tuple[dict, dict, int]:
    """Step times and peaks over every sitting of this demo directory: a resumed step finishes in a
    second from its saved outputs, so each step keeps its longest sitting (the one that did its
    work) and the process peak the highest; "total" is then the sum of the steps, not this sitting's
    wall time. Without this a resumed demo's report said "train 0 s, peak 0.5 GB"."""
    path = RunDir(opts.out).demo_summary
    before = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    old_s, old_p = before.get("seconds", {}), before.get("peak_rss_gb", {})
    seconds = {k: max(v, old_s.get(k, 0.0)) for k, v in timer.times.items()}
    peaks = {k: max(v, old_p.get(k, 0.0)) for k, v in timer.peak_rss_gb.items()}
    seconds["total"] = round(sum(seconds.values()), 1) if before else total
    peaks["total"] = max(round(peak_rss_bytes() / 1024**3, 2), old_p.get("total", 0.0))
    return seconds, peaks, before.get("sittings", 1) + 1 if before else 1


def run_demo(opts: DemoOptions, echo: Callable[[str], None] = print) -> dict:
    """Run (or finish) the demo in ``opts.out``; returns what the report shows."""
    if opts.limit < 1 or opts.max_steps < 1:
        raise UserError("--limit and --max-steps must be at least 1")
    if opts.skill_limit < 0:
        raise UserError("--skill-limit must be 0 (no skill scores) or more")
    opts.out.mkdir(parents=True, exist_ok=True)
    _check_same_settings(opts)
    timer = StepTimer(echo)
    t0 = time.perf_counter()
    timer.run("fetch", f"1/7 model {opts.model}", lambda: _fetch(opts.model))
    data_dir = timer.run("data", "2/7 block data (prompt -> program pairs, each verified by running it)",
                         lambda: _build_data(opts))
    evals: dict[str, dict] = {}
    evals["base-grammar"] = timer.run("eval_base_grammar", f"3/7 base model on {opts.limit} `blocks` tasks, with the grammar",
                                      lambda: _evaluate(opts, "base-grammar", True, None))
    evals["base-free"] = timer.run("eval_base_free", "   ... and without the grammar",
                                   lambda: _evaluate(opts, "base-free", False, None))
    train_summary = timer.run("train", f"4/7 LoRA fine-tuning ({opts.max_steps} steps)", lambda: _train(opts, data_dir))
    adapter = timer.run("export", "5/7 export the GGUF LoRA adapter", lambda: _export(opts))
    evals["tuned-grammar"] = timer.run("eval_tuned_grammar", "6/7 tuned model, with the grammar",
                                       lambda: _evaluate(opts, "tuned-grammar", True, adapter))
    evals["tuned-free"] = timer.run("eval_tuned_free", "   ... and without the grammar",
                                    lambda: _evaluate(opts, "tuned-free", False, adapter))
    skills: dict[str, dict] = {}
    if opts.skill_limit > 0:
        skills["base"] = timer.run("skills_base", f"   skills ({', '.join(SKILL_SETS)}, {opts.skill_limit} tasks each): base",
                                   lambda: _evaluate_skills(opts, "base", None))
        skills["tuned"] = timer.run("skills_tuned", "   ... and tuned", lambda: _evaluate_skills(opts, "tuned", adapter))
    total = round(time.perf_counter() - t0, 1)

    seconds, peaks, sittings = _across_sittings(opts, timer, total)
    result = {"model": opts.model, "adapter": str(adapter), "evals": evals, "skills": skills, "train": train_summary,
              "seconds": seconds, "limit": opts.limit, "max_steps": opts.max_steps, "sittings": sittings,
              # per step, and the high-water mark over the whole run ("total")
              "peak_rss_gb": peaks}
    paths = timer.run("report", "7/7 report", lambda: write_demo_report(opts.out, result))
    result["report"] = {k: str(v) for k, v in paths.items()}

    write_json(RunDir(opts.out).demo_summary, result)
    return result
