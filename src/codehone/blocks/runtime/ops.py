"""What each block does, for :mod:`codehone.blocks.runtime.interpreter`.

Three tables keyed by opcode, each entry a plain function written next to its block so the
behaviour of a block is found by searching for its opcode:

- ``STATEMENTS``: blocks that finish at once, ``f(rt, thread, call)``;
- ``FLOW``: blocks that may yield (loops, waits, glides, asks, custom blocks), generators
  ``f(rt, thread, call, warp)``; each ``yield`` gives the turn to the next thread;
- ``REPORTERS``: values, ``f(rt, thread, call) -> value``.

A test checks that every opcode of the catalogue is in exactly one table. ``rt`` is the
interpreter's ``Runtime`` (:mod:`codehone.blocks.runtime.interpreter`); it is not imported here
because the interpreter imports this module.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Iterator

from codehone.blocks.lang.nodes import Call
from codehone.blocks.runtime.stage import STAGE_H, STAGE_W, limit_precision
from codehone.blocks.runtime.threads import StopAll, StopScript, Thread
from codehone.blocks.runtime.values import compare, is_int_like, to_bool, to_number, to_string


def _n(rt, th: Thread, c: Call, i: int) -> float:
    return to_number(rt.eval(th, c.args[i]))


def _s(rt, th: Thread, c: Call, i: int) -> str:
    return to_string(rt.eval(th, c.args[i]))


def _position_of(rt, th: Thread, target: str) -> tuple[float, float] | None:
    if target == "_mouse_":
        return rt.mouse
    if target == "_random_":
        return (round(STAGE_W * (rt.rng.random() - 0.5)), round(STAGE_H * (rt.rng.random() - 0.5)))
    other = rt.sprites.get(target)
    return (other.x, other.y) if other is not None else None


# ---------------------------------------------------------------------------- statements

def _goto(rt, th, c):
    pos = _position_of(rt, th, _s(rt, th, c, 0))
    if pos is not None:
        rt.move_to(th.sprite, *pos)


def _move(rt, th, c):
    steps, rad = _n(rt, th, c, 0), math.radians(90 - th.sprite.direction)
    rt.move_to(th.sprite, th.sprite.x + steps * math.cos(rad), th.sprite.y + steps * math.sin(rad))


def _point_towards(rt, th, c):
    target = _s(rt, th, c, 0)
    if target == "_random_":
        rt.set_direction(th.sprite, rt.rng.randint(1, 360))
        return
    pos = _position_of(rt, th, target)
    if pos is not None:
        dx, dy = pos[0] - th.sprite.x, pos[1] - th.sprite.y
        rt.set_direction(th.sprite, 90 - math.degrees(math.atan2(dy, dx)))


def _bounce(rt, th, c):
    d = th.sprite.bounce_direction()
    if d is not None:
        rt.set_direction(th.sprite, d)
        rt.move_to(th.sprite, *th.sprite.keep_in_stage())


def _set_visible(visible: bool):
    def f(rt, th, c):
        th.sprite.visible = visible
        rt.record(th.sprite)
    return f


def _set_size(rt, th, size: float):
    th.sprite.size = th.sprite.clamp_size(size)
    rt.move_to(th.sprite, th.sprite.x, th.sprite.y)  # a bigger sprite may need re-fencing
    rt.record(th.sprite)


def _switch_costume(rt, th, c):
    th.sprite.costume = _s(rt, th, c, 0)
    rt.record(th.sprite)


def _effect(change: bool):
    def f(rt, th, c):
        eff = str(c.args[0]).lower()
        value = _n(rt, th, c, 1)
        th.sprite.effects[eff] = th.sprite.effects.get(eff, 0.0) + value if change else value
    return f


def _pen_down(rt, th, c):
    th.sprite.pen_down = True
    rt.dots.append([th.sprite.x, th.sprite.y])


def _pen_clear(rt, th, c):
    rt.segments.clear()
    rt.segment_pens.clear()
    rt.dots.clear()
    rt.stamps.clear()
    rt.pen_clears += 1


def _pen_color_param(change: bool):
    def f(rt, th, c):
        param = _s(rt, th, c, 0)
        i = {"color": 0, "saturation": 1, "brightness": 2, "transparency": 3}.get(param)
        if i is not None:
            value = _n(rt, th, c, 1)
            th.sprite.set_pen_param(param, th.sprite.pen_color[i] + value if change else value)
    return f


def _pen_color(rt, th, c):
    value = _s(rt, th, c, 0)
    if len(value) == 7 and value.startswith("#"):
        try:
            th.sprite.set_pen_hex(value)
        except ValueError:
            pass


def _pen_size(change: bool):
    def f(rt, th, c):
        size = _n(rt, th, c, 0) + (th.sprite.pen_size if change else 0)
        th.sprite.pen_size = max(1.0, min(1200.0, size))
    return f


def _stop(rt, th, c):
    option = c.args[0]
    if option == "all":
        raise StopAll
    if option == "this script":
        raise StopScript
    for other in rt.threads:
        if other is not th and other.sprite is th.sprite:
            other.done = True


def _set_var(rt, th, c):
    rt.variables[str(c.args[0])] = rt.eval(th, c.args[1])


def _change_var(rt, th, c):
    name = str(c.args[0])
    rt.variables[name] = to_number(rt.variables.get(name, 0)) + _n(rt, th, c, 1)


def _reset_timer(rt, th, c):
    rt.timer_start = rt.now


STATEMENTS: dict[str, Callable[..., None]] = {
    "motion_movesteps": _move,
    "motion_turnright": lambda rt, th, c: rt.set_direction(th.sprite, th.sprite.direction + _n(rt, th, c, 0)),
    "motion_turnleft": lambda rt, th, c: rt.set_direction(th.sprite, th.sprite.direction - _n(rt, th, c, 0)),
    "motion_goto": _goto,
    "motion_gotoxy": lambda rt, th, c: rt.move_to(th.sprite, _n(rt, th, c, 0), _n(rt, th, c, 1)),
    "motion_pointindirection": lambda rt, th, c: rt.set_direction(th.sprite, _n(rt, th, c, 0)),
    "motion_pointtowards": _point_towards,
    "motion_changexby": lambda rt, th, c: rt.move_to(th.sprite, th.sprite.x + _n(rt, th, c, 0), th.sprite.y),
    "motion_setx": lambda rt, th, c: rt.move_to(th.sprite, _n(rt, th, c, 0), th.sprite.y),
    "motion_changeyby": lambda rt, th, c: rt.move_to(th.sprite, th.sprite.x, th.sprite.y + _n(rt, th, c, 0)),
    "motion_sety": lambda rt, th, c: rt.move_to(th.sprite, th.sprite.x, _n(rt, th, c, 0)),
    "motion_ifonedgebounce": _bounce,
    "motion_setrotationstyle": lambda rt, th, c: None,  # a round costume looks the same either way
    "looks_say": lambda rt, th, c: rt.say(th.sprite, _s(rt, th, c, 0)),
    "looks_think": lambda rt, th, c: rt.say(th.sprite, _s(rt, th, c, 0), "think"),
    "looks_show": _set_visible(True),
    "looks_hide": _set_visible(False),
    "looks_switchcostumeto": _switch_costume,
    "looks_nextcostume": lambda rt, th, c: None,  # one costume: the next costume is the same one
    "looks_changesizeby": lambda rt, th, c: _set_size(rt, th, th.sprite.size + _n(rt, th, c, 0)),
    "looks_setsizeto": lambda rt, th, c: _set_size(rt, th, _n(rt, th, c, 0)),
    "looks_changeeffectby": _effect(True),
    "looks_seteffectto": _effect(False),
    "looks_cleargraphiceffects": lambda rt, th, c: th.sprite.effects.clear(),
    "pen_clear": _pen_clear,
    "pen_stamp": lambda rt, th, c: rt.stamps.append([th.sprite.x, th.sprite.y]),
    "pen_penDown": _pen_down,
    "pen_penUp": lambda rt, th, c: setattr(th.sprite, "pen_down", False),
    "pen_setPenColorToColor": _pen_color,
    "pen_changePenColorParamBy": _pen_color_param(True),
    "pen_setPenColorParamTo": _pen_color_param(False),
    "pen_changePenSizeBy": _pen_size(True),
    "pen_setPenSizeTo": _pen_size(False),
    "control_stop": _stop,
    "data_setvariableto": _set_var,
    "data_changevariableby": _change_var,
    "data_showvariable": lambda rt, th, c: None,  # monitors are not drawn
    "data_hidevariable": lambda rt, th, c: None,
    "sensing_resettimer": _reset_timer,
}


# ---------------------------------------------------------------------------- flow (may yield)

def _wait_seconds(rt, seconds: float) -> Iterator[None]:
    """Scratch's timed wait: always yields at least once, then until the time has passed."""
    end = rt.now + seconds
    yield
    while rt.now < end - 1e-9:
        yield


