"""Printing programs in the canonical text form (see :mod:`codehone.blocks.lang.parser`).

Canonical means: 4-space indents, double-quoted text, the short ``define("square", "size")``
spelling where the proccode allows it, no ``sprite(...)`` header for a lone ``Sprite1``, and
numbers as their canonical literal. ``parse(format_program(p)) == p`` for every program.
"""

from __future__ import annotations

from codehone.blocks.lang.catalog import Catalog, load_catalog
from codehone.blocks.lang.nodes import Call, Define, Expr, Num, Program, Str, proc_label

DEFAULT_SPRITE = "Sprite1"
INDENT = "    "


def _quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def format_expr(e: Expr | str, cat: Catalog | None = None) -> str:
    cat = cat or load_catalog()
    if isinstance(e, Num):
        return e.text
    if isinstance(e, Str):
        return _quote(e.value)
    if isinstance(e, str):
        return _quote(e)
    return _format_call(e, cat)


def _format_call(c: Call, cat: Catalog) -> str:
    spec = cat.spec(c.opcode)
    if c.opcode == "procedures_call":
        proccode = str(c.args[0])
        label = proc_label(proccode, len(c.args) - 1)
        parts = [_quote(label or proccode)] + [format_expr(a, cat) for a in c.args[1:]]
        return f"call({', '.join(parts)})"
    parts = []
    for a, s in zip(c.args, spec.args):
        if isinstance(a, str):
            parts.append(_quote(s.to_text(a)))
        elif isinstance(a, Str) and s.type == "menu":
            parts.append(_quote(s.to_text(a.value)))
        else:
            parts.append(format_expr(a, cat))
    return f"{spec.name}({', '.join(parts)})"


def _format_body(body: tuple[Call, ...], depth: int, cat: Catalog, out: list[str]) -> None:
    pad = INDENT * depth
    for c in body:
        head = _format_call(c, cat)
        if c.opcode == "control_if_else":
            out.append(f"{pad}{head}:")
            _format_body(c.bodies[0], depth + 1, cat, out)
            out.append(f"{pad}else_():")
            _format_body(c.bodies[1], depth + 1, cat, out)
        elif cat.spec(c.opcode).substacks:
            out.append(f"{pad}{head}:")
            _format_body(c.bodies[0] if c.bodies else (), depth + 1, cat, out)
        else:
            out.append(pad + head)


def format_program(program: Program, catalog: Catalog | None = None) -> str:
    """Print a program in canonical form (4-space indents, double quotes, short define names)."""
    cat = catalog or load_catalog()
    out: list[str] = []
    headers = not (len(program.sprites) == 1 and program.sprites[0].name == DEFAULT_SPRITE)
    for sprite in program.sprites:
        depth = 1 if headers else 0
        if headers:
            out.append(f"sprite({_quote(sprite.name)}):")
        for script in sprite.scripts:
            pad = INDENT * depth
            if isinstance(script, Define):
                label = proc_label(script.proccode, len(script.argnames))
                names = [_quote(label or script.proccode)] + [_quote(n) for n in script.argnames]
                warp = ", warp=True" if script.warp else ""
                out.append(f"{pad}define({', '.join(names)}{warp}):")
            elif script.hat is None:
                out.append(f"{pad}script():")
            else:
                out.append(f"{pad}{_format_call(script.hat, cat)}:")
            _format_body(script.body, depth + 1, cat, out)
    return "\n".join(out) + "\n" if out else ""
