"""A recording stand-in for Python's ``turtle`` module: same geometry, no window.

:func:`codehone.blocks.turtle.check.verify_turtle` runs the original turtle program with this module
installed as ``sys.modules["turtle"]`` and compares the pen lines it records with the ones the
block interpreter draws. The geometry copies CPython's ``turtle.py`` operation for operation
(``Vec2D.rotate``, ``TNavigator._go``, ``heading``/``setheading``, ``circle``'s polygon with its
half-step turns), so a correct transpilation matches to the last few bits, not roughly.

What it covers: one or several turtles, movement, turning, pen up/down/colour/size, clear and
reset, ``circle``, the screen calls that do not draw (``speed``, ``tracer``, ``done``...), and
``print`` (recorded as speech). Everything else is absent, so a program that uses it fails here
with an AttributeError rather than being "verified" against a guess.

The file is self-contained (standard library only, no side effects at import): the sandbox runs
its source text, in a fresh interpreter that cannot import codehone, and calls :func:`record`,
whose return value is the drawing.
"""

import math
import sys
import types

MAX_SEGMENTS = 50_000  # a runaway program stops here (the sandbox's CPU limit backs this up)

# Tk's colour names (X11 values with Tk 8.6's web colours for gray/green/maroon/purple), the
# ones children's turtle programs use. Keys are lower case without spaces ("dark green" too).
COLORS = {
    "black": "#000000", "white": "#ffffff", "red": "#ff0000", "green": "#008000", "blue": "#0000ff",
    "yellow": "#ffff00", "orange": "#ffa500", "purple": "#800080", "pink": "#ffc0cb", "brown": "#a52a2a",
    "gray": "#808080", "grey": "#808080", "cyan": "#00ffff", "magenta": "#ff00ff", "violet": "#ee82ee",
    "gold": "#ffd700", "navy": "#000080", "lime": "#00ff00", "turquoise": "#40e0d0", "indigo": "#4b0082",
    "maroon": "#800000", "darkgreen": "#006400", "lightblue": "#add8e6", "skyblue": "#87ceeb",
    "hotpink": "#ff69b4", "coral": "#ff7f50", "salmon": "#fa8072", "orchid": "#da70d6", "tomato": "#ff6347",
    "darkblue": "#00008b", "darkred": "#8b0000", "lightgreen": "#90ee90", "silver": "#c0c0c0",
    "beige": "#f5f5dc", "tan": "#d2b48c", "olive": "#808000", "teal": "#008080", "aqua": "#00ffff",
    "crimson": "#dc143c", "chocolate": "#d2691e", "lavender": "#e6e6fa", "plum": "#dda0dd",
    "darkorange": "#ff8c00", "deeppink": "#ff1493", "forestgreen": "#228b22", "royalblue": "#4169e1",
    "seagreen": "#2e8b57", "springgreen": "#00ff7f", "steelblue": "#4682b4", "yellowgreen": "#9acd32",
}


def color_hex(args, colormode=1.0):
    """The ``#rrggbb`` a turtle colour argument names, as CPython's ``_colorstr`` reads it.

    ``args`` is the tuple of call arguments: ``("red",)``, ``("#ff8800",)``, ``((1, 0.5, 0),)``
    or ``(255, 128, 0)``. Raises ValueError for anything else.
    """
    if len(args) == 1:
        args = args[0]
    if isinstance(args, str):
        key = args.lower().replace(" ", "")
        if key in COLORS:
            return COLORS[key]
        if len(key) == 7 and key[0] == "#" and all(c in "0123456789abcdef" for c in key[1:]):
            return key
        raise ValueError("unknown colour %r" % (args,))
    try:
        r, g, b = args
    except (TypeError, ValueError):
        raise ValueError("bad colour arguments %r" % (args,)) from None
    if colormode == 1.0:
        r, g, b = [round(255.0 * x) for x in (r, g, b)]
    if not all(isinstance(v, int) and 0 <= v <= 255 for v in (r, g, b)):
        raise ValueError("bad colour sequence %r" % (args,))
    return "#%02x%02x%02x" % (r, g, b)


