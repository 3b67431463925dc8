"""More kinds of request for the language pairs of :mod:`codehone.blocks.synth.languages`, so a
child's requests in Spanish, French, German and Portuguese cover about the range of programs the
English families do (:mod:`~codehone.blocks.synth.acting`, :mod:`~codehone.blocks.synth.talking`,
:mod:`~codehone.blocks.synth.drawing`), with the same checks:

- ``arrows``: arrow keys move the sprite, each key its own script (or one key), a text said;
- ``glide``: glide to (or go to) a place, then say something;
- ``size``: grow or shrink step by step, then say something;
- ``hide_show``: disappear, wait, reappear and say something;
- ``walk``: walk with the costume changing (an animation loop), then say something;
- ``dance``: say something, then dance forever (the run still goes at the cap);
- ``countdown``: count down from N to 1 with a variable, then say something;
- ``score``: a score variable goes up on each click, and the sprite says something;
- ``dialogue``: two sprites take turns, each its own line, ordered by a wait or a message;
- ``say_secs``, ``think_secs``: say or think something for N seconds;
- ``repeat_say``: say something N times;
- ``circle``: draw a circle with the pen, then say something.

Every program says something in the language asked for, so the language check applies to each.
The words are in :mod:`codehone.blocks.synth.languages_words`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Callable

from codehone.blocks.synth.languages_words import MORE_WORDS
from codehone.blocks.synth.program import Pair, c_block, num, program, q, script, sprites

__all__ = ["MORE_KINDS", "Ask", "make_more"]

# Kind, weight (the deck of :func:`codehone.blocks.synth.languages.language_pairs` holds each kind
# this many times).
MORE_KINDS = (("arrows", 2), ("glide", 2), ("size", 2), ("hide_show", 2), ("walk", 1), ("dance", 2),
              ("countdown", 2), ("score", 2), ("dialogue", 2), ("say_secs", 1), ("think_secs", 1),
              ("repeat_say", 2), ("circle", 2))

_KEYS = {"right": ("right arrow", "change_x_by({n})", 90), "left": ("left arrow", "change_x_by(-{n})", -90),
         "up": ("up arrow", "change_y_by({n})", 0), "down": ("down arrow", "change_y_by(-{n})", 180)}


@dataclass(frozen=True)
class Ask:
    """What a kind needs from :mod:`~codehone.blocks.synth.languages`: the pair's random draws,
    its language, ``fill(template, **values)`` (a request with a character of the language),
    ``dictated(text)`` (a text as the child writes it in a request), and the language's texts."""

    rng: random.Random
    lang: str
    fill: Callable[..., str]
    dictated: Callable[[str], str]
    texts: tuple[str, ...]
    thoughts: tuple[str, ...]

    def template(self, kind: str) -> str:
        return self.rng.choice(MORE_WORDS[self.lang][kind])

    def text(self, kind: str = "") -> str:
        """A text to say: the kind's own texts when it has some, else the language's."""
        return self.rng.choice(MORE_WORDS[self.lang].get(f"{kind}_texts") or self.texts)

    def pair(self, prompt: str, prog: str, check: dict, kind: str, answers=(), events=()) -> Pair:  # noqa: ANN001
        return Pair(f"lang_{self.lang}", prompt, prog, check, tuple(answers), tuple(events), kind)


def _said(a: Ask, text: str, secs: int = 2) -> str:
    return a.rng.choice((f"say({q(text)})", f"say_for_secs({q(text)}, {secs})"))


def _both(*checks: dict) -> dict:
    return {"check": "all_of", "checks": list(checks)}


def _arrows(a: Ask) -> Pair:
    n, text, times = a.rng.choice((5, 10, 15, 20)), a.text(), a.rng.choice((2, 3, 4))
    scripts: list[list[str]] = []
    if a.rng.random() < 0.3:  # one key: the text is said on that key
        direction = a.rng.choice(sorted(_KEYS))
        prompt = a.fill(a.template("arrow"), key=MORE_WORDS[a.lang]["keys"][direction], n=n, text=a.dictated(text))
        directions, on_key = [direction], [f"say({q(text)})"]
    else:
        direction = a.rng.choice(sorted(_KEYS))
        prompt = a.fill(a.template("arrows"), n=n, text=a.dictated(text))
        directions, on_key = ["right", "left", "up", "down"], []
        start = (["go_to_xy(0, 0)"] if a.rng.random() < 0.5 else []) + [_said(a, text)]
        scripts.append(script("when_flag_clicked()", start))
    for d in directions:
        key, change, heading = _KEYS[d]
        lines = [f"point_in_direction({heading})", f"move({n})"] if a.rng.random() < 0.3 else [change.format(n=n)]
        scripts.append(script(f"when_key_pressed({q(key)})", lines + on_key))
    events = tuple({"time": round(0.2 * (i + 1), 2), "key": _KEYS[direction][0]} for i in range(times))
    check = _both({"check": "moves", "direction": direction, "min_distance": n * times - 1},
                  {"check": "says", "text": text})
    return a.pair(prompt, program(*scripts), check, "arrows", events=events)


