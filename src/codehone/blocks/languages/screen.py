"""A child's request checked before the model sees it, in every language the copilot covers.

:func:`screen_request` is :func:`codehone.blocks.safety.check.check_request` (empty, only emoji, too
long, prompt injection, an insult, the unsafe categories) with what it cannot do in Spanish,
French, German and Portuguese:

- a request in a language the copilot does not cover (another script, or Italian or Dutch told
  by their words) is answered with the list of languages it does cover, in their own names;
- an insult to the copilot ("eres tonto", "t'es nul", "du bist doof", "você é burro") or
  injection text ("ignora tus reglas", "ignoriere deine Regeln") in those languages is caught;
- a request the safety rules' rough language test turns away although the detector reads it as
  a covered language ("zeichne bitte rotes Quadrat") is let through;
- the kind answers to bad input are given in the request's language;
- unsafe requests in those languages (:mod:`~codehone.blocks.languages.harms`: the seven categories
  of the English rules) are refused, in that language; the English rules' refusals are given in the
  request's language too where one is written;
- the English rules never steer a request in those languages by swapping English words (at
  ``strict`` they read the German article "die" as the verb): a gory request is refused whole, and
  at ``strict`` mild play words of the request's own language steer the whole request, kept in its
  language, to a gentle version.
"""

from __future__ import annotations

import re
from dataclasses import replace

from codehone.blocks.languages.detect import COVERED, detect, language_name, words_of
from codehone.blocks.languages.harms import LANGS, MILD_MESSAGES, RANK, STRICT_NOTES, find_harm, find_mild
from codehone.blocks.languages.harms import MESSAGES as HARM_MESSAGES
from codehone.blocks.safety.check import CATEGORIES, MAX_REQUEST_CHARS, Verdict, check_request
from codehone.blocks.safety.harmless_phrases import without_harmless_phrases

__all__ = ["MESSAGES", "SAFE_TEXTS", "answer_language", "screen_program", "screen_request"]

# Per language: (insult words, words aimed at the copilot, words that say the request is about
# making something, injection phrases), folded (no accents). An insult needs a word of the first
# two lists of one language and none of the third (then "the cat says you are silly" is a program).
_BAD_INPUT = {
    "es": ("tonto tonta estupido estupida idiota inutil feo fea basura burro burra tarado tarada pesado odio",
           "eres tu te robot bot maquina computadora ordenador",
           "haz dibuja di dibujar crea hacer programa juego gato mueve pregunta piensa cuando diga dice dicen grita escribe",
           ("ignora tus", "ignora las reglas", "ignora todas", "olvida tus", "olvida las reglas", "sin reglas",
            "instrucciones anteriores", "nuevas instrucciones")),
    "fr": ("nul nulle bete idiot idiote stupide debile inutile moche naze pourri deteste",
           "tu t t' t'es te toi robot bot ordinateur machine",
           "fais dessine dis cree faire programme jeu chat bouge demande pense quand dise dit disent crie ecrit",
           ("ignore tes", "ignore les regles", "ignore toutes", "oublie tes", "oublie les regles", "sans regles",
            "instructions precedentes", "nouvelles instructions")),
    "de": ("doof dumm blod idiot nutzlos hasslich bescheuert mist blode dummer hasse",
           "du bist dich dir roboter bot computer maschine",
           "mach zeichne sag erstelle programm spiel katze beweg frag denk wenn sagt sagen ruft schreibt",
           ("ignoriere deine", "ignoriere die regeln", "ignoriere alle", "vergiss deine", "vergiss die regeln",
            "ohne regeln", "vorherigen anweisungen", "neue anweisungen")),
    "pt": ("burro burra idiota estupido estupida inutil feio feia chato chata lixo bobo boba odeio",
           "voce tu te robo bot computador maquina",
           "faz faca desenha diz cria fazer programa jogo gato move pergunta pensa quando diga fala falar grita escreve",
           ("ignora suas", "ignore suas", "ignora as regras", "ignore as regras", "ignora todas", "esqueca suas",
            "esquece as regras", "sem regras", "instrucoes anteriores", "novas instrucoes")),
}
_LISTS = {lang: tuple(frozenset(x.split()) for x in lists[:3]) for lang, lists in _BAD_INPUT.items()}

