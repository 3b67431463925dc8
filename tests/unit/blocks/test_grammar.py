"""The GBNF grammar of block programs, checked both ways.

Accepting: every example program (tests, few-shot prompts) and every canonical reprint of a
program the grammar generated is accepted by llama.cpp's own grammar engine, fed the way
generation feeds it (token by token, with end-of-text after the last token).

Sound: random strings drawn from the grammar all parse. llama.cpp can check a string but not
draw one, so the drawing is done by a small sampler over the GBNF text, written here for the
test only; each drawn string is also checked by llama.cpp, which keeps the sampler honest.
"""

from __future__ import annotations

import random
import re

import pytest

from codehone.blocks.copilot.prompting import FEW_SHOT
from codehone.blocks.lang.grammar import gbnf_literal, program_grammar
from codehone.blocks.lang.parser import parse
from codehone.blocks.lang.printer import format_program
from codehone.blocks.lang.tokens import BlockSyntaxError
from .examples import ALL

# --------------------------------------------------------------------------- a tiny GBNF sampler

_TOKEN = re.compile(r'\s*(?:(?P<lit>"(?:\\.|[^"\\])*")|(?P<cls>\[(?:\\.|[^\]\\])*\])|(?P<name>[a-zA-Z0-9-]+)'
                    r'|(?P<rep>\{\d+(?:,\d*)?\})|(?P<op>[()|*+?]))')
_ESC = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "]": "]", "[": "[", "-": "-", "^": "^", "'": "'"}


def _unescape(body: str) -> list[str]:
    out, i = [], 0
    while i < len(body):
        if body[i] == "\\":
            c = body[i + 1]
            width = {"x": 2, "u": 4, "U": 8}.get(c)
            if width:
                out.append(chr(int(body[i + 2: i + 2 + width], 16)))
                i += 2 + width
            else:
                out.append(_ESC[c])
                i += 2
        else:
            out.append(body[i])
            i += 1
    return out


def _parse_gbnf(text: str) -> dict:
    rules = {}
    for line in text.splitlines():
        name, body = line.split(" ::= ", 1)
        toks = [(m.lastgroup, m.group(m.lastgroup)) for m in _TOKEN.finditer(body)]
        assert "".join(t[1] for t in toks).replace(" ", "") == body.replace(" ", ""), line
        pos = 0

        def alt():
            nonlocal pos
            seqs = [seq()]
            while pos < len(toks) and toks[pos] == ("op", "|"):
                pos += 1
                seqs.append(seq())
            return ("alt", seqs)

        def seq():
            nonlocal pos
            items = []
            while pos < len(toks) and toks[pos] not in (("op", "|"), ("op", ")")):
                kind, val = toks[pos]
                pos += 1
                if kind == "lit":
                    item = ("lit", "".join(_unescape(val[1:-1])))
                elif kind == "cls":
                    chars = _unescape(val[1:-1])
                    neg = chars[:1] == ["^"] and not val.startswith("[\\^")
                    chars = chars[1:] if neg else chars
                    ranges, j = [], 0
                    while j < len(chars):
                        if j + 2 < len(chars) and chars[j + 1] == "-":
                            ranges.append((ord(chars[j]), ord(chars[j + 2])))
                            j += 3
                        else:
                            ranges.append((ord(chars[j]), ord(chars[j])))
                            j += 1
                    item = ("cls", neg, ranges)
                elif kind == "name":
                    item = ("ref", val)
                elif val == "(":
                    item = alt()
                    assert toks[pos] == ("op", ")")
                    pos += 1
                else:
                    raise AssertionError(f"unexpected {val} in {line}")
                while pos < len(toks) and (toks[pos][0] == "rep" or toks[pos][1] in "*+?"):
                    k, v = toks[pos]
                    pos += 1
                    lo, hi = {"*": (0, None), "+": (1, None), "?": (0, 1)}.get(v, (0, 0))
                    if k == "rep":
                        parts = v[1:-1].split(",")
                        lo = int(parts[0])
                        hi = lo if len(parts) == 1 else (int(parts[1]) if parts[1] else None)
                    item = ("rep", item, lo, hi)
                items.append(item)
            return ("seq", items)

        rules[name] = alt()
        assert pos == len(toks), line
    return rules


_POOL = [chr(c) for c in range(0x20, 0x7F)] + list("éß¿ñ中😀\t") + ["\x85", "\u2028", "\u2027", "\u202a"]


