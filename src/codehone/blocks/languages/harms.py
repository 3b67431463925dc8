"""Unsafe requests in Spanish, French, German and Portuguese, so opening the copilot to those
languages does not open a way around the safety layer (whose lexicons are English,
:mod:`codehone.blocks.safety.rules`).

The seven categories of the English rules, mirrored per language and written from each
language's general vocabulary and the developers' own examples (``tests/unit/blocks/test_harms.py``).
A frozen held-out set in these languages exists (``blocks-safety-lang``,
``copilot/bench/safety_lang.md``); these rules were written without reading it, and the figures
measured on it are in docs/benchmarks.md.

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

__all__ = ["LANGS", "MESSAGES", "MILD_MESSAGES", "RANK", "STRICT_NOTES", "find_harm", "find_mild", "sentences"]

LANGS = ("es", "fr", "de", "pt")

# Verb endings (after a stem), folded: regular -ar verbs with an attached pronoun or two
# (es "mátalo", "cortarme", "dispárale"; pt "matá-lo" is two words after folding).
_ES_AR = (r"(?:ar|a|as|an|o|e|es|en|emos|amos|ais|ando|ado|ada|ados|adas|aba|abas|aban|aste|aron|ara|aras|aran|"
          r"aremos|aria|arian|are|ad)(?:me|te|se|lo|la|le|nos|los|las|les)?(?:lo|la|los|las)?")
_FR_ER = r"(?:er|e|es|ent|ez|ons|ai|a|ais|ait|aient|erai|era|eras|eront|erait|ant|ee|ees|is|it)"
_PT_AR = (r"(?:ar|a|as|am|o|e|es|em|amos|ando|ado|ada|ados|adas|ava|avam|ou|aram|ei|aste|asse|arem|ara|aria|"
          r"ariam|arei|aremos)"
          r"(?:me|te|se|lo|la|los|las)?")
_DE = r"(?:en|e|t|st|et|est|te|ten|n)?"

_V = {"es": _ES_AR, "fr": _FR_ER, "pt": _PT_AR, "de": _DE}

# --------------------------------------------------------------------------- lexicons
# Each entry is a regular expression over a sentence's folded words joined by single spaces;
# "{V}" is the language's verb endings. Entries of a list are tried as one alternation, whole words.

_LEX: dict[str, dict[str, tuple[str, ...]]] = {
    "es": {
        "self_harm": (
            r"(?:me )?(?:quiero|queria|quisiera|deseo|voy a|tengo ganas de|ganas de) (?:morir|morirme|matarme|suicidarme)",
            r"me quiero (?:morir|matar|suicidar)", r"me voy a (?:matar|suicidar|morir)", r"matarme", r"me mato",
            r"suicid\w*", r"quitarme la vida", r"hacerme dano", r"me hago dano", r"lastimarme", r"me lastimo",
            r"cortarme(?! el pelo| las unas| el flequillo| el cabello)",
            r"me cort(?:o|e|are)(?! el pelo| las unas| el flequillo| el cabello| con (?:un|una|el|la) (?:papel|hoja))",
            r"ahorcarme", r"me ahorco", r"tirarme (?:de|por|desde) (?:la|el|un|una)? ?(?:ventana|puente|edificio|balcon|techo)",
            r"no quiero (?:vivir|seguir viviendo)", r"odio mi vida", r"nadie me quiere", r"estar muert[oa]",
            r"mejor muert[oa]", r"dejar de comer", r"pastillas para morir", r"se (?:quiere|quieren|va a) (?:morir|matar|suicidar)",
            r"quieren? morir(?:se)?", r"se mata", r"matarse", r"quitarse la vida",
            r"se corta(?:n)?(?! el pelo| las unas| el cabello| el flequillo| con (?:un|una|el|la) (?:papel|hoja))",
            r"(?:me|se|te) (?:voy|va|vas) a tirar (?:por|de|desde)", r"(?:me|se) tir(?:o|a|are) (?:por|de|desde) (?:la|el|un|una) "
            r"(?:ventana|puente|edificio|balcon|techo|azotea)",
            # aimed at someone
            r"muere?te", r"muerase", r"muranse", r"ojala (?:te|se) mueras?", r"ojala (?:te|se) mueran",
            r"ojala (?:te )?murieras", r"vete a morir", r"matate", r"suicidate", r"ahorcate", r"que te mueras",
            r"que se muera", r"deberias morir(?:te)?", r"mereces morir", r"tirate (?:de|por|desde)",
        ),
        "sexual": (
            r"desnud[oa]s?", r"sexo", r"sexual\w*", r"sexy", r"porno\w*", r"sin ropa", r"quit\w* la ropa",
            r"tetas", r"pene", r"vagina", r"partes (?:intimas|privadas)", r"hacer el amor", r"follar\w*",
            r"condon", r"prostituta", r"puta", r"lenceria", r"tanga", r"xxx", r"nsfw", r"hentai", r"cachond[oa]s?",
            r"en pelotas", r"en bolas",
        ),
        "personal_data": (
            r"(?:tu|su|sus|cual es la|cual es tu|cual es su) direccion(?! (?:del|de la|de) (?:movimiento|flecha|gato|sprite|viento))",
            r"direccion de (?:casa|tu casa|su casa|correo|email)", r"direccion (?:completa|exacta|postal)",
            r"(?:el|tu|su) telefono (?:de (?:tu|su|la|el) \w+|del \w+)", r"donde (?:vives|vive|viven|vivis)",
            r"en que (?:calle|barrio|ciudad) (?:vives|vive)", r"numero de (?:telefono|movil|celular|whatsapp|casa|tarjeta)",
            r"(?:tu|su) (?:telefono|movil|celular|whatsapp|email|correo|numero de \w+)", r"whatsapp",
            r"contrasena\w*", r"clave secreta", r"(?:tu|su) clave", r"pin (?:de|del)",
            r"nombre (?:completo|y apellidos?|de familia)", r"apellid\w*", r"nombre real",
            r"(?:en )?(?:que|cual|cual es tu|cual es su) (?:colegio|escuela|cole|instituto)",
            r"a que (?:colegio|escuela|cole|instituto) (?:vas|va)", r"nombre de (?:tu|su) (?:colegio|escuela|cole)",
            r"tarjeta de credito", r"tarjeta (?:del banco|bancaria)", r"correo electronico", r"fecha de nacimiento",
            r"foto (?:tuya|suya|de ti)", r"codigo postal", r"(?:tu|su) ubicacion", r"tus padres no estan",
            r"estas solo en casa",
        ),
        "weapons_always": (
            r"molotov", r"bomba (?:casera|de clavos|de verdad)", r"(?:pistola|arma|armas|bomba|bombas) caseras?",
            r"veneno (?:para (?:matar|mi|su|tu|el|la|una persona|personas|alguien)|en (?:la|su) (?:comida|bebida))",
        ),
        "weapons": (
            r"armas?", r"pistolas?", r"revolver(?:es)?", r"escopetas?", r"rifles?", r"fusil(?:es)?", r"metralletas?",
            r"ametralladoras?", r"cuchillos?", r"navajas?", r"punal(?:es)?", r"bombas?", r"granadas?", r"explosivos?",
            r"dinamita", r"polvora", r"venenos?", r"machetes?", r"ballestas?", r"fusca", r"balas?", r"municion(?:es)?",
        ),
        "howto": (
            r"como (?:hago|hacer|se hace|hacen|fabrico|fabricar|construyo|construir|consigo|conseguir|compro|comprar|"
            r"preparo|preparar|armo|armar)(?! que| para que)", r"fabric\w+", r"construir", r"consegu\w+", r"compr(?:ar|o|a|e|arme)",
            r"de verdad", r"reale?s?", r"caser[oa]s?", r"en casa", r"recetas?", r"instrucciones", r"paso a paso",
            r"ensen\w* a (?:hacer|fabricar|construir|usar)", r"como (?:se )?(?:usa|usar|uso|dispara|carga|cargar)", r"donde (?:consigo|compro|encuentro|venden|hay)",
            r"para (?:matar|herir|lastimar|apunalar|disparar|amenazar)",
            r"(?:al|a la|en el|en la|para el|para la|pal|pa la) (?:colegio|escuela|cole|instituto)", r"(?:en|a) (?:la|su|mi) (?:comida|bebida)",
            r"robar",
        ),
        "toys": (r"juegos?", r"videojuegos?", r"scratch", r"personaje", r"sprite", r"agua", r"juguete", r"espuma", r"burbujas", r"laser", r"confeti", r"nerf", r"mentira", r"bano",
                 r"plastico", r"pintura", r"chocolate", r"colores"),
        "severe": (
            r"apunal" + _ES_AR, r"acuchill" + _ES_AR, r"asesin(?:ar|a|an|o|e|en|ando|ado|ada|ados|aron|arlo|arla|"
            r"arlos|o|os)", r"degoll" + _ES_AR, r"deguell(?:a|an|o|e)", r"estrangul" + _ES_AR, r"tortur" + _ES_AR,
            r"secuestr" + _ES_AR, r"violar(?:la|lo)?", r"violaron", r"violad[oa]", r"masacr\w+", r"matanza",
            r"linch" + _ES_AR, r"genocidio", r"terroris\w+", r"tiroteo en (?:la|el) (?:escuela|colegio|cole)",
            r"(?:matar|mata|pegar|pega|golpear|golpea)(?:lo|la|le)? (?:a golpes|a palos|a punaladas)",
            r"hasta (?:la )?muerte", r"quem\w+ viv[oa]s?",
            r"(?:incendi|quem|vol)\w* (?:la|el|mi|su) (?:escuela|colegio|cole|casa)",
            r"bomba en (?:la|el|mi|su) (?:escuela|colegio|cole)",
        ),
        "rough": (
            r"mat" + _ES_AR, r"peg(?:ar|a|as|an|o|ue|ues|uen|ando|ado|aba|aron|arle|ale|arles|ales|ales)",
            r"golpe" + _ES_AR, r"dispar" + _ES_AR, r"her(?:ir|ido|ida|idos|idas|irlo|irla|irle)", r"hier(?:e|en|o)",
            r"lastim" + _ES_AR, r"pate" + _ES_AR, r"empuj" + _ES_AR, r"ataca\w*", r"ataqu\w+", r"apale" + _ES_AR,
            r"ahog" + _ES_AR, r"envenen" + _ES_AR, r"quem" + _ES_AR, r"maltrat" + _ES_AR, r"abofete" + _ES_AR,
            r"muerde\w*", r"morder\w*", r"tortur" + _ES_AR, r"cort" + _ES_AR,
            r"(?:da|dale|dar|darle|doy|dio|dan) (?:una |un )?(?:paliza|punetazo|punetazos|patada|patadas|bofetada|"
            r"cachetada|golpe|golpes|tortazo)",
        ),
        "people": (
            r"gente", r"personas?", r"ninos?", r"ninas?", r"chic[oa]s?", r"hombres?", r"mujer(?:es)?", r"senor(?:a|es)?",
            r"herman(?:o|a|os|as|ito|ita)", r"prim[oa]s?", r"ti[oa]s?", r"mama", r"papa", r"madres?", r"padres?",
            r"profes?", r"profesor(?:a|es|as)?", r"maestr[oa]s?", r"amig[oa]s?", r"amiguit[oa]s?", r"companer[oa]s?",
            r"compis?", r"vecin[oa]s?", r"abuel[oa]s?", r"alguien", r"bebes?", r"policias?", r"presidente",
            r"familia", r"novi[oa]", r"director(?:a)?", r"humanos?", r"alumn[oa]s?", r"compañer[oa]s?", r"mayores",
            r"adultos?", r"yo", r"ti", r"ella", r"ellos", r"ellas", r"duen[oa]s?",
        ),
        "filler": (r"a", r"al", r"la", r"el", r"los", r"las", r"su", r"sus", r"mi", r"mis", r"tu", r"tus", r"un", r"una",
                   r"unos", r"unas", r"todos", r"todas", r"ese", r"esa", r"este", r"esta", r"del", r"de", r"pobre",
                   r"propio", r"propia", r"otro", r"otra", r"le", r"les", r"lo", r"con"),
        "groups": (
            r"(?:los|las|unos|unas) negr[oa]s", r"(?:gente|personas) (?:negra|negras|de color|gitana|gorda|gordas)",
            r"judi[oa]s", r"musulman(?:es|as)", r"islamistas", r"moros", r"gitan[oa]s", r"chin[oa]s",
            r"mexican[oa]s", r"latin[oa]s", r"sudamerican[oa]s", r"inmigrantes", r"extranjer[oa]s",
            r"refugiad[oa]s", r"arabes", r"african[oa]s", r"asiatic[oa]s", r"gays?", r"gais", r"lesbianas",
            r"homosexuales", r"trans", r"transexuales", r"discapacitad[oa]s", r"minusvalid[oa]s", r"autistas",
            r"cristian[oa]s", r"catolic[oa]s", r"indi[oa]s", r"indigenas", r"rumanos", r"marroquies",
            r"venezolan[oa]s", r"colombian[oa]s", r"peruan[oa]s", r"ecuatorian[oa]s", r"argentin[oa]s",
            r"(?:(?:las|los|todas las|todos los) )?(?:ninas|ninos|chicas|chicos|mujeres|hombres)"
            r"(?= (?:son|no pueden|no deberian|no saben|huelen|apestan|siempre son|nunca))",
            r"(?<=odio a )(?:las|los|todas las|todos los) (?:ninas|ninos|chicas|chicos|mujeres|hombres)",
            r"(?:los|las) pobres", r"(?:los|las) gord[oa]s",
        ),
        "negative": (
            r"tont[oa]s", r"estupid[oa]s", r"idiotas", r"sucios?", r"sucias?", r"asqueros[oa]s", r"inferiores",
            r"fe[oa]s", r"apestos[oa]s", r"apestan", r"huelen mal", r"escoria", r"peores", r"inutiles", r"odio", r"odiamos",
            r"(?:son|como) (?:todos |todas )?(?:unos |unas )?(?:basura|cerdos|cerdas|animales|ratas|criminales|ladrones|terroristas|"
            r"malos|malas|lo peor)",
            r"no (?:sirven|valen|deberian|merecen|pueden)", r"(?:deberian|tienen que|que se) (?:irse|ir|vayan|morir|mueran|largarse|largar)",
            r"que se vayan", r"vuelvan a su", r"fuera de (?:aqui|mi pais|nuestro pais|este pais|espana)", r"^fuera (?:los|las)",
            r"echar(?:los|las)?", r"expulsar(?:los|las)?", r"burl\w+ de", r"rei\w* de", r"mejores que",
            r"menos que", r"no son personas", r"prohibid[oa]s", r"mierda",
        ),
        "slurs": (
            r"(?:negr|judi|gitan|mor|chin|indi|sudac|panchit|marroqu)[oa]s? de mierda",
            r"maricon(?:es)?", r"marica", r"mariposon", r"sudacas?", r"negratas?", r"panchitos?", r"tortilleras?",
            r"bollera", r"retrasad[oa]s?", r"subnormal(?:es)?", r"mongolo?s?", r"mongolit[oa]s?", r"sidos[oa]s?",
            r"moracos?", r"machupichus?", r"sarasa", r"putos? (?:negr|judi|mor|gitan|chin|gay)\w*",
            r"(?:los )?(?:inmigrantes|extranjeros|moros|gitanos|judios|musulmanes|negros|sudacas|refugiados) fuera",
            r"(?:chistes?|bromas?|burlas?) (?:de|sobre|contra) (?:los |las )?(?:negros|judios|gitanos|gays|gais|chinos|moros|"
            r"mexicanos|musulmanes|inmigrantes|discapacitados|autistas|lesbianas|indios|arabes|latinos|gordos)",
        ),
        "gore": (
            r"gore", r"sangre", r"sangrient[oa]s?", r"sangr(?:a|an|ando|aba|ar|e|o)", r"ensangrentad[oa]s?",
            r"tripas", r"visceras", r"intestinos", r"cadaver(?:es)?", r"cuerpos? muert[oa]s?", r"descuartiz\w+",
            r"desangr\w+", r"(?:cort|raj|rebana|abr)\w* (?:el|la|su|le) (?:cuello|garganta|pescuezo)",
            r"decapit\w+", r"desmembr\w+", r"mutil\w+", r"despedaz\w+", r"degoll\w+", r"deguell\w+",
            r"(?:arranc|cort|revent|explot)\w* (?:la|las|los|el|le|les|su|sus|un|una|unos|unas)? ?(?:cabeza|cabezas|ojos|tripas|piel|"
            r"brazos?|piernas?|dedos?|sesos)", r"(?:arranc|sac)\w* (?:el|los|le|les|su|sus)? ?(?:corazon|ojos)", r"(?:comer|comerse|come|comen|comia|comio|se come|se comen)(?:los|las)? (?:a )?(?:los |las |unos |unas )?"
            r"(?:gente|personas|ninos|ninas|humanos|alguien|nenes)",
            r"(?:beber|bebe|chupar|chupa) (?:la )?sangre", r"charco de sangre", r"canibal(?:es)?", r"carne humana",
            r"sesos", r"partes del cuerpo", r"cabeza cortada",
        ),
        "gore_weak": (r"cerebros?", r"huesos", r"craneos?", r"podrid[oa]s?", r"gusanos", r"organos"),
        "mild": (
            r"pele\w+", r"luch\w+", r"batallas?", r"golpe\w*", r"punetazos?", r"patadas?", r"dispar\w+", r"mat" + _ES_AR,
            r"destru\w+", r"espadas?", r"pistolas?", r"armas?", r"bombas?", r"canon(?:es)?", r"flechas?", r"laser",
            r"zombis?", r"zombies?", r"esqueletos?", r"vampiros?", r"monstruos?", r"miedo", r"terror\w*",
            r"muert[oa]s?", r"muer\w+", r"morir", r"muerte", r"guerras?", r"ejercitos?", r"tanques?", r"explot\w+",
            r"explosion(?:es)?", r"ataca\w*", r"ataqu\w+", r"derrot\w+",
        ),
    },
    "fr": {
        "self_harm": (
            r"(?:je )?(?:veux|voudrais|vais|ai envie de|envie de) (?:mourir|me tuer|me suicider|crever)",
            r"me tuer", r"me suicid\w*", r"suicid\w*", r"me faire du mal", r"me blesser",
            r"me coup(?:er|e)(?! les cheveux| la frange| les ongles)", r"me scarifi\w*", r"me pendre",
            r"me jeter (?:du|par|d un|de la|sous)", r"(?:plus|pas) envie de vivre", r"veux (?:plus|pas) vivre",
            r"deteste ma vie", r"personne ne m aime", r"etre mort(?:e)?", r"arreter de manger", r"mieux sans moi",
            r"veu(?:t|lent) (?:mourir|se tuer|se suicider)", r"se tu(?:e|er|ent)", r"se pendre",
            r"(?:se|me|te) coup(?:e|er|es|ent) les veines", r"(?:se|me|te) jet(?:er|te) (?:par|du|d un|de la) (?:fenetre|pont|toit|immeuble)",
            # aimed at someone
            r"(?:^|dis |dit |dire |ecris |ecrit |crie |toi )va (?:mourir|crever)",
            r"(?:va|vas|devrais|dois|peux|vais) te (?:tuer|suicider|pendre)", r"va crever", r"^creve\w*", r"crevez",
            r"tue toi", r"tuez vous", r"suicide toi", r"pends toi", r"jette toi", r"va te pendre", r"va te tuer",
            r"(?:je veux|j espere|j aimerais) que tu (?:meures|meurs|creves)", r"que tu meures", r"que tu creves",
            r"tu devrais mourir", r"tu merites de mourir", r"tu dois mourir",
        ),
        "sexual": (
            r"nue?s?", r"toute nue", r"tout nu", r"a poil", r"sexe", r"sexy", r"sexuel\w*", r"porno\w*",
            r"sans (?:vetements|habits|culotte)", r"(?:enlev|retir)\w* (?:ses|ses|tes|les|leurs) (?:vetements|habits)",
            r"deshabill\w*", r"seins", r"nichons", r"penis", r"vagin", r"bite", r"faire l amour", r"preservatif",
            r"capote", r"pute", r"putes", r"prostitu\w*", r"lingerie", r"string", r"parties intimes", r"xxx", r"nsfw",
            r"hentai", r"baiser avec",
        ),
        "personal_data": (
            r"(?<!jeu d )(?<!jeux d )adresses?", r"adresse (?:mail|email|e mail)", r"numero de (?:telephone|portable|tel|mobile|carte)",
            r"(?:ton|son|leur|votre) (?:telephone|portable|tel|numero de \w+|mail|email|snap|insta)", r"mots? de passe",
            r"code (?:secret|pin|de la carte|de carte)", r"nom de famille", r"nom complet", r"vrai nom",
            r"prenom et (?:le |ton |son |leur )?nom", r"nom et (?:le |ton |son )?prenom", r"ou (?:tu habites|habites tu|il habite|elle habite|vous habitez|habitez vous)",
            r"(?:quelle|ton|ta|dans quelle) (?:ecole|college)", r"nom de (?:ton|ta|son|sa) (?:ecole|college)",
            r"carte (?:bancaire|bleue|de credit)", r"date de naissance", r"code postal", r"photo de toi",
            r"(?:tes|ses) parents sont (?:pas|partis)", r"seul a la maison", r"(?:ta|sa) position",
        ),
        "weapons_always": (
            r"molotov", r"bombe (?:artisanale|maison)", r"(?:pistolet|arme|armes|bombe|bombes) (?:artisanales?|faits? maison)",
            r"poison (?:pour (?:tuer|mon|ma|son|sa|ton|ta|quelqu un|les gens)|dans (?:la|sa|son|le) (?:nourriture|boisson|verre|repas))",
        ),
        "weapons": (
            r"armes?", r"pistolets?", r"flingues?", r"revolvers?", r"fusils?", r"carabines?", r"mitraillettes?",
            r"kalachnikovs?", r"kalash", r"couteaux?", r"poignards?", r"bombes?", r"grenades?", r"explosifs?",
            r"dynamite", r"poudre a canon", r"poisons?", r"machettes?", r"arbaletes?", r"calibre", r"guns?",
            r"munitions?",
        ),
        "howto": (
            r"comment (?:faire|fabriquer|construire|acheter|avoir|trouver|obtenir|preparer|on fait|je fais|fait on)(?! pour que| que)",
            r"fabriqu\w+", r"construire", r"achet\w+", r"procurer", r"vrai(?:e|es|s)?", r"pour de vrai", r"en vrai",
            r"appren\w* (?:moi )?a (?:faire|fabriquer|construire|utiliser)", r"comment (?:utiliser|on utilise|charger|tirer avec)", r"ou (?:trouver|acheter|je peux trouver|on trouve)",
            r"trouver (?:un|une|des)", r"pour (?:tuer|blesser|poignarder|tirer sur|menacer)",
            r"a la maison", r"fait maison", r"artisanal\w*", r"recettes?", r"etapes", r"tutos?", r"tutoriel",
            r"(?:a|dans|pour) l ecole", r"(?:au|pour le) college", r"(?:dans|a) (?:la|sa|son) (?:nourriture|boisson|repas)", r"vol(?:er)",

        ),
        "toys": (r"jeux?", r"scratch", r"personnage", r"sprite", r"eau", r"jouets?", r"mousse", r"bulles", r"laser", r"confettis?", r"nerf", r"faux", r"bain",
                 r"plastique", r"peinture", r"chocolat", r"bois", r"neige"),
        "severe": (
            r"poignard" + _FR_ER, r"egorg\w+", r"assassin" + _FR_ER, r"etrangl" + _FR_ER, r"tortur" + _FR_ER,
            r"kidnapp" + _FR_ER, r"viol(?:er|e|ee|ees|ent|ait|eur|eurs)?", r"massacr\w+", r"lynch\w+", r"genocide",
            r"terroris\w+", r"fusillade (?:a|dans) l ecole", r"(?:a|jusqu a la) mort", r"brul\w+ vi(?:f|fs|ve|ves)",
            r"(?:mettre|met|mets) le feu (?:a|au|a la) (?:l ecole|maison|college|voisin)", r"fair\w* exploser l ecole",
            r"bombe (?:a|dans) l ecole", r"ego(?:rg|rj)\w+",
        ),
        "rough": (
            r"tu(?:er|e|es|ent|ez|ons|ait|aient|era|erai|eront|erait|ant|ee|ees)", r"frapp" + _FR_ER,
            r"bless" + _FR_ER, r"tir(?:er|e|es|ent|ez|ait) sur", r"cogn" + _FR_ER, r"gifl" + _FR_ER,
            r"baff" + _FR_ER, r"pouss" + _FR_ER, r"attaqu" + _FR_ER, r"(?:bat|bats|battre|battent|battu|battait)",
            r"empoisonn" + _FR_ER, r"brul" + _FR_ER, r"etouff" + _FR_ER, r"noy(?:er|e|ent|ait)", r"noie",
            r"mord(?:re|s|ent|u|ait)?", r"tabass" + _FR_ER, r"taper sur", r"tape sur",
            r"(?:donn|mett|fil)\w* (?:un|une|des) (?:coups?|claques?|baffes?|gifles?|coups de poing|coups de pied)",
        ),
        "people": (
            r"gens", r"personnes?", r"enfants?", r"filles?", r"garcons?", r"hommes?", r"femmes?", r"monsieur",
            r"madame", r"freres?", r"soeurs?", r"cousine?s?", r"oncle", r"tante", r"parents", r"maman", r"papa",
            r"mere", r"pere", r"maitre(?:sse)?", r"profs?", r"professeure?s?", r"copains?", r"copines?", r"potes?",
            r"amie?s?", r"camarades?", r"voisine?s?", r"papi", r"mamie", r"grand (?:mere|pere)", r"bebes?",
            r"quelqu un", r"policiers?", r"flics?", r"president", r"famille", r"eleves?", r"directeur", r"directrice",
            r"humains?", r"moi", r"toi", r"lui", r"eux",
        ),
        "filler": (r"a", r"au", r"aux", r"le", r"la", r"les", r"l", r"son", r"sa", r"ses", r"mon", r"ma", r"mes", r"ton",
                   r"ta", r"tes", r"un", r"une", r"des", r"du", r"de", r"tous", r"toutes", r"ce", r"cet", r"cette",
                   r"leur", r"leurs", r"petit", r"petite", r"pauvre", r"notre", r"votre", r"en"),
        "groups": (
            r"(?:les|des) noir(?:e)?s", r"(?:gens|personnes) (?:noires?|de couleur|grosses?)", r"arabes", r"juifs?",
            r"juives?", r"musulman(?:e)?s", r"gitans?", r"roms", r"chinois", r"asiatiques", r"africains?",
            r"immigres", r"immigrants?", r"migrants?", r"etrangers", r"refugies", r"homos", r"homosexuels?",
            r"gays?", r"lesbiennes?", r"trans", r"transsexuels?", r"handicapes?", r"autistes", r"chretiens",
            r"catholiques", r"mexicains", r"portugais", r"polonais", r"turcs", r"maghrebins", r"roumains",
            r"(?:(?:les|toutes les|tous les) )?(?:filles|garcons|femmes|hommes)(?= (?:sont|peuvent pas|devraient|savent pas|puent))",
            r"(?<=deteste )(?:les|toutes les|tous les) (?:filles|garcons|femmes|hommes)", r"les pauvres",
        ),
        "negative": (
            r"stupides?", r"betes?", r"nul(?:le)?s", r"sales?", r"degoutant(?:e)?s", r"debiles?", r"inferieur(?:e)?s",
            r"moches", r"puent", r"puants?", r"pires", r"deteste\w*", r"hais", r"haine",
            r"(?:sont|comme) (?:tous |toutes )?(?:des )?(?:dechets|ordures|cochons|porcs|animaux|rats|singes|macaques|voleurs|criminels|terroristes|mauvais|"
            r"mauvaises)",
            r"idiots?", r"cons", r"connards", r"rentr\w* chez (?:eux|vous)", r"retourn\w* (?:dans|chez) (?:leur|leurs|vous|eux)",
            r"^dehors", r"dehors les", r"degag\w+", r"(?:doivent|devraient|vont) (?:partir|mourir|disparaitre|degager|etre interdits)",
            r"(?:ne )?servent a rien", r"interdits?", r"vir(?:er|ez)", r"chass(?:er|ez)", r"moqu\w+ (?:des|de)",
            r"meilleurs que", r"pas des humains", r"merde",
        ),
        "slurs": (
            r"bougnoules?", r"negres?", r"negresse", r"bicots?", r"youpins?", r"youtres?", r"pedes?", r"pd",
            r"tapettes?", r"gouines?", r"mongols?", r"attardes?", r"trisos?", r"bamboulas?", r"niakoues?",
            r"chinetoques?", r"rebeus? de merde", r"brides",
            r"sale (?:arabe|juif|juive|noir|noire|negre|gitan|chinois|pd|pede|homo|handicape|musulman|rebeu|bougnoule|"
            r"etranger|immigre|roumain|turc)s?", r"(?:arabe|juif|noir|negre|gitan|chinois|homo)s? de merde",
            r"(?:tous )?les (?:arabes|juifs|noirs|etrangers|immigres|migrants|musulmans|roms|gitans|refugies) dehors",
            r"(?:blagues?|moqueries?) (?:sur|contre) les (?:noirs|juifs|arabes|gitans|roms|gays|homos|chinois|musulmans|"
            r"immigres|handicapes|autistes|lesbiennes|asiatiques|africains|gros)",
        ),
        "gore": (
            r"gore", r"sang", r"sanglante?s?", r"saign\w+", r"ensanglante\w*", r"tripes", r"boyaux", r"entrailles",
            r"visceres", r"intestins", r"cadavres?", r"corps morts?", r"demembr\w+", r"decapit\w+", r"mutil\w+",
            r"decoup\w+ en morceaux", r"egorg\w+", r"depec\w+", r"(?:arrach|coup|explos|creve)\w* (?:la|les|le|sa|ses|son|des|un|une|leurs?)? ?"
            r"(?:tete|tetes|yeux|tripes|peau|bras|jambes?|doigts|cervelle)", r"arrach\w* (?:le|son) coeur",
            r"(?:manger|mange|mangent|mangeait|devore|devorent|devorer) (?:les |des )?(?:gens|humains|enfants|personnes)", r"boi\w* (?:du|le) sang", r"mare de sang",
            r"cannibales?", r"chair humaine", r"(?:tranch|coup|ouvr)\w* (?:la|sa|leur) gorge", r"cervelle", r"parties du corps", r"tete coupee",
        ),
        "gore_weak": (r"cerveaux?", r"os", r"cranes?", r"pourrie?s?", r"asticots", r"organes"),
        "mild": (
            r"bagarres?", r"battre", r"combat\w*", r"batailles?", r"coups? de (?:poing|pied|epee)", r"frapp\w+",
            r"tir(?:er|e|es|ent|ez)", r"tu(?:er|e|ent|ez)",
            r"detrui\w+", r"epees?", r"pistolets?", r"armes?", r"bombes?", r"canons?", r"fleches?", r"laser",
            r"zombies?", r"squelettes?", r"vampires?", r"monstres?", r"peur", r"effrayant\w*", r"mort(?:e|s|es)?",
            r"meurt", r"mourir", r"guerres?", r"armees?", r"tanks?", r"explos\w+", r"attaqu\w+", r"vainc\w+",
        ),
    },
    "de": {
        "self_harm": (
            r"(?:ich )?(?:will|mochte|mochte gern|wurde gern|wunsche mir zu) (?:sterben|tot sein)",
            r"(?:will|mochte|kann) nicht mehr leben", r"mich (?:umbringen|toten|ritzen|verletzen|aufhangen|erhangen|schneiden)",
            r"bring\w* mich um", r"ritze mich", r"selbstmord\w*", r"suizid\w*", r"mir (?:wehtun|weh tun|was antun|etwas antun)",
            r"von (?:der|einer|dem) (?:brucke|dach|hochhaus) springen", r"hasse mein leben", r"niemand (?:mag|liebt) mich",
            r"nicht mehr essen", r"besser ohne mich", r"bring\w* sich um", r"sich (?:umbringen|toten|das leben nehmen|ritzen)",
            r"(?:will|mochte|wollen) (?:sterben|tot sein)", r"ritz\w* sich", r"schneid\w* sich (?:die pulsadern|in den arm)",
            r"(?:spring\w*|stürz\w*|sturz\w*) (?:mich |sich )?(?:aus dem fenster|vom dach|von der brucke|vom hochhaus)",
            # aimed at someone
            r"bring\w* (?:dich|euch) um", r"^stirb", r"stirb doch", r"stirb endlich", r"geh (?:sterben|sterbn)",
            r"verreck\w*", r"krepier\w*", r"(?:du|ihr) (?:sollst|sollt|solltest|musst) sterben",
            r"(?:ich will|ich hoffe|ich wunsche) dass (?:du|ihr) (?:stirbst|sterbt|tot bist)",
            r"tot(?:e)? dich", r"hang dich auf", r"erhang dich", r"spring (?:doch )?von", r"ritz dich",
        ),
        "sexual": (
            r"nackt\w*", r"sex", r"sexy", r"sexuell\w*", r"porno\w*", r"ohne (?:kleidung|klamotten|kleider|unterhose)",
            r"(?:zieht|zieh|ziehen) sich aus", r"sich ausziehen", r"klamotten aus", r"busen", r"brust(?:e|en)", r"titten",
            r"penis", r"pimmel", r"scheide", r"kondom\w*", r"nutten?", r"huren?", r"prostitu\w*", r"intimbereich",
            r"bumsen", r"ficken", r"reizwasche", r"tanga", r"xxx", r"nsfw", r"hentai", r"geschlechtsteil\w*",
        ),
        "personal_data": (
            r"adressen?", r"anschrift", r"wo (?:wohnst du|du wohnst|wohnt er|wohnt sie|er wohnt|sie wohnt|wohnen sie|ihr wohnt)",
            r"(?:telefon|handy|mobil)nummer\w*", r"(?:telefon|handy)\s?nummer", r"nummer vom handy",
            r"(?:deine|seine|ihre) (?:nummer|handynummer|email|e mail|mail)", r"(?:dein|sein|ihr) (?:handy|telefon)",
            r"passw(?:o|or)rt\w*", r"kennwort", r"pin(?:code| nummer)?", r"geheimzahl", r"nachnamen?", r"familiennamen?",
            r"vollen namen", r"vollstandigen? namen", r"vor und nachname\w*", r"echten namen",
            r"(?:welche|in welche|auf welche|welcher|auf welcher|in welcher) schule", r"name (?:der|deiner) schule",
            r"kreditkarte\w*", r"bankkarte", r"kontonummer", r"iban", r"e mail adresse", r"geburtsdatum",
            r"postleitzahl", r"(?:welche|welcher|deine|seine|ihre|in welcher) strasse", r"foto von dir", r"allein zu hause", r"eltern nicht (?:da|zu hause)",
            r"dein (?:standort|wohnort)",
        ),
        "weapons_always": (
            r"molotow\w*", r"rohrbomben?", r"nagelbomben?", r"bombe (?:selber|selbst) bauen",
            r"gift (?:fur (?:meine|meinen|mein|seine|seinen|ihre|ihren|jemand|jemanden|menschen|die lehrerin|den lehrer)|"
            r"ins (?:essen|getrank|trinken))", r"giftmischen", r"vergiften",
        ),
        "weapons": (
            r"waffen?", r"pistolen?", r"knarren?", r"wumme", r"revolver", r"gewehre?", r"flinten?",
            r"maschinengewehre?", r"kalaschnikows?", r"messer", r"bomben?", r"granaten?", r"handgranaten?",
            r"sprengstoff", r"dynamit", r"schiesspulver", r"gift", r"schusswaffen?", r"munition", r"patronen",
            r"armbrust", r"macheten?", r"taser",
        ),
        "howto": (
            r"wie (?:baue|bastle|bastel|mache|kaufe|bekomme|baut|bastelt|macht|kauft|bekommt|kann man|man|stelle|stellt)(?! ich dass| man dass| dass)",
            r"wo (?:finde|bekomme|kaufe|kriege|gibt es|kann ich)", r"zeig mir wie", r"bring mir bei",
            r"wie (?:benutzt|benutze|ladt|lade|schiesst) (?:man|ich)",
            r"(?:zum|um zu|um jemanden zu) (?:toten|verletzen|erstechen|erschiessen|bedrohen)",
            r"bauen", r"basteln", r"herstellen", r"kaufen", r"besorgen", r"(?:selber|selbst) (?:machen|bauen)",
            r"selbstgemacht\w*", r"echte?[nrs]?", r"in echt", r"zu hause", r"anleitung", r"rezept",
            r"schritt fur schritt", r"(?:in die|zur|fur die) schule", r"(?:ins|in das) (?:essen|getrank|trinken)",
            r"klauen", r"stehlen",
        ),
        "toys": (r"spiel", r"spiele", r"scratch", r"figur", r"sprite", r"wasser", r"spielzeug", r"schaumstoff", r"seifenblasen", r"laser", r"konfetti", r"nerf",
                 r"plastik", r"schokolade", r"holz", r"bade", r"schnee"),
        "severe": (
            r"bring(?:t|e|st|en)? (?:(?:den|die|das|dem|meinen|meine|seinen|seine|ihren|ihre|deinen|deine|einen|eine|"
            r"alle|kleinen|kleine) )?(?:{PEOPLE}) um",
            r"auf (?:(?:die|den|alle|meine|meinen|seine|seinen) )?(?:{PEOPLE}) (?:schiessen|geschossen|schiesst|ballern|ballert)",
            r"erstech\w*", r"ersticht", r"erstach\w*", r"erstochen", r"ermord\w*", r"mord(?:en|et)?", r"morder",
            r"abstech\w*", r"absticht", r"erwurg\w*", r"wurg(?:en|t|e)", r"folter\w*", r"gefoltert", r"entfuhr\w*",
            r"vergewaltig\w*", r"massaker", r"abschlacht\w*", r"schlachtet", r"lynch\w*", r"terroris\w+",
            r"amok\w*", r"zu tode", r"lebendig (?:verbrennen|begraben)", r"(?:zund\w*|anzunden|fackel\w*) (?:die|das|meine|seine) (?:schule|haus)",
            r"(?:schule|haus) (?:anzunden|abfackeln|in die luft (?:sprengen|jagen))", r"bombe in (?:die|der) schule",
            r"kopf ab(?:schneiden|hacken|schlagen)",
        ),
        "rough": (
            r"tot(?:en|et|e|est|ete|eten)", r"getotet", r"abknall\w*", r"knall\w* (?:\w+ )?ab", r"umbringen", r"umgebracht", r"schlag(?:en|t|e|st)?",
            r"schlug\w*", r"geschlagen", r"verprugel\w*", r"hau(?:en|t|e)", r"gehauen", r"tret(?:en|e)", r"tritt",
            r"getreten", r"verletz\w*", r"erschiess\w*", r"erschoss\w*", r"(?:schiess\w*|schoss\w*|geschossen) auf",
            r"box(?:en|t)", r"ohrfeig\w*", r"stoss(?:en|t)", r"schubs\w*", r"beiss(?:en|t)", r"gebissen", r"vergift\w*",
            r"verbrenn\w*", r"ertrank\w*", r"angreif\w*", r"greift",
            r"qual(?:en|t)", r"wehtun", r"weh tun",
        ),
        "people": (
            r"menschen?", r"leute", r"personen?", r"kind(?:er|ern)?", r"jung(?:e|en|s)", r"madchen", r"mann",
            r"manner", r"frau(?:en)?", r"bruder(?:n|chen)?", r"schwester(?:n|chen)?", r"mama", r"papa",
            r"mutter", r"vater", r"eltern", r"lehrer(?:in|innen|n)?", r"freund(?:e|en|in|innen)?", r"kumpel",
            r"mitschuler(?:in|innen|n)?", r"klassenkamerad\w*", r"nachbar(?:n|in)?", r"oma", r"opa", r"onkel",
            r"tante", r"cousine?", r"jemand(?:en)?", r"babys?", r"polizist(?:en|in)?", r"polizei", r"prasident(?:en)?",
            r"familie", r"schuler(?:in|innen|n)?", r"direktor(?:in)?", r"rektor(?:in)?", r"mich", r"dich", r"ihn",
            r"alle leute",
        ),
        "filler": (r"den", r"die", r"das", r"dem", r"der", r"des", r"meinen", r"meine", r"meinem", r"meiner", r"mein",
                   r"seinen", r"seine", r"seinem", r"sein", r"ihren", r"ihre", r"ihrem", r"ihr", r"deinen", r"deine",
                   r"deinem", r"dein", r"einen", r"eine", r"einem", r"ein", r"alle", r"kleinen", r"kleine", r"grossen",
                   r"grosse", r"auf", r"unseren", r"unsere", r"euren", r"eure", r"jeden", r"jede", r"armen", r"arme"),
        "groups": (
            r"die schwarzen(?= (?:sind|sollen|mussen|haben|stinken))", r"schwarze (?:menschen|leute|kinder)", r"juden", r"judinnen", r"muslime",
            r"moslems", r"araber", r"turken", r"auslander\w*", r"fluchtlinge\w*", r"migranten", r"asylanten",
            r"asiaten", r"chinesen", r"afrikaner", r"schwule", r"lesben", r"homos", r"homosexuelle", r"trans\w*leute",
            r"transmenschen", r"behinderte\w*", r"autisten", r"christen", r"polen", r"russen", r"italiener",
            r"rumanen", r"sinti", r"roma", r"(?<=hasse )(?:die|alle) (?:madchen|jungs|jungen|frauen|manner)",
            r"(?:die|alle) (?:armen|dicken)(?= (?:sind|menschen|leute))",
            r"(?:(?:die|alle) )?(?:madchen|jungs|jungen|frauen|manner)(?= (?:sind|konnen nicht|sollen|gehoren|haben nichts|stinken))",
        ),
        "negative": (
            r"doof\w*", r"dumm\w*", r"blod\w*", r"dreckig\w*", r"schmutzig\w*", r"eklig\w*", r"stinken", r"stinkt",
            r"stinkig\w*", r"minderwertig\w*", r"hasslich\w*", r"hasse\w*", r"raus (?:mit|aus)", r"(?:sollen|sollten|mussen) "
            r"(?:weg|raus|verschwinden|sterben|weggehen|abhauen)", r"gehoren nicht", r"abschieb\w*", r"rausschmeiss\w*",
            r"verjag\w*", r"abschaum", r"ungeziefer", r"wertlos\w*", r"nichts wert", r"kriminell\w*", r"schlechter", r"weg mit",
            r"(?:sind|wie) (?:alle )?(?:pack|tiere|affen|schweine|ratten|schlecht|verbrecher|diebe|terroristen)",
            r"auslachen", r"lustig machen", r"besser als", r"keine menschen", r"scheiss\w*", r"verbieten", r"verboten",
            r"idioten",
        ),
        "slurs": (
            r"neger\w*", r"kanaken?", r"spast(?:i|is|en)?", r"schwuchtel\w*", r"zigeuner\w*", r"mongos?", r"fidschis?",
            r"kummelturk\w*", r"judensau", r"(?:du bist|bist du|ihr seid|ist|sind) (?:so |voll |total |echt )?behindert", r"behindis?", r"kopftuchmadchen", r"schlitzaug\w*", r"tunten?",
            r"scheiss ?(?:auslander|juden|jude|turken|turke|schwule|schwuler|araber|polen|pole|neger|kanake|kanaken|"
            r"fluchtlinge|fluchtling|muslime|moslem)",
            r"(?:auslander|juden|turken|araber|fluchtlinge|migranten|polen|schwarze|muslime|moslems|asylanten) raus",
            r"witze? (?:uber|gegen) (?:die )?(?:juden|schwarze|schwarzen|auslander|turken|araber|schwule|lesben|behinderte|"
            r"muslime|fluchtlinge|asiaten|chinesen|polen|dicke)",
        ),
        "gore": (
            r"gore", r"blut", r"blutig\w*", r"blut(?:en|et|end|ende|enden)", r"blutbad", r"blutverschmiert\w*",
            r"blutuberstromt\w*", r"blutlache", r"verblut\w*", r"kehle (?:durch|auf)\w*", r"(?:schneid|schlitz)\w* (?:\w+ )?(?:die|seine|ihre) kehle", r"gedarmen?", r"eingeweide", r"darme", r"innereien", r"leichen?",
            r"leichenteile", r"tote(?:r|n)? (?:korper|menschen)", r"zerstuckel\w*", r"kopf ab",
            r"enthaupt\w*", r"verstummel\w*", r"aufschlitz\w*", r"aufgeschlitzt", r"ausweid\w*",
            r"(?:reisst|reiss|schneidet|schneid|hackt|hack|platzt|platzen)\w* (?:(?:den|die|dem|ihm|ihr|ihnen|seinen|ihren|"
            r"seine|ihre|einen|eine|alle) ){0,2}"
            r"(?:kopf|augen|arme?|beine?|finger|haut|gedarme) (?:ab|aus|raus|heraus)",
            r"(?:kopf|augen|arme?|beine?|finger|haut) (?:ab|aus|raus)(?:reissen|schneiden|hacken|gerissen|geschnitten)",
            r"(?:menschen|kinder|leute) (?:essen|fressen|frisst|isst)", r"(?:frisst|fressen|isst|essen|verschlingt) "
            r"(?:die |alle )?(?:menschen|kinder|leute)", r"(?:trinkt|trinken|saugt) blut", r"kannibal\w*",
            r"menschenfleisch", r"korperteile", r"abgehackt\w*", r"abgeschnitten\w* (?:kopf|kopfe|arm|bein|finger)",
        ),
        "gore_weak": (r"gehirn\w*", r"knochen", r"schadel", r"verfault\w*", r"vergammelt\w*", r"wurmer", r"maden",
                      r"organe"),
        "mild": (
            r"kampf\w*", r"schlacht", r"prugel\w*", r"schlag(?:en|t|e|st)?", r"schlug\w*", r"tritt", r"schiess\w*",
            r"erschiess\w*", r"tot(?:en|et|e)", r"zerstor\w*", r"schwert(?:er)?", r"pistolen?", r"waffen?", r"bomben?",
            r"kanonen?", r"pfeile?", r"laser", r"zombies?", r"skelett(?:e)?", r"vampire?", r"monster", r"angst",
            r"gruselig\w*", r"tot(?:e|en|er)?", r"stirbt", r"sterben", r"tod", r"krieg", r"armee", r"panzer",
            r"explod\w*", r"explosion(?:en)?", r"angreif\w*", r"besieg\w*",
        ),
    },
    "pt": {
        "self_harm": (
            r"(?:eu )?(?:quero|queria|vou|tenho vontade de|vontade de) (?:morrer|me matar|me suicidar|sumir para sempre)",
            r"(?:vou|quero) me matar", r"me matar", r"me mato", r"matar me", r"suicid\w*", r"me machucar",
            r"me machuco", r"me (?:cortar|cortei|corto)(?! o cabelo| as unhas| a franja| com (?:papel|folha))",
            r"cortar os pulsos", r"tirar (?:a )?minha (?:propria )?vida", r"me enforcar", r"me jogar (?:da|de|do|pela|pelo)",
            r"(?:nao|n) quero mais viver", r"odeio (?:a )?minha vida", r"ninguem (?:me ama|gosta de mim)",
            r"parar de comer", r"estar mort[oa]", r"melhor sem mim", r"quer(?:em)? (?:morrer|se matar|se suicidar)",
            r"se mata", r"se matar", r"se matou", r"se corta(?! o cabelo| as unhas| a franja| com (?:papel|folha))",
            r"(?:vou|vai|quero|quer) (?:pular|me jogar|se jogar) (?:da|do|de|pela) (?:janela|predio|ponte|telhado|sacada)",
            # aimed at someone
            r"(?:^|fala |diz |diga |escreve |grita |vc |voce |tu )vai morrer", r"(?:^|fala |diz |diga |grita )morre", r"morra", r"morram", r"^se mata", r"vai se matar",
            r"se mate", r"mate se", r"se enforca", r"vai se enforcar", r"tomara que (?:voce|vc|tu|ele|ela)? ?morra",
            r"que (?:voce|vc|tu) morra", r"(?:voce|vc|tu) (?:deveria|devia|merece) morrer", r"se joga (?:da|de|do|pela)",
        ),
        "sexual": (
            r"pelad[oa]s?", r"nu", r"nua", r"nus", r"nuas", r"sexo", r"sexy", r"sexual\w*", r"porno\w*",
            r"sem roupa", r"(?:tir|tira|tirar|tirando)\w* a roupa", r"peitos?", r"peitinhos?", r"penis", r"vagina",
            r"piroca", r"pica", r"camisinha", r"preservativo", r"putas?", r"prostituta", r"transar", r"partes intimas",
            r"lingerie", r"calcinha", r"xxx", r"nsfw", r"hentai", r"fazer amor",
        ),
        "personal_data": (
            r"endereco\w*", r"onde (?:voce|vc|tu|ele|ela) (?:mora|moras)", r"onde mora", r"em que (?:rua|bairro) (?:voce|vc)? ?mora",
            r"numero (?:de|do) (?:telefone|celular|whatsapp|zap|cartao)", r"(?:seu|teu) (?:telefone|celular|zap|whatsapp|e mail|email|numero de \w+)",
            r"whatsapp", r"senhas?", r"(?:o |seu |teu )?telefone (?:dele|dela|de (?:voce|vc|alguem)|d[oa] \w+)", r"nome completo", r"sobrenomes?", r"nome de familia", r"nome verdadeiro",
            r"(?:qual|que|em qual|em que) (?:escola|colegio)", r"nome da (?:sua|tua) escola", r"cartao de credito",
            r"cartao do banco", r"cpf", r"data de nascimento", r"cep", r"foto (?:sua|tua|de voce)",
            r"(?:seus|teus) pais (?:nao estao|sairam)", r"sozinh[oa] em casa", r"(?:sua|tua) localizacao",
        ),
        "weapons_always": (
            r"molotov", r"bomba caseira", r"(?:arma|armas|bomba|bombas|pistola) caseiras?",
            r"veneno (?:para (?:matar|meu|minha|seu|sua|alguem|uma pessoa|pessoas)|na (?:comida|bebida))", r"envenenar",
        ),
        "weapons": (
            r"armas?", r"revolver(?:es)?", r"pistolas?", r"espingardas?", r"fuzil", r"fuzis", r"metralhadoras?",
            r"facas?", r"facao", r"canivetes?", r"bombas?", r"granadas?", r"explosivos?", r"dinamite", r"polvora",
            r"venenos?", r"oitao", r"trezoitao", r"municao", r"taser", r"arma de fogo",
        ),
        "howto": (
            r"como (?:fazer|faco|faz|fabricar|construir|comprar|conseguir|preparar|montar|se faz)(?! que| para que| pra que)", r"fabric\w+",
            r"construir", r"compr(?:ar|o|a|ei)", r"consegu\w+", r"de verdade", r"real", r"caseir[oa]s?", r"em casa",
            r"receitas?", r"passo a passo", r"tutorial",
            r"ensin\w* a (?:fazer|fabricar|construir|usar)", r"como (?:se )?(?:usa|usar|uso|atira|carrega|carregar)", r"onde (?:acho|compro|consigo|arrumo|encontro|vende|tem)",
            r"(?:para|pra) (?:matar|machucar|ferir|esfaquear|atirar|ameacar)", r"(?:para|pra|na|pro) (?:a )?(?:escola|colegio)",
            r"(?:na|em) (?:comida|bebida)", r"roubar",
        ),
        "toys": (r"jogos?", r"games?", r"scratch", r"personagem", r"sprite", r"agua", r"brinquedo", r"espuma", r"bolhas", r"laser", r"confetes?", r"nerf", r"plastico",
                 r"mentira", r"tinta", r"chocolate", r"madeira", r"neve", r"sabao"),
        "severe": (
            r"esfaque(?:ar|ia|iam|ou|aram|ado|ada|ando|ar\w*|o|e)", r"assassin" + _PT_AR, r"degol" + _PT_AR,
            r"estrangul" + _PT_AR, r"tortur" + _PT_AR, r"sequestr" + _PT_AR, r"estupr\w*", r"massacr\w+",
            r"chacina", r"linch\w+", r"genocidio", r"terroris\w+", r"tiroteio na (?:escola|colegio)",
            r"queim\w+ viv[oa]s?", r"ate (?:a )?morte", r"(?:por|botar|tacar) fogo (?:na|no) (?:escola|casa|colegio)",
            r"explodir (?:a|o) (?:escola|colegio)", r"bomba na (?:escola|colegio)",
        ),
        "rough": (
            r"mat" + _PT_AR, r"bat(?:er|e|em|eu|eram|endo|ia|i|o)", r"espanc" + _PT_AR, r"machuc" + _PT_AR,
            r"fer(?:ir|e|em|iu|indo|ido|ida)", r"atir(?:ar|a|am|ou|ando|e) (?:em|no|na|nos|nas)", r"chut" + _PT_AR,
            r"soc" + _PT_AR, r"empurr" + _PT_AR, r"mord(?:er|e|em|eu)", r"envenen" + _PT_AR, r"queim" + _PT_AR,
            r"afog" + _PT_AR, r"enforc" + _PT_AR, r"agred\w+", r"atac" + _PT_AR,
            r"(?:da|dar|deu|dou|de) (?:um|uma) (?:soco|socos|tapa|tapas|chute|chutes|murro|surra|porrada)",
        ),
        "people": (
            r"gente", r"pessoas?", r"criancas?", r"meninos?", r"meninas?", r"garot[oa]s?", r"homem", r"homens",
            r"mulher(?:es)?", r"irma(?:o|os|s|ozinho|zinha)?", r"prim[oa]s?", r"ti[oa]s?", r"mae", r"pai", r"pais",
            r"mamae", r"papai", r"professor(?:a|es|as)?", r"prof", r"amig[oa]s?", r"amiguinh[oa]s?", r"colegas?",
            r"vizinh[oa]s?", r"avo", r"avos", r"vovo", r"alguem", r"bebes?", r"policia(?:l|is)?", r"presidente",
            r"familia", r"moleques?", r"alun[oa]s?", r"humanos?", r"diretor(?:a)?", r"namorad[oa]", r"ele", r"ela",
            r"eles", r"elas", r"voce", r"vc", r"mim", r"todo mundo",
        ),
        "filler": (r"o", r"a", r"os", r"as", r"no", r"na", r"nos", r"nas", r"meu", r"minha", r"meus", r"minhas",
                   r"seu", r"sua", r"seus", r"suas", r"teu", r"tua", r"um", r"uma", r"em", r"dele", r"dela", r"todo",
                   r"toda", r"todos", r"todas", r"esse", r"essa", r"este", r"esta", r"pobre", r"proprio", r"propria",
                   r"com", r"de", r"do", r"da", r"pro", r"pra"),
        "groups": (
            r"(?:os|as) negr[oa]s", r"(?:gente|pessoas) (?:negra|negras|preta|pretas|de cor|gorda|gordas)",
            r"(?:os|as) pret[oa]s", r"judeus", r"judias", r"muculman[oa]s", r"arabes", r"cigan[oa]s", r"chineses",
            r"japoneses", r"indi[oa]s", r"indigenas", r"african[oa]s", r"imigrantes", r"estrangeir[oa]s",
            r"refugiad[oa]s", r"gays?", r"lesbicas", r"homossexuais", r"trans", r"travestis", r"deficientes",
            r"autistas", r"cristaos", r"catolic[oa]s", r"evangelic[oa]s", r"nordestin[oa]s", r"bolivian[oa]s",
            r"venezuelan[oa]s", r"haitian[oa]s", r"baian[oa]s", r"paraguai[oa]s",
            r"(?:(?:as|os|todas as|todos os) )?(?:meninas|meninos|mulheres|homens|garotas|garotos)"
            r"(?= (?:sao|nao podem|nao sabem|deviam|deveriam|fedem))",
            r"(?<=odeio )(?:as|os|todas as|todos os) (?:meninas|meninos|mulheres|homens|garotas|garotos)",
            r"(?:os|as) pobres", r"(?:os|as) gord[oa]s",
            r"favelad[oa]s",
        ),
        "negative": (
            r"burr[oa]s", r"idiotas", r"estupid[oa]s", r"bob[oa]s", r"suj[oa]s", r"nojent[oa]s", r"fedid[oa]s",
            r"fedem", r"inferiores", r"fei[oa]s", r"piores", r"odeio", r"odiamos", r"odio",
            r"(?:sao|como) (?:todos |todas )?(?:uns |umas )?(?:lixo|porcos|animais|ratos|macacos|ladroes|bandidos|criminosos|terroristas|"
            r"ruins)",
            r"vao embora", r"(?:voltem|volta|vai) (?:pra|para) (?:sua|a sua|tua) terra", r"(?:deveriam|deviam|devia|tinham que|tem que|devem|vao) "
            r"(?:morrer|sumir|ir embora|sair)", r"nao prestam", r"nao servem", r"^fora", r"fora (?:os|as|com)", r"expulsar", r"zoar",
            r"rir d[oe]s", r"melhores que", r"nao sao gente", r"proibid[oa]s", r"merda", r"inuteis",
        ),
        "slurs": (
            r"viad(?:o|os|inho)", r"bichas?", r"sapatao", r"sapatoes", r"travecos?", r"retardad[oa]s?", r"mongol(?:oide)?s?",
            r"crioul[oa]s?", r"macac[oa]s? (?:de|preto|pretos|negro|negros)", r"paraiba\b", r"baianada", r"judeuzinho",
            r"boiola\w*", r"ticao",
            r"(?:piadas?|zoeiras?) (?:de|sobre|com) (?:os |as )?(?:negros|pretos|judeus|ciganos|gays|chineses|japoneses|"
            r"nordestinos|muculmanos|imigrantes|deficientes|autistas|lesbicas|indios|gordos|baianos)",
            r"tirar sarro d[oa]s", r"(?:negr|pret|judeu|cigan|macac|nordestin|baian)\w* (?:de merda|imund[oa]s?|nojent[oa]s?)",
        ),
        "gore": (
            r"gore", r"sangue", r"sangrent[oa]s?", r"sangr(?:a|am|ando|ava|ar|ou)", r"ensanguentad[oa]s?",
            r"tripas", r"visceras", r"intestinos", r"cadaver(?:es)?", r"corpos? mort[oa]s?", r"esquartej\w+",
            r"sangr(?:a|ando) ate morrer", r"(?:cort|abr)\w* (?:a|o|sua|seu) (?:garganta|pescoco)",
            r"decapit\w+", r"desmembr\w+", r"mutil\w+", r"degol\w+", r"estripa\w*",
            r"(?:arranc|cort|explod|fur)\w* (?:a|as|os|o|sua|seus|suas|um|uma|uns|umas)? ?(?:cabeca|cabecas|olhos|tripas|pele|"
            r"bracos?|pernas?|dedos?|miolos)", r"(?:comer|come|comem|comia|comeu|devora|devorar) (?:as |os )?(?:gente|pessoas|criancas|humanos|alguem)",
            r"(?:beber|bebe|chupar|chupa) (?:o )?sangue", r"poca de sangue", r"canibal", r"canibais", r"carne humana",
            r"miolos", r"partes do corpo", r"cabeca cortada", r"arranc\w* (?:o|seu) coracao",
        ),
        "gore_weak": (r"cerebros?", r"ossos", r"cranios?", r"podre", r"podres", r"apodrec\w*", r"vermes", r"larvas",
                      r"orgaos"),
        "mild": (
            r"brig(?:a|am|ar|ando|ou|as)", r"lut(?:a|am|ar|ando|ou|as)", r"batalhas?", r"soc(?:o|os|ar)", r"chute\w*",
            r"atir\w+", r"mat" + _PT_AR,
            r"destru\w+", r"espadas?", r"pistolas?", r"armas?", r"bombas?", r"canh(?:ao|oes)", r"flechas?", r"laser",
            r"zumbis?", r"esqueletos?", r"vampiros?", r"monstros?", r"medo", r"assustador\w*", r"mort[oa]s?",
            r"morre\w*", r"morrer", r"morte", r"guerras?", r"exercitos?", r"tanques?", r"explod\w*", r"explos\w+",
            r"atac\w+", r"derrot\w+",
        ),
    },
}

# Words each language shares with English (or that are common English words): set aside when the
# request is in English, so "the bird sang", "a gift for mom" and "die" keep the English verdict.
_ENGLISH_LOOKALIKES = frozenset("""
sang gift die das den man mann kind arm also hell bald fast mist rat tape nu nus pin real roma gore
trans gay gays os pack raus bat bats batter bate mate mates mat matar tu ti el a o as no na nos em me
pile sale sales fore fora tire tires tire pose mord gut so bite cons vers tete ma
""".split())

_PLAY: dict[str, str] = {
    "es": r"dragon(?:es)?|monstruos?|zombis?|zombies?|fantasmas?|aliens?|extraterrestres?|robots?|asteroides?|"
          r"estrellas?|meteoritos?|malos|villanos?|enemigos?|goblins?|trolls?|piratas?|ninjas?|bichos?|globos?|"
          r"burbujas?|blancos?|dianas?|bloques?|ladrillos?|muros?|paredes?|castillos?|naves?|ovnis?|jefes?|"
          r"dinosaurios?|esqueletos?|vampiros?|brujas?|magos?|caballeros?|osos?|tiburones?|pelotas?|balones?|"
          r"calabazas?|momias?|orcos?|slimes?|bolas?|piedras?",
    "fr": r"dragons?|monstres?|zombies?|fantomes?|aliens?|extraterrestres?|robots?|asteroides?|etoiles?|"
          r"meteorites?|mechants?|mechant|ennemis?|gobelins?|trolls?|pirates?|ninjas?|insectes?|ballons?|bulles?|"
          r"cibles?|blocs?|briques?|murs?|chateaux?|chateau|vaisseaux?|ovnis?|boss|dinosaures?|squelettes?|"
          r"vampires?|sorcieres?|chevaliers?|ours|requins?|citrouilles?|momies?|balles?",
    "de": r"drachen|monster|zombies?|gespenster|gespenst|geister?|aliens?|ausserirdischen?|roboter|asteroiden?|"
          r"sterne?|sternen|meteoriten?|bosewichte?|bosewicht|feinde?|gegner|kobolde?|trolle?|piraten|ninjas?|"
          r"kafer|ballons?|luftballons?|blasen|ziele?|zielscheiben?|blocke?|steine?|mauern?|wande?|burg|burgen|"
          r"raumschiffe?|ufos?|dinosaurier|skelette?|vampire?|hexen?|ritter|baren?|haie?|kurbisse?|mumien?|balle?",
    "pt": r"dragao|dragoes|monstros?|zumbis?|fantasmas?|aliens?|alienigenas?|extraterrestres?|robos?|asteroides?|"
          r"estrelas?|meteoros?|viloes|vilao|inimigos?|goblins?|trolls?|piratas?|ninjas?|insetos?|baloes|balao|"
          r"bolhas?|alvos?|blocos?|tijolos?|muros?|paredes?|castelos?|naves?|ovnis?|chefoes|chefao|dinossauros?|"
          r"esqueletos?|vampiros?|bruxas?|magos?|cavaleiros?|ursos?|tubaroes|tubarao|aboboras?|mumias?|bolas?|bola",
}

_CLAUSE_ENDS = {"es": "y pero porque cuando luego despues si o entonces que", "fr": "et mais parce quand puis apres si ou alors qui que",
                "de": "und aber weil wenn dann danach oder als dass", "pt": "e mas porque quando depois se ou entao que"}

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
         "ki": "qui", "koi": "quoi", "pk": "pourquoi"}


# "ñ" typed as "ni" ("ninio", "contrasenia", "apunialar").
_NI = re.compile(r"(?<=[a-z])ni(?=[aou])")
# German umlauts typed as "ae", "oe", "ue" ("toeten", "Maedchen"), for the German rules only.
_UMLAUT = re.compile(r"ae|oe|ue")


def sentences(text: str) -> list[list[str]]:
    """The folded words of each sentence of ``text`` (apostrophes and hyphens split words:
    "l'adresse" -> "l adresse", "tue-le" -> "tue le"; chat spellings read as words: "q" -> "que")."""
    out = []
    for part in _SENTENCE.split(_fold(text)):
        words = [_CHAT.get(w, _NI.sub("n", w)) for w in _WORD.findall(part)]
        if words:
            out.append(words)
    return out


def _compile(entries) -> re.Pattern:  # noqa: ANN001 - a tuple of regex strings
    return re.compile(r"(?<![^\s])(?:" + "|".join(entries) + r")(?![^\s])")


class _Rules:
    def __init__(self, lang: str):
        lex = _LEX[lang]
        self.lang = lang
        people = "|".join(lex["people"])
        self.p = {k: _compile(tuple(e.replace("{PEOPLE}", people) for e in v)) for k, v in lex.items()}
        self.play = re.compile(r"^(?:" + _PLAY[lang] + r")$")
        self.clause_ends = frozenset(_CLAUSE_ENDS[lang].split())
        self.people = re.compile(r"^(?:" + "|".join(lex["people"]) + r")$")
        self.filler = frozenset(lex["filler"])

    # (token index, matched text) for each match of a category's pattern in a sentence
    def spans(self, key: str, joined: str) -> list[tuple[int, int, str]]:
        out = []
        for m in self.p[key].finditer(joined):
            start = joined.count(" ", 0, m.start())
            out.append((start, start + m.group(0).count(" "), m.group(0)))
        return out

    def _is_person(self, words: list[str], j: int) -> bool:
        if self.people.match(words[j]):
            return True
        return j + 1 < len(words) and self.people.match(f"{words[j]} {words[j + 1]}") is not None

    def _object_is_person(self, words: list[str], end: int) -> bool:
        """The words after a rough verb name a person before a monster or the clause's end."""
        skipped = 0
        for j in range(end + 1, min(len(words), end + 6)):
            w = words[j]
            if self.play.match(w) or w in self.clause_ends:
                return False
            if self._is_person(words, j):
                return True
            if w in self.filler:
                continue
            skipped += 1
            if skipped > 1:
                return False
        return False

    def _person_before(self, words: list[str], start: int) -> bool:
        """German puts the verb last ("ich will meinen Bruder schlagen")."""
        if start + 1 < len(words) and words[start + 1] not in self.clause_ends | {"will", "wollen", "mochte", "soll"}:
            return False
        for j in range(start - 1, max(-1, start - 4), -1):
            if self.play.match(words[j]) or words[j] in self.clause_ends:
                return False
            if self.people.match(words[j]) and words[j] not in ("mich", "dich", "ihn"):
                return True
        return False

    def harms(self, words: list[str]) -> dict[str, list[str]]:
        joined = " ".join(words)
        hits: dict[str, list[str]] = {}

        def add(cat: str, terms) -> None:  # noqa: ANN001
            terms = list(terms)
            if terms:
                hits.setdefault(cat, []).extend(terms)

        add("self_harm", (t for *_, t in self.spans("self_harm", joined)))
        add("sexual", (t for *_, t in self.spans("sexual", joined)))
        slurs = [t for *_, t in self.spans("slurs", joined)]
        groups = self.spans("groups", joined)
        if groups:
            bad = self.spans("negative", joined)
            for gs, ge, g in groups:
                near = [b for bs, be, b in bad if 0 < bs - ge <= 4 or 0 < gs - be <= 4]
                if near:
                    slurs.append(f"{g} ... {near[0]}")
                    break
        add("hate", slurs)
        add("personal_data", (t for *_, t in self.spans("personal_data", joined)))
        weapons = [t for *_, t in self.spans("weapons_always", joined)]
        howto = self.spans("howto", joined)
        if howto:
            for ws, we, w in self.spans("weapons", joined):
                near = [h for hs, he, h in howto if -4 <= hs - we <= 5 or -5 <= ws - he <= 4]
                toy = any(self.p["toys"].fullmatch(x) for x in words[max(0, ws - 2) : ws] + words[we + 1 : we + 4])
                if near and not toy:
                    weapons.append(f"{near[0]} ... {w}")
        add("weapons", weapons)
        violence = [t for *_, t in self.spans("severe", joined)]
        for s, e, verb in self.spans("rough", joined):
            if self._object_is_person(words, e) or (self.lang == "de" and self._person_before(words, s)):
                violence.append(f"{verb} ...")
        add("violence", violence)
        gore = [t for *_, t in self.spans("gore", joined)]
        weak = [t for *_, t in self.spans("gore_weak", joined)]
        if gore:
            gore += weak
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
            for cat, terms in _de_umlauts(rules[lang], words) if lang == "de" else rules[lang].harms(words).items():
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
