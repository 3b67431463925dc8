"""Simple Python turtle programs -> block programs, each one checked by running both.

A child's first programs are often turtle drawings; this turns them into the block language so
they can become training pairs (:mod:`codehone.blocks.turtle_corpus`) or be opened in Scratch
(``codehone blocks from-turtle``). The transpiler reads the program with :mod:`ast` and never
executes it; :func:`codehone.blocks.turtle_check.verify_turtle` then runs the original in the sandbox with a recording turtle
(:mod:`codehone.blocks.turtle_record`, CPython's geometry without a window) and the blocks in the
interpreter, and compares every pen line, its colour and size, and what was printed.

What it covers: ``import turtle`` / ``from turtle import *`` / one ``t = turtle.Turtle()``
(also passed to functions as a parameter); forward/back, left/right, goto/setx/sety, setheading
(turtle's 0 = east counter-clockwise becomes Scratch's 90 - heading), home, pen up/down, colours
(Tk names, ``#rrggbb``, (r, g, b) in either colormode), pensize, clear/reset, hide/show,
``circle(radius[, extent[, steps]])`` as the same polygon CPython draws (same sides, same
half-step turns); ``for i in range(...)`` as ``repeat`` (with a counter variable when the body
reads ``i``), ``for c in [constants]`` unrolled, ``while cond`` as ``repeat_until(not_(...))``,
if/elif/else, arithmetic, comparisons, and/or/not, module variables as Scratch variables,
functions with parameters as custom blocks, ``print`` as ``say``.

What it does not: fills, stamps, dots, writing text, background colours, more than one turtle,
``while True``, break/continue, return values, lists and randomness. Each of these raises a
:class:`TurtleError` that names the line and the construct, never a silently different program.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass, field

from codehone.blocks.nodes import Call, Define, Expr, Num, Program, Script, Sprite, Str, canonical_number
from codehone.blocks.turtle_record import color_hex

__all__ = ["TurtleError", "transpile_turtle", "turtle_to_text"]

SPRITE = "Sprite1"
BLACK = "#000000"
MAX_UNROLL = 12  # `for c in [...]` copies its body once per item; longer lists are refused

# Names in the turtle API, by what they become. Aliases as in CPython's turtle.py.
_MOVES = {"forward", "fd", "backward", "back", "bk", "right", "rt", "left", "lt", "goto", "setpos",
          "setposition", "setx", "sety", "setheading", "seth", "home", "circle"}
_PEN = {"penup", "pu", "up", "pendown", "pd", "down", "pencolor", "color", "pensize", "width", "clear",
        "reset", "hideturtle", "ht", "showturtle", "st", "fillcolor"}
_QUIET = {"speed", "shape", "shapesize", "title", "setup", "tracer", "update", "delay", "done", "mainloop",
          "exitonclick", "bye", "screensize", "listen"}  # change nothing a pen line shows
_SCREEN = {"colormode", "bgcolor"} | (_QUIET - {"speed", "shape", "shapesize"})
_QUERIES = {"xcor", "ycor", "heading"}
_TURTLE_CTORS = {"Turtle", "Pen", "RawTurtle"}
_SCREEN_CTORS = {"Screen", "getscreen"}
_TURTLE_API = _MOVES | _PEN | _QUIET | _QUERIES | {"colormode", "bgcolor"}


class TurtleError(ValueError):
    """A turtle program the transpiler cannot turn into equivalent blocks; says line and why."""

    def __init__(self, line: int, message: str):
        super().__init__(f"line {line}: {message}")
        self.line = line


class _NotConst(Exception):
    pass


def _b(opcode: str, *args, bodies: tuple = ()) -> Call:
    return Call(opcode, tuple(args), tuple(tuple(b) for b in bodies))


def _num(v: float | int, line: int = 0) -> Num:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        raise TurtleError(line, f"{v!r} is not a number a block can hold")
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        v = int(v)
    return Num(canonical_number(repr(v)))


def _r6(v: float) -> float:
    """Computed constants (circle sides and turns) are written to 6 decimals: 1e-6 px per side,
    far inside :data:`TOLERANCE`, and a program a person can read."""
    return round(v, 6) + 0.0


def _turn(angle: float) -> list[Call]:
    """CPython's ``_rotate(angle)``: positive is counter-clockwise, i.e. Scratch's turn left."""
    a = _r6(angle)
    if a == 0:
        return []
    return [_b("motion_turnleft", _num(a))] if a > 0 else [_b("motion_turnright", _num(-a))]


@dataclass
class _Func:
    node: ast.FunctionDef
    proccode: str
    params: tuple[str, ...]  # block inputs, in order
    turtle_params: frozenset[str]  # parameters that receive the turtle: dropped from the block
    recursive: bool


@dataclass
class _Scope:
    func: _Func | None = None
    globals_: set[str] = field(default_factory=set)


class _Transpiler:
    def __init__(self, source: str):
        try:
            self.tree = ast.parse(source)
        except SyntaxError as e:
            raise TurtleError(e.lineno or 0, f"not valid Python: {e.msg}") from None
        self.modules: set[str] = set()  # names bound to the turtle module
        self.bare: set[str] = set()  # turtle functions imported by name (or *)
        self.turtles: set[str] = set()  # names bound to the one Turtle()
        self.screens: set[str] = set()
        self.made_turtle = False
        self.used_default = False
        self.colormode = 1.0
        self.scope = _Scope()
        self.active_loops: list[str] = []  # counter variables of the for loops we are inside
        self.counters: set[str] = set()  # every name used as a for-loop counter
        self.unrolled: dict[str, object] = {}  # `for c in [...]`: the item of the copy being written
        self.funcs: dict[str, _Func] = {}
        self.assigned = self._module_assignments()
        self.constants = {n: v for n, v in self._module_constants().items()}

    # ------------------------------------------------------------------ whole program
    def program(self) -> Program:
        for node in self.tree.body:
            if isinstance(node, ast.FunctionDef):
                self._declare(node)
        body = self._stmts(self.tree.body, top=True)
        defines = [self._define(f) for f in self.funcs.values()]
        script = Script(_b("event_whenflagclicked"), tuple(self._preamble(body)))
        return Program((Sprite(SPRITE, (script, *defines)),))

    def _preamble(self, body: list[Call]) -> list[Call]:
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

    def _module_assignments(self) -> dict[str, int]:
        """How many times each module-level name is bound at module level (for constants)."""
        counts: dict[str, int] = {}
        for node in self._module_walk():
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

    def _module_walk(self):
        """Module-level statements, including those nested in loops and ifs, not in functions."""
        stack = list(self.tree.body)
        while stack:
            node = stack.pop()
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            yield node
            for name in ("body", "orelse"):
                stack.extend(getattr(node, name, []) or [])

    def _module_constants(self) -> dict[str, object]:
        """Names bound once, to a literal, and never rebound anywhere (not even via ``global``):
        their value is known when transpiling, which ``circle`` and colours need."""
        rebound = set()
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Global):
                rebound.update(node.names)
        out = {}
        for node in self.tree.body:
            if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                    and self.assigned.get(node.targets[0].id) == 1 and node.targets[0].id not in rebound):
                try:
                    out[node.targets[0].id] = self._literal(node.value)
                except _NotConst:
                    pass
        return out

    # ------------------------------------------------------------------ functions -> custom blocks
    def _declare(self, node: ast.FunctionDef) -> None:
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
        if any(f.proccode == proccode for f in self.funcs.values()):
            raise TurtleError(node.lineno, f"def {node.name}(): two functions would make the same block {label!r}")
        recursive = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == node.name
                        for n in ast.walk(node))
        self.funcs[node.name] = _Func(node, proccode, params, turtle_params, recursive)

    def _define(self, f: _Func) -> Define:
        node, saved = f.node, self.scope
        self.scope = _Scope(f, {n for s in ast.walk(node) if isinstance(s, ast.Global) for n in s.names})
        try:
            stmts = list(node.body)
            if stmts and isinstance(stmts[0], ast.Expr) and isinstance(stmts[0].value, ast.Constant):
                stmts = stmts[1:]  # docstring
            if stmts and isinstance(stmts[-1], ast.Return) and stmts[-1].value is None:
                stmts = stmts[:-1]  # a return at the end is where the block ends anyway
            body = self._stmts(stmts)
        finally:
            self.scope = saved
        inputs = tuple(p for p in f.params if p not in f.turtle_params)
        return Define(f.proccode, inputs, tuple(body))

    def _call_func(self, node: ast.Call, f: _Func) -> Call:
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
                if not (isinstance(given[p], ast.Name) and self._is_turtle(given[p].id)):
                    raise TurtleError(node.lineno, f"{f.node.name}(): {p!r} must be the turtle")
            else:
                args.append(self._expr(given[p]))
        return _b("procedures_call", f.proccode, *args)

    # ------------------------------------------------------------------ statements
    def _stmts(self, nodes: list[ast.stmt], top: bool = False) -> list[Call]:
        out: list[Call] = []
        for node in nodes:
            out.extend(self._stmt(node, top))
        return out

    def _stmt(self, node: ast.stmt, top: bool) -> list[Call]:
        line = node.lineno
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name != "turtle":
                    raise TurtleError(line, f"import {a.name} has no block equivalent")
                self.modules.add(a.asname or a.name)
            return []
        if isinstance(node, ast.ImportFrom):
            if node.module != "turtle":
                raise TurtleError(line, f"from {node.module} import ... has no block equivalent")
            for a in node.names:
                if a.name == "*":
                    self.bare |= _TURTLE_API | _TURTLE_CTORS | _SCREEN_CTORS
                elif a.asname and a.asname != a.name:
                    raise TurtleError(line, f"from turtle import {a.name} as {a.asname}: renamed turtle functions "
                                            "are not supported")
                else:
                    self.bare.add(a.name)
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
                return self._call_stmt(node.value)
            raise TurtleError(line, f"{ast.unparse(node.value)} on its own line does nothing a block can show")
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            return self._assign(node)
        if isinstance(node, ast.AugAssign):
            return self._augassign(node)
        if isinstance(node, ast.For):
            return self._for(node)
        if isinstance(node, ast.While):
            return self._while(node)
        if isinstance(node, ast.If):
            return self._if(node)
        if isinstance(node, ast.Return):
            if node.value is not None:
                raise TurtleError(line, "return with a value: custom blocks cannot return values")
            if self.scope.func is None:
                raise TurtleError(line, "return outside a function")
            return [_b("control_stop", "this script")]  # inside a custom block it returns from the block
        kind = type(node).__name__.lower()
        raise TurtleError(line, f"a {kind} statement has no block equivalent")

    def _name_target(self, target: ast.expr, line: int) -> str:
        if not isinstance(target, ast.Name):
            raise TurtleError(line, f"assigning to {ast.unparse(target)}: only plain variable names become "
                                    "Scratch variables")
        name = target.id
        f = self.scope.func
        if name in self.counters or name in self.unrolled:
            raise TurtleError(line, f"{name!r} is a for-loop counter; changing it has no block equivalent")
        if f is not None:
            if name in f.params:
                raise TurtleError(line, f"cannot change {name!r}: custom-block inputs are read-only in Scratch")
            if name not in self.scope.globals_:
                if name in self.assigned:
                    raise TurtleError(line, f"{name!r} inside {f.node.name}() is a local variable named like a "
                                            "module variable; Scratch variables are shared, so rename one")
                if f.recursive:
                    raise TurtleError(line, f"{name!r}: {f.node.name}() calls itself, and its local variables "
                                            "would be shared between the calls in Scratch")
        return name

    def _assign(self, node: ast.Assign | ast.AnnAssign) -> list[Call]:
        line = node.lineno
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if node.value is None or len(targets) != 1:
            raise TurtleError(line, "only `name = value` assignments become set_variable blocks")
        value = node.value
        if isinstance(value, ast.Call):
            kind = self._turtle_call(value)
            if kind is not None and kind[0] == "new-turtle":
                if self.made_turtle or self.used_default:
                    raise TurtleError(line, "a second turtle: a Scratch sprite is one turtle")
                if not isinstance(targets[0], ast.Name):
                    raise TurtleError(line, "keep the turtle in a plain variable")
                self.made_turtle = True
                self.turtles.add(targets[0].id)
                return []
            if kind is not None and kind[0] == "new-screen":
                if isinstance(targets[0], ast.Name):
                    self.screens.add(targets[0].id)
                return []
            if isinstance(value.func, ast.Name) and value.func.id in self.funcs:
                raise TurtleError(line, f"{value.func.id}() returns nothing a block can hold")
        name = self._name_target(targets[0], line)
        return [_b("data_setvariableto", name, self._expr(value))]

    def _augassign(self, node: ast.AugAssign) -> list[Call]:
        name = self._name_target(node.target, node.lineno)
        value = self._expr(node.value)
        if isinstance(node.op, ast.Add):
            return [_b("data_changevariableby", name, value)]
        if isinstance(node.op, ast.Sub):
            return [_b("data_changevariableby", name, self._neg(value))]
        op = self._binop(node.op, node.lineno)
        return [_b("data_setvariableto", name, _b(op, _b("data_variable", name), value))]

    def _for(self, node: ast.For) -> list[Call]:
        line = node.lineno
        if node.orelse:
            raise TurtleError(line, "for ... else has no block equivalent")
        self._no_break(node)
        if not isinstance(node.target, ast.Name):
            raise TurtleError(line, f"for {ast.unparse(node.target)} in ...: use one plain loop variable")
        var = node.target.id
        reads = any(isinstance(n, ast.Name) and n.id == var for s in node.body for n in ast.walk(s))
        if isinstance(node.iter, (ast.List, ast.Tuple)):
            return self._unroll(node, var)
        it = node.iter
        if not (isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "range"
                and 1 <= len(it.args) <= 3 and not it.keywords):
            raise TurtleError(line, f"for ... in {ast.unparse(it)}: only range(...) and lists of constants "
                                    "become loops")
        args = list(it.args)
        start, stop, step = (ast.Constant(0), args[0], ast.Constant(1)) if len(args) == 1 else \
            (args[0], args[1], args[2] if len(args) == 3 else ast.Constant(1))
        try:
            step_v = self._literal(step)
        except _NotConst:
            raise TurtleError(line, "range() with a step that is not a number written in the program") from None
        if not isinstance(step_v, int) or isinstance(step_v, bool) or step_v == 0:
            raise TurtleError(line, "range() needs a whole-number step other than 0")
        try:
            start_v, stop_v = self._literal(start), self._literal(stop)
            if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start_v, stop_v)):
                raise TurtleError(line, "range() needs whole numbers")
            count: Expr = _num(len(range(start_v, stop_v, step_v)))
        except _NotConst:
            span = self._expr(stop) if isinstance(start, ast.Constant) and start.value == 0 else \
                _b("operator_subtract", self._expr(stop), self._expr(start))
            count = span if step_v == 1 else _b("operator_mathop", "ceiling", _b("operator_divide", span, _num(step_v)))
        if not reads:
            return [_b("control_repeat", count, bodies=(self._stmts(node.body),))]
        if self._bound_outside_loops(var):
            raise TurtleError(line, f"{var!r} is both a loop counter and a variable set elsewhere; rename one")
        if self.scope.func is not None and self.scope.func.recursive:
            raise TurtleError(line, f"{var!r}: {self.scope.func.node.name}() calls itself, and its loop counter "
                                    "would be shared between the calls in Scratch")
        self.counters.add(var)
        self.active_loops.append(var)
        try:
            body = self._stmts(node.body) + [_b("data_changevariableby", var, _num(step_v))]
        finally:
            self.active_loops.pop()
        return [_b("data_setvariableto", var, self._expr(start)), _b("control_repeat", count, bodies=(body,))]

    def _bound_outside_loops(self, var: str) -> bool:
        """Whether ``var`` is assigned somewhere (not only as a for-loop target)."""
        for n in ast.walk(self.tree):
            if isinstance(n, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                targets = n.targets if isinstance(n, ast.Assign) else [n.target]
                if any(isinstance(t, ast.Name) and t.id == var for t in targets):
                    return True
        return False

    def _unroll(self, node: ast.For, var: str) -> list[Call]:
        try:
            items = self._literal(node.iter)
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
        saved = self.unrolled.get(var, _NotConst)
        try:
            for item in items:
                self.unrolled[var] = item
                out.extend(self._stmts(node.body))
        finally:
            if saved is _NotConst:
                self.unrolled.pop(var, None)
            else:
                self.unrolled[var] = saved
        return out

    def _no_break(self, loop: ast.For | ast.While) -> None:
        for s in loop.body:
            for n in ast.walk(s):
                if isinstance(n, (ast.Break, ast.Continue)):
                    raise TurtleError(n.lineno, f"{type(n).__name__.lower()} has no block equivalent")

    def _while(self, node: ast.While) -> list[Call]:
        if node.orelse:
            raise TurtleError(node.lineno, "while ... else has no block equivalent")
        try:
            if self._literal(node.test):
                raise TurtleError(node.lineno, "while True never ends, so there is no finished drawing to check")
        except _NotConst:
            pass
        self._no_break(node)
        return [_b("control_repeat_until", _b("operator_not", self._cond(node.test)),
                   bodies=(self._stmts(node.body),))]

    def _if(self, node: ast.If) -> list[Call]:
        t = node.test
        if (isinstance(t, ast.Compare) and isinstance(t.left, ast.Name) and t.left.id == "__name__"
                and len(t.comparators) == 1 and isinstance(t.comparators[0], ast.Constant)
                and t.comparators[0].value == "__main__"):
            return self._stmts(node.body, top=self.scope.func is None)
        cond = self._cond(t)
        if not node.orelse:
            return [_b("control_if", cond, bodies=(self._stmts(node.body),))]
        return [_b("control_if_else", cond, bodies=(self._stmts(node.body), self._stmts(node.orelse)))]

    # ------------------------------------------------------------------ turtle calls
    def _is_turtle(self, name: str) -> bool:
        f = self.scope.func
        return name in self.turtles or (f is not None and name in f.turtle_params)

    def _turtle_call(self, node: ast.Call) -> tuple[str, str] | None:
        """("turtle" | "screen" | "module" | "new-turtle" | "new-screen", method) or None."""
        fn = node.func
        if isinstance(fn, ast.Name) and fn.id in self.bare and not self._shadowed(fn.id):
            owner, method = "module", fn.id
        elif isinstance(fn, ast.Attribute) and isinstance(fn.value, ast.Name):
            base, method = fn.value.id, fn.attr
            if base in self.modules:
                owner = "module"
            elif self._is_turtle(base):
                owner = "turtle"
            elif base in self.screens:
                owner = "screen"
            else:
                return None
        elif isinstance(fn, ast.Attribute) and isinstance(fn.value, ast.Call):
            inner = self._turtle_call(fn.value)
            if inner is None or inner[0] != "new-screen":
                return None
            owner, method = "screen", fn.attr
        else:
            return None
        if owner == "module" and method in _TURTLE_CTORS:
            return "new-turtle", method
        if owner == "module" and method in _SCREEN_CTORS:
            return "new-screen", method
        return owner, method

    def _shadowed(self, name: str) -> bool:
        return name in self.funcs or name in self.assigned

    def _call_stmt(self, node: ast.Call) -> list[Call]:
        line = node.lineno
        fn = node.func
        if isinstance(fn, ast.Name) and fn.id in self.funcs:
            return [self._call_func(node, self.funcs[fn.id])]
        if isinstance(fn, ast.Name) and fn.id == "print":
            return [self._print(node)]
        kind = self._turtle_call(node)
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
            if self.made_turtle:
                raise TurtleError(line, f"{what} draws with a second turtle beside the one made with Turtle(); "
                                        "a Scratch sprite is one turtle")
            self.used_default = True
        if any(k.arg is None for k in node.keywords) or any(isinstance(a, ast.Starred) for a in node.args):
            raise TurtleError(line, f"{what} with *args/**kwargs has no block equivalent")
        if method == "bgcolor":
            raise TurtleError(line, f"{what}: the stage background has no pen block to set it")
        if method == "colormode":
            return self._colormode(node, what)
        if method in _QUIET:
            return []
        if method in _QUERIES:
            raise TurtleError(line, f"{what} on its own line does nothing")
        return self._turtle_stmt(method, node, what)

    def _args(self, node: ast.Call, what: str, names: tuple[str, ...], need: int) -> list[ast.expr | None]:
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

    def _turtle_stmt(self, m: str, node: ast.Call, what: str) -> list[Call]:
        line = node.lineno
        one = lambda name: self._expr(self._args(node, what, (name,), 1)[0])  # noqa: E731
        if m in ("forward", "fd"):
            return [_b("motion_movesteps", one("distance"))]
        if m in ("backward", "back", "bk"):
            return [_b("motion_movesteps", self._neg(one("distance")))]
        if m in ("right", "rt"):
            return [_b("motion_turnright", one("angle"))]
        if m in ("left", "lt"):
            return [_b("motion_turnleft", one("angle"))]
        if m in ("goto", "setpos", "setposition"):
            x, y = self._args(node, what, ("x", "y"), 1)
            if y is None:
                if not (isinstance(x, (ast.Tuple, ast.List)) and len(x.elts) == 2):
                    raise TurtleError(line, f"{what} with one argument needs an (x, y) pair written out")
                x, y = x.elts
            return [_b("motion_gotoxy", self._expr(x), self._expr(y))]
        if m == "setx":
            return [_b("motion_setx", one("x"))]
        if m == "sety":
            return [_b("motion_sety", one("y"))]
        if m in ("setheading", "seth"):
            arg = self._args(node, what, ("to_angle",), 1)[0]
            try:
                h = self._number(arg)
                return [_b("motion_pointindirection", _num(_r6((90 - h + 179) % 360 - 179)))]
            except _NotConst:
                return [_b("motion_pointindirection", _b("operator_subtract", Num("90"), self._expr(arg)))]
        if m == "home":
            self._args(node, what, (), 0)
            return [_b("motion_gotoxy", Num("0"), Num("0")), _b("motion_pointindirection", Num("90"))]
        if m == "circle":
            return self._circle(node, what)
        if m in ("penup", "pu", "up"):
            return [_b("pen_penUp")]
        if m in ("pendown", "pd", "down"):
            return [_b("pen_penDown")]
        if m in ("pencolor", "color"):
            return [_b("pen_setPenColorToColor", Str(self._color(node, what, m == "color")))]
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

    def _circle(self, node: ast.Call, what: str) -> list[Call]:
        """CPython's ``circle``: ``steps`` sides of length ``l``, turning ``w`` after each, with a
        half turn ``w/2`` before the first side and back after the last (the polygon is inscribed)."""
        r_node, extent_node, steps_node = self._args(node, what, ("radius", "extent", "steps"), 1)
        try:
            radius = self._number(r_node)
            extent = 360.0 if extent_node is None or _is_none(extent_node) else self._number(extent_node)
            steps = None if steps_node is None or _is_none(steps_node) else self._number(steps_node)
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

    def _color(self, node: ast.Call, what: str, both: bool) -> str:
        if node.keywords:
            raise TurtleError(node.lineno, f"{what} with keywords has no block equivalent")
        args = list(node.args)
        if not args:
            raise TurtleError(node.lineno, f"{what} without a colour only reads it")
        try:
            values = tuple(self._literal(a) for a in args)
        except _NotConst:
            raise TurtleError(node.lineno, f"{what}: only colours written in the program (names, \"#rrggbb\", "
                                           "(r, g, b)) can be turned into a pen colour block") from None
        if both and len(values) == 2 and not all(isinstance(v, (int, float)) for v in values):
            values = values[:1]  # color(pen, fill): fills are not drawn
        try:
            return color_hex(values, self.colormode)
        except ValueError as e:
            raise TurtleError(node.lineno, f"{what}: {e}") from None

    def _colormode(self, node: ast.Call, what: str) -> list[Call]:
        if self.scope.func is not None or not node.args:
            raise TurtleError(node.lineno, f"{what}: only colormode(1.0) or colormode(255) at the top of the "
                                           "program is supported")
        try:
            v = self._literal(node.args[0])
        except _NotConst:
            raise TurtleError(node.lineno, f"{what} needs 1.0 or 255 written out") from None
        if v in (1.0, 255):
            self.colormode = 255 if v == 255 else 1.0
        return []

    def _print(self, node: ast.Call) -> Call:
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise TurtleError(node.lineno, "print() with keywords or *args has no block equivalent")
        parts = [self._expr(a) for a in node.args]
        if not parts:
            return _b("looks_say", Str(""))
        text = parts[0]
        for p in parts[1:]:
            text = _b("operator_join", _b("operator_join", text, Str(" ")), p)
        return _b("looks_say", text)

    # ------------------------------------------------------------------ expressions
    def _literal(self, node: ast.expr, names: bool = True):
        """The value of an expression made of literals (and, with ``names``, constant names and
        the current item of an unrolled loop), or _NotConst."""
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, str)) \
                and not isinstance(node.value, bool):
            return node.value
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            return node.value
        if isinstance(node, (ast.Tuple, ast.List)):
            return tuple(self._literal(e, names) for e in node.elts)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            v = self._literal(node.operand, names)
            if not isinstance(v, (int, float)):
                raise _NotConst
            return -v if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.BinOp):
            a, b = self._literal(node.left, names), self._literal(node.right, names)
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
            if node.id in self.unrolled:
                return self.unrolled[node.id]
            f = self.scope.func
            if node.id in self.constants and not (f is not None and node.id in f.params):
                return self.constants[node.id]
        raise _NotConst

    def _number(self, node: ast.expr) -> float | int:
        v = self._literal(node)
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            raise _NotConst
        return v

    def _expr(self, node: ast.expr) -> Expr:
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Name) and node.id in self.unrolled:
            v = self.unrolled[node.id]
            return Str(v) if isinstance(v, str) else _num(v, line)
        try:  # arithmetic on literals is worked out here: 360 / 5 is written 72
            v = self._literal(node, names=False)
            if isinstance(v, str):
                return Str(v)
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                return _num(v, line)
        except _NotConst:
            pass
        if isinstance(node, ast.Name):
            return self._name(node)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub):
                return self._neg(self._expr(node.operand))
            if isinstance(node.op, ast.UAdd):
                return self._expr(node.operand)
            if isinstance(node.op, ast.Not):
                return self._cond(node)
        if isinstance(node, ast.BinOp):
            a, b = self._expr(node.left), self._expr(node.right)
            if isinstance(node.op, ast.Add) and (_stringy(node.left) or _stringy(node.right)):
                return _b("operator_join", a, b)
            if isinstance(node.op, ast.FloorDiv):
                return _b("operator_mathop", "floor", _b("operator_divide", a, b))
            return _b(self._binop(node.op, line), a, b)
        if isinstance(node, (ast.Compare, ast.BoolOp)):
            return self._cond(node)
        if isinstance(node, ast.JoinedStr):
            return self._fstring(node)
        if isinstance(node, ast.Call):
            return self._call_expr(node)
        raise TurtleError(line, f"{ast.unparse(node)} has no block equivalent")

    def _name(self, node: ast.Name) -> Expr:
        name, f, line = node.id, self.scope.func, node.lineno
        if f is not None and name in f.params:
            if name in f.turtle_params:
                raise TurtleError(line, f"{name!r} is the turtle, not a value")
            return _b("argument_reporter_string_number", name)
        if name in self.counters and name not in self.active_loops:
            raise TurtleError(line, f"{name!r} is read outside its for loop; the block counter would not hold "
                                    "the value Python leaves in it")
        if name in self.active_loops or name in self.assigned or self._assigned_in_functions(name):
            return _b("data_variable", name)
        raise TurtleError(line, f"{name!r} is not a variable this program sets")

    def _assigned_in_functions(self, name: str) -> bool:
        return any(isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)
                   for f in self.funcs.values() for n in ast.walk(f.node))

    def _neg(self, e: Expr) -> Expr:
        if isinstance(e, Num):
            return _num(-e.value)
        return _b("operator_subtract", Num("0"), e)

    @staticmethod
    def _binop(op: ast.operator, line: int) -> str:
        table = {ast.Add: "operator_add", ast.Sub: "operator_subtract", ast.Mult: "operator_multiply",
                 ast.Div: "operator_divide", ast.Mod: "operator_mod"}
        if type(op) not in table:
            sym = {ast.Pow: "**", ast.FloorDiv: "//", ast.MatMult: "@"}.get(type(op), type(op).__name__)
            raise TurtleError(line, f"the {sym} operator on values computed while running has no block")
        return table[type(op)]

    def _cond(self, node: ast.expr) -> Call:
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Compare):
            parts, left = [], node.left
            for op, right in zip(node.ops, node.comparators):
                a, b = self._expr(left), self._expr(right)
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
            out = self._cond(node.values[0])
            for v in node.values[1:]:
                out = _b(opcode, out, self._cond(v))
            return out
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return _b("operator_not", self._cond(node.operand))
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            raise TurtleError(line, f"a bare {node.value} as a condition has no block equivalent")
        # a number used as a condition: Python's truth test is "not zero"
        return _b("operator_not", _b("operator_equals", self._expr(node), Num("0")))

    def _fstring(self, node: ast.JoinedStr) -> Expr:
        parts: list[Expr] = []
        for v in node.values:
            if isinstance(v, ast.Constant):
                parts.append(Str(str(v.value)))
            elif isinstance(v, ast.FormattedValue) and v.conversion == -1 and v.format_spec is None:
                parts.append(self._expr(v.value))
            else:
                raise TurtleError(node.lineno, "f-string formatting (!r, :.2f) has no block equivalent")
        if not parts:
            return Str("")
        out = parts[0]
        for p in parts[1:]:
            out = _b("operator_join", out, p)
        return out

    def _call_expr(self, node: ast.Call) -> Expr:
        fn, line = node.func, node.lineno
        if isinstance(fn, ast.Name) and fn.id in ("abs", "str") and len(node.args) == 1 and not node.keywords:
            inner = self._expr(node.args[0])
            return inner if fn.id == "str" else _b("operator_mathop", "abs", inner)
        kind = self._turtle_call(node)
        if kind is not None and kind[0] in ("turtle", "module") and kind[1] in _QUERIES and not node.args:
            if kind[0] == "module":
                self.used_default = True
            if kind[1] == "xcor":
                return _b("motion_xposition")
            if kind[1] == "ycor":
                return _b("motion_yposition")
            return _b("operator_mod", _b("operator_subtract", Num("90"), _b("motion_direction")), Num("360"))
        if isinstance(fn, ast.Name) and fn.id in self.funcs:
            raise TurtleError(line, f"{fn.id}() returns nothing a block can hold")
        raise TurtleError(line, f"{ast.unparse(fn)}() has no block equivalent")


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _stringy(node: ast.expr) -> bool:
    """Whether ``+`` on this operand joins text (Python would refuse text + number anyway)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _stringy(node.left) or _stringy(node.right)
    return (isinstance(node, ast.Constant) and isinstance(node.value, str)) or isinstance(node, ast.JoinedStr) \
        or (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "str")


def transpile_turtle(source: str) -> Program:
    """The block program equivalent to a simple turtle program (read, never run).

    Raises :class:`TurtleError` ("line 7: turtle.stamp() has no block equivalent") for anything
    outside the supported subset (see the module docstring).
    """
    program = _Transpiler(source).program()
    from codehone.blocks.language import parse
    from codehone.blocks.printer import format_program

    text = format_program(program)
    if parse(text) != program:  # the printer and parser must agree, or the text is not the program
        raise AssertionError(f"transpiled program does not print back to itself:\n{text}")
    return program


def turtle_to_text(source: str) -> str:
    """:func:`transpile_turtle`, printed in the canonical text form."""
    from codehone.blocks.printer import format_program

    return format_program(transpile_turtle(source))
