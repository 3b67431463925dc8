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


def test_teacher_pairs_are_cached_and_reused(planted_repo, tiny_tokenizer, tiny_gguf, tmp_path, monkeypatch):
    opts = dict(progress=False, seq_len=1024, teacher=str(tiny_gguf), teacher_max=3)
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
