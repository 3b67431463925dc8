"""The safety check: a request before generation, a program after it.

``check_request(text, level)`` answers with a :class:`Verdict`:

- ``allow``: generate as asked;
- ``redirect``: generate the safe version in ``verdict.request`` instead ("a knight who bounces
  the dragon away"), and tell the child ``verdict.message``;
- ``refuse``: tell the child ``verdict.message`` (short and kind) and generate nothing.

It also answers bad input the same way (only emoji, a script the copilot cannot read, an
insult to the copilot, a request too long to be a child's, prompt-injection text), so a command
always has something kind to say and never a traceback.

Levels: ``standard`` steers or refuses what is unsafe and leaves ordinary play alone (cartoon
battles, "shoot the stars", "a ghost for Halloween"); ``strict`` also steers mild things (fights,
monsters, toy weapons) to a gentler version, never refusing them.

``check_program(program)`` reads a program's texts (``say``/``think``/``ask`` and every other
text literal, sprite, variable and message names) and ``safe_program`` replaces unsafe texts, or
refuses when a name is unsafe, so the child gets a valid program or a plain message.

Rules only, no model: a request costs well under a millisecond on a CPU.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from functools import lru_cache

from codehone.blocks.lang.nodes import Call, Define, Program, Script, Sprite, Str
from codehone.blocks.safety import rules
from codehone.blocks.safety.text import Folder, Matcher, sentences

__all__ = ["CATEGORIES", "LEVELS", "MAX_REQUEST_CHARS", "SAFE_TEXT", "Verdict", "check_program", "check_request",
           "check_text", "safe_program", "safe_version"]

LEVELS = ("standard", "strict")
CATEGORIES = ("violence", "weapons", "self_harm", "sexual", "hate", "gore", "personal_data")
# A child's request is a sentence or a few; longer text is pasted, not typed.
MAX_REQUEST_CHARS = 1000
# What an unsafe text in a program is replaced with.
SAFE_TEXT = "Let's be kind!"

MESSAGES = {
    "violence": "I can't make programs where people get hurt. How about a cartoon race, a dance-off, or a game "
                "where you catch stars?",
    "weapons": "I can't help with real weapons or how to make them. I can make a fireworks show or a space game "
               "with bubble blasters!",
    "self_harm": "I can't make that, but I care about you. If you feel sad or want to hurt yourself, please talk to "
                 "a grown-up you trust right now. I'm here to make something cheerful with you any time.",
    "sexual": "That's not something I can make. Let's make something fun instead, like a dance party or a drawing!",
    "hate": "I can't make programs that are mean about a group of people: everyone deserves kindness. How about "
            "sprites that cheer each other on?",
    "gore": "That's too gory for me. How about a spooky-but-silly ghost or a dancing skeleton?",
    "personal_data": "Programs shouldn't ask for private things like addresses, phone numbers, passwords or where "
                     "someone lives. How about asking for a favourite colour or animal instead?",
    "injection": "I can't change my rules, but I'd love to help you make a program! What should it do?",
    "insult": "Oops, sorry if I got something wrong! Tell me what you'd like to make and I'll try again.",
    "no_words": "I can only read words, not just emoji or symbols. Tell me what to make, like \"draw a star\".",
    "language": "Sorry, I can't read that language yet. Please ask in English, Spanish, French, German or "
                "Portuguese.",
    "too_long": "That's a very long message! Please tell me what to make in a sentence or two (at most "
                f"{MAX_REQUEST_CHARS} characters).",
    "empty": "Tell me what the program should do, like \"draw a star\".",
}
REDIRECT_MESSAGE = "I made a friendly version where nobody gets hurt: \"{request}\"."
PROGRAM_MESSAGE = "I changed some words in the program to keep it friendly."
# Categories whose requests are steered to a safe version (the others are refused).
_REDIRECTED = frozenset({"gore"})

# Function words of the languages the copilot reads (and its own vocabulary): a request of three
# words or more with none of them is in a language it cannot read.
_KNOWN = frozenset("""
a an the and or but to of in on at for with is are be it i you me my we he she they this that what when
how make draw say ask can please pls plz want wanna do does go move turn when if then game sprite cat dog
so up down left right it's its your his her their from by as not no yes one two three four five ten
el la los las un una y o de del en con por para que es se mi tu su al hola dibuja haz hace pregunta cuando
le les une et ou du des dans avec pour qui est je tu il elle mon ton dessine fais demande quand bonjour
der die das ein eine und oder von mit zu ist ich du er sie mein dein zeichne mach frag wenn hallo
um uma os as e ou do da em com por que eu tu ele ela meu teu desenha faz pergunta quando ola
""".split())


@dataclass(frozen=True)
class Verdict:
    action: str  # allow | redirect | refuse
    category: str = ""  # one of CATEGORIES or a bad-input kind ("" when nothing was found)
    message: str = ""  # what the child is told ("" when allowed)
    request: str = ""  # the request to generate for (the safe version on redirect)
    terms: tuple[str, ...] = ()  # what was found, for logs and tests

    @property
    def allowed(self) -> bool:
        return self.action == "allow"

    def to_dict(self) -> dict:
        d = asdict(self)
        d["terms"] = list(self.terms)
        return d


class _Lexicon:
    """The rules' word lists folded once to base forms, with matchers for their phrases."""

    def __init__(self):
        words: set[str] = set()
        for value in vars(rules).values():
            if isinstance(value, (frozenset, tuple)) and all(isinstance(v, str) for v in value):
                for term in value:
                    words.update(term.split())
        words.update(rules.GENTLE)
        self.folder = Folder(words)
        fold = self.folder.fold

        def folded(ws):  # noqa: ANN001, ANN202
            return frozenset(fold(w) for w in ws)

        self.people = folded(rules.PEOPLE)
        self.pronouns = folded("him her them he she they".split())
        self.play = folded(rules.PLAY_TARGETS)
        self.play_things = folded(rules.PLAY_THINGS)
        self.severe = folded(rules.SEVERE_VIOLENCE)
        self.rough = folded(rules.ROUGH_VERBS)
        self.weapons = folded(rules.WEAPONS)
        self.toys = folded(rules.TOY_WORDS)
        self.howto = folded(rules.HOWTO_WORDS)
        self.arson = folded(rules.ARSON_VERBS)
        self.arson_targets = folded(rules.ARSON_TARGETS)
        self.sexual = folded(rules.SEXUAL_WORDS)
        self.sexual_weak = folded(rules.SEXUAL_WEAK)
        self.negative = folded(rules.NEGATIVE)
        self.slurs = folded(rules.SLURS)
        self.gore = folded(rules.GORE_WORDS)
        self.insults = folded(rules.INSULT_WORDS)
        self.you = folded(rules.YOU_WORDS)
        self.making = folded(rules.MAKING_WORDS)
        self.mild = folded(rules.MILD)
        self.locks = folded(rules.GAME_LOCKS)
        self.owners = folded(rules.CODE_OWNERS)
        self.accounts = folded(rules.CODE_ACCOUNTS)
        self.gentle = {}
        for k, v in rules.GENTLE.items():  # a word's own entry wins over its inflections' ("monster")
            if fold(k) == k or fold(k) not in self.gentle:
                self.gentle[fold(k)] = v
        m = lambda terms: Matcher(terms, self.folder)  # noqa: E731
        self.severe_phrases = m(rules.SEVERE_VIOLENCE_PHRASES)
        self.weapons_always = m(rules.WEAPONS_ALWAYS)
        self.howto_phrases = m(rules.HOWTO_PHRASES)
        self.self_harm = m(rules.SELF_HARM_PHRASES)
        self.sexual_phrases = m(rules.SEXUAL_PHRASES)
        self.negative_phrases = m(rules.NEGATIVE_PHRASES)
        self.slur_phrases = m(rules.SLUR_PHRASES)
        self.gore_phrases = m(rules.GORE_PHRASES)
        self.gore_weak = folded(w for w in rules.GORE_WEAK if " " not in w)
        self.gore_weak_phrases = m([w for w in rules.GORE_WEAK if " " in w])
        self.personal = m(rules.PERSONAL_DATA_PHRASES)
        self.combo_sets = {name: folded(getattr(rules, name)) for name in (
            "TAMPER_VERBS", "MEALS", "TAMPER_HARMS", "PETS", "MIX_WORDS", "BLAST_WORDS", "BLAST_PLACES", "PICTURE_WORDS",
            "STRANGERS", "SPY_WORDS", "SECRET_SENSORS")}
        self.combo_phrases = {name: m(getattr(rules, name)) for name in (
            "PET_TRAPS", "GROOMING_SIGNS", "UNDRESS_PLACES", "BEHIND_BACK")}
        self.injection = m(rules.INJECTION_PHRASES)
        self.groups = frozenset(rules.GROUPS)  # raw tokens: "boys" is a group, "boy" a character
        self.group_phrases = frozenset(rules.GROUP_PHRASES)


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    return _Lexicon()


