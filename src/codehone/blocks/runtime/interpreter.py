"""A headless Scratch runtime: run a block program and return a JSON trace of what it did.

Scripts run the way scratch-vm runs them, frame by frame, because timing decides what a program
draws and says (checked against scratch-vm itself by ``tests/conformance``):

- each started hat block is a *thread*; on the green flag, every ``when_flag_clicked`` script
  of every sprite starts, topmost sprite (the last one listed) first, scripts in listed order;
  a restarted script keeps its place in the thread list;
- a frame (1/30 s of virtual time) is a run of *ticks* (``Sequencer.stepThreads``): each tick
  gives every thread one turn, until it yields (end of a loop iteration outside warp mode,
  waiting, gliding). Ticks repeat within the frame until a block asks for a redraw (a visible
  sprite moves, turns, changes size or costume, a pen draws, a bubble appears, ``wait`` starts),
  no thread is active, or ``WORK_TICKS`` ticks ran (scratch-vm stops at 75% of the frame's real
  time; a frozen virtual clock needs a count). So a loop that draws nothing runs many iterations
  per frame, and that decides which sprite speaks first and what ``timer`` reads;
- blocks that wait on a Promise in scratch-vm (say/think for secs, ask) sleep until their timer
  or answer comes, at the start of a frame; a loop whose body ends with one starts its next
  iteration at once;
- caps: ``max_steps`` blocks executed or ``max_seconds`` of virtual time, whichever comes first;
  a program that loops forever stops there with ``stopped_by_cap`` and a note in the trace.

What it does not model: sound, clones, the graphic effects' pixels, real mouse/keyboard (the
caller passes ``answers`` for ``ask`` and timed ``events`` for keys and clicks), and the costume's
pixels (bounds and collisions are the round costume's circle).
"""

from __future__ import annotations

import itertools
import math
from typing import Any, Iterator

from codehone.blocks.lang.nodes import Call, Define, Num, Program, Script, Str, walk
from codehone.blocks.lang.parser import parse
from codehone.blocks.runtime import ops
from codehone.blocks.runtime.stage import STAGE_H, STAGE_W, SpriteState, wrap_direction
from codehone.blocks.runtime.threads import (PROMISE, RUNNING, TICK, YIELD, CapReached, Mulberry32, StopAll,
                                             StopScript, Thread)
from codehone.blocks.runtime.values import Value, bubble_text, json_value

FPS = 30
MAX_PROC_DEPTH = 100  # custom blocks calling themselves deeper than this stop the program
WORK_TICKS = 1000  # ticks per frame at most (the oracle replaces scratch-vm's time budget by the same)
MAX_TIMELINE = 20_000  # state snapshots kept in the trace; later ones are counted, not kept


