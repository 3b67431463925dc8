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

Other losses (distillation, ``distill.py``) plug in as a ``loss_hook``: an object that replaces
``row_loss`` for training rows (validation stays cross-entropy on the data), may prepare
itself once the data and the output directory are known, and puts its state into every
checkpoint so that ``--resume`` refuses a run whose loss would differ. The loop is not copied.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import signal
import time
from pathlib import Path
from typing import Callable, Protocol

from codehone.train import TrainError
from codehone.train.config import TrainConfig, config_diff

TRAIN_OUTPUTS = ("adapter", "checkpoints", "train_log.jsonl", "train_state.json", "train_report.md", "loss.png",
                 "tensorboard", "bench_train.json")


class _StopFlag:
    """First Ctrl-C / SIGTERM: finish the step, checkpoint, exit. Second Ctrl-C: stop now."""

    def __init__(self):
        self.requested = False
        self._old = {}

    def __enter__(self):
        import threading

        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._old[sig] = signal.signal(sig, self._handle)
        return self

    def _handle(self, signum, frame):
        if self.requested and signum == signal.SIGINT:
            raise KeyboardInterrupt
        self.requested = True

    def __exit__(self, *exc):
        for sig, old in self._old.items():
            signal.signal(sig, old)


def prepare_out_dir(out: Path, resume: bool, force: bool):
    """The checkpoint to resume from (or None); refuses to overwrite a run without --force."""
    from codehone.train.checkpoint import list_checkpoints

    state_file = out / "train_state.json"
    state = json.loads(state_file.read_text()) if state_file.exists() else {}
    if force:
        for name in TRAIN_OUTPUTS:
            p = out / name
            shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
        return None
    checkpoints = list_checkpoints(out / "checkpoints")
    if state.get("status") == "finished":
        raise TrainError(f"{out} already holds a finished training run; pass --force to train again and replace it")
    if resume:
        return checkpoints[-1] if checkpoints else None
    if checkpoints or (out / "adapter").exists() or (out / "train_log.jsonl").exists():
        raise TrainError(f"{out} holds an unfinished training run; pass --resume to continue it or --force to start over")
    return None


def _oom_error(config: TrainConfig, exc: BaseException) -> TrainError:
    return TrainError(
        f"out of memory at seq_len={config.seq_len}, micro_batch_size={config.micro_batch_size}: lower "
        f"micro_batch_size (raise grad_accum to keep the batch), lower seq_len, or set gradient_checkpointing=true"
        + ("" if config.qlora else " or qlora=true on a GPU") + f" ({type(exc).__name__})")


def _is_oom(exc: BaseException) -> bool:
    return isinstance(exc, MemoryError) or "out of memory" in str(exc).lower() or type(exc).__name__ == "OutOfMemoryError"


def row_loss(model, batch: dict, device):
    """Summed cross-entropy over the labelled positions of one packed row, and their count.

    batch: input_ids, position_ids, targets, each [1, T]. Positions restart per example, and no
    attention mask is passed, so transformers builds the block-diagonal mask (packing.py)."""
    from codehone.train.loss import compute_context, cross_entropy_sum

    targets = batch["targets"][0]  # [T]
    keep = (targets != -100).nonzero().squeeze(1)  # [N] positions with a loss
    with compute_context(model, device):
        out = model(input_ids=batch["input_ids"].to(device), position_ids=batch["position_ids"].to(device),
                    use_cache=False, logits_to_keep=keep.to(device))
    logits = out.logits.flatten(0, 1)  # [N, V] in the model dtype (a view: no [1, N, V] gradient to fill)
    # The softmax is fp32 inside (bf16's 8-bit mantissa makes log-probabilities of a 151k
    # vocabulary coarse), one chunk at a time (loss.py).
    loss = cross_entropy_sum(logits, targets[keep].to(device))
    return loss, int(keep.numel())


class LossHook(Protocol):
    """An alternate training loss (see distill.TokenDistillLoss)."""

    def prepare(self, *, examples: list, tokenizer, out: Path, dist, device, dtype, config: TrainConfig,
                echo: Callable[[str], None]) -> None:
        """Called once the training examples exist, before the student model loads."""

    def row_loss(self, model, batch: dict, device, *, step: int, row: list[int]):
        """Like ``row_loss``: (summed loss over the row's labelled positions, their count); the loop
        divides by the step's labelled-target count."""

    def state(self) -> dict:
        """JSON-able: what decides the loss (settings, teacher cache identity and fill)."""

    def metrics(self) -> dict:
        """Extra numbers for this step's log row (reset on read)."""


