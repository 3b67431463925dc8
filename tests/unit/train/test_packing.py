"""Packing: rows within capacity, each example once per epoch, and (the point of it) a packed
row's loss and gradients equal the sum over its examples trained one by one."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from codehone.train.dataset import Encoder
from codehone.train.lora import row_loss
from codehone.train.packing import collate, pack, plan


def test_pack_fits_capacity_and_keeps_every_example():
    rng = np.random.default_rng(0)
    lengths = rng.integers(5, 120, size=300).tolist()
    rows = pack(lengths, list(range(300)), 128)
    assert sorted(i for r in rows for i in r) == list(range(300))
    assert all(sum(lengths[i] for i in r) <= 128 for r in rows)
    assert sum(lengths) / (128 * len(rows)) > 0.85  # it actually packs


def test_plan_is_seeded_and_reshuffles_each_epoch():
    lengths = [10] * 40
    a, b, c = plan(lengths, 40, 2, seed=1), plan(lengths, 40, 2, seed=1), plan(lengths, 40, 2, seed=2)
    assert a == b and a != c
    assert len(a) == 20 and a[:10] != a[10:]
    assert len(plan(lengths, 40, 1.5, seed=1)) == 15
    assert plan(lengths, 40, 1, seed=1, packing=False) == [[i] for i in np.random.default_rng([1, 0]).permutation(40).tolist()]


@pytest.fixture(scope="module")
def model_and_examples(tiny_model_dir, tiny_tokenizer):
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir, attn_implementation="sdpa", dtype=torch.float32)
    texts = ["def add(a, b):\n    return a + b\n<|endoftext|>", "for i in range(10):\n    print(i * i)\n<|endoftext|>",
             "<|fim_prefix|>class Stack:\n<|fim_suffix|>\n<|fim_middle|>    pass<|endoftext|>"]
    exs, _ = Encoder(tiny_tokenizer).examples([{"kind": "lm", "text": t} for t in texts], 512)
    return model, exs


def _loss_and_grads(model, examples, rows):
    model.zero_grad()
    total, n = 0.0, 0
    for row in rows:
        loss, k = row_loss(model, collate(examples, row), "cpu")
        loss.backward()
        total, n = total + loss.item(), n + k
    grads = torch.cat([p.grad.flatten() for p in model.parameters() if p.grad is not None])
    return total, n, grads


def test_packed_loss_and_gradients_equal_unpacked(model_and_examples):
    model, exs = model_and_examples
    packed = _loss_and_grads(model, exs, [[0, 1, 2]])
    alone = _loss_and_grads(model, exs, [[0], [1], [2]])
    assert packed[1] == alone[1]
    assert packed[0] == pytest.approx(alone[0], rel=1e-5)
    torch.testing.assert_close(packed[2], alone[2], rtol=1e-4, atol=1e-6)


def test_without_position_resets_examples_would_see_each_other(model_and_examples):
    # The control for the test above: continuous positions give a different loss, so the
    # equality there comes from the block-diagonal mask, not from a model that ignores context.
    model, exs = model_and_examples
    batch = collate(exs, [0, 1, 2])
    batch["position_ids"] = torch.arange(batch["input_ids"].shape[1])[None]
    with torch.no_grad():
        leaked = row_loss(model, batch, "cpu")[0].item()
        alone = sum(row_loss(model, collate(exs, [i]), "cpu")[0].item() for i in range(3))
    assert abs(leaked - alone) > 1e-3
