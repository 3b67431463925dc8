"""Drop files that contain evaluation benchmarks, so a better score means a better model.

As in BigCode's decontamination, a file is contaminated when it contains a benchmark prompt or
solution as a substring; both sides are normalised first (every whitespace run becomes one
space) so a re-indented or re-wrapped copy still matches. The benchmarks are HumanEval and MBPP
(vendored in ``codehone/assets/benchmarks``, read with importlib.resources) plus any file the
user names: JSONL / JSONL.gz / JSON rows (fields prompt, canonical_solution, solution, code), or
any other file taken whole as one string.

Very short strings (under ``MIN_CHARS`` once normalised, e.g. HumanEval's ``return len(string)``)
are not used on their own: they occur in ordinary code and would drop innocent files; the prompt
of the same task (signature + docstring) still catches a copied task.

Speed: testing ~1,200 strings against every file with ``in`` would be quadratic-ish. Each
benchmark string is indexed by its longest *interior* word (one with whitespace on both sides in
the normalised string, so in any occurrence it is a whole word of the file too); a file is only
searched for the strings whose anchor word it contains.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from codehone.data.errors import DataError

MIN_CHARS = 50
BUILTIN = {
    "humaneval": "HumanEval.jsonl.gz",
    "mbpp": "mbpp-sanitized-humaneval-format.jsonl.gz",
}
_FIELDS = ("prompt", "canonical_solution", "solution", "code")


def normalise(text: str) -> str:
    return " ".join(text.split())


def _rows_strings(rows: list[dict]) -> list[str]:
    out = []
    for row in rows:
        for key in _FIELDS:
            value = row.get(key)
            if isinstance(value, str):
                out.append(value)
        # A solution as it appears in real code: the def line followed by the body.
        prompt, solution, entry = row.get("prompt"), row.get("canonical_solution"), row.get("entry_point")
        if isinstance(prompt, str) and isinstance(solution, str) and entry:
            for line in prompt.splitlines():
                if line.lstrip().startswith(("def ", "async def ")) and f"{entry}(" in line:
                    out.append(line + "\n" + solution)
                    break
    return out


def _read_rows(raw: bytes, name: str) -> list[dict]:
    text = raw.decode("utf-8")
    if name.endswith(".json"):
        data = json.loads(text)
        return data if isinstance(data, list) else [data]
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def load_builtin(name: str) -> list[str]:
    try:
        ref = resources.files("codehone").joinpath("assets", "benchmarks", BUILTIN[name])
        raw = gzip.decompress(ref.read_bytes())
    except (ModuleNotFoundError, FileNotFoundError):
        raise DataError(f"the bundled {name} benchmark file is missing from the codehone install; reinstall codehone") from None
    return _rows_strings(_read_rows(raw, BUILTIN[name][:-3]))


def load_file(path: str | Path) -> list[str]:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise DataError(f"cannot read benchmark file {path}: {e.strerror or e}") from None
    name = path.name
    if name.endswith(".gz"):
        raw, name = gzip.decompress(raw), name[:-3]
    if name.endswith((".jsonl", ".json")):
        try:
            return _rows_strings(_read_rows(raw, name))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise DataError(f"benchmark file {path} is not valid JSON/JSONL: {e}") from None
    return [raw.decode("utf-8", "replace")]


@dataclass
class Decontaminator:
    """Benchmark strings indexed for fast substring search; ``match`` names the benchmark hit."""

    anchors: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # word -> [(normalised, benchmark)]
    short: list[tuple[str, str]] = field(default_factory=list)  # no interior word: searched directly
    count: int = 0

    def add(self, benchmark: str, strings: list[str]) -> None:
        seen = set()
        for s in strings:
            norm = normalise(s)
            if len(norm) < MIN_CHARS or norm in seen:
                continue
            seen.add(norm)
            self.count += 1
            words = norm.split(" ")
            interior = words[1:-1]
            if interior:
                self.anchors.setdefault(max(interior, key=len), []).append((norm, benchmark))
            else:
                self.short.append((norm, benchmark))

    def match(self, text: str) -> str | None:
        norm = normalise(text)
        words = set(norm.split(" "))
        for word in sorted(words.intersection(self.anchors)):
            for s, bench in self.anchors[word]:
                if s in norm:
                    return bench
        for s, bench in self.short:
            if s in norm:
                return bench
        return None


def build_decontaminator(builtin: tuple[str, ...] = ("humaneval", "mbpp"), files: tuple[str, ...] = ()) -> Decontaminator:
    d = Decontaminator()
    for name in builtin:
        d.add(name, load_builtin(name))
    for f in files:
        d.add(Path(f).name, load_file(f))
    return d
