"""Streaming parser: turn a program arriving token by token into blocks as they complete.

Feed text chunks as the model writes them; :meth:`StreamParser.snapshot` is always a valid
:class:`Program` (parseable, printable, runnable) of the complete lines so far. Open C-blocks are
simply closed where the text stops (an empty body is a valid Scratch C-block), and a partial last
line is left out until its newline arrives.

Cost. Reparsing the whole text at every newline grows with the program (about 40 us a line
here, so 1 ms by line 25); instead the work is cut at statement boundaries: a script is parsed
once when the next script starts, and inside the open script each top-level statement is parsed
once when the next one starts. At a newline only the open top-level statement (a ``repeat`` with
its body, say) is parsed again; other tokens only append to a buffer. ``benchmarks/
bench_blocks_stream.py`` measures the cost per token.

Forward references are the one thing a prefix cannot check (``call("square", 80)`` above the
``define`` it names). When a line fails, the parser records the error and switches to reparsing
all complete lines at each newline, which is exact; :meth:`finish` always does one whole parse,
so its answer is the parser's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from codehone.blocks.lang.catalog import Catalog, load_catalog
from codehone.blocks.lang.nodes import Call, Define, Program, Script, Sprite, proc_label
from codehone.blocks.lang.parser import parse
from codehone.blocks.lang.parser import _Line, _Parser, _split_lines  # one line at a time, same rules
from codehone.blocks.lang.printer import DEFAULT_SPRITE
from codehone.blocks.lang.tokens import BlockSyntaxError

__all__ = ["StreamParser"]


@dataclass
class _OpenScript:
    head: _Line
    scope: dict[str, str]  # custom-block arguments in scope (define scripts only)
    define: Define | None  # the header, for define scripts
    hat: Call | None
    done: list[Call] = field(default_factory=list)  # complete top-level statements
    open: list[_Line] = field(default_factory=list)  # lines of the statement still being written
    open_calls: tuple[Call, ...] = ()
    body_indent: int | None = None

    def build(self) -> Script | Define:
        body = tuple(self.done) + self.open_calls
        if self.define is not None:
            return Define(self.define.proccode, self.define.argnames, body, self.define.warp)
        return Script(self.hat, body)


class StreamParser:
    """Feed text with :meth:`feed`; read :meth:`snapshot` at any time; call :meth:`finish` at the end."""

    def __init__(self, catalog: Catalog | None = None):
        self.cat = catalog or load_catalog()
        self.text = ""  # everything fed so far
        self.error: BlockSyntaxError | None = None  # why the last complete line did not fit, if it did not
        self._line_start = 0  # offset in self.text of the partial line
        self._lineno = 0
        self._lines: list[str] = []  # complete lines
        self._exact = False  # after an error: reparse all complete lines at each newline
        self._sections: list[tuple[str, list[Script | Define]]] = []
        self._headers: bool | None = None  # sprite("..."): sections, decided by the first block line
        self._script_indent: int | None = None
        self._procs: dict[str, Define] = {}
        self._script: _OpenScript | None = None
        self._snapshot = Program((Sprite(DEFAULT_SPRITE, ()),))

    # ----- input -------------------------------------------------------------------------

    def feed(self, chunk: str) -> list[str]:
        """Add text; returns the lines completed by it (blank and comment lines included)."""
        self.text += chunk
        if "\n" not in chunk:
            return []
        done = []
        while (end := self.text.find("\n", self._line_start)) != -1:
            line = self.text[self._line_start:end]
            self._line_start = end + 1
            self._complete(line)
            done.append(line)
        return done

    def finish(self) -> Program:
        """The whole text as a program; raises BlockSyntaxError (naming the line) if it is not one."""
        if self._line_start < len(self.text):
            self.feed("\n")
        program = parse(self.text, self.cat)
        self._snapshot, self.error = program, None
        return program

    def snapshot(self) -> Program:
        """A valid program of every complete line so far, open C-blocks closed."""
        return self._snapshot

    @property
    def lines(self) -> int:
        """How many complete lines have been read."""
        return self._lineno

    # ----- one complete line -------------------------------------------------------------

    def _complete(self, source: str) -> None:
        self._lineno += 1
        self._lines.append(source)
        if self._exact:
            self._reparse()
            return
        stripped = source.lstrip(" ")
        if not stripped.strip() or stripped.lstrip().startswith("#"):
            return
        try:
            self._place(self._line(source))
        except BlockSyntaxError as e:
            self.error, self._exact = e, True
            self._reparse()
            return
        self._snapshot = self._build()

    def _reparse(self) -> None:
        try:
            self._snapshot, self.error = parse("\n".join(self._lines) + "\n", self.cat), None
        except BlockSyntaxError as e:
            self.error = e  # keep the last good snapshot

    def _line(self, source: str) -> _Line:
        try:
            lines = _split_lines(source)
        except BlockSyntaxError as e:
            raise BlockSyntaxError(e.message, self._lineno, e.column, e.source_line) from None
        line = lines[0]
        line.no = self._lineno
        return line

    def _err(self, message: str, line: _Line) -> BlockSyntaxError:
        return BlockSyntaxError(message, line.no, line.indent + 1, line.text)

    def _place(self, line: _Line) -> None:
        if self._headers is None:
            if line.indent:
                raise self._err("unexpected indent: the first line must start at the left edge", line)
            self._headers = line.raw.name == "sprite"
            if not self._headers:
                self._sections.append((DEFAULT_SPRITE, []))
                self._script_indent = 0
        if self._headers and line.indent == 0:
            self._section(line)
            return
        if self._script_indent is None:  # first script line of a section sets its indent
            self._script_indent = line.indent
        if line.indent == self._script_indent:
            self._close_script()
            self._open_script(line)
        elif line.indent > self._script_indent and self._script is not None:
            self._body_line(line)
        else:
            raise self._err("unexpected indent: this line does not line up with the blocks above it", line)

    def _section(self, line: _Line) -> None:
        raw = line.raw
        if raw.name != "sprite":
            raise self._err(f"{raw.name}() must go inside a sprite(\"...\"): section (indent it under the sprite)",
                            line)
        if len(raw.args) != 1 or raw.args[0].tok is None or raw.args[0].tok.kind != "str" or not line.colon:
            raise self._err('a sprite section is written sprite("Name"):', line)
        name = raw.args[0].tok.value
        if name in (n for n, _ in self._sections) or name in ("Stage", "_stage_", ""):
            raise self._err(f"sprite name {name!r} is not allowed or used twice", line)
        self._close_script()
        self._sections.append((name, []))
        self._script_indent, self._procs = None, {}

    def _open_script(self, line: _Line) -> None:
        p = _Parser([line], self.cat)
        define = None
        if line.raw.name == "define":
            define = p.define_header(line)
            self._procs[define.proccode] = define
            if label := proc_label(define.proccode, len(define.argnames)):
                self._procs[label] = define
        script = p.script(line, self._procs)  # checks the hat; its body is empty here
        scope = dict(zip(define.argnames, define.argkinds)) if define else {}
        self._script = _OpenScript(line, scope, define, script.hat if isinstance(script, Script) else None)

    def _body_line(self, line: _Line) -> None:
        s = self._script
        assert s is not None
        if s.body_indent is None:
            s.body_indent = line.indent
        if line.indent < s.body_indent:
            raise self._err("unexpected indent: this line does not line up with the blocks above it", line)
        if line.indent == s.body_indent and line.raw.name != "else_" and s.open:
            s.done.extend(s.open_calls)  # the previous statement is complete
            s.open, s.open_calls = [], ()
        if line.indent == s.body_indent and s.done and not s.open and _Parser([], self.cat).ends_stack(s.done[-1]):
            last = self.cat.spec(s.done[-1].opcode).name
            raise self._err(f"nothing can come after {last}(): blocks after it would never run", line)
        s.open.append(line)
        p = _Parser(s.open, self.cat)
        calls = p.body(s.head, self._procs, s.scope)
        if p.i != len(s.open):
            raise self._err("unexpected indent", s.open[p.i])
        s.open_calls = calls

    def _close_script(self) -> None:
        if self._script is not None:
            self._sections[-1][1].append(self._script.build())
            self._script = None

    def _build(self) -> Program:
        sprites = [Sprite(name, tuple(scripts)) for name, scripts in self._sections]
        if self._script is not None:
            last = sprites[-1]
            sprites[-1] = Sprite(last.name, last.scripts + (self._script.build(),))
        return Program(tuple(sprites)) if sprites else Program((Sprite(DEFAULT_SPRITE, ()),))
