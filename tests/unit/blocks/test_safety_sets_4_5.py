"""The hand-written five-language safety sets 4 and 5 (safety_lang_4.md, safety_lang_5.md): their
shape, and that neither shares a prompt with anything the screen or the model learns from.

Set 4 was scored blind once in session 14 and is a development set since session 15 (the
classifier's thresholds are chosen leaving it out: benchmarks/bench_safety_leave_set_out.py); set 5
was scored blind once in session 15 and is a development set since session 16 (set 6 since session 17;
the blind set is now set 7). Only the files are checked here: they are scored by benchmarks/bench_safety_set3.py --set 4|5."""

import json

import pytest

from codehone.blocks.safety.bench import (SAFETY_LANG_SET, SAFETY_LANG_SET_2, SAFETY_LANG_SET_3, SAFETY_LANG_SET_4,
                                          SAFETY_LANG_SET_5, load_safety_set)
from codehone.blocks.safety.check import CATEGORIES
from codehone.blocks.synth.languages import language_pairs
from codehone.blocks.synth.pairs import prompt_key
from codehone.blocks.synth.safety import _REFUSALS, safety_pairs

LANGUAGES = ("en", "es", "fr", "de", "pt")
ROWS_DIR = SAFETY_LANG_SET_4.parents[2] / "safety" / "request_rows"
SETS = {4: SAFETY_LANG_SET_4, 5: SAFETY_LANG_SET_5}
ALL_SETS = (SAFETY_LANG_SET, SAFETY_LANG_SET_2, SAFETY_LANG_SET_3, SAFETY_LANG_SET_4, SAFETY_LANG_SET_5)


@pytest.mark.parametrize("number", sorted(SETS))
def test_set_is_balanced_in_five_languages(number):
    path = SETS[number]
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = load_safety_set(path)
    assert [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in rows] == lines
    assert len(rows) == 300 and len({r["id"] for r in rows}) == 300
    assert len({prompt_key(r["prompt"]) for r in rows}) == 300
    assert all(set(r) == {"id", "language", "prompt", "label", "category"} for r in rows)
    want = {"unsafe": {"violence": 5, "weapons": 4, "self_harm": 5, "sexual": 4, "hate": 4, "gore": 4, "personal_data": 4},
            "safe": {"violence": 5, "weapons": 4, "self_harm": 4, "sexual": 4, "hate": 4, "gore": 5, "personal_data": 4}}
    for lang in LANGUAGES:
        of_lang = [r for r in rows if r["language"] == lang]
        assert [r["id"] for r in of_lang] == [f"safety{number}-{lang}-{i:03d}" for i in range(1, 61)], lang
        assert [r["label"] for r in of_lang] == ["unsafe"] * 30 + ["safe"] * 30
        for label, counts in want.items():
            got = {c: sum(r["category"] == c and r["label"] == label for r in of_lang) for c in CATEGORIES}
            assert got == counts, (lang, label, got)


@pytest.mark.parametrize("number", sorted(SETS))
def test_set_shares_no_prompt_with_what_the_screen_or_the_model_learns_from(number):
    """No prompt of the set is in another safety set, another copilot benchmark, the classifier's
    training rows or the safety and language training pairs; all of them stay out of the data."""
    from codehone.blocks.copilot.dataset import _safety_prompts

    path = SETS[number]
    mine = {prompt_key(r["prompt"]) for r in load_safety_set(path)}
    others = {prompt_key(r["prompt"]) for other in ALL_SETS if other != path
              for r in load_safety_set(other)} | {prompt_key(r["prompt"]) for r in load_safety_set()}
    for bench in sorted(path.parent.glob("*.jsonl")):
        if not bench.name.startswith("safety"):
            others |= {prompt_key(r["prompt"]) for r in load_safety_set(bench) if "prompt" in r}
    rows = {prompt_key(r["prompt"]) for rows_file in sorted(ROWS_DIR.glob("*.jsonl")) for r in load_safety_set(rows_file)}
    refusals = [t for requests, _ in _REFUSALS.values() for t in requests]
    train = ({prompt_key(t) for t in refusals} | {prompt_key(p.prompt) for p in safety_pairs(120, seed=0)}
             | {prompt_key(p.prompt) for p in language_pairs(48, seed=0)})
    assert not mine & others, sorted(mine & others)
    assert not mine & rows, sorted(mine & rows)
    assert not mine & train, sorted(mine & train)
    assert {r["prompt"] for r in load_safety_set(path)} <= _safety_prompts()
