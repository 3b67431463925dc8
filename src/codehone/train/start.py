"""What a training run needs before its first step (lora.prepare puts it together).

The checks a user can fix come first and cost little: the data splits, the base model's context
and tokenizer (``read_data``); then the data plan (``plan_rows``), the processes, the run
directory (``prepare_out_dir``: resume, refuse or replace) and last the model and its optimizer
(``build_model``), so a mistake never waits behind a model load.
"""

from __future__ import annotations

import math
import random
import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Protocol

import numpy as np

from codehone.core.rundir import RunDir
from codehone.core.threads import ThreadChoice, shared_policy
from codehone.train import TrainError, checkpoint as ck, dataset, packing
from codehone.train.config import TrainConfig
from codehone.train.model import context_length, load_lora_model, pick_dtype, resolve_base
from codehone.train.schedule import make_scheduler, warmup_for



class LossHook(Protocol):
    """An alternate training loss (see distill/loss.py, TokenDistillLoss)."""

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



def prepare_out_dir(out: Path, resume: bool, force: bool):
    """The checkpoint to resume from (or None); refuses to overwrite a run without --force."""
    run = RunDir(out)
    if force:
        for p in run.train_outputs():
            shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
        return None
    checkpoints = ck.list_checkpoints(run.checkpoints)
    if run.is_complete("train"):
        raise TrainError(f"{out} already holds a finished training run; pass --force to train again and replace it")
    if resume:
        return checkpoints[-1] if checkpoints else None
    if checkpoints or run.adapter.exists() or run.train_log.exists():
        raise TrainError(f"{out} holds an unfinished training run; pass --resume to continue it or --force to start over")
    return None


def oom_error(config: TrainConfig, exc: BaseException) -> TrainError:
    return TrainError(
        f"out of memory at seq_len={config.seq_len}, micro_batch_size={config.micro_batch_size}: lower "
        f"micro_batch_size (raise grad_accum to keep the batch), lower seq_len, or set gradient_checkpointing=true"
        + ("" if config.qlora else " or qlora=true on a GPU") + f" ({type(exc).__name__})")


def is_oom(exc: BaseException) -> bool:
    return isinstance(exc, MemoryError) or "out of memory" in str(exc).lower() or type(exc).__name__ == "OutOfMemoryError"


class Dist:
    """What the loop needs from accelerate: rank, world, barrier, a sum across processes."""

    def __init__(self, accelerator):
        self.acc = accelerator
        self.rank, self.world = accelerator.process_index, accelerator.num_processes

    def sum(self, t):
        return self.acc.reduce(t, "sum") if self.world > 1 else t

    def barrier(self):
        if self.world > 1:
            self.acc.wait_for_everyone()


@dataclass
class Data:
    """The run's examples in the base model's tokens, checked before anything heavy starts."""

    card: dict
    base_dir: Path
    tokenizer: Any
    train_ex: list
    valid_ex: list
    stats: dict  # what encoding kept and dropped (dataset.Encoder.examples)


def read_data(data_dir: Path, base: str, config: TrainConfig) -> Data:
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
    train_ex, stats = encoder.examples(train_rows, config.seq_len)
    valid_ex, _ = encoder.examples(valid_rows[: config.eval_max_examples], config.seq_len)
    if not train_ex:
        raise TrainError(f"no training example fits seq_len={config.seq_len} ({stats['dropped_too_long']} were "
                         "longer); raise seq_len or rebuild the data with a smaller --seq-len")
    if not valid_ex:
        raise TrainError(f"no validation example fits seq_len={config.seq_len}; raise seq_len")
    return Data(card, base_dir, tokenizer, train_ex, valid_ex, stats)


@dataclass
class Plan:
    """Every packed row of the run, fixed before the first step (packing.py)."""

    rows: list[list[int]]  # training rows, in order; step s trains rows[s * per_step : (s + 1) * per_step]
    per_step: int  # rows per optimizer step, all processes together
    total_steps: int
    fingerprint: str  # what a checkpoint must match to be resumed
    valid_rows: list[list[int]]