def _repeat(rt, th, c, warp):
    times = math.floor(_n(rt, th, c, 0) + 0.5)
    for _ in range(max(0, times)):
        yield from rt.run_body(th, c.bodies[0], warp)
        if not warp:
            yield


def _forever(rt, th, c, warp):
    while True:
        yield from rt.run_body(th, c.bodies[0], warp)
        if not warp:
            yield
        else:
            rt.step()  # an empty forever in warp mode must still reach the step cap


def _repeat_until(rt, th, c, warp):
    while not to_bool(rt.eval(th, c.args[0])):
        yield from rt.run_body(th, c.bodies[0], warp)
        if not warp:
            yield
        else:
            rt.step()


def _if(rt, th, c, warp):
    if to_bool(rt.eval(th, c.args[0])):
        yield from rt.run_body(th, c.bodies[0], warp)


def _if_else(rt, th, c, warp):
    yield from rt.run_body(th, c.bodies[0 if to_bool(rt.eval(th, c.args[0])) else 1], warp)


def _wait(rt, th, c, warp):
    yield from _wait_seconds(rt, _n(rt, th, c, 0))


def _wait_until(rt, th, c, warp):
    while not to_bool(rt.eval(th, c.args[0])):
        yield


def _say_for(kind: str):
    def f(rt, th, c, warp):
        text = _s(rt, th, c, 0)
        rt.say(th.sprite, text, kind)
        yield from _wait_seconds(rt, _n(rt, th, c, 1))
        if th.sprite.saying == text:
            th.sprite.saying = ""
    return f


