"""What each block does, for :mod:`codehone.blocks.runtime.interpreter`.

Three tables keyed by opcode, each entry a plain function written next to its block so the
behaviour of a block is found by searching for its opcode:

- ``STATEMENTS``: blocks that finish at once, ``f(rt, thread, call)``;
- ``FLOW`` (:mod:`codehone.blocks.runtime.flow`): blocks that may yield (loops, waits, glides,
  asks, custom blocks), generators ``f(rt, thread, call, warp)``;
- ``REPORTERS``: values, ``f(rt, thread, call) -> value``.

A test checks that every opcode of the catalogue is in exactly one table. ``rt`` is the
interpreter's ``Runtime`` (:mod:`codehone.blocks.runtime.interpreter`); it is not imported here
because the interpreter imports this module.
"""

from __future__ import annotations

import math
from typing import Any, Callable

from codehone.blocks.lang.nodes import Call, Num
from codehone.blocks.runtime.flow import FLOW  # noqa: F401  (re-exported: the interpreter reads ops.FLOW)
from codehone.blocks.runtime.stage import STAGE_H, STAGE_W, limit_precision
from codehone.blocks.runtime.threads import StopAll, StopScript, Thread
from codehone.blocks.runtime.values import (compare, is_int_like, js_round, js_to_fixed, to_bool, to_number,
                                            to_string)


def _n(rt, th: Thread, c: Call, i: int) -> float:
    return to_number(rt.eval(th, c.args[i]))


def _s(rt, th: Thread, c: Call, i: int) -> str:
    return to_string(rt.eval(th, c.args[i]))


def _position_of(rt, th: Thread, target: str) -> tuple[float, float] | None:
    if target == "_mouse_":
        return rt.mouse
    if target == "_random_":
        return (js_round(STAGE_W * (rt.rng.random() - 0.5)), js_round(STAGE_H * (rt.rng.random() - 0.5)))
    other = rt.sprites.get(target)
    return (other.x, other.y) if other is not None else None


# ---------------------------------------------------------------------------- statements

def _goto(rt, th, c):
    pos = _position_of(rt, th, _s(rt, th, c, 0))
    if pos is not None:
        rt.move_to(th.sprite, *pos)


def _move(rt, th, c):
    # MathUtil.degToRad is deg * PI / 180, which can differ from math.radians in the last bit
    steps, rad = _n(rt, th, c, 0), (90 - th.sprite.direction) * math.pi / 180
    rt.move_to(th.sprite, th.sprite.x + steps * math.cos(rad), th.sprite.y + steps * math.sin(rad))


def _point_towards(rt, th, c):
    target = _s(rt, th, c, 0)
    if target == "_random_":
        rt.set_direction(th.sprite, js_round(rt.rng.random() * 360) - 180)
        return
    pos = _position_of(rt, th, target)
    if pos is not None:
        dx, dy = pos[0] - th.sprite.x, pos[1] - th.sprite.y
        rt.set_direction(th.sprite, 90 - math.atan2(dy, dx) * 180 / math.pi)  # MathUtil.radToDeg


def _bounce(rt, th, c):
    d = th.sprite.bounce_direction()
    if d is not None:
        rt.set_direction(th.sprite, d)
        rt.move_to(th.sprite, *th.sprite.keep_in_stage())


def _set_visible(visible: bool):
    def f(rt, th, c):
        th.sprite.visible = visible
        if visible:
            rt.request_redraw()  # hiding asks for none (RenderedTarget.setVisible)
        rt.record(th.sprite)
        rt.update_bubble(th.sprite, th.sprite.saying)  # looks show/hide re-render the bubble
    return f


def _set_size(rt, th, size: float):
    th.sprite.size = th.sprite.clamp_size(size)  # the sprite stays where it is, even past the fence
    rt.visual_change(th.sprite)


def _switch_costume(rt, th, c):
    """Every sprite has the one costume "costume1": its name, a number or next/previous costume
    select it (and redraw); any other name does nothing (``_setCostume``)."""
    value = rt.eval(th, c.args[0])
    text = to_string(value)
    if (isinstance(value, (int, float)) or text in ("costume1", "next costume", "previous costume")
            or (text.strip() and _looks_numeric(text))):
        rt.visual_change(th.sprite)


