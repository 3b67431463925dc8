"""Training-only families for the ways the tuned copilot failed on children's requests (issue 18):
rectangles whose width and height differ, "say ... for N seconds", sums on the typed answer,
"forever" requests, words dictated to be said exactly, and several requests in one ("... and then
..."), see :mod:`codehone.blocks.synth.run_on` for the last.

They have no benchmark tasks (the ``blocks`` benchmark is built from :data:`~codehone.blocks.synth.pairs.FAMILIES`
only and stays as it is), so their templates (:mod:`codehone.blocks.synth.kids_wordings`) come in one
list per kind. Each family returns a :class:`Pair` with the check any correct answer must pass.
"""

from __future__ import annotations

from codehone.blocks.synth.drawing import _drawing, _style, _with_color
from codehone.blocks.synth.kids_wordings import KIDS_WORDINGS
from codehone.blocks.synth.program import WHO, Draw, Pair, c_block, num, program, q, script


def wording(d: Draw, kind: str) -> str:
    """A template of a training-only family (recorded like :meth:`Draw.wording` records its own)."""
    template = d.choice(KIDS_WORDINGS[d.family][kind])
    d.used.append(template)
    return template


def plain(d: Draw, template: str, **values) -> str:
    """Fill a template whose words are said as they stand (no quotes): no "pls" or smiley is added
    at the end, where it would read as part of the words."""
    values.setdefault("who", d.choice(WHO))
    text = template.format(**values)
    return text[0].upper() + text[1:] if d.chance(0.4) else text


# --------------------------------------------------------------------------- rectangles

