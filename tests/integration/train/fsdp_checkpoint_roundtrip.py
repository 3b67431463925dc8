"""A checkpoint round trip under FSDP2, run by every process of a gloo group (issue 22).

Used in-process with a group of one (test_fsdp_checkpoint.py, default run) and by 2 processes
(fsdp_worker.py ``checkpoint``, slow run). Each process: shard the tiny LoRA model as
configs/accelerate/fsdp.yaml does, take two AdamW steps, write checkpoint 2 with codehone's own
``save_checkpoint``, shard a fresh model, ``load_checkpoint`` into it, and compare this process's
slices of the weights and the optimizer moments. Returns what the test asserts on.
"""

from __future__ import annotations

from pathlib import Path


def shard(model) -> None:
    """FSDP2 as fsdp.yaml asks: each decoder layer its own unit, then the root."""
    from torch.distributed.fsdp import fully_shard

    for layer in model.base_model.model.model.layers:
        fully_shard(layer)
    fully_shard(model)


def sharded_lora_model(model_dir: Path, seed: int):
    import torch

    from codehone.train.config import TrainConfig
    from codehone.train.model import load_lora_model

    torch.manual_seed(seed)  # another seed for the model loaded into: its LoRA B starts at zero anyway
    model = load_lora_model(model_dir, TrainConfig(), torch.bfloat16, False)
    full_shapes = {n: tuple(p.shape) for n, p in model.named_parameters() if p.requires_grad}
    shard(model)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-2)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: 1.0)
    return model, optimizer, scheduler, full_shapes


def local(t):
    return t.to_local() if hasattr(t, "to_local") else t


def roundtrip(model_dir: Path, root: Path, rank: int, world: int, barrier) -> dict:
    import torch
    from safetensors.torch import load_file

    from codehone.train import checkpoint as ck, sharded

    model, optimizer, scheduler, full_shapes = sharded_lora_model(model_dir, seed=0)
    ids = torch.arange(1, 33).unsqueeze(0)
    for _ in range(2):
        model(input_ids=ids, labels=ids).loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        scheduler.step()
    path = ck.save_checkpoint(root, 2, model, optimizer, scheduler, {"plan": "x"}, rank=rank, world=world,
                              barrier=barrier)
    fresh, fresh_opt, fresh_sched, _ = sharded_lora_model(model_dir, seed=1)
    state = ck.load_checkpoint(path, fresh, fresh_opt, fresh_sched, rank)
    pairs = [(local(a), local(b)) for (_, a), (_, b) in zip(model.named_parameters(), fresh.named_parameters())
             if a.requires_grad]
    moments = [(local(fresh_opt.state[b][k]), local(optimizer.state[a][k]))
               for a, b in zip(optimizer.param_groups[0]["params"], fresh_opt.param_groups[0]["params"])
               for k in ("exp_avg", "exp_avg_sq")]
    saved = load_file(str(path / "adapter" / "adapter_model.safetensors"))
    adapter = fresh.active_adapter
    with torch.no_grad():
        losses = [float(m(input_ids=ids, labels=ids).loss) for m in (model, fresh)]
    return {
        "sharded": sharded.is_sharded(model), "step": state["step"], "world": state["world"],
        "weights_equal": bool(pairs) and all(torch.equal(a, b) for a, b in pairs),
        "moments_equal": bool(moments) and all(torch.equal(a, b) for a, b in moments),
        "saved_shapes_full": {k: tuple(v.shape) for k, v in saved.items()}
        == {sharded.saved_name(n, adapter): s for n, s in full_shapes.items()},
        "trained": any(float(v.abs().sum()) > 0 for k, v in saved.items() if "lora_B" in k),
        "losses": losses, "sched_step": fresh_sched.last_epoch,
    }
