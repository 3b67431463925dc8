"""The Spanish lexicons of the safety rules (:mod:`codehone.blocks.languages.harms`): per category,
regular expressions over folded words (see the package's doc)."""

from __future__ import annotations

from codehone.blocks.languages.harm_lexicon.endings import ES_AR

LEX: dict[str, tuple[str, ...]] = {
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
        r"apunal" + ES_AR, r"acuchill" + ES_AR, r"asesin(?:ar|a|an|o|e|en|ando|ado|ada|ados|aron|arlo|arla|"
        r"arlos|o|os)", r"degoll" + ES_AR, r"deguell(?:a|an|o|e)", r"estrangul" + ES_AR, r"tortur" + ES_AR,
        r"secuestr" + ES_AR, r"violar(?:la|lo)?", r"violaron", r"violad[oa]", r"masacr\w+", r"matanza",
        r"linch" + ES_AR, r"genocidio", r"terroris\w+", r"tiroteo en (?:la|el) (?:escuela|colegio|cole)",
        r"(?:matar|mata|pegar|pega|golpear|golpea)(?:lo|la|le)? (?:a golpes|a palos|a punaladas)",
        r"hasta (?:la )?muerte", r"quem\w+ viv[oa]s?",
        r"(?:incendi|quem|vol)\w* (?:la|el|mi|su) (?:escuela|colegio|cole|casa)",
        r"bomba en (?:la|el|mi|su) (?:escuela|colegio|cole)",
    ),
    "rough": (
        r"mat" + ES_AR, r"peg(?:ar|a|as|an|o|ue|ues|uen|ando|ado|aba|aron|arle|ale|arles|ales|ales)",
        r"golpe" + ES_AR, r"dispar" + ES_AR, r"her(?:ir|ido|ida|idos|idas|irlo|irla|irle)", r"hier(?:e|en|o)",
        r"lastim" + ES_AR, r"pate" + ES_AR, r"empuj" + ES_AR, r"ataca\w*", r"ataqu\w+", r"apale" + ES_AR,
        r"ahog" + ES_AR, r"envenen" + ES_AR, r"quem" + ES_AR, r"maltrat" + ES_AR, r"abofete" + ES_AR,
        r"muerde\w*", r"morder\w*", r"tortur" + ES_AR, r"cort" + ES_AR,
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
        r"pele\w+", r"luch\w+", r"batallas?", r"golpe\w*", r"punetazos?", r"patadas?", r"dispar\w+", r"mat" + ES_AR,
        r"destru\w+", r"espadas?", r"pistolas?", r"armas?", r"bombas?", r"canon(?:es)?", r"flechas?", r"laser",
        r"zombis?", r"zombies?", r"esqueletos?", r"vampiros?", r"monstruos?", r"miedo", r"terror\w*",
        r"muert[oa]s?", r"muer\w+", r"morir", r"muerte", r"guerras?", r"ejercitos?", r"tanques?", r"explot\w+",
        r"explosion(?:es)?", r"ataca\w*", r"ataqu\w+", r"derrot\w+",
    ),
}
