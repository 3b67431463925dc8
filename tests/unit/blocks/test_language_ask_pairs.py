"""Asking requests in Spanish, French, German and Portuguese (issue 19, languages_ask): each kind
makes verified pairs in every language, asking is at least a fifth of each language's pairs, and
the requests read as their language."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from codehone.blocks.languages.detect import detect
from codehone.blocks.languages.speech import check_language
from codehone.blocks.languages.target import target_language
from codehone.blocks.synth.languages import LANGUAGES, OLD_KINDS, language_pairs
from codehone.blocks.synth.languages_ask import ASK_KINDS
from codehone.blocks.synth.pairs import Stats, verify

ASKING = tuple(k for k, _ in ASK_KINDS)
# What each asking kind's program is made of besides ask(...).
SHAPE_OF = {"ask_then_say": "ask(", "ask_echo": "answer()", "ask_repeat": "repeat(", "ask_yes_no": "else_()",
            "ask_two": "set_variable("}


@lru_cache(maxsize=1)
def pairs() -> tuple[list, Stats]:
    stats = Stats()
    return language_pairs(200, seed=0, stats=stats), stats


def test_every_asking_kind_makes_verified_pairs_in_every_language():
    made, stats = pairs()
    assert stats.kept == 200 and sum(stats.dropped.values()) <= 2, stats.dropped
    first = {}
    for p in made:
        first.setdefault((p.wording, p.family[-2:]), p)
    for kind in ASKING:
        for lang in LANGUAGES:
            p = first[(kind, lang)]
            v = verify(p)
            assert v.ok, (p.prompt, v.reason, v.detail)
            assert "ask(" in p.program and SHAPE_OF[kind] in p.program, (kind, p.program)
            assert check_language(v.trace, lang, p.answers).ok, (p.prompt, p.program)
            assert target_language(p.prompt).language == lang, p.prompt
    assert all(first[("ask_two", lang)].program.count("ask(") == 2 for lang in LANGUAGES)


def test_asking_is_at_least_a_fifth_of_each_language():
    made, _ = pairs()
    total = Counter(p.family[-2:] for p in made)
    asking = Counter(p.family[-2:] for p in made if "ask(" in p.program)
    for lang in LANGUAGES:
        assert asking[lang] >= 0.2 * total[lang], (lang, asking[lang], total[lang])


def test_asking_requests_read_as_their_language():
    made, _ = pairs()
    new = [p for p in made if p.wording in ASKING]
    assert len(new) >= 30
    for p in new:
        assert detect(p.prompt).language == p.family[-2:], p.prompt


def test_the_old_kinds_leave_the_asking_kinds_out():
    assert not {p.wording for p in language_pairs(24, seed=0, kinds=OLD_KINDS)} & set(ASKING)