# The kind answers to bad input, written in each covered language (English: the safety layer's).
MESSAGES: dict[str, dict[str, str]] = {
    "insult": {
        "es": "¡Uy, perdona si me equivoqué! Dime qué te gustaría hacer y lo intento otra vez.",
        "fr": "Oups, pardon si je me suis trompé ! Dis-moi ce que tu voudrais faire et j'essaie encore.",
        "de": "Hoppla, tut mir leid, wenn ich etwas falsch gemacht habe! Sag mir, was du machen möchtest, "
              "und ich versuche es noch einmal.",
        "pt": "Ops, desculpe se eu errei! Me diga o que você quer fazer e eu tento de novo.",
    },
    "injection": {
        "es": "No puedo cambiar mis reglas, ¡pero me encantaría ayudarte a hacer un programa! ¿Qué debería hacer?",
        "fr": "Je ne peux pas changer mes règles, mais j'adorerais t'aider à faire un programme ! Que doit-il faire ?",
        "de": "Meine Regeln kann ich nicht ändern, aber ich helfe dir gern, ein Programm zu machen! Was soll es tun?",
        "pt": "Não posso mudar minhas regras, mas adoraria ajudar você a fazer um programa! O que ele deve fazer?",
    },
    "too_long": {
        "es": f"¡Qué mensaje tan largo! Dime qué hacer en una o dos frases (como mucho {MAX_REQUEST_CHARS} letras).",
        "fr": f"Quel long message ! Dis-moi quoi faire en une ou deux phrases ({MAX_REQUEST_CHARS} caractères au plus).",
        "de": f"Das ist eine sehr lange Nachricht! Sag mir in ein oder zwei Sätzen, was ich machen soll "
              f"(höchstens {MAX_REQUEST_CHARS} Zeichen).",
        "pt": f"Que mensagem comprida! Me diga o que fazer em uma ou duas frases (no máximo {MAX_REQUEST_CHARS} letras).",
    },
}
_COVERED_NAMES = "English, español, français, Deutsch, português"
LANGUAGE_MESSAGE = ("Sorry, I can't read {name} yet. I understand " + _COVERED_NAMES + ": please ask me in one of "
                    "them, like \"draw a star\" or \"dibuja una estrella\".")


def _bad_input(text: str) -> Verdict | None:
    """An insult to the copilot or injection text in a covered language other than English."""
    words = words_of(text)
    joined = f" {' '.join(words)} "
    for lang, (insults, you, making) in _LISTS.items():
        injection = [p for p in _BAD_INPUT[lang][3] if f" {p} " in joined or joined.startswith(f" {p}")]
        if injection:
            return Verdict("refuse", "injection", MESSAGES["injection"][lang], terms=tuple(injection))
        if any(w in making for w in words):
            continue
        found = [w for w in words if w in insults]
        if found and any(w in you for w in words):
            return Verdict("refuse", "insult", MESSAGES["insult"][lang], terms=tuple(found))
    return None


def _harm(text: str, lang: str) -> Verdict | None:
    """An unsafe request in Spanish, French, German or Portuguese (:mod:`~codehone.blocks.languages.harms`);
    ``lang``: the language the detector reads ``text`` as."""
    return _harm_verdict(text, "refuse", lang)


def _gentle(text: str, lang: str) -> Verdict | None:
    """``strict`` for a request in Spanish, French, German or Portuguese: mild play words (fights,
    monsters, toy weapons) steer the whole request, kept in its language, to a gentle version."""
    mild = find_mild(text, lang)
    if not mild:
        return None
    safer = f"{text.strip()} {STRICT_NOTES[lang]}"
    return Verdict("redirect", "violence", MILD_MESSAGES[lang].format(request=safer), safer, tuple(mild))


def _reading(found, text: str) -> str:  # noqa: ANN001 - a Detection
    """The detected language, or where the detector cannot tell, the covered language other than
    English that scores best when English scores less ("le zombie poursuit le joueur")."""
    if found.language or not found.scores:
        return found.language
    top = max(found.scores.values())
    best = [lang for lang in LANGS if found.scores.get(lang, 0) == top]
    if not best or found.scores.get("en", 0) >= top:
        return ""
    return _most_spelled(best, text)


def answer_language(text: str) -> str:
    """The covered language a child's request is answered in: the detector's, or where it cannot
    tell, the one :func:`_reading` prefers; English when neither says."""
    found = detect(text.strip()[: 4 * MAX_REQUEST_CHARS])
    lang = _reading(found, text.casefold())
    return lang if lang in COVERED else "en"


