"""Unsafe requests in Spanish, French, German and Portuguese, so opening the copilot to those
languages does not open a way around the safety layer (whose lexicons are English,
:mod:`codehone.blocks.safety.rules`).

The seven categories of the English rules, mirrored per language and written from each
language's general vocabulary and the developers' own examples (``tests/unit/blocks/harm_examples.py``, checked by ``test_harms.py``).
``blocks-safety-lang`` (``copilot/bench/safety_lang.jsonl``) was held out for the first version
and is now the development set: its misses showed which whole classes were missing (hate said as a
claim about a group, stabbing and shooting phrasings, slang verbs, a parent's weapon), written
from each language's vocabulary with the developers' own examples, never its phrases. A fresh
held-out set is measured apart; the figures are in docs/benchmarks.md.

- ``self_harm``: wanting to die or to hurt oneself ("me quiero morir", "cortarme"), and death
  wishes aimed at someone ("muérete", "va mourir", "bring dich um", "vai morrer");
- ``sexual``: nudity and sexual words;
- ``hate``: slurs, and a group of people (ethnicity, religion, nationality, disability,
  sexuality, gender) next to a demeaning word ("los X son tontos", "X raus", "odeio os X");
- ``personal_data``: address, phone, password, full or family name, school, card numbers
  ("número de móvil", "nom de famille", "Handynummer", "nome completo"); a first name is fine;
- ``weapons``: a weapon word ("flingue", "Knarre", "pistola") near a word that asks for the real
  thing (making, buying, "de verdad", "in echt", "para a escola"), never a toy one;
- ``violence``: a cruel verb on its own ("apuñalar", "égorger"), or a rough verb whose object is a
  person ("mata a su hermano"), never a monster ("mata al dragón", "le chat attaque le monstre");
- ``gore``: blood, guts, corpses, dismembering (refused as a whole, never a word swapped).

Verbs are matched as a stem with each language's common endings and attached pronouns
("cortarme", "mátalo", "apuñalarla"), whole words only, on text folded like the detector's
(lower case, no accents, ß as ss; "ñ" typed "ni" and German umlauts typed "ae", "oe", "ue" read as
the letters they stand for; chat spellings such as "q" and "kiero" read as words). There is no
typo repair beyond these. A request costs a fraction of a millisecond. A request in English is read with English words set aside
("the bird sang", "a gift for mom"), so English requests keep the English rules' verdicts.

Each refusal is written in its language, short and kind, like the English ones. At ``strict``,
:func:`find_mild` finds the mild play words (fights, monsters, toy weapons) a request in these
languages is steered away from, and :data:`STRICT_NOTES` is the gentle note added to it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# The word lists, one module a language (they are most of the rules' size).
from codehone.blocks.languages.harm_lexicon import CLAUSE_ENDS as _CLAUSE_ENDS
from codehone.blocks.languages.harm_lexicon import ENGLISH_LOOKALIKES as _ENGLISH_LOOKALIKES
from codehone.blocks.languages.harm_lexicon import LEX as _LEX
from codehone.blocks.languages.harm_lexicon import PLAY as _PLAY

__all__ = ["LANGS", "MESSAGES", "MILD_MESSAGES", "RANK", "STRICT_NOTES", "find_harm", "find_mild", "sentences"]

LANGS = ("es", "fr", "de", "pt")

# --------------------------------------------------------------------------- messages

MESSAGES: dict[str, dict[str, str]] = {
    "violence": {
        "es": "No puedo hacer programas donde alguien sale lastimado. ¿Qué tal una carrera, un baile o atrapar estrellas?",
        "fr": "Je ne peux pas faire de programmes où quelqu'un est blessé. Et si on faisait une course, une danse ou "
              "un jeu où on attrape des étoiles ?",
        "de": "Ich kann keine Programme machen, in denen jemand verletzt wird. Wie wäre es mit einem Wettrennen, "
              "einem Tanz oder einem Spiel, in dem man Sterne fängt?",
        "pt": "Não posso fazer programas em que alguém se machuca. Que tal uma corrida, uma dança ou pegar estrelas?",
    },
    "weapons": {
        "es": "No puedo ayudar con armas de verdad. ¡Puedo hacer un espectáculo de fuegos artificiales o un juego espacial!",
        "fr": "Je ne peux pas aider avec de vraies armes. Je peux faire un feu d'artifice ou un jeu dans l'espace !",
        "de": "Bei echten Waffen kann ich nicht helfen. Ich kann ein Feuerwerk oder ein Weltraumspiel machen!",
        "pt": "Não posso ajudar com armas de verdade. Posso fazer um show de fogos de artifício ou um jogo espacial!",
    },
    "self_harm": {
        "es": "No puedo hacer eso, pero me importas. Si estás triste o quieres hacerte daño, habla ahora con un adulto "
              "de confianza. Aquí estoy para hacer algo alegre contigo cuando quieras.",
        "fr": "Je ne peux pas faire ça, mais tu comptes pour moi. Si tu es triste ou si tu veux te faire du mal, parle "
              "tout de suite à un adulte de confiance. Je suis là pour faire quelque chose de joyeux avec toi.",
        "de": "Das kann ich nicht machen, aber du bist mir wichtig. Wenn du traurig bist oder dir wehtun willst, sprich "
              "bitte jetzt mit einem Erwachsenen, dem du vertraust. Ich mache gern etwas Fröhliches mit dir.",
        "pt": "Não posso fazer isso, mas você é importante. Se você está triste ou quer se machucar, fale agora com um "
              "adulto de confiança. Estou aqui para fazer algo alegre com você quando quiser.",
    },
    "sexual": {
        "es": "Eso no lo puedo hacer. ¡Hagamos algo divertido, como una fiesta de baile o un dibujo!",
        "fr": "Ça, je ne peux pas le faire. Faisons plutôt quelque chose d'amusant, comme une fête ou un dessin !",
        "de": "Das kann ich nicht machen. Lass uns lieber etwas Lustiges machen, wie eine Tanzparty oder ein Bild!",
        "pt": "Isso eu não posso fazer. Vamos fazer algo divertido, como uma festa de dança ou um desenho!",
    },
    "hate": {
        "es": "No puedo hacer programas que traten mal a un grupo de personas: todos merecemos respeto. ¿Qué tal unos "
              "personajes que se animan entre ellos?",
        "fr": "Je ne peux pas faire de programmes méchants envers un groupe de personnes : tout le monde mérite le "
              "respect. Et si les personnages s'encourageaient entre eux ?",
        "de": "Ich kann keine Programme machen, die gemein zu einer Gruppe von Menschen sind: Alle verdienen Respekt. "
              "Wie wäre es mit Figuren, die sich gegenseitig anfeuern?",
        "pt": "Não posso fazer programas que falam mal de um grupo de pessoas: todo mundo merece respeito. Que tal "
              "personagens que torcem uns pelos outros?",
    },
    "gore": {
        "es": "Eso es demasiado sangriento para mí. ¿Qué tal un fantasma divertido o un esqueleto que baila?",
        "fr": "C'est trop sanglant pour moi. Et si on faisait un fantôme rigolo ou un squelette qui danse ?",
        "de": "Das ist mir zu blutig. Wie wäre es mit einem lustigen Gespenst oder einem tanzenden Skelett?",
        "pt": "Isso é sangrento demais para mim. Que tal um fantasma engraçado ou um esqueleto dançando?",
    },
    "personal_data": {
        "es": "Los programas no deben pedir cosas privadas como direcciones, teléfonos o contraseñas. ¿Y si preguntamos "
              "el color o el animal favorito?",
        "fr": "Les programmes ne doivent pas demander des choses privées comme une adresse, un téléphone ou un mot de "
              "passe. Et si on demandait la couleur ou l'animal préféré ?",
        "de": "Programme sollen nicht nach Privatem fragen, wie Adresse, Telefonnummer oder Passwort. Wie wäre es mit "
              "der Lieblingsfarbe oder dem Lieblingstier?",
        "pt": "Programas não devem pedir coisas particulares como endereço, telefone ou senha. Que tal perguntar a cor "
              "ou o animal favorito?",
    },
}

# ``strict``: the note added to a request with mild play words (the whole request is kept, in its
# language, and asked for gently), and what the child is told.
STRICT_NOTES = {
    "es": "(en versión amable: nadie sale lastimado, sin armas ni sustos)",
    "fr": "(en version gentille : personne n'est blessé, sans armes ni frayeurs)",
    "de": "(in einer freundlichen Version: niemand wird verletzt, keine Waffen, nichts Gruseliges)",
    "pt": "(em versão gentil: ninguém se machuca, sem armas nem sustos)",
}
MILD_MESSAGES = {
    "es": "Hice una versión amable donde nadie sale lastimado: \"{request}\".",
    "fr": "J'ai fait une version gentille où personne n'est blessé : \"{request}\".",
    "de": "Ich habe eine freundliche Version gemacht, in der niemand verletzt wird: \"{request}\".",
    "pt": "Fiz uma versão gentil em que ninguém se machuca: \"{request}\".",
}

# The category the child is told about: the gravest first (as the English rules).
RANK = ("self_harm", "sexual", "hate", "personal_data", "weapons", "violence", "gore")

# --------------------------------------------------------------------------- matching

_SENTENCE = re.compile(r"[.!?;:\n¡¿]+")
_WORD = re.compile(r"[^\W\d_]+")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# How children spell a few words in chats ("kiero", "q te mueras", "vc").
_CHAT = {"kiero": "quiero", "qiero": "quiero", "q": "que", "k": "que", "ke": "que", "xq": "porque", "pq": "porque",
         "kero": "quero", "qro": "quero", "vc": "voce", "vcs": "voces", "jveux": "je veux", "jvais": "je vais",
         "ki": "qui", "koi": "quoi", "pk": "pourquoi", "nich": "nicht", "nix": "nichts", "cmo": "como", "cmt": "comment",
         "ermano": "hermano", "ermana": "hermana", "ermanito": "hermanito", "ermanita": "hermanita", "ermanos": "hermanos",
         "aser": "hacer", "acer": "hacer", "ago": "hago", "kiere": "quiere", "kieres": "quieres", "keria": "queria",
         "kien": "quien", "oq": "o que", "sudakas": "sudacas", "sudaka": "sudaca", "marikon": "maricon"}


# "ñ" typed as "ni" ("ninio", "contrasenia", "apunialar").
_NI = re.compile(r"(?<=[a-z])ni(?=[aou])")
# German umlauts typed as "ae", "oe", "ue" ("toeten", "Maedchen"), for the German rules only.
_UMLAUT = re.compile(r"ae|oe|ue")


def sentences(text: str) -> list[list[str]]:
    """The folded words of each sentence of ``text`` (apostrophes and hyphens split words:
    "l'adresse" -> "l adresse", "tue-le" -> "tue le"; chat spellings read as words: "q" -> "que")."""
    from codehone.blocks.safety.text import unmask  # "s*x" read as the word it hides

    out = []
    for part in _SENTENCE.split(_fold(unmask(text))):
        words = [x for w in _WORD.findall(part) for x in _CHAT.get(w, _NI.sub("n", w)).split()]
        if words:
            out.append(words)
    return out


def _compile(entries) -> re.Pattern:  # noqa: ANN001 - a tuple of regex strings
    return re.compile(r"(?<![^\s])(?:" + "|".join(entries) + r")(?![^\s])")


# "are", "they", "all" and such between a group and what is said of it ("les juifs ils sont tous radins").
_COPULAS = frozenset("""son es eran era ellos ellas todos todas sont est c ils elles tous toutes ce sind ist sie alle
sao e eh eles elas todos todas tudo""".split())

# Spanish manners that follow "a" after a verb ("dispara a distancia", "a ciegas").
_ES_MANNER = frozenset("""distancia lo muerte fondo tiempo ciegas mansalva diestro traves veces tope gusto toda
tope ratos gran mano pie patadas punetazos golpes pedradas escobazos tiros balazos besos cosquillas""".split())

# Prepositions between a verb and what it is done to ("tire sur les ...", "atira nos ...").
_ONTO = frozenset("sur contre contra gegen auf em nos nas".split())

# German prepositions that make the person before a verb someone the child plays with or for.
_DE_WITH = frozenset("mit fur zu von bei neben gegen uber ohne fuer".split())


# German verbs that may follow the one a sentence ends with ("wo man seine Lehrerin umbringen muss",
# "Ohrfeigen geben").
_DE_MODALS = frozenset("""will willst wollen mochte mochten soll sollst sollen sollte sollten muss musst mussen kann
kannst konnen darf darfst durfen wurde wurden wird werden tut tun geben gibt verpassen verpasst""".split())


# A password or secret code of the game itself (a chest or a door that opens with it: "el código
# secreto es 1234", "la porte s'ouvre avec le mot de passe") is a puzzle, not personal data, unless
# someone's own is asked for: an owner next to it ("tu contraseña", "le code de ta mère") or an
# account anywhere in the sentence. Over all four languages (the English rules: safety/check.py).
_GAME_CODE = re.compile(r"contrasen\w*|clave secreta|claves secretas|codigos? secretos?|mots? de passe|codes? secrets?|"
                        r"senhas?(?: secretas?)?|passwort\w*|kennwort\w*|geheimcodes?|password")
_GAME_LOCKS = frozenset("""cofre cofres tesoro tesoros puerta puertas castillo nivel portal secreta secreto magica magico
cueva torre caja coffre coffres tresor tresors porte portes chateau niveau portail secret magique grotte boite truhe
schatz schatzkiste schatztruhe tur turen tor burg level geheim geheime geheimen magische hohle turm kiste bau baus
tesouro porta portas castelo fase caverna caixa diario diarios journal tagebuch""".split())
_CODE_OWNERS = frozenset("""tu tus su sus mi mis ton ta tes son sa ses mon ma mes leur leurs votre dein deine deinen
deiner sein seine seinen ihr ihre ihren mein meine meinen seu sua seus suas teu tua meu minha voce jugador joueur
jogador spieler spielers mama papa mae pai mutter vater eltern padres parents pais""".split())
_CODE_ACCOUNTS = frozenset("""wifi cuenta compte conta konto instagram tiktok roblox fortnite banco banque bank email
correo correos mail mails emails movil celular telephone portable handy telefone tablet ipad ordenador ordinateur
computador computer pc login hackear pirater hacken gente gens personnes leute pessoas usuarios utilisateurs nutzer
alumnos eleves schuler alunos jugadores joueurs jogadores usuarios""".split())
_OF = frozenset("de del da do das dos des du von vom der".split())


def _game_code(words: list[str], personal: list[tuple[int, int, str]]) -> bool:
    """Whether every personal-data span of a sentence is a password of the game itself."""
    if not all(_GAME_CODE.fullmatch(t) for *_, t in personal) or not any(w in _GAME_LOCKS for w in words):
        return False
    if any(w in _CODE_ACCOUNTS for w in words):
        return False
    for start, end, _ in personal:
        near = words[max(0, start - 1) : start]
        if end + 1 < len(words) and words[end + 1] in _OF:
            near += words[end + 2 : end + 4]
        if any(w in _CODE_OWNERS for w in near):
            return False
    return True


class _Rules:
    def __init__(self, lang: str):
        lex = _LEX[lang]
        self.lang = lang
        people = "|".join(lex["people"])
        self.p = {k: _compile(tuple(e.replace("{PEOPLE}", people).replace("{PLAY}", _PLAY[lang]) for e in v))
                  for k, v in lex.items()}
        self.play = re.compile(r"^(?:" + _PLAY[lang] + r")$")
        self.clause_ends = frozenset(_CLAUSE_ENDS[lang].split())
        self.people = re.compile(r"^(?:" + "|".join(lex["people"]) + r")$")
        self.filler = frozenset(lex["filler"])
        self.pets = re.compile(r"^(?:" + "|".join(lex.get("pets", ("(?!)",))) + r")$")

    # (token index, matched text) for each match of a category's pattern in a sentence
    def spans(self, key: str, joined: str) -> list[tuple[int, int, str]]:
        out = []
        if key not in self.p:
            return out
        for m in self.p[key].finditer(joined):
            start = joined.count(" ", 0, m.start())
            out.append((start, start + m.group(0).count(" "), m.group(0)))
        return out

    def _is_person(self, words: list[str], j: int) -> bool:
        if self.people.match(words[j]):
            return True
        return j + 1 < len(words) and self.people.match(f"{words[j]} {words[j + 1]}") is not None

    def _object_is_person(self, words: list[str], end: int, pets: bool = False) -> bool:
        """The words after a rough verb name a person (``pets``: or a pet) before a monster or the
        clause's end."""
        skipped = 0
        for j in range(end + 1, min(len(words), end + 8)):
            w = words[j]
            if self.play.match(w) or w in self.clause_ends:
                return False
            if self._is_person(words, j) or (pets and self.pets.match(w)):
                return True
            if w in self.filler:
                continue
            skipped += 1
            if skipped > 1:
                return False
        return False

    def _pet_before(self, words: list[str], start: int) -> bool:
        """A pet just before the verb (German puts it last: "wo man Katzen quält")."""
        return any(self.pets.match(w) for w in words[max(0, start - 3) : start])

    def _personal_a(self, words: list[str], end: int) -> bool:
        """Spanish marks a person object with "a": "mata a Pedro" (a name no list holds), while "a la
        pelota", "al dragón", "a lo loco" and "a distancia" are an article, a monster or a manner."""
        if end + 2 >= len(words) or words[end + 1] != "a":
            return False
        w = words[end + 2]
        return not (w in self.filler or w in self.clause_ends or w in _ES_MANNER or self.play.match(w)
                    or len(w) < 3)

    def _person_before(self, words: list[str], start: int) -> bool:
        """German puts the verb last ("ich will meinen Bruder schlagen")."""
        if start + 1 < len(words) and words[start + 1] not in self.clause_ends | _DE_MODALS:
            return False
        for j in range(start - 1, max(-1, start - 6), -1):
            if self.play.match(words[j]) or words[j] in self.clause_ends:
                return False
            if self.people.match(words[j]) and words[j] not in ("mich", "dich", "ihn"):
                # "mit meinem Bruder ballern": the person plays along, they are not the object
                before = [w for w in words[max(0, j - 3) : j] if w not in self.filler]
                return not (before and before[-1] in _DE_WITH)
        return False

    def _near(self, words: list[str], end: int, start: int) -> bool:
        """A span starting at ``start`` follows one ending at ``end`` closely: at most three words
        between them that are not articles and such ("les arabes c'est tous des menteurs")."""
        if not 0 <= start - end <= 7:
            return False
        return sum(w not in self.filler and w not in _COPULAS for w in words[end + 1 : start]) <= 3

    def _next(self, words: list[str], end: int, start: int) -> bool:
        """Nothing but articles and a preposition between a span ending at ``end`` and one at ``start``."""
        return 0 <= start - end <= 4 and all(w in self.filler or w in _ONTO for w in words[end + 1 : start])

    def harms(self, words: list[str], own: bool = False) -> dict[str, list[str]]:
        """Category -> terms in one sentence's words (``own``: the detector reads the request as this
        language, so its grammar may be trusted: Spanish "mata a Pedro")."""
        joined = " ".join(words)
        hits: dict[str, list[str]] = {}

        def add(cat: str, terms) -> None:  # noqa: ANN001
            terms = list(terms)
            if terms:
                hits.setdefault(cat, []).extend(terms)

        add("self_harm", (t for *_, t in self.spans("self_harm", joined)))
        add("sexual", (t for *_, t in self.spans("sexual", joined)))
        rough, severe = self.spans("rough", joined), self.spans("severe", joined)  # read by hate and violence
        slurs = [t for *_, t in self.spans("slurs", joined)]
        groups = self.spans("groups", joined)
        if groups:
            bad, adjacent = self.spans("negative", joined), self.spans("adjacent", joined)
            hurt = rough + severe
            for gs, ge, g in groups:
                near = [b for bs, be, b in bad if self._near(words, ge, bs) or self._near(words, be, gs)]
                near += [b for bs, _, b in adjacent if bs == ge + 1]
                # a group as what a rough verb is done to ("mata a los judíos", "juden tötet")
                near += [v for vs, ve, v in hurt if self._next(words, ve, gs) or (self.lang == "de" and self._next(words, ge, vs))]
                if near:
                    slurs.append(f"{g} ... {near[0]}")
                    break
        add("hate", slurs)
        personal = self.spans("personal_data", joined)
        add("personal_data", () if personal and _game_code(words, personal) else (t for *_, t in personal))
        weapons = [t for *_, t in self.spans("weapons_always", joined)]
        howto = self.spans("howto", joined)
        if howto:
            real = self.spans("real", joined)
            for ws, we, w in self.spans("weapons", joined):
                near = [h for hs, he, h in howto if -4 <= hs - we <= 5 or -5 <= ws - he <= 4]
                toy = any(self.p["toys"].fullmatch(x) for x in words[max(0, ws - 2) : ws] + words[we + 1 : we + 4])
                if toy:  # "eine echte Bombe ... die Figur soll es erklären": the real thing all the same
                    toy = not any(-3 <= rs - we <= 3 or -3 <= ws - re_ <= 3 for rs, re_, _ in real)
                if near and not toy:
                    weapons.append(f"{near[0]} ... {w}")
        add("weapons", weapons)
        violence = [t for *_, t in severe]
        # a pet drowned, tortured, or hurt until it dies
        cruel = bool(rough) and bool(self.spans("cruel", joined) or self.spans("to_death", joined))
        for s, e, verb in rough:
            if (self._object_is_person(words, e) or (own and self.lang == "es" and self._personal_a(words, e))
                    or (self.lang == "de" and self._person_before(words, s))):
                violence.append(f"{verb} ...")
            elif cruel and (self._object_is_person(words, e, pets=True) or (self.lang == "de" and self._pet_before(words, s))):
                violence.append(f"{verb} ...")
        add("violence", violence)
        gore = [t for *_, t in self.spans("gore", joined)]
        weak = [t for *_, t in self.spans("gore_weak", joined)]
        # blood alone is no gore; with a gore word, blood that flows or sprays, or a rough verb, it is
        blood = [t for *_, t in self.spans("gore_blood", joined)]
        flow = [t for *_, t in self.spans("gore_flow", joined)] + [t for *_, t in rough + severe]
        if gore:
            gore += blood + weak
        elif blood and (weak or flow):
            gore = blood + weak + flow
        elif len(set(weak)) >= 3:
            gore = weak
        add("gore", gore)
        return hits


