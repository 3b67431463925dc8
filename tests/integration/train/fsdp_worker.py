"""One process of the 2-process FSDP check (test_fsdp_config.py), started by torch.distributed.run
with the environment ``accelerate launch --config_file configs/accelerate/fsdp.yaml`` sets.

accelerate's FSDP plugin is read from that environment and the tiny LoRA model (codehone's own
load_lora_model, bf16 base + fp32 adapters as in training) is sharded by accelerate's own
``fsdp2_prepare_model``. The one step a GPU run does not need: accelerate turns FSDP on only for
GPU backends, so on CPU the plugin is handed to the state by hand. Writes ``rank-N.json``.
With ``checkpoint`` as third argument it runs the checkpoint round trip of
fsdp_checkpoint_roundtrip.py instead and writes ``checkpoint-rank-N.json``.

    python -m torch.distributed.run --standalone --nproc_per_node 2 fsdp_worker.py MODEL_DIR OUT_DIR [checkpoint]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(model_dir: str, out: str) -> None:
    import torch
    import torch.distributed as dist
    from accelerate import Accelerator
    from accelerate.utils import FullyShardedDataParallelPlugin
    from accelerate.utils.fsdp_utils import fsdp2_prepare_model
    from torch.distributed.fsdp import FSDPModule
    from torch.distributed.tensor import DTensor

    from codehone.train.config import TrainConfig
    from codehone.train.model import load_lora_model

    dist.init_process_group("gloo")
    rank = dist.get_rank()
    acc = Accelerator(cpu=True)
    plugin = FullyShardedDataParallelPlugin()  # reads the FSDP_* variables accelerate launch sets
    acc.state.fsdp_plugin = plugin
    torch.manual_seed(0)
    model = load_lora_model(Path(model_dir), TrainConfig(), torch.bfloat16, False)
    full = sum(p.numel() for p in model.parameters())
    model = fsdp2_prepare_model(acc, model)
    params = list(model.parameters())
    ids = torch.arange(1, 33).unsqueeze(0)  # the same batch on both ranks: the losses must agree
    loss = model(input_ids=ids, labels=ids).loss
    loss.backward()
    result = {
        "fsdp_version": plugin.fsdp_version, "wrap": plugin.transformer_cls_names_to_wrap,
        "params": len(params), "dtensors": sum(isinstance(p, DTensor) for p in params),
        "local": sum(p.to_local().numel() if isinstance(p, DTensor) else p.numel() for p in params), "full": full,
        "sharded_layers": sorted({type(m).__name__ for m in model.modules() if isinstance(m, FSDPModule)}),
        "loss": float(loss), "lora_grads": sum(p.grad is not None for p in params if p.requires_grad),
        "trainable": sum(p.requires_grad for p in params),
    }
    Path(out).mkdir(parents=True, exist_ok=True)
    (Path(out) / f"rank-{rank}.json").write_text(json.dumps(result))
    dist.destroy_process_group()


def checkpoint(model_dir: str, out: str) -> None:
    import torch.distributed as dist

    from tests.integration.train.fsdp_checkpoint_roundtrip import roundtrip

    dist.init_process_group("gloo")
    rank = dist.get_rank()
    result = roundtrip(Path(model_dir), Path(out) / "checkpoints", rank, dist.get_world_size(), dist.barrier)
    (Path(out) / f"checkpoint-rank-{rank}.json").write_text(json.dumps(result))
    dist.destroy_process_group()


if __name__ == "__main__":
    (checkpoint if sys.argv[3:] == ["checkpoint"] else main)(sys.argv[1], sys.argv[2])
