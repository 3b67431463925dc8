"""``--teacher``: "explain this code" pairs from a real (tiny) GGUF model, cached so a rerun asks nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codehone.data.build import BuildOptions, build_dataset


def _instruct(run: Path, splits=("train", "valid", "test")) -> list[dict]:
    rows = []
    for split in splits:
        for line in (run / "data" / f"{split}.jsonl").read_text().splitlines():
            row = json.loads(line)
            if row["kind"] == "instruct" and row["messages"][0]["content"].startswith("Explain what"):
                rows.append(row)
    return rows


@pytest.fixture(scope="module")
def wordy_teacher(tiny_model_dir, tmp_path_factory) -> Path:
    """The tiny model with its whitespace tokens silenced, so its greedy answers are not blank
    (the plain tiny model answers with newlines, which the pipeline rightly drops)."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from codehone.export.hf_to_gguf import write_gguf

    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    blank = [i for i in range(len(tok)) if not tok.decode([i]).strip()]
    with torch.no_grad():
        model.model.embed_tokens.weight[blank] = 0.0  # tied: their logits become 0, never the maximum
    return write_gguf(model, tok, tmp_path_factory.mktemp("teacher") / "wordy.gguf", dtype="f32", name="wordy")


def test_blank_teacher_answers_are_dropped(planted_repo, tiny_tokenizer, tiny_gguf, tmp_path):
    run = tmp_path / "run"
    build_dataset(planted_repo, tiny_tokenizer, run, BuildOptions(progress=False, seq_len=1024, teacher=str(tiny_gguf),
                                                                 teacher_max=2))
    cache = [json.loads(x) for x in (run / "teacher" / "explain.jsonl").read_text().splitlines()]
    assert cache and all(not r["answer"].strip() for r in cache)  # the plain tiny model writes newlines
    assert _instruct(run) == []


def test_teacher_pairs_are_cached_and_reused(planted_repo, tiny_tokenizer, wordy_teacher, tmp_path, monkeypatch):
    opts = dict(progress=False, seq_len=4096, teacher=str(wordy_teacher), teacher_max=3)
    run = tmp_path / "run"
    build_dataset(planted_repo, tiny_tokenizer, run, BuildOptions(**opts))
    cache = [json.loads(x) for x in (run / "teacher" / "explain.jsonl").read_text().splitlines()]
    assert 1 <= len(cache) <= 3
    pairs = _instruct(run)
    answers = {r["answer"].strip() for r in cache} - {""}
    assert {p["messages"][1]["content"] for p in pairs} <= answers
    assert all(p["messages"][1]["role"] == "assistant" for p in pairs)
    # Only training files are explained: the held-out splits never see the teacher.
    assert pairs and _instruct(run, ("valid", "test")) == []

    # A rebuild into a fresh directory with the cache copied asks the teacher nothing.
    import codehone.backends as backends

    def no_teacher(*a, **k):
        raise AssertionError("the teacher was asked again although every answer is cached")

    monkeypatch.setattr(backends, "load_backend", no_teacher)
    run2 = tmp_path / "run2"
    (run2 / "teacher").mkdir(parents=True)
    (run2 / "teacher" / "explain.jsonl").write_text((run / "teacher" / "explain.jsonl").read_text())
    build_dataset(planted_repo, tiny_tokenizer, run2, BuildOptions(**opts))
    assert [p["messages"] for p in _instruct(run2)] == [p["messages"] for p in pairs]