class Runtime:
    """One run of one program. Use :func:`run_program` rather than this class directly."""

    def __init__(self, program: Program, answers: list[str] | None = None, events: list[dict] | None = None,
                 max_steps: int = 100_000, max_seconds: float = 300.0, seed: int = 0,
                 mouse: tuple[float, float] = (0.0, 0.0)):
        self.program, self.max_steps, self.max_frames = program, max_steps, int(max_seconds * FPS)
        self.answers = list(answers or [])
        self.events = sorted((dict(e) for e in (events or [])), key=lambda e: float(e.get("time", 0)))
        self.rng = Mulberry32(seed)
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
        self.timer_polls = 0  # waits that looked at the clock and found it not yet run out (flow._wait_ms)
        self.timer_start_ms = 0.0
        self.redraw = False
        self.timers: list[tuple[float, int, Thread]] = []  # say/think-for-secs: (due ms, order, thread)
        self.timer_seq = itertools.count()
        self.questions: list[tuple[Thread, str, bool]] = []  # ask's queue (thread, question, shown in a
        # bubble): the first one is on screen
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

    @property
    def now_ms(self) -> float:
        """The virtual ``Date.now()`` of this frame, computed as the oracle computes it."""
        return self.frame * 1000 / FPS

    def request_redraw(self) -> None:
        self.redraw = True

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
        """``RenderedTarget.setXY``: fenced; a visible sprite or a pen that is down asks for a
        redraw even when the sprite stays where it is."""
        x, y = sprite.fenced(x, y)
        if not (math.isfinite(x) and math.isfinite(y)):
            return
        if sprite.visible:
            self.request_redraw()
        if sprite.pen_down:
            self.request_redraw()
            if (x, y) != (sprite.x, sprite.y):
                self.segments.append([sprite.x, sprite.y, x, y])
                self.segment_pens.append([sprite.name, sprite.pen_hex(), sprite.pen_size])
        if (x, y) != (sprite.x, sprite.y):
            sprite.x, sprite.y = x, y
            self.record(sprite)

    def set_direction(self, sprite: SpriteState, d: float) -> None:
        if not math.isfinite(d):
            return  # scratch-vm ignores Infinity and NaN
        sprite.direction = wrap_direction(d)
        self.visual_change(sprite)

    def visual_change(self, sprite: SpriteState) -> None:
        """A change that shows only when the sprite is visible (turn, size, costume, effects)."""
        if sprite.visible:
            self.request_redraw()
        self.record(sprite)

    def say(self, sprite: SpriteState, value: Value, kind: str = "say") -> None:
        text = bubble_text(value)
        sprite.saying = text
        sprite.bubble_usage += 1
        if text:
            (self.said if kind == "say" else self.thought).append(text)
            self.event(kind, sprite, text)
        self.update_bubble(sprite, text)

    def update_bubble(self, sprite: SpriteState, text: str) -> None:
        """``_renderBubble``: a bubble shows (and asks for a redraw) on a visible sprite with text;
        removing one that is shown also asks for a redraw."""
        if sprite.visible and text:
            sprite.bubble = True
            self.request_redraw()
        elif sprite.bubble:
            sprite.bubble = False
            self.request_redraw()

    # ------------------------------------------------------------------ threads
    def start_hats(self, match) -> list[Thread]:
        started = []
        for spr in reversed(self.program.sprites):  # topmost sprite first, as scratch-vm
            for script in spr.scripts:
                if isinstance(script, Script) and script.hat is not None and match(spr.name, script.hat):
                    started.append(self.start(spr.name, script))
        return started

    def start(self, sprite_name: str, script: Script) -> Thread:
        """``Runtime.startHats`` for one script: a restarted script's new thread takes the old
        one's place in the list (``_restartThread``); a key script already running is left be."""
        key = (sprite_name, id(script))
        restart = script.hat is None or script.hat.opcode != "event_whenkeypressed"
        sprite = self.sprites[sprite_name]
        th = Thread(sprite, script, iter(()), key)
        th.gen = self.run_body(th, script.body, warp=False)
        for i, old in enumerate(self.threads):
            if old.hat_key != key:
                continue
            if restart:
                old.done = True
                self.threads[i] = th
                return th
            if not old.done:
                return old
        self.threads.append(th)
        return th

    def broadcast(self, message: str) -> list[Thread]:
        m = message.lower()
        return self.start_hats(lambda _s, hat: hat.opcode == "event_whenbroadcastreceived" and str(hat.args[0]).lower() == m)

    def fire_events(self) -> None:
        while self.events and float(self.events[0].get("time", 0)) * 1000 <= self.now_ms:
            e = self.events.pop(0)
            if "key" in e:
                key = str(e["key"])
                self.keys_down.add(key)
                for k in (key, "any"):  # the key's own scripts first, then "any key" scripts
                    self.start_hats(lambda _s, hat, k=k: hat.opcode == "event_whenkeypressed" and hat.args[0] == k)
            elif "click" in e:
                self.start_hats(lambda s, hat, n=str(e["click"]): hat.opcode == "event_whenthisspriteclicked"
                                and s == n)
            elif "broadcast" in e:
                self.broadcast(str(e["broadcast"]))

    def wake_timers(self) -> None:
        """say/think-for-secs timers that are due fire before the frame runs, in order."""
        due = sorted(t for t in self.timers if t[0] <= self.now_ms)
        self.timers = [t for t in self.timers if t[0] > self.now_ms]
        for _, _, th in due:
            if th.status == PROMISE:
                th.status, th.wake_ms, th.skip_loop_yield = RUNNING, None, True

    def answer_question(self) -> None:
        """After a frame, the question on screen is answered (``ANSWER``); the next one shows."""
        if not self.questions:
            return
        th, question, in_bubble = self.questions.pop(0)
        if self.answers:
            self.answer = self.answers.pop(0)
        else:
            self.answer = ""
            self.notes.append(f"no answer left for the question {question!r}; answered with empty text")
        self.answers_used.append(self.answer)
        self.frame += 1  # logged with the frame in which the asking script goes on
        self.event("answer", th.sprite, self.answer)
        self.frame -= 1
        if in_bubble:
            self.update_bubble(th.sprite, "")
        if th.status == PROMISE:
            th.status, th.skip_loop_yield = RUNNING, True
        if self.questions:
            self.show_question()

    def show_question(self) -> None:
        """``_askNextQuestion``: a visible sprite asks in a speech bubble."""
        th, question, in_bubble = self.questions[0]
        if in_bubble:
            th.sprite.bubble_usage += 1
            self.update_bubble(th.sprite, bubble_text(question))

    def run(self) -> dict[str, Any]:
        self.start_hats(lambda _s, hat: hat.opcode == "event_whenflagclicked")
        try:
            while True:
                self.wake_timers()
                self.fire_events()
                self.step_frame()
                self.keys_down.clear()  # a key is down for the one frame of its event
                self.answer_question()
                self.threads = [t for t in self.threads if not t.done]
                if not self.threads and not self.events:
                    break
                self.frame += 1
                if self.frame >= self.max_frames:
                    self.stopped_by_cap = True
                    self.notes.append(f"stopped after {self.max_frames / FPS:g} s of program time (time cap); "
                                      "the program may loop forever")
                    break
        except CapReached as e:
            self.stopped_by_cap = True
            self.notes.append(str(e))
        return self.trace()

    def step_frame(self) -> None:
        """``Sequencer.stepThreads``: ticks until a redraw is asked for, no thread is active or
        ``WORK_TICKS`` ran."""
        self.redraw = False
        ticks, active, first = 0, 1, True
        while self.threads and active > 0 and not self.redraw:
            ticks += 1
            if ticks > WORK_TICKS:
                break
            # The clock stands still within a frame, so a tick in which every active thread only
            # found its wait not yet over repeats until WORK_TICKS: end the frame now. Same trace,
            # without a thousand empty ticks a frame for each program that waits.
            steps, polls, alive = self.steps, self.timer_polls, len(self.threads)
            active = 0
            i = 0
            while i < len(self.threads):  # threads started during the tick also get a turn
                th = self.threads[i]
                i += 1
                if th.status == TICK and first:
                    th.status = RUNNING
                if th.status == RUNNING:
                    self.step_thread(th)
                if th.status == RUNNING:
                    active += 1
            first = False
            self.threads = [t for t in self.threads if not t.done]
            if active and self.steps == steps and self.timer_polls - polls == active and len(self.threads) == alive:
                break

    def step_thread(self, th: Thread) -> None:
        try:
            token = next(th.gen)
        except (StopIteration, StopScript):
            th.done = True
            return
        except StopAll:
            self.stop_all()
            return
        if token == TICK:
            th.status = TICK
        elif token == PROMISE:
            th.status = PROMISE

    def stop_all(self) -> None:
        """``stop all``: every thread ends, questions and timed bubbles are dropped."""
        for t in self.threads:
            t.done = True
        self.questions.clear()
        self.timers.clear()
        for sprite in self.sprites.values():
            sprite.saying, sprite.bubble = "", False
        self.notes.append("stop(\"all\") ended the program")

    def run_body(self, th: Thread, body: tuple[Call, ...], warp: bool) -> Iterator[str]:
        for c in body:
            self.step()
            th.skip_loop_yield = False
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

    def call_proc(self, th: Thread, c: Call, warp: bool) -> Iterator[str]:
        proc = self.procs[th.sprite.name].get(str(c.args[0]))
        if proc is None:
            return  # Scratch ignores calls to blocks that are not defined
        if len(th.args) >= MAX_PROC_DEPTH:
            self.notes.append(f"custom block {proc.proccode!r} called itself more than {MAX_PROC_DEPTH} times deep")
            raise StopAll
        values = [self.eval(th, a) for a in c.args[1:]]
        recursive = proc.proccode in th.procs
        th.args.append(dict(zip(proc.argnames, values)))
        th.procs.append(proc.proccode)
        try:
            if recursive and not (warp or proc.warp):
                yield YIELD  # scratch-vm yields on every recursive call outside warp mode
            yield from self.run_body(th, proc.body, warp or proc.warp)
        except StopScript:
            pass  # stop("this script") inside a custom block returns from it
        finally:
            th.args.pop()
            th.procs.pop()

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
