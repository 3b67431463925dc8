"""The teacher cache (``RUN/teacher/topk-<key>/``): the teacher's top-k per training example.

One pass of the teacher over the training examples before the student loads (so the two models
are never in memory together off-policy), written in shards of ``shard_size`` examples
(``shard-00000.npz``: per-example offsets, ids [P, k] int32, logp [P, k] float32, logtail [P]
float32 over the P labelled positions), each written atomically, so an interrupted pass resumes
at the next shard and epochs, ``--resume`` and reruns never run the teacher again. The key
hashes the teacher (reference, resolved path, weight file sizes), k, T and every example's
tokens and targets: new data or settings get a new cache, never a stale one. The cache identity
and fill go into each checkpoint's state.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Callable

import numpy as np

from codehone.train import TrainError
from codehone.train.distill.kl import teacher_topk
from codehone.train.packing import collate, pack


def teacher_identity(teacher: str, teacher_dir: Path) -> str:
    sizes = sorted((p.name, p.stat().st_size) for p in Path(teacher_dir).glob("*.safetensors"))
    return json.dumps([teacher, str(teacher_dir), sizes])


def row_topk(teacher, examples, row: list[int], k: int, temperature: float, device):
    """Teacher top-k at the labelled positions of one packed row, split per example."""
    import torch

    batch = collate(examples, row)
    targets = batch["targets"][0]
    keep = (targets != -100).nonzero().squeeze(1)
    with torch.no_grad():
        out = teacher(input_ids=batch["input_ids"].to(device), position_ids=batch["position_ids"].to(device),
                      use_cache=False, logits_to_keep=keep.to(device))
        ids, logp, logtail = teacher_topk(out.logits[0], k, temperature)
    ids, logp, logtail = ids.cpu().numpy().astype(np.int32), logp.cpu().numpy(), logtail.cpu().numpy()
    parts, at = [], 0
    for i in row:
        n = examples[i].n_targets
        parts.append((ids[at : at + n], logp[at : at + n], logtail[at : at + n]))
        at += n
    return parts


class TeacherCache:
    """Teacher top-k per training example, on disk in shards (see the module doc)."""

    def __init__(self, root: Path, key_parts: dict, examples: list):
        h = hashlib.sha256(json.dumps(key_parts, sort_keys=True).encode())
        for e in examples:
            h.update(e.ids.tobytes())
            h.update(e.targets.tobytes())
            h.update(b"|")
        self.key = h.hexdigest()[:16]
        self.dir = Path(root) / f"topk-{self.key}"
        self.key_parts = key_parts
        self.examples = examples
        self.entries: list[tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None

    def shard_path(self, s: int) -> Path:
        return self.dir / f"shard-{s:05d}.npz"

    def n_shards(self, shard_size: int) -> int:
        return -(-len(self.examples) // shard_size)

    def missing(self, shard_size: int) -> list[int]:
        return [s for s in range(self.n_shards(shard_size)) if not self.shard_path(s).exists()]

    def fill(self, make_teacher: Callable[[], Any], k: int, temperature: float, shard_size: int, row_tokens: int,
             device, echo: Callable[[str], None]) -> int:
        """Compute the missing shards; returns how many were computed (0: the teacher never loaded)."""
        todo = self.missing(shard_size)
        if not todo:
            return 0
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "meta.json").write_text(json.dumps({**self.key_parts, "examples": len(self.examples),
                                                        "shard_size": shard_size}, indent=2, sort_keys=True))
        echo(f"teacher top-{k} cache: {len(todo)} of {self.n_shards(shard_size)} shards to compute in {self.dir}")
        teacher = make_teacher()
        for s in todo:
            idx = list(range(s * shard_size, min(len(self.examples), (s + 1) * shard_size)))
            got: dict[int, tuple] = {}
            for row in pack([len(self.examples[i]) for i in idx], list(range(len(idx))), row_tokens):
                real = [idx[j] for j in row]
                for i, part in zip(real, row_topk(teacher, self.examples, real, k, temperature, device)):
                    got[i] = part
            counts = np.array([got[i][0].shape[0] for i in idx], dtype=np.int64)
            tmp = self.dir / f".shard-{s:05d}.tmp.npz"
            np.savez(tmp, offsets=np.concatenate([[0], np.cumsum(counts)]),
                     ids=np.concatenate([got[i][0] for i in idx]), logp=np.concatenate([got[i][1] for i in idx]),
                     logtail=np.concatenate([got[i][2] for i in idx]))
            os.replace(tmp, self.shard_path(s))  # a shard is complete or absent
        return len(todo)

    def load(self, shard_size: int) -> None:
        entries = []
        for s in range(self.n_shards(shard_size)):
            with np.load(self.shard_path(s)) as z:
                off, ids, logp, logtail = z["offsets"], z["ids"], z["logp"], z["logtail"]
            entries += [(ids[off[j] : off[j + 1]], logp[off[j] : off[j + 1]], logtail[off[j] : off[j + 1]])
                        for j in range(len(off) - 1)]
        if len(entries) != len(self.examples) or any(e[0].shape[0] != x.n_targets for e, x in zip(entries, self.examples)):
            raise TrainError(f"the teacher cache {self.dir} does not match the training examples; delete it and rerun")
        self.entries = entries
