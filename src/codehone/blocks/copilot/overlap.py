"""How close each held-out request is to the requests a model was trained on.

The training set keeps every held-out prompt out by its exact text (``dataset.build_rows``). That
does not stop a training request that differs by a capital letter, an accent, a full stop or one
word ("make the dog say hello" beside a held-out "make the cat say hello"). A figure on a
held-out set is only as held-out as its nearest training request, so this module measures it.

Closeness is the Jaccard index of the two requests' word sets: words lower-cased, accents
stripped, punctuation dropped (:func:`words`). Requests are a handful of words, so the exact
index over an inverted word index is cheap (a few seconds for 800 held-out against 5,000
training requests) and needs no MinHash estimate. A pair at 1.0 has the same words (maybe in
another order or case); 0.8 is about one word in ten different.

Where the training requests come from: a run's ``data/train.jsonl`` and ``data/valid.jsonl`` as
`codehone blocks data` wrote them, every user turn of every chat row (:func:`training_requests`).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from codehone.blocks.languages.detect import fold
from codehone.errors import UserError

__all__ = ["Nearest", "nearest", "summarise", "training_requests", "words"]

_WORD = re.compile(r"[a-z0-9]+")
BANDS = (1.0, 0.8, 0.6)  # the closeness bands a summary counts, most alike first


def words(text: str) -> frozenset[str]:
    """The request's words: folded as the language detector folds them (lower case, accents stripped,
    so "¡Dí hola!" and "di hola" agree; "ß" is "ss"), punctuation dropped."""
    return frozenset(_WORD.findall(fold(text)))


@dataclass(frozen=True)
class Nearest:
    held_out: str  # the held-out request
    training: str  # its closest training request ("" when none shares a word)
    jaccard: float  # 0.0 .. 1.0


def nearest(held_out: list[str], training: list[str]) -> list[Nearest]:
    """For each held-out request, the training request with the most words in common relative to
    both (Jaccard of the word sets); ties go to the first in ``training``."""
    sets = [words(t) for t in training]
    index: dict[str, list[int]] = defaultdict(list)
    for i, ws in enumerate(sets):
        for w in ws:
            index[w].append(i)
    out = []
    for text in held_out:
        mine = words(text)
        shared: dict[int, int] = defaultdict(int)
        for w in mine:
            for i in index.get(w, ()):
                shared[i] += 1
        best, best_j = -1, 0.0
        for i, n in shared.items():
            j = n / (len(mine) + len(sets[i]) - n)
            if j > best_j or (j == best_j and i < best):
                best, best_j = i, j
        out.append(Nearest(text, training[best] if best >= 0 else "", round(best_j, 4)))
    return out


def training_requests(run: str | Path) -> list[str]:
    """Every user turn of every chat row in a run's training and validation data, in file order."""
    data = Path(run) / "data"
    files = [data / "train.jsonl", data / "valid.jsonl"]
    if not files[0].exists():
        raise UserError(f"{files[0]} does not exist: give the run directory that `codehone blocks data --out RUN` "
                        "wrote (it holds data/train.jsonl)")
    out = []
    for path in files:
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            out += [m["content"] for m in row.get("messages", ()) if m.get("role") == "user"]
    return out


def summarise(matches: list[Nearest]) -> dict:
    """Counts of held-out requests at or above each closeness band, and the median closeness."""
    js = sorted(m.jaccard for m in matches)
    out = {"requests": len(js), "median": js[len(js) // 2] if js else None}
    for band in BANDS:
        out[f"at_least_{band}"] = sum(j >= band for j in js)
    return out
