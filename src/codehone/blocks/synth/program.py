"""What every synthetic pair is made of: the :class:`Pair` record, the program-text helpers the
families write programs with, and :class:`Draw`, the random choices of one pair (which split's
wordings and parameter values it may use, and how a child would type the request).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from codehone.blocks.synth.wordings import WORDINGS

WHO = ("the cat", "my sprite", "the sprite", "my cat", "the character", "cat")


@dataclass(frozen=True)
class Pair:
    family: str
    prompt: str
    program: str  # canonical text (prints back to itself)
    check: dict
    answers: tuple[str, ...] = ()
    events: tuple[dict, ...] = ()
    wording: str = ""  # the template the prompt came from (for the overlap tests)

    def to_dict(self) -> dict:
        return {"family": self.family, "prompt": self.prompt, "program": self.program, "check": self.check,
                "answers": list(self.answers), "events": [dict(e) for e in self.events]}


# --------------------------------------------------------------------------- program text helpers

def q(text: str) -> str:
    """A text literal as the printer writes it (our texts never need escapes)."""
    assert '"' not in text and "\\" not in text and "\n" not in text, text
    return f'"{text}"'


def num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def c_block(head: str, body: list[str]) -> list[str]:
    return [f"{head}:"] + ["    " + line for line in body]


def script(hat: str, body: list[str]) -> list[str]:
    return c_block(hat, body)


def program(*scripts: list[str]) -> str:
    return "\n".join(line for s in scripts for line in s) + "\n"


def sprites(named: list[tuple[str, list[list[str]]]]) -> str:
    out = []
    for name, scripts in named:
        out += c_block(f"sprite({q(name)})", [line for s in scripts for line in s])
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- drawing from a family

@dataclass
class Draw:
    """The random choices of one pair: which split's wordings and values it may use."""

    rng: random.Random
    split: str  # "train" or "bench"
    family: str
    used: list[str] = field(default_factory=list)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def choice(self, seq):
        return self.rng.choice(list(seq))

    def value(self, shared, held=()):
        """A parameter value: training draws from ``shared``; the bench also from ``held``."""
        pool = list(shared) + (list(held) if self.split == "bench" else [])
        return self.rng.choice(pool)

    def wording(self, kind: str = "main") -> str:
        train, bench = WORDINGS[self.family][kind]
        template = self.rng.choice(bench if self.split == "bench" else train)
        self.used.append(template)
        return template

    def say(self, template: str, **values) -> str:
        """Fill a wording and type it like a child might: case, ending, a "pls"."""
        values.setdefault("who", self.choice(WHO))
        text = template.format(**values)
        r = self.rng.random()
        if r < 0.25 and '"' not in text:
            text = text.lower()
        elif r < 0.6:
            text = text[0].upper() + text[1:]
        if text[-1] not in "!?.":
            text += self.choice(["", "", "", ".", "!", "!!", " pls", " please", " :)"])
        return text