def _looks_numeric(text: str) -> bool:
    return to_number(text) != 0 or text.strip() in ("0", "0.0") or text.strip().lstrip("+-").startswith("0")


EFFECTS = frozenset({"color", "fisheye", "whirl", "pixelate", "mosaic", "brightness", "ghost"})


def _effect(change: bool):
    def f(rt, th, c):
        eff = str(c.args[0]).lower()
        if eff not in EFFECTS:
            return
        value = _n(rt, th, c, 1) + (th.sprite.effects.get(eff, 0.0) if change else 0.0)
        if eff == "ghost":
            value = max(0.0, min(100.0, value))
        elif eff == "brightness":
            value = max(-100.0, min(100.0, value))
        th.sprite.effects[eff] = value
        rt.visual_change(th.sprite)
    return f


def _clear_effects(rt, th, c):
    th.sprite.effects.clear()
    rt.visual_change(th.sprite)


def _rotation_style(rt, th, c):
    style = _s(rt, th, c, 0)
    if style in ("left-right", "don't rotate", "all around"):
        th.sprite.rotation_style = style
    rt.visual_change(th.sprite)


def _pen_down(rt, th, c):
    th.sprite.pen_down = True
    rt.dots.append([th.sprite.x, th.sprite.y])
    rt.request_redraw()


def _stamp(rt, th, c):
    rt.stamps.append([th.sprite.x, th.sprite.y])
    rt.request_redraw()


def _pen_clear(rt, th, c):
    rt.request_redraw()
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
    th.sprite.set_pen_hex(_s(rt, th, c, 0))


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
    asking = bool(rt.questions) and rt.questions[0][0].sprite is th.sprite
    rt.questions[:] = [q for q in rt.questions if q[0].sprite is not th.sprite]
    if asking:
        rt.update_bubble(th.sprite, "")
        if rt.questions:
            rt.show_question()


def _set_var(rt, th, c):
    rt.variables[str(c.args[0])] = rt.eval(th, c.args[1])


def _change_var(rt, th, c):
    name = str(c.args[0])
    rt.variables[name] = to_number(rt.variables.get(name, 0)) + _n(rt, th, c, 1)


def _reset_timer(rt, th, c):
    rt.timer_start_ms = rt.now_ms


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
    "motion_setrotationstyle": _rotation_style,
    "looks_say": lambda rt, th, c: rt.say(th.sprite, rt.eval(th, c.args[0])),
    "looks_think": lambda rt, th, c: rt.say(th.sprite, rt.eval(th, c.args[0]), "think"),
    "looks_show": _set_visible(True),
    "looks_hide": _set_visible(False),
    "looks_switchcostumeto": _switch_costume,
    "looks_nextcostume": lambda rt, th, c: rt.visual_change(th.sprite),  # one costume: the same one again
    "looks_changesizeby": lambda rt, th, c: _set_size(rt, th, th.sprite.size + _n(rt, th, c, 0)),
    "looks_setsizeto": lambda rt, th, c: _set_size(rt, th, _n(rt, th, c, 0)),
    "looks_changeeffectby": _effect(True),
    "looks_seteffectto": _effect(False),
    "looks_cleargraphiceffects": _clear_effects,
    "pen_clear": _pen_clear,
    "pen_stamp": _stamp,
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
    "event_broadcast": lambda rt, th, c: rt.broadcast(_s(rt, th, c, 0)),
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
    if pos is None:
        return 10000.0
    dx, dy = th.sprite.x - pos[0], th.sprite.y - pos[1]
    return math.sqrt(dx * dx + dy * dy)


def _int_like_arg(arg: Any, value: Any) -> bool:
    """A literal is judged by how it is written (``10.0`` is not whole: the slot holds "10.0")."""
    return "." not in arg.text if isinstance(arg, Num) else is_int_like(value)


