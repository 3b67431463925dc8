"""What the turtle transpiler knows while it reads one program, and what every part of it uses.

The turtle API's names by what they become; :class:`Context`, the facts about the program being
read (which names are the turtle module, the turtle and the screen, its functions, its constants,
the loops and function being translated) and which calls are turtle calls; the errors and the
small block builders. The translation itself is :mod:`~codehone.blocks.turtle.expressions`,
:mod:`~codehone.blocks.turtle.calls` and :mod:`~codehone.blocks.turtle.statements`, driven by
:mod:`~codehone.blocks.turtle.transpile`.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass, field

from codehone.blocks.lang.nodes import Call, Num, canonical_number

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


@dataclass
class Context:
    """The program being transpiled: its tree, what its names are bound to, and where we are in it."""

    tree: ast.Module
    modules: set[str] = field(default_factory=set)  # names bound to the turtle module
    bare: set[str] = field(default_factory=set)  # turtle functions imported by name (or *)
    turtles: set[str] = field(default_factory=set)  # names bound to the one Turtle()
    screens: set[str] = field(default_factory=set)
    made_turtle: bool = False
    used_default: bool = False
    colormode: float = 1.0
    scope: _Scope = field(default_factory=_Scope)
    active_loops: list[str] = field(default_factory=list)  # counter variables of the for loops we are inside
    counters: set[str] = field(default_factory=set)  # every name used as a for-loop counter
    unrolled: dict[str, object] = field(default_factory=dict)  # `for c in [...]`: the item of the copy being written
    funcs: dict[str, _Func] = field(default_factory=dict)
    assigned: dict[str, int] = field(default_factory=dict)  # module-level name -> times bound there
    constants: dict[str, object] = field(default_factory=dict)  # names whose value is known when transpiling

    def is_turtle(self, name: str) -> bool:
        f = self.scope.func
        return name in self.turtles or (f is not None and name in f.turtle_params)

    def turtle_call(self, node: ast.Call) -> tuple[str, str] | None:
        """("turtle" | "screen" | "module" | "new-turtle" | "new-screen", method) or None."""
        fn = node.func
        if isinstance(fn, ast.Name) and fn.id in self.bare and not self.shadowed(fn.id):
            owner, method = "module", fn.id
        elif isinstance(fn, ast.Attribute) and isinstance(fn.value, ast.Name):
            base, method = fn.value.id, fn.attr
            if base in self.modules:
                owner = "module"
            elif self.is_turtle(base):
                owner = "turtle"
            elif base in self.screens:
                owner = "screen"
            else:
                return None
        elif isinstance(fn, ast.Attribute) and isinstance(fn.value, ast.Call):
            inner = self.turtle_call(fn.value)
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

    def shadowed(self, name: str) -> bool:
        return name in self.funcs or name in self.assigned
