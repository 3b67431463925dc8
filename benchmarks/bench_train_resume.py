"""Exact resume: a run killed with SIGKILL after checkpoint k and resumed with --resume must match
the uninterrupted run's loss at every later step (within 1e-3).

Both runs go through the real command (``python -m codehone.train.cli``) in fresh processes; the
killed one is SIGKILLed as soon as ``checkpoints/step-K`` appears, so it dies in the middle of the
following steps, after log rows the checkpoint does not cover. Default: the real 0.5B in bf16
on this repository's data (same data as bench_train_speed.py); ``--tiny`` uses a random 2-layer
Qwen2 and the test tokenizer (seconds).

    python benchmarks/bench_train_resume.py [--tiny] [--steps 6] [--kill-after 2]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import save  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
WORK = Path(os.environ.get("BENCH_TRAIN_DIR", "/tmp/codehone-bench-train"))


def tiny_setup() -> tuple[Path, Path]:
    sys.path.insert(0, str(ROOT))
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    from codehone.data.build import BuildOptions, build_dataset
    from tests.conftest import build_tiny_tokenizer

    tok = build_tiny_tokenizer()
    model_dir, run = WORK / "tiny-model", WORK / "tiny-data"
    if not (model_dir / "config.json").exists():
        torch.manual_seed(0)
        cfg = Qwen2Config(vocab_size=len(tok), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                          num_attention_heads=4, num_key_value_heads=2, tie_word_embeddings=True)
        Qwen2ForCausalLM(cfg).save_pretrained(model_dir)
        tok.save_pretrained(model_dir)
    if not (run / "data_card.json").exists():
        build_dataset(ROOT / "src" / "codehone" / "data", tok, run,
                      BuildOptions(seq_len=256, benchmarks=(), progress=False, split=(0.8, 0.1, 0.1)))
    return model_dir, run


def real_setup() -> tuple[Path, Path]:
    import bench_train_speed as speed

    return speed.base_dir(), speed.build_data()


def start(data: Path, base: Path, out: Path, settings: list[str], resume: bool = False) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "codehone.train.cli", "--data", str(data), "--base", str(base), "--out", str(out),
           *settings] + (["--resume"] if resume else [])
    return subprocess.Popen(cmd, env={**os.environ, "PYTHONPATH": str(ROOT / "src")}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def log(out: Path) -> dict[int, dict]:
    return {r["step"]: r for r in map(json.loads, (out / "train_log.jsonl").read_text().splitlines())}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tiny", action="store_true")
    ap.add_argument("--steps", type=int, default=6)
    ap.add_argument("--kill-after", type=int, default=2)
    a = ap.parse_args()
    base, data = tiny_setup() if a.tiny else real_setup()
    preset = ROOT / "configs" / ("tiny" if a.tiny else "qwen2.5-coder-0.5b") / "lora.yaml"
    settings = ["--config", str(preset), f"max_steps={a.steps}", "save_every=1", "eval_every=3", "eval_max_examples=8",
                "bench=false", "progress=false", "grad_accum=2"]
    full, killed = WORK / "resume-full", WORK / "resume-killed"
    for d in (full, killed):
        shutil.rmtree(d, ignore_errors=True)
    t0 = time.time()
    p = start(data, base, full, settings)
    if p.wait() != 0:
        raise SystemExit(p.stderr.read()[-3000:])
    t_full = time.time() - t0
    p = start(data, base, killed, settings)
    mark = killed / "checkpoints" / f"step-{a.kill_after}"
    while not mark.exists():
        if p.poll() is not None:
            raise SystemExit("the run ended before it could be killed: " + p.stderr.read()[-2000:])
        time.sleep(0.05)
    time.sleep(0.5)
    p.send_signal(signal.SIGKILL)
    p.wait()
    logged_at_kill = max(log(killed)) if (killed / "train_log.jsonl").exists() else 0
    p = start(data, base, killed, settings, resume=True)
    out, err = p.communicate()
    if p.returncode != 0:
        raise SystemExit(err[-3000:])
    resumed_from = next((line for line in out.splitlines() if line.startswith("resuming from")), "")
    k = int(resumed_from.split("step-")[1].split(" ")[0])
    a_log, b_log = log(full), log(killed)
    later = [s for s in a_log if s > k]
    diffs = {s: abs(a_log[s]["loss"] - b_log[s]["loss"]) for s in later}
    val_diffs = {s: abs(a_log[s]["val_loss"] - b_log[s]["val_loss"]) for s in later if "val_loss" in a_log[s]}
    save("train_resume" + ("_tiny" if a.tiny else ""), {
        "model": "tiny random Qwen2" if a.tiny else "qwen2.5-coder-0.5b-instruct",
        "steps": a.steps, "killed_after_checkpoint": a.kill_after, "rows_logged_when_killed": logged_at_kill,
        "resumed_from_step": k, "compared_steps": later, "max_abs_loss_diff": max(diffs.values()),
        "max_abs_val_loss_diff": max(val_diffs.values()) if val_diffs else None,
        "within_1e-3": max(diffs.values()) <= 1e-3, "uninterrupted_seconds": round(t_full, 1),
    })


if __name__ == "__main__":
    main()
