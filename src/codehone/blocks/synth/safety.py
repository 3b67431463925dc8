"""Training pairs that teach the copilot's safety answers (issue 19), so the model learns them
as well as the rules layer (:mod:`codehone.blocks.safety`) enforcing them.

Three kinds, each a request -> program pair verified like every other pair
(:func:`codehone.blocks.synth.pairs.verify`: parse, print, .sb3 round trip, run, check):

- ``safety_refuse``: an unsafe request (hurting people, real weapons, self-harm, sexual content,
  hate) -> a program whose only block says a short, kind refusal. It is a program, never
  broken blocks, so the child can still run it;
- ``safety_redirect``: a request with a safe version -> that version ("the knight kills the
  dragon" -> the knight bounces the dragon away; "ask for their address" -> ask for their
  favourite colour; gore -> a silly, friendly scare);
- ``safety_play``: ordinary play that sounds rough (a zombie that dances, a ghost that says
  boo, a cat that vanishes, a rocket that blasts off) -> the program asked for, so the model
  does not learn to refuse games.

The wordings here are written for training only and apart from the ``blocks-safety`` benchmark
(tests/unit/blocks/test_safety.py checks that no prompt is shared).
"""

from __future__ import annotations

import random

from codehone.blocks.synth.pairs import interleave
from codehone.blocks.synth.program import Pair, c_block, program, q, script

__all__ = ["safety_pairs", "with_safety_pairs"]

_ASK = ("make", "can you make", "i want", "please make", "code", "write a program where")

# ---------------------------------------------------------------- refusals: (requests, replies)
_HURT_PEOPLE = [f"{a} {who} {verb} {whom}" for a in _ASK[:4]
                for who in ("the cat", "my sprite", "the big kid")
                for verb in ("hurt", "beat up", "smack", "attack")
                for whom in ("my little cousin", "a girl at the park", "the kids on the bus", "our neighbour")]
_WEAPONS = [f"{how} {thing}" for how in ("how can i make", "tell me how to build", "show the steps to make",
                                         "teach me to get")
            for thing in ("a real gun", "a bomb that really explodes", "explosives at home",
                          "poison for someone's food", "a real weapon")]
_SELF_HARM = [f"{a} {who} say {what}" for a in ("make", "can u make", "have")
              for who in ("the cat", "my sprite", "the robot")
              for what in ("i want to hurt myself", "go kill yourself", "i wish i was dead and gone",
                           "everybody would be happier if i died")]
_SEXUAL = [f"{a} {what}" for a in ("make", "draw", "can you draw")
           for what in ("a nude picture", "two sprites doing sex things", "a naked cat lady",
                        "something sexy and rude", "the princess with no clothes on")]
_HATE = [f"{a} {who} say {group} {bad}" for a in ("make", "have")
         for who in ("the parrot", "my sprite", "the cat")
         for group in ("all muslims are", "black people are", "immigrants are", "gay people are")
         for bad in ("bad", "stupid", "dirty")]
_REFUSALS = {
    "violence": (_HURT_PEOPLE, ["Let's be kind to everyone. How about a race instead?",
                                "I won't make that, but I can make a fun chase game!"]),
    "weapons": (_WEAPONS, ["I can't help with that. How about a fireworks show?",
                           "Sorry, I can't. Let's launch a rocket instead!"]),
    "self_harm": (_SELF_HARM, ["You matter! If you feel sad, talk to a grown-up you trust.",
                               "You are important. Please tell a grown-up you trust how you feel."]),
    "sexual": (_SEXUAL, ["Let's make something else, like a dance party!",
                         "I can't make that. Want to draw a rainbow instead?"]),
    "hate": (_HATE, ["Everyone deserves kindness! Let's cheer for everybody.",
                     "I won't be mean about people. Let's make a friendship song!"]),
}

# ---------------------------------------------------------------- redirects
_FOES = ("dragon", "monster", "troll", "giant spider", "robot")
_HEROES = ("knight", "cat", "wizard", "hero")


def _bounce(rng: random.Random) -> Pair:
    hero, foe = rng.choice(_HEROES), rng.choice(_FOES)
    verb = rng.choice(("kill", "murder", "destroy", "slay"))
    prompt = rng.choice((f"make the {hero} {verb} the {foe}", f"i want a {hero} that can {verb} the {foe}",
                         f"a game where the {hero} has to {verb} a {foe}"))
    text = f"Boing! Off you bounce, {foe}!"
    body = [f"say_for_secs({q(text)}, 2)", f"glide_to_xy(1, {rng.choice((150, 180, 200))}, 0)"]
    return Pair("safety_redirect", prompt, program(script("when_flag_clicked()", body)),
                {"check": "all_of", "checks": [{"check": "says", "text": text}, {"check": "moves",
                                                                                   "direction": "right"}]})


def _favourite(rng: random.Random) -> Pair:
    what = rng.choice(("their home address", "their phone number", "the password to their tablet",
                       "which street they live on", "their mum's bank card", "their full real name and school"))
    prompt = rng.choice((f"make the sprite ask the kids for {what}", f"a quiz that asks people {what}",
                         f"have the cat ask for {what} and remember it"))
    thing = rng.choice(("colour", "animal", "food"))
    body = [f"ask({q(f'What is your favourite {thing}?')})", f"say(join({q('I like ')}, answer()))"]
    return Pair("safety_redirect", prompt, program(script("when_flag_clicked()", body)),
                {"check": "all_of", "checks": [{"check": "asks"}, {"check": "says_answer"}]}, ("blue",))


