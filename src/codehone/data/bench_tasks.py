"""Making the held-out repository benchmark: infill tasks cut from the test split's code files.

What a task is (HumanEval-infilling's three kinds, cut where an editor's completion would be):

    single_line  one whole simple statement on one line            (complete this line)
    block        a whole compound statement, or a run of 2-4
                 statements of one body, 2..MAX_BLOCK_LINES lines   (complete this block)
    random_span  from one syntax node's start to the end of it or
                 of a later sibling, inside at most 3 lines         (cursor mid-expression)

Cuts come from the tree-sitter grammars ``chunk.py`` loads (``parser_for``); a language without
one falls back to lines (whole lines, lines up to a block boundary, word-bounded spans in a line).

What is left out, and why: files that are not code (Markdown, reST, config: the model is not
asked to write prose here); files with fewer than ``MIN_CODE_LINES`` lines of code besides imports,
comments and docstrings (a 2-line re-export is one guess, not a benchmark); tasks with fewer than
``MIN_SIDE_LINES`` non-blank whole lines of context on either side (an empty prefix or suffix is
not infilling); comments, docstrings and imports as middles.

Context is cut to whole lines, ``PREFIX_CHARS`` before and ``SUFFIX_CHARS`` after. Prompt
evaluation is most of a short fill's time on a CPU: at ~3.5 characters a token, 1,200 + 600
characters are ~500 prompt tokens, about 2 s of prompt on 2 cores for a 0.5B model at q4 (the
old 3,000 + 1,500 took ~5 s), while still holding the enclosing function and the lines after.

Per file, ``file_candidates`` draws up to ``per_kind`` cuts of each kind in a seeded order; then
``select_tasks`` takes them round-robin over files (one a visit, kinds in rotation), at most
``per_file`` from one file, until ``target``: a large test split gives one or two tasks a file,
a small one many, and the note says why there are not more.
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter

from codehone.data.chunk import parser_for

KINDS = ("single_line", "block", "random_span")
PREFIX_CHARS = 1200
SUFFIX_CHARS = 600
MIN_SIDE_LINES = 3
MIN_CODE_LINES = 10
MIN_LINE_CHARS = 6  # a single-line middle shorter than this ("pass", "}") tests nothing
MAX_BLOCK_LINES = 10
MAX_RUN = 4  # statements in a block made of a run of siblings
MAX_SPAN_CHARS = 160
NOT_CODE = frozenset({
    "markdown", "restructuredtext", "text", "json", "yaml", "toml", "ini", "xml", "html", "css", "scss",
    "less", "cmake", "makefile", "dockerfile", "hcl", "protobuf",
})
# Lines that are not code a model must write: imports and re-exports, comments, docstring quotes.
_NOT_CODE_LINE = re.compile(
    r"\s*(import\s|from\s+\S+\s+import\b|#|//|/\*|\*|\"\"\"|'''|__all__\b|export\s+(\*|\{)|"
    r"use\s|package\s|require\b|using\s)")
_BODY_WORDS = ("block", "body", "module", "program", "source_file", "translation_unit", "declaration_list",
               "statement_list")
_SKIP_WORDS = ("comment", "import", "include", "use_declaration", "package", "decorator")


def skip_reason(language: str, lines: list[str]) -> str | None:
    """Why a file gives no tasks (a short reason for the card), or None when it is eligible."""
    if language in NOT_CODE:
        return "not code"
    code = [line for line in lines if line.strip() and not _NOT_CODE_LINE.match(line)]
    if len(code) < MIN_CODE_LINES:
        return "too small or imports only"
    return None


def per_kind_budget(code_files: int, target: int, per_file: int) -> int:
    """Cuts of each kind a file should offer: enough for its share of ``target`` (and spare for
    files that fall short), never more than ``per_file``; keeps pass 2's results small."""
    return max(1, min(per_file, math.ceil(target / max(1, code_files)) + 2))


def file_candidates(path: str, language: str, text: str, seed: int, per_kind: int) -> dict:
    """``{"skip": reason or None, "tasks": {kind: [task, ...]}}`` for one test file, each kind in
    a seeded order; deterministic in (seed, path)."""
    lines = text.split("\n")
    reason = skip_reason(language, lines)
    if reason:
        return {"skip": reason, "tasks": {}}
    src = text.encode("utf-8", "surrogatepass")
    spans = _syntax_spans(language, src)
    if spans is None:
        spans = _line_spans(src, random.Random(f"{seed}:bench-lines:{path}"))
    rng = random.Random(f"{seed}:bench:{path}")
    tasks: dict[str, list[dict]] = {}
    for kind in KINDS:
        found = sorted(set(spans.get(kind, ())))
        rng.shuffle(found)
        out = []
        for a, b in found:
            task = _task(src, a, b, kind, path, language)
            if task is not None:
                out.append(task)
                if len(out) >= per_kind:
                    break
        tasks[kind] = out
    return {"skip": None if any(tasks.values()) else "no cut with enough context", "tasks": tasks}


