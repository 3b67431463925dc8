"""Folding a child's words to the base forms the lexicons are written in.

A request becomes sentences of base-form tokens: lower case, leetspeak-lite undone ("k1ll",
"s3x"), stretched letters squeezed ("kiiiill"), articles dropped ("blow up a school" reads as
"blow up school"), simple inflections removed ("killed", "stabbing", "pills"), and, for long
words only, a one-letter typo repaired to the lexicon word it is one edit from ("suicde",
"adress"). Typo repair needs the same first letter and six letters or more on both sides,
because short words sit one edit from too many ordinary ones ("shout"/"shoot").
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["MASKED", "Folder", "Matcher", "sentences", "unmask"]

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
_TOKEN = re.compile(r"[a-z0-9@$']+|[^\x00-\x7f]+")
_SENTENCE = re.compile(r"[.!?;\n]+")
_STRETCH = re.compile(r"(.)\1\1+")
_DROP = frozenset({"a", "an", "the"})
_IRREGULAR = {"beaten": "beat", "bled": "bleed", "hung": "hang", "dying": "die", "ate": "eat", "stole": "steal",
              "drank": "drink", "blew": "blow", "blown": "blow", "fought": "fight", "ur": "your", "u": "you",
              "ppl": "people", "peoples": "people", "sexi": "sexy", "kms": "kms", "thier": "their",
              "there": "there", "wanna": "want to", "gonna": "going to", "nobody's": "nobody"}
_SUFFIXES = (("'s", ""), ("s", ""), ("es", ""), ("ies", "y"), ("ied", "y"), ("ed", ""), ("ed", "e"), ("d", ""),
             ("ing", ""), ("ing", "e"), ("er", ""), ("ers", ""), ("ly", ""), ("in", ""), ("in", "e"))
# Ordinary words one edit from a lexicon word (typo repair would turn them into it).
_NOT_TYPOS = frozenset({"breath", "breathe", "murmur", "number", "burned", "border", "shorter", "shooter"})


# Words children hide behind a star or two ("s*x", "p*rn", "n*des"), in the five languages: a masked
# word reads as the one of these it spells (a star stands for one letter or more), when two letters show.
MASKED = ("sex", "sexy", "sexe", "sexo", "sexual", "porn", "porno", "nude", "nudes", "naked", "nackt", "nackte", "desnudo",
          "desnuda", "pelado", "pelada", "dick", "tits", "boobs", "puta")
_MASK = re.compile(r"[a-z]+\*+[a-z*]*")


def unmask(text: str) -> str:
    """``text`` with star-masked words read as the word they hide ("s*x" -> "sex"); lower case."""
    def read(m: re.Match) -> str:
        word = m.group(0)
        if sum(ch.isalpha() for ch in word) < 2:
            return word
        pattern = re.compile(re.sub(r"\*+", "[a-z]+", word) + r"\Z")
        return next((w for w in MASKED if len(w) <= len(word) + 2 and pattern.match(w)), word)

    return _MASK.sub(read, text.casefold()) if "*" in text else text.casefold()


def sentences(text: str) -> list[list[str]]:
    """Raw tokens per sentence: lower case, star-masked words read ("s*x"), leetspeak-lite undone,
    stretched letters squeezed."""
    out = []
    for part in _SENTENCE.split(unmask(text).replace("\u2019", "'")):
        tokens = []
        for tok in _TOKEN.findall(part):
            if sum(ch.isalpha() for ch in tok) >= 2 and any(ch in "013457@$" for ch in tok):
                tok = tok.translate(_LEET)
            tok = _STRETCH.sub(r"\1", tok).strip("'")
            if tok and tok not in _DROP:
                tokens.extend(_IRREGULAR.get(tok, tok).split())
        if tokens:
            out.append(tokens)
    return out


class Folder:
    """Maps a token to the lexicon's base form of it (or leaves it as it is)."""

    def __init__(self, vocabulary: set[str]):
        self.vocabulary = frozenset(vocabulary)
        # "kids" and "kid" are both lexicon words: each folds to the shortest one it inflects
        self._canon = {w: self._stem(w, exclude=w) or w for w in self.vocabulary}
        self._deletes: dict[str, str] = {}
        for word in sorted(self.vocabulary):
            if len(word) >= 6 and word.isalpha():
                for key in (word, *_one_deletes(word)):
                    self._deletes.setdefault(key, word)
        self.fold = lru_cache(maxsize=65536)(self._fold)

    def _stem(self, token: str, exclude: str = "") -> str | None:
        for suffix, repl in _SUFFIXES:
            if token.endswith(suffix) and len(token) - len(suffix) >= 2:
                stem = token[: len(token) - len(suffix)] + repl
                if stem in self.vocabulary and stem != exclude:
                    return stem
                if len(stem) > 3 and stem[-1] == stem[-2] and stem[:-1] in self.vocabulary:  # "stabbed"
                    return stem[:-1]
        return None

    def _fold(self, token: str) -> str:
        if token in self.vocabulary:
            return self._canon[token]
        stem = self._stem(token)
        if stem is not None:
            return self._canon[stem]
        if len(token) >= 6 and token.isalpha() and token not in _NOT_TYPOS:
            for key in (token, *_one_deletes(token)):
                word = self._deletes.get(key)
                if word is not None and word[0] == token[0] and _one_typo(token, word):
                    return self._canon[word]
        return token


def _one_deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _one_typo(a: str, b: str) -> bool:
    """Whether ``a`` is ``b`` with one letter added, dropped, changed or two neighbours swapped.
    A shared one-letter deletion alone also pairs words two edits apart: "breaks" and "breast" both
    lose a letter to "breas", and "the meteor breaks" was refused as sexual (session 18, set 8)."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) != len(b):
        short, long_ = sorted((a, b), key=len)
        return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) <= 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])


class Matcher:
    """Finds terms (one or more base-form tokens) in a folded sentence."""

    def __init__(self, terms, folder: Folder):
        self.terms: dict[str, tuple[str, ...]] = {}
        for term in terms:
            self.terms[term] = tuple(folder.fold(t) for tok in term.split() for t in [tok] if t not in _DROP)
        self._by_first: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for term, toks in self.terms.items():
            self._by_first.setdefault(toks[0], []).append((term, toks))

    def find(self, tokens: list[str]) -> list[tuple[int, str]]:
        """(position, term) for every term occurring in ``tokens``."""
        hits = []
        for i, tok in enumerate(tokens):
            for term, toks in self._by_first.get(tok, ()):
                if tuple(tokens[i : i + len(toks)]) == toks:
                    hits.append((i, term))
        return hits
