"""Is a transpiled turtle program the same drawing? Run both and compare.

:func:`verify_turtle` transpiles (:mod:`codehone.blocks.turtle.transpile`), runs the original
Python in the sandbox with the recording turtle (:mod:`codehone.blocks.turtle.record`) and the
blocks in the interpreter, and compares every pen line (endpoints within :data:`TOLERANCE`), its
colour and size, and what was printed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from codehone.blocks.lang.printer import format_program
from codehone.blocks.runtime import interpreter
from codehone.blocks.runtime.checks import pen_color
from codehone.blocks.turtle import record
from codehone.blocks.turtle.transpile import TurtleError, transpile_turtle
from codehone.core.sandbox.run import Limits, run_program

__all__ = ["TOLERANCE", "TurtleVerdict", "compare_drawings", "record_turtle", "verify_turtle"]

# Endpoints must agree within this many stage pixels. What separates a correct transpilation from
# the recorded turtle: the trace's rounding to 1e-6, circle constants written to 6 decimals
# (< 1e-4 px over a 60-sided circle) and float drift between turtle's rotated unit vector and
# Scratch's cos/sin of the direction (~1e-12 per step). A wrong block moves a point by a pixel or
# more, so 0.01 px separates the two with room on both sides.
TOLERANCE = 0.01
RUN_LIMITS = {"max_steps": 200_000, "max_seconds": 3600.0}  # turtle programs loop a lot, quickly
@dataclass
class TurtleVerdict:
    ok: bool
    detail: str
    blocks_text: str = ""
    python_segments: list = field(default_factory=list)
    block_segments: list = field(default_factory=list)


def record_turtle(source: str, timeout_s: float = 10.0) -> dict:
    """Run a turtle program in the sandbox with the recording turtle; returns
    ``{"segments", "pens", "said", "error"}`` (``error`` names the line when the program failed).

    The drawing comes back as the return value of ``record`` (plain data on the sandbox's
    nonce-tagged channel), not as printed text: a program that prints a fake record, or exits
    early, gets no drawing, and the comparison happens here, outside its interpreter."""
    program = Path(record.__file__).read_text(encoding="utf-8")
    box = Limits(output_bytes=64 << 10, verdict_bytes=32 << 20, digest_over=32 << 20, max_cpu_s=timeout_s + 5)
    out = run_program(program, entry_point="record", inputs=[[source]], limits=[timeout_s], sandbox=box)
    value = out.outputs[0] if out.status == "done" and len(out.outputs) == 1 else None
    if isinstance(value, dict) and {"segments", "pens", "said", "error"} <= set(value):
        return json.loads(json.dumps(value))  # tuples to lists, as the record always reads
    return {"segments": [], "pens": [], "said": [],
            "error": f"the recording run ended without a result ({out.status}: {out.detail})"}


def _said_key(text: str) -> str:
    # Python prints 6.0 and True where Scratch says 6 and true: the same values, written two ways
    text = re.sub(r"\b(True|False)\b", lambda m: m.group(1).lower(), text)
    return re.sub(r"(?<![\w.])(-?\d+)\.0(?![\d.])", r"\1", text)


def compare_drawings(python: dict, trace: dict, tol: float = TOLERANCE) -> str | None:
    """Why the recorded turtle run and the block trace differ, or None when they agree: the same
    pen lines in the same order (endpoints within ``tol``), colours and sizes, and speech."""
    if python.get("error"):
        return f"the Python program failed: {python['error']}"
    if trace.get("stopped_by_cap"):
        return "the block program stopped at the interpreter's cap: " + "; ".join(trace.get("notes", []))
    ps, bs = python["segments"], trace["segments"]
    off = [s for s in ps if any(abs(v) > lim for v, lim in zip(s, (240, 180, 240, 180)))]
    for i, (p, b) in enumerate(zip(ps, bs)):
        if any(abs(u - v) > tol for u, v in zip(p, b)):
            where = " (the turtle leaves Scratch's 480x360 stage, where a sprite is held back)" if off else ""
            return f"pen line {i + 1} differs: Python {_fmt(p)}, blocks {_fmt(b)}{where}"
    if len(ps) != len(bs):
        return f"Python draws {len(ps)} pen lines, the blocks {len(bs)}"
    for i, (p, b) in enumerate(zip(python["pens"], trace["segment_pens"])):
        # Scratch's pen keeps colours as HSV and rounds down going back to RGB: #ffff00 draws #fffe00
        if not pen_color(trace | {"segment_pens": [b]}, p[0]).ok or float(p[1]) != float(b[2]):
            return f"pen line {i + 1}: Python draws it {p[0]} size {p[1]}, the blocks {b[1]} size {b[2]}"
    said_p, said_b = [_said_key(s) for s in python["said"]], [_said_key(s) for s in trace["said"]]
    if said_p != said_b:
        return f"Python prints {python['said']!r}, the blocks say {trace['said']!r}"
    return None


def _fmt(seg) -> str:
    return "[" + ", ".join(f"{v:.4f}" for v in seg) + "]"


def verify_turtle(source: str, timeout_s: float = 10.0) -> TurtleVerdict:
    """Transpile, then run both the Python (sandboxed, recording turtle) and the blocks
    (interpreter) and compare what they draw and say."""
    try:
        program = transpile_turtle(source)
    except TurtleError as e:
        return TurtleVerdict(False, str(e))
    text = format_program(program)
    python = record_turtle(source, timeout_s)
    trace = interpreter.run_program(program, **RUN_LIMITS)
    why = compare_drawings(python, trace)
    return TurtleVerdict(why is None, why or f"{len(trace['segments'])} pen lines match", text,
                         python["segments"], trace["segments"])