def evaluate(model, examples, rows, dist, device) -> float:
    import torch

    from codehone.train.packing import collate

    model.eval()
    total = torch.zeros(2, dtype=torch.float64, device=device)
    mine = rows[dist.rank :: dist.world]
    # Every process runs the same number of forwards (a wrapped model's forward may hold a
    # collective: DDP broadcasts buffers, FSDP gathers shards); a short shard repeats a row
    # and ignores it.
    passes = math.ceil(len(rows) / dist.world)
    with torch.no_grad():
        for i in range(passes):
            loss, n = row_loss(model, collate(examples, mine[i] if i < len(mine) else rows[0]), device)
            if i < len(mine):
                total += torch.tensor([loss.item(), n], dtype=torch.float64, device=device)
    model.train()
    total = dist.sum(total)
    return float(total[0] / max(1.0, float(total[1])))


class _Dist:
    """What the loop needs from accelerate: rank, world, barrier, a sum across processes."""

    def __init__(self, accelerator):
        self.acc = accelerator
        self.rank, self.world = accelerator.process_index, accelerator.num_processes

    def sum(self, t):
        return self.acc.reduce(t, "sum") if self.world > 1 else t

    def barrier(self):
        if self.world > 1:
            self.acc.wait_for_everyone()


def train(data_dir: str | Path, base: str, out_dir: str | Path, config: TrainConfig, *, resume: bool = False,
          force: bool = False, echo: Callable[[str], None] = print, loss_hook: LossHook | None = None,
          stage: str = "train", manifest_extra: dict | None = None) -> dict:
    """Train an adapter for ``base`` on ``data_dir``'s data into ``out_dir``; returns the summary.
    ``loss_hook`` replaces the training loss (distillation); ``stage`` names the run in manifest.json."""
    import numpy as np

    from codehone.train import dataset, packing
    from codehone.train.model import check_environment, context_length, resolve_base

    config.validate()
    cuda = check_environment(config)
    data_dir, out = Path(data_dir), Path(out_dir)
    card = dataset.read_card(data_dir)
    train_rows = dataset.read_split(data_dir, "train", config.kind_list)
    valid_rows = dataset.read_split(data_dir, "valid", config.kind_list)
    base_dir = resolve_base(base)
    ctx = context_length(base_dir)
    if config.seq_len > ctx:
        raise TrainError(f"seq_len={config.seq_len} is longer than {base}'s context of {ctx} tokens; use seq_len<={ctx}")
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(base_dir))
    encoder = dataset.Encoder(tokenizer)
    encoder.check_tokenizer(card, train_rows, base)
    train_ex, train_stats = encoder.examples(train_rows, config.seq_len)
    valid_ex, _ = encoder.examples(valid_rows[: config.eval_max_examples], config.seq_len)
    if not train_ex:
        raise TrainError(f"no training example fits seq_len={config.seq_len} ({train_stats['dropped_too_long']} were "
                         "longer); raise seq_len or rebuild the data with a smaller --seq-len")
    if not valid_ex:
        raise TrainError(f"no validation example fits seq_len={config.seq_len}; raise seq_len")

    from accelerate import Accelerator

    acc = Accelerator(cpu=not cuda)
    dist = _Dist(acc)
    main = dist.rank == 0
    if not cuda:
        import torch

        torch.set_num_threads(config.threads or int(os.environ.get("CODEHONE_THREADS", "0") or 0)
                              or len(os.sched_getaffinity(0)))
    ckpt_path = prepare_out_dir(out, resume, force) if main else None
    dist.barrier()
    if not main:
        from codehone.train.checkpoint import list_checkpoints

        found = list_checkpoints(out / "checkpoints")
        ckpt_path = found[-1] if (resume and found) else None

    # The data plan: every row of the run, fixed now (packing.py). With several processes the
    # rows are cut to a multiple of the world so every process runs the same number of passes.
    lengths = [len(e) for e in train_ex]
    per_step = config.grad_accum * dist.world
    epochs = config.epochs
    if config.max_steps > 0:
        per_epoch = len(packing.plan(lengths, config.row_tokens, 1, config.seed, config.packing))
        epochs = max(epochs, math.ceil(config.max_steps * per_step / per_epoch))
    rows = packing.plan(lengths, config.row_tokens, epochs, config.seed, config.packing)
    rows = rows[: max(dist.world, len(rows) - len(rows) % dist.world)]
    total_steps = math.ceil(len(rows) / per_step)
    if config.max_steps > 0:
        total_steps = min(total_steps, config.max_steps)
    fingerprint = packing.plan_fingerprint(rows, train_ex)
    valid_plan = packing.pack([len(e) for e in valid_ex], list(range(len(valid_ex))), config.row_tokens, config.packing)

    import torch

    from codehone.train import checkpoint as ck
    from codehone.train.model import load_lora_model, pick_dtype
    from codehone.train.schedule import make_scheduler, warmup_for

    torch.manual_seed(config.seed)
    np.random.seed(config.seed)
    import random

    random.seed(config.seed)
    dtype = pick_dtype(config, cuda)
    if loss_hook is not None:
        # Before the student loads: a teacher pass (distill.py) should not share memory with it.
        loss_hook.prepare(examples=train_ex, tokenizer=tokenizer, out=out, dist=dist, device=acc.device, dtype=dtype,
                          config=config, echo=echo if main else (lambda s: None))
        torch.manual_seed(config.seed)  # the same initial state with or without a hook's own randomness
    try:
        model = load_lora_model(base_dir, config, dtype, cuda)
    except (RuntimeError, MemoryError) as e:
        if _is_oom(e):
            raise _oom_error(config, e) from None
        raise
    params = [p for p in model.parameters() if p.requires_grad]
    n_trainable = sum(p.numel() for p in params)
    optimizer = torch.optim.AdamW(params, lr=config.lr, betas=(config.adam_beta1, config.adam_beta2),
                                  weight_decay=config.weight_decay, foreach=True)
    warmup = warmup_for(total_steps, config.warmup_steps, config.warmup_ratio)
    scheduler = make_scheduler(optimizer, total_steps, warmup, config.min_lr_ratio)
    model, optimizer = acc.prepare(model, optimizer)
    device = acc.device
    peft_model = acc.unwrap_model(model)

    start_step, best_val, bad_evals, tokens_seen, elapsed_before = 0, math.inf, 0, 0, 0.0
    if ckpt_path is not None:
        saved = ck.read_state(ckpt_path)
        changed = config_diff(saved["config"], config)
        if changed:
            raise TrainError(f"--resume with changed settings ({', '.join(changed)}) would not continue the same run; "
                             "use the original settings or --force to start over")
        if saved["plan"] != fingerprint or saved["world"] != dist.world or saved.get("base_dir") != str(base_dir):
            raise TrainError("--resume found a checkpoint for other data, another base model or another number of "
                             "processes; use the original ones or --force to start over")
        hook_state = loss_hook.state() if loss_hook is not None else None
        if saved.get("loss_state") != hook_state:
            old, new = saved.get("loss_state") or {}, hook_state or {}
            what = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
            raise TrainError(f"--resume found a checkpoint trained with another loss ({', '.join(what)} differ: "
                             "distillation settings, teacher or its cache); use the original command and settings "
                             "or --force to start over")
        state = ck.load_checkpoint(ckpt_path, peft_model, optimizer, scheduler, dist.rank)
        start_step, best_val, bad_evals = state["step"], state["best_val"], state["bad_evals"]
        tokens_seen, elapsed_before = state["tokens_seen"], state["elapsed_s"]
        if main:
            _truncate_log(out / "train_log.jsonl", start_step)
            echo(f"resuming from {ckpt_path.name} (step {start_step} of {total_steps})")
    if main:
        from codehone.runs import write_json, write_manifest

        out.mkdir(parents=True, exist_ok=True)
        write_manifest(out, stage, {"data": str(data_dir), "base": base, "base_dir": str(base_dir),
                                    "config": config.to_dict(), "resume": resume, **(manifest_extra or {})},
                       data_card_source=card.get("source"))
        write_json(out / "train_state.json", {"status": "running", "step": start_step, "total_steps": total_steps})

    from codehone.train.report import Progress, TensorBoard

    info = {"examples": len(train_ex), "rows": len(rows), "steps": total_steps, "warmup": warmup,
            "trainable_params": n_trainable, "dtype": str(dtype).removeprefix("torch."), "world": dist.world,
            "data": train_stats, "valid_examples": len(valid_ex), "base_dir": str(base_dir)}
    if main:
        echo(f"{len(train_ex)} examples in {len(rows)} rows of <= {config.row_tokens} tokens, {total_steps} steps, "
             f"{n_trainable:,} trainable parameters, {info['dtype']}"
             + (f", {dist.world} processes" if dist.world > 1 else "")
             + (f"; {train_stats['dropped_too_long']} examples longer than seq_len dropped" if train_stats["dropped_too_long"] else ""))
    progress = Progress(total_steps, start_step, enabled=config.progress and main)
    tb = TensorBoard(out / "tensorboard", enabled=config.tensorboard and main, echo=echo)

    def state_for_checkpoint(step: int) -> dict:
        return {"step": step, "best_val": best_val, "bad_evals": bad_evals, "tokens_seen": tokens_seen,
                "elapsed_s": elapsed_before + (time.perf_counter() - t_start), "config": config.to_dict(),
                "plan": fingerprint, "base_dir": str(base_dir),
                "loss_state": loss_hook.state() if loss_hook is not None else None}

    def save(step: int, rng: dict | None = None) -> None:
        ck.save_checkpoint(out / "checkpoints", step, peft_model, optimizer, scheduler, state_for_checkpoint(step),
                           rng=rng, rank=dist.rank, world=dist.world, barrier=dist.barrier, keep=config.keep_checkpoints)

    model.train()
    t_start = time.perf_counter()
    step, stopped_early, interrupted = start_step, False, False
    last_val = None
    with _StopFlag() as stop, progress:
        try:
            while step < total_steps:
                rng_at_step = ck.rng_state()
                step_rows = rows[step * per_step : (step + 1) * per_step]
                mine = step_rows[dist.rank :: dist.world]
                step_targets = sum(packing.row_targets(train_ex, r) for r in step_rows)
                t0 = time.perf_counter()
                loss_sum = torch.zeros((), dtype=torch.float64, device=device)
                my_tokens = 0
                for i, row in enumerate(mine):
                    batch = packing.collate(train_ex, row)
                    my_tokens += batch["input_ids"].shape[1]
                    sync = acc.no_sync(model) if (i < len(mine) - 1 and dist.world > 1) else _nullcontext()
                    with sync:
                        if loss_hook is None:
                            loss, _ = row_loss(model, batch, device)
                        else:
                            loss, _ = loss_hook.row_loss(model, batch, device, step=step, row=row)
                        # DDP averages gradients over processes; scale so the step's gradient is the
                        # mean over all its labelled tokens (see the module doc).
                        acc.backward(loss * (dist.world / step_targets))
                    loss_sum += loss.detach().double()
                if config.max_grad_norm > 0:
                    grad_norm = float(acc.clip_grad_norm_(params, config.max_grad_norm))
                else:
                    grad_norm = float("nan")
                lr = scheduler.get_last_lr()[0]
                optimizer.step()
                scheduler.step()
                optimizer.zero_grad(set_to_none=True)
                step += 1
                stats = dist.sum(torch.tensor([float(loss_sum), my_tokens], dtype=torch.float64, device=device))
                step_loss, step_tokens = float(stats[0]) / step_targets, int(stats[1])
                tokens_seen += step_tokens
                dt = time.perf_counter() - t0
                row = {"step": step, "loss": round(step_loss, 6), "lr": lr, "tokens": tokens_seen,
                       "tokens_per_s": round(step_tokens / dt, 1), "grad_norm": round(grad_norm, 4),
                       "elapsed_s": round(elapsed_before + time.perf_counter() - t_start, 2)}
                if loss_hook is not None:
                    row.update(loss_hook.metrics())
                if config.eval_every and (step % config.eval_every == 0) or step == total_steps:
                    val = evaluate(model, valid_ex, valid_plan, dist, device)
                    row["val_loss"] = last_val = round(val, 6)
                    if val < best_val - 1e-6:
                        best_val, bad_evals = val, 0
                        if main:
                            ck.save_best(out / "checkpoints", peft_model, {"step": step, "val_loss": val})
                    else:
                        bad_evals += 1
                        stopped_early = bool(config.early_stopping_patience) and bad_evals >= config.early_stopping_patience
                if main and (step % config.log_every == 0 or "val_loss" in row or step == total_steps):
                    from codehone.runs import append_jsonl

                    append_jsonl(out / "train_log.jsonl", row)
                    tb.log(row)
                progress.update(row)
                if stopped_early:
                    if main:
                        echo(f"early stop at step {step}: validation loss has not improved for {bad_evals} evaluations")
                    break
                if step % config.save_every == 0 and step < total_steps:
                    save(step)
                if stop.requested:
                    interrupted = True
                    break
        except KeyboardInterrupt:
            interrupted = True
            step_done = step  # the step in flight is dropped; its RNG was captured before it began
            optimizer.zero_grad(set_to_none=True)
            save(step_done, rng=rng_at_step)
            _write_state(out, main, "interrupted", step_done, total_steps)
            raise TrainError(f"interrupted at step {step_done} of {total_steps}; continue with --resume") from None
        except (RuntimeError, MemoryError) as e:
            if _is_oom(e):
                raise _oom_error(config, e) from None
            raise
    if interrupted:
        save(step)
        _write_state(out, main, "interrupted", step, total_steps)
        raise TrainError(f"stopped at step {step} of {total_steps} (checkpoint saved); continue with --resume")
    tb.close()
    elapsed = elapsed_before + time.perf_counter() - t_start
    summary = {**info, "steps_done": step, "stopped_early": stopped_early, "best_val_loss": best_val,
               "final_val_loss": last_val, "tokens_seen": tokens_seen, "elapsed_s": round(elapsed, 1),
               "tokens_per_s": round(tokens_seen / max(elapsed, 1e-9), 1)}
    if main:
        _publish_adapter(out, peft_model)
        summary["bench"] = _maybe_bench(config, data_dir, peft_model, tokenizer, base, echo)
        from codehone.train.report import write_report

        write_report(out, summary, config)
        _write_state(out, main, "finished", step, total_steps, summary)
    dist.barrier()
    return summary


