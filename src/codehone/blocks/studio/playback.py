"""A run of a program as the stage plays it: every drawing, move and bubble with its time.

The page does not interpret blocks: the project's own interpreter (:mod:`codehone.blocks.runtime`)
runs the program here, and the page animates what it returns, so the stage and every check and
benchmark share one source of semantics. The interpreter's trace keeps only the final drawing
(``erase_all`` empties it) and no times; :class:`_TimedRuntime` adds, without changing a single
rule of the run:

- ``draw``: pen lines, dots and clears in order, each with the program time it happened at;
- ``states``: each sprite's position, direction, size and visibility whenever it changes (the
  last change of a sprite within a frame only, since the page draws frames);
- ``bubbles``: what each sprite's bubble shows, and when it changes (a question shows in a bubble
  too, as in Scratch);
- ``asks``: each question with its time. ``answers`` given to :func:`play` answer the first
  questions; the first question past them is where the page stops and shows its input box, then
  asks for the run again with one answer more (the run is deterministic, so the part already
  played is the same).
"""

from __future__ import annotations

from typing import Any

from codehone.blocks.lang.nodes import Program
from codehone.blocks.runtime.interpreter import FPS, Runtime
from codehone.blocks.runtime.stage import SpriteState

__all__ = ["play", "MAX_STEPS", "MAX_SECONDS"]

# The stage's caps: a program that loops forever stops here, and the page says so.
MAX_STEPS = 100_000
MAX_SECONDS = 60.0
MAX_STATES = 50_000  # sprite states sent to the page; a longer run keeps its first ones and says so


class _TimedRuntime(Runtime):
    def __init__(self, *args: Any, **kwargs: Any):
        self.draw: list[dict[str, Any]] = []
        self.states: list[list[Any]] = []
        self.states_dropped = 0
        self.bubbles: list[dict[str, Any]] = []
        self._clears_seen = 0
        self._dots_seen = 0
        self._bubble_kind = "say"
        super().__init__(*args, **kwargs)

    @property
    def t(self) -> float:
        return round(self.frame / FPS, 4)

    def _sync(self) -> None:
        """Pick up clears and dots, which the interpreter's pen blocks record only as totals."""
        if self.pen_clears > self._clears_seen:
            self._clears_seen = self.pen_clears
            self._dots_seen = 0
            self.draw.append({"t": self.t, "op": "clear"})
        for x, y in self.dots[self._dots_seen:]:
            pen = next((s for s in self.sprites.values() if s.pen_down and (s.x, s.y) == (x, y)), None)
            self.draw.append({"t": self.t, "op": "dot", "x": round(x, 3), "y": round(y, 3),
                              "color": pen.pen_hex() if pen else "#0000ff", "size": pen.pen_size if pen else 1})
        self._dots_seen = len(self.dots)

    def move_to(self, sprite: SpriteState, x: float, y: float) -> None:
        self._sync()
        before = len(self.segments)
        super().move_to(sprite, x, y)
        if len(self.segments) > before:
            x1, y1, x2, y2 = self.segments[-1]
            self.draw.append({"t": self.t, "op": "line", "x1": round(x1, 3), "y1": round(y1, 3), "x2": round(x2, 3),
                              "y2": round(y2, 3), "color": sprite.pen_hex(), "size": sprite.pen_size})

    def record(self, sprite: SpriteState) -> None:
        super().record(sprite)
        row = [self.t, sprite.name, round(sprite.x, 3), round(sprite.y, 3), round(sprite.direction, 3),
               round(sprite.size, 3), sprite.visible]
        if self.states and self.states[-1][:2] == row[:2]:
            self.states[-1] = row  # the page draws frames: keep a sprite's last state of this frame
        elif len(self.states) < MAX_STATES:
            self.states.append(row)
        else:
            self.states_dropped += 1

    def say(self, sprite: SpriteState, value: Any, kind: str = "say") -> None:
        self._bubble_kind = kind
        try:
            super().say(sprite, value, kind)
        finally:
            self._bubble_kind = "say"

    def update_bubble(self, sprite: SpriteState, text: str) -> None:
        super().update_bubble(sprite, text)
        shown = text if sprite.bubble else ""
        last = next((b for b in reversed(self.bubbles) if b["sprite"] == sprite.name), None)
        if last is None and not shown:
            return
        self.bubbles.append({"t": self.t, "sprite": sprite.name, "text": shown, "kind": self._bubble_kind})

    def step_frame(self) -> None:
        super().step_frame()
        self._sync()


def play(program: Program, answers: list[str] | None = None) -> dict[str, Any]:
    """Run ``program`` from the green flag for the stage; JSON-ready (see the module doc)."""
    answers = list(answers or [])
    rt = _TimedRuntime(program, answers=list(answers), max_steps=MAX_STEPS, max_seconds=MAX_SECONDS)
    trace = rt.run()
    rt._sync()
    asks = [{"t": e["t"], "sprite": e["sprite"], "question": e["text"]} for e in trace["log"] if e["type"] == "ask"]
    waiting = asks[len(answers)] if len(asks) > len(answers) else None
    return {
        "stage": trace["stage"],
        "initial": {name: {k: s[k] for k in ("x", "y", "direction", "size", "visible")}
                    for name, s in trace["initial"].items()},
        "draw": rt.draw,
        "states": rt.states,
        "bubbles": rt.bubbles,
        "asks": asks,
        "waiting_for_answer": waiting,  # the first question no answer was given for, if any
        "said": trace["said"],
        "duration": trace["time"],
        "stopped_by_cap": trace["stopped_by_cap"],
        "notes": [n for n in trace["notes"] if not n.startswith("no answer left")] +
                 ([f"{rt.states_dropped} later moves are not shown"] if rt.states_dropped else []),
    }
