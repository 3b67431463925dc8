"""Describe what a block program does, in plain words, without a model.

Two parts. What the blocks say, read from the tree: each script as a sentence ("When the green
flag is clicked, it puts the pen down, then 6 times: moves 50 steps and turns right 60 degrees").
What running it shows, read from the interpreter's trace: how many lines it draws and how long,
which closed shapes they make, what it says, thinks and asks. The second part is what a child
sees on the stage, so it catches what the first cannot (a square drawn by a loop of 4).

``codehone blocks explain --model`` gives both to a model and asks it to say it more simply;
this module is the part that is always right.
"""

from __future__ import annotations

import re

from codehone.blocks.lang.catalog import Catalog, load_catalog
from codehone.blocks.lang.nodes import Call, Define, Expr, Num, Program, Str, proc_label
from codehone.blocks.lang.printer import DEFAULT_SPRITE, format_expr
from codehone.blocks.runtime import geometry as geo
from codehone.blocks.runtime.interpreter import run_program

__all__ = ["describe_program", "describe_trace", "explain_program", "explain_messages"]

_HATS = {
    "event_whenflagclicked": "When the green flag is clicked",
    "event_whenkeypressed": "When the {0} key is pressed",
    "event_whenthisspriteclicked": "When the sprite is clicked",
    "event_whenbroadcastreceived": "When it receives the message {0}",
}

# Statement phrases; {0}, {1}... are the arguments as described by _value.
_STEPS = {
    "motion_movesteps": "moves {0} steps", "motion_turnright": "turns right {0} degrees",
    "motion_turnleft": "turns left {0} degrees", "motion_goto": "goes to {0}",
    "motion_gotoxy": "goes to x {0}, y {1}", "motion_glidesecstoxy": "glides for {0} seconds to x {1}, y {2}",
    "motion_pointindirection": "points in direction {0}", "motion_pointtowards": "points towards {0}",
    "motion_changexby": "changes x by {0}", "motion_setx": "sets x to {0}", "motion_changeyby": "changes y by {0}",
    "motion_sety": "sets y to {0}", "motion_ifonedgebounce": "bounces if it is on the edge",
    "motion_setrotationstyle": "sets its rotation style to {0}",
    "looks_sayforsecs": "says {0} for {1} seconds", "looks_say": "says {0}",
    "looks_thinkforsecs": "thinks {0} for {1} seconds", "looks_think": "thinks {0}",
    "looks_show": "shows itself", "looks_hide": "hides", "looks_switchcostumeto": "switches to costume {0}",
    "looks_nextcostume": "switches to the next costume", "looks_changesizeby": "changes its size by {0}",
    "looks_setsizeto": "sets its size to {0}%", "looks_changeeffectby": "changes the {0} effect by {1}",
    "looks_seteffectto": "sets the {0} effect to {1}", "looks_cleargraphiceffects": "clears graphic effects",
    "pen_clear": "erases all pen drawings", "pen_stamp": "stamps its picture", "pen_penDown": "puts the pen down",
    "pen_penUp": "lifts the pen up", "pen_setPenColorToColor": "sets the pen colour to {0}",
    "pen_changePenColorParamBy": "changes the pen {0} by {1}", "pen_setPenColorParamTo": "sets the pen {0} to {1}",
    "pen_changePenSizeBy": "changes the pen size by {0}", "pen_setPenSizeTo": "sets the pen size to {0}",
    "control_wait": "waits {0} seconds", "control_wait_until": "waits until {0}",
    "control_stop": "stops {0}", "sensing_askandwait": "asks {0} and waits for the answer",
    "sensing_resettimer": "resets the timer", "event_broadcast": "sends the message {0}",
    "event_broadcastandwait": "sends the message {0} and waits",
    "data_setvariableto": "sets {0} to {1}", "data_changevariableby": "changes {0} by {1}",
    "data_showvariable": "shows the variable {0}", "data_hidevariable": "hides the variable {0}",
}

