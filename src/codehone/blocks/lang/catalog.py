"""The block catalogue: which Scratch 3 blocks codehone knows, loaded from ``catalog.json``.

The catalogue is data, not code, so that the parser, the printer, the ``.sb3`` converter, the
interpreter and (later) the constrained-decoding grammar all agree on one list. Each entry gives:

- ``opcode``: Scratch's own opcode (``motion_movesteps``); input and field names are Scratch's
  too (``STEPS``), so a project written from this catalogue opens in the Scratch editor;
- ``name``: the text-language spelling (``move``) and ``args``: its argument order;
- ``shape``: ``hat``, ``stack``, ``c-block``, ``cap``, ``reporter``, ``boolean`` (or
  ``internal`` for blocks that only exist inside an ``.sb3``, such as ``procedures_prototype``).

Argument kinds: an ``input`` is a slot that can hold a literal (stored as a shadow) or a
reporter block; a ``field`` is a fixed value on the block itself (a dropdown or a variable name).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

# Inputs whose slot holds a number literal; the rest hold text, a colour, a menu choice or a boolean.
NUMBER_TYPES = frozenset({"number", "positive_number", "whole_number", "integer", "angle"})
SHAPES = frozenset({"hat", "stack", "c-block", "cap", "reporter", "boolean", "internal"})


@dataclass(frozen=True)
class ArgSpec:
    """One argument of a block, in text-language order."""

    name: str  # Scratch input or field name, e.g. "STEPS"
    label: str  # what error messages call it, e.g. "steps"
    kind: str  # "input" or "field"
    type: str  # number types, text, color, boolean, broadcast, menu; option/variable/argument for fields
    default: str = ""  # shadow value written when a reporter covers the slot
    menu: str | None = None  # opcode of the menu shadow block (kind=input, type=menu)
    menu_field: str | None = None  # field name inside that menu block
    options: dict[str, str] = field(default_factory=dict)  # text spelling -> Scratch value
    free: bool = True  # whether values outside ``options`` are allowed (sprite names, costumes)

    @property
    def is_number(self) -> bool:
        return self.kind == "input" and self.type in NUMBER_TYPES

    def to_scratch(self, text_value: str) -> str:
        """Map a text-language choice ("edge") to the value Scratch stores ("_edge_")."""
        return self.options.get(text_value, text_value)

    def to_text(self, scratch_value: str) -> str:
        """Inverse of :meth:`to_scratch`."""
        for text, value in self.options.items():
            if value == scratch_value:
                return text
        return scratch_value


@dataclass(frozen=True)
class BlockSpec:
    opcode: str
    name: str | None
    shape: str
    category: str
    args: tuple[ArgSpec, ...] = ()
    substacks: tuple[str, ...] = ()
    terminal: bool = False  # nothing may follow it (forever, stop all)
    # a terminal block that is not terminal for this field value ("stop other scripts in sprite")
    not_terminal_when: dict[str, str] = field(default_factory=dict)
    variadic: bool = False  # custom-block define/call: arguments come from the proccode
    else_name: str | None = None  # control_if_else: the spelling of its second branch

    @property
    def is_expression(self) -> bool:
        return self.shape in ("reporter", "boolean")

    @property
    def signature(self) -> str:
        """How the block is written, for error messages: ``go_to_xy(x, y)``."""
        return f"{self.name}({', '.join(a.label for a in self.args)})"


@dataclass(frozen=True)
class Catalog:
    blocks: dict[str, BlockSpec]  # opcode -> spec
    by_name: dict[str, BlockSpec]  # text name -> spec (if_ maps to control_if)
    primitive_codes: dict[str, int]  # input type -> sb3 compressed primitive code
    shadow_opcodes: dict[str, str]  # input type -> opcode of its shadow block

    def spec(self, opcode: str) -> BlockSpec:
        return self.blocks[opcode]


def _arg(d: dict[str, Any]) -> ArgSpec:
    return ArgSpec(
        name=d["name"], label=d["label"], kind=d["kind"], type=d["type"], default=d.get("default", ""),
        menu=d.get("menu"), menu_field=d.get("menu_field"), options=dict(d.get("options", {})),
        free=d.get("free", True),
    )


def parse_catalog(data: dict[str, Any]) -> Catalog:
    """Build a :class:`Catalog` from the JSON document, checking it is self-consistent."""
    blocks: dict[str, BlockSpec] = {}
    by_name: dict[str, BlockSpec] = {}
    for d in data["blocks"]:
        spec = BlockSpec(
            opcode=d["opcode"], name=d.get("name"), shape=d["shape"], category=d["category"],
            args=tuple(_arg(a) for a in d.get("args", [])), substacks=tuple(d.get("substacks", [])),
            terminal=d.get("terminal", False), not_terminal_when=dict(d.get("not_terminal_when", {})),
            variadic=d.get("variadic", False), else_name=d.get("else_name"),
        )
        if spec.shape not in SHAPES:
            raise ValueError(f"catalog: {spec.opcode} has unknown shape {spec.shape!r}")
        if spec.opcode in blocks:
            raise ValueError(f"catalog: duplicate opcode {spec.opcode}")
        blocks[spec.opcode] = spec
        # control_if_else shares the spelling if_ with control_if; the parser upgrades on else_.
        if spec.name is not None and spec.else_name is None:
            if spec.name in by_name:
                raise ValueError(f"catalog: duplicate text name {spec.name}")
            by_name[spec.name] = spec
    return Catalog(blocks, by_name, dict(data["primitive_codes"]), dict(data["shadow_opcodes"]))


@cache
def load_catalog() -> Catalog:
    """The packaged catalogue (read once per process)."""
    text = resources.files("codehone.blocks.lang").joinpath("catalog.json").read_text(encoding="utf-8")
    return parse_catalog(json.loads(text))
