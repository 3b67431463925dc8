"""Scratch's value rules: how text, numbers and booleans convert into each other.

Scratch has one loose value type and converts at each use (scratch-vm ``util/cast.js``): text
that is not a number counts as 0, ``"false"``/``"0"``/``""`` are false, comparisons are numeric
when both sides look like numbers and case-insensitive text comparisons otherwise, and numbers
print the way JavaScript prints them (``6`` not ``6.0``, ``Infinity``). Programs from the model
are judged on what they say, so these details decide whether ``say(add(2, 4))`` shows ``6``.
"""

from __future__ import annotations

import math
import re

Value = str | float | int | bool

_JS_NUMBER = re.compile(r"[+-]?((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|Infinity)|0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+")


def to_number(v: Value) -> float:
    """JavaScript ``Number(v)`` with Scratch's rule that NaN becomes 0."""
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, (int, float)):
        return 0.0 if isinstance(v, float) and math.isnan(v) else float(v)
    n = _js_number(v)
    return 0.0 if math.isnan(n) else n


def _js_number(s: str) -> float:
    t = s.strip()
    if t == "":
        return 0.0
    if not _JS_NUMBER.fullmatch(t):
        return math.nan
    if t[:2].lower() in ("0x", "0b", "0o"):
        return float(int(t, 0))
    return float(t.replace("Infinity", "inf"))


def to_string(v: Value) -> str:
    """How Scratch shows a value: ``6`` for 6.0, ``true`` for True, ``Infinity``, ``NaN``."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "Infinity" if v > 0 else "-Infinity"
        if v.is_integer() and abs(v) < 1e21:
            return str(int(v))
        text = repr(v)
        # JavaScript writes 1e-7 and 1e+21 where Python writes 1e-07 and 1e+21
        return re.sub(r"e([+-])0*(\d)", r"e\1\2", text)
    return v


def to_bool(v: Value) -> bool:
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return not (v == 0 or (isinstance(v, float) and math.isnan(v)))
    return v.lower() not in ("", "0", "false")


def _is_blank(v: Value) -> bool:
    return isinstance(v, str) and v.strip() == ""


def compare(a: Value, b: Value) -> float:
    """Negative, zero or positive, as Scratch's ``Cast.compare``."""
    n1 = math.nan if _is_blank(a) else (_js_number(a) if isinstance(a, str) else to_number(a))
    n2 = math.nan if _is_blank(b) else (_js_number(b) if isinstance(b, str) else to_number(b))
    if math.isnan(n1) or math.isnan(n2):
        s1, s2 = to_string(a).lower(), to_string(b).lower()
        return (s1 > s2) - (s1 < s2)
    if n1 == n2:  # also Infinity == Infinity, where n1 - n2 would be NaN
        return 0.0
    return n1 - n2


def is_int_like(v: Value) -> bool:
    """Whether ``pick_random`` should return whole numbers for this bound (Scratch's rule)."""
    if isinstance(v, bool):
        return True
    if isinstance(v, int):
        return True
    if isinstance(v, float):
        return v.is_integer()
    return "." not in v and to_number(v).is_integer()


def json_value(v: Value) -> str | float | int | bool:
    """A value safe to put in JSON (no NaN/Infinity), integral floats as ints."""
    if isinstance(v, float):
        if not math.isfinite(v):
            return to_string(v)
        if v.is_integer() and abs(v) < 2**53:
            return int(v)
    return v
