"""What the interpreter and the blocks share: a running script (:class:`Thread`) and the
exceptions that end one.

Kept apart from :mod:`codehone.blocks.runtime.interpreter` (the scheduler) and
:mod:`codehone.blocks.runtime.ops` (what each block does) because both use them, and the
interpreter imports the ops.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from codehone.blocks.lang.nodes import Script
from codehone.blocks.runtime.stage import SpriteState
from codehone.blocks.runtime.values import Value


class StopAll(Exception):
    """``stop("all")``: every thread ends."""


class StopScript(Exception):
    """``stop("this script")``: the current thread (or custom block) ends."""


class CapReached(Exception):
    pass


@dataclass
class Thread:
    sprite: SpriteState
    script: Script
    gen: Iterator[None]
    hat_key: tuple
    done: bool = False
    args: list[dict[str, Value]] = field(default_factory=list)  # custom-block argument frames
