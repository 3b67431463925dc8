"""Training pairs in Spanish, French, German and Portuguese (issue 19): verified by running
them, speaking the language asked for, apart from every benchmark, and mixed in by `blocks data`."""

from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache

from codehone.blocks.copilot.bench import HELD_OUT_REQUESTS, load_benchmark
from codehone.blocks.copilot.dataset import BlocksDataOptions, build_blocks_data
from codehone.blocks.languages.detect import detect
from codehone.blocks.languages.speech import check_language
from codehone.blocks.languages.target import target_language
from codehone.blocks.synth.languages import LANGUAGES, language_pairs
from codehone.blocks.synth.languages_more import MORE_KINDS
from codehone.blocks.synth.pairs import Stats, prompt_key, verify

PAIRS = language_pairs(48, seed=3)
OLD_KINDS = ("say", "click", "key", "think", "shape", "count", "ask", "named", "named_ask")
NEW_KINDS = tuple(k for k, _ in MORE_KINDS)
# What each new kind's program is made of (the kind's defining blocks).
SHAPE_OF = {"arrows": 'when_key_pressed("', "glide": "_xy(|set_x(", "size": "change_size_by(", "hide_show": "hide()",
            "walk": "next_costume()", "dance": "forever():", "countdown": ", -1)", "score": "when_this_sprite_clicked()",
            "dialogue": 'sprite("', "say_secs": "say_for_secs(", "think_secs": "think_for_secs(", "repeat_say": "repeat(",
            "circle": "pen_down()"}


@lru_cache(maxsize=1)
def many() -> tuple[list, Stats]:
    """language_pairs(400, seed=5) and its stats (its first 200 are language_pairs(200, seed=5))."""
    stats = Stats()
    return language_pairs(400, seed=5, stats=stats), stats


def test_pairs_run_pass_their_checks_and_speak_the_language_asked_for():
    assert len(PAIRS) == 48 and Counter(p.family for p in PAIRS) == {f"lang_{x}": 12 for x in LANGUAGES}
    for p in PAIRS[:24]:
        v = verify(p)
        assert v.ok, (p.prompt, v.reason, v.detail)
        target = target_language(p.prompt).language
        assert check_language(v.trace, target, p.answers).ok, p.prompt
        if p.wording not in ("named", "named_ask"):  # a request in the language, answered in it
            assert target == p.family[-2:] and detect(p.prompt).language == p.family[-2:], p.prompt


def test_requests_naming_a_language_are_answered_in_it():
    named = [p for p in PAIRS + many()[0] if p.wording == "named"]
    assert len(named) >= 8
    for p in named:
        t = target_language(p.prompt)
        assert t.named and t.language != t.request_language, p.prompt  # English naming Spanish, or Spanish naming English


def test_english_requests_to_ask_a_name_and_greet_in_a_language_get_both_in_it():
    pairs = [p for p in many()[0] if p.wording == "named_ask"]  # 2 in 55 of the deck since the asking kinds
    assert len(pairs) >= 8
    for p in pairs:
        v = verify(p)
        assert v.ok, (p.prompt, v.reason, v.detail)
        t = target_language(p.prompt)
        assert t.named and t.request_language == "en" and t.language == p.family[-2:], p.prompt
        assert "ask(" in p.program and "answer()" in p.program and check_language(v.trace, t.language, p.answers).ok


def test_every_new_kind_comes_in_every_language_runs_and_speaks_it():
    pairs, stats = many()
    counts = Counter((p.wording, p.family[-2:]) for p in pairs)
    missing = [(k, lang) for k in OLD_KINDS + NEW_KINDS for lang in LANGUAGES if not counts[(k, lang)]]
    assert not missing and set(NEW_KINDS) == set(SHAPE_OF)
    assert stats.kept == 400 and sum(stats.dropped.values()) <= 4, stats.dropped  # few dropped
    assert sum(counts[(k, lang)] for k in OLD_KINDS for lang in LANGUAGES) >= 120  # the old kinds keep a share
    first = {}
    for p in pairs:
        first.setdefault((p.wording, p.family[-2:]), p)
    for kind in NEW_KINDS:
        for lang in LANGUAGES:
            p = first[(kind, lang)]
            v = verify(p)
            assert v.ok, (p.prompt, v.reason, v.detail)
            assert any(part in p.program for part in SHAPE_OF[kind].split("|")), (kind, p.program)
            assert target_language(p.prompt).language == lang and detect(p.prompt).language == lang, p.prompt
            assert check_language(v.trace, lang, p.answers).ok, (p.prompt, p.program)


def test_deterministic_and_apart_from_every_benchmark():
    assert [p.prompt for p in language_pairs(16, seed=3)] == [p.prompt for p in PAIRS[:16]]
    again = language_pairs(24, seed=5)
    assert [(p.prompt, p.program) for p in again] == [(p.prompt, p.program) for p in many()[0][:24]]
    held = {t["prompt"] for b in HELD_OUT_REQUESTS for t in load_benchmark(bench=b)}
    ours = [p.prompt for p in PAIRS] + [p.prompt for p in many()[0]]
    assert not held & set(ours)
    held_keys = {prompt_key(t) for t in held}
    assert sum(prompt_key(t) in held_keys for t in ours) == 0  # not even up to case and punctuation
    excluded = frozenset(p.prompt for p in PAIRS[:5])
    stats = Stats()
    again = language_pairs(16, seed=3, exclude_prompts=excluded, stats=stats)
    assert not excluded & {p.prompt for p in again} and stats.duplicates >= 1 and len(again) == 16


def test_blocks_data_mixes_them_in_with_the_language_named_in_the_prompt(tmp_path):
    opts = BlocksDataOptions(examples=40, turns=4, valid=0.0, seed=1, turtle=False, skills=0.0, languages=0.2)
    card = build_blocks_data(tmp_path, None, opts)
    fams = card["pairs_by_family"]
    assert sum(fams.values()) == 40 and sum(v for k, v in fams.items() if k.startswith("lang_")) == 8
    rows = [json.loads(x) for x in (tmp_path / "data" / "train.jsonl").read_text().splitlines()]
    turns = [m["content"] for r in rows for m in r["messages"] if m["role"] == "user"]
    assert sum("\n(Write the program's texts in " in t for t in turns) >= 6  # the Spanish... requests say so
    assert card["options"]["languages"] == 0.2
