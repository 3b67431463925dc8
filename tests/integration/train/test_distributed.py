"""The distributed path on two CPU processes (gloo, DDP through accelerate's Accelerator, started
by torchrun: ``accelerate launch`` starts multi-CPU runs through mpirun, which needs MPI):
two processes with grad_accum=1 must train exactly what one process with grad_accum=2 trains,
because a step's loss is normalised by all of its labelled tokens (lora.py)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from codehone.train.config import build_config
from codehone.train.lora import train

ROOT = Path(__file__).resolve().parents[3]
SETTINGS = ["max_steps=6", "eval_every=3", "save_every=3", "bench=false", "progress=false"]


def _log(run: Path) -> list[dict]:
    return [json.loads(x) for x in (run / "train_log.jsonl").read_text().splitlines()]


def test_two_process_ddp_matches_one_process(tmp_path, data_run, tiny_model_dir):
    one, two = tmp_path / "one", tmp_path / "two"
    shutil.copytree(data_run, one)
    shutil.copytree(data_run, two)
    train(one, str(tiny_model_dir), one, build_config(ROOT / "configs/tiny/lora.yaml", SETTINGS + ["grad_accum=2"]),
          echo=lambda s: None)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "CODEHONE_THREADS": "1", "OMP_NUM_THREADS": "1"}
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
           "-m", "codehone.train.cli", "--data", str(two), "--base", str(tiny_model_dir),
           "--config", str(ROOT / "configs/tiny/lora.yaml"), *SETTINGS, "grad_accum=1"]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    a, b = _log(one), _log(two)
    assert "2 processes" in proc.stdout
    assert [r["step"] for r in a] == [r["step"] for r in b] == list(range(1, 7))
    for x, y in zip(a, b):
        assert x["loss"] == pytest.approx(y["loss"], abs=1e-4)
        assert x["tokens"] == y["tokens"]
        assert x.get("val_loss", 0) == pytest.approx(y.get("val_loss", 0), abs=1e-4)
    ckpt = two / "checkpoints" / "step-3"
    assert (ckpt / "rng-0.pt").exists() and (ckpt / "rng-1.pt").exists()
    assert json.loads((two / "train_state.json").read_text())["status"] == "finished"
