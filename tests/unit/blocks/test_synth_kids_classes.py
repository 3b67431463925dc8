"""The training-only families for children's requests (issue 18) and the children's-typing layer:
each class is made by generate_pairs and verifies, the checks reject the wrong answers the issue
names, typing keeps what must be said, the benchmark split is unchanged, and nothing generated
equals a held-out prompt."""

from __future__ import annotations

import random
import re

import pytest

from codehone.blocks.copilot.bench import HELD_OUT_REQUESTS, load_benchmark
from codehone.blocks.runtime.checks import run_check
from codehone.blocks.runtime.interpreter import run_program
from codehone.blocks.synth import pairs as synth
from codehone.blocks.synth.kid_typing import MISSPELT, kid_type, typed

NEW = {f.name for f in synth.TRAIN_ONLY}


def _pair(name: str, i: int) -> synth.Pair:
    family = next(f for f in synth.TRAIN_ONLY if f.name == name)
    return synth.make_pair(family, random.Random(f"kids-test:{name}:{i}"), "train")


def _passes(pair: synth.Pair, program: str) -> bool:
    trace = run_program(program, answers=list(pair.answers), events=[dict(e) for e in pair.events], **synth.RUN_LIMITS)
    return run_check(pair.check, trace).ok


@pytest.mark.parametrize("name", sorted(NEW))
def test_every_new_family_makes_verified_pairs(name):
    for i in range(3):
        pair = _pair(name, i)
        v = synth.verify(pair)
        assert v.ok, (pair.prompt, pair.program, v.reason, v.detail)
        assert pair.family == name and pair.wording and "{" not in pair.prompt


def test_generate_pairs_has_every_class_and_is_deterministic():
    a = list(synth.generate_pairs(300, seed=7, verify_pairs=False))
    assert a == list(synth.generate_pairs(300, seed=7, verify_pairs=False))
    assert NEW <= {p.family for p in a}
    typo_words = {w for ws in MISSPELT.values() for w in ws if " " not in w}
    assert sum(bool(set(re.findall(r"[a-z0-9]+", p.prompt)) & typo_words) for p in a) >= 15
    stats = synth.Stats()
    first = {}
    for p in a:
        first.setdefault(p.family, p)
    for p in first.values():
        if p.family in NEW:
            assert synth.verify(p).ok, (p.prompt, p.program)
    bench = list(synth.generate_pairs(60, seed=7, split="bench", stats=stats, verify_pairs=False))
    assert not {p.family for p in bench} & NEW


def test_checks_reject_the_failures_of_the_issue():
    rect = _pair("rectangle", 0)
    lengths = [c["length"] for c in _flat(rect.check) if c["check"] == "line"]
    w = lengths[0]
    square = f"when_flag_clicked():\n    pen_down()\n    repeat(4):\n        move({w})\n        turn_right(90)\n"
    assert _passes(rect, rect.program) and not _passes(rect, square)

    say = next(p for p in (_pair("say_secs", i) for i in range(20)) if '"' in p.prompt)
    text = next(c["text"] for c in _flat(say.check) if c["check"] == "says")
    secs = re.search(r"say_for_secs\(.*, ([0-9.]+)\)", say.program).group(1)
    for wrong in (f'think_for_secs("{text}", {secs})', f'say("{text}")', f'say_for_secs("{text}x", {secs})'):
        assert not _passes(say, f"when_flag_clicked():\n    {wrong}\n"), wrong

    age = next(p for p in (_pair("answer_math", i) for i in range(30)) if "add(answer(), 1)" in p.program)
    for wrong in ('say_for_secs(2, add(answer(), 1))', 'say(answer())', 'say(join(answer(), 1))'):
        assert not _passes(age, f'when_flag_clicked():\n    ask("How old are you?")\n    {wrong}\n'), wrong
    assert _passes(age, 'when_flag_clicked():\n    ask("How old are you?")\n    say(add(answer(), 1))\n')

    spin = next(p for p in (_pair("forever", i) for i in range(30)) if "turn_" in p.program and "costume" not in p.program)
    assert not _passes(spin, "when_flag_clicked():\n    repeat(24):\n        turn_right(15)\n")
    assert _passes(spin, "when_flag_clicked():\n    forever():\n        turn_right(15)\n")

    greet = next(p for p in (_pair("dictated", i) for i in range(20)) if p.check.get("match") == "exact")
    assert not _passes(greet, 'when_flag_clicked():\n    say("Hello!")\n') or greet.check["text"] == "Hello!"
    assert _passes(greet, f'when_flag_clicked():\n    say("{greet.check["text"].upper()}")\n')


def _flat(check: dict) -> list[dict]:
    out = [check]
    for c in check.get("checks", []):
        out += _flat(c)
    return out


def test_run_ons_join_verified_requests_in_order():
    for i in range(4):
        pair = _pair("run_on", i)
        assert re.search(r"\bthen\b|after that|\bnext\b|when it's done|\band\b", pair.prompt)
        assert pair.program.count("when_flag_clicked():") == 1 and len(pair.check["checks"]) in (2, 3)
        assert synth.verify(pair).ok, (pair.prompt, pair.program)


def test_typing_keeps_quotes_numbers_and_dictated_words():
    prompt = 'Draw a square with sides of 50 and then say "Hello, my friend!" for 2 seconds, please.'
    check = {"check": "says", "text": "Hello, my friend!"}
    outs = {kid_type(prompt, check, random.Random(i)) for i in range(40)}
    assert len(outs) > 5 and prompt not in outs
    for out in outs:
        assert '"Hello, my friend!"' in out and re.findall(r"\d+", out) == ["50", "2"]
    assert any(set(o.split()) & set(MISSPELT["square"]) for o in outs)
    # a word the check needs (said without quotes) is never misspelt, even outside quotes
    assert all("square" in kid_type(prompt, {"check": "says", "text": "my square"}, random.Random(i)).lower()
               for i in range(20))
    assert any(o == o.lower().replace("hello, my friend!", "Hello, my friend!") and "," not in o.split('"')[2]
               for o in outs)
    plain = kid_type("make my cat say hello my friend", {"check": "says", "text": "hello my friend"}, random.Random(3))
    assert plain.endswith("hello my friend")
    assert kid_type(prompt, check, random.Random(9)) == kid_type(prompt, check, random.Random(9))


def test_a_typed_prompt_still_verifies():
    for name in ("rectangle", "say_secs"):
        pair = _pair(name, 1)
        kid = typed(pair, random.Random(5))
        assert (kid.program, kid.check, kid.wording) == (pair.program, pair.check, pair.wording)
        assert synth.verify(kid).ok


def test_no_generated_prompt_is_a_held_out_prompt():
    held = {synth.prompt_key(t["prompt"]) for b in HELD_OUT_REQUESTS for t in load_benchmark(bench=b)}
    made = {synth.prompt_key(p.prompt) for p in synth.generate_pairs(1500, seed=0, verify_pairs=False)}
    overlap = len(made & held)
    assert overlap == 0, f"{overlap} generated prompts equal held-out ones"  # a count only: none is shown
