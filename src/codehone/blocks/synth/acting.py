"""The families of :mod:`codehone.blocks.synth.pairs` that move, react and change looks: moving
to a place, arrow keys, clicks, size, costumes, hiding and showing, small games.

Each family draws its parameters, wording and program variant from a :class:`Draw` and returns
the :class:`Pair` with the behaviour check any correct answer must pass.
"""

from __future__ import annotations

from codehone.blocks.synth.program import Draw, Pair, c_block, num, program, q, script

SPRITE = "Sprite1"  # the sprite of a program written without a sprite("...") header


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
