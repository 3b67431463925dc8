"""Tokens and single lines of the text language (see :mod:`codehone.blocks.lang.parser`).

A line holds one call, optionally ending in ``:``; arguments are numbers, quoted text or nested
calls. This module only splits a line into a raw call tree and reports malformed lines; checking
names and argument types against the catalogue is the parser's job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from codehone.blocks.lang.catalog import load_catalog


class BlockSyntaxError(ValueError):
    """A mistake in a block program, with its position and a readable explanation."""

    def __init__(self, message: str, line: int, column: int = 1, source_line: str = ""):
        self.message, self.line, self.column, self.source_line = message, line, column, source_line
        where = f"line {line}, column {column}"
        pointer = f"\n    {source_line}\n    {' ' * (column - 1)}^" if source_line else ""
        super().__init__(f"{where}: {message}{pointer}")


# --------------------------------------------------------------------------- tokens

@dataclass(frozen=True)
class _Tok:
    kind: str  # name, num, str, op
    text: str
    col: int  # 1-based
    value: str = ""


_TOKEN = re.compile(
    r"(?P<ws>[ \t]+)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<num>(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)"
    r"|(?P<str>\"(\\.|[^\"\\])*\"|'(\\.|[^'\\])*')|(?P<op>[(),:=\-])|(?P<comment>#.*)"
)
_INFIX_HINT = {
    "+": "add(a, b)", "*": "multiply(a, b)", "/": "divide(a, b)", "%": "mod(a, b)",
    ">": "gt(a, b)", "<": "lt(a, b)", "!": "not_(a)", "&": "and_(a, b)", "|": "or_(a, b)",
}
_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\", '"': '"', "'": "'"}


def _unquote(lit: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), lit[1:-1])


def _tokenize(text: str, lineno: int, offset: int, source: str) -> list[_Tok]:
    toks, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        col = offset + pos + 1
        if m is None:
            ch = text[pos]
            if ch in "\"'":
                raise BlockSyntaxError("this text has no closing quote", lineno, col, source)
            if ch == "=" or text.startswith("==", pos):
                raise BlockSyntaxError("use equals(a, b) to compare values", lineno, col, source)
            hint = _INFIX_HINT.get(ch)
            msg = f"unexpected character {ch!r}" + (f"; blocks are written as calls, use {hint}" if hint else "")
            raise BlockSyntaxError(msg, lineno, col, source)
        kind = m.lastgroup
        if kind == "str":
            toks.append(_Tok("str", m.group(), col, _unquote(m.group())))
        elif kind in ("name", "num", "op"):
            toks.append(_Tok(kind, m.group(), col))
        elif kind == "comment":
            break
        pos = m.end()
    return toks


# --------------------------------------------------------------------------- one line

@dataclass
class _Raw:
    """A call as written, before it is checked against the catalogue."""

    name: str
    args: list["_RawArg"]
    kwargs: dict[str, _Tok]
    col: int


@dataclass
class _RawArg:
    tok: _Tok | None  # literal token (num/str), or None for a nested call
    call: _Raw | None
    col: int
    negative: bool = False


class _LineParser:
    def __init__(self, toks: list[_Tok], lineno: int, source: str):
        self.toks, self.i, self.lineno, self.source = toks, 0, lineno, source

    def err(self, msg: str, col: int) -> BlockSyntaxError:
        return BlockSyntaxError(msg, self.lineno, col, self.source)

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def end_col(self) -> int:
        return len(self.source) + 1

    def call(self) -> _Raw:
        t = self.peek()
        if t is None or t.kind != "name":
            raise self.err("expected a block name here, like move(10)", t.col if t else self.end_col())
        self.i += 1
        nxt = self.peek()
        if nxt is None or nxt.text != "(":
            raise self.err(f"{t.text} needs brackets: write {t.text}(...)", nxt.col if nxt else self.end_col())
        self.i += 1
        args, kwargs = [], {}
        while True:
            nxt = self.peek()
            if nxt is None:
                raise self.err(f"the brackets of {t.text}( are not closed; add ')'", self.end_col())
            if nxt.text == ")":
                self.i += 1
                return _Raw(t.text, args, kwargs, t.col)
            if args or kwargs:
                if nxt.text != ",":
                    raise self.err(f"expected ',' or ')' in {t.text}(...)", nxt.col)
                self.i += 1
                if (after := self.peek()) is not None and after.text == ")":
                    continue
            key = self.peek()
            after = self.toks[self.i + 1] if self.i + 1 < len(self.toks) else None
            if key is not None and key.kind == "name" and after is not None and after.text == "=":
                self.i += 2
                val = self.peek()
                if val is None:
                    raise self.err(f"missing value after {key.text}=", self.end_col())
                self.i += 1
                kwargs[key.text] = val
            else:
                args.append(self.arg(t.text))

    def arg(self, owner: str) -> _RawArg:
        t = self.peek()
        if t is None:
            raise self.err(f"missing value in {owner}(...)", self.end_col())
        if t.text == "-":
            nxt = self.toks[self.i + 1] if self.i + 1 < len(self.toks) else None
            if nxt is None or nxt.kind != "num":
                raise self.err("a minus sign must be followed by a number; use subtract(a, b)", t.col)
            self.i += 2
            return _RawArg(nxt, None, t.col, negative=True)
        if t.kind in ("num", "str"):
            self.i += 1
            return _RawArg(t, None, t.col)
        if t.kind == "name":
            nxt = self.toks[self.i + 1] if self.i + 1 < len(self.toks) else None
            if nxt is None or nxt.text != "(":
                hint = f"; did you mean {t.text}()?" if t.text in load_catalog().by_name else \
                    f'; text must be in quotes: "{t.text}"; a variable is read with variable("{t.text}")'
                raise self.err(f"{t.text} on its own is not a value{hint}", t.col)
            return _RawArg(None, self.call(), t.col)
        raise self.err(f"unexpected {t.text!r} in {owner}(...)", t.col)