class _Sampler:
    def __init__(self, text: str, rng: random.Random, budget: int = 500):
        self.rules, self.rng, self.budget = _parse_gbnf(text), rng, budget
        self.cost = {name: 10**9 for name in self.rules}
        for _ in range(60):  # fixpoint: the shortest expansion of each rule
            for name, node in self.rules.items():
                self.cost[name] = min(self.cost[name], self.min_len(node))

    def min_len(self, node) -> int:
        kind = node[0]
        if kind == "lit":
            return len(node[1])
        if kind == "cls":
            return 1
        if kind == "ref":
            return self.cost[node[1]]
        if kind == "rep":
            return node[2] * self.min_len(node[1])
        if kind == "seq":
            return sum(self.min_len(i) for i in node[1])
        return min(self.min_len(s) for s in node[1])

    def draw(self, node, out: list[str]) -> None:
        kind, tight = node[0], sum(map(len, out)) > self.budget
        if kind == "lit":
            out.append(node[1])
        elif kind == "cls":
            _, neg, ranges = node
            ok = [c for c in _POOL if any(a <= ord(c) <= b for a, b in ranges) != neg]
            out.append(self.rng.choice(ok))
        elif kind == "ref":
            self.draw(self.rules[node[1]], out)
        elif kind == "seq":
            for item in node[1]:
                self.draw(item, out)
        elif kind == "rep":
            _, item, lo, hi = node
            n = lo if tight else self.rng.randint(lo, min(hi if hi is not None else lo + 3, lo + 3))
            for _ in range(n):
                self.draw(item, out)
        else:
            options = node[1]
            if tight:
                best = min(self.min_len(s) for s in options)
                options = [s for s in options if self.min_len(s) == best]
            self.draw(self.rng.choice(options), out)

    def sample(self) -> str:
        out: list[str] = []
        self.draw(self.rules["root"], out)
        return "".join(out)


# --------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def checker(tiny_gguf):
    from codehone.backends.llamacpp import LlamaCppBackend

    backend = LlamaCppBackend(tiny_gguf, n_ctx=256, n_seq_max=1)
    yield backend.grammar_check
    backend.close()


GRAMMAR = program_grammar()
STRICT = program_grammar(custom_blocks=False)


# --------------------------------------------------------------------------- accepting

@pytest.mark.parametrize("name", sorted(ALL))
def test_example_programs_are_accepted(checker, name):
    assert checker(GRAMMAR, ALL[name]) is None


@pytest.mark.parametrize("i", range(len(FEW_SHOT)))
def test_few_shot_programs_are_accepted_by_both_grammars(checker, i):
    assert checker(GRAMMAR, FEW_SHOT[i][1]) is None
    assert checker(STRICT, FEW_SHOT[i][1]) is None


def test_refusal_and_clean_end(checker):
    assert checker(GRAMMAR, "# Blocks cannot send emails, so I cannot make that.\n") is None
    # A blank line ends the program: only end-of-text may follow it.
    assert checker(GRAMMAR, ALL["hexagon"] + "\n") is None
    assert checker(GRAMMAR, ALL["hexagon"] + "\nThis draws a hexagon.\n") is not None
    # The program may stop after any complete line, with or without its newline (models often
    # stop right after the last ")"), but not inside one.
    assert checker(GRAMMAR, ALL["hexagon"].rstrip("\n")) is None
    assert checker(GRAMMAR, ALL["hexagon"].rstrip("\n")[:-1]) is not None


@pytest.mark.parametrize("bad", [
    "when_flag_clicked():\n    jump(10)\n",  # no such block
    "when_flag_clicked():\n    move(10, 20)\n",  # too many values
    "when_flag_clicked():\n    go_to_xy(10)\n",  # too few
    'when_flag_clicked():\n    stop("everything")\n',  # not a choice of a closed menu
    'when_key_pressed("enter"):\n    move(1)\n',  # closed field
    'when_flag_clicked():\n    move("ten")\n',  # text in a number slot
    "when_flag_clicked():\n    if_(5):\n        move(1)\n",  # number where a condition goes
    "when_flag_clicked():\n    if_(x_position()):\n        move(1)\n",  # round block as a condition
    "move(10)\n",  # no hat
    "when_flag_clicked():\nmove(10)\n",  # not indented
    "when_flag_clicked():\n    forever():\n        move(1)\n    move(2)\n",  # after forever
    'when_flag_clicked():\n    stop("all")\n    move(2)\n',  # after stop all
    "when_flag_clicked():\n    else_():\n        move(1)\n",  # else without if
    "when_flag_clicked():\n    move(1e999)\n",  # not a finite number
    'sprite("Stage"):\n    when_flag_clicked():\n        move(1)\n',  # reserved sprite name
    'when_flag_clicked():\n    set_pen_color_to("red")\n',  # colour must be #rrggbb
    "when_flag_clicked():\n    move(arg(\"size\"))\n",  # arg() outside a define
])
def test_invalid_programs_are_rejected(checker, bad):
    with pytest.raises(BlockSyntaxError):
        parse(bad)  # the parser agrees each one is wrong
    assert checker(GRAMMAR, bad) is not None


