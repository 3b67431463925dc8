"""Instruction pairs from the code itself: a function's doc comment asks, its code answers.

A documented function is a free instruction example in the repository's own vocabulary and
style: the docstring (or the doc comment above the definition) becomes the request, the
function the answer, in chat messages the trainer renders with the model's chat template.
Undocumented or trivially documented functions (under ``MIN_DOC_CHARS``) give nothing: an
instruction like "Helper." teaches the model to answer vague requests with confident code.
"""

from __future__ import annotations

from codehone.data.chunk import Definition

MIN_DOC_CHARS = 24
MIN_CODE_LINES = 3
LANGUAGE_NAMES = {
    "python": "Python", "javascript": "JavaScript", "typescript": "TypeScript", "tsx": "TypeScript (TSX)",
    "java": "Java", "go": "Go", "rust": "Rust", "c": "C", "cpp": "C++", "bash": "Bash",
}


def instruction_pairs(defn: list[Definition], lines: list[str], language: str, path: str,
                      repo: str, max_chars: int) -> list[list[dict]]:
    out = []
    lang = LANGUAGE_NAMES.get(language, language)
    for d in defn:
        if len(d.doc) < MIN_DOC_CHARS or not d.name or d.end_row - d.start_row + 1 < MIN_CODE_LINES:
            continue
        code = "".join(lines[d.start_row : d.end_row + 1])
        # Methods are indented in the file; the answer starts at column 0 like a snippet would.
        indent = len(code) - len(code.lstrip(" \t"))
        code = "".join(line[indent:] if line[:indent].isspace() else line for line in code.splitlines(True))
        if len(code) + len(d.doc) > max_chars:
            continue
        signature = code.split("\n", 1)[0].rstrip(" {:")
        user = (f"{d.doc}\n\nWrite this as the {lang} function `{d.name}` in `{path}` of the {repo} "
                f"repository, starting from:\n{signature}")
        assistant = f"```{language}\n{code.rstrip()}\n```"
        out.append([{"role": "user", "content": user}, {"role": "assistant", "content": assistant}])
    return out
