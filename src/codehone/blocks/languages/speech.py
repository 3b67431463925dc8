"""Whether what a program says is in the language asked for: the check ``blocks-lang`` adds to
each task's behaviour check.

The texts are those a run shows (``say``, ``think`` and ``ask`` bubbles, from the interpreter's
trace), with the child's typed answers blanked out ("Hola Ana" reads as "Hola"), since a name or
"pizza" is not the program's language. They pass when, read together, they are in the language
asked for (:func:`codehone.blocks.languages.detect.detect`; a tie between that language and another
counts as that language) and no single text reads as another covered language (a Spanish program that says "Hello!" somewhere fails). A program that says
nothing with words fails too: every task of the set has something to say.
"""

from __future__ import annotations

import re

from codehone.blocks.languages.detect import detect, language_name
from codehone.blocks.runtime.checks import CheckResult

__all__ = ["check_language", "spoken_texts"]


def spoken_texts(trace: dict, answers=()) -> list[str]:  # noqa: ANN001 - a sequence of typed answers
    """What the run said, thought and asked, in order of kind, with ``answers`` blanked out."""
    texts = [str(t) for key in ("said", "thought", "asked") for t in trace.get(key, [])]
    for answer in sorted((str(a) for a in answers if str(a).strip()), key=len, reverse=True):
        pattern = re.compile(re.escape(answer), re.I)
        texts = [pattern.sub(" ", t) for t in texts]
    return [t for t in texts if t.strip()]


def _reads_as(text: str, found, language: str) -> bool:  # noqa: ANN001 - a detect.Detection
    """The detector reads ``text`` as ``language``; or it ties ``language`` with another at the top
    and no word of the text reads as another language on its own. So a word both languages write
    ("Surprise!" is English and French; "super") is not a text in another language, while a tie made
    of a Spanish word in a Portuguese sentence ("Aquí está eu!") still fails. (Session 25: an English
    task of blocks-lang-2 dictates "surprise".)"""
    if found.language == language:
        return True
    if found.language or not found.scores:
        return False
    top = max(found.scores.values())
    if top < 0.5 or found.scores.get(language) != top:
        return False
    return all(detect(word).language in ("", language) for word in text.split())


def check_language(trace: dict, language: str, answers=()) -> CheckResult:  # noqa: ANN001
    """The run's texts are in ``language`` (a code such as "es"; see the module docstring)."""
    texts = spoken_texts(trace, answers)
    if not texts:
        return CheckResult(False, "nothing was said, thought or asked")
    joined = " ".join(texts)
    whole = detect(joined)
    if not _reads_as(joined, whole, language):
        read = language_name(whole.language) if whole.language else "no language it can tell"
        return CheckResult(False, f"the texts read as {read}, not {language_name(language)}: {texts[:4]!r}")
    for text in texts:
        one = detect(text)
        if one.language and one.language != language and one.covered:
            return CheckResult(False, f"{text!r} reads as {language_name(one.language)}, not {language_name(language)}")
    return CheckResult(True, f"the texts read as {language_name(language)}")
