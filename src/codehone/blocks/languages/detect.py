"""Which language a text is in: a dictionary and character test, offline, in microseconds.

``detect(text)`` answers with a :class:`Detection`:

- a text mostly in another script than Latin is that script's most likely language (Cyrillic ->
  ``ru``, kana -> ``ja``, Hangul -> ``ko``, ...), none of them covered;
- a Latin text scores each language of :data:`~codehone.blocks.languages.words.WORDS`: one point a
  word found in its list (shared words split their point between the lists that hold them), plus
  half a point for each distinct letter only some languages write (``ñ``, ``ß``, ``ã``, ``ç``...);
  the best score wins if it beats the runner-up; a tie or no known word at all is ``""`` (cannot tell);
- ``mixed`` lists every language scoring at least half of the winner's score and two points, so
  "draw a cat y di hola amigo" is English with Spanish in it.

Children type without accents, so words are looked up with accents folded away ("esta" is
"está"); accents still count as characters when they are there.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from codehone.blocks.languages.words import ACCENTED, CHARACTERS, SCRIPTS, WORDS

__all__ = ["COVERED", "NAMES", "Detection", "detect", "fold", "language_name", "words_of"]

# The languages the copilot answers in (issue 19): English and the four the seed asks for.
COVERED = ("en", "es", "fr", "de", "pt")
# Each language's name, in English and in each covered language (for messages and the prompt).
NAMES: dict[str, dict[str, str]] = {
    "en": {"en": "English", "es": "inglés", "fr": "anglais", "de": "Englisch", "pt": "inglês"},
    "es": {"en": "Spanish", "es": "español", "fr": "espagnol", "de": "Spanisch", "pt": "espanhol"},
    "fr": {"en": "French", "es": "francés", "fr": "français", "de": "Französisch", "pt": "francês"},
    "de": {"en": "German", "es": "alemán", "fr": "allemand", "de": "Deutsch", "pt": "alemão"},
    "pt": {"en": "Portuguese", "es": "portugués", "fr": "portugais", "de": "Portugiesisch", "pt": "português"},
    "it": {"en": "Italian"}, "nl": {"en": "Dutch"}, "ru": {"en": "Russian"}, "ja": {"en": "Japanese"},
    "zh": {"en": "Chinese"}, "ko": {"en": "Korean"}, "ar": {"en": "Arabic"}, "el": {"en": "Greek"},
    "he": {"en": "Hebrew"}, "hi": {"en": "Hindi"}, "th": {"en": "Thai"},
}

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")


@dataclass(frozen=True)
class Detection:
    language: str  # a code ("es"), or "" when the text does not tell
    script: str  # "latin", "cyrillic", "kana", ... or "none" (no letters: numbers, emoji, symbols)
    scores: dict[str, float] = field(default_factory=dict)  # Latin texts: the score of each language
    mixed: tuple[str, ...] = ()  # the languages with a real share of the text, best first

    @property
    def covered(self) -> bool:
        """The copilot can answer in this language."""
        return self.language in COVERED


def fold(word: str) -> str:
    """Lower case without accents ("Está" -> "esta", "ß" -> "ss")."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# French elisions ("j'ai", "c'est", "l'été") and English or German endings ("it's", "geht's").
_ELISIONS = frozenset("j l d t c qu n s m".split())
_ENDINGS = frozenset("s t m re ve ll d".split())


def words_of(text: str) -> list[str]:
    """The words of ``text``, folded (numbers, emoji and punctuation dropped); an elided French
    article or pronoun is a word of its own ("j'ai" -> "j'", "ai"), an English or German ending is
    dropped ("geht's" -> "geht") unless the whole word is listed ("it's")."""
    weights = _weights()
    out = []
    for raw in _WORD.findall(text):
        w = fold(raw).replace("\u2019", "'")
        head, apostrophe, tail = w.partition("'")
        if apostrophe and w not in weights:
            if head in _ELISIONS and len(tail) > 1:
                out += [head + "'", tail]
                continue
            if tail in _ENDINGS:
                out.append(head)
                continue
        out.append(w)
    return out


@lru_cache(maxsize=1)
def _weights() -> dict[str, dict[str, float]]:
    """word -> {language: its share of the word's point}."""
    holders: dict[str, set[str]] = {}
    for lang, text in WORDS.items():
        for w in text.split():
            holders.setdefault(fold(w), set()).add(lang)
    return {w: {lang: 1 / len(langs) for lang in langs} for w, langs in holders.items()}


def _script(text: str) -> tuple[str, str, int]:
    """(script, its language, letters) of the text's letters, Latin unless most are in one other script."""
    counts: dict[tuple[str, str], int] = {}
    letters = 0
    for ch in text:
        if not ch.isalpha():
            continue
        letters += 1
        code = ord(ch)
        if code <= 0x24F:
            continue
        for first, last, script, lang in SCRIPTS:
            if first <= code <= last:
                counts[(script, lang)] = counts.get((script, lang), 0) + 1
                break
    if not letters:
        return "none", "", 0
    if counts:
        (script, lang), n = max(counts.items(), key=lambda kv: kv[1])
        if "kana" in {s for s, _ in counts}:  # Japanese writes kanji and kana together
            script, lang, n = "kana", "ja", sum(counts.values())
        if n > letters / 2:
            return script, lang, letters
    return "latin", "", letters


def detect(text: str) -> Detection:
    """The language ``text`` is in (see the module docstring)."""
    script, lang, _ = _script(text)
    if script != "latin":
        return Detection(lang, script)
    weights = _weights()
    scores = {code: 0.0 for code in WORDS}
    for w in words_of(text):
        for code, share in weights.get(w, {}).items():
            scores[code] += share
    lowered = text.casefold()
    for w in _WORD.findall(lowered):
        for code in ACCENTED.get(w, ()):
            scores[code] += 1 / len(ACCENTED[w])
    for ch, langs in CHARACTERS.items():
        if ch in lowered:
            for code in langs:
                scores[code] += 0.5 / len(langs)
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    (best, top), (_, second) = ranked[0], ranked[1]
    scores = {k: round(v, 2) for k, v in ranked if v > 0}
    if top < 0.5 or top - second < 1e-9:
        return Detection("", "latin", scores)
    mixed = tuple(k for k, v in ranked if v >= 2 and v >= top / 2)
    return Detection(best, "latin", scores, mixed if len(mixed) > 1 else ())


def language_name(code: str, in_language: str = "en") -> str:
    """``code``'s name in ``in_language`` (English when that name is not known)."""
    names = NAMES.get(code, {})
    return names.get(in_language) or names.get("en") or code
