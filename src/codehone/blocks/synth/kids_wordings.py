"""Request templates of the training-only families of :mod:`codehone.blocks.synth.kids` (issue 18).

Hand-written from the failure classes the issue names (rectangles that are not squares, "say ...
for N seconds", sums on the typed answer, "forever", words dictated to be said exactly, several
requests in one), never from a benchmark. These families make training pairs only: they have no
benchmark tasks, so there is one list of templates per kind and no bench list. Placeholders:
{who} (a name for the sprite), the family's parameters, {style} (an optional pen colour/size phrase).
"""

from __future__ import annotations

KIDS_WORDINGS: dict[str, dict[str, tuple[str, ...]]] = {
    "rectangle": {
        "wide_tall": (
            "draw a rectangle {w} wide and {h} tall{style}", "make a rectangle that is {w} wide and {h} high{style}",
            "draw a rectangle with width {w} and height {h}{style}", "rectangle: width {w}, height {h}{style}",
            "can u draw a rectangle {w} across and {h} up{style}", "i want a rectangle, {w} wide, {h} tall{style}",
            "make {who} draw a rectangle, the width is {w} and the height is {h}{style}",
            "draw a box shape {w} wide and {h} tall{style}", "pls draw a rectangle {w} long and {h} high{style}",
            "draw a rectangle that's {h} tall and {w} wide{style}",
            "use the pen to make a rectangle: {w} steps wide, {h} steps tall{style}",
        ),
        "by": (
            "draw a {w} by {h} rectangle{style}", "make a rectangle {w} x {h}{style}", "draw a {w}x{h} rectangle{style}",
            "a rectangle of {w} by {h} please{style}", "draw a rectangle {w} by {h}{style}",
            "{who} draws a {w} by {h} rectangle{style}", "rectangle {w} by {h} with the pen{style}",
        ),
        "sides": (
            "draw a rectangle with long sides of {w} and short sides of {h}{style}",
            "draw a rectangle, two sides {w} and two sides {h}{style}",
            "make a rectangle where the top and bottom are {w} and the sides are {h}{style}",
            "draw a rectangle (not a square!) with sides {w} and {h}{style}",
            "a rectangle with sides of {w} and {h}{style}", "make {who} draw a rectangle with sides {w} and {h}{style}",
            "draw a long flat rectangle, {w} and {h}{style}", "i need a rectangle, sides {w} and {h}, not a square{style}",
        ),
    },
    "say_secs": {
        "quoted": (
            'say "{text}" for {secs} seconds', 'make {who} say "{text}" for {secs} seconds',
            'say "{text}" for {secs} secs', '{who} says "{text}" for {secs} seconds',
            'i want {who} to say "{text}" for {secs} seconds', 'show a speech bubble "{text}" for {secs} seconds',
            'for {secs} seconds say "{text}"', 'make it say "{text}" for {secs} seconds then stop talking',
            'say "{text}" and keep the bubble for {secs} seconds', 'can u make {who} say "{text}" for {secs} seconds',
            '{who} should say "{text}" for {secs} sec', 'speech bubble: "{text}", {secs} seconds long',
            'let {who} talk: "{text}" (for {secs} seconds)', 'say "{text}" for only {secs} seconds',
            'make {who} say "{text}" for {secs} seconds, not think it',
        ),
        "plain": (
            "say {text} for {secs} seconds", "make {who} say {text} for {secs} seconds",
            "make it say {text} for {secs} secs", "{who} says {text} for {secs} seconds",
            "i want it to say {text} for {secs} seconds", "say the words {text} for {secs} seconds",
        ),
        "one": (
            'say "{text}" for 1 second', 'make {who} say "{text}" for one second', 'say {text} for a second',
            'say "{text}" for just one second',
        ),
    },
    "answer_math": {
        "next_year": (
            "ask my age and say how old I will be next year", "ask how old i am and tell me how old i will be next year",
            "make {who} ask my age and then say my age next birthday",
            "ask how old I am, then say how old I'll be after my next birthday",
            "ask my age and add 1 and say it", "{who} asks how old i am and says what age i will be next year",
        ),
        "double": (
            "ask me for a number and say double it", "ask for a number and say twice that number",
            "make {who} ask me a number and say the number times 2", "ask my number and say it doubled",
            "ask me to type a number and say the number doubled",
        ),
        "add_k": (
            "ask for a number and say that number plus {k}", "ask me a number then add {k} to it and say the answer",
            "make {who} ask a number and say it with {k} added", "ask a number and say {k} more than it",
            "ask me for a number and say what it is plus {k}",
        ),
        "minus_k": (
            "ask for a number and say that number minus {k}", "ask me a number and take away {k} and say it",
            "ask a number and say {k} less than it",
        ),
        "times_k": (
            "ask for a number and say it times {k}", "ask me a number and multiply it by {k}, then say it",
            "make {who} ask a number and say {k} times that number",
        ),
        "until": (
            "ask my age and say how many years until I am {goal}", "ask how old i am and say how long until i'm {goal}",
            "make {who} ask my age and tell me how many years till i turn {goal}",
            "ask my age and say {goal} minus my age",
        ),
        "months": (
            "ask my age and say how many months old I am", "ask how old i am and say my age in months",
        ),
    },
    "forever": {
        "spin": (
            "make {who} spin forever", "keep spinning", "make it spin and never stop", "{who} should spin all the time",
            "spin round and round forever", "make {who} turn around forever and ever", "spin non stop",
            "always keep turning", "make {who} keep spinning round", "spin forever pls", "make it rotate forever",
        ),
        "dance": (
            "make {who} dance forever", "dance and never stop", "keep dancing", "make {who} dance all the time",
            "{who} dances forever and ever", "dance non stop", "make it keep dancing and changing costumes",
            "never stop dancing",
        ),
        "say": (
            'make {who} say "{text}" forever', 'keep saying "{text}"', 'say "{text}" over and over forever',
            'say "{text}" all the time', 'never stop saying "{text}"', '{who} keeps saying "{text}" forever and ever',
            'say "{text}" again and again and never stop',
        ),
        "bounce": (
            "make {who} move and bounce off the edges forever", "keep moving and bouncing off the walls",
            "walk around forever and bounce at the edge", "make {who} walk back and forth all the time",
            "make it move forever, bouncing when it hits the edge", "{who} keeps walking and never stops",
            "keep walking and turn around at the edge",
        ),
        "count": (
            "count forever", "keep counting up and never stop", "make {who} count 1 2 3 forever",
            "count up all the time, one every second",
        ),
    },
    "dictated": {
        "quoted": (
            'say "{text}"', 'make {who} say "{text}"', 'make {who} say exactly "{text}"', 'i want {who} to say "{text}"',
            '{who} says: "{text}"', 'make it say these words: "{text}"', 'put "{text}" in a speech bubble',
            'when the game starts say "{text}"', 'greet me like this: "{text}"', 'say this exactly: "{text}"',
            'can u make {who} say "{text}"', 'the words are "{text}", say them', 'make {who} talk and say "{text}"',
            '{who} should say "{text}" word for word',
        ),
        "plain": (
            "say {text}", "make {who} say {text}", "make it say exactly {text}", "i want {who} to say {text}",
            "{who} says {text}", "say the words {text}", "make {who} greet me with {text}",
        ),
    },
    "run_on": {
        "two": (
            "{a} and then {b}", "{a} then {b}", "{a}, then {b}", "{a} and after that {b}", "first {a} and then {b}",
            "{a}. then {b}", "{a} and when it's done {b}", "{a} and next {b}", "{a}, and then {b}",
        ),
        "three": (
            "{a} and then {b} and then {c}", "{a} then {b} then {c}", "first {a}, then {b}, then {c}",
            "{a} and then {b} and after that {c}", "{a} and {b} and then {c}",
        ),
    },
}