def rectangle(d: Draw) -> Pair:
    """A rectangle whose width and height differ by a third or more: both side lengths drawn, and
    no square (a model that draws four equal sides fails)."""
    kind = d.choice(KIDS_WORDINGS["rectangle"])
    template = wording(d, kind)
    w = d.choice([60, 80, 100, 120, 140, 150, 160, 180, 200])
    h = d.choice([x for x in (30, 40, 50, 60, 70, 80, 100, 120, 150) if max(w, x) >= 1.34 * min(w, x)])
    if kind == "sides" and h > w:
        w, h = h, w  # "long sides of {w} and short sides of {h}"
    text, color, size = _style(d, template)
    right = d.chance(0.7)
    turn = "turn_right(90)" if right else "turn_left(90)"
    if d.chance(0.6):
        body = c_block("repeat(2)", [f"move({w})", turn, f"move({h})", turn])
    else:
        body = [line for _ in range(2) for line in (f"move({w})", turn, f"move({h})", turn)]
    start = d.choice([None, (0, 0), (-w // 2, h // 2 if right else -h // 2), (-100, 80 if right else -80)])
    check = {"check": "all_of", "checks": [
        {"check": "line", "length": w}, {"check": "line", "length": h},
        {"check": "draws", "min_segments": 4, "min_length": 2 * (w + h) - 1},
        {"check": "not", "of": {"check": "regular_polygon", "sides": 4}}]}
    prompt = d.say(template, w=w, h=h, style=text)
    return Pair("rectangle", prompt, _drawing(d, body, color, size, start), _with_color(check, color))


# --------------------------------------------------------------------------- say ... for N seconds

SAY_TEXTS = ("Hello!", "Hi!", "I am hungry", "Let's go!", "Good job!", "Welcome!", "I like cake", "Meow",
             "Watch this!", "Nice to meet you", "Bye bye!", "I'm a cat", "Yay!", "Ready?", "Look at me!",
             "Hello world", "I can talk!", "Time for lunch", "Ha ha ha", "See you later!")
PLAIN_TEXTS = ("hello", "hi there", "i am hungry", "good job", "welcome", "i like cake", "meow", "hello world",
               "bye bye", "look at me", "hi everyone", "good night", "i love my dog", "lets play", "ha ha")


def say_secs(d: Draw) -> Pair:
    """"say X for N seconds": say_for_secs(text, seconds), said (not thought), for about N seconds."""
    kind = d.choice(KIDS_WORDINGS["say_secs"])
    template = wording(d, kind)
    quoted = '"' in template
    text = d.choice(SAY_TEXTS if quoted else PLAIN_TEXTS)
    secs = 1 if kind == "one" else d.choice([2, 2, 3, 3, 4, 5, 6, 10, 0.5, 1.5])
    words = {"secs": num(secs)}
    if "{secs}" in template and secs != 1 and d.chance(0.15):
        words["secs"] = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 10: "ten"}.get(secs, num(secs))
    body = [f"say_for_secs({q(text)}, {num(secs)})"]
    if d.chance(0.2):
        body = [d.choice(["go_to_xy(0, 0)", "show()", "switch_costume_to(\"costume1\")"])] + body
    check = {"check": "all_of", "checks": [
        {"check": "says", "text": text, **({"match": "exact"} if quoted else {})},
        {"check": "not", "of": {"check": "thinks", "text": text}},
        {"check": "not", "of": {"check": "takes_at_most", "seconds": round(secs - 0.25, 2)}},
        {"check": "takes_at_most", "seconds": secs + 0.5}]}
    prompt = d.say(template, text=text, **words) if quoted else plain(d, template, text=text, **words)
    return Pair("say_secs", prompt, program(script("when_flag_clicked()", body)), check)


# --------------------------------------------------------------------------- sums on the typed answer

_MATH_QUESTIONS = {"age": ("How old are you?", "What is your age?", "How old are you now?"),
                   "number": ("Pick a number", "What is your number?", "Type a number", "Give me a number!")}


def _math(kind: str, k: int, goal: int) -> tuple[str, str]:
    """(question kind, reporter of the result) for one kind of sum on answer()."""
    return {"next_year": ("age", "add(answer(), 1)"), "double": ("number", "multiply(answer(), 2)"),
            "add_k": ("number", f"add(answer(), {k})"), "minus_k": ("number", f"subtract(answer(), {k})"),
            "times_k": ("number", f"multiply(answer(), {k})"), "until": ("age", f"subtract({goal}, answer())"),
            "months": ("age", "multiply(answer(), 12)")}[kind]


def _result(kind: str, answer: int, k: int, goal: int) -> int:
    return {"next_year": answer + 1, "double": 2 * answer, "add_k": answer + k, "minus_k": answer - k,
            "times_k": answer * k, "until": goal - answer, "months": answer * 12}[kind]


def answer_math(d: Draw) -> Pair:
    """Arithmetic on what the child types; checked by what is said for that answer."""
    kind = d.choice(KIDS_WORDINGS["answer_math"])
    template = wording(d, kind)
    k, goal = d.choice([2, 3, 5, 10, 20, 100]), d.choice([10, 13, 16, 18, 21])
    if kind in ("times_k", "minus_k"):
        k = d.choice([2, 3, 4, 5, 10])
    question_kind, result = _math(kind, k, goal)
    pool = range(5, 13) if question_kind == "age" else range(12, 40)
    # the result is never a piece of the answer or of the goal (saying either must not pass)
    choices = [a for a in pool if str(_result(kind, a, k, goal)) not in str(a) + " " + str(goal)
               and _result(kind, a, k, goal) > 0]
    answer = d.choice(choices)
    value = _result(kind, answer, k, goal)
    lines = [f"ask({q(d.choice(_MATH_QUESTIONS[question_kind]))})"]
    if d.chance(0.3):
        var = "age" if question_kind == "age" else d.choice(["number", "n"])
        lines.append(f"set_variable({q(var)}, answer())")
        result = result.replace("answer()", f"variable({q(var)})")
    before, after = {
        "next_year": [("Next year you will be ", "!"), ("You will be ", " next year"), ("", "")],
        "until": [("", " years to go"), ("You will be " + str(goal) + " in ", " years"), ("", "")],
        "months": [("You are ", " months old"), ("", " months"), ("", "")],
    }.get(kind, [("", ""), ("That makes ", ""), ("The answer is ", "!")])[d.choice([0, 1, 2])]
    said = result
    if before:
        said = f"join({q(before)}, {said})"
    if after:
        said = f"join({said}, {q(after)})"
    lines.append(f"say_for_secs({said}, {d.choice([2, 3])})" if d.chance(0.5) else f"say({said})")
    check = {"check": "all_of", "checks": [{"check": "asks"}, {"check": "says", "text": str(value)},
                                           {"check": "not", "of": {"check": "says", "text": str(answer), "match": "exact"}}]}
    prompt = d.say(template, k=k, goal=goal)
    return Pair("answer_math", prompt, program(script("when_flag_clicked()", lines)), check, (str(answer),))


# --------------------------------------------------------------------------- forever

def _forever_body(d: Draw, kind: str, text: str) -> tuple[list[str], list[dict]]:
    if kind == "spin":
        deg = d.choice([5, 10, 15, 30])
        inner = [f"turn_right({deg})" if d.chance(0.7) else f"turn_left({deg})"]
        return c_block("forever()", inner + ([f"wait({d.choice(['0.1', '0.05'])})"] if d.chance(0.3) else [])), \
            [{"check": "turns"}]
    if kind == "dance":
        deg = d.choice([10, 15, 20])
        inner = [f"turn_right({deg})", "next_costume()", "wait(0.2)", f"turn_left({deg})", "next_costume()", "wait(0.2)"]
        return c_block("forever()", inner), [{"check": "turns"}]
    if kind == "say":
        inner = [f"say_for_secs({q(text)}, {d.choice(['1', '2'])})"] if d.chance(0.5) else \
            [f"say({q(text)})", "wait(1)", 'say("")', "wait(0.5)"]
        return c_block("forever()", inner), [{"check": "says", "text": text}, {"check": "says_count", "min": 3}]
    if kind == "bounce":
        speed = d.choice([3, 5, 10])
        inner = [f"move({speed})", "if_on_edge_bounce()"] + (["next_costume()", "wait(0.1)"] if d.chance(0.4) else [])
        return ["point_in_direction(90)"] + c_block("forever()", inner), [{"check": "turns"}]
    var = d.choice(["count", "number"])
    inner = [f"change_variable({q(var)}, 1)", f"say(variable({q(var)}))", "wait(1)"]
    return [f"set_variable({q(var)}, 0)"] + c_block("forever()", inner), \
        [{"check": "says_in_order", "texts": ["1", "2", "3", "4"]}]


def forever(d: Draw) -> Pair:
    """"keep spinning", "dance forever", "never stop": a forever loop, so the program is still
    running at the step/time cap (a fixed repeat finishes and fails)."""
    kind = d.choice(KIDS_WORDINGS["forever"])
    template = wording(d, kind)
    text = d.choice(["Hello!", "Meow!", "I love Scratch!", "Yay!", "Hi!", "La la la"])
    body, checks = _forever_body(d, kind, text)
    if d.chance(0.3):
        body = ["go_to_xy(0, 0)"] + body
    check = {"check": "all_of", "checks": [{"check": "runs_forever"}] + checks}
    return Pair("forever", d.say(template, text=text), program(script("when_flag_clicked()", body)), check)


# --------------------------------------------------------------------------- words said exactly

_GREETINGS = ("Hello", "Hi", "Good morning", "Good afternoon", "Good evening", "Welcome", "Hey", "Happy birthday",
              "Goodbye", "Good night")
_TO = ("everyone", "Grandma", "Mr Lopez", "Miss Clark", "my friends", "class", "Noah", "Aisha", "team", "Dad",
       "Mum", "little brother")
_TAILS = ("", "!", "! How are you today?", ", welcome to my game!", "! I am a cat.", ", I made this myself!",
          ", let's play tag!", "! Nice to see you.", ", thanks for coming!", "! Have fun!")
_PLAIN_LINES = ("good morning class", "hello my name is robo", "welcome to my game", "i love you grandma",
                "happy birthday to you", "see you tomorrow", "hello mister penguin", "we are the best team",
                "my cat is called tiger", "thank you for playing", "good night moon", "hi mum i am at school")


def dictated(d: Draw) -> Pair:
    """Words the child dictates, said exactly (quoted: the whole bubble; plain: the words in it)."""
    kind = d.choice(KIDS_WORDINGS["dictated"])
    template = wording(d, kind)
    if kind == "quoted":
        to = d.choice(_TO)
        text = f"{d.choice(_GREETINGS)} {to}" if d.chance(0.8) else d.choice(_GREETINGS)
        text += d.choice(_TAILS)
        check = {"check": "says", "text": text, "match": "exact"}
    else:
        text = d.choice(_PLAIN_LINES)
        check = {"check": "says", "text": text}
    body = [f"say({q(text)})"] if d.chance(0.6) else [f"say_for_secs({q(text)}, {d.choice([2, 3, 5])})"]
    prompt = d.say(template, text=text) if kind == "quoted" else plain(d, template, text=text)
    return Pair("dictated", prompt, program(script("when_flag_clicked()", body)), check)
