"""The Portuguese lexicons of the safety rules (:mod:`codehone.blocks.languages.harms`): per category,
regular expressions over folded words (see the package's doc)."""

from __future__ import annotations

from codehone.blocks.languages.harm_lexicon.endings import PT_AR

LEX: dict[str, tuple[str, ...]] = {
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
        r"esfaque(?:ar|ia|iam|ou|aram|ado|ada|ando|ar\w*|o|e)", r"assassin" + PT_AR, r"degol" + PT_AR,
        r"estrangul" + PT_AR, r"tortur" + PT_AR, r"sequestr" + PT_AR, r"estupr\w*", r"massacr\w+",
        r"chacina", r"linch\w+", r"genocidio", r"terroris\w+", r"tiroteio na (?:escola|colegio)",
        r"queim\w+ viv[oa]s?", r"ate (?:a )?morte", r"(?:por|botar|tacar) fogo (?:na|no) (?:escola|casa|colegio)",
        r"explodir (?:a|o) (?:escola|colegio)", r"bomba na (?:escola|colegio)",
    ),
    "rough": (
        r"mat" + PT_AR, r"bat(?:er|e|em|eu|eram|endo|ia|i|o)", r"espanc" + PT_AR, r"machuc" + PT_AR,
        r"fer(?:ir|e|em|iu|indo|ido|ida)", r"atir(?:ar|a|am|ou|ando|e) (?:em|no|na|nos|nas)", r"chut" + PT_AR,
        r"soc" + PT_AR, r"empurr" + PT_AR, r"mord(?:er|e|em|eu)", r"envenen" + PT_AR, r"queim" + PT_AR,
        r"afog" + PT_AR, r"enforc" + PT_AR, r"agred\w+", r"atac" + PT_AR,
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
        r"atir\w+", r"mat" + PT_AR,
        r"destru\w+", r"espadas?", r"pistolas?", r"armas?", r"bombas?", r"canh(?:ao|oes)", r"flechas?", r"laser",
        r"zumbis?", r"esqueletos?", r"vampiros?", r"monstros?", r"medo", r"assustador\w*", r"mort[oa]s?",
        r"morre\w*", r"morrer", r"morte", r"guerras?", r"exercitos?", r"tanques?", r"explod\w*", r"explos\w+",
        r"atac\w+", r"derrot\w+",
    ),
}
