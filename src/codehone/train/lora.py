"""The training loop: LoRA (or DoRA, or QLoRA on CUDA) on a causal LM, packed rows, exact resume.

One optimizer step = ``grad_accum`` packed rows per process. The loss of a step is the sum of
per-token cross-entropies over every labelled token of the step (all processes) divided by
their count, so it does not depend on how the tokens were split into rows, rows into
processes, or examples into packs: packed, unpacked, 1 or 2 processes all train the same thing.

Logits only where labelled: the lm_head of a 151k vocabulary is a [T, 896] x [896, 151936]
matmul plus a [T, 151936] fp32 softmax per row; ``logits_to_keep`` (a tensor of positions)
makes transformers apply lm_head to the labelled positions only. For instruction data
(answers only) that is most of the lm_head work saved.

Distributed: the loop runs under ``accelerate launch`` unchanged (configs/accelerate/); a
single process is the same code with a world of one.

Other losses (distillation, ``distill/loss.py``) plug in as a ``loss_hook``: an object that replaces
``row_loss`` for training rows (validation stays cross-entropy on the data), may prepare
itself once the data and the output directory are known, and puts its state into every
checkpoint so that ``--resume`` refuses a run whose loss would differ. The loop is not copied.

``train`` runs in three phases: ``prepare`` (check the data against the base model, fix the
data plan, build the model and optimizer: the pieces are in start.py; then pick up a
checkpoint and write the manifest), ``run_steps`` (the optimizer steps, validation,
checkpoints, interruption) and ``finish`` (publish ``adapter/``, the held-out benchmark, the
report).
"""

from __future__ import annotations

import math
import os
import shutil
import signal
import threading
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from codehone.core.memory import large_blocks_unmapped_on_free, trim_heap
from codehone.core.rundir import RunDir
from codehone.runs import append_jsonl, read_jsonl, write_json, write_jsonl, write_manifest
from codehone.train import TrainError, checkpoint as ck, dataset, packing, sharded
from codehone.train.config import LENGTH_CHANGES, TrainConfig, config_diff
from codehone.train.loss import row_loss
from codehone.train.model import check_environment
from codehone.train.report import Progress, TensorBoard, bench_repo, write_report
from codehone.train.start import (Data, Dist, LossHook, Model, Plan, TorchThreads, build_model, is_oom, oom_error,
                                  plan_rows, read_data, resume_point, start_processes)


class _StopFlag:
    """First Ctrl-C / SIGTERM: finish the step, checkpoint, exit. Second Ctrl-C: stop now.

    Why a thread: Python runs a signal handler only when the main thread next executes bytecode,
    and a row's backward is one C++ call (autograd runs the whole graph without returning to
    Python): tens of seconds for a 0.5B model on 2 cores, during which a handler that raises
    KeyboardInterrupt cannot run (issue 16: two Ctrl-Cs did not stop a run in 70 s). With
    ``signal.set_wakeup_fd`` the C-level handler writes each signal number to a pipe at once,
    whatever the main thread is doing; a watcher thread reads it and, on a SIGINT after a first
    stop signal, calls ``stop_now`` (the last finished step is saved, the process exits). torch
    releases the GIL inside its ops, so the watcher runs while the main thread computes.

    ``lock`` is held by the main thread while a step changes what a checkpoint holds (weights,
    optimizer, counters, RNG) and while it saves, so the watcher saves a finished step or waits
    for one; ``stop_now`` runs once, from whichever thread gets there first."""

    def __init__(self):
        self.requested = False
        self.lock = threading.Lock()
        self.on_stop: Callable[[bool], None] = lambda watcher: None  # run_steps sets it: save, write state
        self._stopped = False
        self._old = {}
        self._pipe: tuple[int, int] | None = None
        self._old_wakeup = -1

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._old[sig] = signal.signal(sig, self._handle)
            r, w = os.pipe()
            os.set_blocking(w, False)
            self._pipe = (r, w)
            self._old_wakeup = signal.set_wakeup_fd(w, warn_on_full_buffer=False)
            threading.Thread(target=self._watch, args=(r,), name="codehone-stop", daemon=True).start()
        return self

    def _handle(self, signum, frame):
        if self.requested and signum == signal.SIGINT:
            raise KeyboardInterrupt  # the main thread got here first (it was running Python)
        self.requested = True

    def _watch(self, fd: int) -> None:
        seen = False
        while data := os.read(fd, 64):
            for signum in data:
                if seen and signum == signal.SIGINT:
                    if self.stop_now(watcher=True):
                        os._exit(130)
                    return
                seen = seen or signum in (signal.SIGINT, signal.SIGTERM)

    def stop_now(self, watcher: bool = False) -> bool:
        """Save and record the interruption, once; False when it was already done."""
        with self.lock:
            if self._stopped:
                return False
            self._stopped = True
            self.on_stop(watcher)
            return True

    def __exit__(self, *exc):
        for sig, old in self._old.items():
            signal.signal(sig, old)
        if self._pipe is not None:
            signal.set_wakeup_fd(self._old_wakeup)
            with self.lock:
                self._stopped = True  # a watcher still waking must not save after the loop ended
            os.close(self._pipe[1])  # the watcher reads end of file and returns