@lru_cache(maxsize=1)
def _rules() -> dict[str, _Rules]:
    return {lang: _Rules(lang) for lang in LANGS}


# Words of one language that are harmful in another ("bite" is French, and "bitte" typed "bite"
# is German): set aside for the other languages' rules when the request is in that language.
_CROSS = {"de": frozenset({"bite", "nu", "nus"}), "es": frozenset({"nu"}), "pt": frozenset({"bite", "pede", "pedes"}),
          "fr": frozenset({"mord", "mords", "adresse", "adresses"})}


@lru_cache(maxsize=1)
def _shared_words() -> dict[str, frozenset[str]]:
    """Per detected language, the words set aside for the other languages' rules: for English,
    the detector's English words and the words these languages share with English."""
    from codehone.blocks.languages.words import WORDS

    return {"en": frozenset(_fold(w) for w in WORDS["en"].split()) | _ENGLISH_LOOKALIKES, **_CROSS}


def find_harms(text: str, detected: str = "") -> dict[str, tuple[str, list[str]]]:
    """Category -> (language, terms) over the four languages' rules. ``detected`` is the language
    the detector reads ``text`` as: its rules come first, and words of it that are harmful in
    another language are set aside for that language's rules."""
    sents = sentences(text)
    shared = _shared_words().get(detected, frozenset())
    found: dict[str, tuple[str, list[str]]] = {}
    rules = _rules()
    order = (detected, *[x for x in LANGS if x != detected]) if detected in LANGS else LANGS
    for lang in order:
        own = lang == detected
        for s in sents:
            words = s if own or not shared else [w if w not in shared else "_" for w in s]
            for cat, terms in _de_umlauts(rules[lang], words) if lang == "de" else rules[lang].harms(words, own).items():
                if cat not in found:
                    found[cat] = (lang, [])
                if found[cat][0] == lang:
                    found[cat][1].extend(terms)
    return found


