"""The hand-written five-language safety sets 6-16 (safety_lang_6.md ... safety_lang_16.md): their
shape, their languages, and that they share no prompt with anything the
screen or the model learns from. All were written the same way (60 rows in each of five languages,
the same counts per category), so one set of tests, parametrized by the set, checks them all.

Set 6 was written blind in session 16, scored blind once there, and became a development set in
session 17 (classifier.DEV_SETS: it trains the classifier and its misses were read). Set 7 was
written blind in session 17 and is held out and frozen: nothing is tuned on it. Set 8 was written
blind in session 18 (by helper-46), held out and frozen for when set 7 becomes a development set.
Set 9 was written blind in session 18 (by helper-48), held out and frozen for when set 8 becomes a
development set.
Set 10 was written blind in session 20, held out and frozen: the blind set once set 9 became a
development set (session 19); it was scored blind once in session 20. Set 11 was written blind in
session 20 too, held out and frozen for when set 10 becomes a development set; scored blind once in
session 21, then read (a development set since). Set 12 was written blind in session 21, the blind set
after set 11; scored blind once in session 21, a development set since session 22. Set 13 was written
blind in session 22, the blind set after set 12, and scored blind once in session 22; set 14 was
written blind in session 22 too, the blind set after set 13, and scored blind once there; set 15 too,
the blind set after set 14, and scored blind once there; set 16 too, the blind set after set 15.
Only the files are checked here (no screen, no scorer); they are scored by benchmarks/bench_safety_set3.py --set N.
The overlap checks assert counts only, so a failure names no other set's prompt."""

import json

import pytest

from codehone.blocks.languages.detect import detect
from codehone.blocks.safety.bench import (SAFETY_LANG_SET, SAFETY_LANG_SET_2, SAFETY_LANG_SET_3, SAFETY_LANG_SET_4,
                                          SAFETY_LANG_SET_5, SAFETY_LANG_SET_6, SAFETY_LANG_SET_7, SAFETY_LANG_SET_8,
                                          SAFETY_LANG_SET_9, SAFETY_LANG_SET_10, SAFETY_LANG_SET_11, SAFETY_LANG_SET_12,
                                          SAFETY_LANG_SET_13, SAFETY_LANG_SET_14, SAFETY_LANG_SET_15, SAFETY_LANG_SET_16,
                                          SAFETY_SET, load_safety_set)
from codehone.blocks.safety.check import CATEGORIES
from codehone.blocks.synth.languages import language_pairs
from codehone.blocks.synth.pairs import prompt_key
from codehone.blocks.synth.safety import _REFUSALS, safety_pairs

LANGUAGES = ("en", "es", "fr", "de", "pt")
SETS = {6: SAFETY_LANG_SET_6, 7: SAFETY_LANG_SET_7, 8: SAFETY_LANG_SET_8, 9: SAFETY_LANG_SET_9, 10: SAFETY_LANG_SET_10,
        11: SAFETY_LANG_SET_11, 12: SAFETY_LANG_SET_12, 13: SAFETY_LANG_SET_13,
        14: SAFETY_LANG_SET_14, 15: SAFETY_LANG_SET_15,
        16: SAFETY_LANG_SET_16}
ALL_SETS = (SAFETY_SET, SAFETY_LANG_SET, SAFETY_LANG_SET_2, SAFETY_LANG_SET_3, SAFETY_LANG_SET_4, SAFETY_LANG_SET_5,
            SAFETY_LANG_SET_6, SAFETY_LANG_SET_7, SAFETY_LANG_SET_8, SAFETY_LANG_SET_9, SAFETY_LANG_SET_10,
            SAFETY_LANG_SET_11, SAFETY_LANG_SET_12, SAFETY_LANG_SET_13, SAFETY_LANG_SET_14,
            SAFETY_LANG_SET_15, SAFETY_LANG_SET_16)
ROWS_DIR = SAFETY_LANG_SET_7.parents[2] / "safety" / "request_rows"
WANT = {"unsafe": {"violence": 5, "weapons": 4, "self_harm": 5, "sexual": 4, "hate": 4, "gore": 4, "personal_data": 4},
        "safe": {"violence": 5, "weapons": 4, "self_harm": 4, "sexual": 4, "hate": 4, "gore": 5, "personal_data": 4}}
