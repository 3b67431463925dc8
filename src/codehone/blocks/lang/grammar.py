"""A GBNF grammar (llama.cpp's format) of the text language, generated from the catalogue.

Used as ``SamplingParams.grammar`` with the llama.cpp backend, it makes the model unable to write a
block that does not exist, give a block too many or too few values, put a value of the wrong
kind in a slot (a number where a condition goes), or pick a menu choice a closed menu does not
have. What it accepts is the canonical text the printer writes, which is also what the training
data and the few-shot examples use:

- one block per line, 4 spaces of indent per level, ``", "`` between values, double quotes;
- numbers as plain decimals up to 16 digits, or ``1.5e-07`` up to e299: always a finite float;
- a script starts with a hat at the left edge (or under a ``sprite("Name"):`` header);
- a body is blocks at one level deeper; ``forever():`` and ``stop("all")`` end their body;
- C-blocks nest up to ``max_depth`` levels (a script's own body is level 1); a grammar has one
  set of rules per level because GBNF has no memory of indentation;
- a program may instead be one comment line (``# I can't do that with blocks``): the plain
  refusal the bad-input rule allows; the program may stop after any complete line, with or
  without a final newline, and a blank line ends it (only end-of-text may follow).

What no context-free grammar can check, and the parser still does: that ``call("square", 50)``
names a block defined in the same sprite with that many values of the right kinds, that
``arg("size")`` names an argument of the enclosing ``define``, and that sprite names and a
define's argument names are distinct. ``custom_blocks=False`` leaves define/call/arg out, so the
only rule left to the parser is distinct sprite names; ``custom_blocks=True`` accepts them in
the shapes the parser takes (short ``define("square", "size")`` and full
``define("draw %s sided %b", "n", "filled")`` whose ``%`` count matches its names).
"""

from __future__ import annotations

from functools import cache

from codehone.blocks.lang.catalog import ArgSpec, BlockSpec, Catalog, load_catalog
from codehone.blocks.lang.printer import INDENT, _quote

__all__ = ["program_grammar", "gbnf_literal"]

# Characters a string may hold raw: everything from space up except the quote, the backslash and
# what str.splitlines() splits on (the parser splits lines before it reads strings). Classes are
# written as positive ranges: llama.cpp lets a token that ends inside a UTF-8 character through a
# positive class if the character could still match, but through a negated one only if no
# completion is excluded, which would block every split "é" because of U+0085.
_LINE_BREAKS = (0x85, 0x2028, 0x2029)
_RESERVED_SPRITES = ("Stage", "_stage_")


QUOTE_BACKSLASH = '"' + "\\"


def _char_class(exclude: str = QUOTE_BACKSLASH, tab: bool = False) -> str:
    """A positive GBNF class of printable characters (and tab) minus ``exclude`` and line breaks."""
    cut = sorted({ord(c) for c in exclude} | set(_LINE_BREAKS))
    ranges, lo = [], 0x20
    for c in cut:
        if c > lo:
            ranges.append((lo, c - 1))
        lo = max(lo, c + 1)
    ranges.append((lo, 0x10FFFF))
    esc = lambda c: f"\\x{c:02x}" if c < 0x100 else (f"\\u{c:04x}" if c < 0x10000 else f"\\U{c:08x}")  # noqa: E731
    body = "".join(esc(a) if a == b else f"{esc(a)}-{esc(b)}" for a, b in ranges)
    return "[" + ("\\t" if tab else "") + body + "]"


_STR_CHAR = _char_class()