class Recorder:
    """Everything the turtles drew and printed, in order."""

    def __init__(self):
        self.segments = []  # [x1, y1, x2, y2]
        self.pens = []  # [hex colour, pen size] per segment
        self.said = []
        self.colormode = 1.0
        self.turtles = []

    def line(self, a, b, color, size):
        if len(self.segments) >= MAX_SEGMENTS:
            raise RuntimeError("more than %d pen lines: stopped" % MAX_SEGMENTS)
        self.segments.append([a[0], a[1], b[0], b[1]])
        self.pens.append([color, size])


class RecordingTurtle:
    """The drawing part of CPython's RawTurtle, without the canvas. Positions and the heading
    vector are plain (x, y) tuples computed exactly as ``Vec2D`` computes them."""

    def __init__(self, recorder):
        self._rec = recorder
        recorder.turtles.append(self)
        self._reset_state()

    def _reset_state(self):
        self._position = (0.0, 0.0)
        self._orient = (1.0, 0.0)
        self._drawing = True
        self._pencolor = "#000000"
        self._pensize = 1
        self._shown = True

    # -- geometry, as TNavigator ------------------------------------------------------------
    def _goto(self, end):
        end = (end[0], end[1])
        if self._drawing and end != self._position:
            self._rec.line(self._position, end, self._pencolor, self._pensize)
        self._position = end

    def _go(self, distance):
        p, o = self._position, self._orient
        self._goto((p[0] + o[0] * distance, p[1] + o[1] * distance))

    def _rotate(self, angle):
        angle *= 1.0  # _degreesPerAU in degrees mode (360/360)
        x, y = self._orient
        perp = (-y, x)
        angle = math.radians(angle)
        c, s = math.cos(angle), math.sin(angle)
        self._orient = (x * c + perp[0] * s, y * c + perp[1] * s)

    def forward(self, distance):
        self._go(distance)

    def back(self, distance):
        self._go(-distance)

    def right(self, angle):
        self._rotate(-angle)

    def left(self, angle):
        self._rotate(angle)

    def goto(self, x, y=None):
        if y is None:
            self._goto((x[0], x[1]))
        else:
            self._goto((x, y))

    def setx(self, x):
        self._goto((x, self._position[1]))

    def sety(self, y):
        self._goto((self._position[0], y))

    def home(self):
        self.goto(0, 0)
        self.setheading(0)

    def position(self):
        return self._position

    def xcor(self):
        return self._position[0]

    def ycor(self):
        return self._position[1]

    def heading(self):
        x, y = self._orient
        result = round(math.degrees(math.atan2(y, x)), 10) % 360.0
        return result % 360.0

    def setheading(self, to_angle):
        angle = to_angle - self.heading()
        angle = (angle + 180.0) % 360.0 - 180.0
        self._rotate(angle)

    def circle(self, radius, extent=None, steps=None):
        if extent is None:
            extent = 360.0
        if steps is None:
            frac = abs(extent) / 360.0
            steps = 1 + int(min(11 + abs(radius) / 6.0, 59.0) * frac)
        w = 1.0 * extent / steps
        w2 = 0.5 * w
        l = 2.0 * radius * math.sin(math.radians(w2) * 1.0)  # noqa: E741 (CPython's name)
        if radius < 0:
            l, w, w2 = -l, -w, -w2  # noqa: E741
        self._rotate(w2)
        for _ in range(steps):
            self._go(l)
            self._rotate(w)
        self._rotate(-w2)

    # -- pen, as TPen -------------------------------------------------------------------------
    def penup(self):
        self._drawing = False

    def pendown(self):
        self._drawing = True

    def isdown(self):
        return self._drawing

    def pencolor(self, *args):
        if not args:
            return self._pencolor
        self._pencolor = color_hex(args, self._rec.colormode)

    def color(self, *args):
        if not args:
            return self._pencolor, self._pencolor
        if len(args) == 2 and not all(isinstance(a, (int, float)) for a in args):
            args = args[:1]  # color(pen, fill): the fill colour draws nothing here
        self.pencolor(*args)

    def fillcolor(self, *args):
        return None

    def pensize(self, width=None):
        if width is None:
            return self._pensize
        self._pensize = width

    def hideturtle(self):
        self._shown = False

    def showturtle(self):
        self._shown = True

    def speed(self, speed=None):
        return 0 if speed is None else None

    def shape(self, name=None):
        return "classic" if name is None else None

    def clear(self):
        self._rec.segments.clear()
        self._rec.pens.clear()

    def reset(self):
        self.clear()
        self._reset_state()

    fd, bk, backward, rt, lt = forward, back, back, right, left
    setpos = setposition = goto
    pos = position
    seth = setheading
    pu = up = penup
    pd = down = pendown
    width = pensize
    ht, st = hideturtle, showturtle