def _glide(rt, th, c, warp):
    secs, x1, y1 = _n(rt, th, c, 0), _n(rt, th, c, 1), _n(rt, th, c, 2)
    x0, y0, start = th.sprite.x, th.sprite.y, rt.now
    if secs > 0:
        yield
        while (elapsed := rt.now - start) < secs:
            frac = elapsed / secs
            rt.move_to(th.sprite, x0 + frac * (x1 - x0), y0 + frac * (y1 - y0))
            yield
    rt.move_to(th.sprite, x1, y1)


def _ask(rt, th, c, warp):
    question = _s(rt, th, c, 0)
    rt.asked.append(question)
    rt.event("ask", th.sprite, question)
    yield  # waiting for the person to type
    if rt.answers:
        rt.answer = rt.answers.pop(0)
    else:
        rt.answer = ""
        rt.notes.append(f"no answer left for the question {question!r}; answered with empty text")
    rt.answers_used.append(rt.answer)
    rt.event("answer", th.sprite, rt.answer)


def _broadcast(wait: bool):
    def f(rt, th, c, warp):
        started = rt.broadcast(_s(rt, th, c, 0))
        if wait:
            yield
            while any(not t.done for t in started):
                yield
    return f


FLOW: dict[str, Callable[..., Iterator[None]]] = {
    "control_repeat": _repeat,
    "control_forever": _forever,
    "control_repeat_until": _repeat_until,
    "control_if": _if,
    "control_if_else": _if_else,
    "control_wait": _wait,
    "control_wait_until": _wait_until,
    "looks_sayforsecs": _say_for("say"),
    "looks_thinkforsecs": _say_for("think"),
    "motion_glidesecstoxy": _glide,
    "sensing_askandwait": _ask,
    "event_broadcast": _broadcast(False),
    "event_broadcastandwait": _broadcast(True),
    "procedures_call": lambda rt, th, c, warp: rt.call_proc(th, c, warp),
}


# ---------------------------------------------------------------------------- reporters

def _touching(rt, th, c) -> bool:
    me, target = th.sprite, _s(rt, th, c, 0)
    if not me.visible:
        return False
    if target == "_edge_":
        return me.touching_edge()
    if target == "_mouse_":
        return math.dist((me.x, me.y), rt.mouse) <= me.radius
    other = rt.sprites.get(target)
    if other is None or other is me or not other.visible:
        return False
    return math.dist((me.x, me.y), (other.x, other.y)) <= me.radius + other.radius


def _distance_to(rt, th, c) -> float:
    pos = _position_of(rt, th, _s(rt, th, c, 0))
    return 10000.0 if pos is None else math.dist((th.sprite.x, th.sprite.y), pos)


def _random(rt, th, c) -> float:
    a, b = rt.eval(th, c.args[0]), rt.eval(th, c.args[1])
    lo, hi = sorted((to_number(a), to_number(b)))
    if is_int_like(a) and is_int_like(b):
        return float(rt.rng.randint(int(lo), int(hi)))
    return lo + rt.rng.random() * (hi - lo)


def _divide(a: float, b: float) -> float:
    if b == 0:
        return math.nan if a == 0 else math.copysign(math.inf, a)
    return a / b


def _mod(a: float, b: float) -> float:
    if b == 0:
        return math.nan
    r = math.fmod(a, b)
    return r + b if r and (r < 0) != (b < 0) else r


