"""Programs -> Scratch 3 projects (``.sb3``: a zip of ``project.json`` and costume files).

Writing follows the layout the Scratch editor itself saves, so the file opens in Scratch and
passes the editor's own JSON Schema (:mod:`codehone.blocks.sb3.validate`):

- each block has an id, ``parent``/``next`` links, ``topLevel`` and x/y on the first block of a
  script; C-block branches are ``SUBSTACK`` inputs ``[2, first_block_id]``;
- literal slots are compressed shadows: ``[1, [4, "10"]]`` (math_number), ``[1, [10, "hi"]]``
  (text), ``[1, [9, "#ff0000"]]`` (colour); a reporter over a slot keeps a shadow behind it:
  ``[3, reporter_id, [4, "10"]]``; variables in slots are ``[12, name, id]``;
- dropdown inputs point to a menu shadow block (``motion_goto_menu``); custom blocks carry the
  ``procedures_prototype`` mutation (proccode, argument ids/names/defaults, warp);
- all variables are global (on the Stage); every sprite wears the same round SVG costume, so its
  collision shape does not depend on its direction (the interpreter relies on this).

Reading is :mod:`codehone.blocks.sb3.read`. Number literals use one canonical spelling on both
sides, which makes text -> sb3 -> text exact.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

from codehone.blocks.lang.catalog import ArgSpec, Catalog, load_catalog
from codehone.blocks.lang.nodes import Call, Define, Expr, Num, Program, Sprite, Str, proc_argkinds, walk
from codehone.blocks.sb3.validate import Sb3Error, validate_project

COSTUME_SIZE = 40  # px; the round costume's diameter at size 100 (used by the interpreter)
COSTUME_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" viewBox="0 0 40 40">'
    '<circle cx="20" cy="20" r="19" fill="#ffab19" stroke="#cf8b17" stroke-width="2"/></svg>'
)
BACKDROP_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="480" height="360" viewBox="0 0 480 360">'
    '<rect width="480" height="360" fill="#ffffff"/></svg>'
)


# --------------------------------------------------------------------------- writing

def _md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()  # noqa: S324 - Scratch names assets by md5


class _Writer:
    def __init__(self, cat: Catalog):
        self.cat, self.n = cat, 0
        self.variables: dict[str, str] = {}  # name -> id
        self.broadcasts: dict[str, str] = {}
        self.blocks: dict[str, dict[str, Any]] = {}
        self.procs: dict[str, tuple[list[str], bool]] = {}  # proccode -> (argument ids, warp)

    def new_id(self, prefix: str = "b") -> str:
        self.n += 1
        return f"{prefix}{self.n}"

    def var_id(self, name: str) -> str:
        return self.variables.setdefault(name, f"var{len(self.variables) + 1}")

    def bcast_id(self, name: str) -> str:
        return self.broadcasts.setdefault(name, f"msg{len(self.broadcasts) + 1}")

    def block(self, opcode: str, parent: str | None, shadow: bool = False, **extra) -> str:
        bid = self.new_id()
        self.blocks[bid] = {"opcode": opcode, "next": None, "parent": parent, "inputs": {}, "fields": {},
                            "shadow": shadow, "topLevel": parent is None, **extra}
        return bid

    def sprite_blocks(self, sprite: Sprite) -> dict[str, dict[str, Any]]:
        self.blocks, self.procs = {}, {}
        for s in sprite.scripts:
            if isinstance(s, Define):
                self.procs[s.proccode] = ([f"{self.new_id('arg')}" for _ in s.argnames], s.warp)
        y = 0
        for s in sprite.scripts:
            if isinstance(s, Define):
                top = self.define(s)
            elif s.hat is None:
                top = self.chain(s.body, None)
                if top is None:
                    continue  # an empty loose stack has no block to store
            else:
                top = self.statement(s.hat, None)
                self.blocks[top]["next"] = self.chain(s.body, top)
            self.blocks[top].update(topLevel=True, x=0, y=y)
            y += 48 * (1 + sum(1 for _ in walk(s.body))) + 48
        return self.blocks

    def define(self, d: Define) -> str:
        argids, warp = self.procs[d.proccode]
        top = self.block("procedures_definition", None)
        proto = self.block("procedures_prototype", top, shadow=True, mutation={
            "tagName": "mutation", "children": [], "proccode": d.proccode, "argumentids": json.dumps(argids),
            "argumentnames": json.dumps(list(d.argnames)),
            "argumentdefaults": json.dumps(["false" if k == "b" else "" for k in d.argkinds]),
            "warp": json.dumps(warp)})
        self.blocks[top]["inputs"]["custom_block"] = [1, proto]
        for aid, name, kind in zip(argids, d.argnames, d.argkinds):
            op = "argument_reporter_boolean" if kind == "b" else "argument_reporter_string_number"
            rep = self.block(op, proto, shadow=True)
            self.blocks[rep]["fields"]["VALUE"] = [name, None]
            self.blocks[proto]["inputs"][aid] = [1, rep]
        self.blocks[top]["next"] = self.chain(d.body, top)
        return top

    def chain(self, body: tuple[Call, ...], parent: str | None) -> str | None:
        first = prev = None
        for c in body:
            bid = self.statement(c, prev or parent)
            if prev is None:
                first = bid
            else:
                self.blocks[prev]["next"] = bid
            prev = bid
        return first

    def statement(self, c: Call, parent: str | None) -> str:
        bid = self.expr_block(c, parent)
        spec = self.cat.spec(c.opcode)
        for name, body in zip(spec.substacks, c.bodies):
            first = self.chain(body, bid)
            if first is not None:
                self.blocks[bid]["inputs"][name] = [2, first]
        return bid

    def expr_block(self, c: Call, parent: str | None) -> str:
        spec = self.cat.spec(c.opcode)
        bid = self.block(c.opcode, parent)
        b = self.blocks[bid]
        if c.opcode == "procedures_call":
            proccode = str(c.args[0])
            if proccode not in self.procs:
                raise Sb3Error(f"call to custom block {proccode!r} that this sprite does not define")
            argids, warp = self.procs[proccode]
            b["mutation"] = {"tagName": "mutation", "children": [], "proccode": proccode,
                             "argumentids": json.dumps(argids), "warp": json.dumps(warp)}
            for aid, kind, value in zip(argids, proc_argkinds(proccode), c.args[1:]):
                slot = ArgSpec(aid, aid, "input", "boolean" if kind == "b" else "text")
                self.input(b, bid, slot, value)
            return bid
        if c.opcode == "control_stop":
            b["mutation"] = {"tagName": "mutation", "children": [],
                             "hasnext": json.dumps(c.args[0] == "other scripts in sprite")}
        for s, value in zip(spec.args, c.args):
            if s.kind == "field":
                value = str(value)
                ref = self.var_id(value) if s.type == "variable" else \
                    self.bcast_id(value) if s.type == "broadcast" else None
                b["fields"][s.name] = [value, ref]
            else:
                self.input(b, bid, s, value)  # type: ignore[arg-type]
        return bid

    def input(self, b: dict, bid: str, s: ArgSpec, value: Expr) -> None:
        if s.type == "boolean":
            b["inputs"][s.name] = [2, self.expr_block(value, bid)]  # type: ignore[arg-type]
            return
        if s.type == "menu":
            text = value.value if isinstance(value, Str) else s.default
            menu = self.block(s.menu, bid, shadow=True)  # type: ignore[arg-type]
            self.blocks[menu]["fields"][s.menu_field] = [text, None]
            b["inputs"][s.name] = [1, menu] if not isinstance(value, Call) else [3, self.expr_block(value, bid), menu]
            return
        if isinstance(value, Call):
            cover: Any = ([12, value.args[0], self.var_id(str(value.args[0]))] if value.opcode == "data_variable"
                          else self.expr_block(value, bid))
            b["inputs"][s.name] = [3, cover, self.primitive(s, Str(s.default))]
        else:
            b["inputs"][s.name] = [1, self.primitive(s, value)]

    def primitive(self, s: ArgSpec, value: Num | Str) -> list[Any]:
        code = self.cat.primitive_codes[s.type]
        if s.type == "broadcast":
            name = value.value if isinstance(value, Str) else value.text
            return [code, name, self.bcast_id(name)]
        if isinstance(value, Num):
            # number slots store text as the editor does; text slots keep a JSON number so that
            # say(5) and say("5") stay distinct when read back
            return [code, value.text if s.is_number else value.value]
        return [code, value.value]


def program_to_project(program: Program, catalog: Catalog | None = None) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The ``project.json`` dict and the asset files (name -> bytes) for ``program``."""
    w = _Writer(catalog or load_catalog())
    costume, backdrop = COSTUME_SVG.encode(), BACKDROP_SVG.encode()
    cmd5, bmd5 = _md5(costume), _md5(backdrop)
    sprites = []
    for layer, sprite in enumerate(program.sprites, start=1):
        sprites.append({
            "isStage": False, "name": sprite.name, "variables": {}, "lists": {}, "broadcasts": {},
            "blocks": w.sprite_blocks(sprite), "comments": {}, "currentCostume": 0,
            "costumes": [{"name": "costume1", "bitmapResolution": 1, "dataFormat": "svg", "assetId": cmd5,
                          "md5ext": f"{cmd5}.svg", "rotationCenterX": 20, "rotationCenterY": 20}],
            "sounds": [], "volume": 100, "layerOrder": layer, "visible": True, "x": 0, "y": 0, "size": 100,
            "direction": 90, "draggable": False, "rotationStyle": "all around",
        })
    stage = {
        "isStage": True, "name": "Stage", "variables": {vid: [name, 0] for name, vid in w.variables.items()},
        "lists": {}, "broadcasts": {bid: name for name, bid in w.broadcasts.items()}, "blocks": {},
        "comments": {}, "currentCostume": 0,
        "costumes": [{"name": "backdrop1", "dataFormat": "svg", "assetId": bmd5, "md5ext": f"{bmd5}.svg",
                      "rotationCenterX": 240, "rotationCenterY": 180}],
        "sounds": [], "volume": 100, "layerOrder": 0, "tempo": 60, "videoTransparency": 50, "videoState": "on",
        "textToSpeechLanguage": None,
    }
    uses_pen = any(b["opcode"].startswith("pen_") for t in sprites for b in t["blocks"].values())
    project = {"targets": [stage, *sprites], "monitors": [], "extensions": ["pen"] if uses_pen else [],
               "meta": {"semver": "3.0.0", "vm": "0.2.0", "agent": "codehone"}}
    return project, {f"{cmd5}.svg": costume, f"{bmd5}.svg": backdrop}


def program_to_sb3(program: Program, catalog: Catalog | None = None) -> bytes:
    """The ``.sb3`` file for ``program``, checked against Scratch's schema before it is returned."""
    project, assets = program_to_project(program, catalog)
    validate_project(project)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        # fixed timestamps so the same program always gives the same bytes
        z.writestr(zipfile.ZipInfo("project.json", (1980, 1, 1, 0, 0, 0)), json.dumps(project))
        for name, data in sorted(assets.items()):
            z.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data)
    return buf.getvalue()


def write_sb3(program: Program, path: str | Path) -> None:
    Path(path).write_bytes(program_to_sb3(program))