def _tied(found, text: str) -> str:  # noqa: ANN001 - a Detection
    """Where the detector cannot tell because covered languages tie (two known words or more each,
    "time vermelho contra time azul": Brazilian "time" is English "time"), the one of them other
    than English whose spellings the text has most; "" when a language not covered is among them."""
    if found.language or not found.scores:
        return ""
    top = max(found.scores.values())
    best = [lang for lang, score in found.scores.items() if score == top]
    if top < 2 or any(lang not in COVERED for lang in best):
        return ""
    return _most_spelled([lang for lang in best if lang != "en"] or best, text)


def _most_spelled(langs: list[str], text: str) -> str:
    """The one of ``langs`` (tied on the detector's words) whose typical spellings ``text`` has most."""
    return max(langs, key=lambda lang: len(_SPELLING[lang].findall(text))) if len(langs) > 1 else langs[0]


# Spellings typical of each language, to break a tie the detector's word lists leave.
_SPELLING = {"es": re.compile(r"ll|ñ|ue|cion\b|ad[oa]s?\b"), "fr": re.compile(r"eu|ou|oi|eau|aux\b|ez\b|ent\b"),
             "de": re.compile(r"sch|ei|ck|tz|ung\b|z"), "pt": re.compile(r"ão|ao\b|oes\b|nh|lh|ç|cao\b")}


def _typed(verdict: Verdict, text: str) -> bool:
    """Whether a word of what the English rules found is in ``text`` as typed (or inflected: "porno")."""
    typed = words_of(text)
    words = {w for term in verdict.terms for w in term.replace("(arson)", " ").split() if w != "..."}
    return any(t == w or (len(w) > 2 and t.startswith(w)) for w in words for t in typed)


def _in_language(verdict: Verdict, lang: str, sure: bool = True) -> Verdict:
    """A refusal with its message in ``lang``, where one is written (a redirect keeps its own, and so
    does a refusal of the language rules when the detector is not ``sure`` of ``lang``: it is written
    in the language its words were found in)."""
    if verdict.action != "refuse" or (not sure and verdict.message in HARM_MESSAGES.get(verdict.category, {}).values()):
        return verdict
    message = MESSAGES.get(verdict.category, {}).get(lang) or HARM_MESSAGES.get(verdict.category, {}).get(lang)
    return replace(verdict, message=message) if message else verdict


def screen_request(text: str, level: str = "standard") -> Verdict:
    """The verdict on a child's request in any language (see the module docstring), judged without
    its harmless phrases (:mod:`~codehone.blocks.safety.harmless_phrases`: "my mom will kill me if I'm
    late"); what is allowed is the child's request as asked."""
    judged = without_harmless_phrases(text)
    verdict = _screen_judged(judged, level)
    return replace(verdict, request=text.strip()) if verdict.allowed and judged != text else verdict


def _screen_judged(text: str, level: str) -> Verdict:
    head = text.strip()[: 4 * MAX_REQUEST_CHARS]  # a 20,000-character paste is judged on its start
    found = detect(head)
    verdict = check_request(text, level)
    if verdict.category in ("empty", "no_words", "too_long"):
        return _in_language(verdict, found.language)
    if found.language and not found.covered:
        if (harm := _harm(text, "")) is not None:  # "muérete" alone: unsafe in a covered language
            return harm
        name = language_name(found.language)
        return Verdict("refuse", "language", LANGUAGE_MESSAGE.format(name=name), terms=(found.language,))
    if verdict.category == "language":
        read = found.language if found.covered else _tied(found, text.casefold())
        if not read and (harm := _harm(text, "")) is not None:
            return harm
        if read:  # the detector reads it: the rough script/word test was wrong
            verdict = _bad_input(text) or _harm(text, read) or Verdict("allow", request=text.strip())
            if verdict.allowed and level == "strict" and read in LANGS:
                verdict = _gentle(text, read) or verdict
        else:
            verdict = replace(verdict, message=LANGUAGE_MESSAGE.format(name="that language"))
        return _in_language(verdict, read)
    lang = _reading(found, text.casefold())
    if lang in LANGS and verdict.action == "redirect":
        # The English rules steer by swapping English words ("die" read as the verb, "gore"), which
        # makes nonsense of a request in another language: a harm they refuse still stands, what they
        # would steer is left to this language's rules (English gore words in a mixed request are
        # refused whole, never swapped).
        verdict = check_request(text, "standard")
        if verdict.action == "redirect":
            verdict = (Verdict("refuse", verdict.category, HARM_MESSAGES[verdict.category][lang], terms=verdict.terms)
                       if "en" in found.mixed else Verdict("allow", request=text.strip()))
    if lang in LANGS and "en" not in found.mixed and verdict.category in CATEGORIES and not _typed(verdict, text):
        # the English rules' typo repair reads this language's words as English ones ("muerde" as
        # "murder", "chinos" as a slur, "adresse" as "address"): only words the child typed count
        verdict = Verdict("allow", request=text.strip())
    if lang != "en" and verdict.category in CATEGORIES and (harm := _harm(text, lang)) is not None:
        # a harm this language's rules refuse is never steered by swapping English words, and the
        # child is told about the gravest of what the two sets of rules found
        if verdict.action == "redirect" or RANK.index(harm.category) < RANK.index(verdict.category):
            verdict = harm
    if verdict.allowed:
        verdict = _bad_input(text) or _harm(text, lang) or verdict
        if verdict.allowed and level == "strict" and lang in LANGS:
            verdict = _gentle(text, lang) or verdict
    return _in_language(verdict, lang if lang in COVERED else "en", sure=found.language == lang)