def _task(src: bytes, a: int, b: int, kind: str, path: str, language: str) -> dict | None:
    prefix = src[:a].decode("utf-8", "surrogatepass")
    middle = src[a:b].decode("utf-8", "surrogatepass")
    suffix = src[b:].decode("utf-8", "surrogatepass")
    if not middle.strip():
        return None
    if len(prefix) > PREFIX_CHARS:
        prefix = prefix[prefix.find("\n", len(prefix) - PREFIX_CHARS) + 1:]
    if len(suffix) > SUFFIX_CHARS:
        suffix = suffix[: suffix.rfind("\n", 0, SUFFIX_CHARS) + 1]
    # Whole lines of context: the prefix's lines before the cursor's, the suffix's after it.
    before = [line for line in prefix.split("\n")[:-1] if line.strip()]
    after = [line for line in suffix.split("\n")[1:] if line.strip()]
    if len(before) < MIN_SIDE_LINES or len(after) < MIN_SIDE_LINES:
        return None
    return {"language": language, "path": path, "prefix": prefix, "suffix": suffix, "middle": middle, "kind": kind}


# ----- cuts along syntax --------------------------------------------------------------------------


def _line_bounds(src: bytes, row_start: int) -> tuple[int, int]:
    """(first non-blank byte, end of the text before the newline) of the line starting at row_start."""
    end = src.find(b"\n", row_start)
    end = len(src) if end < 0 else end
    line = src[row_start:end]
    return row_start + len(line) - len(line.lstrip()), row_start + len(line.rstrip())


def _whole_lines(src: bytes, node_start: int, node_end: int) -> tuple[int, int] | None:
    """The byte span of the whole lines a node covers (newline included), or None when the node
    shares its first or last line with other code."""
    a = src.rfind(b"\n", 0, node_start) + 1
    first, _ = _line_bounds(src, a)
    last_start = src.rfind(b"\n", 0, max(node_end, 1) - 1) + 1 if node_end > a else a
    _, last_end = _line_bounds(src, last_start)
    if first != node_start or last_end != node_end:
        return None
    nl = src.find(b"\n", node_end)
    return a, (len(src) if nl < 0 else nl + 1)


def _is_body(node) -> bool:
    return node.parent is None or any(w in node.type for w in _BODY_WORDS)


def _is_statement(node, src: bytes) -> bool:
    if not node.is_named or any(w in node.type for w in _SKIP_WORDS):
        return False
    if node.type == "expression_statement" and node.named_child_count == 1 \
            and node.named_children[0].type in ("string", "concatenated_string"):
        return False  # a docstring
    return True


def _syntax_spans(language: str, src: bytes) -> dict[str, list[tuple[int, int]]] | None:
    """Candidate (start, end) byte spans by kind, or None when there is no grammar or no tree."""
    parser = parser_for(language)
    if parser is None:
        return None
    tree = parser.parse(src)
    if tree.root_node.has_error and tree.root_node.child_count <= 1:
        return None
    spans: dict[str, list[tuple[int, int]]] = {k: [] for k in KINDS}
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        stack.extend(node.named_children)
        if _is_body(node):
            _statement_spans(node, src, spans)
        _random_spans(node, src, spans["random_span"])
    return spans


def _statement_spans(body, src: bytes, spans: dict[str, list[tuple[int, int]]]) -> None:
    stmts = [c for c in body.named_children if _is_statement(c, src)]
    whole = [_whole_lines(src, c.start_byte, c.end_byte) for c in stmts]
    for i, (node, span) in enumerate(zip(stmts, whole)):
        if span is None:
            continue
        rows = node.end_point[0] - node.start_point[0] + 1
        text = src[node.start_byte:node.end_byte].strip()
        if rows == 1 and len(text) >= MIN_LINE_CHARS:
            spans["single_line"].append(span)
        elif 2 <= rows <= MAX_BLOCK_LINES:
            spans["block"].append(span)
        for j in range(i + 1, min(i + MAX_RUN, len(stmts))):
            if whole[j] is None or stmts[j].end_point[0] - node.start_point[0] + 1 > MAX_BLOCK_LINES:
                break
            spans["block"].append((span[0], whole[j][1]))