def evaluate(model, examples, rows, dist, device) -> float:
    import torch

    model.eval()
    total = torch.zeros(2, dtype=torch.float64, device=device)
    mine = rows[dist.rank :: dist.world]
    # Every process runs the same number of forwards (a wrapped model's forward may hold a
    # collective: DDP broadcasts buffers, FSDP gathers shards); a short shard repeats a row
    # and ignores it.
    passes = math.ceil(len(rows) / dist.world)
    with torch.no_grad():
        for i in range(passes):
            loss, n = row_loss(model, packing.collate(examples, mine[i] if i < len(mine) else rows[0]), device)
            if i < len(mine):
                total += torch.tensor([loss.item(), n], dtype=torch.float64, device=device)
    model.train()
    total = dist.sum(total)
    return float(total[0] / max(1.0, float(total[1])))


# --- prepare ----------------------------------------------------------------------------------


@dataclass
class _Counters:
    """Where the run stands: what a checkpoint restores besides weights, optimizer and RNG."""

    step: int = 0
    best_val: float = math.inf
    bad_evals: int = 0
    tokens_seen: int = 0
    elapsed_before: float = 0.0  # seconds trained before this process started (resumed runs)
    t_start: float = field(default_factory=time.perf_counter)
    last_val: float | None = None
    stopped_early: bool = False
    rng: dict | None = None  # RNG state at the start of step ``step`` (what an interrupted save records)

    def elapsed(self) -> float:
        return self.elapsed_before + time.perf_counter() - self.t_start


@dataclass
class _Run:
    """What the phases share: settings, processes, data, plan, model, and the counters."""

    config: TrainConfig
    data_dir: Path
    base: str
    out: Path
    echo: Callable[[str], None]
    loss_hook: LossHook | None
    acc: Any
    dist: Dist
    data: Data
    plan: Plan
    m: Model
    counters: _Counters = field(default_factory=_Counters)
    info: dict = field(default_factory=dict)
    threads: TorchThreads | None = None  # CPU runs: re-checked between steps

    @property
    def main(self) -> bool:
        return self.dist.rank == 0

    def loss_state(self) -> dict | None:
        return self.loss_hook.state() if self.loss_hook is not None else None

    def save(self, step: int, rng: dict | None = None) -> None:
        c = self.counters
        state = {"step": step, "best_val": c.best_val, "bad_evals": c.bad_evals, "tokens_seen": c.tokens_seen,
                 "elapsed_s": c.elapsed(), "config": self.config.to_dict(), "plan": self.plan.fingerprint,
                 "plan_done": self.done_fingerprint(step),
                 "base_dir": str(self.data.base_dir), "loss_state": self.loss_state()}
        ck.save_checkpoint(RunDir(self.out).checkpoints, step, self.m.peft_model, self.m.optimizer, self.m.scheduler,
                           state, rng=rng, rank=self.dist.rank, world=self.dist.world, barrier=self.dist.barrier,
                           keep=self.config.keep_checkpoints)

    def done_fingerprint(self, step: int) -> str:
        """The fingerprint of the rows of the first ``step`` steps: what a resume that changes the
        run's length must find unchanged."""
        return packing.plan_fingerprint(self.plan.rows[: step * self.plan.per_step], self.data.train_ex)

    def write_state(self, status: str, summary: dict | None = None) -> None:
        if self.main:
            write_json(RunDir(self.out).train_state,
                       {"status": status, "step": self.counters.step, "total_steps": self.plan.total_steps,
                        **({"summary": summary} if summary else {})})


