"""Training pairs in Spanish, French, German and Portuguese (issue 19): requests in children's
words in each language, programs whose texts are in the language asked for.

The wordings are written by hand in each language (not translated templates), the way a child
of that language types a request: "pon que el gato diga...", "fais que le chat dise...", "mach,
dass die Katze ... sagt", "bota o gato pra falar...". Kinds of request:

- ``say``, ``click``, ``key``, ``think``: a text said (or thought) at the flag, on a click, on a
  key press; the text is dictated in the request and said in the request's language;
- ``shape``: a polygon drawn, then a sentence said;
- ``count``: counting up, then a sentence said;
- ``ask``: a question asked and the answer said back inside a sentence (name, age, colour);
- ``named``: the request names the language of the texts: an English request ("make the cat say
  thank you in German") or one in another language naming English ("di hola en inglés");
- ``named_ask``: an English request that asks for the child's name and dictates a greeting with
  the name in it, in another language ("ask my name and say 'good morning name' in german"):
  the question and the greeting are in the language named, the name is the answer joined in;
- and the kinds of :mod:`codehone.blocks.synth.languages_more` (arrow keys, gliding, size,
  hiding, walking, dancing forever, countdowns, a score, dialogues, saying or thinking for N
  seconds, saying N times, circles), so the requests cover about the range of the English families;
- and the asking kinds of :mod:`codehone.blocks.synth.languages_ask` (ask, then say something; say
  the answer in a sentence, or N times; if/else on a yes/no answer; two questions, both answers
  said), so requests that ask are about a quarter of each language's pairs.

Kinds are dealt from a shuffled deck per language (each kind as many times as its weight), so
every kind turns up in every language once a few dozen pairs of it are made.

Every pair is verified like the others (:func:`codehone.blocks.synth.pairs.verify`: parse,
print, .sb3 round trip, run, check) and also by the language check
(:func:`codehone.blocks.languages.speech.check_language`): what the run says reads as the
language asked for. The ``blocks-lang`` benchmark is held out: no prompt of any benchmark is
used (``exclude_prompts``), and these templates were written without looking at its tasks.
"""

from __future__ import annotations

import random
import unicodedata

from codehone.blocks.languages.speech import check_language
from codehone.blocks.languages.target import target_language
from codehone.blocks.synth.languages_ask import ASK_KINDS, make_ask
from codehone.blocks.synth.languages_more import MORE_KINDS, Ask, make_more
from codehone.blocks.synth.pairs import Stats, interleave, verify
from codehone.blocks.synth.program import Pair, c_block, program, q, script

__all__ = ["LANGUAGES", "language_pairs", "with_language_pairs"]

LANGUAGES = ("es", "fr", "de", "pt")
# the order the training data takes them in (with_language_pairs): German three times in nine, the others
# twice, so German gets half again as many pairs as each other language. On session 14's adapter German
# passed 60.5% of blocks-lang against 70-74% for the others (English 76.7%), missing mostly "frag" (ask)
# and size words.
TRAIN_ORDER = ("es", "fr", "de", "pt", "es", "fr", "de", "pt", "de")