def plan_rows(train_ex: list, valid_ex: list, config: TrainConfig, world: int) -> Plan:
    # With several processes the rows are cut to a multiple of the world so every process runs
    # the same number of passes.
    lengths = [len(e) for e in train_ex]
    per_step = config.grad_accum * world
    epochs = config.epochs
    if config.max_steps > 0:
        per_epoch = len(packing.plan(lengths, config.row_tokens, 1, config.seed, config.packing))
        epochs = max(epochs, math.ceil(config.max_steps * per_step / per_epoch))
    rows = packing.plan(lengths, config.row_tokens, epochs, config.seed, config.packing)
    rows = rows[: max(world, len(rows) - len(rows) % world)]
    total_steps = math.ceil(len(rows) / per_step)
    if config.max_steps > 0:
        total_steps = min(total_steps, config.max_steps)
    valid_rows = packing.pack([len(e) for e in valid_ex], list(range(len(valid_ex))), config.row_tokens, config.packing)
    return Plan(rows, per_step, total_steps, packing.plan_fingerprint(rows, train_ex), valid_rows)


class TorchThreads:
    """torch's CPU thread count: ``threads=N`` in the config, else CODEHONE_THREADS, else the cores
    other processes leave free (core/threads.py), re-checked between steps. With several processes
    each takes its share of the cores free at start and keeps it: the others' steps would read as
    load."""

    def __init__(self, config: TrainConfig, world: int):
        import torch

        policy = shared_policy()
        if config.threads:
            self.choice = ThreadChoice(config.threads, policy.cores, override=f"threads={config.threads} in the config")
        else:
            self.choice = policy.choose()
            if world > 1 and not self.choice.override:
                self.choice = replace(self.choice, threads=max(1, self.choice.threads // world))
        self.adaptive = not self.choice.override and world == 1
        torch.set_num_threads(self.choice.threads)

    def after_step(self) -> dict:
        """For the step's log row: the threads it ran with. Then the count for the next step, changed
        if the free cores changed (cheap: call it every step)."""
        ran = self.choice.threads
        if self.adaptive:
            new = shared_policy().recheck()
            if new.threads != ran:
                import torch

                torch.set_num_threads(new.threads)
            self.choice = new
        return {"threads": ran}


def start_processes(config: TrainConfig, cuda: bool, echo: Callable[[str], None] = lambda s: None
                    ) -> tuple[Any, Dist, TorchThreads | None]:
    from accelerate import Accelerator

    acc = Accelerator(cpu=not cuda)
    dist = Dist(acc)
    threads = None
    if not cuda:
        threads = TorchThreads(config, dist.world)
        if dist.rank == 0:
            echo(threads.choice.describe())
    return acc, dist, threads


def resume_point(out: Path, resume: bool, force: bool, dist: Dist) -> Path | None:
    """The checkpoint to resume from; the main process prepares ``out`` while the others wait."""
    ckpt_path = prepare_out_dir(out, resume, force) if dist.rank == 0 else None
    dist.barrier()
    if dist.rank != 0:
        found = ck.list_checkpoints(RunDir(out).checkpoints)
        ckpt_path = found[-1] if (resume and found) else None
    return ckpt_path


@dataclass
class Model:
    model: Any  # as accelerate prepared it (possibly wrapped for DDP/FSDP)
    peft_model: Any  # the unwrapped PEFT model: what checkpoints and the benchmark use
    params: list
    optimizer: Any
    scheduler: Any
    warmup: int
    dtype: Any


def build_model(data: Data, plan: Plan, config: TrainConfig, cuda: bool, acc, dist: Dist, out: Path,
                 loss_hook: LossHook | None, echo: Callable[[str], None]) -> Model:
    import torch

    torch.manual_seed(config.seed)
    np.random.seed(config.seed)
    random.seed(config.seed)
    dtype = pick_dtype(config, cuda)
    if loss_hook is not None:
        # Before the student loads: a teacher pass (distill/) should not share memory with it.
        loss_hook.prepare(examples=data.train_ex, tokenizer=data.tokenizer, out=out, dist=dist, device=acc.device,
                          dtype=dtype, config=config, echo=echo)
        torch.manual_seed(config.seed)  # the same initial state with or without a hook's own randomness
    try:
        model = load_lora_model(data.base_dir, config, dtype, cuda)
    except (RuntimeError, MemoryError) as e:
        if is_oom(e):
            raise oom_error(config, e) from None
        raise
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=config.lr, betas=(config.adam_beta1, config.adam_beta2),
                                  weight_decay=config.weight_decay, foreach=True)
    warmup = warmup_for(plan.total_steps, config.warmup_steps, config.warmup_ratio)
    scheduler = make_scheduler(optimizer, plan.total_steps, warmup, config.min_lr_ratio)
    model, optimizer = acc.prepare(model, optimizer)
    return Model(model, acc.unwrap_model(model), params, optimizer, scheduler, warmup, dtype)