def prepare(data_dir: Path, base: str, out: Path, config: TrainConfig, *, resume: bool, force: bool,
            echo: Callable[[str], None], loss_hook: LossHook | None, stage: str, manifest_extra: dict | None) -> _Run:
    """Everything before the first step; every check a user can fix runs before the model loads."""
    config.validate()
    config = config.for_data(dataset.read_card(data_dir))  # seq_len unset: the length the data was built for
    # Activations are freed back to the system, not kept in a growing heap (core/memory.py: the
    # resident set otherwise creeps up by GBs over a run of varying row lengths).
    large_blocks_unmapped_on_free()
    cuda = check_environment(config)
    data = read_data(data_dir, base, config)
    dataset.check_dropped(data.stats, config.seq_len, data.card)  # too many rows longer than seq_len: refuse
    acc, dist, threads = start_processes(config, cuda, echo)
    ckpt_path = resume_point(out, resume, force, dist)
    plan = plan_rows(data.train_ex, data.valid_ex, config, dist.world)
    model = build_model(data, plan, config, cuda, acc, dist, out, loss_hook,
                         echo if dist.rank == 0 else (lambda s: None))
    run = _Run(config, data_dir, base, out, echo, loss_hook, acc, dist, data, plan, model, threads=threads)
    changes = _resume(run, ckpt_path) if ckpt_path is not None else {}
    if changes:
        manifest_extra = {**(manifest_extra or {}), "resume_changes": changes}
    if run.main:
        out.mkdir(parents=True, exist_ok=True)
        write_manifest(out, stage, {"data": str(data_dir), "base": base, "base_dir": str(data.base_dir),
                                    "config": config.to_dict(), "resume": resume, **(manifest_extra or {})},
                       data_card_source=data.card.get("source"))
        run.write_state("running")
    _announce(run)
    return run


def _resume(run: _Run, ckpt_path: Path) -> dict:
    """Load a checkpoint after checking it belongs to this run: same settings, data, base, world and
    loss; only the run's length (LENGTH_CHANGES) may differ. Returns those changes, {key: [old, new]}."""
    saved = ck.read_state(ckpt_path)
    changed = config_diff(saved["config"], run.config)
    fixed = [k for k in changed if k not in LENGTH_CHANGES]
    if fixed:
        raise TrainError(f"--resume with changed settings ({', '.join(fixed)}) would not continue the same run; "
                         "use the original settings (only max_steps and epochs may change) or --force to start over")
    length = {k: [saved["config"].get(k), run.config.to_dict()[k]] for k in changed}
    if length:
        if saved["step"] > run.plan.total_steps:
            raise TrainError(f"{ckpt_path.name} is past the new end of the run ({run.plan.total_steps} steps); use "
                             f"max_steps>={saved['step']}, or export {ckpt_path / 'adapter'} as it is")
        if "plan_done" not in saved:
            raise TrainError(f"{ckpt_path.name} was saved before --resume could change the run's length; "
                             "use the original max_steps and epochs")
        same_plan = saved["plan_done"] == run.done_fingerprint(saved["step"])
    else:
        same_plan = saved["plan"] == run.plan.fingerprint
    if (not same_plan or saved["world"] != run.dist.world
            or saved.get("base_dir") != str(run.data.base_dir)):
        raise TrainError("--resume found a checkpoint for other data, another base model or another number of "
                         "processes; use the original ones or --force to start over")
    hook_state = run.loss_state()
    if saved.get("loss_state") != hook_state:
        old, new = saved.get("loss_state") or {}, hook_state or {}
        what = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
        raise TrainError(f"--resume found a checkpoint trained with another loss ({', '.join(what)} differ: "
                         "distillation settings, teacher or its cache); use the original command and settings "
                         "or --force to start over")
    state = ck.load_checkpoint(ckpt_path, run.m.peft_model, run.m.optimizer, run.m.scheduler, run.dist.rank)
    c = run.counters
    c.step, c.best_val, c.bad_evals = state["step"], state["best_val"], state["bad_evals"]
    c.tokens_seen, c.elapsed_before = state["tokens_seen"], state["elapsed_s"]
    if run.main:
        _truncate_log(RunDir(run.out).train_log, c.step)
        run.echo(f"resuming from {ckpt_path.name} (step {c.step} of {run.plan.total_steps})"
                 + "".join(f"; {k} {old} -> {new}" for k, (old, new) in length.items()))
    return length