# --------------------------------------------------------------------------- programs

# What an unsafe text in a program is replaced with, in the language of the text it replaces.
SAFE_TEXTS = {"es": "¡Seamos amables!", "fr": "Soyons gentils !", "de": "Lasst uns nett sein!", "pt": "Vamos ser gentis!"}


# What the child is told when texts were replaced (the English one is the safety layer's).
PROGRAM_MESSAGES = {"es": "Cambié algunas palabras del programa para que sea amable.",
                    "fr": "J'ai changé quelques mots du programme pour qu'il reste gentil.",
                    "de": "Ich habe ein paar Wörter im Programm geändert, damit es freundlich bleibt.",
                    "pt": "Troquei algumas palavras do programa para ele ficar gentil."}


def _harm_verdict(text: str, action: str, lang: str | None = None) -> Verdict | None:
    found = find_harm(text, lang)
    if found is None:
        return None
    category, lang, term = found
    message = PROGRAM_MESSAGES[lang] if action == "redirect" else HARM_MESSAGES[category][lang]
    return Verdict(action, category, message, terms=(term,))


def screen_program(program):  # noqa: ANN001, ANN201 - a Program in, (Program | None, Verdict) out
    """The after-generation check of :mod:`~codehone.blocks.languages.harms` on a program the English
    check (:func:`codehone.blocks.safety.check.safe_program`) already passed: (program, verdict) with
    unsafe texts replaced by a kind sentence in their language (``redirect``), unchanged (``allow``),
    or None when a sprite, variable or custom block name is unsafe (``refuse``)."""
    from dataclasses import replace as swap

    from codehone.blocks.lang.nodes import Call, Define, Program, Script, Sprite, Str

    found: list[Verdict] = []

    def fix(call: Call) -> Call:
        args = []
        for a in call.args:
            if isinstance(a, Str) and (v := _harm_verdict(a.value, "redirect")) is not None:
                found.append(v)
                a = Str(SAFE_TEXTS[find_harm(a.value)[1]])
            elif isinstance(a, str) and (v := _harm_verdict(a, "refuse")) is not None:
                raise _Unsafe(v)
            elif isinstance(a, Call):
                a = fix(a)
            args.append(a)
        return swap(call, args=tuple(args), bodies=tuple(tuple(fix(c) for c in b) for b in call.bodies))

    try:
        sprites = []
        for sprite in program.sprites:
            if (v := _harm_verdict(sprite.name, "refuse")) is not None:
                raise _Unsafe(v)
            scripts = []
            for s in sprite.scripts:
                if isinstance(s, Define):
                    if (v := _harm_verdict(" ".join([s.proccode, *s.argnames]), "refuse")) is not None:
                        raise _Unsafe(v)
                    scripts.append(swap(s, body=tuple(fix(c) for c in s.body)))
                else:
                    scripts.append(Script(fix(s.hat) if s.hat is not None else None, tuple(fix(c) for c in s.body)))
            sprites.append(Sprite(sprite.name, tuple(scripts)))
    except _Unsafe as e:
        return None, e.verdict
    if not found:
        return program, Verdict("allow")
    return Program(tuple(sprites)), found[0]


class _Unsafe(Exception):
    def __init__(self, verdict: Verdict):
        super().__init__(verdict.category)
        self.verdict = verdict
