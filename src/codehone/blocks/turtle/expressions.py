"""Python expressions -> block reporters and conditions, for the turtle transpiler.

Arithmetic on values known when transpiling is worked out here (``360 / 5`` is written ``72``);
the rest becomes operator blocks, comparisons and ``and``/``or``/``not`` become conditions, and
the turtle's queries (``xcor()``, ``heading()``) become motion reporters. Anything else raises a
:class:`~codehone.blocks.turtle.context.TurtleError` naming the line.
"""

from __future__ import annotations

import ast

from codehone.blocks.lang.nodes import Call, Expr, Num, Str
from codehone.blocks.turtle.context import _QUERIES, Context, TurtleError, _b, _NotConst, _num

def literal(cx: Context, node: ast.expr, names: bool = True):
    """The value of an expression made of literals (and, with ``names``, constant names and
    the current item of an unrolled loop), or _NotConst."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, str)) \
            and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, ast.Constant) and isinstance(node.value, bool):
        return node.value
    if isinstance(node, (ast.Tuple, ast.List)):
        return tuple(literal(cx, e, names) for e in node.elts)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        v = literal(cx, node.operand, names)
        if not isinstance(v, (int, float)):
            raise _NotConst
        return -v if isinstance(node.op, ast.USub) else v
    if isinstance(node, ast.BinOp):
        a, b = literal(cx, node.left, names), literal(cx, node.right, names)
        if not (isinstance(a, (int, float)) and isinstance(b, (int, float))):
            raise _NotConst
        ops = {ast.Add: lambda: a + b, ast.Sub: lambda: a - b, ast.Mult: lambda: a * b,
               ast.Div: lambda: a / b, ast.FloorDiv: lambda: a // b, ast.Mod: lambda: a % b,
               ast.Pow: lambda: a ** b}
        try:
            return ops[type(node.op)]()
        except (KeyError, ZeroDivisionError, OverflowError):
            raise _NotConst from None
    if isinstance(node, ast.Name) and names:
        if node.id in cx.unrolled:
            return cx.unrolled[node.id]
        f = cx.scope.func
        if node.id in cx.constants and not (f is not None and node.id in f.params):
            return cx.constants[node.id]
    raise _NotConst


def number(cx: Context, node: ast.expr) -> float | int:
    v = literal(cx, node)
    if not isinstance(v, (int, float)) or isinstance(v, bool):
        raise _NotConst
    return v


def expr(cx: Context, node: ast.expr) -> Expr:
    line = getattr(node, "lineno", 0)
    if isinstance(node, ast.Name) and node.id in cx.unrolled:
        v = cx.unrolled[node.id]
        return Str(v) if isinstance(v, str) else _num(v, line)
    try:  # arithmetic on literals is worked out here: 360 / 5 is written 72
        v = literal(cx, node, names=False)
        if isinstance(v, str):
            return Str(v)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return _num(v, line)
    except _NotConst:
        pass
    if isinstance(node, ast.Name):
        return _name(cx, node)
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.USub):
            return neg(cx, expr(cx, node.operand))
        if isinstance(node.op, ast.UAdd):
            return expr(cx, node.operand)
        if isinstance(node.op, ast.Not):
            return cond(cx, node)
    if isinstance(node, ast.BinOp):
        a, b = expr(cx, node.left), expr(cx, node.right)
        if isinstance(node.op, ast.Add) and (_stringy(node.left) or _stringy(node.right)):
            return _b("operator_join", a, b)
        if isinstance(node.op, ast.FloorDiv):
            return _b("operator_mathop", "floor", _b("operator_divide", a, b))
        return _b(binop(node.op, line), a, b)
    if isinstance(node, (ast.Compare, ast.BoolOp)):
        return cond(cx, node)
    if isinstance(node, ast.JoinedStr):
        return _fstring(cx, node)
    if isinstance(node, ast.Call):
        return _call_expr(cx, node)
    raise TurtleError(line, f"{ast.unparse(node)} has no block equivalent")


def _name(cx: Context, node: ast.Name) -> Expr:
    name, f, line = node.id, cx.scope.func, node.lineno
    if f is not None and name in f.params:
        if name in f.turtle_params:
            raise TurtleError(line, f"{name!r} is the turtle, not a value")
        return _b("argument_reporter_string_number", name)
    if name in cx.counters and name not in cx.active_loops:
        raise TurtleError(line, f"{name!r} is read outside its for loop; the block counter would not hold "
                                "the value Python leaves in it")
    if name in cx.active_loops or name in cx.assigned or _assigned_in_functions(cx, name):
        return _b("data_variable", name)
    raise TurtleError(line, f"{name!r} is not a variable this program sets")


def _assigned_in_functions(cx: Context, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)
               for f in cx.funcs.values() for n in ast.walk(f.node))


def neg(cx: Context, e: Expr) -> Expr:
    if isinstance(e, Num):
        return _num(-e.value)
    return _b("operator_subtract", Num("0"), e)


def binop(op: ast.operator, line: int) -> str:
    table = {ast.Add: "operator_add", ast.Sub: "operator_subtract", ast.Mult: "operator_multiply",
             ast.Div: "operator_divide", ast.Mod: "operator_mod"}
    if type(op) not in table:
        sym = {ast.Pow: "**", ast.FloorDiv: "//", ast.MatMult: "@"}.get(type(op), type(op).__name__)
        raise TurtleError(line, f"the {sym} operator on values computed while running has no block")
    return table[type(op)]


def cond(cx: Context, node: ast.expr) -> Call:
    line = getattr(node, "lineno", 0)
    if isinstance(node, ast.Compare):
        parts, left = [], node.left
        for op, right in zip(node.ops, node.comparators):
            a, b = expr(cx, left), expr(cx, right)
            if isinstance(op, ast.Lt):
                parts.append(_b("operator_lt", a, b))
            elif isinstance(op, ast.Gt):
                parts.append(_b("operator_gt", a, b))
            elif isinstance(op, ast.Eq):
                parts.append(_b("operator_equals", a, b))
            elif isinstance(op, ast.NotEq):
                parts.append(_b("operator_not", _b("operator_equals", a, b)))
            elif isinstance(op, ast.LtE):
                parts.append(_b("operator_not", _b("operator_gt", a, b)))
            elif isinstance(op, ast.GtE):
                parts.append(_b("operator_not", _b("operator_lt", a, b)))
            else:
                raise TurtleError(line, f"the comparison in {ast.unparse(node)} has no block equivalent")
            left = right
        out = parts[0]
        for p in parts[1:]:
            out = _b("operator_and", out, p)
        return out
    if isinstance(node, ast.BoolOp):
        opcode = "operator_and" if isinstance(node.op, ast.And) else "operator_or"
        out = cond(cx, node.values[0])
        for v in node.values[1:]:
            out = _b(opcode, out, cond(cx, v))
        return out
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return _b("operator_not", cond(cx, node.operand))
    if isinstance(node, ast.Constant) and isinstance(node.value, bool):
        raise TurtleError(line, f"a bare {node.value} as a condition has no block equivalent")
    # a number used as a condition: Python's truth test is "not zero"
    return _b("operator_not", _b("operator_equals", expr(cx, node), Num("0")))


def _fstring(cx: Context, node: ast.JoinedStr) -> Expr:
    parts: list[Expr] = []
    for v in node.values:
        if isinstance(v, ast.Constant):
            parts.append(Str(str(v.value)))
        elif isinstance(v, ast.FormattedValue) and v.conversion == -1 and v.format_spec is None:
            parts.append(expr(cx, v.value))
        else:
            raise TurtleError(node.lineno, "f-string formatting (!r, :.2f) has no block equivalent")
    if not parts:
        return Str("")
    out = parts[0]
    for p in parts[1:]:
        out = _b("operator_join", out, p)
    return out


def _call_expr(cx: Context, node: ast.Call) -> Expr:
    fn, line = node.func, node.lineno
    if isinstance(fn, ast.Name) and fn.id in ("abs", "str") and len(node.args) == 1 and not node.keywords:
        inner = expr(cx, node.args[0])
        return inner if fn.id == "str" else _b("operator_mathop", "abs", inner)
    kind = cx.turtle_call(node)
    if kind is not None and kind[0] in ("turtle", "module") and kind[1] in _QUERIES and not node.args:
        if kind[0] == "module":
            cx.used_default = True
        if kind[1] == "xcor":
            return _b("motion_xposition")
        if kind[1] == "ycor":
            return _b("motion_yposition")
        return _b("operator_mod", _b("operator_subtract", Num("90"), _b("motion_direction")), Num("360"))
    if isinstance(fn, ast.Name) and fn.id in cx.funcs:
        raise TurtleError(line, f"{fn.id}() returns nothing a block can hold")
    raise TurtleError(line, f"{ast.unparse(fn)}() has no block equivalent")


def _stringy(node: ast.expr) -> bool:
    """Whether ``+`` on this operand joins text (Python would refuse text + number anyway)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _stringy(node.left) or _stringy(node.right)
    return (isinstance(node, ast.Constant) and isinstance(node.value, str)) or isinstance(node, ast.JoinedStr) \
        or (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "str")