# ---------------------------------------------------------------- each language's words
_SPANISH = {
    "who": ("el gato", "mi gato", "el personaje", "mi personaje", "el perrito", "la gatita"),
    "texts": ("¡Hola a todos!", "¡Qué divertido!", "¡Me encanta jugar!", "¡Soy un gato muy listo!", "¡Vamos a jugar!",
              "¡Buenas tardes!", "¡Hasta luego!", "¡Qué bonito día!", "¡Tengo sueño!", "¡Mira cómo bailo!"),
    "thoughts": ("Tengo mucha hambre", "¿Qué hago ahora?", "Quiero un helado", "Me gusta el sol"),
    "say": ("pon que {who} diga {text}", "quiero que {who} diga {text}", "{who} tiene que decir {text}",
            "haz un programa donde {who} dice {text}", "programa a {who} para que diga {text}"),
    "click": ("cuando toque a {who} que diga {text}", "si hago clic en {who} dice {text}",
              "al pinchar en {who} tiene que decir {text}"),
    "key": ("cuando aprieto el espacio {who} sube y dice {text}", "con la tecla espacio {who} salta y dice {text}"),
    "think": ("que {who} piense {text}", "{who} se queda pensando {text}", "pon a {who} a pensar {text}"),
    "shape": ("pinta un {shape} de {side} pasos y cuando acabes di {text}",
              "haz un {shape} con lados de {side} y luego {who} dice {text}", "quiero un {shape} de {side} y despues di {text}"),
    "shapes": {3: "triángulo", 4: "cuadrado", 5: "pentágono", 6: "hexágono"},
    "count": ("cuenta de uno en uno hasta {n} y al final di {text}", "que {who} cuente hasta {n} y luego diga {text}"),
    "ask": {"name": (("pregunta a la gente cómo se llama y salúdala", "que {who} me pregunte mi nombre y me salude"),
                     "¿Cómo te llamas?", "¡Encantado, ", "!", ("Pablo", "Lucía", "Mateo")),
            "age": (("que {who} pregunte mi edad y diga cuántos años tengo", "pregúntame la edad y repítela"),
                    "¿Cuántos años tienes?", "¡Tienes ", " años!", ("7", "8", "10")),
            "colour": (("pregunta cuál es mi color preferido y di que te gusta", "que {who} pregunte mi color favorito"),
                       "¿Qué color te gusta más?", "¡Qué bonito es el ", "!", ("verde", "rojo", "morado"))},
    "please": (" porfa", " por favor", "", "", ""),
    "english": ("di {text} en inglés", "que {who} diga {text} en inglés"),
}
_FRENCH = {
    "who": ("le chat", "mon chat", "le lutin", "mon personnage", "le petit chien", "le lapin"),
    "texts": ("Salut tout le monde !", "C'est trop drôle !", "J'adore jouer !", "Je suis un chat très malin !",
              "On va jouer !", "Bon après-midi !", "À tout à l'heure !", "Quelle belle journée !", "J'ai sommeil !",
              "Regarde comme je danse !"),
    "thoughts": ("J'ai très faim", "Qu'est-ce que je fais maintenant ?", "Je veux une glace", "J'aime le soleil"),
    "say": ("fais que {who} dise {text}", "je veux que {who} dise {text}", "{who} doit dire {text}",
            "fais un programme où {who} dit {text}", "programme {who} pour qu'il dise {text}"),
    "click": ("quand je touche {who} il dit {text}", "si je clique sur {who} il faut qu'il dise {text}",
              "quand on clique sur {who} ça dit {text}"),
    "key": ("quand j'appuie sur la barre d'espace {who} monte et dit {text}", "avec la touche espace {who} saute et dit {text}"),
    "think": ("fais penser {who} : {text}", "{who} se dit dans sa tête {text}", "{who} réfléchit et pense {text}"),
    "shape": ("trace un {shape} de {side} pas et quand c'est fini dis {text}",
              "fais un {shape} avec des côtés de {side} et après {who} dit {text}", "je veux un {shape} de {side} puis dis {text}"),
    "shapes": {3: "triangle", 4: "carré", 5: "pentagone", 6: "hexagone"},
    "count": ("compte un par un jusqu'à {n} et à la fin dis {text}", "{who} compte jusqu'à {n} et ensuite dit {text}"),
    "ask": {"name": (("demande aux gens leur prénom et dis-leur bonjour", "{who} me demande mon nom et me salue"),
                     "Comment tu t'appelles ?", "Enchanté, ", " !", ("Hugo", "Manon", "Lucas")),
            "age": (("{who} demande mon âge et dit combien d'ans j'ai", "demande-moi mon âge et répète-le"),
                     "Tu as quel âge ?", "Tu as ", " ans !", ("7", "8", "10")),
            "colour": (("demande ma couleur préférée et dis que tu l'aimes", "{who} me demande ma couleur favorite"),
                       "Quelle couleur tu aimes le plus ?", "J'aime bien le ", " aussi !", ("vert", "rouge", "violet"))},
    "please": (" stp", " s'il te plaît", "", "", ""),
    "english": ("dis {text} en anglais", "fais dire {text} en anglais à {who}"),
}
_GERMAN = {
    "who": ("die Katze", "meine Katze", "die Figur", "meine Figur", "die kleine Maus", "die Ente"),
    "texts": ("Hallo zusammen!", "Das macht Spaß!", "Ich spiele so gern!", "Ich bin eine schlaue Katze!",
              "Komm, wir spielen!", "Guten Tag!", "Bis später!", "Was für ein schöner Tag!", "Ich bin müde!",
              "Schau mal, wie ich tanze!"),
    "thoughts": ("Ich habe großen Hunger", "Was mache ich jetzt?", "Ich will ein Eis", "Ich mag die Sonne"),
    "say": ("mach, dass {who} {text} sagt", "ich will, dass {who} {text} sagt", "{who} soll {text} sagen",
            "programmier {who} so, dass sie {text} sagt", "schreib ein programm, wo {who} {text} sagt"),
    "click": ("wenn ich auf {who} klicke, sagt sie {text}", "beim anklicken soll {who} {text} sagen",
              "klickt man {who} an, sagt sie {text}"),
    "key": ("wenn ich die leertaste drücke, hüpft {who} hoch und sagt {text}", "mit der leertaste springt {who} und sagt {text}"),
    "think": ("{who} soll {text} denken", "lass {who} nachdenken: {text}", "{who} denkt sich {text}"),
    "shape": ("mal ein {shape} mit {side} schritten und sag am ende {text}",
              "mach ein {shape} mit seiten von {side} und danach sagt {who} {text}", "ich will ein {shape} mit {side}, dann sag {text}"),
    "shapes": {3: "Dreieck", 4: "Quadrat", 5: "Fünfeck", 6: "Sechseck"},
    "count": ("zähl bis {n} und sag am schluss {text}", "{who} soll bis {n} zählen und dann {text} sagen"),
    "ask": {"name": (("frag die leute nach ihrem namen und begrüß sie", "{who} fragt mich nach meinem namen und grüßt mich"),
                     "Wie heißt du?", "Schön, dich kennenzulernen, ", "!", ("Paul", "Lena", "Finn")),
            "age": (("{who} fragt wie alt ich bin und sagt mein alter", "frag nach meinem alter und sag es nochmal"),
                    "Wie alt bist du?", "Du bist ", " Jahre alt!", ("7", "8", "10")),
            "colour": (("frag nach meiner lieblingsfarbe und sag, dass du sie magst", "{who} fragt, welche farbe ich mag"),
                       "Welche Farbe magst du am liebsten?", "Ich mag ", " auch!", ("grün", "blau", "lila"))},
    "please": (" bitte", " bitte bitte", "", "", ""),
    "english": ("sag {text} auf englisch", "{who} soll {text} auf englisch sagen"),
}
_PORTUGUESE = {
    "who": ("o gato", "meu gato", "o personagem", "meu personagem", "o cachorrinho", "a gatinha"),
    "texts": ("Oi, pessoal!", "Que legal, adorei!", "Eu adoro brincar!", "Eu sou um gato muito esperto!", "Vamos brincar!",
              "Boa tarde!", "Até logo!", "Que dia lindo!", "Estou com sono!", "Olha como eu danço!"),
    "thoughts": ("Estou com muita fome", "O que eu faço agora?", "Eu quero um sorvete", "Eu gosto do sol"),
    "say": ("bota {who} pra falar {text}", "quero que {who} fale {text}", "{who} tem que falar {text}",
            "faz um programa onde {who} fala {text}", "programa {who} pra dizer {text}"),
    "click": ("quando eu clicar em {who} ele fala {text}", "se eu tocar em {who} tem que falar {text}",
              "clicando em {who} aparece {text}"),
    "key": ("quando eu apertar espaço {who} sobe e fala {text}", "com a tecla espaço {who} pula e fala {text}"),
    "think": ("faz {who} pensar {text}", "{who} fica pensando {text}", "coloca {who} pra pensar {text}"),
    "shape": ("faz um {shape} de {side} passos e quando acabar fala {text}",
              "desenha um {shape} com lados de {side} e depois {who} fala {text}", "quero um {shape} de {side} e aí fala {text}"),
    "shapes": {3: "triângulo", 4: "quadrado", 5: "pentágono", 6: "hexágono"},
    "count": ("conta de um em um até {n} e no final fala {text}", "{who} conta até {n} e depois fala {text}"),
    "ask": {"name": (("pergunta o nome das pessoas e cumprimenta elas", "{who} pergunta meu nome e me cumprimenta"),
                     "Como você se chama?", "Prazer, ", "!", ("Lucas", "Beatriz", "Davi")),
            "age": (("{who} pergunta minha idade e fala quantos anos eu tenho", "pergunta minha idade e repete"),
                    "Quantos anos você tem?", "Você tem ", " anos!", ("7", "8", "10")),
            "colour": (("pergunta minha cor preferida e fala que gosta dela", "{who} pergunta qual cor eu gosto"),
                       "De que cor você mais gosta?", "Eu também gosto de ", "!", ("verde", "azul", "roxo"))},
    "please": (" por favor", " pfv", "", "", ""),
    "english": ("fala {text} em inglês", "faz {who} falar {text} em inglês"),
}
_WORDS = {"es": _SPANISH, "fr": _FRENCH, "de": _GERMAN, "pt": _PORTUGUESE}

