"""A headless Scratch runtime: run a block program and return a JSON trace of what it did.

Scripts run the way scratch-vm runs them, because timing decides what a program draws and says:

- each started hat block is a *thread*; on the green flag, every ``when_flag_clicked`` script
  of every sprite starts, topmost sprite (the last one listed) first, scripts in listed order;
- the scheduler gives each thread a turn per frame; a thread runs until it *yields*: at the end
  of each loop iteration (unless inside a ``warp=True`` custom block), while waiting, gliding,
  asking or waiting for a broadcast. One pass over the threads is one frame of 1/30 s on a
  virtual clock, so ``wait(1)`` costs 30 frames but no real time;
- caps: ``max_steps`` blocks executed or ``max_seconds`` of virtual time, whichever comes first;
  a program that loops forever stops there with ``stopped_by_cap`` and a note in the trace.

What it does not model: sound, clones, the graphic effects' pixels, real mouse/keyboard (the
caller passes ``answers`` for ``ask`` and timed ``events`` for keys and clicks), and Scratch's
habit of running several iterations of a loop that draws nothing within one frame (this only
changes ``timer`` readings, not drawings or speech).
"""

from __future__ import annotations

import math
import random
from typing import Any, Iterator

from codehone.blocks.lang.nodes import Call, Define, Num, Program, Script, Str, walk
from codehone.blocks.lang.parser import parse
from codehone.blocks.runtime import ops
from codehone.blocks.runtime.stage import STAGE_H, STAGE_W, SpriteState, wrap_direction
from codehone.blocks.runtime.threads import CapReached, StopAll, StopScript, Thread
from codehone.blocks.runtime.values import Value, json_value

FPS = 30
MAX_PROC_DEPTH = 100  # custom blocks calling themselves deeper than this stop the program
MAX_TIMELINE = 20_000  # state snapshots kept in the trace; later ones are counted, not kept