def _mathop(rt, th, c) -> float:
    op, n = c.args[0], _n(rt, th, c, 1)
    try:
        if op in ("sin", "cos"):
            return round((math.sin if op == "sin" else math.cos)(math.radians(n)), 10)
        if op == "tan":
            m = n % 360
            return math.inf if m == 90 else -math.inf if m == 270 else round(math.tan(math.radians(n)), 10)
        table: dict[str, Callable[[float], float]] = {
            "abs": abs, "floor": math.floor, "ceiling": math.ceil, "sqrt": math.sqrt,
            "asin": lambda v: math.degrees(math.asin(v)), "acos": lambda v: math.degrees(math.acos(v)),
            "atan": lambda v: math.degrees(math.atan(v)), "ln": math.log, "log": math.log10,
            "e ^": math.exp, "10 ^": lambda v: 10 ** v,
        }
        return float(table[str(op)](n)) if op in table else 0.0
    except (ValueError, OverflowError):
        if op in ("ln", "log") and n == 0:
            return -math.inf
        return math.inf if op in ("e ^", "10 ^") else math.nan


def _letter_of(rt, th, c) -> str:
    i, text = int(_n(rt, th, c, 0)), _s(rt, th, c, 1)
    return text[i - 1] if 1 <= i <= len(text) else ""


def _arg(rt, th, c) -> Any:
    frame = th.args[-1] if th.args else {}
    default = False if c.opcode == "argument_reporter_boolean" else 0
    return frame.get(str(c.args[0]), default)


REPORTERS: dict[str, Callable[..., Any]] = {
    "motion_xposition": lambda rt, th, c: limit_precision(th.sprite.x),
    "motion_yposition": lambda rt, th, c: limit_precision(th.sprite.y),
    "motion_direction": lambda rt, th, c: th.sprite.direction,
    "looks_size": lambda rt, th, c: float(round(th.sprite.size)),
    "sensing_touchingobject": _touching,
    "sensing_distanceto": _distance_to,
    "sensing_answer": lambda rt, th, c: rt.answer,
    "sensing_keypressed": lambda rt, th, c: _s(rt, th, c, 0) in rt.keys_down or
    (_s(rt, th, c, 0) == "any" and bool(rt.keys_down)),
    "sensing_mousedown": lambda rt, th, c: False,
    "sensing_mousex": lambda rt, th, c: float(rt.mouse[0]),
    "sensing_mousey": lambda rt, th, c: float(rt.mouse[1]),
    "sensing_timer": lambda rt, th, c: rt.now - rt.timer_start,
    "operator_add": lambda rt, th, c: _n(rt, th, c, 0) + _n(rt, th, c, 1),
    "operator_subtract": lambda rt, th, c: _n(rt, th, c, 0) - _n(rt, th, c, 1),
    "operator_multiply": lambda rt, th, c: _n(rt, th, c, 0) * _n(rt, th, c, 1),
    "operator_divide": lambda rt, th, c: _divide(_n(rt, th, c, 0), _n(rt, th, c, 1)),
    "operator_mod": lambda rt, th, c: _mod(_n(rt, th, c, 0), _n(rt, th, c, 1)),
    "operator_random": _random,
    "operator_round": lambda rt, th, c: float(math.floor(_n(rt, th, c, 0) + 0.5)),
    "operator_mathop": _mathop,
    "operator_gt": lambda rt, th, c: compare(rt.eval(th, c.args[0]), rt.eval(th, c.args[1])) > 0,
    "operator_lt": lambda rt, th, c: compare(rt.eval(th, c.args[0]), rt.eval(th, c.args[1])) < 0,
    "operator_equals": lambda rt, th, c: compare(rt.eval(th, c.args[0]), rt.eval(th, c.args[1])) == 0,
    "operator_and": lambda rt, th, c: to_bool(rt.eval(th, c.args[0])) and to_bool(rt.eval(th, c.args[1])),
    "operator_or": lambda rt, th, c: to_bool(rt.eval(th, c.args[0])) or to_bool(rt.eval(th, c.args[1])),
    "operator_not": lambda rt, th, c: not to_bool(rt.eval(th, c.args[0])),
    "operator_join": lambda rt, th, c: _s(rt, th, c, 0) + _s(rt, th, c, 1),
    "operator_letter_of": _letter_of,
    "operator_length": lambda rt, th, c: float(len(_s(rt, th, c, 0))),
    "operator_contains": lambda rt, th, c: _s(rt, th, c, 1).lower() in _s(rt, th, c, 0).lower(),
    "data_variable": lambda rt, th, c: rt.variables.get(str(c.args[0]), 0),
    "argument_reporter_string_number": _arg,
    "argument_reporter_boolean": _arg,
}

# Hats and the custom-block definition never execute as statements; the interpreter starts
# scripts from them. Listed so the catalogue test can check every opcode is accounted for.
HATS = frozenset({"event_whenflagclicked", "event_whenkeypressed", "event_whenthisspriteclicked",
                  "event_whenbroadcastreceived", "procedures_definition", "procedures_prototype"})
