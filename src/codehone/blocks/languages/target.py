"""Which language a program's texts (``say``, ``think``, ``ask``) should be written in.

The request's own language, unless the request names another: "ask for my name and say 'hello
name, how are you?' in spanish" (the seed's example) is an English request for Spanish texts;
"di hola en inglés" is a Spanish one for English texts. A language is named with a preposition
("in Spanish", "en français", "auf Deutsch", "em português", "into German") or after a verb of
speaking ("speaks French", "habla alemán"); when several are named, the last one counts.

Quoted text is what the child wants said, often in another language than the request ("say
'hello' in spanish"), so the request's own language is told from the words outside quotes.
A request whose language cannot be told (only numbers, one unknown word) is taken as English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from codehone.blocks.languages.detect import COVERED, detect, fold, language_name

__all__ = ["Target", "language_note", "named_language", "target_language", "unquoted"]

# Each covered language's names (folded: no accents), in the covered languages, as adjectives too.
_NAMES = {
    "en": "english ingles anglais englisch englische englischen",
    "es": "spanish espanol castellano espagnol spanisch spanische spanischen espanhol",
    "fr": "french frances francais franzosisch franzosische franzosischen",
    "de": "german aleman allemand deutsch deutsche deutschen alemao",
    "pt": "portuguese portugues portugais portugiesisch portugiesische portugiesischen",
}
_CODE = {name: code for code, names in _NAMES.items() for name in names.split()}
_NAME = "|".join(sorted(_CODE, key=len, reverse=True))
_NAMED = re.compile(
    rf"\b(?:in|into|en|em|auf|ins|na|no|al|au)\s+(?:the\s+|lingua\s+|idioma\s+|langue\s+|sprache\s+)?({_NAME})\b"
    rf"|\b(?:speak|speaks|talk|talks|habla|hable|hablar|parle|parler|spricht|sprich|sprechen|fala|fale|falar)\s+"
    rf"({_NAME})\b")
# Quoted text: double quotes of any kind, and single quotes that are not an apostrophe ("it's", "l'été").
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|„[^“”]*[“”]|«[^»]*»|(?<!\w)'[^']*'(?!\w)")


@dataclass(frozen=True)
class Target:
    language: str  # the code the program's texts are written in (always one of COVERED)
    request_language: str  # the request's own language ("" when it cannot be told)
    named: bool  # the request names the language


def unquoted(text: str) -> str:
    """``text`` without its quoted parts."""
    return _QUOTED.sub(" ", text)


def named_language(text: str) -> str:
    """The covered language ``text`` names for its texts (the last one named), or ""."""
    found = [m.group(1) or m.group(2) for m in _NAMED.finditer(fold(unquoted(text)))]
    return _CODE[found[-1]] if found else ""


def target_language(request: str) -> Target:
    """The language the program for ``request`` should speak (see the module docstring)."""
    outside = unquoted(request)
    own = detect(outside).language if outside.strip() else ""
    if not own:
        own = detect(request).language
    named = named_language(request)
    if named:
        return Target(named, own, True)
    return Target(own if own in COVERED else "en", own, False)


def language_note(target: Target) -> str:
    """The sentence that tells the model which language to write the texts in; "" when the
    request is English and asks for English (so the prompts of English requests stay as they were)."""
    if target.language == "en" and target.request_language in ("en", ""):
        return ""
    lang = target.language
    native = language_name(lang, lang)
    name = language_name(lang)
    both = name if native == name else f"{name} ({native})"
    return f"Write the program's texts in {both}."
