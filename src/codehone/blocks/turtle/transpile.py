"""Simple Python turtle programs -> block programs, each one checked by running both.

A child's first programs are often turtle drawings; this turns them into the block language so
they can become training pairs (:mod:`codehone.blocks.turtle.corpus`) or be opened in Scratch
(``codehone blocks from-turtle``). The transpiler reads the program with :mod:`ast` and never
executes it; :func:`codehone.blocks.turtle.check.verify_turtle` then runs the original in the
sandbox with a recording turtle (:mod:`codehone.blocks.turtle.record`, CPython's geometry without
a window) and the blocks in the interpreter, and compares every pen line, its colour and size,
and what was printed.

What it covers: ``import turtle`` / ``from turtle import *`` / one ``t = turtle.Turtle()``
(also passed to functions as a parameter); forward/back, left/right, goto/setx/sety, setheading
(turtle's 0 = east counter-clockwise becomes Scratch's 90 - heading), home, pen up/down, colours
(Tk names, ``#rrggbb``, (r, g, b) in either colormode), pensize, clear/reset, hide/show,
``circle(radius[, extent[, steps]])`` as the same polygon CPython draws (same sides, same
half-step turns); ``for i in range(...)`` as ``repeat`` (with a counter variable when the body
reads ``i``), ``for c in [constants]`` unrolled, ``while cond`` as ``repeat_until(not_(...))``,
if/elif/else, arithmetic, comparisons, and/or/not, module variables as Scratch variables,
functions with parameters as custom blocks, ``print`` as ``say``.

How: :mod:`~codehone.blocks.turtle.context` holds what is known about the program,
:mod:`~codehone.blocks.turtle.statements`, :mod:`~codehone.blocks.turtle.calls` and
:mod:`~codehone.blocks.turtle.expressions` translate it; this module reads the whole program,
makes its functions custom blocks and adds the turtle's starting state.

What it does not: fills, stamps, dots, writing text, background colours, more than one turtle,
``while True``, break/continue, return values, lists and randomness. Each of these raises a
:class:`TurtleError` that names the line and the construct, never a silently different program.
"""

from __future__ import annotations

import ast

from codehone.blocks.lang.nodes import Call, Define, Num, Program, Script, Sprite, Str
from codehone.blocks.lang.parser import parse
from codehone.blocks.lang.printer import format_program
from codehone.blocks.turtle.context import (
    _TURTLE_API, BLACK, SPRITE, Context, TurtleError, _b, _Func, _NotConst, _Scope,
)
from codehone.blocks.turtle.expressions import literal
from codehone.blocks.turtle.statements import stmts

__all__ = ["TurtleError", "transpile_turtle", "turtle_to_text"]


def _read(source: str) -> Context:
    """The program's tree and the facts known before translating: module-level bindings, constants."""
    try:
        tree = ast.parse(source)
    except SyntaxError as e:
        raise TurtleError(e.lineno or 0, f"not valid Python: {e.msg}") from None
    cx = Context(tree, assigned=_module_assignments(tree))
    cx.constants = _module_constants(cx)
    return cx


def _program(cx: Context) -> Program:
    for node in cx.tree.body:
        if isinstance(node, ast.FunctionDef):
            _declare(cx, node)
    body = stmts(cx, cx.tree.body, top=True)
    defines = [_define(cx, f) for f in cx.funcs.values()]
    script = Script(_b("event_whenflagclicked"), tuple(_preamble(body)))
    return Program((Sprite(SPRITE, (script, *defines)),))


def _preamble(body: list[Call]) -> list[Call]:
    """A turtle starts at (0, 0) facing east, pen down, black, size 1; a Scratch sprite keeps
    its last state between runs, so say all of it (after clearing the last drawing)."""
    lead = []  # the body's opening blocks that draw nothing and move nothing
    for c in body:
        if c.opcode not in ("pen_penUp", "pen_penDown", "pen_setPenColorToColor", "pen_setPenSizeTo",
                            "looks_hide", "looks_show"):
            break
        lead.append(c.opcode)
    pre = [_b("pen_clear"), _b("pen_penUp"), _b("motion_gotoxy", Num("0"), Num("0")),
           _b("motion_pointindirection", Num("90"))]
    if "pen_setPenColorToColor" not in lead:
        pre.append(_b("pen_setPenColorToColor", Str(BLACK)))
    if "pen_setPenSizeTo" not in lead:
        pre.append(_b("pen_setPenSizeTo", Num("1")))
    if "pen_penUp" in lead:
        # `penup()` before anything moves: the pen is still up from the preamble (and a
        # pen_down here would leave a dot at the centre in Scratch)
        i = lead.index("pen_penUp")
        return pre + body[:i] + body[i + 1:]
    return pre + [_b("pen_penDown")] + body