def _glide(a: Ask) -> Pair:
    x, y = a.rng.choice(range(-200, 201, 50)), a.rng.choice(range(-150, 151, 50))
    secs, text = a.rng.choice((1, 2, 3)), a.text()
    glide = a.rng.random() < 0.65
    template = a.template("glide" if glide else "goto")
    if glide:
        body = [f"glide_to_xy({secs}, {x}, {y})"]
    else:
        body = [f"go_to_xy({x}, {y})"] if a.rng.random() < 0.7 else [f"set_x({x})", f"set_y({y})"]
    if a.rng.random() < 0.3:
        body = ["go_to_xy(0, 0)"] + body
    body.append(_said(a, text))
    prompt = a.fill(template, x=x, y=y, secs=secs, text=a.dictated(text))
    check = _both({"check": "ends_at", "x": x, "y": y}, {"check": "says", "text": text})
    return a.pair(prompt, program(script("when_flag_clicked()", body)), check, "glide")


def _size(a: Ask) -> Pair:
    shrink = a.rng.random() < 0.4
    n, k, text = a.rng.choice((5, 10, 20)), a.rng.choice((2, 5, 10)), a.text()
    prompt = a.fill(a.template("shrink" if shrink else "grow"), n=n, text=a.dictated(text))
    inner = [f"change_size_by({'-' if shrink else ''}{k})"] + (["wait(0.1)"] if a.rng.random() < 0.5 else [])
    body = (["set_size_to(100)"] if a.rng.random() < 0.4 else []) + c_block(f"repeat({n})", inner) + [_said(a, text)]
    check = _both({"check": "grows", **({"shrink": True} if shrink else {})}, {"check": "says", "text": text})
    return a.pair(prompt, program(script("when_flag_clicked()", body)), check, "size")


def _hide_show(a: Ask) -> Pair:
    secs, text = a.rng.choice((1, 2, 3)), a.text("hide_show")
    prompt = a.fill(a.template("hide_show"), secs=secs, text=a.dictated(text))
    body = (["show()"] if a.rng.random() < 0.3 else []) + ["hide()", f"wait({secs})", "show()", _said(a, text)]
    check = _both({"check": "visible", "visible": True}, {"check": "finishes"}, {"check": "says", "text": text})
    return a.pair(prompt, program(script("when_flag_clicked()", body)), check, "hide_show")