def _announce(run: _Run) -> None:
    data, plan, config = run.data, run.plan, run.config
    n_trainable = sum(p.numel() for p in run.m.params)
    run.info = {"examples": len(data.train_ex), "rows": len(plan.rows), "steps": plan.total_steps,
                "warmup": run.m.warmup, "trainable_params": n_trainable,
                "dtype": str(run.m.dtype).removeprefix("torch."), "world": run.dist.world, "data": data.stats,
                "valid_examples": len(data.valid_ex), "base_dir": str(data.base_dir)}
    if run.main:
        dropped = dataset.check_dropped(data.stats, config.seq_len, data.card)
        run.echo(f"{len(data.train_ex)} examples in {len(plan.rows)} rows of <= {config.row_tokens} tokens, "
                 f"{plan.total_steps} steps, {n_trainable:,} trainable parameters, {run.info['dtype']}"
                 + (f", {run.dist.world} processes" if run.dist.world > 1 else "")
                 + (f"; {dropped}" if dropped else ""))


# --- run steps --------------------------------------------------------------------------------


def run_steps(run: _Run, tb: TensorBoard) -> None:
    """Optimizer steps until the plan ends or validation stops it early. An interruption saves a
    checkpoint and raises TrainError (first Ctrl-C: after the step; second: at once, dropping it)."""
    c, config, main = run.counters, run.config, run.main
    progress = Progress(run.plan.total_steps, c.step, enabled=config.progress and main)
    run.m.model.train()
    c.t_start = time.perf_counter()
    interrupted = False
    c.rng = ck.rng_state()

    def stop_now(watcher: bool) -> None:
        # The step in flight is dropped (c.step counts finished steps); c.rng is the RNG it began with.
        # The watcher thread cannot join the processes' barriers: there, with several processes, the
        # last periodic checkpoint is the one to resume from.
        if not (watcher and run.dist.world > 1):
            run.save(c.step, rng=c.rng)
        run.write_state("interrupted")
        if watcher and main:
            if os.isatty(1):
                os.write(1, b"\x1b[?25h")  # the progress bar hid the cursor; its own exit will not run
            os.write(2, f"\ninterrupted at step {c.step} of {run.plan.total_steps}; continue with --resume\n".encode())

    with _StopFlag() as stop, progress:
        stop.on_stop = stop_now
        try:
            while c.step < run.plan.total_steps:
                row = _one_step(run, stop.lock)
                _validate(run, row)
                if main and (c.step % config.log_every == 0 or "val_loss" in row or c.step == run.plan.total_steps):
                    append_jsonl(RunDir(run.out).train_log, row)
                    tb.log(row)
                progress.update(row)
                if c.stopped_early:
                    if main:
                        run.echo(f"early stop at step {c.step}: validation loss has not improved for "
                                 f"{c.bad_evals} evaluations")
                    break
                if c.step % config.save_every == 0 and c.step < run.plan.total_steps:
                    with stop.lock:
                        run.save(c.step)
                if stop.requested:
                    interrupted = True
                    break
        except KeyboardInterrupt:
            run.m.optimizer.zero_grad(set_to_none=True)
            stop.stop_now()
            raise TrainError(f"interrupted at step {c.step} of {run.plan.total_steps}; continue with --resume") from None
        except (RuntimeError, MemoryError) as e:
            if is_oom(e):
                raise oom_error(config, e) from None
            raise
        if interrupted:
            stop.stop_now()
    if interrupted:
        raise TrainError(f"stopped at step {c.step} of {run.plan.total_steps} (checkpoint saved); continue with --resume")


