"""Cut files into training-sized pieces along syntax, and find documented functions.

A piece that starts mid-function teaches the model less than one that starts at a definition,
so cuts go where the syntax tree says a unit starts (tree-sitter, one grammar wheel per language;
the wheels carry compiled grammars, unlike tree-sitter-language-pack which downloads at run time).
Cut candidates are the rows where a named node starts at its line's indentation; a shallower
node is a better cut (top-level definitions first, then methods, then statements). Files in
other languages, or that fail to parse, fall back to blank lines and unindented rows.

The same walk records *block boundaries* (rows where a statement or block ends), which fim.py
uses to end multi-line middles where an editor's completion would end, and *definitions* with
their doc comment or docstring, which instruct.py turns into instruction pairs.

The walk stops at ``MAX_DEPTH``: statements deeper than that are rarely good cut points, and
visiting every leaf of a large repository from Python costs more than all the parsing.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from functools import lru_cache

MAX_DEPTH = 7
# language -> (module, attribute holding the grammar)
GRAMMARS = {
    "python": ("tree_sitter_python", "language"),
    "javascript": ("tree_sitter_javascript", "language"),
    "typescript": ("tree_sitter_typescript", "language_typescript"),
    "tsx": ("tree_sitter_typescript", "language_tsx"),
    "java": ("tree_sitter_java", "language"),
    "go": ("tree_sitter_go", "language"),
    "rust": ("tree_sitter_rust", "language"),
    "c": ("tree_sitter_c", "language"),
    "cpp": ("tree_sitter_cpp", "language"),
    "bash": ("tree_sitter_bash", "language"),
}
FUNCTION_TYPES = {
    "function_definition", "function_declaration", "method_definition", "method_declaration",
    "constructor_declaration", "function_item", "generator_function_declaration",
}


@dataclass
class Definition:
    name: str
    start_row: int  # first row of the code (after the doc comment)
    end_row: int  # inclusive
    doc: str  # docstring or doc comment text, cleaned
    depth: int


@dataclass
class Structure:
    cuts: dict[int, int] = field(default_factory=dict)  # row -> priority (lower cuts better)
    boundaries: set[int] = field(default_factory=set)  # rows where a statement/block ends
    definitions: list[Definition] = field(default_factory=list)
    parsed: bool = False


@dataclass
class Chunk:
    text: str
    start_row: int
    boundaries: list[int]  # rows, relative to the chunk, where a block ends


@lru_cache(maxsize=None)
def parser_for(language: str):
    """A tree-sitter parser, or None for languages without a grammar wheel."""
    if language not in GRAMMARS:
        return None
    from tree_sitter import Language, Parser

    module, attr = GRAMMARS[language]
    try:
        grammar = getattr(importlib.import_module(module), attr)()
    except ImportError:
        return None
    return Parser(Language(grammar))


def _walk(root):
    """(node, depth) for named nodes down to MAX_DEPTH, pre-order."""
    cursor = root.walk()
    depth = 0
    while True:
        node = cursor.node
        if node.is_named:
            yield node, depth
        if depth < MAX_DEPTH and cursor.goto_first_child():
            depth += 1
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent() or depth <= 1:
                return
            depth -= 1


def _clean_doc(raw: str) -> str:
    lines = []
    for line in raw.strip().splitlines():
        line = line.strip()
        for mark in ('"""', "'''", "/**", "*/", "///", "//!", "//", "#", "*"):
            if line.startswith(mark):
                line = line[len(mark):].strip()
        for mark in ('"""', "'''", "*/"):
            if line.endswith(mark):
                line = line[: -len(mark)].strip()
        lines.append(line)
    return "\n".join(lines).strip()


def _doc_of(node, language: str, src: bytes) -> tuple[str, int]:
    """The doc text of a definition node and the row its documented code starts at."""
    if language == "python":
        body = node.child_by_field_name("body")
        first = body.named_children[0] if body is not None and body.named_children else None
        if first is not None and first.type == "expression_statement" and first.named_children \
                and first.named_children[0].type == "string":
            return _clean_doc(src[first.start_byte:first.end_byte].decode("utf-8", "replace")), node.start_point.row
        return "", node.start_point.row
    comments = []
    prev, row = node.prev_named_sibling, node.start_point.row
    while prev is not None and "comment" in prev.type and prev.end_point.row >= row - 1:
        comments.append(src[prev.start_byte:prev.end_byte].decode("utf-8", "replace"))
        row = prev.start_point.row
        prev = prev.prev_named_sibling
    return _clean_doc("\n".join(reversed(comments))), node.start_point.row


def analyse(language: str, text: str, lines: list[str]) -> Structure:
    parser = parser_for(language)
    if parser is None:
        return _fallback(lines)
    src = text.encode("utf-8", "surrogatepass")
    tree = parser.parse(src)
    if tree.root_node.has_error and tree.root_node.child_count <= 1:
        return _fallback(lines)
    st = Structure(parsed=True)
    for node, depth in _walk(tree.root_node):
        (r0, c0), (r1, c1) = node.start_point, node.end_point
        if depth == 0 or r0 >= len(lines):
            continue
        line = lines[r0]
        starts_line = c0 == len(line) - len(line.lstrip())
        if starts_line and r0 not in st.cuts:
            st.cuts[r0] = depth
        if starts_line and r1 < len(lines) and c1 >= len(lines[r1].rstrip()):
            st.boundaries.add(r1)
        if node.type in FUNCTION_TYPES and depth <= 4:
            name_node = node.child_by_field_name("name") or node.child_by_field_name("declarator")
            name = src[name_node.start_byte:name_node.end_byte].decode("utf-8", "replace") if name_node else ""
            doc, start = _doc_of(node, language, src)
            st.definitions.append(Definition(name.split("(")[0], start, r1, doc, depth))
    return st


def _fallback(lines: list[str]) -> Structure:
    """Blank lines and unindented rows after them as cuts; the row before a blank or a dedent
    as a block boundary."""
    st = Structure()
    prev_blank = True
    for i, line in enumerate(lines):
        blank = not line.strip()
        if not blank and prev_blank:
            st.cuts[i] = 1 if not line[:1].isspace() else 3
        if not blank and i + 1 < len(lines):
            nxt = lines[i + 1]
            indent = len(line) - len(line.lstrip())
            if not nxt.strip() or len(nxt) - len(nxt.lstrip()) < indent:
                st.boundaries.add(i)
        prev_blank = blank
    if lines:
        st.boundaries.add(len(lines) - 1)
    return st


def chunk_lines(lines: list[str], st: Structure, budget_chars: int) -> list[Chunk]:
    """Greedy cut: from each start, the furthest row that fits the budget, then the best-priority
    cut candidate in the latter 70% of that window (so chunks are neither tiny nor split
    mid-definition); any row when no candidate fits."""
    ends = [0]
    for line in lines:
        ends.append(ends[-1] + len(line))  # lines keep their newline
    chunks = []
    start = 0
    n = len(lines)
    while start < n:
        stop = start + 1
        while stop < n and ends[stop + 1] - ends[start] <= budget_chars:
            stop += 1
        if stop < n:
            low = start + max(1, int(0.3 * (stop - start)))
            best = None
            for row in range(stop, low - 1, -1):
                prio = st.cuts.get(row)
                if prio is not None and (best is None or prio < best[0]):
                    best = (prio, row)
            if best is not None:
                stop = best[1]
        text = "".join(lines[start:stop])
        if text.strip():
            chunks.append(Chunk(text, start, sorted(b - start for b in st.boundaries if start <= b < stop)))
        start = stop
    return chunks