def test_only_the_canonical_spelling_is_accepted(checker):
    # The parser takes these; the grammar keeps the model to the one form it was taught.
    for loose in ["when_flag_clicked():\n      move(10)\n", "when_flag_clicked():\n    go_to_xy(1,2)\n",
                  "when_flag_clicked():\n    say('hi')\n", "when_flag_clicked():\n\n    move(1)\n"]:
        parse(loose)
        assert checker(GRAMMAR, loose) is not None


def test_stop_other_scripts_does_not_end_the_stack(checker):
    ok = 'when_flag_clicked():\n    stop("other scripts in sprite")\n    move(1)\n'
    parse(ok)
    assert checker(GRAMMAR, ok) is None


def test_max_depth_bounds_nesting(checker):
    def nested(levels: int) -> str:
        lines = ["when_flag_clicked():"]
        for d in range(1, levels):
            lines.append("    " * d + "repeat(2):")
        lines.append("    " * levels + "move(1)")
        return "\n".join(lines) + "\n"

    g2 = program_grammar(max_depth=2)
    assert checker(g2, nested(2)) is None
    assert checker(g2, nested(3)) is not None
    assert checker(GRAMMAR, nested(5)) is None


def test_grammar_is_cached_and_literals_escape():
    assert program_grammar() is program_grammar()
    assert gbnf_literal('say("a\\b")\n') == '"say(\\"a\\\\b\\")\\n"'
    with pytest.raises(ValueError):
        program_grammar(max_depth=0)


def test_invalid_gbnf_is_a_clear_error(tiny_gguf):
    from codehone.backends.base import GenerationError
    from codehone.backends.llamacpp import LlamaCppBackend

    backend = LlamaCppBackend(tiny_gguf, n_ctx=256, n_seq_max=1)
    with pytest.raises(GenerationError, match="not valid GBNF.*foo"):
        backend.compile_grammar("root ::= foo")
    backend.close()


# --------------------------------------------------------------------------- sound

# What a context-free grammar cannot see; the parser checks these (see grammar.py's notes).
_CONTEXT_SENSITIVE = re.compile(r"no custom block|is not an argument of this custom block|custom block .* needs"
                                r"|needs a condition for its|same name|used twice")


def _draws(grammar: str, n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    sampler = _Sampler(grammar, rng, budget=rng.choice([150, 400, 900]))
    out = []
    for _ in range(n):
        sampler.budget = rng.choice([60, 250, 600, 1200])
        out.append(sampler.sample())
    return out


def test_everything_the_strict_grammar_draws_parses_and_llamacpp_agrees(checker):
    draws = _draws(STRICT, 250, seed=1)
    assert sum("repeat(" in d or "if_(" in d for d in draws) > 50  # the draws do reach nesting
    assert sum(d.startswith("sprite(") for d in draws) > 20
    for text in draws:
        try:
            program = parse(text)
        except BlockSyntaxError as e:
            assert "used twice" in str(e), f"{e}\n---\n{text}"  # two sprites drew the same name
            continue
        assert checker(STRICT, text) is None, text
        # The canonical reprint is accepted too (printer and grammar agree on the canonical form).
        printed = format_program(program)  # empty for a refusal (a comment is not kept)
        assert not printed or checker(STRICT, printed) is None, printed


def test_custom_block_draws_parse_or_fail_only_on_cross_references(checker):
    parsed = 0
    for text in _draws(GRAMMAR, 250, seed=2):
        try:
            program = parse(text)
            parsed += 1
        except BlockSyntaxError as e:
            assert _CONTEXT_SENSITIVE.search(str(e)), f"{e}\n---\n{text}"
            continue
        printed = format_program(program)
        assert not printed or checker(GRAMMAR, printed) is None, printed
    assert parsed > 100