def _one_step(run: _Run, lock=None) -> dict:
    """One optimizer step over this process's share of the step's rows; returns its log row.
    ``lock`` (_StopFlag's) is held while the step is applied: a checkpoint sees all of it or none."""
    import torch

    c, m, dist, acc, device = run.counters, run.m, run.dist, run.acc, run.acc.device
    train_ex = run.data.train_ex
    step_rows = run.plan.rows[c.step * run.plan.per_step : (c.step + 1) * run.plan.per_step]
    mine = step_rows[dist.rank :: dist.world]
    step_targets = sum(packing.row_targets(train_ex, r) for r in step_rows)
    t0 = time.perf_counter()
    loss_sum = torch.zeros((), dtype=torch.float64, device=device)
    my_tokens = 0
    for i, row in enumerate(mine):
        batch = packing.collate(train_ex, row)
        my_tokens += batch["input_ids"].shape[1]
        sync = acc.no_sync(m.model) if (i < len(mine) - 1 and dist.world > 1) else nullcontext()
        with sync:
            if run.loss_hook is None:
                loss, _ = row_loss(m.model, batch, device)
            else:
                loss, _ = run.loss_hook.row_loss(m.model, batch, device, step=c.step, row=row)
            # DDP averages gradients over processes; scale so the step's gradient is the mean over
            # all its labelled tokens (see the module doc).
            acc.backward(loss * (dist.world / step_targets))
        loss_sum += loss.detach().double()
    grad_norm = float(acc.clip_grad_norm_(m.params, run.config.max_grad_norm)) if run.config.max_grad_norm > 0 else float("nan")
    lr = m.scheduler.get_last_lr()[0]
    stats = dist.sum(torch.tensor([float(loss_sum), my_tokens], dtype=torch.float64, device=device))
    step_loss, step_tokens = float(stats[0]) / step_targets, int(stats[1])
    with lock or nullcontext():
        m.optimizer.step()
        m.scheduler.step()
        m.optimizer.zero_grad(set_to_none=True)
        c.step += 1
        c.tokens_seen += step_tokens
        c.rng = ck.rng_state()  # nothing draws random numbers before the next step's forward
    # The step's activations are freed; hand their pages back before the next row, whose tensors
    # have other sizes (core/memory.py: without it the resident set creeps up step after step).
    trim_heap()
    dt = time.perf_counter() - t0
    row = {"step": c.step, "loss": round(step_loss, 6), "lr": lr, "tokens": c.tokens_seen,
           "tokens_per_s": round(step_tokens / dt, 1), "grad_norm": round(grad_norm, 4),
           "elapsed_s": round(c.elapsed(), 2), **(run.threads.after_step() if run.threads else {})}
    if run.loss_hook is not None:
        row.update(run.loss_hook.metrics())
    return row


def _validate(run: _Run, row: dict) -> None:
    """Every ``eval_every`` steps and at the last: validation loss into ``row``, the best adapter
    kept, early stopping counted."""
    c, config = run.counters, run.config
    if not (config.eval_every and (c.step % config.eval_every == 0) or c.step == run.plan.total_steps):
        return
    val = evaluate(run.m.model, run.data.valid_ex, run.plan.valid_rows, run.dist, run.acc.device)
    row["val_loss"] = c.last_val = round(val, 6)
    if val < c.best_val - 1e-6:
        c.best_val, c.bad_evals = val, 0
        state = sharded.gather_adapter(run.m.peft_model)  # every rank: a collective under FSDP
        if run.main:
            ck.save_best(RunDir(run.out).checkpoints, run.m.peft_model, {"step": c.step, "val_loss": val}, state)
    else:
        c.bad_evals += 1
        c.stopped_early = bool(config.early_stopping_patience) and c.bad_evals >= config.early_stopping_patience


