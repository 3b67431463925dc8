"""Packing: many short examples per row, none attending to another; and the data plan.

A packed row is examples laid end to end, ``[a0 a1 a2 | b0 b1 | c0 c1 c2 c3]``, with position ids
restarting at each example, ``[0 1 2 | 0 1 | 0 1 2 3]``. transformers (>= 4.54) reads the
restarts when no attention mask is given and builds a block-diagonal causal mask from them
(``masking_utils.find_packed_sequence_indices``), so on CPU sdpa each example sees only itself
and its loss equals the loss it would have alone (tests/unit/train/test_packing.py checks it).
Targets are already per example (``dataset.Example``), so no target crosses a boundary either.

Why pack: the data stage's examples are a few dozen to a few hundred tokens; one per row with
padding to the longest would spend most of the compute on padding.

The data plan is every row of every epoch, fixed by the seed before the first step:
step ``s`` of a run with ``world`` processes trains on rows ``[s*k, (s+1)*k)`` with
``k = grad_accum * world``, process ``r`` taking every ``world``-th of them. The position in the
data is therefore just the step number, which is what makes ``--resume`` exact.
"""

from __future__ import annotations

import hashlib
import math

import numpy as np

from codehone.train.dataset import IGNORE, Example

OPEN_ROWS = 16  # rows kept open for first-fit; more packs tighter but mixes the shuffle less


def pack(lengths: list[int], order: list[int], capacity: int, packing: bool = True) -> list[list[int]]:
    """Example indices per row, in ``order``, first-fit into at most OPEN_ROWS open rows.
    Every length must be <= capacity."""
    if not packing:
        return [[i] for i in order]
    rows: list[list[int]] = []
    open_rows: list[tuple[list[int], int]] = []  # (indices, free tokens)
    for i in order:
        n = lengths[i]
        for j, (idx, free) in enumerate(open_rows):
            if n <= free:
                idx.append(i)
                open_rows[j] = (idx, free - n)
                break
        else:
            if len(open_rows) == OPEN_ROWS:
                # Close the fullest row: it is the least likely to take another example.
                k = min(range(len(open_rows)), key=lambda j: open_rows[j][1])
                rows.append(open_rows.pop(k)[0])
            open_rows.append(([i], capacity - n))
    rows += [idx for idx, _ in open_rows]
    return rows


def plan(lengths: list[int], capacity: int, epochs: float, seed: int, packing: bool = True) -> list[list[int]]:
    """All rows of the run: each epoch is a fresh seeded shuffle, packed; a fractional last
    epoch is cut short."""
    rows: list[list[int]] = []
    per_epoch = None
    for epoch in range(max(1, math.ceil(epochs))):
        order = np.random.default_rng([seed, epoch]).permutation(len(lengths)).tolist()
        epoch_rows = pack(lengths, order, capacity, packing)
        per_epoch = per_epoch or len(epoch_rows)
        rows += epoch_rows
    return rows[: max(1, round(epochs * per_epoch))]


def plan_fingerprint(rows: list[list[int]], examples: list[Example]) -> str:
    """Changes if the rows or the examples in them change: resume refuses a different plan."""
    h = hashlib.sha256()
    for row in rows:
        for i in row:
            h.update(examples[i].ids.tobytes())
        h.update(b"|")
    return h.hexdigest()[:16]


def collate(examples: list[Example], row: list[int]):
    """One packed row as tensors of shape [1, T]: input_ids, position_ids, targets."""
    import torch

    ids = np.concatenate([examples[i].ids for i in row])
    targets = np.concatenate([examples[i].targets for i in row])
    positions = np.concatenate([np.arange(len(examples[i]), dtype=np.int64) for i in row])
    return {
        "input_ids": torch.from_numpy(ids)[None],
        "position_ids": torch.from_numpy(positions)[None],
        "targets": torch.from_numpy(targets)[None],
    }


def row_targets(examples: list[Example], row: list[int]) -> int:
    return sum(examples[i].n_targets for i in row)


__all__ = ["IGNORE", "pack", "plan", "plan_fingerprint", "collate", "row_targets"]
