"""The pen-drawing families of :mod:`codehone.blocks.synth.pairs`: polygons, stars, circles, lines,
stairs, spirals and custom blocks that draw, each with an optional pen colour and size phrase.

Each family draws its parameters, wording and program variant from a :class:`Draw` and returns
the :class:`Pair` with the behaviour check any correct answer must pass.
"""

from __future__ import annotations

from codehone.blocks.synth.program import Draw, Pair, c_block, num, program, q, script

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
