"""Python statements -> stacks of blocks, for the turtle transpiler.

Imports and the turtle's construction bind names and draw nothing; assignments to module
variables become Scratch variables; ``for i in range(...)`` becomes ``repeat`` (with a counter
variable when the body reads ``i``), ``for c in [constants]`` is unrolled, ``while cond`` becomes
``repeat_until(not_(...))``; ``if``/``elif``/``else`` become if blocks; a bare ``return`` inside a
function stops the custom block.
"""

from __future__ import annotations

import ast

from codehone.blocks.lang.nodes import Call, Expr
from codehone.blocks.turtle.calls import call_stmt
from codehone.blocks.turtle.context import (
    _SCREEN_CTORS, _TURTLE_API, _TURTLE_CTORS, MAX_UNROLL, Context, TurtleError, _b, _NotConst, _num,
)
from codehone.blocks.turtle.expressions import binop, cond, expr, literal, neg

def stmts(cx: Context, nodes: list[ast.stmt], top: bool = False) -> list[Call]:
    out: list[Call] = []
    for node in nodes:
        out.extend(_stmt(cx, node, top))
    return out


def _stmt(cx: Context, node: ast.stmt, top: bool) -> list[Call]:
    line = node.lineno
    if isinstance(node, ast.Import):
        for a in node.names:
            if a.name != "turtle":
                raise TurtleError(line, f"import {a.name} has no block equivalent")
            cx.modules.add(a.asname or a.name)
        return []
    if isinstance(node, ast.ImportFrom):
        if node.module != "turtle":
            raise TurtleError(line, f"from {node.module} import ... has no block equivalent")
        for a in node.names:
            if a.name == "*":
                cx.bare |= _TURTLE_API | _TURTLE_CTORS | _SCREEN_CTORS
            elif a.asname and a.asname != a.name:
                raise TurtleError(line, f"from turtle import {a.name} as {a.asname}: renamed turtle functions "
                                        "are not supported")
            else:
                cx.bare.add(a.name)
        return []
    if isinstance(node, ast.FunctionDef):
        if not top:
            raise TurtleError(line, f"def {node.name}() inside another block: only top-level functions "
                                    "become custom blocks")
        return []
    if isinstance(node, (ast.Pass, ast.Global)):
        return []
    if isinstance(node, ast.Expr):
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return []  # a docstring or a comment-like string
        if isinstance(node.value, ast.Call):
            return call_stmt(cx, node.value)
        raise TurtleError(line, f"{ast.unparse(node.value)} on its own line does nothing a block can show")
    translate = _TRANSLATIONS.get(type(node))
    if translate is not None:
        return translate(cx, node)
    if isinstance(node, ast.Return):
        if node.value is not None:
            raise TurtleError(line, "return with a value: custom blocks cannot return values")
        if cx.scope.func is None:
            raise TurtleError(line, "return outside a function")
        return [_b("control_stop", "this script")]  # inside a custom block it returns from the block
    kind = type(node).__name__.lower()
    raise TurtleError(line, f"a {kind} statement has no block equivalent")


def _name_target(cx: Context, target: ast.expr, line: int) -> str:
    if not isinstance(target, ast.Name):
        raise TurtleError(line, f"assigning to {ast.unparse(target)}: only plain variable names become "
                                "Scratch variables")
    name = target.id
    f = cx.scope.func
    if name in cx.counters or name in cx.unrolled:
        raise TurtleError(line, f"{name!r} is a for-loop counter; changing it has no block equivalent")
    if f is not None:
        if name in f.params:
            raise TurtleError(line, f"cannot change {name!r}: custom-block inputs are read-only in Scratch")
        if name not in cx.scope.globals_:
            if name in cx.assigned:
                raise TurtleError(line, f"{name!r} inside {f.node.name}() is a local variable named like a "
                                        "module variable; Scratch variables are shared, so rename one")
            if f.recursive:
                raise TurtleError(line, f"{name!r}: {f.node.name}() calls itself, and its local variables "
                                        "would be shared between the calls in Scratch")
    return name


def _assign(cx: Context, node: ast.Assign | ast.AnnAssign) -> list[Call]:
    line = node.lineno
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    if node.value is None or len(targets) != 1:
        raise TurtleError(line, "only `name = value` assignments become set_variable blocks")
    value = node.value
    if isinstance(value, ast.Call):
        kind = cx.turtle_call(value)
        if kind is not None and kind[0] == "new-turtle":
            if cx.made_turtle or cx.used_default:
                raise TurtleError(line, "a second turtle: a Scratch sprite is one turtle")
            if not isinstance(targets[0], ast.Name):
                raise TurtleError(line, "keep the turtle in a plain variable")
            cx.made_turtle = True
            cx.turtles.add(targets[0].id)
            return []
        if kind is not None and kind[0] == "new-screen":
            if isinstance(targets[0], ast.Name):
                cx.screens.add(targets[0].id)
            return []
        if isinstance(value.func, ast.Name) and value.func.id in cx.funcs:
            raise TurtleError(line, f"{value.func.id}() returns nothing a block can hold")
    name = _name_target(cx, targets[0], line)
    return [_b("data_setvariableto", name, expr(cx, value))]


def _augassign(cx: Context, node: ast.AugAssign) -> list[Call]:
    name = _name_target(cx, node.target, node.lineno)
    value = expr(cx, node.value)
    if isinstance(node.op, ast.Add):
        return [_b("data_changevariableby", name, value)]
    if isinstance(node.op, ast.Sub):
        return [_b("data_changevariableby", name, neg(cx, value))]
    op = binop(node.op, node.lineno)
    return [_b("data_setvariableto", name, _b(op, _b("data_variable", name), value))]


