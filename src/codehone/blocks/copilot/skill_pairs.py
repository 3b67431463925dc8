"""Training rows for the Fix, Change and Teach skills, made from synthesizer programs and verified by running.

The benchmarks ``blocks-fix`` and ``blocks-edit`` plant bugs in and edit the ``blocks`` benchmark's
references with wordings of their own. Training does the same to **synthesizer training programs**
(``generate_pairs(split="train")``, another seed than the request pairs), with **other wordings**
(``TRAIN_COMPLAINTS``, ``TRAIN_REQUESTS`` below; a test checks no wording is shared), so the held-out
sets stay held out.

    fix row    FIX_SYSTEM_PROMPT, then ``turns`` x (buggy program + complaint -> the correct program)
    edit row   EDIT_SYSTEM_PROMPT, then ``turns`` x (program + change -> the changed program)
    tutor row  TUTOR_SYSTEM_PROMPT, then ``turns`` x (request -> steps, tutor.make_tutorial)
    next row   ``kind: "fim"``: a program with one block taken out, in the model's FIM template
               (prefix, suffix, then the block's line as the middle), as ``blocks next`` asks

The same prompts as ``blocks fix`` and ``blocks generate --program`` (zero shots), so the tuned
model is asked the way it was taught. Every pair is verified the way the benchmarks verify theirs:
a planted bug must make the program's own check fail (and the original passes it); an edit must
pass the edited check while the unedited program fails it; a tutorial must pass every rule its
benchmark judges (tutor.score_tutorial).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from codehone.blocks.copilot.bench import load_benchmark
from codehone.blocks.copilot.edit import edit_messages
from codehone.blocks.copilot.edit_bench import _EDITS, KINDS as EDIT_KINDS, _verified
from codehone.blocks.copilot.fix import fix_messages
from codehone.blocks.copilot.fix_bench import _family, breaks_check, candidates, complaint_for
from codehone.blocks.copilot.next_bench import make_task as next_task, removable
from codehone.blocks.copilot.next_block import canonical_lines, cursor_at
from codehone.blocks.copilot.tutor import make_tutorial, score_tutorial, tutor_messages
from codehone.blocks.lang.parser import parse
from codehone.blocks.lang.printer import format_program
from codehone.blocks.synth.pairs import Stats, generate_pairs
from codehone.core.fim import FimTemplate

SEED_OFFSET = 7919  # the skill rows' programs are not the request rows' programs
NEXT_SEED_OFFSET = 104729  # nor the next-block rows'

TRAIN_COMPLAINTS = {
    "wrong_angle": ["the corners of my {shape} look wrong", "my {shape} doesnt join up", "the {shape} is all bent",
                    "my {shape} comes out lopsided"],
    "missing_pen_down": ["i dont see any drawing", "the sprite walks but leaves no line", "where is my {shape}??",
                         "it draws nothing at all"],
    "wrong_repeat": ["it draws too many or too few sides", "the count is off", "my {shape} has the wrong number "
                     "of sides", "it repeats the wrong amount"],
    "say_ask_order": ["it answers before i reply", "it speaks first and asks after, backwards",
                      "the answer comes too early"],
    "say_ask_order_name": ["it greets me before i give my name", "it says hi to nobody before I type my name"],
    "forever_to_repeat": ["it should go on and on but it ends", "it quits, i want it never ending",
                          "it runs out, make it keep going"],
    "repeat_to_forever": ["it goes forever but should finish after {n}", "it wont end, it should go {n} times",
                          "it never finishes, i only wanted it {n} times"],
    "wrong_variable": ["the {var} number at the end is not right", "{var} ends up wrong", "my {var} is off"],
    "wrong_script": ["that part happens at the wrong moment", "a block is under the wrong hat",
                     "it runs that bit at the wrong time"],
}

TRAIN_REQUESTS = {
    "bigger": ["double it", "make it 2x bigger", "bigger please, twice the size"],
    "smaller": ["shrink it to half", "half size please", "make it two times smaller"],
    "reshape": ["turn it into a {shape}", "make a {shape} out of it", "swap it for a {shape}"],
    "recolor": ["paint it {color}", "use {color} for the pen", "{color} lines please"],
    "say_first": ['start by saying "{text}"', 'before anything, say "{text}"', 'add "{text}" at the start'],
    "reword": ['swap "{old}" for "{new}"', 'the words should be "{new}" instead', 'replace "{old}" with "{new}"'],
    "more_times": ["repeat it {n} times", "{n} times please", "change it to {n} times"],
    "forever": ["loop it forever", "never let it stop", "keep it going for ever"],
    "add_sprite": ['another character should say "{text}"', 'add a {name} saying "{text}"',
                   'a new sprite says "{text}"'],
    "faster": ["quicker please", "make it twice as quick", "less waiting"],
}


SKILLS = ("fix", "edit", "tutor")


@dataclass
class SkillStats:
    fix: int = 0
    edit: int = 0
    tutor: int = 0
    tried: int = 0
    by_kind: dict = field(default_factory=dict)


def _as_task(pair, i: int) -> dict:
    return {"task_id": f"train-skill-{i}", "family": pair.family, "prompt": pair.prompt, "reference": pair.program,
            "check": pair.check, "answers": list(pair.answers), "events": [dict(e) for e in pair.events]}


EDIT_SLACK = 2  # an edit kind may run this many pairs ahead of the rarest one


def _least_used_first(options: list, kind_of, used: dict[str, int] | None, rng: random.Random) -> list:
    """``options`` shuffled, then those of the kinds made least so far first: without this the kinds
    that fit most programs (say first, add a sprite) crowd out those that fit few (bigger, faster),
    and a training set of 1,600 pairs held 0-2 of them (session 14's demo: edit "bigger" 0/10)."""
    rng.shuffle(options)
    used = used or {}
    return sorted(options, key=lambda o: used.get(kind_of(o), 0))  # stable: the shuffle orders each kind's options


def fix_pair(task: dict, rng: random.Random, used: dict[str, int] | None = None) -> tuple[list[dict], str, str] | None:
    """(fix messages without the answer, answer, bug kind) for one planted bug, or None; ``used``:
    pairs made so far by kind (``fix:<kind>``), to prefer the rarest."""
    options = _least_used_first(list(candidates(task)), lambda o: f"fix:{_family(o[1])}", used, rng)
    for program, kind in options:
        if not breaks_check(task, program):
            continue
        complaint = complaint_for(task, program, kind, rng, TRAIN_COMPLAINTS)
        return fix_messages(program, complaint, shots=0), format_program(parse(task["reference"])), _family(kind)
    return None


def edit_pair(task: dict, rng: random.Random, used: dict[str, int] | None = None) -> tuple[list[dict], str, str] | None:
    """(edit messages without the answer, answer, edit kind) for one verified edit, or None; ``used``:
    pairs made so far by kind (``edit:<kind>``), to prefer the rarest."""
    used = used or {}
    rarest = min(used.get(f"edit:{k}", 0) for k in EDIT_KINDS)
    # only kinds near the rarest: a task that fits none of them is left to the next skill's turn
    kinds = [k for k in EDIT_KINDS if used.get(f"edit:{k}", 0) <= rarest + EDIT_SLACK]
    for kind in _least_used_first(kinds, lambda k: f"edit:{k}", used, rng):
        made = _EDITS[kind](task, rng, rng.choice(TRAIN_REQUESTS[kind]))
        if made is None:
            continue
        request, new_program, new_check = made
        try:
            new_program = format_program(parse(new_program))
        except Exception:  # noqa: BLE001 - an edit the language refuses is not a pair
            continue
        if _verified(task, new_program, new_check):
            return edit_messages(task["reference"], request, shots=0), new_program, kind
    return None


def tutor_pair(task: dict, rng: random.Random, used: dict[str, int] | None = None) -> tuple[list[dict], str, str] | None:
    """(tutor messages without the answer, the tutorial, "steps") for one request, or None."""
    tutorial = make_tutorial(task["reference"])
    if tutorial is None or score_tutorial(task, tutorial)[0]["status"] != "passed":
        return None
    return tutor_messages(task["prompt"], shots=0), tutorial, "steps"


_MAKERS = {"fix": fix_pair, "edit": edit_pair, "tutor": tutor_pair}


def skill_rows(n: int, seed: int, turns: int) -> tuple[list[dict], SkillStats]:
    """About ``n`` verified skill pairs (a third each of fix, edit and tutor) in rows of ``turns``
    pairs of one skill."""
    out = SkillStats()
    if n <= 0:
        return [], out
    groups: dict[str, list[tuple[list[dict], str, str]]] = {k: [] for k in SKILLS}
    rows: list[dict] = []
    programs = generate_pairs(4 * n + 20, seed + SEED_OFFSET, "train", Stats())
    for i, pair in enumerate(programs):
        if out.fix + out.edit + out.tutor >= n:
            break
        if pair.family in ("impossible",):
            continue
        task = _as_task(pair, i)
        skill = min(SKILLS, key=lambda k: getattr(out, k))  # the skill with the fewest pairs so far
        rng = random.Random(f"skill:{seed}:{i}")
        out.tried += 1
        made = _MAKERS[skill](task, rng, out.by_kind)
        if made is None:
            continue
        setattr(out, skill, getattr(out, skill) + 1)
        out.by_kind[f"{skill}:{made[2]}"] = out.by_kind.get(f"{skill}:{made[2]}", 0) + 1
        groups[skill].append(made)
        if len(groups[skill]) == turns:
            rows.append(_row(skill, groups[skill]))
            groups[skill] = []
    rows += [_row(skill, g) for skill, g in groups.items() if g]
    return rows, out


def _row(skill: str, pairs: list[tuple[list[dict], str, str]]) -> dict:
    messages = list(pairs[0][0]) + [{"role": "assistant", "content": pairs[0][1]}]
    for asked, answer, _ in pairs[1:]:
        messages += [asked[-1], {"role": "assistant", "content": answer}]
    return {"kind": "instruct", "messages": messages, "path": f"blocks/{skill}", "language": "scratch-blocks",
            "families": [f"{skill}:{k}" for _, _, k in pairs]}


# --------------------------------------------------------------------------- next block (fill-in-the-middle)

def next_pair(task: dict, rng: random.Random) -> tuple[str, str, str, str] | None:
    """(prefix, suffix, middle, kind) for one block taken out of ``task``'s program the way
    ``blocks-next`` takes one out of a benchmark reference (next_bench.make_task: what is left
    parses, the block alone is a valid suggestion there), or None if no block can be."""
    options = removable(canonical_lines(task["reference"]))
    rng.shuffle(options)
    for i in options:
        made = next_task(task, i)
        if made is not None:
            cursor = cursor_at(made["program"].splitlines(), made["at"])
            return cursor.prefix, cursor.suffix, "\n" + made["block"], made["kind"]
    return None


def next_rows(n: int, seed: int, template: FimTemplate) -> tuple[list[dict], dict[str, int]]:
    """``n`` next-block rows (one pair each: a fill-in-the-middle example is one document) in
    ``template``, the FIM template of the tokenizer the data is built for, and the count by kind."""
    rows: list[dict] = []
    made: dict[str, int] = {}
    end = template.end[0] if template.end else ""
    held_out = [canonical_lines(t["reference"]) for t in load_benchmark()]  # never a benchmark's own program
    for i, pair in enumerate(generate_pairs(2 * n + 10, seed + NEXT_SEED_OFFSET, "train", Stats())):
        if len(rows) >= n:
            break
        if pair.family == "impossible" or canonical_lines(pair.program) in held_out:
            continue
        out = next_pair(_as_task(pair, i), random.Random(f"next:{seed}:{i}"))
        if out is None:
            continue
        prefix, suffix, middle, kind = out
        made[f"next:{kind}"] = made.get(f"next:{kind}", 0) + 1
        rows.append({"kind": "fim", "text": template.psm(prefix, suffix) + middle + end, "path": "blocks/next",
                     "language": "scratch-blocks", "families": [f"next:{kind}"]})
    return rows, made