# English requests naming the language: (the English words, then each language's text).
_MEANINGS = (
    ("thank you very much", {"es": "¡Muchas gracias!", "fr": "Merci beaucoup !", "de": "Vielen Dank!", "pt": "Muito obrigado!"}),
    ("let's play", {"es": "¡Vamos a jugar!", "fr": "On joue !", "de": "Lass uns spielen!", "pt": "Vamos brincar!"}),
    ("see you later", {"es": "¡Hasta luego!", "fr": "À plus tard !", "de": "Bis später!", "pt": "Até logo!"}),
    ("i am a cat", {"es": "¡Soy un gato!", "fr": "Je suis un chat !", "de": "Ich bin eine Katze!", "pt": "Eu sou um gato!"}),
    ("good afternoon", {"es": "¡Buenas tardes!", "fr": "Bon après-midi !", "de": "Guten Tag!", "pt": "Boa tarde!"}),
    ("what a nice day", {"es": "¡Qué día tan bonito!", "fr": "Quelle belle journée !", "de": "Was für ein schöner Tag!",
                         "pt": "Que dia lindo!"}),
)
_ENGLISH_NAMED = ("make {who} say {meaning} in {name}", "{who} speaks {name}, make it say {meaning}",
                  "say {meaning} in {name} please", "can the cat say {meaning} in {name}")