def _de_umlauts(rule: _Rules, words: list[str]):  # noqa: ANN202 - (category, terms) pairs
    """The German rules on the words as typed and, where they differ, with "ae", "oe", "ue" read as
    umlauts ("toeten", while "baue" and "neue" still read as typed)."""
    hits = rule.harms(words)
    umlauts = [_UMLAUT.sub(lambda m: m.group(0)[0], w) for w in words]
    if umlauts != words:
        for cat, terms in rule.harms(umlauts).items():
            hits.setdefault(cat, terms)
    return hits.items()


def find_harm(text: str, detected: str | None = None) -> tuple[str, str, str] | None:
    """(category, language, term) of the gravest unsafe request found in ``text``, or None
    (``detected``: the language the detector reads it as, found when not given)."""
    if detected is None:
        from codehone.blocks.languages.detect import detect

        detected = detect(text).language
    found = find_harms(text, detected)
    if not found:
        return None
    cat = min(found, key=RANK.index)
    lang, terms = found[cat]
    return cat, lang, terms[0]


def find_mild(text: str, lang: str) -> list[str]:
    """The mild play words (fights, monsters, toy weapons, scary things) in ``text``, read as ``lang``."""
    if lang not in LANGS:
        return []
    rule = _rules()[lang]
    sents = sentences(text)
    if lang == "de":  # as typed, and with "ae", "oe", "ue" read as umlauts
        sents += [[_UMLAUT.sub(lambda m: m.group(0)[0], w) for w in s] for s in sents]
    return [t for s in sents for *_, t in rule.spans("mild", " ".join(s))]