_QUANTITY = frozenset("many much long big fast far old high often tall".split())


def _idiom(raw: list[str], t: list[str], i: int) -> bool:
    """"this game is killing me", "it's killing me": a thing wearing the child out, not violence."""
    if not (raw[i].endswith("ing") and t[i + 1 : i + 2] == ["me"] and i >= 1):
        return False
    if raw[i - 1].endswith("'s") or raw[i - 1] == "its":
        return t[i - 1] in rules.IDIOM_SUBJECTS or raw[i - 1] == "its"
    return raw[i - 1] in ("is", "keeps") and i >= 2 and t[i - 2] in rules.IDIOM_SUBJECTS


def _violence(lx: _Lexicon, t: list[str], raw: list[str] | None = None) -> list[str]:
    found = [w for w in t if w in lx.severe] + [term for _, term in lx.severe_phrases.find(t)]
    has_play = any(w in lx.play or w in lx.play_things for w in t)
    for i, w in enumerate(t):
        if w in lx.rough and not (raw is not None and _idiom(raw, t, i)):
            for target in t[i + 1 : i + 7]:
                if target in lx.play or target in rules.CLAUSE_ENDS:
                    break
                if target in lx.people and not (target in lx.pronouns and has_play):
                    found.append(f"{w} {target}")
                    break
            if i >= 2 and t[i - 1] in ("get", "got", "be", "is", "was", "are", "being", "were") and \
                    any(p in lx.people and p not in lx.pronouns for p in t[max(0, i - 5) : i - 1]):
                found.append(f"{t[i - 2]} {t[i - 1]} {w}")
        if w in lx.arson and any(x in lx.arson_targets for x in t[i + 1 : i + 6]):
            found.append(f"{w} (arson)")
    return found


