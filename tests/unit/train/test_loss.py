"""The training loss: the chunked cross-entropy equals torch's on the fp32 logits (value and
gradient, across chunk boundaries), and the bf16 compute context trains the fp32 LoRA weights."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from codehone.train import loss as loss_mod
from codehone.train.loss import compute_context, cross_entropy_sum


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16])
@pytest.mark.parametrize("n", [1, 64, 150])  # one row, exactly one chunk, three chunks with a short last one
def test_cross_entropy_sum_matches_torch(dtype, n):
    g = torch.Generator().manual_seed(n)
    logits = (torch.randn(n, 997, generator=g) * 4).to(dtype).requires_grad_()
    targets = torch.randint(0, 997, (n,), generator=g)
    ours = cross_entropy_sum(logits, targets)
    ours.backward(torch.tensor(0.25))
    got = logits.grad.clone()
    logits.grad = None
    ref = F.cross_entropy(logits.float(), targets, reduction="sum")
    (ref * 0.25).backward()
    assert ours.dtype == torch.float32
    assert float(ours.detach()) == pytest.approx(float(ref.detach()), rel=1e-5)
    assert got.dtype == dtype
    tol = 1e-6 if dtype == torch.float32 else 4e-3  # bf16: the gradient is rounded to the logits' dtype
    assert (got.float() - logits.grad.float()).abs().max() <= tol


def test_cross_entropy_sum_without_grad_is_the_same_number():
    logits = torch.randn(70, 50)
    targets = torch.randint(0, 50, (70,))
    with torch.no_grad():
        value = cross_entropy_sum(logits, targets)
    assert float(value) == pytest.approx(float(F.cross_entropy(logits, targets, reduction="sum")), rel=1e-6)


def test_chunk_size_does_not_change_the_result(monkeypatch):
    logits = torch.randn(40, 300, requires_grad=True)
    targets = torch.randint(0, 300, (40,))
    a = cross_entropy_sum(logits, targets)
    a.backward()
    ga = logits.grad.clone()
    logits.grad = None
    monkeypatch.setattr(loss_mod, "CHUNK", 7)
    monkeypatch.setattr(loss_mod, "_FN", None)
    b = cross_entropy_sum(logits, targets)
    b.backward()
    assert float(a.detach()) == pytest.approx(float(b.detach()), rel=1e-6)
    assert torch.allclose(ga, logits.grad, atol=1e-7)


def _tiny_lora(tiny_model_dir, dtype):
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir, dtype=dtype)
    model = get_peft_model(model, LoraConfig(r=4, lora_alpha=8, target_modules="all-linear", task_type="CAUSAL_LM"))
    for name, p in model.named_parameters():  # B != 0, so the adapter changes the output
        if "lora_B" in name:
            torch.nn.init.normal_(p, std=0.02, generator=torch.Generator().manual_seed(0))
    return model


def test_bf16_context_trains_fp32_adapters_and_matches_the_fp32_adapter_path(tiny_model_dir):
    model = _tiny_lora(tiny_model_dir, torch.bfloat16)
    lora = [p for n, p in model.named_parameters() if p.requires_grad]
    assert lora and all(p.dtype == torch.float32 for p in lora)  # PEFT's fp32 adapters
    ids = torch.randint(0, 200, (1, 24))
    with torch.no_grad():
        plain = model(input_ids=ids).logits.float()  # PEFT casts inputs to fp32 for the adapter
    with compute_context(model, torch.device("cpu")):
        out = model(input_ids=ids).logits
    assert out.dtype == torch.bfloat16
    # the same function up to bf16 rounding of the adapter path (bf16 keeps ~3 significant digits)
    assert (out.float() - plain).norm() / plain.norm() < 1e-2
    cross_entropy_sum(out.flatten(0, 1), ids[0]).backward()
    assert all(p.grad is not None and p.grad.dtype == torch.float32 and p.grad.abs().sum() > 0 for p in lora)
    # outside the context PEFT's own casting is back
    assert all(getattr(m, "cast_input_dtype_enabled", True) for m in model.modules())


def test_context_is_a_no_op_for_fp32_models(tiny_model_dir):
    model = _tiny_lora(tiny_model_dir, torch.float32)
    with compute_context(model, torch.device("cpu")):
        assert not torch.is_autocast_enabled("cpu")


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16])
@pytest.mark.parametrize("n", [1, 64, 150])
def test_linear_cross_entropy_sum_matches_the_head_then_the_loss(dtype, n):
    from codehone.train.loss import linear_cross_entropy_sum

    g = torch.Generator().manual_seed(n)
    weight = (torch.randn(997, 32, generator=g) / 4).to(dtype)
    hidden = torch.randn(n, 32, generator=g).to(dtype).requires_grad_()
    targets = torch.randint(0, 997, (n,), generator=g)
    ours = linear_cross_entropy_sum(hidden, weight, targets)
    ours.backward(torch.tensor(0.5))
    got = hidden.grad.clone()
    hidden.grad = None
    ref = cross_entropy_sum(F.linear(hidden, weight), targets)  # the [N, V] logits made whole
    (ref * 0.5).backward()
    assert float(ours.detach()) == pytest.approx(float(ref.detach()), rel=1e-5)
    assert got.dtype == dtype
    tol = 1e-5 if dtype == torch.float32 else 2e-2  # bf16: the product is rounded per chunk vs at once
    assert (got.float() - hidden.grad.float()).abs().max() <= tol


def test_linear_cross_entropy_sum_refuses_a_trainable_head():
    from codehone.train.loss import linear_cross_entropy_sum

    with pytest.raises(ValueError, match="frozen"):
        linear_cross_entropy_sum(torch.randn(3, 4), torch.randn(5, 4, requires_grad=True), torch.tensor([0, 1, 2]))


def _row_loss_and_grads(model, batch):
    from codehone.train.lora import row_loss  # what the training loop calls

    model.zero_grad(set_to_none=True)
    loss, n = row_loss(model, batch, torch.device("cpu"))
    loss.backward()
    return float(loss.detach()), n, {k: p.grad.clone() for k, p in model.named_parameters() if p.requires_grad}


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16])
def test_memory_savings_leave_the_loss_and_gradients_unchanged(tiny_model_dir, dtype, monkeypatch):
    """The head applied inside the loss (no [N, V] logits) and gradient checkpointing (issue 21)
    train the same thing: same loss and LoRA gradients on a fixed packed row as the logits path
    without checkpointing."""
    from codehone.train.config import build_config
    from codehone.train.model import load_lora_model

    g = torch.Generator().manual_seed(3)
    ids = torch.randint(0, 200, (1, 40), generator=g)
    targets = torch.full((1, 40), -100)
    targets[0, 5:19], targets[0, 25:39] = ids[0, 6:20], ids[0, 26:40]  # two packed examples' answers
    positions = torch.cat([torch.arange(20), torch.arange(20)])[None]
    batch = {"input_ids": ids, "position_ids": positions, "targets": targets}
    results = {}
    for checkpointing in (False, True):
        torch.manual_seed(0)
        cfg = build_config(None, ["lora_r=4", "lora_alpha=8", f"gradient_checkpointing={checkpointing}"])
        model = load_lora_model(tiny_model_dir, cfg, dtype, cuda=False)
        for name, p in model.named_parameters():  # B != 0, so the adapter changes the output
            if "lora_B" in name:
                torch.nn.init.normal_(p, std=0.02, generator=torch.Generator().manual_seed(0))
        model.train()
        assert loss_mod.frozen_head(model) is not None
        results[("fused", checkpointing)] = _row_loss_and_grads(model, batch)
        with monkeypatch.context() as m:
            m.setattr(loss_mod, "frozen_head", lambda model: None)  # the logits made whole, as before
            results[("logits", checkpointing)] = _row_loss_and_grads(model, batch)
    ref_loss, ref_n, ref_grads = results[("logits", False)]
    assert ref_n == 28
    rel = 1e-5 if dtype == torch.float32 else 2e-3
    for key, (loss, n, grads) in results.items():
        assert n == ref_n and loss == pytest.approx(ref_loss, rel=rel), key
        for name, grad in grads.items():
            err = (grad - ref_grads[name]).norm() / ref_grads[name].norm().clamp_min(1e-12)
            assert err < (1e-4 if dtype == torch.float32 else 2e-2), (key, name, float(err))
