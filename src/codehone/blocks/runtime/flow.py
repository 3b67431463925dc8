"""Blocks that may give up their turn, for :mod:`codehone.blocks.runtime.interpreter`: loops,
waits, glides, timed speech, asks, broadcast-and-wait, custom blocks.

Each is a generator ``f(rt, thread, call, warp)`` that yields the tokens of
:mod:`codehone.blocks.runtime.threads` the way scratch-vm's block utilities do: ``YIELD`` ends
the thread's turn (``util.yield``), ``TICK`` waits for the next frame (``util.yieldTick``), and
``PROMISE`` sleeps until a timer or an answer (a block that returned a Promise). Times are in
milliseconds of the virtual clock (``rt.now_ms``), computed in the same order as scratch-vm so
that a wait ends in the same frame.
"""

from __future__ import annotations

import math
from typing import Callable, Iterator

from codehone.blocks.lang.nodes import Call
from codehone.blocks.runtime.threads import PROMISE, TICK, YIELD, Thread
from codehone.blocks.runtime.values import js_round, to_bool, to_number, to_string


def _n(rt, th: Thread, c: Call, i: int) -> float:
    return to_number(rt.eval(th, c.args[i]))


def _s(rt, th: Thread, c: Call, i: int) -> str:
    return to_string(rt.eval(th, c.args[i]))


def _wait_ms(rt, duration_ms: float) -> Iterator[str]:
    """A stack timer (``util.startStackTimer``): yields at least once, then until it has run out."""
    start = rt.now_ms
    yield YIELD
    while rt.now_ms - start < duration_ms:
        rt.timer_polls += 1  # Interpreter.step_frame ends a frame of nothing but these
        yield YIELD


def _loop_end(th: Thread, warp: bool) -> Iterator[str]:
    """The yield at the end of each loop iteration, skipped in warp mode and right after a block
    that waited on a Promise (see :class:`Thread`)."""
    if th.skip_loop_yield:
        th.skip_loop_yield = False
    elif not warp:
        yield YIELD


def _repeat(rt, th, c, warp):
    times = js_round(_n(rt, th, c, 0))
    for _ in range(max(0, int(times)) if math.isfinite(times) else (10**18 if times > 0 else 0)):
        yield from rt.run_body(th, c.bodies[0], warp)
        yield from _loop_end(th, warp)
        if warp:
            rt.step()


def _forever(rt, th, c, warp):
    while True:
        yield from rt.run_body(th, c.bodies[0], warp)
        yield from _loop_end(th, warp)
        if warp:
            rt.step()  # an empty forever in warp mode must still reach the step cap


def _repeat_until(rt, th, c, warp):
    while not to_bool(rt.eval(th, c.args[0])):
        yield from rt.run_body(th, c.bodies[0], warp)
        yield from _loop_end(th, warp)
        if warp:
            rt.step()


def _if(rt, th, c, warp):
    if to_bool(rt.eval(th, c.args[0])):
        yield from rt.run_body(th, c.bodies[0], warp)


def _if_else(rt, th, c, warp):
    yield from rt.run_body(th, c.bodies[0 if to_bool(rt.eval(th, c.args[0])) else 1], warp)


def _wait(rt, th, c, warp):
    duration = max(0.0, 1000 * _n(rt, th, c, 0))
    rt.request_redraw()
    yield from _wait_ms(rt, duration)


def _wait_until(rt, th, c, warp):
    while not to_bool(rt.eval(th, c.args[0])):
        yield YIELD


def _promise_timer(rt, th, seconds: float) -> Iterator[str]:
    """Sleep on a ``setTimeout(1000 * secs)`` (Node waits at least 1 ms) until its frame."""
    delay = 1000 * seconds
    th.wake_ms = rt.now_ms + (delay if delay >= 1 else 1)
    rt.timers.append((th.wake_ms, next(rt.timer_seq), th))
    yield PROMISE


def _say_for(kind: str):
    def f(rt, th, c, warp):
        rt.say(th.sprite, rt.eval(th, c.args[0]), kind)
        usage = th.sprite.bubble_usage
        yield from _promise_timer(rt, th, _n(rt, th, c, 1))
        if th.sprite.bubble_usage == usage:  # clears the bubble only if nothing was said since
            th.sprite.saying = ""
            rt.update_bubble(th.sprite, "")
    return f


def _glide(rt, th, c, warp):
    secs, x1, y1 = _n(rt, th, c, 0), _n(rt, th, c, 1), _n(rt, th, c, 2)
    x0, y0, start = th.sprite.x, th.sprite.y, rt.now_ms
    if secs <= 0:
        rt.move_to(th.sprite, x1, y1)
        return
    yield YIELD
    while (elapsed := rt.now_ms - start) < secs * 1000:
        frac = elapsed / (secs * 1000)
        rt.move_to(th.sprite, x0 + frac * (x1 - x0), y0 + frac * (y1 - y0))
        yield YIELD
    rt.move_to(th.sprite, x1, y1)


def _ask(rt, th, c, warp):
    question = _s(rt, th, c, 0)
    rt.asked.append(question)
    rt.event("ask", th.sprite, question)
    rt.questions.append((th, question, th.sprite.visible))
    if len(rt.questions) == 1:
        rt.show_question()
    yield PROMISE  # until answer_question, after a frame in which it was on screen


def _broadcast_and_wait(rt, th, c, warp):
    started = rt.broadcast(_s(rt, th, c, 0))
    while started:
        live = [t for t in started if any(t is u for u in rt.threads)]
        if not live:
            return
        # all started scripts waiting (for a frame, a timer, an answer, or ended): wait a frame
        yield TICK if all(t.status in (TICK, PROMISE) or t.done for t in live) else YIELD


FLOW: dict[str, Callable[..., Iterator[str]]] = {
    "control_repeat": _repeat,
    "control_forever": _forever,
    "control_repeat_until": _repeat_until,
    "control_if": _if,
    "control_if_else": _if_else,
    "control_wait": _wait,
    "control_wait_until": _wait_until,
    "looks_sayforsecs": _say_for("say"),
    "looks_thinkforsecs": _say_for("think"),
    "motion_glidesecstoxy": _glide,
    "sensing_askandwait": _ask,
    "event_broadcastandwait": _broadcast_and_wait,
    "procedures_call": lambda rt, th, c, warp: rt.call_proc(th, c, warp),
}