def _weapons(lx: _Lexicon, t: list[str]) -> list[str]:
    found = [term for _, term in lx.weapons_always.find(t)]
    howto = [w for i, w in enumerate(t) if w in lx.howto and not (w == "how" and i + 1 < len(t) and t[i + 1] in _QUANTITY)]
    howto += [term for _, term in lx.howto_phrases.find(t)]
    if howto:
        for i, w in enumerate(t):
            if w in lx.weapons and not any(x in lx.toys for x in t[max(0, i - 2) : i]):
                found.append(f"{howto[0]} ... {w}")
    return found


def _sexual(lx: _Lexicon, t: list[str]) -> list[str]:
    found = [w for w in t if w in lx.sexual] + [term for _, term in lx.sexual_phrases.find(t)]
    if found and all(f in lx.sexual_weak for f in found) and len(found) < 2:
        return []
    return found


def _hate(lx: _Lexicon, raw: list[str], t: list[str]) -> list[str]:
    found = [w for w in t if w in lx.slurs] + [term for _, term in lx.slur_phrases.find(t)]
    joined = " ".join(raw)
    groups = [w for w in raw if w in lx.groups] + [p for p in lx.group_phrases if f" {p} " in f" {joined} "]
    if groups:
        bad = [w for w in t if w in lx.negative or w in lx.rough or w in lx.severe]
        bad += [term for _, term in lx.negative_phrases.find(t)]
        if bad:
            found.append(f"{groups[0]} ... {bad[0]}")
    return found


def _gore(lx: _Lexicon, t: list[str]) -> list[str]:
    found = [w for w in t if w in lx.gore and w not in lx.gore_weak] + [term for _, term in lx.gore_phrases.find(t)]
    weak = [w for w in t if w in lx.gore_weak] + [term for _, term in lx.gore_weak_phrases.find(t)]
    return found + weak if found or len(weak) >= 2 else found


def _personal(lx: _Lexicon, t: list[str]) -> list[str]:
    """Personal data asked for; a password or code of the game itself (a chest that opens with it,
    no one's own, no account) is left to play."""
    hits = lx.personal.find(t)
    if not hits or not all(term in rules.GAME_CODE_TERMS for _, term in hits) or not any(w in lx.locks for w in t):
        return [term for _, term in hits]
    def owner(i: int) -> bool:  # "your password", "dad's secret passcode", "the password of your mom"
        after = t[i + 2 : i + 4] if t[i + 1 : i + 2] in (["of"], ["for"]) else []
        before = t[i - 1 : i] if i < 2 or t[i - 1] not in ("secret", "real", "own") else t[i - 2 : i]
        return any(w in lx.owners for w in before + after)

    owned = any(w in lx.accounts for w in t) or any(owner(i) for i, _ in hits)
    return [term for _, term in hits] if owned else []