def _for(cx: Context, node: ast.For) -> list[Call]:
    line = node.lineno
    if node.orelse:
        raise TurtleError(line, "for ... else has no block equivalent")
    _no_break(cx, node)
    if not isinstance(node.target, ast.Name):
        raise TurtleError(line, f"for {ast.unparse(node.target)} in ...: use one plain loop variable")
    var = node.target.id
    reads = any(isinstance(n, ast.Name) and n.id == var for s in node.body for n in ast.walk(s))
    if isinstance(node.iter, (ast.List, ast.Tuple)):
        return _unroll(cx, node, var)
    it = node.iter
    if not (isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "range"
            and 1 <= len(it.args) <= 3 and not it.keywords):
        raise TurtleError(line, f"for ... in {ast.unparse(it)}: only range(...) and lists of constants "
                                "become loops")
    args = list(it.args)
    start, stop, step = (ast.Constant(0), args[0], ast.Constant(1)) if len(args) == 1 else \
        (args[0], args[1], args[2] if len(args) == 3 else ast.Constant(1))
    try:
        step_v = literal(cx, step)
    except _NotConst:
        raise TurtleError(line, "range() with a step that is not a number written in the program") from None
    if not isinstance(step_v, int) or isinstance(step_v, bool) or step_v == 0:
        raise TurtleError(line, "range() needs a whole-number step other than 0")
    try:
        start_v, stop_v = literal(cx, start), literal(cx, stop)
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start_v, stop_v)):
            raise TurtleError(line, "range() needs whole numbers")
        count: Expr = _num(len(range(start_v, stop_v, step_v)))
    except _NotConst:
        span = expr(cx, stop) if isinstance(start, ast.Constant) and start.value == 0 else \
            _b("operator_subtract", expr(cx, stop), expr(cx, start))
        count = span if step_v == 1 else _b("operator_mathop", "ceiling", _b("operator_divide", span, _num(step_v)))
    if not reads:
        return [_b("control_repeat", count, bodies=(stmts(cx, node.body),))]
    if _bound_outside_loops(cx, var):
        raise TurtleError(line, f"{var!r} is both a loop counter and a variable set elsewhere; rename one")
    if cx.scope.func is not None and cx.scope.func.recursive:
        raise TurtleError(line, f"{var!r}: {cx.scope.func.node.name}() calls itself, and its loop counter "
                                "would be shared between the calls in Scratch")
    cx.counters.add(var)
    cx.active_loops.append(var)
    try:
        body = stmts(cx, node.body) + [_b("data_changevariableby", var, _num(step_v))]
    finally:
        cx.active_loops.pop()
    return [_b("data_setvariableto", var, expr(cx, start)), _b("control_repeat", count, bodies=(body,))]


def _bound_outside_loops(cx: Context, var: str) -> bool:
    """Whether ``var`` is assigned somewhere (not only as a for-loop target)."""
    for n in ast.walk(cx.tree):
        if isinstance(n, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = n.targets if isinstance(n, ast.Assign) else [n.target]
            if any(isinstance(t, ast.Name) and t.id == var for t in targets):
                return True
    return False


def _unroll(cx: Context, node: ast.For, var: str) -> list[Call]:
    try:
        items = literal(cx, node.iter)
    except _NotConst:
        raise TurtleError(node.lineno, "for ... in [...]: only lists of numbers or texts written in the "
                                       "program can be unrolled into blocks") from None
    if len(items) > MAX_UNROLL:
        raise TurtleError(node.lineno, f"for ... in a list of {len(items)} items: at most {MAX_UNROLL} "
                                       "are copied out as blocks")
    if any(isinstance(n, ast.Name) and n.id == var and isinstance(n.ctx, ast.Store)
           for s in node.body for n in ast.walk(s)):
        raise TurtleError(node.lineno, f"{var!r} is changed inside its own loop")
    out = []
    saved = cx.unrolled.get(var, _NotConst)
    try:
        for item in items:
            cx.unrolled[var] = item
            out.extend(stmts(cx, node.body))
    finally:
        if saved is _NotConst:
            cx.unrolled.pop(var, None)
        else:
            cx.unrolled[var] = saved
    return out


def _no_break(cx: Context, loop: ast.For | ast.While) -> None:
    for s in loop.body:
        for n in ast.walk(s):
            if isinstance(n, (ast.Break, ast.Continue)):
                raise TurtleError(n.lineno, f"{type(n).__name__.lower()} has no block equivalent")


def _while(cx: Context, node: ast.While) -> list[Call]:
    if node.orelse:
        raise TurtleError(node.lineno, "while ... else has no block equivalent")
    try:
        if literal(cx, node.test):
            raise TurtleError(node.lineno, "while True never ends, so there is no finished drawing to check")
    except _NotConst:
        pass
    _no_break(cx, node)
    return [_b("control_repeat_until", _b("operator_not", cond(cx, node.test)),
               bodies=(stmts(cx, node.body),))]


def _if(cx: Context, node: ast.If) -> list[Call]:
    t = node.test
    if (isinstance(t, ast.Compare) and isinstance(t.left, ast.Name) and t.left.id == "__name__"
            and len(t.comparators) == 1 and isinstance(t.comparators[0], ast.Constant)
            and t.comparators[0].value == "__main__"):
        return stmts(cx, node.body, top=cx.scope.func is None)
    test = cond(cx, t)
    if not node.orelse:
        return [_b("control_if", test, bodies=(stmts(cx, node.body),))]
    return [_b("control_if_else", test, bodies=(stmts(cx, node.body), stmts(cx, node.orelse)))]


# The statements _stmt hands on whole, by node type (assignments, loops, ifs).
_TRANSLATIONS = {ast.Assign: _assign, ast.AnnAssign: _assign, ast.AugAssign: _augassign, ast.For: _for,
                 ast.While: _while, ast.If: _if}