def gbnf_literal(text: str) -> str:
    """``text`` as a GBNF string literal."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


class _Rules:
    """An ordered set of named rules; identical bodies share one name."""

    def __init__(self) -> None:
        self.rules: dict[str, str] = {}
        self._by_body: dict[str, str] = {}

    def add(self, name: str, body: str) -> str:
        if name in self.rules:
            raise ValueError(f"grammar rule {name} defined twice")
        self.rules[name] = body
        self._by_body.setdefault(body, name)
        return name

    def shared(self, stem: str, body: str) -> str:
        """A rule for ``body``, reusing one with the same body if it exists."""
        if body in self._by_body:
            return self._by_body[body]
        name, k = stem, 2
        while name in self.rules:
            name, k = f"{stem}-{k}", k + 1
        return self.add(name, body)

    def text(self) -> str:
        return "".join(f"{name} ::= {body}\n" for name, body in self.rules.items())


def _alt(options: list[str]) -> str:
    return " | ".join(options)


def _not_words(r: _Rules, stem: str, words: tuple[str, ...]) -> str:
    """A rule for a non-empty run of string characters that is none of ``words``.

    Built from the words' trie: at each node the string may end (unless a word ends there), go on
    down a branch, or leave the trie with any other character and then be free.
    """
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node["$end"] = True

    def node_rule(node: dict, path: str) -> str:
        name = f"{stem}-{len(r.rules)}"
        r.rules[name] = ""  # reserve the name; filled below
        kids = sorted(k for k in node if k != "$end")
        alts = []
        if path and not node.get("$end"):
            alts.append('""')
        for ch in kids:
            alts.append(f"{gbnf_literal(ch)} {node_rule(node[ch], path + ch)}")
        alts.append(f"{_char_class(QUOTE_BACKSLASH + ''.join(kids))} {_STR_CHAR}*")
        r.rules[name] = _alt(alts)
        return name

    return node_rule(trie, "")


class _Builder:
    def __init__(self, cat: Catalog, max_depth: int, custom_blocks: bool):
        self.cat, self.max_depth, self.custom = cat, max_depth, custom_blocks
        self.r = _Rules()

    # ----- literals ----------------------------------------------------------------------

    def lexical(self) -> None:
        r = self.r
        r.add("strchar", f'{_STR_CHAR} | "\\\\" ["\\\\nt\']')
        r.add("str", '"\\"" strchar* "\\""')
        r.add("nstr", '"\\"" strchar+ "\\""')  # names: variables, messages, arguments
        # Bounded so every literal is a finite float (1e999 is not), and closed under the printer's
        # canonical spelling (Python's repr: plain below 1e16, else 1.2345678901234567e+20).
        r.add("number", '"-"? ([0-9]{1,16} ("." [0-9]{1,17})? | [0-9] ("." [0-9]{1,17})? "e" [-+]? '
                        '([0-9]{1,2} | [12] [0-9]{2}))')
        r.add("color", '"\\"#" [0-9a-fA-F]{6} "\\""')
        r.add("comment", _char_class("", tab=True) + "*")
        r.add("spritename", '"\\"" ' + _not_words(r, "spritename-t", _RESERVED_SPRITES) + ' "\\""')

    def choices(self, a: ArgSpec) -> str:
        body = _alt([gbnf_literal(_quote(o)) for o in a.options])
        return self.r.shared(f"opt-{a.name.lower().replace('_', '-')}", body)

    # ----- values ------------------------------------------------------------------------

    def slot(self, a: ArgSpec, p: str) -> str:
        """The rule for one argument; ``p`` is "-p" inside a define body (arg() allowed)."""
        if a.kind == "field":
            if a.type == "option" and not a.free:
                return self.choices(a)
            return "nstr" if a.type in ("variable", "broadcast", "argument") else "str"
        if a.is_number:
            return f"num{p}"
        if a.type == "boolean":
            return f"bool{p}"
        if a.type == "color":
            return "color"
        if a.type == "menu":
            return self.choices(a) if not a.free else "str"
        if a.type == "broadcast":
            return "nstr"
        return f"txt{p}"

    def call(self, spec: BlockSpec, p: str, only: dict[str, list[str]] | None = None) -> str:
        """``name(slot, slot)`` as a GBNF sequence; ``only`` narrows a field to some options."""
        if not spec.args:
            return gbnf_literal(f"{spec.name}()")
        parts = [gbnf_literal(f"{spec.name}(")]
        for i, a in enumerate(spec.args):
            if i:
                parts.append('", "')
            if only and a.name in only:
                parts.append("(" + _alt([gbnf_literal(_quote(o)) for o in only[a.name]]) + ")")
            else:
                parts.append(self.slot(a, p))
        parts.append('")"')
        return " ".join(parts)

    def values(self, p: str) -> None:
        r, specs = self.r, self.specs()
        reporters = [self.call(s, p) for s in specs if s.shape == "reporter"]
        booleans = [self.call(s, p) for s in specs if s.shape == "boolean"]
        if p:
            reporters.append('"arg(" nstr ")"')
            booleans.append('"arg_bool(" nstr ")"')
        r.add(f"rep{p}", _alt(reporters))
        r.add(f"bool{p}", _alt(booleans))
        r.add(f"num{p}", f"number | rep{p}")
        # Text slots take text, numbers, round reporters and (as Scratch allows) conditions.
        r.add(f"txt{p}", f"str | number | rep{p} | bool{p}")
        stack, terminal, cheads = [], [], []
        for s in specs:
            if s.shape in ("stack", "cap") and not s.terminal:
                stack.append(self.call(s, p))
            elif s.shape in ("stack", "cap"):
                # stop("all") ends a stack; stop("other scripts in sprite") does not.
                field, keep = next(iter(s.not_terminal_when.items()), (None, None))
                if field is None:
                    terminal.append(self.call(s, p))
                    continue
                arg = next(a for a in s.args if a.name == field)
                others = [o for o in arg.options if arg.options[o] != keep and o != keep]
                stack.append(self.call(s, p, {field: [arg.to_text(keep)]}))
                terminal.append(self.call(s, p, {field: others}))
            elif s.shape == "c-block" and not s.terminal and s.name != self.if_name:
                cheads.append(self.call(s, p))
        if self.custom:
            stack.append('"call(" nstr (", " txt' + p + ')* ")"')
        r.add(f"simple{p}", _alt(stack))
        r.add(f"term{p}", _alt(terminal))
        r.add(f"chead{p}", _alt(cheads))
        r.add(f"ifhead{p}", self.call(self.cat.by_name[self.if_name], p))
        forever = [s for s in specs if s.shape == "c-block" and s.terminal]
        r.add(f"fhead{p}", _alt([self.call(s, p) for s in forever]))

    def specs(self) -> list[BlockSpec]:
        skip = {"procedures_definition", "procedures_call", "argument_reporter_string_number",
                "argument_reporter_boolean"}
        return [s for s in self.cat.blocks.values()
                if s.name and s.shape != "internal" and s.opcode not in skip and not s.else_name]

    @property
    def if_name(self) -> str:
        return next(s.name for s in self.cat.blocks.values() if s.else_name)

    @property
    def else_name(self) -> str:
        return next(s.else_name for s in self.cat.blocks.values() if s.else_name)

    # ----- bodies, scripts, program ------------------------------------------------------

    def bodies(self, base: int, p: str) -> None:
        """body-B-L: the blocks at level L (indent B+L) of a script whose hat is at indent B."""
        r = self.r
        for level in range(self.max_depth, 0, -1):
            ind = gbnf_literal(INDENT * (base + level))
            name = f"b{base}-{level}{p}"
            inner = f"b{base}-{level + 1}{p}"
            stmt = [f"simple{p}"]
            end = [f"term{p}"]
            if level < self.max_depth:
                stmt += [f'chead{p} ":" {inner}',
                         f'ifhead{p} ":" {inner} ("\\n" {ind} {gbnf_literal(self.else_name + "():")} {inner})?']
                end += [f'fhead{p} ":" {inner}']
            r.add(f"line{base}-{level}{p}", f'"\\n" {ind} ({_alt(stmt)})')
            r.add(f"end{base}-{level}{p}", f'"\\n" {ind} ({_alt(end)})')
            r.add(name, f"line{base}-{level}{p}* end{base}-{level}{p}?")

    def scripts(self, base: int) -> None:
        hats = [self.call(s, "") for s in self.specs() if s.shape == "hat"]
        alts = [f'({_alt(hats)}) ":" b{base}-1', f'"script():" b{base}-1']
        if self.custom:
            alts.append(f'"define(" defhead ":" b{base}-1-p')
        ind = gbnf_literal(INDENT * base) + " " if base else ""
        self.r.add(f"head{base}", f"{ind}({_alt(alts)})")
        self.r.add(f"script{base}", f'"\\n" head{base}')

    def custom_rules(self) -> None:
        r = self.r
        # Short form: a label without % and its argument names (proccode "label %s %s").
        r.add("label", _char_class(QUOTE_BACKSLASH + "%") + ' | "\\\\" ["\\\\nt\']')
        warp = '(", warp=True" | ", warp=False")? ")"'
        # Full form: each %s/%b in the proccode is matched by one name (nested, so counts agree).
        r.add("full", 'label* "%" [sb] full ", " nstr | label* "%" [sb] label* "\\"" ", " nstr')
        r.add("defhead", f'"\\"" label+ "\\"" (", " nstr)* {warp} | "\\"" full {warp}')

    def build(self) -> str:
        r = self.r
        # Lines are written newline-first, so the program may end right after any complete line
        # (models often stop without a final newline); a blank line ends it for good.
        r.add("root", '(refusal | program) ("\\n" "\\n"?)?')
        r.add("refusal", '"#" comment')
        r.add("program", "head0 script0* | sprite section*")
        r.add("sprite", '"sprite(" spritename "):" script1*')
        r.add("section", '"\\n" sprite')
        self.lexical()
        for p in ("", "-p") if self.custom else ("",):
            self.values(p)
            for base in (0, 1):
                self.bodies(base, p)
        for base in (0, 1):
            self.scripts(base)
        if self.custom:
            self.custom_rules()
        return r.text()


@cache
def _default_grammar(max_depth: int, custom_blocks: bool) -> str:
    return _Builder(load_catalog(), max_depth, custom_blocks).build()


def program_grammar(catalog: Catalog | None = None, max_depth: int = 5, custom_blocks: bool = True) -> str:
    """The GBNF grammar of programs over ``catalog`` (the packaged one by default), root rule ``root``.

    ``max_depth`` bounds C-block nesting (a script's body is level 1); ``custom_blocks`` adds
    define/call/arg, whose cross-references only the parser can check (see the module notes).
    The packaged catalogue's grammars are built once per process.
    """
    if max_depth < 1:
        raise ValueError(f"max_depth must be at least 1, got {max_depth}")
    if catalog is None:
        return _default_grammar(max_depth, custom_blocks)
    return _Builder(catalog, max_depth, custom_blocks).build()