_VALUES = {
    "motion_xposition": "its x position", "motion_yposition": "its y position", "motion_direction": "its direction",
    "looks_size": "its size", "sensing_answer": "the answer", "sensing_mousex": "the mouse's x",
    "sensing_mousey": "the mouse's y", "sensing_timer": "the timer", "sensing_mousedown": "the mouse is down",
    "sensing_touchingobject": "it touches {0}", "sensing_distanceto": "the distance to {0}",
    "sensing_keypressed": "the {0} key is pressed",
    "operator_add": "{0} + {1}", "operator_subtract": "{0} - {1}", "operator_multiply": "{0} * {1}",
    "operator_divide": "{0} / {1}", "operator_mod": "{0} mod {1}",
    "operator_random": "a random number from {0} to {1}", "operator_round": "{0} rounded",
    "operator_mathop": "the {0} of {1}", "operator_gt": "{0} > {1}", "operator_lt": "{0} < {1}",
    "operator_equals": "{0} = {1}", "operator_and": "{0} and {1}", "operator_or": "{0} or {1}",
    "operator_not": "not {0}", "operator_join": "{0} joined with {1}", "operator_letter_of": "letter {0} of {1}",
    "operator_length": "the length of {0}", "operator_contains": "{0} contains {1}",
    "data_variable": "{0}", "argument_reporter_string_number": "{0}", "argument_reporter_boolean": "{0}",
}


class _Describer:
    def __init__(self, cat: Catalog):
        self.cat = cat

    def value(self, e: Expr | str, nested: bool = False) -> str:
        if isinstance(e, Num):
            return e.text
        if isinstance(e, (Str, str)):
            text = e.value if isinstance(e, Str) else e
            return f'"{text}"'
        spec = self.cat.spec(e.opcode)
        words = _VALUES.get(e.opcode)
        if words is None:
            return format_expr(e, self.cat)
        args = [self.choice(a, s, nested=True) for a, s in zip(e.args, spec.args)]
        out = words.format(*args)
        return f"({out})" if nested and " " in out and e.opcode.startswith("operator_") else out

    def choice(self, a: Expr | str, s, nested: bool = False) -> str:  # noqa: ANN001 - an ArgSpec
        if isinstance(a, str):  # a field: variable names and menu choices read as words
            return f'"{a}"' if s.type == "broadcast" else s.to_text(a)
        if isinstance(a, Str) and s.type == "menu":
            return s.to_text(a.value)
        return self.value(a, nested=nested)

    def step(self, c: Call) -> str:
        spec = self.cat.spec(c.opcode)
        if c.opcode == "procedures_call":
            label = proc_label(str(c.args[0]), len(c.args) - 1) or str(c.args[0])
            args = ", ".join(self.value(a) for a in c.args[1:])
            return f'runs its block "{label}"' + (f" with {args}" if args else "")
        args = [self.choice(a, s) for a, s in zip(c.args, spec.args)]
        if c.opcode == "control_repeat":
            return self.loop(f"{args[0]} times", c.bodies[0] if c.bodies else ())
        if c.opcode == "control_forever":
            return self.loop("forever", c.bodies[0] if c.bodies else ())
        if c.opcode == "control_repeat_until":
            return self.loop(f"until {args[0]}", c.bodies[0] if c.bodies else ())
        if c.opcode in ("control_if", "control_if_else"):
            then = self.steps(c.bodies[0], inner=True) if c.bodies and c.bodies[0] else "does nothing"
            out = f"if {args[0]}, it {then}"
            if c.opcode == "control_if_else":
                other = self.steps(c.bodies[1], inner=True) if c.bodies[1] else "does nothing"
                out += f"; otherwise it {other}"
            return out
        words = _STEPS.get(c.opcode)
        return words.format(*args) if words else f"runs {format_expr(c, self.cat)}"

    def loop(self, head: str, body: tuple[Call, ...]) -> str:
        return f"{head}: {self.steps(body, inner=True)}" if body else f"{head}: nothing"

    def steps(self, body: tuple[Call, ...], inner: bool = False) -> str:
        parts = [self.step(c) for c in body]
        if not parts:
            return "does nothing"
        if inner:  # inside a loop: "moves 50 steps and turns right 60 degrees"
            return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        return ", then ".join(parts)

    def script(self, s) -> str:  # noqa: ANN001 - Script | Define
        if isinstance(s, Define):
            label = proc_label(s.proccode, len(s.argnames)) or s.proccode
            takes = f" (taking {', '.join(s.argnames)})" if s.argnames else ""
            return f'Its own block "{label}"{takes} {self.steps(s.body)}.'
        if s.hat is None:
            return f"A loose stack of blocks with no hat (it never runs) {self.steps(s.body)}."
        spec = self.cat.spec(s.hat.opcode)
        args = [self.choice(a, sp) for a, sp in zip(s.hat.args, spec.args)]
        head = _HATS.get(s.hat.opcode, "When {0}").format(*args)
        return f"{head}, it {self.steps(s.body)}." if s.body else f"{head}, it does nothing."


