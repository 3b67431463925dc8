"""The pair generator: every family makes verified pairs in both splits, deterministically."""

from __future__ import annotations

import random

import pytest

from codehone.blocks.synth import pairs as synth


@pytest.mark.parametrize("family", synth.FAMILIES, ids=lambda f: f.name)
@pytest.mark.parametrize("split", ["train", "bench"])
def test_every_family_makes_verified_pairs(family, split):
    for i in range(12):
        pair = synth.make_pair(family, random.Random(f"test:{split}:{i}"), split)
        v = synth.verify(pair)
        assert v.ok, (pair.prompt, pair.program, v.reason, v.detail)
        allowed = {w for tr, be in synth.WORDINGS[family.name].values() for w in (tr if split == "train" else be)}
        assert pair.family == family.name and pair.wording in allowed


def test_generation_is_deterministic_and_drops_nothing():
    s1, s2 = synth.Stats(), synth.Stats()
    a = list(synth.generate_pairs(120, seed=3, stats=s1))
    b = list(synth.generate_pairs(120, seed=3, stats=s2))
    assert a == b and len(a) == 120
    assert s1.dropped == {} and s1.round_trip == s1.generated == 120
    assert sum(s1.by_family.values()) == 120 and len(s1.by_family) >= 15
    assert list(synth.generate_pairs(20, seed=4)) != a[:20]


def test_wordings_are_split_and_never_shared():
    train, bench = set(), set()
    for family, kinds in synth.WORDINGS.items():
        assert family in synth.FAMILY_NAMES
        for kind, (tr, be) in kinds.items():
            assert tr and be, (family, kind)
            assert not set(tr) & set(be), (family, kind)
            train |= set(tr)
            bench |= set(be)
    assert not train & bench
    assert set(synth.WORDINGS) == set(synth.FAMILY_NAMES)


def test_a_broken_pair_is_reported_not_raised():
    good = synth.make_pair(synth.FAMILIES[0], random.Random(0), "train")
    assert synth.verify(synth.Pair("x", "p", "when_flag_clicked():\n    mvoe(10)\n", {"check": "finishes"})).reason == "parse"
    assert synth.verify(synth.Pair("x", "p", "when_flag_clicked():\n  move(10)\n", {"check": "finishes"})).reason == "print"
    bad = synth.Pair(good.family, good.prompt, good.program, {"check": "says", "text": "never"})
    v = synth.verify(bad)
    assert v.reason == "check" and "said" in v.detail


def test_prompts_look_like_requests():
    pairs = list(synth.generate_pairs(60, seed=0, verify_pairs=False))
    assert all(p.prompt.strip() and "{" not in p.prompt and "}" not in p.prompt for p in pairs)
    assert len({p.prompt for p in pairs}) == len(pairs)
