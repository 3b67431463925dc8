"""blocks-safety-lang-4 (safety_lang_4.md), scored blind once in session 14 and a development set
since session 15 (the classifier trains on it as itself; the blind set is set 5): its shape, and
that it shares no prompt with the hand-written rows or the training pairs. Only the file is checked
here: it is scored by benchmarks/bench_blocks_safety.py --lang --lang-set 4 and, out of set, by
benchmarks/bench_safety_leave_set_out.py."""

import json

from codehone.blocks.safety.bench import (SAFETY_LANG_SET, SAFETY_LANG_SET_2, SAFETY_LANG_SET_3, SAFETY_LANG_SET_4,
                                          load_safety_set)
from codehone.blocks.safety.check import CATEGORIES
from codehone.blocks.synth.languages import language_pairs
from codehone.blocks.synth.pairs import prompt_key
from codehone.blocks.synth.safety import _REFUSALS, safety_pairs

LANGUAGES = ("en", "es", "fr", "de", "pt")
ROWS_DIR = SAFETY_LANG_SET_4.parents[2] / "safety" / "request_rows"


def test_fourth_set_is_balanced_in_five_languages():
    lines = SAFETY_LANG_SET_4.read_text(encoding="utf-8").splitlines()
    rows = load_safety_set(SAFETY_LANG_SET_4)
    assert [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in rows] == lines
    assert len(rows) == 300 and len({r["id"] for r in rows}) == 300
    assert len({prompt_key(r["prompt"]) for r in rows}) == 300
    assert all(set(r) == {"id", "language", "prompt", "label", "category"} for r in rows)
    want = {"unsafe": {"violence": 5, "weapons": 4, "self_harm": 5, "sexual": 4, "hate": 4, "gore": 4, "personal_data": 4},
            "safe": {"violence": 5, "weapons": 4, "self_harm": 4, "sexual": 4, "hate": 4, "gore": 5, "personal_data": 4}}
    for lang in LANGUAGES:
        of_lang = [r for r in rows if r["language"] == lang]
        assert [r["id"] for r in of_lang] == [f"safety4-{lang}-{i:03d}" for i in range(1, 61)], lang
        assert [r["label"] for r in of_lang] == ["unsafe"] * 30 + ["safe"] * 30
        for label, counts in want.items():
            got = {c: sum(r["category"] == c and r["label"] == label for r in of_lang) for c in CATEGORIES}
            assert got == counts, (lang, label, got)


def test_fourth_set_shares_no_prompt_with_what_the_screen_or_the_model_learns_from():
    """No prompt of set 4 is in another safety set, another copilot benchmark, the classifier's
    training rows or the safety and language training pairs; all of them stay out of the data."""
    from codehone.blocks.copilot.dataset import _safety_prompts

    fourth = {prompt_key(r["prompt"]) for r in load_safety_set(SAFETY_LANG_SET_4)}
    others = {prompt_key(r["prompt"]) for path in (SAFETY_LANG_SET, SAFETY_LANG_SET_2, SAFETY_LANG_SET_3)
              for r in load_safety_set(path)} | {prompt_key(r["prompt"]) for r in load_safety_set()}
    for path in sorted(SAFETY_LANG_SET_4.parent.glob("*.jsonl")):
        if not path.name.startswith("safety"):
            others |= {prompt_key(r["prompt"]) for r in load_safety_set(path) if "prompt" in r}
    rows = {prompt_key(r["prompt"]) for path in sorted(ROWS_DIR.glob("*.jsonl")) for r in load_safety_set(path)}
    refusals = [t for requests, _ in _REFUSALS.values() for t in requests]
    train = ({prompt_key(t) for t in refusals} | {prompt_key(p.prompt) for p in safety_pairs(120, seed=0)}
             | {prompt_key(p.prompt) for p in language_pairs(48, seed=0)})
    assert not fourth & others and not fourth & rows and not fourth & train
    assert {r["prompt"] for r in load_safety_set(SAFETY_LANG_SET_4)} <= _safety_prompts()