class RecordingScreen:
    """``turtle.Screen()``: calls that do not draw, and ``colormode``."""

    def __init__(self, recorder):
        self._rec = recorder

    def colormode(self, cmode=None):
        if cmode is None:
            return 255 if self._rec.colormode == 255 else 1.0
        if cmode in (1.0, 255):  # CPython ignores any other value
            self._rec.colormode = 255 if cmode == 255 else 1.0

    def _nothing(self, *args, **kwargs):
        return None

    bgcolor = title = setup = tracer = update = delay = done = mainloop = exitonclick = bye = _nothing
    screensize = listen = _nothing


_TURTLE_METHODS = [n for n in vars(RecordingTurtle) if not n.startswith("_")]
_SCREEN_METHODS = [n for n in vars(RecordingScreen) if not n.startswith("_")]


def make_module(recorder):
    """A module object that stands in for ``turtle``: ``Turtle``/``Pen``/``Screen`` and the
    module-level functions, which drive one default turtle created on first use (as CPython)."""
    mod = types.ModuleType("turtle")
    screen = RecordingScreen(recorder)
    default = []

    def pen():
        if not default:
            default.append(RecordingTurtle(recorder))
        return default[0]

    def make_function(name):
        def f(*args, **kwargs):
            return getattr(pen(), name)(*args, **kwargs)
        f.__name__ = name
        return f

    def make_screen_function(name):
        def f(*args, **kwargs):
            return getattr(screen, name)(*args, **kwargs)
        f.__name__ = name
        return f

    names = []
    for name in _TURTLE_METHODS:
        setattr(mod, name, make_function(name))
        names.append(name)
    for name in _SCREEN_METHODS:
        setattr(mod, name, make_screen_function(name))
        names.append(name)
    mod.Turtle = mod.Pen = mod.RawTurtle = lambda *a, **k: RecordingTurtle(recorder)
    mod.Screen = mod.getscreen = lambda *a, **k: screen
    mod.__all__ = names + ["Turtle", "Pen", "RawTurtle", "Screen", "getscreen"]
    return mod


def record(source):
    """Run a turtle program and return what it drew: ``{"segments", "pens", "said", "error"}``.

    ``error`` is None, or the exception with the program's line number. Only meant to be called
    inside the sandbox: it executes ``source``.
    """
    import traceback

    recorder = Recorder()
    sys.modules["turtle"] = make_module(recorder)

    def say(*args, sep=" ", end="\n", **kwargs):
        recorder.said.append(sep.join(str(a) for a in args))

    namespace = {"__name__": "__main__", "print": say}
    error = None
    try:
        exec(compile(source, "<turtle program>", "exec"), namespace)
    except BaseException as e:  # noqa: BLE001 - SystemExit too: it ends the drawing early
        lines = [f.lineno for f in traceback.extract_tb(e.__traceback__) if f.filename == "<turtle program>"]
        where = "line %d: " % lines[-1] if lines else ""
        error = "%s%s: %s" % (where, type(e).__name__, e)
    return {"segments": recorder.segments, "pens": recorder.pens, "said": recorder.said, "error": error}

