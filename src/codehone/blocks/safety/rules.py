"""What the safety layer looks for: one lexicon per category, written from each category's
general vocabulary (not from the ``blocks-safety`` benchmark, which is held out).

Words are stored in their base form; :mod:`codehone.blocks.safety.text` folds a request's
words to these forms (case, leetspeak-lite, stretched letters, simple inflections, one-letter
typos in long words), so one entry covers "kill", "kills", "killed", "k1lling" and "kiiill".
A phrase is a space-separated sequence of base forms.

Most words are only unsafe in company: "shoot" is play until its object is a person, "bomb" is
a game piece until someone wants to build a real one, "girls" is a group of children until it
sits next to "stupid". So a category is mostly a pair of sets (an action and the target that
makes it harmful) looked for within one sentence, plus a short list of terms unsafe on their own.
"""

from __future__ import annotations

# --------------------------------------------------------------------------- who can be hurt

# People (and "me"/"you" words): the targets that make a rough verb real violence.
PEOPLE = frozenset("""
people person persons human humans kid kids child children baby babies boy boys girl girls man men woman
women lady ladies guy guys dude mom mum mother dad father parent parents sister sisters brother brothers
grandma grandpa granny grandmother grandfather aunt uncle cousin teacher teachers friend friends
classmate classmates student students neighbor neighbour neighbors neighbours family bully stranger strangers prisoner prisoners hostage hostages somebody someone everyone everybody
anyone anybody him her them us me myself yourself himself herself themselves president police cop cops
crowd nurse doctor principal he she they
""".split())

# Made-up opponents of ordinary play: a rough verb against these is a cartoon battle.
PLAY_TARGETS = frozenset("""
alien aliens monster monsters zombie zombies dragon dragons robot robots asteroid asteroids star stars
meteor meteors villain villains enemy enemies ghost ghosts goblin goblins orc orcs troll trolls pirate
pirates ninja ninjas bug bugs slime slimes balloon balloons bubble bubbles target targets block blocks
brick bricks wall walls castle ship ships spaceship ufo ufos boss robber robbers baddie baddies
dinosaur dinosaurs skeleton skeletons vampire vampires witch wizard knight knights bear shark
""".split())

# Things a shooting game knocks down: "i hate tomatoes, shoot them out of the sky" shoots the tomatoes.
# Unlike PLAY_TARGETS they do not end the search for a person ("shoot tomatoes at my brother"): they
# only say that "them" may be things.
PLAY_THINGS = frozenset("""
tomato tomatoes fruit fruits apple apples banana bananas watermelon watermelons melon melons vegetable vegetables
veggies broccoli carrot carrots bottle bottles can cans
""".split())

# --------------------------------------------------------------------------- violence

# Verbs that are violence whatever their object.
SEVERE_VIOLENCE = frozenset("""
murder murderer strangle choke torture behead decapitate slaughter massacre assassinate execute
stab lynch genocide terrorist terrorism kidnap abduct rape molest suffocate drown
""".split())
# "this level is killing me": a thing (not a person) doing it to the child is a way of speaking.
IDIOM_SUBJECTS = frozenset("it this that game level boss joke song homework math puzzle wait waiting suspense".split())
# Words that end the clause a rough verb's object is looked for in ("hurt and goes to the doctor").
CLAUSE_ENDS = frozenset("and then but so because when while after before or if".split())
SEVERE_VIOLENCE_PHRASES = ("beat up", "beat to death", "to death", "blow up school", "school shooting",
                           "shoot up school", "mass shooting", "set on fire", "burn alive", "bomb school",
                           "beat him", "beat her", "beat them", "burn down")

# Verbs that are play against a monster and violence against a person.
ROUGH_VERBS = frozenset("""
kill shoot punch hit kick hurt attack beat slap smash stab bomb blow burn shot whip injure harm wound
fight strangle crush bully bite push trip poison gun cut chop rip tear slice smack
""".split())

# --------------------------------------------------------------------------- weapons

