"""The adapter's and the optimizer's state when FSDP shards them, for checkpoints and ``adapter/``.

Under FSDP2 every parameter is a DTensor that holds one slice per process, and the optimizer's
moments are sliced the same way. PEFT's ``save_pretrained`` and a plain ``optimizer.state_dict()``
on rank 0 would see only rank 0's slices (PEFT fails on them outright). So under FSDP:

- saving gathers the full tensors first, a collective that **every** process must enter, and only
  rank 0 writes them (``gather_adapter``, ``gather_optimizer``);
- loading gives every process the full tensors read from disk, and torch slices them back into
  the shards (``load_adapter``, ``load_optimizer``).

Checkpoints are therefore the same files with or without FSDP: an adapter saved from 8 sharded GPUs
loads on a laptop, and a resume may not change the number of processes anyway (lora.py refuses).
Without FSDP every function here is the plain single-process path, with no collective.
"""

from __future__ import annotations

from typing import Any


def is_sharded(model) -> bool:
    """True when FSDP has sliced the model's parameters across processes (DTensors)."""
    from torch.distributed.tensor import DTensor

    return any(isinstance(p, DTensor) for p in model.parameters())


def _full_on_rank0(**extra: Any):
    from torch.distributed.checkpoint.state_dict import StateDictOptions

    return StateDictOptions(full_state_dict=True, cpu_offload=True, **extra)


def gather_adapter(model) -> dict | None:
    """The trainable (LoRA) weights as full CPU tensors on rank 0, under the model's own names;
    ``None`` when the model is not sharded (``save_pretrained`` reads it directly then).
    Collective under FSDP: call it on every process, not only on the one that writes."""
    if not is_sharded(model):
        return None
    from torch.distributed.checkpoint.state_dict import get_model_state_dict

    return get_model_state_dict(model, options=_full_on_rank0(ignore_frozen_params=True))


def gather_optimizer(model, optimizer) -> dict:
    """The optimizer's state, full, for rank 0 to write. Collective under FSDP, like gather_adapter."""
    if not is_sharded(model):
        return optimizer.state_dict()
    from torch.distributed.checkpoint.state_dict import get_optimizer_state_dict

    return get_optimizer_state_dict(model, optimizer, options=_full_on_rank0())


def saved_name(name: str, adapter: str) -> str:
    """The key PEFT writes for parameter ``name``: the adapter's name is left out of the file."""
    return name.replace(f".{adapter}", "")


def load_adapter(model, weights: dict) -> list[str]:
    """Load an ``adapter_model.safetensors`` mapping into the model (sharded or not); returns the
    file's LoRA keys the model has no parameter for. Every process calls it with the full weights."""
    if not is_sharded(model):
        from peft import set_peft_model_state_dict

        result = set_peft_model_state_dict(model, weights)
        return [k for k in getattr(result, "unexpected_keys", []) if "lora" in k]
    from torch.distributed.checkpoint.state_dict import StateDictOptions, set_model_state_dict

    adapter = model.active_adapter if isinstance(model.active_adapter, str) else model.active_adapter[0]
    names = {saved_name(n, adapter): n for n, p in model.named_parameters() if p.requires_grad}
    state = {names[k]: v for k, v in weights.items() if k in names}
    set_model_state_dict(model, state, options=StateDictOptions(full_state_dict=True, strict=False))
    return [k for k in weights if k not in names and "lora" in k]


def load_optimizer(model, optimizer, state: dict) -> None:
    """Restore what gather_optimizer returned; every process passes the full state read from disk."""
    if not is_sharded(model):
        optimizer.load_state_dict(state)
        return
    from torch.distributed.checkpoint.state_dict import StateDictOptions, set_optimizer_state_dict

    set_optimizer_state_dict(model, optimizer, state, options=StateDictOptions(full_state_dict=True))
