"""Print a program as scratchblocks text, the syntax the studio page draws as Scratch-looking blocks.

    when flag clicked
    pen down
    repeat (4)
      move (80) steps
      turn ↻ (90) degrees
    end

The wording of each block is the library's own (``scratchblocks_specs.json``, written from
scratchblocks' ``commands.js`` by ``scripts/refresh_scratchblocks.py``), so the page's parser
recognises every block as the block it is (shape, colour, category). Only what the library has no
command for is written here: variables, custom blocks and their arguments, which scratchblocks
draws from a ``:: category`` hint. Sprites are separated by a comment line naming the sprite,
since scratchblocks draws scripts, not sprites.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from codehone.blocks.lang.catalog import Catalog, load_catalog
from codehone.blocks.lang.nodes import Call, Define, Expr, Num, Program, Script, Str, proc_label, walk

__all__ = ["block_count", "program_to_scratchblocks"]

SPECS_FILE = Path(__file__).with_name("scratchblocks_specs.json")
# The library writes icons as @names; its parser reads these characters for them.
ICONS = {"@greenFlag": "⚑", "@turnRight": "↻", "@turnLeft": "↺"}
_SLOT = re.compile(r"%(\d+)")


@lru_cache(maxsize=1)
def _specs() -> dict[str, dict]:
    return json.loads(SPECS_FILE.read_text(encoding="utf-8"))["specs"]


def _escape(text: str) -> str:
    """Backslash the characters that would end a slot or start a new one."""
    return re.sub(r"([\[\]()<>\\])", r"\\\1", text.replace("\n", " "))


class _Printer:
    def __init__(self, catalog: Catalog):
        self.cat = catalog

    # ------------------------------------------------------------------ expressions
    def reporter(self, c: Call) -> str:
        """A reporter or boolean in its own brackets: ``(x position)``, ``<mouse down?>``."""
        inner = self.block(c)
        return f"<{inner}>" if self.cat.spec(c.opcode).shape == "boolean" else f"({inner})"

    def slot(self, value: Expr | str, kind: str) -> str:
        """One argument in the slot the library expects for ``kind`` (``%n``, ``%s``, ``%b``, ``%m.x``...)."""
        if isinstance(value, Call):
            return self.reporter(value)
        text = value if isinstance(value, str) else value.text if isinstance(value, Num) else value.value
        if kind == "%b":
            return "<>"
        if kind.startswith("%m."):
            return f"[{_escape(text)} v]"
        if kind.startswith("%d."):
            return f"({_escape(text)} v)"
        if kind == "%n":
            return f"({_escape(text)})"
        return f"[{_escape(text)}]"  # %s text, %c colour ("[#ff0000]" draws a swatch)

    def menu_text(self, c: Call, i: int, value: Expr | str) -> Expr | str:
        """Menu values as the child reads them (``edge``, not Scratch's stored ``_edge_``)."""
        spec = self.cat.spec(c.opcode).args[i]
        if isinstance(value, str):
            return spec.to_text(value)
        if isinstance(value, Str) and spec.type == "menu":
            return Str(spec.to_text(value.value))
        return value

    # ------------------------------------------------------------------ blocks
    def block(self, c: Call) -> str:
        """The text of one block without brackets (a stack block's whole line, a C-block's header)."""
        if c.opcode == "data_variable":
            return f"{_escape(str(c.args[0]))} :: variables"
        if c.opcode.startswith("argument_reporter"):
            return f"{_escape(str(c.args[0]))} :: custom-arg"
        if c.opcode == "procedures_call":
            return self.custom_call(c)
        entry = _specs().get(c.opcode)
        if entry is None:  # a catalogue block the library lacks: its text name, drawn as a grey block
            return f"{self.cat.spec(c.opcode).name} :: grey"
        args = [self.menu_text(c, i, a) for i, a in enumerate(c.args)]
        kinds = entry["inputs"]

        def fill(m: re.Match) -> str:
            i = int(m.group(1)) - 1
            return self.slot(args[i], kinds[i]) if i < len(args) else self.slot(Str(""), kinds[i])

        text = _SLOT.sub(fill, entry["spec"])
        for name, char in ICONS.items():
            text = text.replace(name, char)
        return text

    def custom_call(self, c: Call) -> str:
        words, args = str(c.args[0]).split(" "), list(c.args[1:])
        out = []
        for w in words:
            if w in ("%s", "%n", "%b") and args:
                out.append(self.slot(args.pop(0), "%b" if w == "%b" else "%s"))
            else:
                out.append(_escape(w))
        return " ".join(out) + " :: custom"

    def body(self, calls: tuple[Call, ...], depth: int, out: list[str]) -> None:
        pad = "  " * depth
        for c in calls:
            out.append(pad + self.block(c))
            spec = self.cat.spec(c.opcode)
            if not spec.substacks:
                continue
            self.body(c.bodies[0] if c.bodies else (), depth + 1, out)
            if c.opcode == "control_if_else":
                out.append(pad + "else")
                self.body(c.bodies[1] if len(c.bodies) > 1 else (), depth + 1, out)
            out.append(pad + "end")

    def define(self, d: Define) -> str:
        names, kinds, words = list(d.argnames), list(d.argkinds), []
        label = proc_label(d.proccode, len(d.argnames))
        for w in (label.split(" ") + ["%s"] * len(d.argnames)) if label else d.proccode.split(" "):
            if w in ("%s", "%n", "%b") and names:
                name, kind = _escape(names.pop(0)), kinds.pop(0) if kinds else "s"
                words.append(f"<{name}>" if kind == "b" else f"({name})")
            else:
                words.append(_escape(w))
        return "define " + " ".join(words)


def program_to_scratchblocks(program: Program, catalog: Catalog | None = None) -> str:
    """The whole program as scratchblocks text: scripts separated by a blank line, each sprite
    after a ``// sprite: NAME`` comment when there is more than one sprite."""
    printer = _Printer(catalog or load_catalog())
    out: list[str] = []
    several = len(program.sprites) > 1
    for sprite in program.sprites:
        if several:
            out.append(f"// sprite: {sprite.name}")
        for script in sprite.scripts:
            if isinstance(script, Define):
                out.append(printer.define(script))
            elif script.hat is not None:
                out.append(printer.block(script.hat))
            printer.body(script.body, 0, out)
            out.append("")
    return "\n".join(out).rstrip("\n") + ("\n" if out else "")


def block_count(program: Program) -> int:
    """Blocks on screen: hats and define headers, stack blocks and the reporters inside them."""
    return sum(int(not isinstance(s, Script) or s.hat is not None) + sum(1 for _ in walk(s.body))
               for sp in program.sprites for s in sp.scripts)
