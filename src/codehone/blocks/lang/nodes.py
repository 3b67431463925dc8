"""The parsed form of a block program, shared by the parser, printer, sb3 converter and interpreter.

A program is a list of sprites; a sprite holds scripts (a hat block and the stack under it) and
custom-block definitions. Every block, statement or reporter, is a :class:`Call` with its
Scratch opcode. Arguments are held the way Scratch stores them, so conversion to ``.sb3`` is
direct: an *input* is an expression (:class:`Num`, :class:`Str` or a reporter :class:`Call`),
a *field* (dropdown, variable name) is a plain ``str`` holding Scratch's value (``"_edge_"``,
not the text spelling ``"edge"``).

Source positions (``line``) are kept for messages but ignored by ``==``, so a parsed program
compares equal to one read back from an ``.sb3``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Union

_INT = re.compile(r"-?\d+")
_FLOAT = re.compile(r"-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


def canonical_number(text: str) -> str | None:
    """The canonical spelling of a numeric literal, or None if ``text`` is not one.

    Integers print as integers, everything else as Python's shortest float repr; the same rule
    is applied when reading text and when reading an ``.sb3`` slot, which is what makes
    text -> sb3 -> text exact.
    """
    t = text.strip()
    if _INT.fullmatch(t):
        return str(int(t))
    if _FLOAT.fullmatch(t):
        v = float(t)
        if math.isfinite(v):
            return repr(v)
    return None


@dataclass(frozen=True)
class Num:
    """A number literal, kept as its canonical text (``"10"``, ``"1.5"``)."""

    text: str

    @property
    def value(self) -> float | int:
        return int(self.text) if _INT.fullmatch(self.text) else float(self.text)


@dataclass(frozen=True)
class Str:
    """A text literal (also used for menu choices in Scratch's spelling, e.g. ``"_edge_"``)."""

    value: str


@dataclass(frozen=True)
class Call:
    """One block. ``args`` follow the catalogue's argument order (fields as ``str``);
    ``bodies`` are the C-block branches (one for repeat/if, two for if/else).

    For ``procedures_call`` the first arg is the proccode (``"square %s"``), then the inputs;
    for argument reporters it is the argument's name.
    """

    opcode: str
    args: tuple[Union["Expr", str], ...] = ()
    bodies: tuple[tuple["Call", ...], ...] = ()
    line: int = field(default=0, compare=False, repr=False)


Expr = Union[Num, Str, Call]


@dataclass(frozen=True)
class Script:
    """A hat block and its stack. ``hat`` is None for a loose stack (written ``script():``)."""

    hat: Call | None
    body: tuple[Call, ...]


@dataclass(frozen=True)
class Define:
    """A custom block: ``proccode`` is Scratch's ("square %s"), one name per ``%s``/``%b``."""

    proccode: str
    argnames: tuple[str, ...]
    body: tuple[Call, ...]
    warp: bool = False  # "run without screen refresh": loops inside do not yield

    @property
    def argkinds(self) -> tuple[str, ...]:
        """``"s"`` (text/number) or ``"b"`` (boolean) for each argument, in order."""
        return proc_argkinds(self.proccode)


@dataclass(frozen=True)
class Sprite:
    name: str
    scripts: tuple[Script | Define, ...]


@dataclass(frozen=True)
class Program:
    sprites: tuple[Sprite, ...]

    def sprite(self, name: str) -> Sprite:
        for s in self.sprites:
            if s.name == name:
                return s
        raise KeyError(name)


def proc_argkinds(proccode: str) -> tuple[str, ...]:
    return tuple(re.findall(r"%([sb])", proccode))


def proc_label(proccode: str, n_args: int) -> str | None:
    """The short text name of a proccode of the form ``"name %s %s"``, else None.

    ``define("square", "size")`` is the short form of proccode ``"square %s"``; proccodes with
    labels between arguments or boolean arguments are written out in full.
    """
    suffix = " %s" * n_args
    if n_args and not proccode.endswith(suffix):
        return None
    label = proccode[: len(proccode) - len(suffix)] if n_args else proccode
    if not label or "%" in label:
        return None
    return label


def walk(calls: tuple[Call, ...] | list[Call]):
    """Every block under ``calls``, depth first, including reporters inside arguments."""
    for c in calls:
        yield c
        for a in c.args:
            if isinstance(a, Call):
                yield from walk((a,))
        for body in c.bodies:
            yield from walk(body)
