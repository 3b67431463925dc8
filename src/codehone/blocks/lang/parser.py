"""The text language: Scratch programs written like Python, and its parser.

Printing is :mod:`codehone.blocks.lang.printer`; single lines are :mod:`codehone.blocks.lang.tokens`.

One line per block, one function call per block, indentation for what goes inside a C-block::

    sprite("Cat"):
        when_flag_clicked():
            pen_down()
            repeat(6):
                move(50)
                turn_right(60)
            if_(touching("edge")):
                say(join("Hello ", answer()))
            else_():
                stop("all")
        define("square", "size"):
            repeat(4):
                move(arg("size"))
                turn_right(90)

Rules (the teacher-facing summary lives in the error messages):

- Reporters and conditions nest as calls; operators are calls too (``add(a, b)``, ``gt(a, b)``,
  ``and_(a, b)``), never infix, so every call is exactly one block.
- Number slots take numbers (or a reporter); text slots take "text" or numbers; dropdowns take a
  quoted choice ("edge", "space").
- A program with one sprite may leave out the ``sprite("Sprite1"):`` header.
- Custom blocks: ``define("square", "size"):`` is proccode ``"square %s"``; write the full
  proccode for other shapes (``define("draw %s sided %b", "n", "filled"):``); call with
  ``call("square", 50)``; read arguments with ``arg("size")`` / ``arg_bool("filled")``.
- ``script():`` heads a loose stack with no hat (Scratch allows them; they never run).
- ``#`` starts a comment (comments are not kept).

The tokenizer is hand-written rather than Python's ``ast`` so that every error can name the line,
the column and the block, and suggest the nearest known spelling.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from codehone.blocks.lang.catalog import ArgSpec, BlockSpec, Catalog, load_catalog
from codehone.blocks.lang.nodes import (
    Call, Define, Expr, Num, Program, Script, Sprite, Str, canonical_number, proc_argkinds, proc_label,
)
from codehone.blocks.lang.printer import DEFAULT_SPRITE
from codehone.blocks.lang.tokens import BlockSyntaxError, _LineParser, _Raw, _RawArg, _tokenize

__all__ = ["parse"]

# --------------------------------------------------------------------------- checking against the catalogue

def _suggest(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" Did you mean {close[0]!r}?" if close else ""


class _Checker:
    """Turns raw calls into :class:`Call` nodes, checking names, counts and slot types."""

    def __init__(self, cat: Catalog, lineno: int, source: str, procs: dict[str, Define], args_in_scope: dict[str, str]):
        self.cat, self.lineno, self.source = cat, lineno, source
        self.procs, self.scope = procs, args_in_scope

    def err(self, msg: str, col: int) -> BlockSyntaxError:
        return BlockSyntaxError(msg, self.lineno, col, self.source)

    def spec(self, raw: _Raw) -> BlockSpec:
        spec = self.cat.by_name.get(raw.name)
        if spec is None:
            names = [n for n in self.cat.by_name] + ["else_", "sprite", "script"]
            raise self.err(f"unknown block {raw.name!r}.{_suggest(raw.name, names)}", raw.col)
        return spec

    def expr(self, raw: _Raw) -> Call:
        spec = self.spec(raw)
        if not spec.is_expression:
            raise self.err(f"{raw.name}() is a {spec.shape} block, not a value; it cannot go inside another block",
                           raw.col)
        return self.call(raw, spec)

    def call(self, raw: _Raw, spec: BlockSpec) -> Call:
        if raw.kwargs:
            key = next(iter(raw.kwargs))
            raise self.err(f"{raw.name}() takes no named value {key}=", raw.kwargs[key].col)
        if spec.opcode == "procedures_call":
            return self.proc_call(raw)
        if len(raw.args) != len(spec.args):
            want = len(spec.args)
            raise self.err(f"{raw.name}() needs {want} value{'s' if want != 1 else ''}"
                           f"{' (' + ', '.join(a.label for a in spec.args) + ')' if want else ''}, "
                           f"but got {len(raw.args)}: write {spec.signature}", raw.col)
        args = tuple(self.arg(raw.name, a, s) for a, s in zip(raw.args, spec.args))
        if spec.opcode in ("argument_reporter_string_number", "argument_reporter_boolean"):
            kind = "b" if spec.opcode == "argument_reporter_boolean" else "s"
            name = args[0]
            if self.scope.get(name) != kind:
                known = ", ".join(repr(k) for k in self.scope) or "none"
                raise self.err(f"{raw.name}({name!r}) is not an argument of this custom block "
                               f"(its {'boolean ' if kind == 'b' else ''}arguments: {known})", raw.col)
        return Call(spec.opcode, args, line=self.lineno)

    def proc_call(self, raw: _Raw) -> Call:
        if not raw.args or raw.args[0].tok is None or raw.args[0].tok.kind != "str":
            raise self.err('call() needs the custom block\'s name first, like call("square", 50)', raw.col)
        name = raw.args[0].tok.value
        proc = self.procs.get(name)
        if proc is None:
            known = {proc_label(p.proccode, len(p.argnames)) or p.proccode for p in self.procs.values()}
            raise self.err(f"no custom block {name!r} is defined in this sprite.{_suggest(name, known)}", raw.col)
        kinds = proc.argkinds
        if len(raw.args) - 1 != len(kinds):
            raise self.err(f"custom block {name!r} needs {len(kinds)} value(s) ({', '.join(proc.argnames)}), "
                           f"but got {len(raw.args) - 1}", raw.col)
        args: list[Expr | str] = [proc.proccode]
        for a, kind, label in zip(raw.args[1:], kinds, proc.argnames):
            slot = ArgSpec(label, label, "input", "boolean" if kind == "b" else "text")
            args.append(self.arg(f"call({name!r})", a, slot))
        return Call("procedures_call", tuple(args), line=self.lineno)

    def arg(self, owner: str, a: _RawArg, s: ArgSpec) -> Expr | str:
        where = f"{owner}()'s {s.label}"
        if s.kind == "field":
            if a.tok is None or a.tok.kind != "str":
                raise self.err(f"{where} must be written in quotes, like \"{next(iter(s.options), 'name')}\"", a.col)
            return self.choice(where, a.tok.value, s, a.col)
        if a.call is not None:
            value = self.expr(a.call)
            if s.type == "boolean" and self.cat.spec(value.opcode).shape != "boolean":
                raise self.err(f"{owner}() needs a condition for its {s.label} (a pointed block such as gt(a, b) "
                               f"or touching(\"edge\")); {a.call.name}() is a round value block", a.col)
            return value
        tok = a.tok
        assert tok is not None
        if s.type == "boolean":
            raise self.err(f"{owner}() needs a condition for its {s.label}, such as gt(a, b) or "
                           f"touching(\"edge\"), not {tok.text}", a.col)
        if tok.kind == "num":
            canon = canonical_number(("-" if a.negative else "") + tok.text)
            if canon is None:
                raise self.err(f"{tok.text} is not a number Scratch can use", a.col)
            if s.type in ("color", "menu", "broadcast"):
                raise self.err(f"{where} needs a quoted choice, not the number {canon}", a.col)
            return Num(canon)
        if s.is_number:
            if tok.value == "":
                return Str("")
            hint = f"; remove the quotes: {canonical_number(tok.value)}" if canonical_number(tok.value) else ""
            raise self.err(f"{owner}() needs a number for its {s.label}, but got the text {tok.text}{hint}", a.col)
        if s.type == "color":
            if not re.fullmatch(r"#[0-9a-fA-F]{6}", tok.value):
                raise self.err(f"{where} needs a colour written \"#rrggbb\" (like \"#ff0000\" for red), "
                               f"not {tok.text}", a.col)
            return Str(tok.value.lower())
        if s.type == "menu":
            return Str(self.choice(where, tok.value, s, a.col))
        return Str(tok.value)

    def choice(self, where: str, value: str, s: ArgSpec, col: int) -> str:
        if s.type in ("variable", "argument", "broadcast"):
            if not value:
                raise self.err(f"{where} cannot be empty", col)
            return value
        if value in s.options:
            return s.options[value]
        if not s.free:
            shown = ", ".join(f'"{o}"' for o in list(s.options)[:8]) + (", ..." if len(s.options) > 8 else "")
            raise self.err(f"{value!r} is not a choice for {where}.{_suggest(value, s.options)} Choices: {shown}", col)
        return value


# --------------------------------------------------------------------------- lines -> program

@dataclass
class _Line:
    no: int
    indent: int
    raw: _Raw
    colon: bool
    text: str


def _split_lines(text: str) -> list[_Line]:
    out = []
    for no, source in enumerate(text.splitlines(), start=1):
        stripped = source.lstrip(" ")
        if not stripped.strip() or stripped.lstrip().startswith("#"):
            continue
        indent = len(source) - len(stripped)
        if stripped.startswith("\t"):
            raise BlockSyntaxError("indent with spaces, not tabs", no, indent + 1, source)
        p = _LineParser(_tokenize(stripped, no, indent, source), no, source)
        raw = p.call()
        colon = False
        if (t := p.peek()) is not None and t.text == ":":
            colon, p.i = True, p.i + 1
        if (t := p.peek()) is not None:
            raise p.err("only one block per line; start a new line for the next block", t.col)
        out.append(_Line(no, indent, raw, colon, source))
    return out


class _Parser:
    def __init__(self, lines: list[_Line], cat: Catalog):
        self.lines, self.i, self.cat = lines, 0, cat

    def err(self, msg: str, line: _Line, col: int | None = None) -> BlockSyntaxError:
        return BlockSyntaxError(msg, line.no, col or line.indent + 1, line.text)

    def program(self) -> Program:
        if not self.lines:
            return Program((Sprite(DEFAULT_SPRITE, ()),))
        first = self.lines[0]
        if first.indent:
            raise self.err("unexpected indent: the first line must start at the left edge", first)
        if first.raw.name != "sprite":
            return Program((self.sprite_body(DEFAULT_SPRITE, 0, first),))
        sprites, seen = [], set()
        while self.i < len(self.lines):
            head = self.lines[self.i]
            if head.indent != 0:
                raise self.err("unexpected indent: this line does not line up with the blocks above it", head)
            if head.raw.name != "sprite":
                raise self.err(f"{head.raw.name}() must go inside a sprite(\"...\"): section "
                               "(indent it under the sprite)", head)
            if (len(head.raw.args) != 1 or head.raw.args[0].tok is None or head.raw.args[0].tok.kind != "str"
                    or not head.colon):
                raise self.err('a sprite section is written sprite("Name"):', head)
            name = head.raw.args[0].tok.value
            if name in seen or name in ("Stage", "_stage_", ""):
                raise self.err(f"sprite name {name!r} is {'used twice' if name in seen else 'not allowed'}", head)
            seen.add(name)
            self.i += 1
            indent = self.lines[self.i].indent if self.i < len(self.lines) else 0
            sprites.append(self.sprite_body(name, indent, head) if indent > 0 else Sprite(name, ()))
        return Program(tuple(sprites))

    def sprite_body(self, name: str, indent: int, head: _Line) -> Sprite:
        # Definitions are collected first so scripts can call blocks defined below them.
        start, headers = self.i, []
        while self.i < len(self.lines) and self.lines[self.i].indent >= indent:
            if self.lines[self.i].indent == indent:
                headers.append(self.lines[self.i])
            self.i += 1
        end, self.i = self.i, start
        procs = {}
        for h in headers:
            if h.raw.name == "define":
                d = self.define_header(h)
                procs[d.proccode] = d
                label = proc_label(d.proccode, len(d.argnames))
                if label:
                    procs[label] = d
        scripts = []
        while self.i < end:
            line = self.lines[self.i]
            if line.indent != indent:
                raise self.err("unexpected indent", line)
            scripts.append(self.script(line, procs))
        return Sprite(name, tuple(scripts))

    def define_header(self, line: _Line) -> Define:
        raw = line.raw
        if not raw.args or any(a.tok is None or a.tok.kind != "str" for a in raw.args):
            raise self.err('define needs quoted names: define("square", "size"):', line)
        names = [a.tok.value for a in raw.args]  # type: ignore[union-attr]
        proccode, argnames = names[0], tuple(names[1:])
        if "%" not in proccode and argnames:
            proccode += " %s" * len(argnames)
        if len(proc_argkinds(proccode)) != len(argnames):
            raise self.err(f"custom block {names[0]!r} has {len(proc_argkinds(proccode))} slot(s) "
                           f"but {len(argnames)} argument name(s)", line)
        if len(set(argnames)) != len(argnames):
            raise self.err("two arguments of a custom block have the same name", line)
        warp = False
        for key, tok in raw.kwargs.items():
            if key != "warp" or tok.text not in ("True", "False"):
                raise self.err("define only takes warp=True or warp=False as a named value", line, tok.col)
            warp = tok.text == "True"
        if not line.colon:
            raise self.err("define(...) needs a colon ':' at the end, with its blocks indented below", line)
        return Define(proccode, argnames, (), warp)

    def script(self, line: _Line, procs: dict[str, Define]) -> Script | Define:
        name = line.raw.name
        self.i += 1
        if name == "define":
            d = self.define_header(line)
            scope = dict(zip(d.argnames, d.argkinds))
            return Define(d.proccode, d.argnames, self.body(line, procs, scope), d.warp)
        if name == "sprite":
            raise self.err("this program starts without a sprite(...) section; when there are several sprites, "
                           "put every script under its own sprite(\"Name\"): header", line)
        if name == "script":
            if line.raw.args or not line.colon:
                raise self.err("a loose stack is written script():", line)
            return Script(None, self.body(line, procs, {}))
        checker = _Checker(self.cat, line.no, line.text, procs, {})
        spec = checker.spec(line.raw)
        if spec.shape != "hat":
            raise self.err(f"a script must start with an event such as when_flag_clicked():, not {name}()", line)
        if not line.colon:
            raise self.err(f"{name}(...) starts a script: end the line with ':' and indent the blocks below", line)
        return Script(checker.call(line.raw, spec), self.body(line, procs, {}))

    def body(self, head: _Line, procs: dict[str, Define], scope: dict[str, str]) -> tuple[Call, ...]:
        if self.i >= len(self.lines) or self.lines[self.i].indent <= head.indent:
            return ()
        indent = self.lines[self.i].indent
        out: list[Call] = []
        while self.i < len(self.lines) and self.lines[self.i].indent >= indent:
            line = self.lines[self.i]
            if line.indent != indent:
                raise self.err("unexpected indent: only blocks inside a C-block (repeat, if_, ...) are indented "
                               "further", line)
            if out and self.ends_stack(out[-1]):
                last = self.cat.spec(out[-1].opcode).name
                raise self.err(f"nothing can come after {last}(): blocks after it would never run", line)
            self.i += 1
            out.append(self.statement(line, procs, scope, out))
        return tuple(out)

    def ends_stack(self, call: Call) -> bool:
        spec = self.cat.spec(call.opcode)
        if not spec.terminal:
            return False
        fields = {a.name: v for a, v in zip(spec.args, call.args)}
        return not any(fields.get(k) == v for k, v in spec.not_terminal_when.items())

    def statement(self, line: _Line, procs, scope, out: list[Call]) -> Call:
        raw = line.raw
        if raw.name == "else_":
            if not out or out[-1].opcode != "control_if":
                raise self.err("else_(): must come right after an if_(...): block, at the same indent", line)
            if raw.args or not line.colon:
                raise self.err("else is written else_():", line)
            prev = out.pop()
            return Call("control_if_else", prev.args, (prev.bodies[0], self.body(line, procs, scope)), line=prev.line)
        if raw.name in ("sprite", "define", "script"):
            raise self.err(f"{raw.name}(...) cannot go inside a script", line)
        checker = _Checker(self.cat, line.no, line.text, procs, scope)
        spec = checker.spec(raw)
        if spec.shape == "hat":
            raise self.err(f"{raw.name}() starts a script; it cannot go inside another one", line)
        if spec.is_expression:
            raise self.err(f"{raw.name}() is a value, not a block to stack; use it inside another block, "
                           f"like say({raw.name}(...))", line)
        call = checker.call(raw, spec)
        if spec.substacks:
            if not line.colon:
                raise self.err(f"{raw.name}(...) holds blocks: end the line with ':' and indent the blocks inside",
                               line)
            return Call(call.opcode, call.args, (self.body(line, procs, scope),), line=line.no)
        if line.colon:
            raise self.err(f"{raw.name}() does not hold blocks; remove the ':'", line)
        return call


def parse(text: str, catalog: Catalog | None = None) -> Program:
    """Parse a block program; raises :class:`BlockSyntaxError` with line, column and a hint."""
    cat = catalog or load_catalog()
    return _Parser(_split_lines(text), cat).program()


