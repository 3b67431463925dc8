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
from decimal import ROUND_HALF_UP, Decimal

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
    """How Scratch shows a value: JavaScript's ``String(v)`` (``6``, ``0.00001``, ``1e+21``, ``NaN``)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return js_number_string(float(v)) if abs(v) >= 1e21 else str(v)
    if isinstance(v, float):
        return js_number_string(v)
    return v


def js_number_string(x: float) -> str:
    """ECMAScript Number::toString: the shortest digits that round-trip (as Python's ``repr``),
    written out in full while the decimal exponent is in (-7, 21], in ``1e+21`` form outside."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    _, digit_tuple, exp = Decimal(repr(abs(x))).normalize().as_tuple()
    digits = "".join(map(str, digit_tuple))
    n = int(exp) + len(digits)  # x = 0.digits * 10^n
    k = len(digits)
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * -n + digits
    e = n - 1
    mant = digits[0] + ("." + digits[1:] if k > 1 else "")
    return f"{sign}{mant}e{'+' if e >= 0 else '-'}{abs(e)}"


def js_round(x: float) -> float:
    """JavaScript's ``Math.round``: halves go up (12.5 -> 13, -2.5 -> -2)."""
    if not math.isfinite(x):
        return x
    r = math.floor(x)
    return float(r + 1 if x - r >= 0.5 else r)


def js_to_fixed(x: float, places: int) -> str:
    """``Number.prototype.toFixed``: exact decimal value, ties away from zero."""
    if not math.isfinite(x) or abs(x) >= 1e21:
        return js_number_string(x)
    q = Decimal(abs(x)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{q:f}"
    return ("-" + text) if x < 0 and q != 0 else text


BUBBLE_LIMIT = 330  # characters a speech bubble shows


def bubble_text(v: Value) -> str:
    """What a say/think bubble shows (``Scratch3LooksBlocks._formatBubbleText``): numbers that are
    not whole and not tiny get exactly 2 decimals (3.5 -> "3.50"), then at most 330 characters."""
    if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) \
            and abs(v) >= 0.01 and v % 1 != 0:
        return js_to_fixed(float(v), 2)[:BUBBLE_LIMIT]
    return to_string(v)[:BUBBLE_LIMIT]


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
    return "." not in v  # scratch-vm Cast.isInt: text without a decimal point


def json_value(v: Value) -> str | float | int | bool:
    """A value safe to put in JSON (no NaN/Infinity), integral floats as ints."""
    if isinstance(v, float):
        if not math.isfinite(v):
            return to_string(v)
        if v.is_integer() and abs(v) < 2**53:
            return int(v)
    return v