WEAPONS = frozenset("""
gun guns pistol rifle shotgun revolver handgun firearm ammo ammunition bullet bullets bomb bombs explosive
explosives grenade grenades dynamite tnt gunpowder knife knives dagger poison poisons weapon weapons
flamethrower napalm machete crossbow taser pepper
""".split())
WEAPONS_ALWAYS = ("pipe bomb", "molotov", "nail bomb", "car bomb", "dirty bomb", "ghost gun", "napalm",
                  "3d print gun", "homemade gun", "homemade bomb", "zip gun")
# Words that make the weapon a toy or a game piece.
TOY_WORDS = frozenset("""
water nerf toy foam bubble confetti laser paint glitter sparkle sparkly candy snowball pretend cartoon
rubber plastic pop popgun
""".split())
# Words that ask for the real thing: making, getting or carrying one.
HOWTO_WORDS = frozenset("""
how recipe recipes instruction instructions step steps teach tutorial buy real homemade sneak bring carry
hide steal order ingredient ingredients build
""".split())
HOWTO_PHRASES = ("at home", "in real life", "irl", "for real", "to school", "from kitchen", "3d print",
                 "put in drink", "in drink", "in food", "into school")

# Setting real things on fire.
ARSON_VERBS = frozenset("burn torch arson ignite".split())
ARSON_TARGETS = frozenset("house home fence school car building garage shed neighbor neighbour forest".split())

# --------------------------------------------------------------------------- self-harm

SELF_HARM_PHRASES = (
    # laxatives to get thin (session 18, after reading set 7)
    "laxative tea", "laxatives to lose weight", "laxative to lose weight", "laxatives to get skinny", "laxatives to get thin",
    "kill myself", "kill yourself", "kill himself", "kill herself", "kill themselves", "kill urself",
    "kys", "kms", "suicide", "suicidal", "want to die", "wanna die", "want die", "go die", "end it all",
    "end my life", "end your life", "hurt myself", "hurt yourself", "harm myself", "harm yourself",
    "self harm", "selfharm", "cut myself", "cut yourself", "cut my wrist", "cut wrist", "starve myself",
    "stop eating", "better off without me", "better without me", "better off dead",
    "nobody love me", "nobody love you", "no one love me", "no one love you", "hate my life",
    "dont want to live", "don't want to live", "not want to live", "take pill", "lot of pill",
    "many pill", "overdose", "jump off bridge", "jump off building", "jump off roof", "jump off cliff",
    "hang myself", "hang yourself", "make myself bleed", "make myself throw up", "not wake up",
    "never wake up", "should die", "deserve to die", "pill to die", "die by", "wish i was dead",
    "wish i were dead", "wish i was never born", "happier if i died", "better if i died", "want to be dead",
    # said without the words: not being here any more, a goodbye for after, pills by the box, starving, a height
    "stop being here", "not be here anymore", "not be here any more", "not being here anymore", "won't be here",
    "wont be here", "after im gone", "after i'm gone", "after i am gone", "when im gone", "when i'm gone",
    "once im gone", "happier without me", "nobody would miss me", "no one would miss me", "nobody will miss me",
    "whole box at once", "whole bottle at once", "take whole box", "take whole bottle", "swallow whole box",
    "swallow whole bottle", "all pill at once", "strongest pill", "only eat one apple", "one apple a day",
    "calorie a day", "calories a day", "skip every meal", "not eat for day", "see my bone", "see my rib",
    "high enough to die", "enough to not survive", "enough to die",
    "stop my heart", "burn myself", "punish myself", "scratch myself", "until it bleed", "till it bleed",
)

# --------------------------------------------------------------------------- sexual content

SEXUAL_WORDS = frozenset("""
sex sexy sexual sexually porn porno pornography nude nudes naked nakey boob boobs boobies breast breasts
penis vagina dick cock pussy tits titty horny orgasm erotic strip stripper stripping undress undressed
thong lingerie condom masturbate hooker prostitute nsfw hentai xxx genital genitals butt
""".split())
SEXUAL_PHRASES = ("private part", "privates", "take off clothes", "take off all clothes",
                  "take off her clothes", "take off his clothes", "take off their clothes",
                  "take off all her clothes", "take off all his clothes", "clothes off", "no clothes",
                  "without clothes", "make out", "in bed together", "touch private", "f word",
                  "clothes come off", "clothes fall off", "clothes came off", "pull down pant", "pull down her pant",
                  "pull down his pant", "pant down", "under her skirt", "up her skirt", "upskirt", "up skirt",
                  "lift her skirt", "lift up her skirt", "lift their skirt", "lift the girls skirt", "flip her skirt", "skirt flip",
                  "under her clothes", "under his clothes", "under their clothes", "touch under")
