"""`blocks data`: multi-turn instruct rows the training reader accepts, a card, atomic and repeatable."""

from __future__ import annotations

import json

from codehone.blocks.copilot import prompting
from codehone.blocks.copilot.dataset import BlocksDataOptions, build_blocks_data
from codehone.train.dataset import Encoder, read_card, read_split


def test_rows_card_and_training_reader(tmp_path, tiny_tokenizer):
    opts = BlocksDataOptions(examples=40, turns=4, valid=0.1, seed=1, turtle=False, skills=0.0)
    card = build_blocks_data(tmp_path, tiny_tokenizer, opts)
    assert card["round_trip"] == {"passed": 40, "total": 40}
    assert card["verified"]["dropped_by_reason"] == {}
    assert card["pairs"] == {"train": 36, "valid": 4}
    assert card["examples"]["train"]["instruct"] == 9 and card["examples"]["valid"]["instruct"] == 1
    assert card["tokenizer"]["fim_template"] is not None
    assert sum(card["pairs_by_family"].values()) == 40
    assert read_card(tmp_path) == card
    rows = read_split(tmp_path, "train", ["instruct"])
    row = rows[0]
    msgs = row["messages"]
    assert msgs[0] == {"role": "system", "content": prompting.SYSTEM_PROMPT}
    assert [m["role"] for m in msgs[1:]] == ["user", "assistant"] * 4
    assert sum(m["role"] == "system" for m in msgs) == 1
    enc = Encoder(tiny_tokenizer)
    enc.check_tokenizer(card, rows, "tiny")  # token counts agree with the trainer's
    examples, stats = enc.examples(rows, seq_len=4096)
    assert len(examples) == len(rows) and stats["dropped_too_long"] == 0
    assert card["tokens"]["train"]["instruct"] == sum(r["tokens"] for r in rows)
    assert (tmp_path / "data" / "test.jsonl").read_text() == ""
    assert "round trip" in (tmp_path / "data_card.md").read_text().lower()
    assert json.loads((tmp_path / "manifest.json").read_text())["stages"]["blocks_data"]["pairs_per_second"] > 0


def test_rebuild_is_identical_and_skipped(tmp_path, tiny_tokenizer):
    opts = BlocksDataOptions(examples=12, turns=3, valid=0.0, seed=0)
    build_blocks_data(tmp_path / "a", tiny_tokenizer, opts)
    build_blocks_data(tmp_path / "b", tiny_tokenizer, opts)
    for f in ("data/train.jsonl", "data_card.json"):
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes()
    before = (tmp_path / "a" / "data" / "train.jsonl").stat().st_mtime_ns
    build_blocks_data(tmp_path / "a", tiny_tokenizer, opts)  # same options: nothing rebuilt
    assert (tmp_path / "a" / "data" / "train.jsonl").stat().st_mtime_ns == before
    assert not list((tmp_path / "a").glob(".blocks-data*"))


def test_without_a_tokenizer(tmp_path):
    card = build_blocks_data(tmp_path, None, BlocksDataOptions(examples=5, turns=8, valid=0.0, skills=0.0))
    assert card["tokenizer"] == {"name": None, "fim_template": None}
    rows = [json.loads(x) for x in (tmp_path / "data" / "train.jsonl").read_text().splitlines()]
    assert len(rows) == 1 and "tokens" not in rows[0] and len(rows[0]["messages"]) == 11


def test_turtle_examples_join_the_training_pairs(tmp_path):
    from codehone.blocks.turtle.corpus import turtle_pairs

    n_turtle = len(turtle_pairs())
    examples = 20 * n_turtle  # turtle programs are at most 5% of the pairs
    card = build_blocks_data(tmp_path, None, BlocksDataOptions(examples=examples, turns=4, valid=0.0, seed=1,
                                                                 skills=0.0))
    assert card["pairs_by_family"]["turtle"] == n_turtle
    assert card["round_trip"] == {"passed": examples, "total": examples}
    assert card["pairs"]["train"] == examples
    rows = [json.loads(x) for x in (tmp_path / "data" / "train.jsonl").read_text().splitlines()]
    programs = {m["content"] for r in rows for m in r["messages"] if m["role"] == "assistant"}
    assert {p for _, p in turtle_pairs()} <= programs
    # spread through the rows, not bunched at the end
    assert sum("turtle" in r["families"] for r in rows) >= min(n_turtle, len(rows) // 2)


def test_fix_and_change_rows_are_verified_and_spread(tmp_path):
    from codehone.blocks.copilot.edit import EDIT_SYSTEM_PROMPT
    from codehone.blocks.copilot.fix import FIX_SYSTEM_PROMPT
    from codehone.blocks.copilot.tutor import TUTOR_SYSTEM_PROMPT

    card = build_blocks_data(tmp_path, None, BlocksDataOptions(examples=48, turns=4, valid=0.1, seed=2, turtle=False,
                                                                skills=0.5))
    skills = {k: v for k, v in card["pairs_by_family"].items() if ":" in k}
    for skill in ("fix", "edit", "tutor"):
        assert sum(v for k, v in skills.items() if k.startswith(f"{skill}:")) == 8, skills
    rows = [json.loads(x) for f in ("train", "valid") for x in (tmp_path / "data" / f"{f}.jsonl").read_text().splitlines()]
    systems = [r["messages"][0]["content"] for r in rows]
    assert {FIX_SYSTEM_PROMPT, EDIT_SYSTEM_PROMPT, TUTOR_SYSTEM_PROMPT, prompting.SYSTEM_PROMPT} <= set(systems)
    for r in rows:  # one skill a row, under its own system card
        assert len({f.split(":")[0] if ":" in f else "request" for f in r["families"]}) == 1
    fix_row = next(r for r in rows if r["path"] == "blocks/fix")
    assert fix_row["messages"][1]["content"].startswith("My program:") and "What is wrong:" in fix_row["messages"][1]["content"]