def _random(rt, th, c) -> float:
    """``operator_random``: whole numbers when both bounds look whole (no ".")."""
    a, b = rt.eval(th, c.args[0]), rt.eval(th, c.args[1])
    lo, hi = sorted((to_number(a), to_number(b)))
    if lo == hi:
        return lo
    if _int_like_arg(c.args[0], a) and _int_like_arg(c.args[1], b):
        return lo + math.floor(rt.rng.random() * ((hi + 1) - lo))
    return rt.rng.random() * (hi - lo) + lo


def _divide(a: float, b: float) -> float:
    if b == 0:
        return math.nan if a == 0 else math.copysign(math.inf, a)
    return a / b


def _mod(a: float, b: float) -> float:
    if b == 0:
        return math.nan
    r = math.fmod(a, b)
    return r + b if r and (r < 0) != (b < 0) else r


def _fixed10(x: float) -> float:
    return float(js_to_fixed(x, 10)) if math.isfinite(x) else x


def _js_math(fn: Callable[[float], float], n: float, domain_error: float = math.nan) -> float:
    try:
        return fn(n)
    except ValueError:
        return domain_error
    except OverflowError:
        return math.inf


def _mathop(rt, th, c) -> float:
    """``operator_mathop`` as scratch-vm computes each one (``Math.*`` in the same order)."""
    op, n = c.args[0], _n(rt, th, c, 1)
    if op in ("sin", "cos"):
        fn = math.sin if op == "sin" else math.cos
        return _fixed10(fn(math.pi * n / 180)) if math.isfinite(n) else math.nan
    if op == "tan":
        if not math.isfinite(n):
            return math.nan
        m = math.fmod(n, 360)
        if m in (90, -270):
            return math.inf
        if m in (-90, 270):
            return -math.inf
        return _fixed10(math.tan(math.pi * m / 180))
    table: dict[str, Callable[[float], float]] = {
        "abs": abs, "floor": lambda v: float(math.floor(v)) if math.isfinite(v) else v,
        "ceiling": lambda v: float(math.ceil(v)) if math.isfinite(v) else v, "sqrt": math.sqrt,
        "asin": lambda v: math.asin(v) * 180 / math.pi, "acos": lambda v: math.acos(v) * 180 / math.pi,
        "atan": lambda v: math.atan(v) * 180 / math.pi,
        "ln": lambda v: -math.inf if v == 0 else math.log(v),
        "log": lambda v: -math.inf if v == 0 else math.log(v) / math.log(10),
        "e ^": math.exp, "10 ^": lambda v: math.pow(10, v),
    }
    return float(_js_math(table[str(op)], n)) if op in table else 0.0


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
    "looks_size": lambda rt, th, c: js_round(th.sprite.size),
    "sensing_touchingobject": _touching,
    "sensing_distanceto": _distance_to,
    "sensing_answer": lambda rt, th, c: rt.answer,
    "sensing_keypressed": lambda rt, th, c: _s(rt, th, c, 0) in rt.keys_down or
    (_s(rt, th, c, 0) == "any" and bool(rt.keys_down)),
    "sensing_mousedown": lambda rt, th, c: False,
    "sensing_mousex": lambda rt, th, c: float(rt.mouse[0]),
    "sensing_mousey": lambda rt, th, c: float(rt.mouse[1]),
    "sensing_timer": lambda rt, th, c: (rt.now_ms - rt.timer_start_ms) / 1000,
    "operator_add": lambda rt, th, c: _n(rt, th, c, 0) + _n(rt, th, c, 1),
    "operator_subtract": lambda rt, th, c: _n(rt, th, c, 0) - _n(rt, th, c, 1),
    "operator_multiply": lambda rt, th, c: _n(rt, th, c, 0) * _n(rt, th, c, 1),
    "operator_divide": lambda rt, th, c: _divide(_n(rt, th, c, 0), _n(rt, th, c, 1)),
    "operator_mod": lambda rt, th, c: _mod(_n(rt, th, c, 0), _n(rt, th, c, 1)),
    "operator_random": _random,
    "operator_round": lambda rt, th, c: js_round(_n(rt, th, c, 0)),
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