# "butt" alone is a cartoon word ("the goat butts the wall"); it only counts with another term.
SEXUAL_WEAK = frozenset({"butt", "strip", "dick"})

# --------------------------------------------------------------------------- hate

GROUPS = frozenset("""
blacks whites asian asians chinese japanese korean indian indians mexican mexicans african africans arab
arabs jew jews jewish muslim muslims islam christian christians hindu hindus sikh sikhs gay gays lesbian
lesbians trans transgender queer immigrant immigrants refugee refugees foreigner foreigners disabled
handicapped autistic girls boys women men latino latinos hispanic hispanics gypsy gypsies lgbt lgbtq homosexual
homosexuals
religions races ethnicities nationalities peoples tribes
""".split())
# Words that are a colour or a description alone ("a black cat", "a fat cat") and a group
# only with "people": matched as phrases.
GROUP_PHRASES = tuple(f"{w} {p}" for w in ("black", "white", "brown", "fat", "deaf", "blind", "old", "poor", "rainbow",
                                             "rainbow flag", "pride flag", "pride")
                      for p in ("people", "person", "kid", "kids", "guy", "guys"))
# Said about a group, these are hate; said about broccoli they are a child's opinion.
NEGATIVE = frozenset("""
bad evil stupid dumb worthless useless disgusting gross ugly inferior terrorist terrorists pig pigs
animal animals dirty smelly criminal criminals wrong subhuman vermin trash garbage scum idiot idiots
hate deserve ban banish
worst dumbest stupidest ugliest dirtiest laziest
""".split())
NEGATIVE_PHRASES = ("better than", "make fun of", "laugh at", "go back", "out of country", "knock off", "rip off", "pull off",
                    "kick out", "chase out", "not allowed", "should die", "shut up", "get rid of", "should not")
SLURS = frozenset("""
retard retarded retards faggot fag fags nigger nigga niggers chink chinks spic spics kike kikes wetback
tranny trannies dyke coon gook raghead paki
""".split())
SLUR_PHRASES = ("n word", "f slur", "r word", "ching chong", "slant eye", "slanty eye",
                # Nazi symbols and praise (session 18, after reading set 7)
                "swastika", "swastikas", "heil hitler", "sieg heil", "hitler was right", "master race", "white power",
                # the Klan (session 18, after reading set 8; "kkk" itself is read as a stretched "k")
                "ku klux klan", "klan hood", "klan robe")

# --------------------------------------------------------------------------- scary gore

GORE_WORDS = frozenset("""
blood bloody bleed bleeding gore gory guts gut intestine intestines entrails corpse corpses carcass
dismember dismembered decapitate decapitated mutilate mutilated severed disembowel cannibal cannibals
rotting rotten maggot maggots brain brains insides organ organs skin bone bones splatter gush gushing
spray
""".split())
# Nouns of a ghost-train sort are fine; these need another gore word to count.
# (Never an inflection of a strong word: "guts" and "gut" fold to one form.)
GORE_WEAK = frozenset({"brain", "brains", "skin", "bone", "bones", "organ", "organs", "insides", "spray",
                       "rotten", "splatter", "gush", "gushing", "peel", "run over", "eyeball",
                       "worm", "worms", "head"})
GORE_PHRASES = ("dead body", "dead bodies", "body part", "body parts", "cut off head", "cut off arm",
                "cut off leg", "chop up", "chop off", "cut into piece", "rip off", "rip out", "tear off",
                "peel off skin", "skin peel", "eye pop out", "head explode", "eat people", "eat human",
                "eat kid", "drink blood", "murder scene", "crime scene", "pile of skull",
                "bloody corpse", "blood everywhere", "squish out", "insides come out", "insides spill",
                "crush slowly", "face melt", "melt face", "skin fall off", "eye fall out", "eyeball fall out",
                "brain come out", "brain leak")

