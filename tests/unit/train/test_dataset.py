"""Where the loss goes, and refusing data built with another tokenizer."""

from __future__ import annotations

import json

import pytest

from codehone.core.fim import detect_fim
from codehone.train import TrainError
from codehone.train.dataset import IGNORE, Encoder, read_card, read_split
from tests.conftest import build_tiny_tokenizer


@pytest.fixture(scope="module")
def enc(tiny_tokenizer):
    return Encoder(tiny_tokenizer)


def _fim_row(tok):
    t = detect_fim(tok.get_vocab())
    text = (t.repo_header("acme") + t.file_header("a.py") + t.psm("def add(a, b):\n    ", "\n")
            + "return a + b" + t.end[0])
    return {"kind": "fim", "text": text}


def test_fim_loss_on_everything_but_the_sentinels(enc, tiny_tokenizer):
    (ex,), _ = enc.examples([_fim_row(tiny_tokenizer)], 512)
    vocab = tiny_tokenizer.get_vocab()
    sentinels = {vocab[s] for s in ("<|fim_prefix|>", "<|fim_suffix|>", "<|fim_middle|>", "<|repo_name|>", "<|file_sep|>")}
    assert set(ex.ids[:4].tolist()) & sentinels  # the row really has sentinels
    for t in range(len(ex) - 1):
        nxt = int(ex.ids[t + 1])
        assert ex.targets[t] == (IGNORE if nxt in sentinels else nxt)
    assert ex.targets[-1] == IGNORE
    assert vocab["<|endoftext|>"] in ex.targets.tolist()  # the model learns to end the middle


def test_instruct_loss_only_on_the_answer_and_its_terminator(enc, tiny_tokenizer):
    messages = [{"role": "user", "content": "Write add."},
                {"role": "assistant", "content": "def add(a, b):\n    return a + b"},
                {"role": "user", "content": "And fib?"},
                {"role": "assistant", "content": "def fib(n):\n    return n"}]
    (ex,), _ = enc.examples([{"kind": "instruct", "messages": messages}], 512)
    labelled = [int(x) for x in ex.targets if x != IGNORE]
    text = tiny_tokenizer.decode(labelled)
    assert text == "def add(a, b):\n    return a + b<|im_end|>def fib(n):\n    return n<|im_end|>"


def test_lm_is_split_and_long_fim_dropped(enc, tiny_tokenizer):
    long_code = "def add(a, b):\n    return a + b\n" * 40
    rows = [{"kind": "lm", "text": long_code}, {**_fim_row(tiny_tokenizer)}]
    rows[1]["text"] = rows[1]["text"].replace("\n    ", "\n    " + "x = 1\n    " * 60, 1)
    exs, stats = enc.examples(rows, 64)
    assert stats["dropped_too_long"] == 1 and stats["lm_split"] == 1
    assert all(len(e) <= 64 for e in exs) and len(exs) >= 4
    assert all(e.targets[-1] == IGNORE for e in exs)  # no window predicts a token it cannot see


def _card_and_rows(tokenizer, rows):
    from codehone.core.chat import TokenCounter, special_strings

    counter = TokenCounter(tokenizer, special_strings(tokenizer, detect_fim(tokenizer.get_vocab())))
    texts = [r["text"] for r in rows]
    for r, n in zip(rows, counter.count(texts)):
        r["tokens"] = n
    return {"tokenizer": {"name": "x", "fim_template": "qwen2.5-coder"}}, rows


def test_same_tokenizer_counts_match_the_data_stage(enc, tiny_tokenizer):
    rows = [_fim_row(tiny_tokenizer), {"kind": "lm", "text": "for i in range(10):\n    print(i * i)\n<|endoftext|>"}]
    card, rows = _card_and_rows(tiny_tokenizer, rows)
    enc.check_tokenizer(card, rows, "tiny")  # no error
    assert [len(e) for e in enc.examples(rows, 512)[0]] == [r["tokens"] for r in rows]


def test_data_from_another_tokenizer_is_refused(tiny_tokenizer):
    other = build_tiny_tokenizer(vocab_size=300)
    card, rows = _card_and_rows(other, [_fim_row(tiny_tokenizer), {"kind": "lm", "text": "class Stack:\n    pass\n"}])
    with pytest.raises(TrainError, match="another tokenizer"):
        Encoder(tiny_tokenizer).check_tokenizer(card, rows, "tiny")
    with pytest.raises(TrainError, match="FIM template"):
        Encoder(tiny_tokenizer).check_tokenizer({"tokenizer": {"fim_template": "starcoder"}}, rows, "tiny")


def test_missing_card_and_empty_split_are_clear(tmp_path):
    with pytest.raises(TrainError, match="no data_card.json"):
        read_card(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "valid.jsonl").write_text(json.dumps({"kind": "lm", "text": "x"}) + "\n")
    with pytest.raises(TrainError, match="train.jsonl is missing"):
        read_split(tmp_path, "train", ["fim", "lm"])
    with pytest.raises(TrainError, match="no examples of kind fim"):
        read_split(tmp_path, "valid", ["fim"])
