"""configs/accelerate/fsdp.yaml as accelerate reads it (issue 22): the launch environment it gives,
the FSDP plugin built from that environment, and the tiny LoRA model sharded with it.

Default run: world size 1, in this process (a gloo group of one): every parameter becomes a
DTensor sharded on dim 0 and every Qwen2DecoderLayer its own FSDP unit, and a LoRA step has
gradients. Slow run: 2 gloo processes through accelerate's own ``fsdp2_prepare_model``, each rank
holding about half of the parameters (about 30 s here, most of it importing in two processes).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
FSDP_YAML = ROOT / "configs" / "accelerate" / "fsdp.yaml"


def launch_env(config: Path) -> dict[str, str]:
    """The FSDP_*/ACCELERATE_* variables ``accelerate launch --config_file CONFIG`` sets for its processes."""
    from accelerate.commands.launch import _validate_launch_command, launch_command_parser
    from accelerate.utils.launch import prepare_multi_gpu_env

    args = launch_command_parser().parse_args(["--config_file", str(config), "train.py"])
    args, _, _ = _validate_launch_command(args)
    return {k: v for k, v in prepare_multi_gpu_env(args).items() if k.startswith(("FSDP_", "ACCELERATE_"))}


def test_the_fsdp_config_loads_as_fsdp2_wrapping_decoder_layers():
    from accelerate.commands.config.config_args import load_config_from_file

    cfg = load_config_from_file(str(FSDP_YAML))
    assert str(cfg.distributed_type).endswith("FSDP") and cfg.fsdp_config["fsdp_version"] == 2
    env = launch_env(FSDP_YAML)
    assert env["ACCELERATE_USE_FSDP"] == "true" and env["FSDP_VERSION"] == "2"
    assert env["FSDP_TRANSFORMER_CLS_TO_WRAP"] == "Qwen2DecoderLayer" and env["FSDP_RESHARD_AFTER_FORWARD"] == "true"


def test_the_plugin_from_that_environment_shards_the_tiny_lora_model(tiny_model_dir, monkeypatch, gloo_of_one):
    import torch
    from accelerate.utils import FullyShardedDataParallelPlugin
    from accelerate.utils.fsdp_utils import fsdp2_prepare_auto_wrap_policy
    from torch.distributed.fsdp import FSDPModule, fully_shard
    from torch.distributed.tensor import DTensor, Shard

    from codehone.train.config import TrainConfig
    from codehone.train.model import load_lora_model

    for k, v in launch_env(FSDP_YAML).items():
        monkeypatch.setenv(k, v)
    plugin = FullyShardedDataParallelPlugin()
    assert plugin.fsdp_version == 2 and plugin.transformer_cls_names_to_wrap == ["Qwen2DecoderLayer"]
    model = load_lora_model(tiny_model_dir, TrainConfig(), torch.bfloat16, False)  # bf16 base, fp32 LoRA
    plugin.set_auto_wrap_policy(model)
    policy = fsdp2_prepare_auto_wrap_policy(plugin, model)
    layers = [m for m in model.modules() if policy(m)]
    assert [type(m).__name__ for m in layers] == ["Qwen2DecoderLayer"] * 2
    for m in layers:
        fully_shard(m, reshard_after_forward=plugin.reshard_after_forward)
    fully_shard(model)
    params = list(model.parameters())
    assert params and all(isinstance(p, DTensor) and p.placements == (Shard(0),) for p in params)
    assert all(isinstance(m, FSDPModule) for m in layers)
    assert {p.dtype for p in params if p.requires_grad} == {torch.float32}  # the mix FSDP1 refuses
    assert {p.dtype for p in params if not p.requires_grad} == {torch.bfloat16}
    ids = torch.arange(1, 17).unsqueeze(0)
    model(input_ids=ids, labels=ids).loss.backward()
    assert all(p.grad is not None for p in params if p.requires_grad)


@pytest.mark.slow
def test_two_gloo_processes_each_hold_half_the_model(tiny_model_dir, tmp_path):
    env = {**os.environ, **launch_env(FSDP_YAML), "PYTHONPATH": str(ROOT / "src"), "OMP_NUM_THREADS": "1",
           "CODEHONE_THREADS": "1"}
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
           str(Path(__file__).with_name("fsdp_worker.py")), str(tiny_model_dir), str(tmp_path)]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    ranks = [json.loads((tmp_path / f"rank-{r}.json").read_text()) for r in (0, 1)]
    for r in ranks:
        assert r["fsdp_version"] == 2 and r["dtensors"] == r["params"]
        assert abs(r["local"] - r["full"] / 2) <= 0.01 * r["full"]  # half the parameters each
        assert "FSDPQwen2DecoderLayer" in r["sharded_layers"] and r["lora_grads"] == r["trainable"] > 0
    assert ranks[0]["local"] + ranks[1]["local"] == ranks[0]["full"]
    assert ranks[0]["loss"] == pytest.approx(ranks[1]["loss"], abs=1e-6)