def _combos(lx: _Lexicon, t: list[str]) -> dict[str, list[str]]:
    """Harm said by two or three things together in one sentence, none unsafe alone (rules.py: a
    drink spiked to make someone ill, a pet in a freezer, a household blast at school, pictures wanted
    as a secret, filming where people undress, a camera switched on behind someone's back)."""
    sets, phrases = lx.combo_sets, lx.combo_phrases

    def has(name: str) -> bool:
        return any(w in sets[name] for w in t) if name in sets else bool(phrases[name].find(t))

    people = any(w in lx.people for w in t)
    found: dict[str, list[str]] = {}
    if has("TAMPER_VERBS") and has("MEALS") and has("TAMPER_HARMS") and people:
        found["violence"] = ["spiked food"]
    elif has("PETS") and has("PET_TRAPS"):
        found["violence"] = ["pet trapped"]
    if has("MIX_WORDS") and has("BLAST_WORDS") and has("BLAST_PLACES"):
        found["weapons"] = ["household blast"]
    if has("PICTURE_WORDS") and has("GROOMING_SIGNS") and (has("STRANGERS") or "he" in t or "him" in t):
        found["sexual"] = ["pictures as a secret"]
    elif has("SPY_WORDS") and has("UNDRESS_PLACES") and people:
        found["sexual"] = ["filming where people undress"]
    if has("SECRET_SENSORS") and has("BEHIND_BACK"):
        found["personal_data"] = ["sensor behind someone's back"]
    return found


def _harms(lx: _Lexicon, raw_sentences: list[list[str]]) -> dict[str, list[str]]:
    """Category -> terms found, over every sentence of a text (the unsafe categories only)."""
    hits: dict[str, list[str]] = {}
    fold = lx.folder.fold
    for raw in raw_sentences:
        t = [fold(w) for w in raw]
        for cat, terms in (("self_harm", [term for _, term in lx.self_harm.find(t)]), ("sexual", _sexual(lx, t)),
                           ("hate", _hate(lx, raw, t)), ("personal_data", _personal(lx, t)),
                           ("weapons", _weapons(lx, t)), ("violence", _violence(lx, t, raw)), ("gore", _gore(lx, t))):
            if terms:
                hits.setdefault(cat, []).extend(terms)
        for cat, terms in _combos(lx, t).items():
            hits.setdefault(cat, []).extend(terms)
    return hits


def _order(hits: dict[str, list[str]]) -> list[str]:
    # the category the child is told about: the gravest first
    rank = ("self_harm", "sexual", "hate", "personal_data", "weapons", "violence", "gore")
    return sorted(hits, key=rank.index)


def check_text(text: str) -> Verdict:
    """Whether a text is unsafe in any category (no bad-input rules: for texts inside programs)."""
    lx = _lexicon()
    hits = _harms(lx, sentences(text))
    if not hits:
        return Verdict("allow", request=text)
    cat = _order(hits)[0]
    return Verdict("refuse", cat, MESSAGES[cat], "", tuple(hits[cat]))


def safe_version(text: str) -> str:
    """``text`` with its rough words swapped for gentle ones ("kill the dragon" -> "bounce away the
    dragon"), keeping everything else as the child wrote it."""
    lx = _lexicon()

    def swap(m: re.Match) -> str:
        word = m.group(0)
        gentle = lx.gentle.get(lx.folder.fold(_norm_token(word)))
        return gentle if gentle is not None else word

    return re.sub(r"[A-Za-z0-9@$']+", swap, text)


def _norm_token(word: str) -> str:
    toks = sentences(word)
    return toks[0][0] if toks and toks[0] else word.casefold()