ORDER = ("violence", "weapons", "self_harm", "sexual", "hate", "gore", "personal_data")
blind_sets = pytest.mark.parametrize("number", sorted(SETS))


def _rows(number: int) -> list[dict]:
    return load_safety_set(SETS[number])


@blind_sets
def test_set_has_the_schema_and_sorted_keys(number):
    lines = SETS[number].read_text(encoding="utf-8").splitlines()
    rows = _rows(number)
    assert [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in rows] == lines
    assert all(list(r) == ["category", "id", "label", "language", "prompt"] for r in rows)
    assert all(r["label"] in ("safe", "unsafe") and r["category"] in CATEGORIES for r in rows)
    assert all(isinstance(r["prompt"], str) and r["prompt"].strip() == r["prompt"] and r["prompt"] for r in rows)
    assert len(rows) == 300 and len({r["id"] for r in rows}) == 300
    assert len({prompt_key(r["prompt"]) for r in rows}) == 300
    assert len({" ".join(r["prompt"].casefold().split()) for r in rows}) == 300


@blind_sets
def test_set_is_balanced_in_five_languages_and_grouped_by_category(number):
    rows = _rows(number)
    assert [r["language"] for r in rows] == [lang for lang in LANGUAGES for _ in range(60)]
    for lang in LANGUAGES:
        of_lang = [r for r in rows if r["language"] == lang]
        assert [r["id"] for r in of_lang] == [f"safety{number}-{lang}-{i:03d}" for i in range(1, 61)], lang
        assert [r["label"] for r in of_lang] == ["unsafe"] * 30 + ["safe"] * 30
        for label, counts in WANT.items():
            got = {c: sum(r["category"] == c and r["label"] == label for r in of_lang) for c in CATEGORIES}
            assert got == {c: counts.get(c, 0) for c in CATEGORIES}, (lang, label, got)
            half = [r["category"] for r in of_lang if r["label"] == label]
            assert half == [c for c in ORDER for _ in range(counts[c])], (lang, label)


@blind_sets
def test_set_prompts_are_in_their_language(number):
    """The detector calls no row another language (a row it cannot tell is allowed, a few at most)."""
    found = {r["id"]: detect(r["prompt"]).language for r in _rows(number)}
    rows = {r["id"]: r["language"] for r in _rows(number)}
    wrong = sorted(i for i, lang in found.items() if lang not in (rows[i], ""))
    assert not wrong, wrong
    assert sum(lang == "" for lang in found.values()) <= 5


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


@blind_sets
def test_set_shares_no_prompt_with_what_the_screen_or_the_model_learns_from(number):
    """No prompt of the set is in another safety set, another copilot benchmark, the classifier's
    training rows or the safety and language training pairs; all of them stay out of the data.
    Only counts are asserted, so a failure shows none of the other sets' prompts."""
    from codehone.blocks.copilot.dataset import _safety_prompts

    mine = _rows(number)
    keys = {prompt_key(r["prompt"]) for r in mine} | {_key(r["prompt"]) for r in mine}
    others = [r["prompt"] for path in ALL_SETS if path != SETS[number] for r in load_safety_set(path)]
    for bench in sorted(SETS[number].parent.glob("*.jsonl")):
        if not bench.name.startswith("safety"):
            others += [r["prompt"] for r in load_safety_set(bench) if "prompt" in r]
    rows = [r["prompt"] for rows_file in sorted(ROWS_DIR.glob("*.jsonl")) for r in load_safety_set(rows_file)]
    train = ([t for requests, _ in _REFUSALS.values() for t in requests]
             + [p.prompt for p in safety_pairs(120, seed=0)] + [p.prompt for p in language_pairs(48, seed=0)])
    for name, texts in (("other sets and benchmarks", others), ("classifier rows", rows), ("training pairs", train)):
        overlap = sum(prompt_key(t) in keys or _key(t) in keys for t in set(texts))
        assert overlap == 0, f"{overlap} prompt(s) of set {number} also in the {name}"
    kept_out = _safety_prompts()
    missing = sum(r["prompt"] not in kept_out for r in mine)
    assert missing == 0, f"{missing} prompt(s) of set {number} not kept out of the training data"