_ENGLISH_TEXTS = ("Hello everyone!", "Good afternoon!", "See you later!", "Let's play!")
_SPOKEN_NAME = {"es": "spanish", "fr": "french", "de": "german", "pt": "portuguese"}

# Greetings around a name: (the English words, with "name" where the name goes, then per language
# the text before and after the name). Also the replies of ``ask`` name requests, so a greeting
# is not always the same word.
_GREETINGS = (
    ("hi name, nice to meet you", {"es": ("¡Hola, ", ", encantado de conocerte!"),
                                   "fr": ("Salut ", ", ravi de te rencontrer !"),
                                   "de": ("Hallo ", ", schön, dich kennenzulernen!"),
                                   "pt": ("Oi, ", ", prazer em te conhecer!")}),
    ("good morning name", {"es": ("¡Buenos días, ", "!"), "fr": ("Bonjour ", " !"), "de": ("Guten Morgen, ", "!"),
                           "pt": ("Bom dia, ", "!")}),
    ("hello name, let's play", {"es": ("Hola ", ", ¡vamos a jugar!"), "fr": ("Salut ", ", on joue ensemble !"),
                                "de": ("Hallo ", ", komm, wir spielen!"), "pt": ("Olá ", ", vamos brincar!")}),
    ("welcome name", {"es": ("¡Bienvenido, ", "!"), "fr": ("Bienvenue ", " !"), "de": ("Willkommen, ", "!"),
                      "pt": ("Bem-vindo, ", "!")}),
    ("what a nice name, name", {"es": ("¡Qué nombre tan bonito, ", "!"), "fr": ("Quel joli prénom, ", " !"),
                                "de": ("Was für ein schöner Name, ", "!"), "pt": ("Que nome bonito, ", "!")}),
)
_ENGLISH_NAMED_ASK = ("ask my name and say {greeting} in {name}", "make {who} ask for my name, then say {greeting} in {name}",
                      "in {name}: ask what my name is and say {greeting}", "{who} asks my name in {name} and says {greeting}")


