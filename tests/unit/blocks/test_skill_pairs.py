"""Fix, Change and Teach training pairs: verified like the benchmarks', worded apart from them."""

from __future__ import annotations

import random

from codehone.blocks.copilot import edit_bench, fix_bench
from codehone.blocks.copilot.skill_pairs import TRAIN_COMPLAINTS, TRAIN_REQUESTS, edit_pair, fix_pair
from codehone.blocks.lang.parser import parse
from codehone.blocks.runtime.checks import run_check
from codehone.blocks.runtime.interpreter import run_program
from codehone.blocks.synth.pairs import RUN_LIMITS, Stats, generate_pairs


def test_training_wordings_are_not_the_benchmarks():
    for kind, words in TRAIN_COMPLAINTS.items():
        assert not set(words) & set(fix_bench.COMPLAINTS[kind]), kind
    assert set(TRAIN_REQUESTS) == set(edit_bench.REQUESTS)
    for kind, words in TRAIN_REQUESTS.items():
        assert not set(words) & set(edit_bench.REQUESTS[kind]), kind


def _tasks(n: int):
    for i, p in enumerate(generate_pairs(n, 5, "train", Stats())):
        if p.family != "impossible":
            yield {"task_id": f"t{i}", "family": p.family, "prompt": p.prompt, "reference": p.program,
                   "check": p.check, "answers": list(p.answers), "events": [dict(e) for e in p.events]}


def _passes(task: dict, program: str, check: dict) -> bool:
    trace = run_program(parse(program), answers=task["answers"], events=task["events"], **RUN_LIMITS)
    return run_check(check, trace).ok


def test_a_fix_pair_teaches_the_program_that_passes_from_one_that_does_not():
    made = 0
    for task in _tasks(30):
        out = fix_pair(task, random.Random(task["task_id"]))
        if out is None:
            continue
        messages, answer, _kind = out
        buggy = messages[-1]["content"].split("```\n")[1].split("\n```")[0] + "\n"
        assert not _passes(task, buggy, task["check"]) and _passes(task, answer, task["check"])
        made += 1
    assert made >= 10


def test_an_edit_pair_changes_the_behaviour_it_was_asked_to():
    made = 0
    for task in _tasks(30):
        out = edit_pair(task, random.Random(task["task_id"]))
        if out is None:
            continue
        messages, answer, kind = out
        assert kind in edit_bench.KINDS and messages[-1]["content"].startswith("My program:")
        assert answer != task["reference"]
        parse(answer)
        made += 1
    assert made >= 10


def test_every_edit_kind_is_taught_about_as_often_as_the_others():
    """Kinds that fit few programs (bigger, faster) are not crowded out by those that fit most
    (say first, add a sprite): session 14's demo data held no "bigger" pair and scored 0/10 on it."""
    from codehone.blocks.copilot.skill_pairs import EDIT_KINDS, EDIT_SLACK, skill_rows

    _rows, stats = skill_rows(90, seed=0, turns=16)
    edits = [stats.by_kind.get(f"edit:{k}", 0) for k in EDIT_KINDS]
    assert stats.edit == 30 and max(edits) - min(edits) <= EDIT_SLACK + 1, stats.by_kind
