"""What a person sees of a run: the progress bar (or log lines), TensorBoard, the loss chart and
report, and the held-out repository benchmark at the end.

Nothing here changes what is trained; every function is safe to skip (progress off in tests,
TensorBoard only if installed, the chart only if matplotlib imports).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from codehone.backends.base import SamplingParams
from codehone.backends.transformers import TransformersBackend
from codehone.core.progress import ProgressBar
from codehone.core.rundir import RunDir
from codehone.data.repo_bench import predict, score
from codehone.runs import atomic_write_text, read_jsonl


class Progress:
    """The training bar (core.progress): step, loss, tokens/s, learning rate and the last validation
    loss; a rich bar in a terminal, a plain ``[train] 12/300 ...`` line every
    CODEHONE_PROGRESS_SECONDS in a log, where a rich bar showed nothing until the run ended."""

    def __init__(self, total: int, start: int, enabled: bool):
        self.bar = ProgressBar("train", total=total, completed=start, unit="steps", enabled=enabled)
        self.val: float | None = None

    def __enter__(self):
        self.bar.__enter__()
        return self

    def update(self, row: dict) -> None:
        self.val = row.get("val_loss", self.val)
        stats = f"loss {row['loss']:.4f}  {row['tokens_per_s']:.0f} tok/s  lr {row['lr']:.2e}"
        if self.val is not None:
            stats += f"  val {self.val:.4f}"
        self.bar.update(row["step"], stats=stats)

    def __exit__(self, *exc):
        return self.bar.__exit__(*exc)


class TensorBoard:
    def __init__(self, log_dir: Path, enabled: bool, echo: Callable[[str], None]):
        self.writer = None
        if enabled:
            try:
                from torch.utils.tensorboard import SummaryWriter

                self.writer = SummaryWriter(str(log_dir))
            except ImportError:
                echo("tensorboard=true but the tensorboard package is not installed; pip install tensorboard")

    def log(self, row: dict) -> None:
        if self.writer is not None:
            for key in ("loss", "lr", "tokens_per_s", "val_loss", "grad_norm"):
                if key in row:
                    self.writer.add_scalar(f"train/{key}", row[key], row["step"])

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def loss_chart(log_rows: list[dict], path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    fig, ax = plt.subplots(figsize=(7, 4), dpi=100)
    ax.plot([r["step"] for r in log_rows], [r["loss"] for r in log_rows], label="train", lw=1)
    val = [r for r in log_rows if "val_loss" in r]
    if val:
        ax.plot([r["step"] for r in val], [r["val_loss"] for r in val], "o-", label="validation")
    ax.set_xlabel("optimizer step")
    ax.set_ylabel("loss (nats / labelled token)")
    ax.legend()
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return True


def write_report(out: Path, summary: dict, config) -> None:
    run = RunDir(out)
    rows = list(read_jsonl(run.train_log))
    chart = loss_chart(rows, run.loss_chart) if rows else False
    first, last = (rows[0]["loss"], rows[-1]["loss"]) if rows else (None, None)
    lines = [
        "# Training report", "",
        f"Base `{summary['base_dir']}`, {summary['trainable_params']:,} trainable parameters "
        f"({'DoRA' if config.dora else 'QLoRA' if config.qlora else 'LoRA'} r={config.lora_r}, alpha={config.lora_alpha}, "
        f"{config.target_modules}), {summary['dtype']}, {summary['world']} process(es).", "",
        f"- data: {summary['examples']} training examples in {summary['rows']} packed rows of <= "
        f"{config.row_tokens} tokens; {summary['valid_examples']} validation examples",
        f"- steps: {summary['steps_done']} of {summary['steps']}" + (" (early stop)" if summary["stopped_early"] else ""),
        f"- train loss: {first} -> {last}",
        f"- validation loss: best {summary['best_val_loss']:.4f}, last {summary['final_val_loss']}",
        f"- throughput: {summary['tokens_per_s']} tokens/s over {summary['elapsed_s']} s",
    ]
    bench = summary.get("bench")
    if bench:
        lines.append(f"- held-out repo single-line infill exact match ({bench['n']} tasks): base "
                     f"{bench['base']['exact_match']:.1%}, adapter {bench['adapter']['exact_match']:.1%}")
    if chart:
        lines += ["", f"![loss]({run.loss_chart.name})"]
    lines += ["", "Settings:", "", "```json", json.dumps(config.to_dict(), indent=2), "```", ""]
    atomic_write_text(run.train_report, "\n".join(lines))


def bench_repo(peft_model, tokenizer, bench_file: Path, max_tasks: int, max_tokens: int) -> dict | None:
    """Single-line infill exact match on the held-out tasks, base (adapter disabled) vs adapter.

    Greedy, one line: the task is "complete this line", asked and scored by
    ``codehone.data.repo_bench`` (``predict``, then exact match after trimming trailing whitespace)."""
    tasks = [t for t in read_jsonl(bench_file) if t.get("kind") == "single_line"][:max_tasks]
    if not tasks:
        return None
    backend = TransformersBackend(None, model=peft_model, tokenizer=tokenizer, name="train")
    ctx = backend.context_length
    params = SamplingParams(max_tokens=max_tokens, temperature=0.0)

    def fits(request) -> bool:  # a prompt too long for the window is counted as a miss by score()
        return len(backend.prompt_ids(request)) + max_tokens <= ctx

    def run() -> dict:
        return score(tasks, predict(backend, tasks, params, fits=fits))["all"]

    with peft_model.disable_adapter():
        base = run()
    adapter = run()
    peft_model.train()
    return {"n": len(tasks), "base": base, "adapter": adapter}
