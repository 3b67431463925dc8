"""Scoring predicted text against a reference by text, not by running it, as CodeXGLUE and
RepoBench do for line completion: ``exact_match`` (equal after trimming trailing whitespace per
line and blank lines at either end) and ``edit_similarity`` (1 - Levenshtein distance / longer
length, on the same normalised text). Used by the repository infill benchmark
(``data/repo_bench.py``), the eval stage and training's end-of-run benchmark.
"""

from __future__ import annotations


def normalise(text: str) -> str:
    """Leading and trailing newlines dropped, trailing whitespace trimmed on every line."""
    return "\n".join(line.rstrip() for line in text.strip("\n").split("\n"))


def exact_match(prediction: str, reference: str) -> float:
    return float(normalise(prediction) == normalise(reference))


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insert, delete, substitute: cost 1 each); O(len(a) * len(b)) time, one row of memory."""
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def edit_similarity(prediction: str, reference: str) -> float:
    p, r = normalise(prediction), normalise(reference)
    if not p and not r:
        return 1.0
    return 1.0 - levenshtein(p, r) / max(len(p), len(r))