def _module_assignments(tree: ast.Module) -> dict[str, int]:
    """How many times each module-level name is bound at module level (for constants)."""
    counts: dict[str, int] = {}
    for node in _module_walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For)):
            targets = [node.target]
        for t in targets:
            for n in ast.walk(t):
                if isinstance(n, ast.Name):
                    counts[n.id] = counts.get(n.id, 0) + (1 if isinstance(node, ast.Assign) else 2)
    return counts


def _module_walk(tree: ast.Module):
    """Module-level statements, including those nested in loops and ifs, not in functions."""
    stack = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        yield node
        for name in ("body", "orelse"):
            stack.extend(getattr(node, name, []) or [])


def _module_constants(cx: Context) -> dict[str, object]:
    """Names bound once, to a literal, and never rebound anywhere (not even via ``global``):
    their value is known when transpiling, which ``circle`` and colours need."""
    rebound = set()
    for node in ast.walk(cx.tree):
        if isinstance(node, ast.Global):
            rebound.update(node.names)
    out = {}
    for node in cx.tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and cx.assigned.get(node.targets[0].id) == 1 and node.targets[0].id not in rebound):
            try:
                out[node.targets[0].id] = literal(cx, node.value)
            except _NotConst:
                pass
    return out


def _declare(cx: Context, node: ast.FunctionDef) -> None:
    a = node.args
    if a.posonlyargs or a.vararg or a.kwonlyargs or a.kwarg or a.defaults or node.decorator_list:
        raise TurtleError(node.lineno, f"def {node.name}(): only plain parameters (no defaults, *args, "
                                       "keywords or decorators) become custom-block inputs")
    params = tuple(p.arg for p in a.args)
    turtle_params = frozenset(
        n.func.value.id for n in ast.walk(node)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and isinstance(n.func.value, ast.Name)
        and n.func.value.id in params and n.func.attr in _TURTLE_API)
    inputs = tuple(p for p in params if p not in turtle_params)
    label = node.name.replace("_", " ").strip() or node.name
    proccode = label + " %s" * len(inputs)
    if any(f.proccode == proccode for f in cx.funcs.values()):
        raise TurtleError(node.lineno, f"def {node.name}(): two functions would make the same block {label!r}")
    recursive = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == node.name
                    for n in ast.walk(node))
    cx.funcs[node.name] = _Func(node, proccode, params, turtle_params, recursive)


def _define(cx: Context, f: _Func) -> Define:
    node, saved = f.node, cx.scope
    cx.scope = _Scope(f, {n for s in ast.walk(node) if isinstance(s, ast.Global) for n in s.names})
    try:
        nodes = list(node.body)
        if nodes and isinstance(nodes[0], ast.Expr) and isinstance(nodes[0].value, ast.Constant):
            nodes = nodes[1:]  # docstring
        if nodes and isinstance(nodes[-1], ast.Return) and nodes[-1].value is None:
            nodes = nodes[:-1]  # a return at the end is where the block ends anyway
        body = stmts(cx, nodes)
    finally:
        cx.scope = saved
    inputs = tuple(p for p in f.params if p not in f.turtle_params)
    return Define(f.proccode, inputs, tuple(body))


def transpile_turtle(source: str) -> Program:
    """The block program equivalent to a simple turtle program (read, never run).

    Raises :class:`TurtleError` ("line 7: turtle.stamp() has no block equivalent") for anything
    outside the supported subset (see the module docstring).
    """
    program = _program(_read(source))
    text = format_program(program)
    if parse(text) != program:  # the printer and parser must agree, or the text is not the program
        raise AssertionError(f"transpiled program does not print back to itself:\n{text}")
    return program


def turtle_to_text(source: str) -> str:
    """:func:`transpile_turtle`, printed in the canonical text form."""
    return format_program(transpile_turtle(source))
