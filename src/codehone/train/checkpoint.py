"""Checkpoints that a kill -9 cannot half-write, and exact resumption from them.

``checkpoints/step-N/`` holds everything that decides the steps after N:

    adapter/            PEFT adapter weights (adapter_model.safetensors + adapter_config.json)
    optimizer.pt        AdamW moments of the adapter parameters
    scheduler.pt        LambdaLR state
    rng-<rank>.pt       python, numpy and torch RNG states of each process
    state.json          step, data position (= step, see packing.py), best validation loss,
                        evaluations without improvement, config, data plan fingerprint

Under FSDP the adapter and optimizer are gathered from every process's shards first (sharded.py),
so the files are the same with or without it; that is why ``save_checkpoint`` and ``save_best``'s
caller run on every process.

Atomic: everything is written into ``checkpoints/.step-N.tmp/`` and renamed into place; a
directory named ``step-N`` is therefore complete, and a crash mid-write leaves only a ``.tmp``
that the next save removes. Only the base model's frozen weights are not saved: they are the
``--base`` the run was started with, and resume checks they are the same model.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
from pathlib import Path
from typing import Callable

import numpy as np

from codehone.train import sharded

_STEP_DIR = re.compile(r"^step-(\d+)$")


def publish_dir(tmp: Path, final: Path) -> None:
    """Put a completed directory under its final name; an existing one is moved aside first and
    removed after, so at every moment the final name holds a complete directory or nothing."""
    if final.exists():
        old = final.with_name(f".{final.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(final, old)
        os.replace(tmp, final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, final)


def _fsync_tree(path: Path) -> None:
    for f in path.rglob("*"):
        if f.is_file():
            with open(f, "rb") as fh:
                os.fsync(fh.fileno())


def rng_state() -> dict:
    import torch

    return {"python": random.getstate(), "numpy": np.random.get_state(), "torch": torch.get_rng_state()}


def set_rng_state(state: dict) -> None:
    import torch

    random.setstate(state["python"])
    np.random.set_state(state["numpy"])
    torch.set_rng_state(state["torch"])


def save_adapter(model, out: Path, state: dict | None = None) -> None:
    """The PEFT adapter only (a few MB), never the frozen base. ``state``: the full weights from
    ``sharded.gather_adapter`` when FSDP shards the model (PEFT cannot read the shards itself)."""
    model.save_pretrained(str(out), state_dict=state, safe_serialization=True)


def save_checkpoint(root: Path, step: int, model, optimizer, scheduler, state: dict, *, rng: dict | None = None,
                    rank: int = 0, world: int = 1, barrier: Callable[[], None] = lambda: None, keep: int = 2) -> Path:
    """Write checkpoint ``step`` under ``root`` on every process; returns its path.
    The main process writes the weights and optimizer (identical on every rank under DDP, gathered
    from every rank's shards first under FSDP);
    each process writes its own RNG state: ``rng`` as captured at the step boundary, so a save
    after an interrupted step records the state the next step must start from."""
    import torch

    final = root / f"step-{step}"
    tmp = root / f".step-{step}.tmp"
    if rank == 0:
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
    barrier()
    torch.save(rng or rng_state(), tmp / f"rng-{rank}.pt")
    adapter, optim = sharded.gather_adapter(model), sharded.gather_optimizer(model, optimizer)  # collectives
    if rank == 0:
        save_adapter(model, tmp / "adapter", adapter)
        torch.save(optim, tmp / "optimizer.pt")
        torch.save(scheduler.state_dict(), tmp / "scheduler.pt")
        (tmp / "state.json").write_text(json.dumps({**state, "step": step, "world": world}, indent=2, sort_keys=True))
    barrier()
    if rank == 0:
        _fsync_tree(tmp)
        publish_dir(tmp, final)  # re-saving a step after a resume replaces the old one
        for stale in list_checkpoints(root)[:-keep]:
            shutil.rmtree(stale, ignore_errors=True)
    barrier()
    return final


def list_checkpoints(root: Path) -> list[Path]:
    """Complete step-N checkpoints, oldest first."""
    if not root.is_dir():
        return []
    found = [(int(m.group(1)), p) for p in root.iterdir() if (m := _STEP_DIR.match(p.name)) and (p / "state.json").exists()]
    return [p for _, p in sorted(found)]


def read_state(path: Path) -> dict:
    return json.loads((path / "state.json").read_text())


def load_checkpoint(path: Path, model, optimizer, scheduler, rank: int = 0) -> dict:
    """Restore adapter weights, optimizer, scheduler and this process's RNG; returns state.json."""
    import torch

    missing = load_adapter_file(model, path / "adapter")
    if missing:
        raise RuntimeError(f"checkpoint {path} has adapter weights this model lacks: {missing[:3]}")
    sharded.load_optimizer(model, optimizer, torch.load(path / "optimizer.pt", weights_only=False))
    scheduler.load_state_dict(torch.load(path / "scheduler.pt", weights_only=False))
    rng_file = path / f"rng-{rank}.pt"
    set_rng_state(torch.load(rng_file if rng_file.exists() else path / "rng-0.pt", weights_only=False))
    return read_state(path)


def load_adapter_file(model, adapter_dir: Path) -> list[str]:
    """Load a saved ``adapter/`` directory's weights into the (possibly sharded) model, on every
    rank; returns the file's LoRA keys the model has no parameter for."""
    from safetensors.torch import load_file

    return sharded.load_adapter(model, load_file(str(adapter_dir / "adapter_model.safetensors")))


def save_best(root: Path, model, info: dict, state: dict | None = None) -> None:
    """``checkpoints/best/``: the adapter with the lowest validation loss, replaced atomically.
    Rank 0 only; under FSDP ``state`` is ``sharded.gather_adapter``'s, gathered on every rank."""
    tmp = root / ".best.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    save_adapter(model, tmp, state)
    (tmp / "best.json").write_text(json.dumps(info, indent=2, sort_keys=True))
    _fsync_tree(tmp)
    final = root / "best"
    publish_dir(tmp, final)
