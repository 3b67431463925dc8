"""Distillation pieces without a model: the top-k + tail KL against dense references, the
settings split, the tokenizer check, and the sequence-level answer checks and cache."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from codehone.train import TrainError
from codehone.train.distill.config import build_configs
from codehone.train.distill.kl import teacher_topk, topk_kl
from codehone.train.distill.run import check_shared_tokenizer
from codehone.train.distill.seq import check_answer, split_fim, teacher_rows


def dense_kl(p_logits, q_logits, kind, T=1.0):
    p = torch.log_softmax(p_logits.double() / T, -1)
    q = torch.log_softmax(q_logits.double() / T, -1)
    if kind == "forward":
        return (p.exp() * (p - q)).sum(-1)
    return (q.exp() * (q - p)).sum(-1)


def coarse_kl(p_logits, q_logits, ids, kind, T=1.0):
    """Dense reference on k + 1 outcomes (the k ids, then the rest), in float64 numpy."""
    out = []
    for pl, ql, idx in zip(p_logits.double().numpy(), q_logits.double().numpy(), ids.numpy()):
        p, q = np.exp(pl / T - np.logaddexp.reduce(pl / T)), np.exp(ql / T - np.logaddexp.reduce(ql / T))
        rest = np.setdiff1d(np.arange(len(p)), idx)
        P = np.append(p[idx], p[rest].sum())
        Q = np.append(q[idx], q[rest].sum())
        a, b = (P, Q) if kind == "forward" else (Q, P)
        out.append(float((a * (np.log(a) - np.log(b))).sum()))
    return torch.tensor(out, dtype=torch.float64)


@pytest.fixture
def logits():
    g = torch.Generator().manual_seed(0)
    return 3 * torch.randn(7, 50, generator=g), 3 * torch.randn(7, 50, generator=g)


@pytest.mark.parametrize("kind", ["forward", "reverse"])
@pytest.mark.parametrize("T", [1.0, 2.0])
def test_full_vocabulary_top_k_is_the_dense_kl(logits, kind, T):
    t, s = logits
    ids, logp, tail = teacher_topk(t, k=50, temperature=T)
    assert torch.isneginf(tail).all()
    got = topk_kl(s, ids, logp, tail, kind, T)
    torch.testing.assert_close(got.double(), dense_kl(t, s, kind, T), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("kind", ["forward", "reverse"])
@pytest.mark.parametrize("k", [1, 5, 20])
def test_top_k_with_tail_is_the_coarsened_kl_and_bounded_by_the_dense_one(logits, kind, k):
    t, s = logits
    ids, logp, tail = teacher_topk(t, k=k, temperature=1.5)
    # the tail is the exact remaining mass
    torch.testing.assert_close(logp.exp().sum(-1) + tail.exp(), torch.ones(7), rtol=0, atol=1e-5)
    got = topk_kl(s, ids, logp, tail, kind, 1.5).double()
    torch.testing.assert_close(got, coarse_kl(t, s, ids, kind, 1.5), rtol=1e-4, atol=1e-5)
    assert (got <= dense_kl(t, s, kind, 1.5) + 1e-6).all() and (got >= -1e-6).all()


def test_forward_and_reverse_differ_and_vanish_at_the_teacher(logits):
    t, s = logits
    ids, logp, tail = teacher_topk(t, k=8, temperature=1.0)
    fwd, rev = topk_kl(s, ids, logp, tail, "forward"), topk_kl(s, ids, logp, tail, "reverse")
    assert not torch.allclose(fwd, rev)
    for kind in ("forward", "reverse"):
        assert topk_kl(t, ids, logp, tail, kind).abs().max() < 1e-5
    # gradients are finite and pull the student towards the teacher, for both directions
    for kind in ("forward", "reverse"):
        x = s.clone().requires_grad_(True)
        opt = torch.optim.Adam([x], lr=0.2)
        losses = []
        for _ in range(100):
            loss = topk_kl(x, ids, logp, tail, kind).sum()
            losses.append(float(loss.detach()))
            opt.zero_grad()
            loss.backward()
            assert torch.isfinite(x.grad).all()
            opt.step()
        assert losses[-1] < 0.1 * losses[0], (kind, losses[0], losses[-1])


def test_settings_go_to_the_right_config_and_typos_name_close_keys(tmp_path):
    cfg, d = build_configs(None, ["lr=1e-3", "kl=reverse", "temperature=2", "alpha=0.25", "lora_r=4"])
    assert (cfg.lr, cfg.lora_r, d.kl, d.temperature, d.alpha) == (1e-3, 4, "reverse", 2.0, 0.25)
    assert build_configs(None, [], mode="sequence")[1].mode == "sequence"
    preset = tmp_path / "p.yaml"
    preset.write_text("lr: 0.01\nkl: reverse\ntop_k: 7\n")
    cfg, d = build_configs(preset, ["top_k=9"])
    assert (cfg.lr, d.kl, d.top_k) == (0.01, "reverse", 9)
    with pytest.raises(TrainError, match="did you mean temperature"):
        build_configs(None, ["temperatur=2"])
    with pytest.raises(TrainError, match="kl must be forward or reverse"):
        build_configs(None, ["kl=sideways"])
    with pytest.raises(TrainError, match="lmbda must be in"):
        build_configs(None, ["lmbda=2"])


def test_different_vocabularies_are_a_clear_error(tiny_tokenizer):
    from tests.conftest import build_tiny_tokenizer

    check_shared_tokenizer(tiny_tokenizer, tiny_tokenizer, "t", "s")
    with pytest.raises(TrainError, match="share a tokenizer.*use --mode sequence"):
        check_shared_tokenizer(build_tiny_tokenizer(vocab_size=300), tiny_tokenizer, "big", "small")


def test_answer_checks():
    row = {"kind": "instruct", "language": "python"}
    good, bad = "```python\ndef f():\n    return 1\n```", "```python\ndef f(:\n```"
    assert check_answer(row, good, "Sure:\n" + good) == (True, "ok")
    assert check_answer(row, good, bad) == (False, "does not parse")
    assert check_answer(row, good, "no code here") == (False, "no code block")
    assert check_answer(row, good, "  ") == (False, "empty")
    assert check_answer(row, "```python\nif x\n```", bad)[0]  # the reference fails the check: no check
    fim = {"kind": "fim", "language": "python"}
    assert check_answer(fim, "    return 1\n", "    return 2\n", prefix="def f():\n", suffix="")[0]
    assert not check_answer(fim, "    return 1\n", "    return (\n", prefix="def f():\n", suffix="")[0]
    assert check_answer({"kind": "fim", "language": "go"}, "x", "y(", prefix="", suffix="")[0]


def test_split_fim_psm_only(tiny_tokenizer):
    from codehone.core.fim import detect_fim

    tpl = detect_fim(tiny_tokenizer.get_vocab())
    psm = "<|repo_name|>r\n<|file_sep|>a.py\n" + tpl.psm("def f():\n", "\nx = 1\n") + "    return 1\n<|endoftext|>"
    head, prefix, suffix, middle = split_fim(psm, tpl)
    assert (prefix, suffix, middle) == ("def f():\n", "\nx = 1\n", "    return 1\n") and head.endswith("<|fim_middle|>")
    assert split_fim(tpl.spm("def f():\n", "\nx = 1\n") + "    return 1\n<|endoftext|>", tpl) is None


def test_teacher_rows_cache_by_teacher_prompt_and_settings(tmp_path, tiny_tokenizer):
    from codehone.backends.base import Completion, Result
    from codehone.core.fim import detect_fim

    calls = []

    class Teacher:
        def __init__(self, ref):
            pass

        def generate(self, request, params):
            calls.append(request.mode)
            return Result([Completion("```python\nprint(2)\n```" if request.mode == "chat" else "    return 2\n",
                                      "stop", 3)], prompt_tokens=1)

        def close(self):
            pass

    tpl = detect_fim(tiny_tokenizer.get_vocab())
    rows = [{"kind": "instruct", "language": "python", "tokens": 9,
             "messages": [{"role": "user", "content": "print 1"}, {"role": "assistant", "content": "```python\nprint(1)\n```"}]},
            {"kind": "fim", "language": "python", "text": tpl.psm("def f():\n", "") + "    return 1\n<|endoftext|>"},
            {"kind": "lm", "language": "python", "text": "x = 1\n<|endoftext|>"}]
    cache = tmp_path / "sequence.jsonl"
    settings = {"max_tokens": 32, "temperature": 0.0, "seed": None}
    out, stats = teacher_rows(rows, tpl, "T", cache, settings, "original", Teacher, lambda s: None)
    assert calls == ["chat", "infill"] and stats == {"asked": 2, "kept": 2, "unchanged": 1}
    assert out[0]["messages"][-1]["content"] == "```python\nprint(2)\n```" and "tokens" not in out[0]
    assert out[1]["text"].endswith("<|fim_middle|>    return 2\n<|endoftext|>") and out[2] is rows[2]
    out2, stats = teacher_rows(rows, tpl, "T", cache, settings, "original", Teacher, lambda s: None)
    assert len(calls) == 2 and stats["cached"] == 2 and out2 == out  # nothing asked again
    teacher_rows(rows, tpl, "T", cache, {**settings, "max_tokens": 64}, "original", Teacher, lambda s: None)
    teacher_rows(rows, tpl, "other", cache, settings, "original", Teacher, lambda s: None)
    assert len(calls) == 6  # other settings or another teacher: other keys
