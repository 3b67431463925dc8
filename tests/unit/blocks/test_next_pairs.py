"""Next-block training pairs: fill-in-the-middle rows from synthesizer training programs, verified by
parsing, in the tokenizer's FIM template, and part of ``blocks data --skills``."""

from __future__ import annotations

import random

from codehone.blocks.copilot.bench import load_benchmark
from codehone.blocks.copilot.dataset import BlocksDataOptions, build_blocks_data
from codehone.blocks.copilot.next_block import canonical_lines
from codehone.blocks.copilot.skill_pairs import next_pair, next_rows
from codehone.blocks.lang.parser import parse
from codehone.blocks.synth.pairs import Stats, generate_pairs
from codehone.core.fim import detect_fim
from codehone.train.dataset import Encoder, read_split

QWEN = detect_fim(["<|fim_prefix|>", "<|fim_suffix|>", "<|fim_middle|>", "<|endoftext|>"])


def test_a_next_pair_is_a_program_with_one_block_to_put_back():
    made = 0
    for i, p in enumerate(generate_pairs(25, 3, "train", Stats())):
        if p.family == "impossible":
            continue
        task = {"task_id": f"t{i}", "family": p.family, "reference": p.program}
        out = next_pair(task, random.Random(i))
        if out is None:
            continue
        prefix, suffix, middle, kind = out
        left, whole = canonical_lines(prefix + suffix), canonical_lines(prefix + middle + suffix)
        assert middle.startswith("\n") and "\n" not in middle[1:] and len(whole) == len(left) + 1
        if kind == "block":  # a plain block put back gives the training program again
            assert whole == canonical_lines(p.program)
        else:  # a C-block is suggested by its header; its body was taken out with it
            assert middle.rstrip().endswith(":")
        made += 1
    assert made >= 15


def test_next_rows_are_fim_text_in_the_template_and_never_a_benchmark_program():
    rows, made = next_rows(12, 0, QWEN)
    assert len(rows) == 12 and sum(made.values()) == 12
    held_out = [canonical_lines(t["reference"]) for t in load_benchmark()]
    for r in rows:
        assert r["kind"] == "fim" and r["path"] == "blocks/next" and r["text"].endswith("<|endoftext|>")
        body = r["text"][len("<|fim_prefix|>"):-len("<|endoftext|>")]
        prefix, rest = body.split("<|fim_suffix|>")
        suffix, middle = rest.split("<|fim_middle|>")
        program = prefix + middle + suffix
        parse(program)
        assert canonical_lines(program) not in held_out


def test_blocks_data_with_skills_has_next_rows_the_trainer_reads(tmp_path, tiny_tokenizer):
    opts = BlocksDataOptions(examples=30, turns=4, valid=0.0, seed=2, turtle=False, skills=0.3)
    card = build_blocks_data(tmp_path, tiny_tokenizer, opts)
    fim = read_split(tmp_path, "train", ["fim"])
    assert card["examples"]["train"]["fim"] == len(fim) == 3  # as many as each other skill: 9 / 3
    assert sum(v for k, v in card["pairs_by_family"].items() if k.startswith("next:")) == 3
    assert card["tokens"]["train"]["fim"] == sum(r["tokens"] for r in fim)
    Encoder(tiny_tokenizer).check_tokenizer(card, fim, "tiny")  # counted the way the trainer counts
    assert {r["path"] for r in read_split(tmp_path, "train", ["instruct"])} >= {"blocks/synth", "blocks/fix"}
