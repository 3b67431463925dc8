"""Fill-in-the-middle and plain next-token examples in the model's own template.

The template (sentinel strings, PSM/SPM layout, repository tokens) comes from the tokenizer's
vocabulary via ``codehone.core.fim``, so the training text is exactly what the model sees
at inference. Each chunk becomes one example: FIM with probability ``fim_rate``, else plain LM.

Where the middle goes (after Refact's FIM data, which mirrors what an editor asks for):

    10%  a span inside one line                 (cursor mid-expression)
    30%  from a point in a line to its end      (complete the rest of this line)
    60%  one or more whole lines ending where a statement or block ends (complete this block)

Half the FIM examples (``spm_rate``) use the SPM layout (Bavarian et al. 2022), which teaches the
same skill with the prefix adjacent to the middle. Repository context: where the template has
repository tokens (Qwen2.5-Coder's ``<|repo_name|>`` / ``<|file_sep|>``), every example opens
with the repository name and the file path, the layout Qwen2.5-Coder was pretrained on.
All randomness comes from the ``random.Random`` passed in, so a seed fixes every split point.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from codehone.core.fim import FimTemplate

SPAN_IN_LINE, TO_LINE_END, BLOCK = 0.1, 0.3, 0.6
MAX_BLOCK_LINES = 12


@dataclass(frozen=True)
class FimSplit:
    prefix: str
    middle: str
    suffix: str
    kind: str  # "span" | "line_end" | "block"


def _line_starts(text: str) -> list[int]:
    starts = [0]
    pos = text.find("\n")
    while pos >= 0:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1)
    return starts


def _content_rows(text: str, starts: list[int], min_len: int = 2) -> list[int]:
    out = []
    for i, s in enumerate(starts):
        e = starts[i + 1] - 1 if i + 1 < len(starts) else len(text)
        if len(text[s:e].strip()) >= min_len:
            out.append(i)
    return out


def split_point(text: str, boundaries: list[int], rng: random.Random) -> FimSplit | None:
    """Choose a middle in ``text``; None when the text has no line worth hiding."""
    starts = _line_starts(text)
    rows = _content_rows(text, starts)
    if not rows:
        return None

    def row_span(row: int) -> tuple[int, int, int]:
        s = starts[row]
        e = starts[row + 1] - 1 if row + 1 < len(starts) else len(text)
        indent = s + len(text[s:e]) - len(text[s:e].lstrip())
        return s, indent, e

    r = rng.random()
    row = rng.choice(rows)
    s, indent, e = row_span(row)
    if r < SPAN_IN_LINE and e - indent >= 4:
        a = rng.randrange(indent, e - 1)
        b = rng.randrange(a + 1, e + 1)
        return FimSplit(text[:a], text[a:b], text[b:], "span")
    if r < SPAN_IN_LINE + TO_LINE_END:
        a = rng.randrange(indent, e)
        return FimSplit(text[:a], text[a:e], text[e:], "line_end")
    # Block: from the start of a content row (after its indentation) to the end of a
    # boundary row at or below it, at most MAX_BLOCK_LINES down.
    ends = [b for b in boundaries if row <= b < row + MAX_BLOCK_LINES and b < len(starts)]
    end_row = rng.choice(ends) if ends else row
    _, _, e = row_span(end_row)
    a = indent
    return FimSplit(text[:a], text[a:e], text[e:], "block")


def file_context(template: FimTemplate | None, repo: str | None, path: str) -> str:
    """Repository-level header, where the template has the tokens for it."""
    if template is None or not template.repo_name or not template.file_sep or not repo:
        return ""
    return template.repo_header(repo) + template.file_header(path)


def fim_text(template: FimTemplate, split: FimSplit, context: str, spm: bool) -> str:
    """One training string. The context goes before the FIM sentinels, as Qwen2.5-Coder's
    repository-level infill prompt does (``<|repo_name|>..<|file_sep|>path\\n<|fim_prefix|>..``)."""
    body = template.text(split.prefix, split.suffix, "spm" if spm else "psm")
    return context + body + split.middle + (template.end[0] if template.end else "")


def lm_text(text: str, context: str, eos: str | None) -> str:
    return context + text + (eos or "")


def make_example(text: str, boundaries: list[int], template: FimTemplate | None, context: str,
                 eos: str | None, fim_rate: float, spm_rate: float,
                 rng: random.Random) -> tuple[str, str, str | None]:
    """(kind, training text, FIM middle kind or None) for one chunk. Both coin flips happen
    every time, so the random stream does not depend on how earlier flips came out."""
    want_fim = rng.random() < fim_rate
    spm = rng.random() < spm_rate
    if want_fim and template is not None:
        split = split_point(text, boundaries, rng)
        if split is not None and split.middle.strip():
            return "fim", fim_text(template, split, context, spm), split.kind + ("_spm" if spm else "_psm")
    return "lm", lm_text(text, context, eos), None
