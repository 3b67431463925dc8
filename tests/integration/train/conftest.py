"""Fixtures for the training tests: a small generated repository, its data run built by the data
stage (``build_dataset``) with the tiny tokenizer, and helpers to train the tiny model on it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


def make_repo(root: Path, n_files: int = 16) -> Path:
    """Plain Python modules with documented functions, so every example kind appears."""
    for i in range(n_files):
        body = [f'"""Module {i}: arithmetic helpers for the ledger service."""\n', "\n"]
        for j in range(4):
            body += [
                f"def scale_{i}_{j}(value, factor={j + 2}):\n",
                f'    """Scale a ledger value by factor {j + 2} and round it to {j} places for display."""\n',
                f"    result = value * factor + {i}\n",
                f"    if result > {100 * (j + 1)}:\n",
                f"        result = result - {j + i}\n",
                f"    return round(result, {j})\n",
                "\n",
            ]
        (root / "ledger" / f"mod_{i:02d}.py").parent.mkdir(parents=True, exist_ok=True)
        (root / "ledger" / f"mod_{i:02d}.py").write_text("".join(body))
    return root


@pytest.fixture(scope="session")
def data_run(tmp_path_factory, tiny_tokenizer) -> Path:
    """A complete data run directory (data/*.jsonl + data_card.json) for the tiny tokenizer."""
    from codehone.data.build import BuildOptions, build_dataset

    src = make_repo(tmp_path_factory.mktemp("repo") / "ledger-service")
    run = tmp_path_factory.mktemp("data-run")
    build_dataset(src, tiny_tokenizer, run, BuildOptions(progress=False, seq_len=256, split=(0.6, 0.2, 0.2),
                                                          benchmarks=(), workers=1))
    return run


@pytest.fixture
def run_dir(tmp_path, data_run) -> Path:
    """A fresh copy of the data run to train into (training writes beside the data)."""
    out = tmp_path / "run"
    shutil.copytree(data_run, out)
    return out


@pytest.fixture
def gloo_of_one(tmp_path):
    """A torch.distributed group of this one process (gloo), for FSDP code on the CPU."""
    import torch.distributed as dist

    if dist.is_initialized():
        pytest.skip("a process group is already up in this process")
    dist.init_process_group("gloo", init_method=f"file://{tmp_path / 'store'}", rank=0, world_size=1)
    yield
    dist.destroy_process_group()
