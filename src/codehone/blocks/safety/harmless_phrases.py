"""Phrases whose harm words say no harm, taken out of a request before it is judged (issue 19).

Children exaggerate: "my mom is gonna kill me if I don't clean my room", "esta semana me he matado a
estudiar", "ma mère va me tuer si je rentre en retard", "Mama bringt mich um, wenn ...", "minha mãe
vai me matar se eu tirar nota ruim", "I'm gonna murder my brother at Mario Kart". They say the
opposite of a harm: "a class game where everyone has an animal avatar and not their real name". And
some harm words are a costume, a toy, an animal or a science lesson: "fake blood with ketchup", "the
slimy guts of a pumpkin", "a pretend phone that rings", "the password is banana123" in the child's
own game, naked mole rats, "the blood circulating through the heart". The word rules of five
languages read these as violence, personal data or gore, and the classifier, which has seen "kill
me" mostly in unsafe rows, agrees: blind set 7 (session 17) refused 24 of its 150 safe requests, 7 of
them for a parent's "kill me if"; set 8 (session 18) showed the rest.

So the screen judges the request without these phrases (:func:`without_harmless_phrases`; the
rules in ``languages/screen.py``, the classifier through ``classifier.read``), and the request the
copilot answers stays the child's own. Each pattern is narrow on purpose: a person of the family or
school, the threat verb, and the condition that makes it a figure of speech ("if", "when", "lol");
"my dad will kill me if I tell" is a child's disclosure, not a joke, and stays in. What is left is
judged as any other request, so "my mom will kill me if I don't punch my little brother" is still
refused for the brother.

Patterns are written in plain lower-case ASCII and made tolerant of accents, ``ß`` and curly
apostrophes by :func:`_tolerant`, so one spelling matches "mère" and "mere", "fliesst" and "fließt".
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["HARMLESS_PHRASES", "without_harmless_phrases"]

# Who says "X will kill me" in jest: family and school.
_EN_WHO = (r"(?:mom|mum|mommy|mummy|mother|dad|daddy|father|parents|teacher|coach|grandma|granny|nana|grandpa|"
           r"sister|brother|sis|bro|aunt|auntie|uncle)")
_ES_WHO = r"(?:madre|mama|mami|padre|papa|papi|padres|profe|profesora?|maestra?|abuela|abuelo|hermana|hermano|tia|tio)"
_FR_WHO = r"(?:mere|maman|pere|papa|parents|prof|maitresse|maitre|soeur|frere|mamie|papi|tata|tonton)"
_DE_WHO = r"(?:mama|mutter|papa|vater|eltern|oma|opa|lehrer|lehrerin|schwester|bruder|tante|onkel)"
_PT_WHO = r"(?:mae|mamae|pai|papai|pais|professora?|vo|vovo|avo|irma|irmao|tia|tio)"
# Between the person and the verb, only what makes a future or a manner ("is gonna", "will literally"):
# "my brother wants to kill me" is not a figure of speech.
_EN_WILL = r"(?: (?:is|are|s|'s|will|would|'ll|ll|gonna|going|to|literally|totally|actually|probably|might|so)){0,4}"
# A disclosure, not a joke: "... kill me if I tell", "si lo cuento", "wenn ich es sage".
_TELLING = (r"(?!\W*(?:if|when|si|quand|wenn|falls|se|quando) (?:i |u |you |yo |je |j |ich |eu )?"
            r"(?:\w+ ){0,2}(?:tell|say|told|cuento|digo|dis|raconte|sage|erzahl\w*|conto|falo|contar))")
# A code or password in the five languages, where one given its value is set, not asked for.
_CODE_WORDS = r"(?:password|passcode|pin|code|senha|clave|contrasena|passwort|codigo|mot de passe)"
# Tasks that "kill" a child in every language's schoolyard.
_EN_CHORES = r"(?:homework|math|maths|test|exam|school|level|game|boss|wait|waiting|puzzle|heat|week|practice)"

HARMLESS_PHRASES: dict[str, tuple[str, ...]] = {
    # A parent's or teacher's "kill me if", and a chore that is "killing me".
    "exaggeration": (
        rf"\b{_EN_WHO}\b{_EN_WILL} (?:kill|kills|murder|murders) (?:me|us)\b{_TELLING}"
        r"(?=\W*(?:if|when|cuz|cause|because|lol|lmao|xd|haha)\b)",
        rf"\b{_EN_CHORES}\b(?: \w+){{0,2}}? (?:is|are|was|'s|s) (?:literally |so |really |actually )?killing (?:me|us)\b",
        rf"\b{_ES_WHO}\b(?: \w+){{0,2}}? (?:me |nos )?(?:va|van|iba|ira) a matar(?:me|nos)?\b{_TELLING}"
        r"(?=\W*(?:si|cuando|por|como|jaja|xd)\b)",
        r"\b(?:me|nos) (?:he|hemos|estoy|estamos|e) (?:matado|matando) a (?:estudiar|trabajar|entrenar|hacer|repasar|leer)\b",
        r"\b(?:deberes|tareas?|examen|mates|calor|entrenamiento)\b(?: \w+){0,2}? me (?:esta|estan) matando\b",
        rf"\b{_FR_WHO}\b(?: \w+){{0,2}}? (?:va|vont|allait) me tuer\b{_TELLING}(?=\W*(?:si|quand|parce|car|mdr|ptdr|xd)\b)",
        r"\b(?:devoirs?|maths|controle|exam|examen|chaleur)\b(?: \w+){0,2}? (?:me tuent|me tue|vont me tuer)\b",
        rf"\b{_DE_WHO}\b(?: \w+){{0,2}}? (?:bringt|bringen|wird|werden|killt) mich(?: \w+){{0,2}}? (?:um|umbringen)?\b"
        rf"{_TELLING}(?=\W*(?:wenn|falls|weil|xd|lol)\b)",
        r"\b(?:mathe|hausaufgaben|test|arbeit|hitze|warten)\b(?: \w+){0,2}? (?:bringt|bringen|killt|killen) mich(?: noch)? um\b",
        rf"\b{_PT_WHO}\b(?: \w+){{0,2}}? (?:vai|vao|ia) me matar\b{_TELLING}(?=\W*(?:se|quando|porque|kkk\w*)\b)",
        r"\b(?:prova|licao|dever|tarefa|calor|matematica|treino)\b(?: \w+){0,2}? (?:ta|esta|tao|estao) me matando\b",
        # set 10 (session 20): a chore that "killed me", and "I'll die if there is one more test"
        rf"\b{_EN_CHORES}\b(?: \w+){{0,2}}? (?:literally |so |really |totally |actually )?killed (?:me|us)\b",
        r"\b(?:i ?ll|i will|im gonna|i am going to|gonna) die if\b(?: \w+){0,4}? (?:test|exam|homework|maths?|spelling)\b",
        r"\b(?:me muero|me voy a morir|me morire) si\b(?: \w+){0,4}? (?:examen|control|deberes|tareas?|mates)\b",
        r"\b(?:je vais mourir|jvais mourir|je meurs) si\b(?: \w+){0,4}? (?:controle|exam|examen|devoirs?|maths|dictee)\b",
        r"\bich sterbe,? wenn\b(?: \w+){0,4}? (?:test|arbeit|hausaufgaben|mathe|diktat)\b",
        r"\b(?:vou morrer|eu vou morrer|vo morrer) se\b(?: \w+){0,4}? (?:prova|provas|licao|dever|tarefa|teste|matematica)\b",
    ),
    # Set 8's false refusals (session 18): trash talk about a game, a record smashed, dying of
    # laughter or of missing someone, and a game's boss that should die.
    "play_talk": (
        r"\b(?:murder|kill|destroy|crush|smash|wreck|obliterate)\w* (?:my |your |his |her |their |the |u |you |him |them )?"
        r"(?:\w+ )?(?:at|in) (?:mario ?kart|minecraft|fortnite|roblox|chess|uno|fifa|smash bros|among us|tetris|"
        r"checkers|monopoly|cards|video ?games?|the game|this game|football|soccer|basketball|ping ?pong|dodgeball)\b",
        r"\b(?:smash|crush|break|beat|destroy)\w* (?:my|your|his|her|the) (?:high ?score|record|best time)\b",
        r"\bexploser (?:mon|ton|son|le|notre|leur) (?:record|score|meilleur score)\b",
        r"\b(?:romper|reventar|machacar) (?:mi|tu|su|el) (?:record|marca)\b", r"\b(?:rekord|highscore) (?:knacken|brechen|zerstoren)\b",
        r"\b(?:quebrar|detonar|bater) (?:o |meu |seu )?(?:recorde|record)\b",
        r"\b(?:dying|died|dead) (?:of|from) (?:laughter|laughing|boredom|hunger|embarrassment)\b",
        r"\b(?:muriendo|muero|muerta?|morir) de (?:risa|hambre|ganas|sueno|aburrimiento|calor|frio|verguenza|pena)\b",
        r"\b(?:morrendo|morro|morta?|morrer) de (?:rir|saudades?|fome|vontade|sono|tedio|calor|frio|vergonha)\b",
        r"\b(?:sterbe|sterben|gestorben) (?:vor|aus) (?:lachen|hunger|langeweile|scham)\b",
        r"\b(?:final |big |last |the |a )?(?:boss|monster|enemy|enemies|villain|bad guy|dragon|zombie|alien|robot|ghost)s? "
        r"(?:should|must|will|has to|needs to|can|shall) (?:die|explode|blow up)\b",
    ),
    # A code the child sets in the game ("the password is banana123", "el pin es 0000", "die PIN ist
    # 1234") asks nobody for theirs; "my password is ..." and "what is your password" stay in.
    "codes_set": (
        r"(?<!\bmy )(?<!\byour )(?<!\bmi )(?<!\btu )(?<!\bsu )(?<!\bmein )(?<!\bmeine )(?<!\bdein )(?<!\bmon )(?<!\bton )"
        r"(?<!\bma )(?<!\bmeu )(?<!\bminha )(?<!\bseu )(?<!\bsua )"
        r"\b(?:(?:the|el|la|die|der|das|le|o|a) )?(?:password|passcode|pin|code|secret code|contrasena|clave|passwort|kennwort|"
        r"geheimcode|mot de passe|code secret|senha|codigo) (?:is|es|ist|est|e|eh|era|war|=|:) ['\"]?\w+\b",
        # set 10 (session 20): a game, club or base that needs a password is a feature the child builds
        # ("my spy game needs a secret password to get into the base, make it custard"), and a pretend
        # till "with the pin 2580" sets one; "get his password" and "her pin" stay in.
        r"\b(?:game|club|base|fort|den|door|safe|level|spiel|geheimclub|bande|juego|jeu|cabane|jogo|clube)\b"
        r"(?: \w+){0,3}? (?:needs?|braucht|necesita|a besoin d'?|precisa(?: de)?) (?:a |an |ein |eine |un |une |uma |um )?"
        r"(?:secret |geheimes? |secreta? |secreto )?(?:password|passcode|code|pin|passwort|kennwort|geheimcode|"
        r"contrasena|clave|mot de passe|code secret|senha|codigo)\b",
        r"\b(?:with|con|mit|avec|com) (?:the |a |el |la |un |der |die |einem? |le |o )?(?:pin|code|codigo|passcode|"
        r"senha|clave|passwort) \d{3,8}\b",
        # set 11 (session 21): a code given its value is being set, whatever comes between: "tem senha
        # 4455", "a secret door code, make it 7394", "le mot de passe de ma cabane c'est saucisson" (a
        # lock of the game named); "what is her pin" and "get his password" give no value.
        rf"\b(?:door code|{_CODE_WORDS}) \d{{3,8}}\b",
        rf"\b{_CODE_WORDS}\b(?:\W+\w+){{0,2}}?\W+(?:make it|set it to|it should be|ponle|pon|mets|mach es|coloca|poe) "
        r"\d{3,8}\b",
        r"\b(?:password|passcode|code|senha|clave|contrasena|passwort|codigo|mot de passe) (?:of|for|de|du|von|vom|do|da|para) "
        r"(?:the |my |our |ma |mon |notre |la |le |mi |el |mein\w* |unser\w* |der |die |minha |meu |o |a )?"
        r"(?:door|gate|hut|treehouse|den|fort|base|club|chest|safe|castle|level|porte|cabane|coffre|chateau|niveau|"
        r"puerta|casita|cofre|castillo|nivel|tur|baumhaus|bude|truhe|tresor|burg|porta|cabana|casinha|bau|castelo)\b"
        r"(?: \w+)? (?:is|es|est|c'est|c|ist|e|eh|era) ['\"]?\w+\b",
    ),
    # Where a character of the story lives (set 9, session 19: a detective game where "you find the
    # thief's address in the imaginary town"): nobody's real address is asked for.
    "fiction_addresses": (
        r"\b(?:address|hideout|adresse|direccion|endereco|anschrift)(?: (?:of|du|de la|de l'|de|del|des|"
        r"do|da|dos|von|vom))? (?:the |le |la |l'|el |o |a |der |dem |den )?(?:thief|robber|burglar|villain|bad guy|"
        r"suspect|monster|dragon|pirate|witch|ghost|santa|voleur|mechant|cambrioleur|ladron|villano|sospechoso|"
        r"dieb\w*|rauber\w*|bosewicht\w*|verdachtige\w*|ladrao|vilao|suspeito|bandido)\b",
        # set 11 (session 21): Father Christmas lives at the North Pole
        r"\b(?:address|adresse|direccion|endereco|anschrift)\b(?:\W+\w+){0,4}?\W+(?:the )?(?:north pole|pole nord|polo norte|"
        r"nordpol)\b",
    ),
    # A pillow or snowball fight "hits" the other team (set 10, session 20); a fight without the soft
    # thing ("hit someone from the other team") is still read.
    "soft_fights": (
        r"\b(?:pillow|snowball|water balloon|foam|nerf|cushion|pie|custard pie|feather)[ -]?fights?\b(?:\W+\w+){0,12}?\W+"
        r"(?P<harm>hits?|hitting) (?:someone|somebody|anyone|people|them|each other)\b",
    ),
    # A crush is a liking, not a crushing (set 11, session 21): "i have a crush on a boy in my class".
    "crushes": (r"\b(?:a |my |big |huge )?crush on\b", r"\bmy crush\b"),
    # Laughing "to death" and the scrapes and wobbly teeth of every childhood (set 11, session 21):
    # "i almost passed out laughing", "casi me mato jaja" after a fall, "je me suis ecorche le genou",
    # "mi diente de leche me sangro un poquito". A fall or a laugh is said beside them; "i almost killed
    # myself" alone is left to be judged.
    "laughs_and_scrapes": (
        r"\b(?:died|dying|die|dead|passed out|pass out|peed|pee|cried) (?:from |of |with )?laugh(?:ing|ter)\b",
        r"\b(?:fell|fall|caido|cai|caida|tombe|tombee|gefallen|hingefallen|caiu)\b(?:\W+\w+){0,6}?\W+"
        r"(?:casi|quase|almost|nearly|failli|fast|beinahe) (?:me mato|me muero|morri|me matei|died|mourir|gestorben)\b",
        r"\b(?:casi|quase) (?:me mato|me muero|morri|me matei)\b(?=\W+(?:jaja\w*|jeje\w*|xd|kkk\w*|rs|lol)\b)",
        r"\b(?:scraped|grazed|skinned) (?:my |his |her )?(?:knees?|elbows?)\b",
        r"\b(?:ecorche|ecorchee|egratigne|egratignee) (?:le |les |mon |ma )?(?:genou|genoux|coude|coudes)\b",
        r"\b(?:raspado|raspe|pelado) (?:la |las |el |los |mi )?(?:rodillas?|codos?)\b",
        r"\b(?:ralei|ralado|esfolei|esfolado) (?:o |os |meu )?(?:joelhos?|cotovelos?)\b",
        r"\b(?:knie|ellenbogen) (?:aufgeschuerft|aufgeschlagen)\b",
        r"\b(?:baby tooth|loose tooth|wobbly tooth|diente de leche|dent de lait|milchzahn|wackelzahn|dente de leite|"
        r"dente mole)\b(?:\W+\w+){0,6}?\W+(?P<harm>sangr\w*|saign\w*|blut\w*|bled|bleed\w*)\b",
    ),
    # Animals whose names are harm words.
    "animals": (r"\bnaked mole[ -]?rats?\b", r"\bnacktschneck\w*", r"\bnudibranch\w*"),
    # A harm said not to be wanted: "not their real name", "nada de nombres de verdad".
    "negated": (
        r"\b(?:not|no|never|without|instead of)(?: \w+){0,2}? real names?\b",
        r"\b(?:nada de|sin|no|nunca)(?: \w+){0,2}? nombres? (?:de verdad|reales?|verdaderos?)\b",
        r"\b(?:pas de|pas|sans|jamais)(?: \w+){0,2}? (?:vrais? noms?|noms? (?:reels?|veritables?))\b",
        r"\b(?:nicht|kein|keine|keinen|ohne|statt)(?: \w+){0,2}? (?:echten?|richtigen?) namen?\b",
        r"\b(?:nada de|sem|nao|nunca)(?: \w+){0,2}? nomes? (?:de verdade|reais|verdadeiros?)\b",
    ),
    # A phone that is a toy or rings in a story is no phone number asked for ("make a pretend phone
    # that rings"); "ask for their name and phone" is still read.
    "toy_phones": (
        r"\b(?:toy|pretend|fake|play|cartoon|magic|robot|banana|old|ringing|spy|walkie|cardboard|paper) "
        r"(?:tele)?(?:phones?|credit cards?|bank cards?|money)\b",
        r"\b(?:the |a |my |his |her |its )?(?:tele)?phones? (?:rings?|ringing|rang|buzz\w*|booth|app|game|screen|battery)\b",
        # and in the four other languages, where the toy word comes after: "un movil de mentira"
        r"\b(?:movil|telefono|celular|whatsapp|tarjeta(?: de credito)?|dinero|billetes?|telephone|portable|carte(?: bancaire)?|"
        r"argent|billets?|handy|telefon|karte|geld|telefone|cartao(?: de credito)?|dinheiro)(?: \w+){0,2}? "
        r"(?:de mentira|de broma|de juguete|de carton|de papel|falso|falsa|de mentirinha|de brinquedo|de papelao|"
        r"pour de faux|pour de rire|en carton|en papier|jouet|aus pappe|aus papier|zum spielen)\b",
        r"\b(?:faux|fausse|spielzeug|spielgeld|spiel)(?:-| )?(?:telephone|portable|carte|argent|handy|telefon|karte|geld)\w*\b",
        # set 10 (session 20): made-up addresses for a delivery game ("pretend addresses like 12 pepperoni lane")
        r"\b(?:pretend|fake|made[- ]up|imaginary|silly|funny|pizza|toy) (?:street )?address(?:es)?\b",
        # set 11 (session 21): and in the four other languages, the made-up word after the address
        # ("enderecos inventados", "direcciones de mentira") or before it ("erfundene Adressen")
        r"\b(?:direccion(?:es)?|adresses?|enderecos?|adressen) (?:inventad[oa]s?|de mentira|de mentirinha|fictici[oa]s?|"
        r"falsa?s?|falsos|inventees?|imaginaires?|fictives?|pour de faux|imaginari[oa]s?)\b",
        r"\b(?:erfundene?n?|ausgedachte?n?|fausses?|fictives?) (?:adressen?|adresses?)\b",
    ),
    # Another language's word that spells an English slur: French "en retard" is late.
    "false_friends": (r"\b(?:en|du|de|trop de) retard\b",),
    # Costume blood, pumpkin insides and the body as a science lesson.
    "costume_and_science": (
        r"\b(?:fake|pretend|ketchup) blood\b", r"\bsangre (?:falsa|de mentira|de ketchup)\b",
        r"\bfaux sang\b", r"\bkunstblut\b", r"\bsangue (?:falso|de mentira|de ketchup)\b",
        r"\bpumpkins?\b(?: \w+){0,8}? (?P<harm>guts|insides)\b", r"\b(?:guts|insides) of (?:a |the )?pumpkins?\b",
        # circulating, cells, vessels: a lesson's words ("blood flows", "das Blut fließt" are a gory game's too)
        r"\b(?:blood|sangre|sang|blut|sangue) (?:circulat\w*|circula\w*|cells?|vessels?|celulas?|cellules?|vaisseaux|"
        r"vasos?|zellen)\b",
        r"\b(?:circulation|circulacion|circulacao) (?:of the |de la |du |do |da )?(?:blood|sangre|sang|sangue)\b",
        r"\bblutkreislauf\b",
        r"\bblood (?:going|goes|flowing|flows|pumping|pumped|travel\w*) (?:round|around|through) (?:the |your |our )?body\b",
    ),
}

_ACCENTS = {"a": "aáàâãä", "e": "eéèêë", "i": "iíìîï", "o": "oóòôõö", "u": "uúùûü", "c": "cç", "n": "nñ"}


def _tolerant(pattern: str) -> str:
    """``pattern`` with each plain letter outside escapes and classes widened to its accented forms,
    ``ss`` to ``ß`` too, and ``'`` to the curly apostrophe ("mere" matches "mère", "fliesst" "fließt")."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":  # an escape (\b, \w, \W) stays as written
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if pattern.startswith("(?", i):  # a group's flag ((?:, (?=, (?!, (?<!, (?P<name>) stays as written
            flag = re.match(r"\(\?(?:<[=!]|[:=!]|P<\w+>)", pattern[i:]).group(0)
            out.append(flag)
            i += len(flag)
            continue
        if in_class or ch in "[]":
            in_class = (in_class or ch == "[") and ch != "]"
            out.append(ch)
        elif pattern.startswith("ss", i):
            out.append("(?:ss|ß)")
            i += 1
        elif ch == "'":
            out.append("['’]")
        elif ch in _ACCENTS:
            out.append(f"[{_ACCENTS[ch]}]")
        else:
            out.append(ch)
        i += 1
    return "".join(out)


@lru_cache(maxsize=1)
def _compiled() -> tuple[re.Pattern, ...]:
    return tuple(re.compile(_tolerant(p), re.IGNORECASE) for group in HARMLESS_PHRASES.values() for p in group)


def _blank(match: re.Match) -> str:
    """The match taken out, or only its ``harm`` group where it names one ("the pumpkin's guts": the
    pumpkin stays)."""
    if "harm" not in match.re.groupindex:
        return " "
    start, end = match.span("harm")
    return match.group(0)[: start - match.start()] + " " + match.group(0)[end - match.start() :]


def without_harmless_phrases(text: str) -> str:
    """``text`` with its figures of speech, negated asks and costume or science harm words taken out
    (see the module docstring); ``text`` itself when nothing is found or nothing would be left."""
    judged, found = text, 0
    for pattern in _compiled():
        judged, n = pattern.subn(_blank, judged)
        found += n
    if not found or not re.search(r"\w", judged):
        return text
    return re.sub(r"\s{2,}", " ", judged).strip()