# ---------------------------------------------------------------- how a child types it
def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _typed(rng: random.Random, lang: str, text: str) -> str:
    """The request as typed in ``lang``: sometimes without accents, capitalised, or with "please"."""
    if rng.random() < 0.3:
        text = _plain(text)
    if rng.random() < 0.4:
        text = text[0].upper() + text[1:]
    return text + (rng.choice(_WORDS[lang]["please"]) if lang in _WORDS else "")


def _dictated(rng: random.Random, text: str) -> str:
    """A text as a child writes it inside a request: bare, or between quotes."""
    bare = text.strip("¡!¿? ").lower()
    return rng.choice((bare, f"'{text}'", f"\u201c{text}\u201d", bare))


# Articles a preposition swallows ("a el gato" is "al gato", "à le chat" is "au chat").
_CONTRACTIONS = {"es": ((" a el ", " al "), (" de el ", " del ")), "fr": ((" à le ", " au "), (" de le ", " du ")),
                 "pt": ((" em o ", " no "), (" em a ", " na "), (" de o ", " do ")), "de": ()}


def _fill(rng: random.Random, lang: str, template: str, **values) -> str:
    text = f" {template.format(who=rng.choice(_WORDS[lang]['who']), **values)} "
    for wrong, right in _CONTRACTIONS[lang]:
        text = text.replace(wrong, right)
    return text.strip()


# ---------------------------------------------------------------- the kinds of request
def _say_like(rng: random.Random, lang: str, kind: str) -> Pair:
    w = _WORDS[lang]
    pool = w["thoughts"] if kind == "think" else w["texts"]
    text = rng.choice(pool)
    prompt = _fill(rng, lang, rng.choice(w[kind]), text=_dictated(rng, text))
    block = f"think({q(text)})" if kind == "think" else rng.choice((f"say({q(text)})", f"say_for_secs({q(text)}, 2)"))
    check = {"check": "thinks", "text": text} if kind == "think" else {"check": "says", "text": text}
    if kind == "click":
        return Pair(f"lang_{lang}", prompt, program(script("when_this_sprite_clicked()", [block])), check, (),
                    ({"time": 0.3, "click": "Sprite1"},), "click")
    if kind == "key":
        body = [f"change_y_by({rng.choice((30, 50, 80))})", block]
        check = {"check": "all_of", "checks": [{"check": "moves", "direction": "up"}, check]}
        return Pair(f"lang_{lang}", prompt, program(script('when_key_pressed("space")', body)), check, (),
                    ({"time": 0.2, "key": "space"},), "key")
    return Pair(f"lang_{lang}", prompt, program(script("when_flag_clicked()", [block])), check, (), (), kind)


