"""Model-written asserts (CodeT's generated tests), judged outside the candidate's interpreter.

A generated test such as ``assert f([1, 2]) == 3 and f([]) == 0`` is untrusted twice: the candidate
must not judge it (it could patch ``exec`` or ``==``), and the parent must not run it (the model
wrote it). So it is split:

* every outermost call of the entry point becomes ``_v[k]``; the call's source text goes to the
  candidate's sandbox, which evaluates it and sends back plain data (or an exception name);
* the rewritten assert is judged in the parent only if it is made of a small set of harmless
  expressions (comparisons, literals, ``abs``/``len``/``sorted``/``set``/``round``/``math.isclose``
  and the like, no arithmetic that can grow without bound); otherwise it runs in a second sandboxed
  interpreter that holds the plain values and the rewritten asserts, never the candidate's code.

A call that raised, timed out or crashed fails every assert that reads it.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass

VALUES = "_v"
_SAFE_FUNCS = {"abs": abs, "len": len, "sorted": sorted, "set": set, "frozenset": frozenset, "tuple": tuple,
               "list": list, "round": round, "min": min, "max": max, "sum": sum, "bool": bool, "all": all, "any": any}
_SAFE_MATH = {"isclose", "fabs", "floor", "ceil", "isnan", "isinf"}
_SAFE_NODES = (ast.Expression, ast.Compare, ast.BoolOp, ast.UnaryOp, ast.Constant, ast.Tuple, ast.List, ast.Set,
               ast.Dict, ast.Subscript, ast.Name, ast.Load, ast.Call, ast.Attribute, ast.keyword, ast.And, ast.Or,
               ast.Not, ast.USub, ast.UAdd, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Is, ast.IsNot,
               ast.In, ast.NotIn, ast.BinOp, ast.Add, ast.Sub, ast.Div, ast.FloorDiv)  # no *, **, % or <<: they grow
MAX_CONSTANT = 10_000  # characters or digits of one literal the parent will evaluate


@dataclass(frozen=True)
class Rewritten:
    source: str  # the assert's test expression over _v[...]
    calls: tuple[int, ...]  # indices into the task's call list that it reads
    safe: bool  # may be judged in the parent


def rewrite(test: str, entry_point: str, calls: list[str]) -> Rewritten | None:
    """Rewrite one ``assert`` statement; new call sources are appended to ``calls`` (shared by a
    task's tests so each distinct call runs once). None if it is not one assert calling the entry."""
    try:
        tree = ast.parse(test)
    except (SyntaxError, ValueError):
        return None
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Assert):
        return None
    used: list[int] = []

    class Swap(ast.NodeTransformer):
        def visit_Call(self, node: ast.Call):
            if isinstance(node.func, ast.Name) and node.func.id == entry_point:
                src = ast.unparse(node)
                if src not in calls:
                    calls.append(src)
                used.append(calls.index(src))
                return ast.Subscript(ast.Name(VALUES, ast.Load()), ast.Constant(calls.index(src)), ast.Load())
            return self.generic_visit(node)

    expr = Swap().visit(tree.body[0].test)
    if not used:
        return None
    source = ast.unparse(expr)
    return Rewritten(source, tuple(dict.fromkeys(used)), _is_safe(source))


def _is_safe(source: str) -> bool:
    try:
        tree = ast.parse(source, mode="eval")
    except (SyntaxError, ValueError):
        return False
    for n in ast.walk(tree):
        if not isinstance(n, _SAFE_NODES):
            return False
        if isinstance(n, ast.Name) and n.id not in _SAFE_FUNCS and n.id not in (VALUES, "math", "True", "False", "None"):
            return False
        if isinstance(n, ast.Attribute) and not (isinstance(n.value, ast.Name) and n.value.id == "math"
                                                 and n.attr in _SAFE_MATH):
            return False
        if isinstance(n, ast.Name) and n.id == "math" and not any(
                isinstance(p, ast.Attribute) and p.value is n for p in ast.walk(tree)):
            return False
        if isinstance(n, ast.Call) and not (
                (isinstance(n.func, ast.Name) and n.func.id in _SAFE_FUNCS) or isinstance(n.func, ast.Attribute)):
            return False
        if isinstance(n, ast.Subscript) and isinstance(n.value, ast.Name) and n.value.id == VALUES and not (
                isinstance(n.slice, ast.Constant) and type(n.slice.value) is int):
            return False
        if isinstance(n, ast.Constant) and len(repr(n.value)) > MAX_CONSTANT:
            return False
    return True


def judge_here(rewritten: Rewritten, values: list) -> bool:
    """Evaluate a safe rewritten assert on plain values (the parent's side)."""
    try:
        code = compile(rewritten.source, "<generated test>", "eval")
        return bool(eval(code, {"__builtins__": {}, **_SAFE_FUNCS, "math": math, VALUES: values}))  # noqa: S307
    except Exception:  # noqa: BLE001 - a test that raises on the values fails
        return False