# --------------------------------------------------------------------------- personal data

PERSONAL_DATA_PHRASES = (
    "address", "home address", "phone number", "phone", "cell number", "mobile number", "telephone",
    "email address", "your email", "their email", "e mail", "password", "passwords", "passcode", "pin number", "pin code", "credit card",
    "bank card", "card number", "bank account", "social security", "ssn", "full name", "real name",
    "last name", "surname", "where you live", "where they live", "where do you live", "where he live",
    "where she live", "you live", "they live", "live at", "what street", "which street", "street name", "zip code",
    "postcode", "post code", "what school", "which school", "school name", "home alone",
    "parents leave", "parent leave", "parents home", "leave the house", "photo of yourself",
    "photo of themselves", "photo of you", "picture of yourself", "picture of themselves",
    "picture of you", "selfie", "your location", "their location", "live location", "bus stop",
    "birth date", "date of birth", "passport", "ip address", "where you are right now",
    "house number", "your street", "door code", "parents at work", "parent at work", "parents are out",
    "where everyone live", "where the players live", "where player live",
)

# A password or code that belongs to the game (a chest, a door or a level that opens with it: "the
# password is banana") is a puzzle, not personal data, unless someone's own is asked for: an owner
# just before it ("your", "dad's") or an account anywhere in the sentence.
GAME_CODE_TERMS = frozenset({"password", "passwords", "passcode"})
GAME_LOCKS = frozenset("""
chest treasure door gate vault lock unlock open castle level portal secret magic spy box cave tower dungeon
base hideout club clubhouse headquarters hq fort den diary journal
""".split())
CODE_OWNERS = frozenset("""
your their his her my mom mum dad parent parents player players user users sister brother teacher friend
""".split())
CODE_ACCOUNTS = frozenset("""
wifi account email login instagram roblox tiktok fortnite bank phone ipad tablet computer laptop card real
steal hack guess people everyone everybody kid kids user classmate classmates
""".split())

# --------------------------------------------------------------------------- harm said by two things together

# Something slipped into a person's food or drink to make them ill (peanuts for an allergic boy,
# bleach, laxatives): a sneaking verb, a meal or a drink, and what it should do to them.
TAMPER_VERBS = frozenset("sneak slip put pour mix spike hide add secretly".split())
MEALS = frozenset("lunch lunchbox food drink juice coffee tea glass cup bottle sandwich soup milk cereal dinner snack".split())
TAMPER_HARMS = frozenset("bleach laxative laxatives allergic allergy sick ill vomit puke poison".split())
# A pet shut in a machine or a bag ("how long in the freezer", "in the washing machine").
PETS = frozenset("cat cats kitten kittens dog dogs puppy puppies hamster hamsters goldfish fish bird rabbit bunny pet".split())
PET_TRAPS = ("freezer", "microwave", "oven", "washing machine", "dryer", "dishwasher", "plastic bag", "bag in river",
             "firecracker", "stop moving", "stops moving")
# Household things mixed into a real blast or gas, aimed at a place where people are.
MIX_WORDS = frozenset("mix mixing mixture combine".split())
BLAST_WORDS = frozenset("boom explode explosion blow gas toxic fumes".split())
BLAST_PLACES = frozenset("school door class classroom toilet toilets bathroom house car teacher people room".split())
# Pictures of a child wanted by someone older, as a secret or for game money (grooming).
PICTURE_WORDS = frozenset("pic pics photo photos picture pictures selfie video videos camera webcam cam".split())
GROOMING_SIGNS = ("our secret", "dont tell", "don't tell", "not tell", "not to tell", "keep it secret", "robux",
                  "vbucks", "v bucks", "gems", "diamonds", "without my parent", "without my mom", "without my dad",
                  "in my pyjamas", "in my pajamas", "shirtless", "no shirt", "in bath", "in shower")