_ONE = re.compile(r"\b(-?1) (steps|seconds|degrees|times)\b")


def describe_program(program: Program, catalog: Catalog | None = None) -> str:
    """What the blocks say, one sentence per script, grouped by sprite when there are several."""
    d = _Describer(catalog or load_catalog())
    lines = []
    several = len(program.sprites) > 1 or program.sprites[0].name != DEFAULT_SPRITE
    for sprite in program.sprites:
        if several:
            lines.append(f"{sprite.name}:")
        for s in sprite.scripts:
            lines.append(("  " if several else "") + d.script(s))
        if not sprite.scripts:
            lines.append(("  " if several else "") + "It has no scripts.")
    return _ONE.sub(lambda m: f"{m.group(1)} {m.group(2)[:-1]}", "\n".join(lines))


def _shape_name(n: int) -> str:
    return {3: "triangle", 4: "four-sided shape", 5: "pentagon", 6: "hexagon", 8: "octagon"}.get(n, f"{n}-sided shape")


def describe_trace(trace: dict) -> str:
    """What running it from the green flag shows: drawing, speech, questions, and how it ended."""
    out = []
    segs = trace.get("segments", [])
    if segs:
        length = geo.path_length(segs)
        shapes = []
        for path in geo.paths(segs):
            for loop in geo.loops(path):
                sides, turns = geo.sides_and_turns(loop)
                n = len(loop)
                regular = n >= 3 and max(sides) - min(sides) <= 0.05 * max(sides)
                winding = round(abs(sum(turns)) / 360)
                if regular and winding >= 2:  # turning more than once round: a star polygon
                    shapes.append(f"a {n}-pointed star of side {sides[0]:.0f}")
                elif n == 4 and regular:
                    shapes.append(f"a square of side {sides[0]:.0f}")
                elif n > 12 and regular:
                    shapes.append(f"a circle-like shape of {n} sides")
                else:
                    shapes.append(("a regular " if regular else "a ") + _shape_name(n)
                                  + (f" of side {sides[0]:.0f}" if regular else ""))
        out.append(f"Running it draws {len(segs)} line{'s' * (len(segs) != 1)}, {length:.0f} steps long in all"
                   + (f", making {_list(shapes)}" if shapes else "") + ".")
    else:
        out.append("Running it draws nothing.")
    for key, verb in (("asked", "It asks"), ("said", "It says"), ("thought", "It thinks")):
        texts = trace.get(key, [])
        if texts:
            shown = _list([f'"{t}"' for t in texts[:4]]) + (f" and {len(texts) - 4} more" if len(texts) > 4 else "")
            out.append(f"{verb} {shown}.")
    if trace.get("stopped_by_cap"):
        out.append("It keeps going until the run is stopped (it loops forever or for a very long time).")
    return " ".join(out)


def _list(items: list[str]) -> str:
    if len(items) > 6:
        counts: dict[str, int] = {}
        for i in items:
            counts[i] = counts.get(i, 0) + 1
        items = [f"{k} ({v} times)" if v > 1 else k for k, v in counts.items()]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def explain_program(program: Program, answers: list[str] | None = None) -> str:
    """The deterministic explanation: the blocks, then what a run shows (answers feed ``ask``)."""
    trace = run_program(program, answers=answers or ["Alex"] * 8, max_steps=20_000, max_seconds=60)
    return describe_program(program) + "\n" + describe_trace(trace)


def explain_messages(program_text: str, description: str) -> list[dict]:
    """Chat messages asking a model to explain a program simply, given the deterministic description."""
    return [
        {"role": "system", "content": "You explain Scratch programs to children aged 8 to 12 in a few short, "
                                      "friendly sentences. Only say what the program really does."},
        {"role": "user", "content": f"Here is a Scratch program written as text:\n\n{program_text}\n"
                                    f"A careful reading of it says:\n{description}\n\n"
                                    "Explain what this program does, simply."},
    ]
