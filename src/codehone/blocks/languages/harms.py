"""The clearest unsafe requests in Spanish, French, German and Portuguese, so opening the copilot
to those languages does not open a way around the safety layer (whose lexicons are English,
:mod:`codehone.blocks.safety.rules`).

Deliberately narrow, written from each category's general vocabulary (there is no held-out set
in these languages yet, so no figure is claimed): self-harm and sexual words on their own; hurting
a *person* (a rough verb with a person word in the same request: "mata a su hermano", never "mata
al dragón", which is a cartoon battle); making or getting real weapons; asking for personal data
(address, phone number, password). Words are folded like the detector's (lower case, no accents),
and a phrase matches as consecutive words.

Each refusal is written in its language, short and kind, like the English ones.
"""

from __future__ import annotations

from codehone.blocks.languages.detect import words_of

__all__ = ["MESSAGES", "find_harm"]

_LEXICON: dict[str, dict[str, tuple[str, ...]]] = {
    "es": {
        "self_harm": ("quiero morir", "me quiero morir", "matarme", "suicidarme", "suicidio", "hacerme dano",
                      "cortarme las venas", "quitarme la vida"),
        "sexual": ("desnudo", "desnuda", "desnudos", "desnudas", "sexo", "sexy", "porno", "sin ropa"),
        "personal_data": ("tu direccion", "su direccion", "direccion de casa", "numero de telefono", "contrasena",
                          "donde vives", "tarjeta de credito"),
        "weapons": ("hacer una bomba", "fabricar una bomba", "pistola de verdad", "arma de verdad", "armas de verdad",
                    "comprar una pistola", "hacer un arma", "veneno para"),
        "rough": ("matar", "mata", "matando", "mato", "maten", "pegarle", "pegale", "golpear", "golpea",
                  "apunalar", "apunala", "lastimar", "lastima", "herir", "disparar a", "dispara a"),
        "people": ("gente", "personas", "persona", "nino", "nina", "ninos", "ninas", "hermano", "hermana", "mama",
                   "papa", "madre", "padre", "profesor", "profesora", "maestro", "maestra", "amigo", "amiga",
                   "companero", "companera", "vecino", "vecina", "abuelo", "abuela", "alguien", "bebe"),
    },
    "fr": {
        "self_harm": ("je veux mourir", "me tuer", "me suicider", "suicide", "me faire du mal", "me couper les veines"),
        "sexual": ("nu", "nue", "nus", "nues", "sexe", "sexy", "porno", "sans vetements", "toute nue"),
        "personal_data": ("ton adresse", "son adresse", "leur adresse", "adresse de", "numero de telephone",
                          "mot de passe", "ou tu habites", "carte bancaire"),
        "weapons": ("fabriquer une bombe", "faire une bombe", "vrai pistolet", "vraie arme", "vraies armes",
                    "acheter un pistolet", "fabriquer une arme", "poison pour"),
        "rough": ("tuer", "tue", "tuent", "frapper", "frappe", "poignarder", "poignarde", "blesser", "blesse",
                  "tirer sur", "tire sur", "taper", "tape"),
        "people": ("gens", "personnes", "personne", "enfant", "enfants", "frere", "soeur", "maman", "papa", "mere",
                   "pere", "prof", "professeur", "maitresse", "copain", "copine", "ami", "amie", "voisin", "voisine",
                   "papi", "mamie", "quelqu'un", "bebe"),
    },
    "de": {
        "self_harm": ("ich will sterben", "mich umbringen", "mich toten", "selbstmord", "mir wehtun", "mich ritzen"),
        "sexual": ("nackt", "nackte", "nackten", "sex", "sexy", "porno", "ohne kleidung"),
        "personal_data": ("deine adresse", "seine adresse", "ihre adresse", "telefonnummer", "handynummer", "passwort",
                          "wo du wohnst", "kreditkarte"),
        "weapons": ("bombe bauen", "bombe basteln", "echte pistole", "echte waffe", "echte waffen", "pistole kaufen",
                    "waffe bauen", "gift fur"),
        "rough": ("toten", "totet", "umbringen", "schlagen", "schlagt", "schlag", "erstechen",
                  "ersticht", "verletzen", "verletzt", "erschiessen", "erschiesst", "schiessen auf", "schiesst auf",
                  "verprugeln", "verprugelt"),
        "people": ("menschen", "leute", "person", "personen", "kind", "kinder", "bruder", "schwester", "mama", "papa",
                   "mutter", "vater", "lehrer", "lehrerin", "freund", "freundin", "nachbar", "nachbarin", "oma", "opa",
                   "jemand", "jemanden", "baby"),
    },
    "pt": {
        "self_harm": ("quero morrer", "me matar", "me suicidar", "suicidio", "me machucar", "cortar os pulsos",
                      "tirar minha vida"),
        "sexual": ("pelado", "pelada", "pelados", "nu", "nua", "nus", "sexo", "sexy", "porno", "sem roupa"),
        "personal_data": ("seu endereco", "teu endereco", "endereco de", "numero de telefone", "numero do celular",
                          "senha", "onde voce mora", "cartao de credito"),
        "weapons": ("fazer uma bomba", "fabricar uma bomba", "arma de verdade", "armas de verdade", "revolver de verdade",
                    "comprar uma arma", "fazer uma arma", "veneno para"),
        "rough": ("matar", "mata", "matando", "bater", "bate", "batendo", "esfaquear", "esfaqueia", "machucar",
                  "machuca", "ferir", "atirar em", "atira em", "espancar"),
        "people": ("gente", "pessoas", "pessoa", "crianca", "criancas", "menino", "menina", "irmao", "irma", "mae",
                   "pai", "mamae", "papai", "professor", "professora", "amigo", "amiga", "colega", "vizinho",
                   "vizinha", "avo", "alguem", "bebe"),
    },
}

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
_ORDER = ("self_harm", "sexual", "personal_data", "weapons")


def _has(words: list[str], phrase: str) -> bool:
    toks = phrase.split()
    return any(words[i : i + len(toks)] == toks for i in range(len(words) - len(toks) + 1))


def find_harm(text: str) -> tuple[str, str, str] | None:
    """(category, language, term) of the first unsafe request found in ``text``, or None."""
    words = words_of(text)
    for lang, lexicon in _LEXICON.items():
        for category in _ORDER:
            for term in lexicon[category]:
                if _has(words, term):
                    return category, lang, term
        rough = [t for t in lexicon["rough"] if _has(words, t)]
        people = [t for t in lexicon["people"] if _has(words, t)]
        if rough and people:
            return "violence", lang, f"{rough[0]} ... {people[0]}"
    return None
