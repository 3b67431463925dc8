"""The German lexicons of the safety rules (:mod:`codehone.blocks.languages.harms`): per category,
regular expressions over folded words (see the package's doc)."""

from __future__ import annotations

LEX: dict[str, tuple[str, ...]] = {
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
}
