"""What the es/fr/de/pt safety rules (:mod:`codehone.blocks.languages.harms`) match, one module a
language (``LEX``: category -> entries), and the words they share.

Each entry is a regular expression over a sentence's folded words joined by single spaces; a
verb is a stem plus the language's endings (:mod:`.endings`). Entries of a list are tried as one
alternation, whole words.
"""

from __future__ import annotations

from codehone.blocks.languages.harm_lexicon import de, es, fr, pt

LEX: dict[str, dict[str, tuple[str, ...]]] = {"es": es.LEX, "fr": fr.LEX, "de": de.LEX, "pt": pt.LEX}

# Words each language shares with English (or that are common English words): set aside when the
# request is in English, so "the bird sang", "a gift for mom" and "die" keep the English verdict.
ENGLISH_LOOKALIKES = frozenset("""
sang gift die das den man mann kind arm also hell bald fast mist rat tape nu nus pin real roma gore
trans gay gays os pack raus bat bats batter bate mate mates mat matar tu ti el a o as no na nos em me
pile sale sales fore fora tire tires tire pose mord gut so bite cons vers tete ma
""".split())

# Villains of games and films children name as the opponent ("mata a Bowser").
_VILLAINS = r"bowser|goombas?|creepers?|endermans?|enderman|herobrine|thanos|joker|voldemort|vader|ganon|eggman|koopas?"

PLAY: dict[str, str] = {
    "es": _VILLAINS + r"|dragon(?:es)?|monstruos?|zombis?|zombies?|fantasmas?|aliens?|extraterrestres?|robots?|asteroides?|"
          r"estrellas?|meteoritos?|malos|villanos?|enemigos?|goblins?|trolls?|piratas?|ninjas?|bichos?|globos?|"
          r"burbujas?|blancos?|dianas?|bloques?|ladrillos?|muros?|paredes?|castillos?|naves?|ovnis?|jefes?|"
          r"dinosaurios?|esqueletos?|vampiros?|brujas?|magos?|caballeros?|osos?|tiburones?|pelotas?|balones?|"
          r"calabazas?|momias?|orcos?|slimes?|bolas?|piedras?|caramelos?|golosinas?|chuches",
    "fr": _VILLAINS + r"|dragons?|monstres?|zombies?|fantomes?|aliens?|extraterrestres?|robots?|asteroides?|etoiles?|"
          r"meteorites?|mechants?|mechant|ennemis?|gobelins?|trolls?|pirates?|ninjas?|insectes?|ballons?|bulles?|"
          r"cibles?|blocs?|briques?|murs?|chateaux?|chateau|vaisseaux?|ovnis?|boss|dinosaures?|squelettes?|"
          r"vampires?|sorcieres?|chevaliers?|ours|requins?|citrouilles?|momies?|balles?",
    "de": _VILLAINS + r"|drachen|monster|zombies?|gespenster|gespenst|geister?|aliens?|ausserirdischen?|roboter|asteroiden?|"
          r"sterne?|sternen|meteoriten?|bosewichte?|bosewicht|feinde?|gegner|kobolde?|trolle?|piraten|ninjas?|"
          r"kafer|ballons?|luftballons?|blasen|ziele?|zielscheiben?|blocke?|steine?|mauern?|wande?|burg|burgen|"
          r"raumschiffe?|ufos?|dinosaurier|skelette?|vampire?|hexen?|ritter|baren?|haie?|kurbisse?|mumien?|balle?",
    "pt": _VILLAINS + r"|dragao|dragoes|monstros?|zumbis?|fantasmas?|aliens?|alienigenas?|extraterrestres?|robos?|asteroides?|"
          r"estrelas?|meteoros?|viloes|vilao|inimigos?|goblins?|trolls?|piratas?|ninjas?|insetos?|baloes|balao|"
          r"bolhas?|alvos?|blocos?|tijolos?|muros?|paredes?|castelos?|naves?|ovnis?|chefoes|chefao|dinossauros?|"
          r"esqueletos?|vampiros?|bruxas?|magos?|cavaleiros?|ursos?|tubaroes|tubarao|aboboras?|mumias?|bolas?|bola",
}

CLAUSE_ENDS = {"es": "y pero porque cuando luego despues si o entonces que", "fr": "et mais parce quand puis apres si ou alors qui que",
                "de": "und aber weil wenn dann danach oder als dass", "pt": "e mas porque quando depois se ou entao que"}