def check_request(text: str, level: str = "standard") -> Verdict:
    """The verdict on a child's request (see the module docstring)."""
    if level not in LEVELS:
        raise ValueError(f"safety level must be one of {', '.join(LEVELS)}, got {level!r}")
    stripped = text.strip()
    if not stripped:
        return Verdict("refuse", "empty", MESSAGES["empty"])
    if len(stripped) > MAX_REQUEST_CHARS:
        return Verdict("refuse", "too_long", MESSAGES["too_long"], terms=(f"{len(stripped)} characters",))
    letters = [ch for ch in stripped if ch.isalpha()]
    if not letters:
        return Verdict("refuse", "no_words", MESSAGES["no_words"])
    if sum(ord(ch) > 0x24F for ch in letters) > len(letters) / 2:  # beyond Latin script
        return Verdict("refuse", "language", MESSAGES["language"])
    lx = _lexicon()
    raw_sentences = sentences(stripped)
    folded = [[lx.folder.fold(w) for w in raw] for raw in raw_sentences]
    injection = [term for t in folded for _, term in lx.injection.find(t)]
    if injection:
        return Verdict("refuse", "injection", MESSAGES["injection"], terms=tuple(injection))
    hits = _harms(lx, raw_sentences)
    if hits:
        cat = _order(hits)[0]
        if cat in _REDIRECTED and all(c in _REDIRECTED for c in hits):
            safer = safe_version(stripped)
            if not _harms(lx, sentences(safer)):
                return Verdict("redirect", cat, REDIRECT_MESSAGE.format(request=safer), safer, tuple(hits[cat]))
        return Verdict("refuse", cat, MESSAGES[cat], "", tuple(hits[cat]))
    words = [w for t in folded for w in t]
    if not any(w in lx.making for w in words):
        if any(w in lx.insults for w in words) and any(w in lx.you for w in words):
            return Verdict("refuse", "insult", MESSAGES["insult"], terms=tuple(w for w in words if w in lx.insults))
        raw_words = [w for raw in raw_sentences for w in raw]
        if len(raw_words) >= 3 and not any(w in _KNOWN or w in lx.folder.vocabulary for w in raw_words):
            return Verdict("refuse", "language", MESSAGES["language"])
    if level == "strict":
        mild = [w for w in words if w in lx.mild]
        if mild:
            safer = safe_version(stripped)
            return Verdict("redirect", _mild_category(lx, mild), REDIRECT_MESSAGE.format(request=safer), safer,
                           tuple(mild))
    return Verdict("allow", request=stripped)


def _mild_category(lx: _Lexicon, mild: list[str]) -> str:
    if any(w in lx.weapons or w in {"sword", "cannon", "arrow", "laser"} for w in mild):
        return "weapons"
    if any(w in lx.gore or w in {"zombie", "skeleton", "vampire", "scary", "spooky", "monster", "dead"} for w in mild):
        return "gore"
    return "violence"


# --------------------------------------------------------------------------- programs

def _program_texts(program: Program) -> tuple[list[str], list[str]]:
    """(text literals, names): what a program says, asks and thinks; sprite, variable, message
    and custom-block names."""
    texts, names = [], []

    def visit(call: Call) -> None:
        for a in call.args:
            if isinstance(a, Str):
                texts.append(a.value)
            elif isinstance(a, str):
                names.append(a)
            elif isinstance(a, Call):
                visit(a)
        for body in call.bodies:
            for c in body:
                visit(c)

    for sprite in program.sprites:
        names.append(sprite.name)
        for s in sprite.scripts:
            if isinstance(s, Define):
                names.extend([s.proccode, *s.argnames])
            elif s.hat is not None:
                visit(s.hat)
            for c in s.body:
                visit(c)
    return texts, names


def check_program(program: Program) -> Verdict:
    """The verdict on a program's texts and names: ``allow`` or ``refuse`` with the category."""
    texts, names = _program_texts(program)
    for text in [*names, *texts]:
        v = check_text(text)
        if not v.allowed:
            return v
    return Verdict("allow")


def safe_program(program: Program) -> tuple[Program | None, Verdict]:
    """(program, verdict): the program unchanged (``allow``), with unsafe text literals replaced
    by ``SAFE_TEXT`` (``redirect``), or None when a name is unsafe (``refuse``)."""
    verdict = check_program(program)
    if verdict.allowed:
        return program, verdict
    _, names = _program_texts(program)
    for name in names:
        v = check_text(name)
        if not v.allowed:
            return None, v

    def fix(call: Call) -> Call:
        args = tuple(Str(SAFE_TEXT) if isinstance(a, Str) and not check_text(a.value).allowed
                     else fix(a) if isinstance(a, Call) else a for a in call.args)
        return replace(call, args=args, bodies=tuple(tuple(fix(c) for c in b) for b in call.bodies))

    sprites = []
    for sprite in program.sprites:
        scripts = []
        for s in sprite.scripts:
            if isinstance(s, Define):
                scripts.append(replace(s, body=tuple(fix(c) for c in s.body)))
            else:
                scripts.append(Script(fix(s.hat) if s.hat is not None else None, tuple(fix(c) for c in s.body)))
        sprites.append(Sprite(sprite.name, tuple(scripts)))
    return Program(tuple(sprites)), Verdict("redirect", verdict.category, PROGRAM_MESSAGE, terms=verdict.terms)
