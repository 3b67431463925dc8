"""Reading ``.sb3`` projects back into programs, with errors that name the broken block.

Scratch files come from many editors and versions, so the reader accepts both the compressed
primitives the editor writes (``[4, "10"]``) and uncompressed shadow blocks, and checks every
link it follows: a ``next`` or input that points to a missing block, a child whose ``parent``
is not the block holding it, a cycle, or an opcode the catalogue does not know each raise
:class:`~codehone.blocks.sb3.validate.Sb3Error` naming the sprite, the block id and its opcode.

What the text language cannot hold is refused rather than dropped, except loose top-level
reporters (a value lying on the canvas has no effect and no place in the text).
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

from codehone.blocks.lang.catalog import ArgSpec, Catalog, load_catalog
from codehone.blocks.lang.nodes import Call, Define, Expr, Num, Program, Script, Sprite, Str, canonical_number, proc_argkinds
from codehone.blocks.sb3.validate import Sb3Error, validate_project

_MAX_DEPTH = 500  # nesting deeper than this is treated as a cycle or a hostile file
_PRIMITIVE_FIELDS = {  # uncompressed shadow blocks -> their one field
    "math_number": "NUM", "math_positive_number": "NUM", "math_whole_number": "NUM", "math_integer": "NUM",
    "math_angle": "NUM", "text": "TEXT", "colour_picker": "COLOUR", "event_broadcast_menu": "BROADCAST_OPTION",
}


def _num_or_str(value: Any) -> Num | Str:
    if isinstance(value, bool):
        return Str(str(value).lower())
    if isinstance(value, (int, float)):
        canon = canonical_number(repr(value))
        return Num(canon) if canon is not None else Str(str(value))
    canon = canonical_number(str(value)) if str(value).strip() == str(value) else None
    return Num(canon) if canon is not None else Str(str(value))


class _Reader:
    def __init__(self, cat: Catalog, sprite: str, blocks: dict[str, Any]):
        self.cat, self.name, self.blocks = cat, sprite, blocks
        self.seen: set[str] = set()

    def err(self, bid: str, msg: str) -> Sb3Error:
        b = self.blocks.get(bid)
        op = f" ({b.get('opcode')})" if isinstance(b, dict) else ""
        return Sb3Error(f"sprite {self.name!r}, block {bid!r}{op}: {msg}")

    def get(self, bid: Any, parent: str | None) -> dict[str, Any]:
        if not isinstance(bid, str) or bid not in self.blocks:
            raise self.err(parent or "?", f"points to block {bid!r}, which does not exist")
        b = self.blocks[bid]
        if not isinstance(b, dict):
            raise self.err(bid, "is a bare value where a block was expected")
        if b.get("parent") != parent:
            raise self.err(bid, f"says its parent is {b.get('parent')!r}, but it is held by {parent!r}")
        if bid in self.seen:
            raise self.err(bid, "is reached twice (the blocks form a loop)")
        self.seen.add(bid)
        if b.get("opcode") not in self.cat.blocks and b.get("opcode") not in _PRIMITIVE_FIELDS \
                and not b.get("shadow"):
            raise self.err(bid, f"uses opcode {b.get('opcode')!r}, which codehone does not support")
        return b

    def stack(self, first: Any, parent: str, depth: int) -> tuple[Call, ...]:
        out, bid, prev = [], first, parent
        while bid is not None:
            b = self.get(bid, prev)
            out.append(self.statement(bid, b, depth))
            prev, bid = bid, b.get("next")
        return tuple(out)

    def statement(self, bid: str, b: dict[str, Any], depth: int) -> Call:
        spec = self.cat.blocks.get(b["opcode"])
        if spec is None or spec.shape not in ("stack", "c-block", "cap"):
            raise self.err(bid, "is not a stack block but sits in a stack")
        call = self.call(bid, b, depth)
        bodies = []
        for name in spec.substacks:
            inp = b.get("inputs", {}).get(name)
            first = inp[1] if isinstance(inp, list) and len(inp) > 1 else None
            bodies.append(self.stack(first, bid, depth + 1) if first is not None else ())
        return Call(call.opcode, call.args, tuple(bodies))

    def call(self, bid: str, b: dict[str, Any], depth: int) -> Call:
        if depth > _MAX_DEPTH:
            raise self.err(bid, "is nested too deeply")
        spec = self.cat.spec(b["opcode"])
        inputs, fields = b.get("inputs") or {}, b.get("fields") or {}
        if spec.opcode == "procedures_call":
            mutation = b.get("mutation") or {}
            proccode = mutation.get("proccode")
            try:
                argids = json.loads(mutation.get("argumentids", "[]"))
            except (TypeError, json.JSONDecodeError):
                raise self.err(bid, "has an unreadable argumentids mutation") from None
            if not isinstance(proccode, str) or len(argids) != len(proc_argkinds(proccode)):
                raise self.err(bid, "has a custom-block mutation whose proccode and argument ids disagree")
            args: list[Expr | str] = [proccode]
            for aid, kind in zip(argids, proc_argkinds(proccode)):
                slot = ArgSpec(aid, aid, "input", "boolean" if kind == "b" else "text")
                args.append(self.input(bid, slot, inputs.get(aid), depth))
            return Call(spec.opcode, tuple(args))
        args = []
        for s in spec.args:
            if s.kind == "field":
                f = fields.get(s.name)
                if not isinstance(f, list) or not f or not isinstance(f[0], str):
                    raise self.err(bid, f"has no {s.name} field")
                args.append(f[0])
            else:
                args.append(self.input(bid, s, inputs.get(s.name), depth))
        return Call(spec.opcode, tuple(args))

    def input(self, bid: str, s: ArgSpec, inp: Any, depth: int) -> Expr:
        if inp is None or (isinstance(inp, list) and len(inp) > 1 and inp[1] is None):
            if s.type == "boolean":
                raise self.err(bid, f"has an empty {s.name} slot; put a condition in it")
            return Str(s.default) if s.type == "menu" else Str("")
        if not isinstance(inp, list) or len(inp) < 2 or inp[0] not in (1, 2, 3):
            raise self.err(bid, f"has a malformed input {s.name}: {inp!r}")
        top = inp[1]
        if inp[0] == 1 and s.type != "boolean":
            return self.literal(bid, s, top)
        if isinstance(top, list):
            if top and top[0] == 12 and len(top) >= 3:
                return Call("data_variable", (str(top[1]),))
            if inp[0] == 1 or s.type == "boolean":
                raise self.err(bid, f"has a literal in its {s.name} slot where a block is needed")
            return self.literal(bid, s, top)
        child = self.get(top, bid)
        spec = self.cat.blocks.get(child["opcode"])
        if spec is None or not spec.is_expression:
            if child.get("shadow"):
                return self.literal(bid, s, top, checked=True)
            raise self.err(top, "is not a value block but sits in an input slot")
        if s.type == "boolean" and spec.shape != "boolean":
            raise self.err(top, f"is a round reporter in the condition slot of block {bid!r}")
        return self.call(top, child, depth + 1)

    def literal(self, bid: str, s: ArgSpec, shadow: Any, checked: bool = False) -> Num | Str:
        if isinstance(shadow, list):
            if len(shadow) < 2:
                raise self.err(bid, f"has a malformed value in {s.name}")
            code, value = shadow[0], shadow[1]
            if code in (4, 5, 6, 7, 8) or (code == 10 and isinstance(value, (int, float))):
                return _num_or_str(value)
            return Str(str(value))
        b = self.blocks.get(shadow) if checked else self.get(shadow, bid)
        if b is None or not b.get("shadow"):
            raise self.err(bid, f"input {s.name} should hold a shadow value")
        fields = b.get("fields") or {}
        if len(fields) != 1:
            raise self.err(str(shadow), "is a shadow value without exactly one field")
        value = next(iter(fields.values()))
        value = value[0] if isinstance(value, list) and value else value
        if s.type == "menu" or b.get("opcode") in ("text", "colour_picker", "event_broadcast_menu"):
            return Str(str(value))
        return _num_or_str(value)

    def define(self, bid: str, b: dict[str, Any]) -> Define:
        proto_ref = (b.get("inputs") or {}).get("custom_block")
        if not isinstance(proto_ref, list) or len(proto_ref) < 2:
            raise self.err(bid, "has no custom_block prototype")
        proto = self.get(proto_ref[1], bid)
        mutation = proto.get("mutation") or {}
        try:
            names = json.loads(mutation.get("argumentnames", "[]"))
        except (TypeError, json.JSONDecodeError):
            raise self.err(proto_ref[1], "has unreadable argumentnames") from None
        proccode = mutation.get("proccode")
        if not isinstance(proccode, str) or len(names) != len(proc_argkinds(proccode)):
            raise self.err(proto_ref[1], "has a proccode that does not match its argument names")
        for ref in (proto.get("inputs") or {}).values():  # the argument reporters on the hat
            if isinstance(ref, list) and len(ref) > 1 and isinstance(ref[1], str):
                self.get(ref[1], proto_ref[1])
        warp = mutation.get("warp") in (True, "true")
        return Define(proccode, tuple(str(n) for n in names), self.stack(b.get("next"), bid, 1), warp)

    def sprite(self) -> Sprite:
        scripts: list[Script | Define] = []
        for bid, b in self.blocks.items():
            if isinstance(b, list):
                continue  # a loose variable reporter lying on the canvas
            if not isinstance(b, dict) or not b.get("topLevel") or b.get("shadow"):
                continue
            if b.get("parent") is not None:
                raise self.err(bid, "is marked topLevel but has a parent")
            self.get(bid, None)
            spec = self.cat.blocks[b["opcode"]] if b["opcode"] in self.cat.blocks else None
            if spec is None:
                raise self.err(bid, f"uses opcode {b['opcode']!r}, which codehone does not support")
            if spec.opcode == "procedures_definition":
                scripts.append(self.define(bid, b))
            elif spec.shape == "hat":
                hat = self.call(bid, b, 0)
                scripts.append(Script(hat, self.stack(b.get("next"), bid, 1)))
            elif spec.is_expression:
                continue  # a loose reporter: it never runs and the text has no place for it
            else:
                self.seen.discard(bid)
                scripts.append(Script(None, self.stack(bid, None, 1)))
        return Sprite(self.name, tuple(scripts))


def project_to_program(project: dict[str, Any], catalog: Catalog | None = None) -> Program:
    """Check ``project`` against the schema and read its sprites' scripts."""
    validate_project(project)
    cat = catalog or load_catalog()
    sprites = []
    for target in project["targets"]:
        blocks = target.get("blocks") or {}
        if target.get("isStage"):
            if any(isinstance(b, dict) and b.get("topLevel") for b in blocks.values()):
                bid = next(k for k, b in blocks.items() if isinstance(b, dict) and b.get("topLevel"))
                raise Sb3Error(f"Stage, block {bid!r}: scripts on the Stage are not supported")
            continue
        sprites.append(_Reader(cat, target["name"], blocks).sprite())
    return Program(tuple(sprites))


def sb3_to_program(data: bytes, catalog: Catalog | None = None) -> Program:
    """Read the bytes of an ``.sb3`` (a zip holding ``project.json``)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            try:
                raw = z.read("project.json")
            except KeyError:
                raise Sb3Error("this .sb3 has no project.json inside") from None
    except zipfile.BadZipFile:
        raise Sb3Error("this is not an .sb3 file: it is not a zip archive") from None
    try:
        project = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise Sb3Error(f"project.json is not valid JSON: {e}") from None
    if not isinstance(project, dict):
        raise Sb3Error("project.json does not hold a project object")
    return project_to_program(project, catalog)


def read_sb3(path: str | Path, catalog: Catalog | None = None) -> Program:
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise Sb3Error(f"cannot read {path}: {e.strerror}") from e
    return sb3_to_program(data, catalog)