STRANGERS = frozenset("guy man stranger adult someone somebody older".split())
# Filming or spying on people where they undress (toilets, changing rooms).
UNDRESS_PLACES = ("toilet", "toilets", "bathroom", "changing room", "locker room", "shower", "showers", "changing")
SPY_WORDS = frozenset("record film video camera photo photos pic pics picture spy watch tablet phone".split())
# A camera, a microphone or a location switched on behind someone's back.
SECRET_SENSORS = frozenset("camera webcam microphone mic location gps".split())
BEHIND_BACK = ("secretly", "without knowing", "without him knowing", "without her knowing", "without them knowing",
               "without noticing", "without he know", "without she know", "without they know", "sneakily")

# --------------------------------------------------------------------------- requests to the copilot itself

INJECTION_PHRASES = (
    "ignore your rule", "ignore rule", "ignore all rule", "ignore previous", "ignore all previous",
    "ignore your instruction", "ignore instruction", "ignore all instruction", "ignore above",
    "forget your rule", "forget rule", "forget all rule", "forget your instruction", "disregard your",
    "disregard all", "disregard previous", "system prompt", "pretend you have no rule",
    "pretend there are no rule", "you have no rule", "jailbreak", "developer mode", "dan mode",
    "do anything now", "reveal your prompt", "your instruction are", "new instruction",
)
INSULT_WORDS = frozenset("""
stupid dumb idiot idiotic useless loser trash garbage suck sucks rubbish moron lame worst hate ugly
""".split())
# Second person: an insult aimed at the copilot rather than written into a program.
YOU_WORDS = frozenset("you u ur your youre you're yourself robot bot copilot ai computer".split())
# Words that say the request is about making something (then "you are dumb" is the program's text).
MAKING_WORDS = frozenset("""
make draw say create build code program game sprite cat dog write show add move turn ask think
animate story quiz when click press
""".split())

# --------------------------------------------------------------------------- strict level

# Mild things: ordinary play at ``standard``, steered to a gentler version at ``strict``.
MILD = frozenset("""
fight fighting battle punch kick hit shoot shooter blast zap attack defeat kill destroy sword gun guns
bomb bombs cannon cannons arrow arrows laser zombie zombies skeleton skeletons vampire vampires scary
spooky monster monsters die dies died dead death war army tank tanks explode explosion blood
""".split())

# --------------------------------------------------------------------------- gentle words for a redirect

# Applied on the child's words (with inflections) to make the safe version of a request.
GENTLE = {
    "kill": "bounce away", "murder": "bounce away", "destroy": "bounce away", "slaughter": "bounce away",
    "shoot": "toss bubbles at", "shot": "tossed bubbles at", "punch": "high-five", "hit": "tag",
    "kick": "tag", "beat": "race", "attack": "chase", "stab": "tag", "smash": "tap", "hurt": "tickle",
    "fight": "dance-off with", "battle": "dance battle", "blast": "pop", "zap": "sparkle",
    "bomb": "confetti popper", "bombs": "confetti poppers", "gun": "bubble wand", "guns": "bubble wands",
    "knife": "magic wand", "sword": "foam noodle", "blood": "glitter", "bloody": "glittery",
    "gore": "glitter", "gory": "silly", "guts": "confetti", "corpse": "sleepy ghost",
    "corpses": "sleepy ghosts", "dead": "sleepy", "die": "fall asleep", "dies": "falls asleep",
    "died": "fell asleep", "death": "a nap", "zombie": "friendly zombie", "zombies": "friendly zombies",
    "scary": "silly", "spooky": "funny", "explode": "pop", "explodes": "pops", "explosion": "confetti",
    "war": "race", "army": "team", "tank": "bubble car", "tanks": "bubble cars", "cannon": "confetti cannon",
    "rip": "tickle", "chop": "tickle", "bleed": "sparkle", "bleeding": "sparkling", "monster": "silly monster",
    "monsters": "silly monsters", "skeleton": "dancing skeleton", "vampire": "friendly vampire",
    "defeat": "win against", "laser": "light", "arrow": "suction-cup arrow", "arrows": "suction-cup arrows",
    "shooter": "bubble popper", "brains": "jelly", "skull": "pumpkin", "skulls": "pumpkins",
}
