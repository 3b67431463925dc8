"""Calls -> blocks, for the turtle transpiler: the turtle API, ``print`` and the program's own functions.

A turtle method becomes its motion, pen or looks block (``forward`` -> ``move``, ``setheading``
turned from turtle's east-counter-clockwise to Scratch's north-clockwise); ``circle`` becomes the
same polygon CPython draws; colours must be known when transpiling; calls to the program's
functions become custom-block calls, dropping the parameter that carries the turtle.
"""

from __future__ import annotations

import ast
import math

from codehone.blocks.lang.nodes import Call, Num, Str
from codehone.blocks.turtle.context import (
    _MOVES, _PEN, _QUERIES, _QUIET, _SCREEN, _TURTLE_API, BLACK, Context, TurtleError, _b, _Func, _NotConst, _num,
    _r6, _turn,
)
from codehone.blocks.turtle.expressions import expr, literal, neg, number
from codehone.blocks.turtle.record import color_hex

def call_stmt(cx: Context, node: ast.Call) -> list[Call]:
    line = node.lineno
    fn = node.func
    if isinstance(fn, ast.Name) and fn.id in cx.funcs:
        return [_call_func(cx, node, cx.funcs[fn.id])]
    if isinstance(fn, ast.Name) and fn.id == "print":
        return [_print(cx, node)]
    kind = cx.turtle_call(node)
    what = f"{ast.unparse(fn)}()"
    if kind is None:
        raise TurtleError(line, f"{what} has no block equivalent")
    owner, method = kind
    if owner in ("new-turtle", "new-screen"):
        if owner == "new-turtle":
            raise TurtleError(line, f"{what} makes a turtle nobody keeps; use t = {what}")
        return []
    allowed = _SCREEN if owner == "screen" else _TURTLE_API
    if method not in allowed:
        raise TurtleError(line, f"{what} has no block equivalent")
    if owner == "module" and method in _MOVES | _PEN | _QUERIES:
        if cx.made_turtle:
            raise TurtleError(line, f"{what} draws with a second turtle beside the one made with Turtle(); "
                                    "a Scratch sprite is one turtle")
        cx.used_default = True
    if any(k.arg is None for k in node.keywords) or any(isinstance(a, ast.Starred) for a in node.args):
        raise TurtleError(line, f"{what} with *args/**kwargs has no block equivalent")
    if method == "bgcolor":
        raise TurtleError(line, f"{what}: the stage background has no pen block to set it")
    if method == "colormode":
        return _colormode(cx, node, what)
    if method in _QUIET:
        return []
    if method in _QUERIES:
        raise TurtleError(line, f"{what} on its own line does nothing")
    return _turtle_stmt(cx, method, node, what)


def _call_func(cx: Context, node: ast.Call, f: _Func) -> Call:
    if any(k.arg is None for k in node.keywords) or any(isinstance(a, ast.Starred) for a in node.args):
        raise TurtleError(node.lineno, f"{f.node.name}(): *args/**kwargs calls have no block equivalent")
    given = dict(zip(f.params, node.args))
    for k in node.keywords:
        if k.arg not in f.params or k.arg in given:
            raise TurtleError(node.lineno, f"{f.node.name}(): unexpected argument {k.arg!r}")
        given[k.arg] = k.value
    if len(given) != len(f.params):
        raise TurtleError(node.lineno, f"{f.node.name}() takes {len(f.params)} arguments, given {len(given)}")
    args = []
    for p in f.params:
        if p in f.turtle_params:
            if not (isinstance(given[p], ast.Name) and cx.is_turtle(given[p].id)):
                raise TurtleError(node.lineno, f"{f.node.name}(): {p!r} must be the turtle")
        else:
            args.append(expr(cx, given[p]))
    return _b("procedures_call", f.proccode, *args)


def _args(cx: Context, node: ast.Call, what: str, names: tuple[str, ...], need: int) -> list[ast.expr | None]:
    got: list[ast.expr | None] = list(node.args) + [None] * (len(names) - len(node.args))
    if len(node.args) > len(names):
        raise TurtleError(node.lineno, f"{what} takes at most {len(names)} arguments")
    for k in node.keywords:
        if k.arg not in names or got[names.index(k.arg)] is not None:
            raise TurtleError(node.lineno, f"{what}: unexpected argument {k.arg!r}")
        got[names.index(k.arg)] = k.value
    if any(g is None for g in got[:need]):
        raise TurtleError(node.lineno, f"{what} needs {need} argument{'s' if need != 1 else ''}")
    return got