class _nullcontext:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _write_state(out: Path, main: bool, status: str, step: int, total: int, summary: dict | None = None) -> None:
    if main:
        from codehone.runs import write_json

        write_json(out / "train_state.json", {"status": status, "step": step, "total_steps": total,
                                               **({"summary": summary} if summary else {})})


def _truncate_log(path: Path, step: int) -> None:
    """Drop log rows written after the checkpoint we resume from: they will be written again."""
    from codehone.runs import read_jsonl, write_jsonl

    if path.exists():
        write_jsonl(path, [r for r in read_jsonl(path) if r.get("step", 0) <= step])


def _publish_adapter(out: Path, peft_model) -> None:
    """``adapter/`` = the best validated adapter (or the last one), written atomically."""
    from codehone.train.checkpoint import save_adapter

    best = out / "checkpoints" / "best"
    tmp = out / ".adapter.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    if best.exists():
        shutil.copytree(best, tmp)
    else:
        save_adapter(peft_model, tmp)
    shutil.rmtree(out / "adapter", ignore_errors=True)
    os.replace(tmp, out / "adapter")
    if best.exists():  # what follows (the benchmark) must see the adapter we publish
        from peft import set_peft_model_state_dict
        from safetensors.torch import load_file

        set_peft_model_state_dict(peft_model, load_file(str(out / "adapter" / "adapter_model.safetensors")))


def _maybe_bench(config: TrainConfig, data_dir: Path, peft_model, tokenizer, base: str, echo) -> dict | None:
    if not config.bench or not (data_dir / "data" / "bench_repo.jsonl").exists():
        return None
    from codehone.train.report import bench_repo

    result = bench_repo(peft_model, tokenizer, data_dir / "data" / "bench_repo.jsonl", config.bench_max_tasks,
                        config.bench_max_tokens)
    if result:
        echo(f"repo single-line infill exact match: base {result['base']['exact_match']:.1%} -> "
             f"adapter {result['adapter']['exact_match']:.1%} on {result['n']} tasks")
    return result