# --- finish -----------------------------------------------------------------------------------


def finish(run: _Run) -> dict:
    """Publish ``adapter/``, run the held-out benchmark, write the report; returns the summary."""
    c = run.counters
    elapsed = c.elapsed()
    summary = {**run.info, "steps_done": c.step, "stopped_early": c.stopped_early, "best_val_loss": c.best_val,
               "final_val_loss": c.last_val, "tokens_seen": c.tokens_seen, "elapsed_s": round(elapsed, 1),
               "tokens_per_s": round(c.tokens_seen / max(elapsed, 1e-9), 1)}
    state = sharded.gather_adapter(run.m.peft_model)  # every rank: a collective under FSDP
    if run.main:
        _publish_adapter(run.out, run.m.peft_model, state)
    run.dist.barrier()
    best = RunDir(run.out).best_checkpoint
    if best.exists():  # what follows (the benchmark) must see the adapter just published
        ck.load_adapter_file(run.m.peft_model, RunDir(run.out).adapter)
    if run.main:
        summary["bench"] = _maybe_bench(run.config, run.data_dir, run.m.peft_model, run.data.tokenizer, run.echo)
        write_report(run.out, summary, run.config)
        run.write_state("finished", summary)
    run.dist.barrier()
    return summary


def train(data_dir: str | Path, base: str, out_dir: str | Path, config: TrainConfig, *, resume: bool = False,
          force: bool = False, echo: Callable[[str], None] = print, loss_hook: LossHook | None = None,
          stage: str = "train", manifest_extra: dict | None = None) -> dict:
    """Train an adapter for ``base`` on ``data_dir``'s data into ``out_dir``; returns the summary.
    ``loss_hook`` replaces the training loss (distillation); ``stage`` names the run in manifest.json."""
    run = prepare(Path(data_dir), base, Path(out_dir), config, resume=resume, force=force, echo=echo,
                  loss_hook=loss_hook, stage=stage, manifest_extra=manifest_extra)
    tb = TensorBoard(RunDir(run.out).tensorboard, enabled=config.tensorboard and run.main, echo=echo)
    run_steps(run, tb)
    tb.close()
    return finish(run)


def _truncate_log(path: Path, step: int) -> None:
    """Drop log rows written after the checkpoint we resume from: they will be written again."""
    if path.exists():
        write_jsonl(path, [r for r in read_jsonl(path) if r.get("step", 0) <= step])


def _publish_adapter(out: Path, peft_model, state: dict | None) -> None:
    """``adapter/`` = the best validated adapter (or the last one), written atomically."""
    run = RunDir(out)
    best = run.best_checkpoint
    tmp = out / ".adapter.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    if best.exists():
        shutil.copytree(best, tmp)
    else:
        ck.save_adapter(peft_model, tmp, state)
    shutil.rmtree(run.adapter, ignore_errors=True)
    os.replace(tmp, run.adapter)


def _maybe_bench(config: TrainConfig, data_dir: Path, peft_model, tokenizer, echo) -> dict | None:
    bench_file = RunDir(data_dir).bench_repo
    if not config.bench or not bench_file.exists():
        return None
    if sharded.is_sharded(peft_model):  # generating on rank 0 alone would wait forever for the other shards
        echo("the repo benchmark is skipped under FSDP: run `codehone eval --bench repo:DATA --adapter RUN` after training")
        return None
    result = bench_repo(peft_model, tokenizer, bench_file, config.bench_max_tasks, config.bench_max_tokens)
    if result:
        echo(f"repo single-line infill exact match: base {result['base']['exact_match']:.1%} -> "
             f"adapter {result['adapter']['exact_match']:.1%} on {result['n']} tasks")
    return result