def _random_spans(node, src: bytes, out: list[tuple[int, int]]) -> None:
    """From this node's start to its end or a later sibling's end (up to 2 siblings on), within
    3 lines and MAX_SPAN_CHARS; never inside a comment or a string (prose, not code)."""
    if not node.is_named or node.parent is None or any(w in t for w in ("comment", "string")
                                                       for t in (node.type, node.parent.type)):
        return
    if node.named_child_count == 1 and "string" in node.named_children[0].type:
        return  # a docstring statement: prose too
    end = node
    for _ in range(3):
        if end is None:
            break
        if end.end_point[0] - node.start_point[0] > 2 or end.end_byte - node.start_byte > MAX_SPAN_CHARS:
            break
        if end.end_byte - node.start_byte >= 3:
            out.append((node.start_byte, end.end_byte))
        end = end.next_named_sibling


# ----- cuts along lines (languages without a grammar) ---------------------------------------------


def _line_spans(src: bytes, rng: random.Random) -> dict[str, list[tuple[int, int]]]:
    """Whole content lines; runs of 2..MAX_BLOCK_LINES lines ending before a dedent or a blank
    line; and one word-bounded span inside each content line."""
    starts = [0] + [m.end() for m in re.finditer(b"\n", src)]
    rows = [(s, src.find(b"\n", s) if src.find(b"\n", s) >= 0 else len(src)) for s in starts if s < len(src)]
    spans: dict[str, list[tuple[int, int]]] = {k: [] for k in KINDS}

    def indent(i: int) -> int:
        s, e = rows[i]
        return len(src[s:e]) - len(src[s:e].lstrip())

    content = [i for i, (s, e) in enumerate(rows) if len(src[s:e].strip()) >= MIN_LINE_CHARS
               and not _NOT_CODE_LINE.match(src[s:e].decode("utf-8", "replace"))]
    for i in content:
        s, e = rows[i]
        spans["single_line"].append((s, min(e + 1, len(src))))
        for j in range(i + 1, min(i + MAX_BLOCK_LINES, len(rows))):
            sj, ej = rows[j]
            if not src[sj:ej].strip() or indent(j) < indent(i):
                if j - i >= 2:
                    spans["block"].append((s, sj))
                break
        cuts = [s + m.start() for m in re.finditer(rb"\b", src[s:e]) if m.start() >= indent(i)]
        if len(cuts) >= 2:
            a = rng.choice(cuts[:-1])
            b = rng.choice([c for c in cuts if 3 <= c - a <= MAX_SPAN_CHARS] or [cuts[-1]])
            if b > a:
                spans["random_span"].append((a, b))
    return spans


# ----- the benchmark over files --------------------------------------------------------------------


def select_tasks(files: list[tuple[str, dict | None]], target: int, per_file: int) -> tuple[list[dict], dict]:
    """Tasks taken round-robin over the eligible files (one a visit, each file rotating through the
    kinds), at most ``per_file`` a file, until ``target``; and the card's note on how many there
    are and why not more. ``files`` are (path, ``file_candidates``) of the test split, in path order."""
    tested = [(p, c) for p, c in files if c is not None]
    skipped = Counter(c["skip"] for _, c in tested if c["skip"])
    pools = [(i, {k: list(v) for k, v in c["tasks"].items()}) for i, (_, c) in enumerate(tested) if not c["skip"]]
    taken = Counter()
    turn = {i: i % len(KINDS) for i, _ in pools}
    out: list[dict] = []
    while len(out) < target:
        progressed = False
        for i, pool in pools:
            if len(out) >= target or taken[i] >= per_file:
                continue
            for step in range(len(KINDS)):
                kind = KINDS[(turn[i] + step) % len(KINDS)]
                if pool.get(kind):
                    out.append(pool[kind].pop(0))
                    taken[i] += 1
                    turn[i] = (turn[i] + step + 1) % len(KINDS)
                    progressed = True
                    break
        if not progressed:
            break
    note = {"target": target, "tasks": len(out), "test_files": len(tested), "eligible_files": len(pools),
            "per_file_cap": per_file, "skipped_files": {k: skipped[k] for k in sorted(skipped)}}
    if len(out) < target:
        if len(pools) * per_file < target and all(taken[i] >= per_file for i, _ in pools):
            note["why_not_more"] = f"only {len(pools)} eligible code files in the test split (at most {per_file} tasks a file)"
        else:
            note["why_not_more"] = (f"the {len(pools)} eligible code files in the test split ran out of cuts "
                                    f"with {MIN_SIDE_LINES}+ lines of context on each side")
    return out, note


def number_tasks(rows: list[dict], repo: str) -> list[dict]:
    """Task ids ``repo/N`` in order, and the repository name the prompt's header needs
    (``repo_bench.request_for``: the model was trained with it)."""
    return [{"task_id": f"{repo}/{i}", **row, "repo": repo} for i, row in enumerate(rows)]