def _turtle_stmt(cx: Context, m: str, node: ast.Call, what: str) -> list[Call]:
    line = node.lineno
    one = lambda name: expr(cx, _args(cx, node, what, (name,), 1)[0])  # noqa: E731
    if m in ("forward", "fd"):
        return [_b("motion_movesteps", one("distance"))]
    if m in ("backward", "back", "bk"):
        return [_b("motion_movesteps", neg(cx, one("distance")))]
    if m in ("right", "rt"):
        return [_b("motion_turnright", one("angle"))]
    if m in ("left", "lt"):
        return [_b("motion_turnleft", one("angle"))]
    if m in ("goto", "setpos", "setposition"):
        x, y = _args(cx, node, what, ("x", "y"), 1)
        if y is None:
            if not (isinstance(x, (ast.Tuple, ast.List)) and len(x.elts) == 2):
                raise TurtleError(line, f"{what} with one argument needs an (x, y) pair written out")
            x, y = x.elts
        return [_b("motion_gotoxy", expr(cx, x), expr(cx, y))]
    if m == "setx":
        return [_b("motion_setx", one("x"))]
    if m == "sety":
        return [_b("motion_sety", one("y"))]
    if m in ("setheading", "seth"):
        arg = _args(cx, node, what, ("to_angle",), 1)[0]
        try:
            h = number(cx, arg)
            return [_b("motion_pointindirection", _num(_r6((90 - h + 179) % 360 - 179)))]
        except _NotConst:
            return [_b("motion_pointindirection", _b("operator_subtract", Num("90"), expr(cx, arg)))]
    if m == "home":
        _args(cx, node, what, (), 0)
        return [_b("motion_gotoxy", Num("0"), Num("0")), _b("motion_pointindirection", Num("90"))]
    if m == "circle":
        return _circle(cx, node, what)
    if m in ("penup", "pu", "up"):
        return [_b("pen_penUp")]
    if m in ("pendown", "pd", "down"):
        return [_b("pen_penDown")]
    if m in ("pencolor", "color"):
        return [_b("pen_setPenColorToColor", Str(_color(cx, node, what, m == "color")))]
    if m == "fillcolor":
        return []  # fills are refused (begin_fill), so the fill colour never shows
    if m in ("pensize", "width"):
        return [_b("pen_setPenSizeTo", one("width"))]
    if m == "clear":
        return [_b("pen_clear")]
    if m == "reset":
        return [_b("pen_clear"), _b("pen_penUp"), _b("motion_gotoxy", Num("0"), Num("0")),
                _b("motion_pointindirection", Num("90")), _b("pen_setPenColorToColor", Str(BLACK)),
                _b("pen_setPenSizeTo", Num("1")), _b("looks_show"), _b("pen_penDown")]
    if m in ("hideturtle", "ht"):
        return [_b("looks_hide")]
    if m in ("showturtle", "st"):
        return [_b("looks_show")]
    raise TurtleError(line, f"{what} has no block equivalent")  # pragma: no cover - sets above are complete


def _circle(cx: Context, node: ast.Call, what: str) -> list[Call]:
    """CPython's ``circle``: ``steps`` sides of length ``l``, turning ``w`` after each, with a
    half turn ``w/2`` before the first side and back after the last (the polygon is inscribed)."""
    r_node, extent_node, steps_node = _args(cx, node, what, ("radius", "extent", "steps"), 1)
    try:
        radius = number(cx, r_node)
        extent = 360.0 if extent_node is None or _is_none(extent_node) else number(cx, extent_node)
        steps = None if steps_node is None or _is_none(steps_node) else number(cx, steps_node)
    except _NotConst:
        raise TurtleError(node.lineno, f"{what} needs numbers known before the program runs (a number or a "
                                       "variable set once): the sides of the polygon are worked out "
                                       "from them") from None
    if steps is None:
        frac = abs(extent) / 360.0
        steps = 1 + int(min(11 + abs(radius) / 6.0, 59.0) * frac)
    if not isinstance(steps, int) or steps < 1:
        raise TurtleError(node.lineno, f"{what}: steps must be a whole number of at least 1")
    w = 1.0 * extent / steps
    w2 = 0.5 * w
    side = 2.0 * radius * math.sin(math.radians(w2))
    if radius < 0:
        side, w, w2 = -side, -w, -w2
    loop = [_b("motion_movesteps", _num(_r6(side)))] + _turn(w)
    return _turn(w2) + [_b("control_repeat", _num(steps), bodies=(loop,))] + _turn(-w2)


def _color(cx: Context, node: ast.Call, what: str, both: bool) -> str:
    if node.keywords:
        raise TurtleError(node.lineno, f"{what} with keywords has no block equivalent")
    args = list(node.args)
    if not args:
        raise TurtleError(node.lineno, f"{what} without a colour only reads it")
    try:
        values = tuple(literal(cx, a) for a in args)
    except _NotConst:
        raise TurtleError(node.lineno, f"{what}: only colours written in the program (names, \"#rrggbb\", "
                                       "(r, g, b)) can be turned into a pen colour block") from None
    if both and len(values) == 2 and not all(isinstance(v, (int, float)) for v in values):
        values = values[:1]  # color(pen, fill): fills are not drawn
    try:
        return color_hex(values, cx.colormode)
    except ValueError as e:
        raise TurtleError(node.lineno, f"{what}: {e}") from None


def _colormode(cx: Context, node: ast.Call, what: str) -> list[Call]:
    if cx.scope.func is not None or not node.args:
        raise TurtleError(node.lineno, f"{what}: only colormode(1.0) or colormode(255) at the top of the "
                                       "program is supported")
    try:
        v = literal(cx, node.args[0])
    except _NotConst:
        raise TurtleError(node.lineno, f"{what} needs 1.0 or 255 written out") from None
    if v in (1.0, 255):
        cx.colormode = 255 if v == 255 else 1.0
    return []


def _print(cx: Context, node: ast.Call) -> Call:
    if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
        raise TurtleError(node.lineno, "print() with keywords or *args has no block equivalent")
    parts = [expr(cx, a) for a in node.args]
    if not parts:
        return _b("looks_say", Str(""))
    text = parts[0]
    for p in parts[1:]:
        text = _b("operator_join", _b("operator_join", text, Str(" ")), p)
    return _b("looks_say", text)


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None
