"""The request families of :mod:`codehone.blocks.synth`: one function per kind of request a child
makes, each drawing its parameters, wording and program variant from a :class:`Draw` and
returning the :class:`Pair` with the behaviour check any correct answer must pass.
"""

from __future__ import annotations

from codehone.blocks.synth_program import Draw, Pair, c_block, num, program, q, script, sprites

SPRITE = "Sprite1"  # the sprite of a program written without a sprite("...") header
COLORS = {"red": "#ff0000", "blue": "#0000ff", "green": "#00c000", "orange": "#ff8000", "purple": "#8000ff",
          "pink": "#ff69b4", "yellow": "#ffff00", "black": "#000000", "light blue": "#00ffff", "brown": "#8b4513"}
SHAPES = {3: "triangle", 4: "square", 5: "pentagon", 6: "hexagon", 7: "heptagon", 8: "octagon", 9: "nonagon",
          10: "decagon"}


def _a(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


def _angle(d: Draw, total: int, n: int) -> str:
    """The turn of one corner: a literal when exact (sometimes still divide()), else divide()."""
    if total % n == 0 and not d.chance(0.15):
        return num(total // n)
    return f"divide({total}, {n})"


def _pen_setup(d: Draw, color: str | None, size: int | None, start: tuple[int, int] | None) -> list[str]:
    lines = []
    if d.chance(0.5):
        lines.append("erase_all()")
    if start is not None:
        lines.append(f"go_to_xy({start[0]}, {start[1]})")
    if d.chance(0.3):
        lines.append("point_in_direction(90)")
    if color:
        lines.append(f"set_pen_color_to({q(COLORS[color])})")
    if size:
        lines.append(f"set_pen_size_to({size})")
    lines.append("pen_down()")
    return lines


def _style(d: Draw, template: str) -> tuple[str, str | None, int | None]:
    """The optional pen colour/size phrase of a drawing request (only where the template has {style})."""
    if "{style}" not in template or d.chance(0.45):
        return "", None, None
    color = d.choice(COLORS)
    if d.chance(0.3):
        size = d.choice([2, 3, 4, 5, 8])
        return d.choice([f" in {color} with pen size {size}", f" with {_a(color)} pen of size {size}",
                         f", {color} and {size} thick"]), color, size
    return d.choice([f" in {color}", f" with {_a(color)} pen", f" using {color}", f" ({color})"]), color, None


def _with_color(check: dict, color: str | None) -> dict:
    return {"check": "all_of", "checks": [check, {"check": "pen_color", "color": COLORS[color]}]} if color else check


def _drawing(d: Draw, body: list[str], color, size, start=None) -> str:
    lines = _pen_setup(d, color, size, start) + body
    if d.chance(0.5):
        lines.append("pen_up()")
    return program(script("when_flag_clicked()", lines))


# --------------------------------------------------------------------------- the families

def polygon(d: Draw) -> Pair:
    n = d.choice(range(3, 11))
    template = d.wording()
    side = d.value([s for s in range(20, 101, 10) if s * n <= 500] or [20],
                   [s for s in (25, 45, 55, 65, 75) if s * n <= 500])
    text, color, size = _style(d, template)
    shape = SHAPES[n] if d.chance(0.75) else d.choice([f"{n}-sided shape", f"shape with {n} sides"])
    has_side = "{side}" in template
    side = side if has_side else d.choice([50, 60, 80, 100] if n <= 5 else [30, 40, 50])
    right = d.chance(0.7)
    turn = "turn_right" if right else "turn_left"
    start = d.choice([None, (0, 0), (-50, 50 if right else -50), (-80, 80 if right else -80)])
    body = c_block(f"repeat({n})", [f"move({side})", f"{turn}({_angle(d, 360, n)})"])
    check = {"check": "regular_polygon", "sides": n, "side": side if has_side else None}
    check = {k: v for k, v in check.items() if v is not None}
    return Pair("polygon", d.say(template, shape=shape, a_shape=_a(shape), side=side, style=text, n=n),
                _drawing(d, body, color, size, start), _with_color(check, color))


def star(d: Draw) -> Pair:
    points = d.value([5, 5, 5, 8, 9], [7])
    template = d.wording()
    side = d.value(range(60, 131, 10), [75, 95, 115])
    text, color, size = _style(d, template)
    turn = {5: "144", 7: "divide(1080, 7)", 8: "135", 9: "160"}[points]
    if d.chance(0.3) and points == 5:
        turn = "multiply(2, 72)"
    has_side = "{side}" in template
    side = side if has_side else 100
    start = d.choice([None, (-50, 50), (-60, 40)])
    body = c_block(f"repeat({points})", [f"move({side})", f"turn_right({turn})"])
    check = {"check": "star", "points": points, **({"side": side} if has_side else {})}
    return Pair("star", d.say(template, points=points, side=side, style=text),
                _drawing(d, body, color, size, start), _with_color(check, color))


def circle(d: Draw) -> Pair:
    template = d.wording()
    text, color, size = _style(d, template)
    big = "{size_word}" in template and d.chance(0.5)
    steps, turn = d.choice([(36, 10), (36, 10), (24, 15), (72, 5), (360, 1), (20, 18)])
    step = {36: [2, 3, 4, 5, 6, 8], 24: [3, 4, 6, 8], 72: [1, 2, 3], 360: [1], 20: [4, 6, 8, 10]}[steps]
    step = [s for s in step if (s * steps >= 240) == big or steps == 360] or step
    length = d.choice(step)
    start = d.choice([None, (0, 60), (0, 80)]) if steps * length > 250 else d.choice([None, (0, 0)])
    body = c_block(f"repeat({steps})", [f"move({length})", f"turn_right({turn})"])
    word = "big" if big else d.choice(["small", "little", "tiny"])
    return Pair("circle", d.say(template, size_word=word, style=text),
                _drawing(d, body, color, size, start), _with_color({"check": "circle"}, color))


def line(d: Draw) -> Pair:
    template = d.wording()
    direction = d.choice(["right", "right", "up", "down", "left"]) if "{direction}" in template else "right"
    limit = 300 if direction in ("right", "left") else 250
    length = d.value([x for x in (50, 80, 100, 120, 150, 200, 250, 300) if x <= limit], [90, 140, 180])
    text, color, size = _style(d, template)
    heading = {"right": 90, "left": -90, "up": 0, "down": 180}[direction]
    start = None
    if length > 150:
        start = {"right": (-150, 0), "left": (150, 0), "up": (0, -120), "down": (0, 120)}[direction]
    body = [f"point_in_direction({heading})"] if direction != "right" or d.chance(0.3) else []
    body.append(f"move({length})")
    check = {"check": "line", "length": length}  # any direction: a drawing may start with go_to_xy
    lines = _pen_setup(d, color, size, start)
    lines = [x for x in lines if not x.startswith("point_in")] + body
    return Pair("line", d.say(template, length=length, direction=direction, style=text),
                program(script("when_flag_clicked()", lines)), _with_color(check, color))


def stairs(d: Draw) -> Pair:
    kind = d.choice(["stairs", "zigzag"])
    template = d.wording(kind)
    k = d.value(range(3, 8), [8])
    s = d.value([10, 20, 30], [15, 25])
    text, color, size = _style(d, template)
    start = (-150, -120) if k * s > 100 else d.choice([None, (-50, -50)])
    if kind == "stairs":
        if d.chance(0.5):
            step = ["turn_left(90)", f"move({s})", "turn_right(90)", f"move({s})"]
        else:
            step = [f"change_y_by({s})", f"change_x_by({s})"]
        body = c_block(f"repeat({k})", step)
    else:
        body = ["point_in_direction(45)"] + c_block(f"repeat({k})", [f"move({s})", "turn_right(90)", f"move({s})",
                                                                    "turn_left(90)"])
    # Judged by the pen lines only: "moves" compares with where the sprite began, and a drawing
    # may start with a go_to_xy anywhere.
    # The total length only counts when the request names the step size.
    check = {"check": "draws", "min_segments": 2 * k, **({"min_length": 2 * k * s - 1} if "{s}" in template else {})}
    return Pair("stairs", d.say(template, k=k, s=s, style=text), _drawing(d, body, color, size, start),
                _with_color(check, color))


def moving(d: Draw) -> Pair:
    kind = d.choice(["glide", "goto", "steps", "updown"])
    template = d.wording(kind)
    x, y = d.value(range(-200, 201, 50), [-175, 125, 175]), d.value(range(-150, 151, 50), [-125, 75])
    if kind in ("glide", "goto"):
        secs = d.value([1, 2, 3], [0.5, 4])
        if kind == "glide":
            body = [f"glide_to_xy({num(secs)}, {x}, {y})"]
        else:
            body = [f"go_to_xy({x}, {y})"] if d.chance(0.7) else [f"set_x({x})", f"set_y({y})"]
        if d.chance(0.3):
            body = ["go_to_xy(0, 0)"] + body
        check = {"check": "ends_at", "x": x, "y": y}
        prompt = d.say(template, x=x, y=y, secs=num(secs))
    else:
        n = d.value([20, 50, 80, 100, 150], [60, 120])
        direction = d.choice(["right", "left"] if kind == "steps" else ["up", "down"])
        heading = {"right": 90, "left": -90, "up": 0, "down": 180}[direction]
        sign = 1 if direction in ("right", "up") else -1
        axis = "x" if kind == "steps" else "y"
        if d.chance(0.5):
            body = [f"point_in_direction({heading})", f"move({n})"]
        else:
            body = [f"change_{axis}_by({sign * n})"]
        check = {"check": "moves", "direction": direction, "min_distance": n - 1}
        prompt = d.say(template, n=n, direction=direction)
    return Pair("moving", prompt, program(script("when_flag_clicked()", body)), check)


_KEY_MOVES = {"right arrow": ("right", "change_x_by({n})"), "left arrow": ("left", "change_x_by(-{n})"),
              "up arrow": ("up", "change_y_by({n})"), "down arrow": ("down", "change_y_by(-{n})")}
_WASD = {"d": "right arrow", "a": "left arrow", "w": "up arrow", "s": "down arrow"}


def keys(d: Draw) -> Pair:
    kind = d.choice(["arrows", "one", "wasd", "space"])
    template = d.wording(kind)
    n = d.value([5, 10, 15, 20], [12, 25])
    scripts: list[list[str]] = []
    if d.chance(0.4):
        scripts.append(script("when_flag_clicked()", ["go_to_xy(0, 0)"]))
    if kind == "space":
        text = d.value(["Jump!", "Boing!", "Yay!", "Hello!"], ["Wheee!", "Hop!"])
        scripts.append(script('when_key_pressed("space")', [f"say({q(text)})"] if d.chance(0.5)
                              else [f"say_for_secs({q(text)}, 1)"]))
        events = ({"time": 0.2, "key": "space"},)
        return Pair("keys", d.say(template, text=text), program(*scripts), {"check": "says", "text": text}, (), events)
    if kind == "one":
        key = d.choice(_KEY_MOVES)
        mapping = {key: key}
    elif kind == "wasd":
        mapping = {k: v for k, v in _WASD.items()}
    else:
        mapping = {k: k for k in _KEY_MOVES}
    for key, arrow in mapping.items():
        direction, body = _KEY_MOVES[arrow]
        if d.chance(0.3):
            heading = {"right": 90, "left": -90, "up": 0, "down": 180}[direction]
            lines = [f"point_in_direction({heading})", f"move({n})"]
        else:
            lines = [body.format(n=n)]
        scripts.append(script(f"when_key_pressed({q(key)})", lines))
    pressed = d.choice(list(mapping))
    times = d.choice([2, 3, 4])
    events = tuple({"time": round(0.2 * (i + 1), 2), "key": pressed} for i in range(times))
    direction = _KEY_MOVES[mapping[pressed]][0]
    check = {"check": "moves", "direction": direction, "min_distance": n * times - 1}
    key_word = mapping.get(pressed, pressed).replace(" arrow", "")
    return Pair("keys", d.say(template, n=n, key=key_word, direction=direction), program(*scripts), check, (), events)


def clicked(d: Draw) -> Pair:
    kind = d.choice(["say", "grow", "turn", "hide", "count"])
    template = d.wording(kind)
    events = tuple({"time": round(0.3 * (i + 1), 2), "click": SPRITE} for i in range(d.choice([1, 2, 3])))
    scripts = []
    if kind == "say":
        text = d.value(["Hello!", "Ouch!", "Meow!", "Hi there!", "That tickles!"], ["Stop it!", "Boo!"])
        body = [f"say({q(text)})"] if d.chance(0.5) else [f"say_for_secs({q(text)}, 2)"]
        check = {"check": "says", "text": text}
        values = {"text": text}
    elif kind == "grow":
        k = d.value([10, 20, 30, 50], [15, 40])
        body = [f"change_size_by({k})"]
        check, values = {"check": "grows"}, {"k": k}
    elif kind == "turn":
        k = d.value([15, 30, 45, 90], [20, 60])
        body = [f"turn_right({k})"] if d.chance(0.7) else c_block(f"repeat({360 // k})", [f"turn_right({k})"])
        check, values = {"check": "turns"}, {"k": k}  # a full spin still faces several ways on the way
    elif kind == "hide":
        body = ["hide()"]
        check, values = {"check": "visible", "visible": False}, {}
        if d.chance(0.4):
            scripts.append(script("when_flag_clicked()", ["show()"]))
    else:
        var = d.value(["clicks", "score", "count"], ["taps"])
        scripts.append(script("when_flag_clicked()", [f"set_variable({q(var)}, 0)"]))
        body = [f"change_variable({q(var)}, 1)"]
        check, values = {"check": "variable", "name": var, "equals": len(events)}, {"var": var}
    scripts.append(script("when_this_sprite_clicked()", body))
    return Pair("clicked", d.say(template, **values), program(*scripts), check, (), events)


_QUESTIONS = {
    "name": (["What's your name?", "What is your name?", "Hi! What's your name?"],
             ["Ana", "Leo", "Mia", "Sam", "Zoe", "Omar", "Lucas", "Emma"], ["Priya", "Kofi", "Ines"]),
    "age": (["How old are you?", "What is your age?"], ["7", "8", "9", "10", "11"], ["6", "12"]),
    "colour": (["What is your favourite colour?", "Which colour do you like best?"],
               ["blue", "red", "green", "purple"], ["yellow", "teal"]),
    "animal": (["What is your favourite animal?", "Which animal do you like?"],
               ["dogs", "cats", "horses", "pandas"], ["dolphins", "owls"]),
}


def ask(d: Draw) -> Pair:
    kind = d.choice(_QUESTIONS)
    template = d.wording(kind)
    questions, shared, held = _QUESTIONS[kind]
    question, answer = d.choice(questions), d.value(shared, held)
    reply = {
        "name": d.choice(['join("Hello ", answer())', 'join("Hi ", answer())',
                          'join(join("Nice to meet you, ", answer()), "!")']),
        "age": d.choice(['join(join("You are ", answer()), " years old!")', 'join("Wow, you are ", answer())']),
        "colour": d.choice(['join(answer(), " is a lovely colour!")', 'join("I like ", answer())']),
        "animal": d.choice(['join(answer(), " are cool!")', 'join("I love ", answer())']),
    }[kind]
    body = [f"ask({q(question)})", f"say({reply})" if d.chance(0.6) else f"say_for_secs({reply}, 2)"]
    check = {"check": "all_of", "checks": [{"check": "asks"}, {"check": "says_answer"}]}
    return Pair("ask", d.say(template), program(script("when_flag_clicked()", body)), check, (answer,))


def counting(d: Draw) -> Pair:
    kind = d.choice(["up", "down", "variable", "by"])
    template = d.wording(kind)
    var = d.value(["count", "number", "n"], ["counter"]) if kind != "variable" else \
        d.value(["score", "points", "count", "stars"], ["coins", "apples"])
    pause = d.choice([["wait(1)"], ["wait(0.5)"]])
    if kind == "up":
        n = d.value(range(3, 11), [12, 15])
        say = [f"say_for_secs(variable({q(var)}), 1)"] if d.chance(0.5) else [f"say(variable({q(var)}))"] + pause
        body = [f"set_variable({q(var)}, 0)"] + c_block(f"repeat({n})", [f"change_variable({q(var)}, 1)"] + say)
        check = {"check": "says_in_order", "texts": ["1", "2", str(n)]}
        values = {"n": n}
    elif kind == "down":
        n = d.value(range(3, 11), [12])
        end = d.value(["Blast off!", "Go!", "Happy new year!"], ["Ready or not, here I come!"])
        body = [f"set_variable({q(var)}, {n})"] + c_block(f"repeat({n})", [f"say(variable({q(var)}))"] + pause
                                                          + [f"change_variable({q(var)}, -1)"]) + [f"say({q(end)})"]
        check = {"check": "says_in_order", "texts": [str(n), str(n - 1), "1", end]}
        values = {"n": n, "end": end}
    elif kind == "variable":
        n, k = d.value(range(2, 11), [11, 13]), d.value([1, 2, 5, 10], [3])
        body = [f"set_variable({q(var)}, 0)"] + c_block(f"repeat({n})", [f"change_variable({q(var)}, {k})"])
        check = {"check": "variable", "name": var, "equals": n * k}
        values = {"n": n, "k": k, "var": var}
    else:
        k, n = d.value([2, 5, 10], [3]), d.value(range(3, 7), [7])
        body = [f"set_variable({q(var)}, 0)"] + c_block(f"repeat({n})", [f"change_variable({q(var)}, {k})",
                                                                         f"say(variable({q(var)}))"] + pause)
        check = {"check": "says_in_order", "texts": [str(k), str(2 * k), str(n * k)]}
        values = {"k": k, "top": n * k}
    return Pair("counting", d.say(template, **values), program(script("when_flag_clicked()", body)), check)


_PHRASES = (["Hello!", "Hi!", "I love Scratch!", "Good morning!", "Meow!", "Let's play!", "Happy birthday!"],
            ["Have a nice day!", "I am a robot.", "Hooray!"])


def loop_say(d: Draw) -> Pair:
    template = d.wording()
    text, n = d.value(*_PHRASES), d.value(range(2, 11), [12, 20])
    if d.chance(0.5):
        inner = [f"say_for_secs({q(text)}, {d.choice(['1', '0.5', '2'])})"]
    else:
        inner = [f"say({q(text)})", f"wait({d.choice(['1', '0.5'])})"]
        if d.chance(0.5):
            inner += ["say(\"\")", "wait(0.5)"]
    body = c_block(f"repeat({n})", inner)
    check = {"check": "all_of", "checks": [{"check": "says", "text": text}, {"check": "says_count", "min": n}]}
    return Pair("loop_say", d.say(template, text=text, n=n), program(script("when_flag_clicked()", body)), check)


def size(d: Draw) -> Pair:
    kind = d.choice(["grow", "shrink", "set"])
    template = d.wording(kind)
    reset = ["set_size_to(100)"] if d.chance(0.4) else []
    if kind == "set":
        pct = d.value([150, 200, 300], [250])
        body = reset + [f"set_size_to({pct})"]
        check, values = {"check": "grows"}, {"pct": pct, "times": {150: "one and a half", 200: "two", 300: "three",
                                                                   250: "two and a half"}[pct]}
    else:
        n, k = d.value([5, 10, 20], [8, 15]), d.value([2, 5, 10], [4])
        sign = "" if kind == "grow" else "-"
        inner = [f"change_size_by({sign}{k})"] + (["wait(0.1)"] if d.chance(0.5) else [])
        body = reset + c_block(f"repeat({n})", inner)
        check, values = {"check": "grows", **({"shrink": True} if kind == "shrink" else {})}, {"n": n, "k": k}
    return Pair("size", d.say(template, **values), program(script("when_flag_clicked()", body)), check)


def costume(d: Draw) -> Pair:
    kind = d.choice(["walk", "dance"])
    template = d.wording(kind)
    n = d.value([5, 10, 20], [8, 15])
    if kind == "walk":
        step = d.choice([5, 10])
        inner = [f"move({step})", "next_costume()", f"wait({d.choice(['0.1', '0.2'])})"]
        if d.chance(0.5):
            inner = inner[1:2] + inner[:1] + inner[2:]
        n = min(n, 200 // step)
        body = c_block(f"repeat({n})", inner)
        # "walk with its costumes changing" names no distance: any walk to the right counts.
        check = {"check": "moves", "direction": "right", "min_distance": 10}
    else:
        deg = d.choice([10, 15, 20])
        body = c_block(f"repeat({n})", [f"turn_right({deg})", "next_costume()", "wait(0.2)", f"turn_left({deg})",
                                        "next_costume()", "wait(0.2)"])
        check = {"check": "turns"}
    return Pair("costume", d.say(template, n=n), program(script("when_flag_clicked()", body)), check)


def hide_show(d: Draw) -> Pair:
    kind = d.choice(["hide", "reappear", "blink"])
    template = d.wording(kind)
    secs = d.value([1, 2, 3], [5])
    if kind == "hide":
        body = ([f"wait({secs})"] if "{secs}" in template else []) + ["hide()"]
        check = {"check": "visible", "visible": False}
    elif kind == "reappear":
        body = (["show()"] if d.chance(0.3) else []) + ["hide()", f"wait({secs})", "show()"]
        check = {"check": "all_of", "checks": [{"check": "visible", "visible": True}, {"check": "finishes"}]}
    else:
        n = d.value([3, 4, 5], [6])
        body = c_block(f"repeat({n})", ["hide()", "wait(0.5)", "show()", "wait(0.5)"])
        check = {"check": "all_of", "checks": [{"check": "visible", "visible": True}, {"check": "finishes"}]}
        secs = n
    return Pair("hide_show", d.say(template, secs=secs, n=secs), program(script("when_flag_clicked()", body)), check)


_LINES = (["Once upon a time", "there was a little cat", "who loved to dance", "The end!", "Hello!",
           "Where is my hat?", "I found it!", "Let's go to the park"],
          ["A dragon lived in a cave", "It was very hungry", "So it ate a cookie"])
_ANIMALS = (["Cat", "Dog", "Bear", "Fox", "Owl"], ["Robot", "Dragon"])
_REPLIES = (["Hi Cat!", "Hello!", "Woof!", "Nice to see you!", "How are you?", "I am fine, thanks!"],
            ["Want to play?", "Sure!"])


def story(d: Draw) -> Pair:
    kind = d.choice(["one", "two"])
    template = d.wording(kind)
    secs = d.choice([1, 2])
    if kind == "one":
        pool = list(_LINES[0]) + (list(_LINES[1]) if d.split == "bench" else [])
        texts = [pool[i] for i in sorted(d.rng.sample(range(len(pool)), d.choice([2, 3, 4])))]
        if d.chance(0.5):
            body = [f"say_for_secs({q(t)}, {secs})" for t in texts]
        else:
            body = [x for t in texts for x in (f"say({q(t)})", f"wait({secs})")]
        quoted = ", then ".join(f'"{t}"' for t in texts)
        return Pair("story", d.say(template, lines=quoted, n=len(texts)),
                    program(script("when_flag_clicked()", body)), {"check": "says_in_order", "texts": texts})
    a, b = d.rng.sample(list(_ANIMALS[0]) + (list(_ANIMALS[1]) if d.split == "bench" else []), 2)
    line_a, line_b = d.value(*_PHRASES), d.value(*_REPLIES)
    if d.chance(0.5):  # timing: the second sprite waits its turn
        first = [script("when_flag_clicked()", [f"say_for_secs({q(line_a)}, {secs})"])]
        second = [script("when_flag_clicked()", [f"wait({secs})", f"say_for_secs({q(line_b)}, {secs})"])]
    else:  # or is told to go by a message
        first = [script("when_flag_clicked()", [f"say_for_secs({q(line_a)}, {secs})", 'broadcast("your turn")'])]
        second = [script('when_i_receive("your turn")', [f"say_for_secs({q(line_b)}, {secs})"])]
    prompt = d.say(template, a=a.lower(), b=b.lower(), line_a=line_a, line_b=line_b)
    return Pair("story", prompt, sprites([(a, first), (b, second)]),
                {"check": "says_in_order", "texts": [line_a, line_b]})


def game(d: Draw) -> Pair:
    kind = d.choice(["bounce", "click_score", "key_score", "edge"])
    template = d.wording(kind)
    if kind == "bounce":
        speed, heading = d.value([5, 10, 15], [8, 12]), d.choice([30, 45, 60, 120, 135])
        inner = [f"move({speed})", "if_on_edge_bounce()"]
        body = ([f"point_in_direction({heading})"] + c_block("forever()", inner))
        check = {"check": "all_of", "checks": [{"check": "runs_forever"}, {"check": "turns"}]}
        return Pair("game", d.say(template, speed=speed), program(script("when_flag_clicked()", body)), check)
    var = d.value(["score", "points"], ["goals"])
    times = d.choice([2, 3, 4, 5])
    if kind == "edge":
        speed = d.value([5, 10], [4])
        text = d.value(["I win!", "Made it!", "Done!"], ["Finished!"])
        body = ["go_to_xy(-200, 0)", "point_in_direction(90)"] + c_block('repeat_until(touching("edge"))',
                                                                        [f"move({speed})"]) + [f"say({q(text)})"]
        check = {"check": "all_of", "checks": [{"check": "moves", "direction": "right", "min_distance": 150},
                                               {"check": "says", "text": text}, {"check": "finishes"}]}
        return Pair("game", d.say(template, speed=speed, text=text), program(script("when_flag_clicked()", body)), check)
    start = script("when_flag_clicked()", [f"set_variable({q(var)}, 0)"] + (["show()"] if d.chance(0.3) else []))
    if kind == "click_score":
        hat, events = "when_this_sprite_clicked()", tuple({"time": round(0.3 * (i + 1), 2), "click": SPRITE}
                                                          for i in range(times))
        extra = ["go_to(\"random position\")"] if "{moves}" in template else []
        key = ""
    else:
        key = d.choice(["space", "up arrow"])
        hat, events = f"when_key_pressed({q(key)})", tuple({"time": round(0.2 * (i + 1), 2), "key": key}
                                                          for i in range(times))
        extra = []
    react = script(hat, [f"change_variable({q(var)}, 1)"] + extra)
    return Pair("game", d.say(template, var=var, key=key.replace(" arrow", ""), moves=""), program(start, react),
                {"check": "variable", "name": var, "equals": times}, (), events)


def custom(d: Draw) -> Pair:
    kind = d.choice(["square", "polygon", "triangle", "fixed"])
    template = d.wording(kind)
    name = {"square": "square", "polygon": d.choice(["polygon", "shape"]), "triangle": "triangle",
            "fixed": d.choice(["hexagon", "pentagon", "octagon"])}[kind]
    size = d.value([30, 40, 50, 60, 80], [35, 70])
    pre = ["erase_all()"] if d.chance(0.5) else []
    warp = ", warp=True" if d.chance(0.15) else ""
    if kind in ("square", "triangle"):
        n = 4 if kind == "square" else 3
        define = c_block(f'define({q(name)}, "size"{warp})', c_block(f"repeat({n})", ['move(arg("size"))',
                                                                                    f"turn_right({360 // n})"]))
        calls, check = [f"call({q(name)}, {size})"], {"check": "regular_polygon", "sides": n, "side": size}
        values = {"size": size}
    elif kind == "polygon":
        n = d.value([5, 6, 8], [7])
        size = min(size, 500 // n)
        define = c_block(f'define({q(name)}, "sides", "length"{warp})',
                         c_block('repeat(arg("sides"))', ['move(arg("length"))', 'turn_right(divide(360, arg("sides")))']))
        calls, check = [f"call({q(name)}, {n}, {size})"], {"check": "regular_polygon", "sides": n, "side": size}
        values = {"n": n, "size": size}
    else:
        n = {"hexagon": 6, "pentagon": 5, "octagon": 8}[name]
        side = 40
        define = c_block(f"define({q(name)}{warp})", c_block(f"repeat({n})", [f"move({side})",
                                                                             f"turn_right({_angle(d, 360, n)})"]))
        # the request names no size ("a custom hexagon block"): any regular hexagon counts
        calls, check = [f"call({q(name)})"], {"check": "regular_polygon", "sides": n, "side": None}
        values = {}
    main = script("when_flag_clicked()", pre + ["pen_down()"] + calls + (["pen_up()"] if d.chance(0.5) else []))
    scripts = [main, define] if d.chance(0.6) else [define, main]
    return Pair("custom", d.say(template, name=name, **values), program(*scripts), check)


def think(d: Draw) -> Pair:
    template = d.wording()
    text = d.value(["Hmm...", "I wonder...", "What should I do?", "Yummy pizza"], ["So sleepy..."])
    secs = d.value([1, 2, 3], [4])
    body = [f"think_for_secs({q(text)}, {secs})"] if "{secs}" in template else [f"think({q(text)})"]
    return Pair("think", d.say(template, text=text, secs=secs), program(script("when_flag_clicked()", body)),
                {"check": "thinks", "text": text})


def broadcast(d: Draw) -> Pair:
    template = d.wording()
    a, b = d.rng.sample(list(_ANIMALS[0]) + (list(_ANIMALS[1]) if d.split == "bench" else []), 2)
    text = d.value(["Woof!", "Hello!", "You clicked my friend!", "Hi!"], ["Yippee!"])
    message = d.choice(["hello", "go", "clicked", "talk"])
    first = [script("when_this_sprite_clicked()", [f"broadcast({q(message)})"])]
    second = [script(f"when_i_receive({q(message)})", [f"say({q(text)})"] if d.chance(0.5)
                     else [f"say_for_secs({q(text)}, 2)"])]
    events = ({"time": 0.3, "click": a},)
    return Pair("broadcast", d.say(template, a=a.lower(), b=b.lower(), text=text),
                sprites([(a, first), (b, second)]), {"check": "says", "text": text}, (), events)


def quiz(d: Draw) -> Pair:
    template = d.wording()
    x, y = d.value(range(1, 10), [11, 12]), d.value(range(1, 10), [13])
    right, wrong = d.value(["Correct!", "Well done!", "Yes!"], ["Super!"]), d.value(["Try again!", "Nope!"], ["Not quite!"])
    good = d.chance(0.5)
    answer = str(x + y) if good else str(x + y + d.choice([1, 2, -1]))
    cond = d.choice([f"equals(answer(), {x + y})", f"equals(answer(), add({x}, {y}))"])
    body = [f"ask({q(f'What is {x} + {y}?')})"] + c_block(f"if_({cond})", [f"say({q(right)})"]) + \
        c_block("else_()", [f"say({q(wrong)})"])
    said, other = (right, wrong) if good else (wrong, right)
    check = {"check": "all_of", "checks": [{"check": "asks"}, {"check": "says", "text": said},
                                           {"check": "not", "of": {"check": "says", "text": other}}]}
    return Pair("quiz", d.say(template, x=x, y=y, right=right, wrong=wrong), program(script("when_flag_clicked()", body)),
                check, (answer,))


def spiral(d: Draw) -> Pair:
    template = d.wording()
    n, start, k = d.value([10, 12, 15, 20], [16]), d.value([5, 10], [4]), d.value([5, 10], [6])
    while start * n + k * n * (n - 1) // 2 > 1600:
        n -= 2
    turn = d.choice([90, 90, 60, 120])
    var = d.choice(["length", "size", "steps"])
    body = [f"set_variable({q(var)}, {start})", "pen_down()"] + c_block(
        f"repeat({n})", [f"move(variable({q(var)}))", f"turn_right({turn})", f"change_variable({q(var)}, {k})"])
    total = start * n + k * n * (n - 1) // 2
    check = {"check": "draws", "min_segments": n, "min_length": total - 1}
    return Pair("spiral", d.say(template, n=n, start=start, k=k), program(script("when_flag_clicked()", body)), check)


# The two lists of impossible requests differ: the bench asks for things training never refused.
_IMPOSSIBLE = (
    ["print my drawing on the printer", "send a text message to my friend", "open my homework file",
     "make the computer turn off", "save my game to a usb stick", "read my emails"],
    ["play a video from youtube", "send an email to my mum", "download a game from the internet",
     "take a photo with the webcam and post it", "order a pizza", "change the wallpaper of my computer"],
)


def impossible(d: Draw) -> Pair:
    template = d.wording()
    thing = d.choice(_IMPOSSIBLE[1 if d.split == "bench" else 0])
    reply = d.choice(["Sorry, Scratch blocks cannot do that.", "Sorry, I can't do that with blocks.",
                      "I can't do that here, but I can draw or talk!"])
    body = [f"say({q(reply)})"]
    return Pair("impossible", d.say(template, thing=thing), program(script("when_flag_clicked()", body)),
                {"check": "finishes"})
