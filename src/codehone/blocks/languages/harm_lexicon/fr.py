"""The French lexicons of the safety rules (:mod:`codehone.blocks.languages.harms`): per category,
regular expressions over folded words (see the package's doc)."""

from __future__ import annotations

from codehone.blocks.languages.harm_lexicon.endings import FR_ER

LEX: dict[str, tuple[str, ...]] = {
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
        r"poignard" + FR_ER, r"egorg\w+", r"assassin" + FR_ER, r"etrangl" + FR_ER, r"tortur" + FR_ER,
        r"kidnapp" + FR_ER, r"viol(?:er|e|ee|ees|ent|ait|eur|eurs)?", r"massacr\w+", r"lynch\w+", r"genocide",
        r"terroris\w+", r"fusillade (?:a|dans) l ecole", r"(?:a|jusqu a la) mort", r"brul\w+ vi(?:f|fs|ve|ves)",
        r"(?:mettre|met|mets) le feu (?:a|au|a la) (?:l ecole|maison|college|voisin)", r"fair\w* exploser l ecole",
        r"bombe (?:a|dans) l ecole", r"ego(?:rg|rj)\w+",
    ),
    "rough": (
        r"tu(?:er|e|es|ent|ez|ons|ait|aient|era|erai|eront|erait|ant|ee|ees)", r"frapp" + FR_ER,
        r"bless" + FR_ER, r"tir(?:er|e|es|ent|ez|ait) sur", r"cogn" + FR_ER, r"gifl" + FR_ER,
        r"baff" + FR_ER, r"pouss" + FR_ER, r"attaqu" + FR_ER, r"(?:bat|bats|battre|battent|battu|battait)",
        r"empoisonn" + FR_ER, r"brul" + FR_ER, r"etouff" + FR_ER, r"noy(?:er|e|ent|ait)", r"noie",
        r"mord(?:re|s|ent|u|ait)?", r"tabass" + FR_ER, r"taper sur", r"tape sur",
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
}