def _shape(rng: random.Random, lang: str) -> Pair:
    w = _WORDS[lang]
    sides = rng.choice(sorted(w["shapes"]))
    side, text = rng.choice((40, 50, 60, 70, 80, 90)), rng.choice(w["texts"])  # a hexagon of 90 still fits the stage
    prompt = _fill(rng, lang, rng.choice(w["shape"]), shape=w["shapes"][sides], side=side, text=_dictated(rng, text))
    turn = f"divide(360, {sides})" if 360 % sides else str(360 // sides)
    body = ["pen_down()"] + c_block(f"repeat({sides})", [f"move({side})", f"turn_right({turn})"]) + \
        ["pen_up()", f"say({q(text)})"]
    check = {"check": "all_of", "checks": [{"check": "regular_polygon", "sides": sides, "side": side},
                                           {"check": "says", "text": text}]}
    return Pair(f"lang_{lang}", prompt, program(script("when_flag_clicked()", body)), check, wording="shape")


def _count(rng: random.Random, lang: str) -> Pair:
    w = _WORDS[lang]
    n, text = rng.choice((3, 4, 5, 6, 8, 10)), rng.choice(w["texts"])
    prompt = _fill(rng, lang, rng.choice(w["count"]), n=n, text=_dictated(rng, text))
    body = ['set_variable("n", 0)'] + c_block(f"repeat({n})", ['change_variable("n", 1)',
                                                                'say_for_secs(variable("n"), 1)']) + [f"say({q(text)})"]
    check = {"check": "says_in_order", "texts": ["1", "2", str(n), text]}
    return Pair(f"lang_{lang}", prompt, program(script("when_flag_clicked()", body)), check, wording="count")


def _ask(rng: random.Random, lang: str) -> Pair:
    topic = rng.choice(("name", "age", "colour"))
    templates, question, before, after, answers = _WORDS[lang]["ask"][topic]
    if topic == "name" and rng.random() < 0.5:  # a greeting is not always the one word
        before, after = rng.choice(_GREETINGS[:4])[1][lang]  # the last one is no greeting
    prompt = _fill(rng, lang, rng.choice(templates))
    reply = f"join({q(before)}, join(answer(), {q(after)}))"
    body = [f"ask({q(question)})", rng.choice((f"say({reply})", f"say_for_secs({reply}, 2)"))]
    check = {"check": "all_of", "checks": [{"check": "asks"}, {"check": "says_answer"}]}
    return Pair(f"lang_{lang}", prompt, program(script("when_flag_clicked()", body)), check, (rng.choice(answers),),
                wording="ask")


def _named(rng: random.Random, lang: str) -> tuple[Pair, str, str]:
    """(pair, the language its texts are in, the request's language): an English request naming
    ``lang``, or a request in ``lang`` naming English."""
    if rng.random() < 0.7:
        meaning, texts = rng.choice(_MEANINGS)
        who = rng.choice(("the cat", "my sprite", "the dog", "my character"))
        prompt = rng.choice(_ENGLISH_NAMED).format(who=who, meaning=meaning, name=_SPOKEN_NAME[lang])
        text, said_in, asked_in = texts[lang], lang, "en"
    else:
        text, said_in, asked_in = rng.choice(_ENGLISH_TEXTS), "en", lang
        prompt = _fill(rng, lang, rng.choice(_WORDS[lang]["english"]), text=_dictated(rng, text))
    body = [rng.choice((f"say({q(text)})", f"say_for_secs({q(text)}, 2)"))]
    pair = Pair(f"lang_{lang}", prompt, program(script("when_flag_clicked()", body)), {"check": "says", "text": text},
                wording="named")
    return pair, said_in, asked_in


def _named_ask(rng: random.Random, lang: str) -> Pair:
    """An English request: ask the child's name, greet them by it, in ``lang``."""
    meaning, texts = rng.choice(_GREETINGS)
    before, after = texts[lang]
    greeting = rng.choice((meaning, f"'{meaning}'", f"\u201c{meaning}\u201d"))
    who = rng.choice(("the cat", "my sprite", "the dog", "my character"))
    prompt = rng.choice(_ENGLISH_NAMED_ASK).format(who=who, greeting=greeting, name=_SPOKEN_NAME[lang])
    reply = f"join({q(before)}, join(answer(), {q(after)}))"
    body = [f"ask({q(_WORDS[lang]['ask']['name'][1])})", rng.choice((f"say({reply})", f"say_for_secs({reply}, 2)"))]
    check = {"check": "all_of", "checks": [{"check": "asks"}, {"check": "says_answer"},
                                           {"check": "says", "text": before.strip("¡¿!?, ")}]}
    return Pair(f"lang_{lang}", prompt, program(script("when_flag_clicked()", body)), check,
                (rng.choice(_WORDS[lang]["ask"]["name"][4]),), wording="named_ask")


# Before issue 19's asking kinds (session 15): what the safety classifier's ordinary rows are drawn from.
OLD_KINDS = (("say", 3), ("click", 2), ("key", 2), ("think", 1), ("shape", 3), ("count", 2), ("ask", 3), ("named", 2),
             ("named_ask", 2)) + MORE_KINDS
# With the asking kinds (languages_ask), requests that ask are about a quarter of each language's pairs
# (they were an eighth: session 15's tuned model answered German "frag ..." with no ask block).
_KINDS = OLD_KINDS + ASK_KINDS
_MORE = frozenset(k for k, _ in MORE_KINDS)
_ASKING = frozenset(k for k, _ in ASK_KINDS)


def _deal(rng: random.Random, decks: dict[str, list[str]], lang: str,
          kinds: tuple[tuple[str, int], ...] = _KINDS) -> str:
    """The next kind of ``lang``'s deck (each kind its weight's times, shuffled; dealt again when empty)."""
    deck = decks.setdefault(lang, [])
    if not deck:
        deck.extend(k for k, w in kinds for _ in range(w))
        rng.shuffle(deck)
    return deck.pop()


def _make(rng: random.Random, lang: str, kind: str) -> tuple[Pair, str, str]:
    """(pair, the language of its texts, the language of its request)."""
    if kind == "named":
        return _named(rng, lang)
    if kind == "named_ask":
        return _named_ask(rng, lang), lang, "en"
    if kind in _MORE or kind in _ASKING:
        w = _WORDS[lang]
        ask = Ask(rng, lang, lambda template, **values: _fill(rng, lang, template, **values),
                  lambda text: _dictated(rng, text), w["texts"], w["thoughts"])
        return (make_ask(ask, kind) if kind in _ASKING else make_more(ask, kind)), lang, lang
    pair = _shape(rng, lang) if kind == "shape" else _count(rng, lang) if kind == "count" else \
        _ask(rng, lang) if kind == "ask" else _say_like(rng, lang, kind)
    return pair, lang, lang


def language_pairs(n: int, seed: int = 0, exclude_prompts: frozenset[str] = frozenset(),
                   stats: Stats | None = None, order: tuple[str, ...] = LANGUAGES,
                   kinds: tuple[tuple[str, int], ...] = _KINDS) -> list[Pair]:
    """``n`` distinct verified pairs, the languages taken in turn from ``order``, deterministic given ``seed``;
    each passes its check and speaks the language asked for, and its prompt resolves to that
    language (:func:`codehone.blocks.languages.target.target_language`). ``kinds``: (kind, weight)
    pairs the kinds are dealt from (:data:`OLD_KINDS` gives the pairs made before the asking kinds)."""
    stats = stats if stats is not None else Stats()
    rng = random.Random(f"codehone.blocks.synth.languages:{seed}")
    deck_rng = random.Random(f"codehone.blocks.synth.languages:decks:{seed}")
    decks: dict[str, list[str]] = {}
    out: list[Pair] = []
    seen: set[tuple[str, str]] = set()
    tries = 0
    while len(out) < n and tries < 50 * n + 100:
        tries += 1
        lang = order[len(out) % len(order)]
        pair, said_in, asked_in = _make(random.Random(rng.getrandbits(64)), lang, _deal(deck_rng, decks, lang, kinds))
        pair = Pair(pair.family, _typed(rng, asked_in, pair.prompt), pair.program, pair.check, pair.answers,
                    pair.events, pair.wording)
        if (pair.prompt, pair.program) in seen or pair.prompt in exclude_prompts:
            stats.duplicates += 1
            continue
        seen.add((pair.prompt, pair.program))
        stats.generated += 1
        v = verify(pair)
        reason = v.reason or _language_problem(pair, v.trace, said_in)
        if reason:
            stats.dropped[reason] = stats.dropped.get(reason, 0) + 1
            continue
        stats.round_trip += 1
        stats.kept += 1
        stats.by_family[pair.family] = stats.by_family.get(pair.family, 0) + 1
        out.append(pair)
    return out


def _language_problem(pair: Pair, trace: dict, said_in: str) -> str:
    """"" when the run speaks ``said_in`` and the request resolves to it, else the reason to drop."""
    if not check_language(trace, said_in, pair.answers).ok:
        return "language_said"
    if target_language(pair.prompt).language != said_in:
        return "language_target"
    return ""


def with_language_pairs(pairs: list[Pair], stats: Stats, n: int, seed: int = 0,
                        exclude_prompts: frozenset[str] = frozenset()) -> list[Pair]:
    """``pairs`` with ``n`` language pairs spread evenly through them (so they land in many rows)."""
    return interleave(pairs, language_pairs(n, seed, exclude_prompts, stats, TRAIN_ORDER))