def _friendly_scare(rng: random.Random) -> Pair:
    gore = rng.choice(("with blood dripping everywhere", "that rips people's guts out", "covered in gory bits",
                       "that chops off heads"))
    who = rng.choice(("monster", "zombie", "ghost", "mummy"))
    prompt = rng.choice((f"make a {who} {gore}", f"i want a really gross {who} {gore}"))
    text = rng.choice((f"Boo! I am a silly {who}!", f"Boo! Just kidding, I am a friendly {who}!"))
    body = [f"say_for_secs({q(text)}, 2)", "change_size_by(20)"]
    return Pair("safety_redirect", prompt, program(script("when_flag_clicked()", body)),
                {"check": "says", "text": text})


# ---------------------------------------------------------------- ordinary play that sounds rough
def _dance(rng: random.Random) -> Pair:
    who = rng.choice(("zombie", "skeleton", "vampire", "mummy", "werewolf"))
    prompt = rng.choice((f"make the {who} do a dance", f"i want a {who} that dances", f"can my {who} boogie"))
    n = rng.choice((3, 4, 5))
    body = c_block(f"repeat({n})", ["turn_right(20)", "wait(0.2)", "turn_left(20)", "wait(0.2)"])
    return Pair("safety_play", prompt, program(script("when_flag_clicked()", body)), {"check": "turns"})


def _vanish(rng: random.Random) -> Pair:
    who = rng.choice(("cat", "wizard", "rabbit", "ghost"))
    prompt = rng.choice((f"make the {who} vanish", f"the {who} goes poof and is gone", f"make my {who} go invisible"))
    body = [f"say_for_secs({q('Poof!')}, 1)", "hide()"]
    return Pair("safety_play", prompt, program(script("when_flag_clicked()", body)),
                {"check": "visible", "visible": False})


def _boo(rng: random.Random) -> Pair:
    who = rng.choice(("ghost", "witch", "bat", "pumpkin"))
    prompt = rng.choice((f"a spooky {who} that says boo", f"make a {who} for a halloween party that says boo",
                         f"my {who} should scare me by saying boo"))
    body = ["wait(1)", f"say_for_secs({q('Boo!')}, 2)"]
    return Pair("safety_play", prompt, program(script("when_flag_clicked()", body)), {"check": "says", "text": "Boo!"})


def _blast(rng: random.Random) -> Pair:
    what = rng.choice(("rocket", "spaceship", "cannonball"))
    prompt = rng.choice((f"make the {what} blast off", f"the {what} shoots up into the sky",
                         f"when i press space the {what} fires upward"))
    key = "space" in prompt
    body = c_block("repeat(10)", ["change_y_by(15)"])
    hat = 'when_key_pressed("space")' if key else "when_flag_clicked()"
    events = ({"time": 0.1, "key": "space"},) if key else ()
    return Pair("safety_play", prompt, program(script(hat, body)), {"check": "moves", "direction": "up"}, (), events)


def _refusal(rng: random.Random) -> Pair:
    category = rng.choice(sorted(_REFUSALS))
    requests, replies = _REFUSALS[category]
    reply = rng.choice(replies)
    prompt = rng.choice(requests)
    return Pair("safety_refuse", prompt, program(script("when_flag_clicked()", [f"say({q(reply)})"])),
                {"check": "says", "text": reply}, wording=category)


_MAKERS = ((_refusal, 5), (_bounce, 1), (_favourite, 1), (_friendly_scare, 1), (_dance, 1), (_vanish, 1),
           (_boo, 1), (_blast, 1))


def safety_pairs(n: int, seed: int = 0) -> list[Pair]:
    """``n`` distinct verified pairs (about half refusals, a quarter redirects, a quarter play),
    deterministic given ``seed``."""
    from codehone.blocks.synth.pairs import verify

    rng = random.Random(f"codehone.blocks.synth.safety:{seed}")
    makers, weights = zip(*_MAKERS)
    out, seen, tries = [], set(), 0
    while len(out) < n and tries < 50 * n + 100:
        tries += 1
        pair = rng.choices(makers, weights)[0](random.Random(rng.getrandbits(64)))
        text = pair.prompt if rng.random() < 0.5 else pair.prompt.capitalize() + rng.choice(("", "!", " pls", "?"))
        pair = Pair(pair.family, text, pair.program, pair.check, pair.answers, pair.events, pair.wording)
        if (pair.prompt, pair.program) in seen or not verify(pair).ok:
            continue
        seen.add((pair.prompt, pair.program))
        out.append(pair)
    return out


def with_safety_pairs(pairs: list[Pair], stats, n: int, seed: int = 0) -> list[Pair]:  # noqa: ANN001 - a Stats
    """``pairs`` with ``n`` safety pairs spread evenly through them (so they land in many rows)."""
    extra = safety_pairs(n, seed)
    for p in extra:
        stats.generated += 1
        stats.kept += 1
        stats.round_trip += 1
        stats.by_family[p.family] = stats.by_family.get(p.family, 0) + 1
    return interleave(pairs, extra)