def _walk(a: Ask) -> Pair:
    step, text = a.rng.choice((5, 10)), a.text()
    n = min(a.rng.choice((5, 8, 10, 20)), 200 // step)
    prompt = a.fill(a.template("walk"), n=n, text=a.dictated(text))
    inner = [f"move({step})", "next_costume()", f"wait({a.rng.choice(('0.1', '0.2'))})"]
    if a.rng.random() < 0.5:
        inner = inner[1:2] + inner[:1] + inner[2:]
    body = c_block(f"repeat({n})", inner) + [_said(a, text)]
    check = _both({"check": "moves", "direction": "right", "min_distance": 10}, {"check": "says", "text": text})
    return a.pair(prompt, program(script("when_flag_clicked()", body)), check, "walk")


def _dance(a: Ask) -> Pair:
    text, deg = a.text("dance"), a.rng.choice((10, 15, 20))
    prompt = a.fill(a.template("dance"), text=a.dictated(text))
    if a.rng.random() < 0.6:
        inner = [f"turn_right({deg})", "next_costume()", "wait(0.2)", f"turn_left({deg})", "next_costume()", "wait(0.2)"]
    else:
        inner = [f"move({a.rng.choice((5, 10))})", "if_on_edge_bounce()", "next_costume()", "wait(0.1)"]
    body = [f"say({q(text)})", *c_block("forever()", inner)]
    check = _both({"check": "runs_forever"}, {"check": "turns"}, {"check": "says", "text": text})
    return a.pair(prompt, program(script("when_flag_clicked()", body)), check, "dance")


def _countdown(a: Ask) -> Pair:
    n, text, var = a.rng.choice((3, 5, 10)), a.text("countdown"), MORE_WORDS[a.lang]["count_var"]
    prompt = a.fill(a.template("countdown"), n=n, text=a.dictated(text))
    pause = a.rng.choice(("wait(1)", "wait(0.5)"))
    inner = [f"say(variable({q(var)}))", pause] if a.rng.random() < 0.5 else [f"say_for_secs(variable({q(var)}), 1)"]
    body = [f"set_variable({q(var)}, {n})"] + c_block(f"repeat({n})", inner + [f"change_variable({q(var)}, -1)"]) + \
        [f"say({q(text)})"]
    check = {"check": "says_in_order", "texts": [str(n), str(n - 1), "1", text]}
    return a.pair(prompt, program(script("when_flag_clicked()", body)), check, "countdown")


def _score(a: Ask) -> Pair:
    var, text, times = a.rng.choice(MORE_WORDS[a.lang]["vars"]), a.text("score"), a.rng.choice((2, 3, 4, 5))
    prompt = a.fill(a.template("score"), var=var, text=a.dictated(text))
    start = script("when_flag_clicked()", [f"set_variable({q(var)}, 0)"] + (["show()"] if a.rng.random() < 0.3 else []))
    react = script("when_this_sprite_clicked()", [f"change_variable({q(var)}, 1)", f"say({q(text)})"])
    events = tuple({"time": round(0.3 * (i + 1), 2), "click": "Sprite1"} for i in range(times))
    check = _both({"check": "variable", "name": var, "equals": times}, {"check": "says", "text": text})
    return a.pair(prompt, program(start, react), check, "score", events=events)


def _dialogue(a: Ask) -> Pair:
    w = MORE_WORDS[a.lang]
    (name_a, who_a), (name_b, who_b) = a.rng.sample(list(w["animals"]), 2)
    line_a, line_b, secs = a.rng.choice(w["lines_a"]), a.rng.choice(w["lines_b"]), a.rng.choice((1, 2))
    if a.rng.random() < 0.5:  # the second sprite waits its turn
        first = [script("when_flag_clicked()", [f"say_for_secs({q(line_a)}, {secs})"])]
        second = [script("when_flag_clicked()", [f"wait({secs})", f"say_for_secs({q(line_b)}, {secs})"])]
    else:  # or is told to go by a message
        first = [script("when_flag_clicked()", [f"say_for_secs({q(line_a)}, {secs})", f"broadcast({q(w['message'])})"])]
        second = [script(f"when_i_receive({q(w['message'])})", [f"say_for_secs({q(line_b)}, {secs})"])]
    prompt = a.fill(a.template("dialogue"), a=who_a, b=who_b, line_a=a.dictated(line_a), line_b=a.dictated(line_b))
    return a.pair(prompt, sprites([(name_a, first), (name_b, second)]),
                  {"check": "takes_turns", "texts": [line_a, line_b]}, "dialogue")


def _secs(a: Ask, kind: str) -> Pair:
    think = kind == "think_secs"
    text, secs = a.rng.choice(a.thoughts if think else a.texts), a.rng.choice((2, 3, 4, 5))
    prompt = a.fill(a.template(kind), text=a.dictated(text), secs=secs)
    body = [f"{'think' if think else 'say'}_for_secs({q(text)}, {secs})"]
    check = _both({"check": "thinks" if think else "says", "text": text}, {"check": "finishes"})
    return a.pair(prompt, program(script("when_flag_clicked()", body)), check, kind)


def _repeat_say(a: Ask) -> Pair:
    text, n = a.text(), a.rng.choice((2, 3, 4, 5, 10))
    prompt = a.fill(a.template("repeat_say"), text=a.dictated(text), n=n)
    if a.rng.random() < 0.5:
        inner = [f"say_for_secs({q(text)}, {a.rng.choice(('1', '0.5', '2'))})"]
    else:
        inner = [f"say({q(text)})", f"wait({a.rng.choice(('1', '0.5'))})"] + \
            (['say("")', "wait(0.5)"] if a.rng.random() < 0.5 else [])
    check = _both({"check": "says", "text": text}, {"check": "says_count", "min": n})
    return a.pair(prompt, program(script("when_flag_clicked()", c_block(f"repeat({n})", inner))), check, "repeat_say")


def _circle(a: Ask) -> Pair:
    text = a.text()
    steps, turn, length = a.rng.choice(((36, 10, 4), (36, 10, 5), (36, 10, 3), (24, 15, 6), (72, 5, 2)))
    prompt = a.fill(a.template("circle"), text=a.dictated(text))
    start = (["erase_all()"] if a.rng.random() < 0.5 else []) + (["go_to_xy(0, 0)"] if a.rng.random() < 0.5 else [])
    body = start + ["pen_down()"] + c_block(f"repeat({steps})", [f"move({length})", f"turn_right({num(turn)})"]) + \
        (["pen_up()"] if a.rng.random() < 0.5 else []) + [_said(a, text)]
    check = _both({"check": "circle"}, {"check": "says", "text": text})
    return a.pair(prompt, program(script("when_flag_clicked()", body)), check, "circle")


_MAKERS: dict[str, Callable[[Ask], Pair]] = {
    "arrows": _arrows, "glide": _glide, "size": _size, "hide_show": _hide_show, "walk": _walk, "dance": _dance,
    "countdown": _countdown, "score": _score, "dialogue": _dialogue, "repeat_say": _repeat_say, "circle": _circle,
    "say_secs": lambda a: _secs(a, "say_secs"), "think_secs": lambda a: _secs(a, "think_secs"),
}


def make_more(a: Ask, kind: str) -> Pair:
    """One pair of ``kind`` (one of :data:`MORE_KINDS`) in ``a.lang``."""
    return _MAKERS[kind](a)