class Runtime:
    """One run of one program. Use :func:`run_program` rather than this class directly."""

    def __init__(self, program: Program, answers: list[str] | None = None, events: list[dict] | None = None,
                 max_steps: int = 100_000, max_seconds: float = 300.0, seed: int = 0,
                 mouse: tuple[float, float] = (0.0, 0.0)):
        self.program, self.max_steps, self.max_frames = program, max_steps, int(max_seconds * FPS)
        self.answers = list(answers or [])
        self.events = sorted((dict(e) for e in (events or [])), key=lambda e: float(e.get("time", 0)))
        self.rng = random.Random(seed)
        self.mouse = mouse
        self.sprites = {s.name: SpriteState(s.name) for s in program.sprites}
        self.procs = {s.name: {d.proccode: d for d in s.scripts if isinstance(d, Define)} for s in program.sprites}
        self.variables: dict[str, Value] = {}
        for s in program.sprites:
            for script in s.scripts:
                for c in walk(script.body + ((script.hat,) if isinstance(script, Script) and script.hat else ())):
                    if c.opcode.startswith("data_") and c.args:
                        self.variables.setdefault(str(c.args[0]), 0)
        self.threads: list[Thread] = []
        self.frame = self.steps = 0
        self.timer_start = 0.0
        self.answer: str = ""
        self.keys_down: set[str] = set()
        self.notes: list[str] = []
        self.stopped_by_cap = False
        self.segments: list[list[float]] = []
        self.segment_pens: list[list[Any]] = []
        self.dots: list[list[float]] = []
        self.stamps: list[list[float]] = []
        self.pen_clears = 0
        self.said: list[str] = []
        self.thought: list[str] = []
        self.asked: list[str] = []
        self.answers_used: list[str] = []
        self.log: list[dict[str, Any]] = []  # speech, questions and answers in order
        self.timeline: list[dict[str, Any]] = []
        self.timeline_dropped = 0
        self.initial = {n: s.snapshot() for n, s in self.sprites.items()}

    # ------------------------------------------------------------------ clock and bookkeeping
    @property
    def now(self) -> float:
        return self.frame / FPS

    def step(self) -> None:
        self.steps += 1
        if self.steps > self.max_steps:
            raise CapReached(f"stopped after {self.max_steps} blocks (step cap); the program may loop forever")

    def record(self, sprite: SpriteState) -> None:
        if len(self.timeline) >= MAX_TIMELINE:
            self.timeline_dropped += 1
            return
        self.timeline.append({"t": round(self.now, 4), "step": self.steps, "sprite": sprite.name, **sprite.snapshot()})

    def event(self, kind: str, sprite: SpriteState, text: str) -> None:
        self.log.append({"t": round(self.now, 4), "step": self.steps, "sprite": sprite.name, "type": kind, "text": text})

    # ------------------------------------------------------------------ sprite changes
    def move_to(self, sprite: SpriteState, x: float, y: float) -> None:
        x, y = sprite.fenced(x, y)
        if not (math.isfinite(x) and math.isfinite(y)):
            return
        if sprite.pen_down and (x, y) != (sprite.x, sprite.y):
            self.segments.append([sprite.x, sprite.y, x, y])
            self.segment_pens.append([sprite.name, sprite.pen_hex(), sprite.pen_size])
        if (x, y) != (sprite.x, sprite.y):
            sprite.x, sprite.y = x, y
            self.record(sprite)

    def set_direction(self, sprite: SpriteState, d: float) -> None:
        sprite.direction = wrap_direction(d)
        self.record(sprite)

    def say(self, sprite: SpriteState, text: str, kind: str = "say") -> None:
        sprite.saying = text
        if text:
            (self.said if kind == "say" else self.thought).append(text)
            self.event(kind, sprite, text)

    # ------------------------------------------------------------------ threads
    def start_hats(self, match) -> list[Thread]:
        started = []
        for spr in reversed(self.program.sprites):  # topmost sprite first, as scratch-vm
            for script in spr.scripts:
                if isinstance(script, Script) and script.hat is not None and match(spr.name, script.hat):
                    started.append(self.start(spr.name, script))
        return started

    def start(self, sprite_name: str, script: Script) -> Thread:
        key = (sprite_name, id(script))
        restart = script.hat is None or script.hat.opcode != "event_whenkeypressed"
        for th in self.threads:
            if th.hat_key == key and not th.done:
                if not restart:
                    return th
                th.done = True  # a restarted script starts again from its top
        sprite = self.sprites[sprite_name]
        th = Thread(sprite, script, iter(()), key)
        th.gen = self.run_body(th, script.body, warp=False)
        self.threads.append(th)
        return th

    def broadcast(self, message: str) -> list[Thread]:
        m = message.lower()
        return self.start_hats(lambda _s, hat: hat.opcode == "event_whenbroadcastreceived" and str(hat.args[0]).lower() == m)

    def fire_events(self) -> None:
        self.keys_down.clear()
        while self.events and float(self.events[0].get("time", 0)) <= self.now:
            e = self.events.pop(0)
            if "key" in e:
                key = str(e["key"])
                self.keys_down.add(key)
                self.start_hats(lambda _s, hat, k=key: hat.opcode == "event_whenkeypressed"
                                and (hat.args[0] == k or hat.args[0] == "any"))
            elif "click" in e:
                self.start_hats(lambda s, hat, n=str(e["click"]): hat.opcode == "event_whenthisspriteclicked"
                                and s == n)
            elif "broadcast" in e:
                self.broadcast(str(e["broadcast"]))

    def run(self) -> dict[str, Any]:
        self.start_hats(lambda _s, hat: hat.opcode == "event_whenflagclicked")
        try:
            while True:
                self.fire_events()
                i = 0
                while i < len(self.threads):  # threads started this frame also get a turn
                    th = self.threads[i]
                    i += 1
                    if th.done:
                        continue
                    try:
                        next(th.gen)
                    except (StopIteration, StopScript):
                        th.done = True
                self.threads = [t for t in self.threads if not t.done]
                if not self.threads and not self.events:
                    break
                self.frame += 1
                if self.frame >= self.max_frames:
                    self.stopped_by_cap = True
                    self.notes.append(f"stopped after {self.max_frames / FPS:g} s of program time (time cap); "
                                      "the program may loop forever")
                    break
        except StopAll:
            self.notes.append("stop(\"all\") ended the program")
        except CapReached as e:
            self.stopped_by_cap = True
            self.notes.append(str(e))
        return self.trace()

    def run_body(self, th: Thread, body: tuple[Call, ...], warp: bool) -> Iterator[None]:
        for c in body:
            self.step()
            handler = ops.STATEMENTS.get(c.opcode)
            if handler is not None:
                handler(self, th, c)
            else:
                yield from ops.FLOW[c.opcode](self, th, c, warp)

    def eval(self, th: Thread, e: Any) -> Value:
        if isinstance(e, Num):
            return e.value
        if isinstance(e, Str):
            return e.value
        if isinstance(e, str):
            return e
        return ops.REPORTERS[e.opcode](self, th, e)

    def call_proc(self, th: Thread, c: Call, warp: bool) -> Iterator[None]:
        proc = self.procs[th.sprite.name].get(str(c.args[0]))
        if proc is None:
            return  # Scratch ignores calls to blocks that are not defined
        if len(th.args) >= MAX_PROC_DEPTH:
            self.notes.append(f"custom block {proc.proccode!r} called itself more than {MAX_PROC_DEPTH} times deep")
            raise StopAll
        values = [self.eval(th, a) for a in c.args[1:]]
        th.args.append(dict(zip(proc.argnames, values)))
        try:
            yield from self.run_body(th, proc.body, warp or proc.warp)
        except StopScript:
            pass  # stop("this script") inside a custom block returns from it
        finally:
            th.args.pop()

    # ------------------------------------------------------------------ result
    def trace(self) -> dict[str, Any]:
        r6 = lambda v: round(v, 6) + 0.0  # noqa: E731  (+0.0 turns -0.0 into 0.0)
        return {
            "segments": [[r6(v) for v in s] for s in self.segments],
            "segment_pens": self.segment_pens,
            "dots": [[r6(v) for v in d] for d in self.dots],
            "stamps": [[r6(v) for v in d] for d in self.stamps],
            "pen_clears": self.pen_clears,
            "said": self.said, "thought": self.thought, "asked": self.asked, "answers_used": self.answers_used,
            "log": self.log,
            "initial": self.initial,
            "sprites": {n: s.snapshot() for n, s in self.sprites.items()},
            "timeline": self.timeline, "timeline_dropped": self.timeline_dropped,
            "variables": {k: json_value(v) for k, v in self.variables.items()},
            "steps": min(self.steps, self.max_steps), "frames": self.frame, "time": round(self.now, 4),
            "stopped_by_cap": self.stopped_by_cap, "notes": self.notes,
            "stage": {"width": STAGE_W, "height": STAGE_H},
        }


def run_program(program: Program | str, answers: list[str] | None = None, events: list[dict] | None = None,
                max_steps: int = 100_000, max_seconds: float = 300.0, seed: int = 0,
                mouse: tuple[float, float] = (0.0, 0.0)) -> dict[str, Any]:
    """Run ``program`` (text or parsed) from the green flag and return its trace.

    ``answers`` feed ``ask`` in order (an empty answer once they run out, with a note);
    ``events`` are ``{"time": s, "key": "space"}``, ``{"time": s, "click": "Cat"}`` or
    ``{"time": s, "broadcast": "go"}``. The trace is JSON-serialisable; its keys are listed in
    :meth:`Runtime.trace` (``segments`` are ``[x1, y1, x2, y2]`` in stage coordinates).
    """
    if isinstance(program, str):
        program = parse(program)
    return Runtime(program, answers, events, max_steps, max_seconds, seed, mouse).run()


__all__ = ["run_program", "Runtime", "FPS"]
