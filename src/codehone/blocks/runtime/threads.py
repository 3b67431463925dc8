"""What the interpreter and the blocks share: a running script (:class:`Thread`), how a block
gives up its turn, the exceptions that end a thread, and Scratch's random numbers.

Kept apart from :mod:`codehone.blocks.runtime.interpreter` (the scheduler) and
:mod:`codehone.blocks.runtime.ops` (what each block does) because both use them, and the
interpreter imports the ops.

A block's generator yields one of three tokens, as scratch-vm's ``util`` does:

- ``YIELD`` (``util.yield()``): the turn passes to the next thread; this thread stays *active*,
  so the scheduler runs it again within the same frame unless a redraw was requested;
- ``TICK`` (``util.yieldTick()``): the thread waits for the next frame;
- ``PROMISE``: a block that returned a Promise (say/think for secs, ask): the thread sleeps until
  its ``wake_ms`` (a timer) or until its question is answered, at the start of a later frame.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from codehone.blocks.lang.nodes import Script
from codehone.blocks.runtime.stage import SpriteState
from codehone.blocks.runtime.values import Value

YIELD, TICK, PROMISE = "yield", "tick", "promise"
RUNNING, DONE = "running", "done"


class StopAll(Exception):
    """``stop("all")``: every thread ends."""


class StopScript(Exception):
    """``stop("this script")``: the current thread (or custom block) ends."""


class CapReached(Exception):
    pass


@dataclass(eq=False)
class Thread:
    sprite: SpriteState
    script: Script
    gen: Iterator[str]
    hat_key: tuple
    status: str = RUNNING  # RUNNING, TICK, PROMISE or DONE
    wake_ms: float | None = None  # a PROMISE thread's timer (None: waiting for an answer)
    # A block that waited on a Promise resumes at the next block; when it was the last block of
    # a loop's body, the loop starts its next iteration at once, without the loop's yield
    # (scratch-vm ``execute.js`` handlePromise pops the stack up to the loop).
    skip_loop_yield: bool = False
    args: list[dict[str, Value]] = field(default_factory=list)  # custom-block argument frames
    procs: list[str] = field(default_factory=list)  # proccodes of the custom blocks being run

    @property
    def done(self) -> bool:
        return self.status == DONE

    @done.setter
    def done(self, value: bool) -> None:
        if value:
            self.status = DONE


class Mulberry32:
    """A small seeded generator standing in for ``Math.random`` in the random blocks; the
    conformance oracle feeds scratch-vm's random blocks the same stream, so runs compare."""

    def __init__(self, seed: int = 0):
        self.a = seed & 0xFFFFFFFF

    def random(self) -> float:
        self.a = (self.a + 0x6D2B79F5) & 0xFFFFFFFF
        t = self.a
        t = ((t ^ (t >> 15)) * (t | 1)) & 0xFFFFFFFF
        t = ((t + (((t ^ (t >> 7)) * (t | 61)) & 0xFFFFFFFF)) & 0xFFFFFFFF) ^ t
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296
