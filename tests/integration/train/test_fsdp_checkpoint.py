"""Checkpoints under FSDP2 (issue 22): the adapter and the optimizer are gathered from the shards
before rank 0 writes them, and sliced back on load (train/sharded.py).

Default run: a gloo group of this one process, where FSDP2 still turns every parameter into a
DTensor, so the sharded code paths (gather, save, load, re-slice) all run. Slow run: the same round
trip in 2 processes, each holding half of the model (fsdp_worker.py ``checkpoint``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.train.fsdp_checkpoint_roundtrip import roundtrip

HERE = Path(__file__).parent


def check(result: dict) -> None:
    assert result["sharded"] and result["step"] == 2
    assert result["weights_equal"] and result["moments_equal"] and result["sched_step"] == 2
    assert result["saved_shapes_full"] and result["trained"]
    assert result["losses"][0] == pytest.approx(result["losses"][1], abs=1e-6)


def test_a_sharded_checkpoint_saves_and_resumes_exactly(tiny_model_dir, tmp_path, gloo_of_one):
    import torch.distributed as dist

    result = roundtrip(tiny_model_dir, tmp_path / "checkpoints", 0, 1, dist.barrier)
    check(result)


def test_the_adapter_saved_under_fsdp_loads_without_it(tiny_model_dir, tmp_path, gloo_of_one):
    """The files do not depend on FSDP: PEFT loads the sharded run's adapter into a plain model."""
    import torch
    import torch.distributed as dist
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    result = roundtrip(tiny_model_dir, tmp_path / "checkpoints", 0, 1, dist.barrier)
    plain = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(tiny_model_dir, dtype=torch.bfloat16),
                                      str(tmp_path / "checkpoints" / "step-2" / "adapter"))
    ids = torch.arange(1, 33).unsqueeze(0)
    with torch.no_grad():
        loss = float(plain(input_ids=ids, labels=ids).loss)
    assert loss == pytest.approx(result["losses"][0], abs=2e-2)  # bf16 base, another kernel order


@pytest.mark.slow
def test_two_gloo_processes_save_and_resume_a_sharded_checkpoint(tiny_model_dir, tmp_path):
    env = {**os.environ, "PYTHONPATH": f"{HERE.parents[2]}{os.pathsep}{HERE.parents[2] / 'src'}",
           "OMP_NUM_THREADS": "1", "CODEHONE_THREADS": "1"}
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
           str(HERE / "fsdp_worker.py"), str(tiny_model_dir), str(tmp_path), "checkpoint"]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    for rank in (0, 1):
        result = json.loads((tmp_path / f"checkpoint-rank-{rank}.json").read_text())
        check(result)
        assert result["world"] == 2
    assert sorted(p.name for p in (tmp_path / "checkpoints" / "step-2").iterdir()) == [
        "adapter", "optimizer.pt", "rng-0.pt", "rng-1.pt", "scheduler.pt", "state.json"]
