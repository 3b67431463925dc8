"""Next-block ideas worked out before the child asks for them (issue 18's 150 ms).

A beam of 3 for the next block takes about 0.9 s with the 0.5B on the 2-core VM, and decoding
tricks cannot bring it to 150 ms there (docs/benchmarks.md, "why drafting cannot bring the next
block to 150 ms"). What can be done is to start earlier. The studio knows when ideas are likely to
be asked for next: a child who is using ideas adds one and asks again. So while the child looks,
the studio's idle model works out:

- when ideas are shown: the ideas after each of them, best first (one of them is usually added);
- when an idea is added: the ideas after the new program, if they are not already on the way;
- when a chat turn, Teach me or an opened file gives a new program, in a tab that has asked for
  ideas before: the ideas after it (a tab that never asks for ideas costs nothing).

A guess is kept under the exact program and request it was made for, so it is only ever served
for that state; a chat turn, an opened file or Teach me give another program, and its guesses are
never served (they are dropped at the session's next guess).

What guessing costs, and what it must never cost:
- CPU time while the child looks (one idea's time per guess); ``--no-next-ahead`` turns it off.
- A child's own request never queues behind guesses: guesses are queued only while the model has
  nothing of a child's to do, and every request of a child's first cancels the guesses
  (:meth:`NextAhead.make_way`): a waiting one gives its place back, a running one stops at its
  next beam step (the job's ``check``, tens of milliseconds). With ``--max-queue 0`` nothing is
  guessed: a request that finds the model busy is refused there, and a guess must not be why.
- The chat's shared prompt is kept aside by the studio's warm-up (backends/llamacpp_kept.py), so a
  chat turn after a guess does not evaluate it again.

Runs on the event loop only (the routes call it); the guesses themselves run on the queue's
worker thread like every generation.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from codehone.serve.queue import GenerationQueue, Job, QueueFull

__all__ = ["NextAhead"]

GUESSES_PER_SESSION = 3  # the ideas shown at once (the studio shows 3), so each shown idea may have its guess


@dataclass
class _Guess:
    job: Job
    future: asyncio.Future


class NextAhead:
    """The guesses of every tab, by session: {(program, request): the ideas on the way}."""

    def __init__(self, queue: GenerationQueue, ideas: Callable[..., Any], enabled: bool = True,
                 max_sessions: int = 64):
        """``ideas(program, request, check)``: the ideas after ``program``, calling ``check`` as it
        decodes (it raises to stop a guess that must give way)."""
        self._queue, self._ideas, self.enabled = queue, ideas, enabled
        self._sessions: OrderedDict[str, dict[tuple[str, str], _Guess]] = OrderedDict()
        # tabs that have asked for ideas, most recent last: the last ideas each was shown, if any
        self._users: OrderedDict[str, tuple[tuple[str, str], Any] | None] = OrderedDict()
        self._dropped: list[Job] = []  # dropped guesses that were running: the model's work until they stop
        self.max_sessions = max_sessions
        self.started = 0  # guesses queued
        self.served = 0  # requests for ideas answered by a guess

    def guess(self, session: str, programs: Sequence[str], request: str) -> None:
        """Work out the ideas after each of ``programs`` (likeliest first) for ``session``: guesses
        already on the way for one of them are kept, the session's other guesses are dropped."""
        if not self.enabled or self._queue.max_waiting < 1:  # with no place to wait, a running guess
            return  # would get a child's request refused as busy
        old = self._sessions.pop(session, {})
        wanted = [(p, request) for p in dict.fromkeys(programs)][:GUESSES_PER_SESSION]
        kept = {key: old.pop(key) for key in wanted if key in old and _usable(old[key])}
        self._drop(old.values())
        self._sessions[session] = kept  # before queueing, so the new guesses count as ours
        for key in wanted:
            if key in kept or self._child_work_queued():
                continue
            try:
                job, future = self._queue.submit(lambda job, p=key[0], r=key[1]: self._ideas(p, r, job.check))
            except QueueFull:
                break
            future.add_done_callback(_retrieve)
            kept[key] = _Guess(job, future)
            self.started += 1
        while len(self._sessions) > self.max_sessions:
            self._drop(self._sessions.popitem(last=False)[1].values())

    def program_changed(self, session: str, program: str, request: str) -> None:
        """A chat turn, Teach me or an opened file gave ``session`` a new program: guess the ideas
        after it if this tab has asked for ideas before (:meth:`take`)."""
        if session in self._users:
            self.guess(session, [program], request)

    def shown(self, session: str, program: str, request: str, ideas: Any) -> None:
        """The ideas ``session`` was just shown for ``program``: asked again for the same program and
        request (a second click), they are served as they are (the beam gives the same ones)."""
        if self.enabled and session in self._users:
            self._users[session] = ((program, request), ideas)

    def take(self, session: str, program: str, request: str) -> asyncio.Future | None:
        """The guess for exactly this program and request, done or on the way, or the ideas last shown
        for them; None if there is none (never guessed, dropped, or cancelled before it ran). Marks the
        tab as one that uses ideas."""
        last = self._users.pop(session, None)
        self._users[session] = last
        while len(self._users) > self.max_sessions:
            self._users.popitem(last=False)
        if self.enabled and last is not None and last[0] == (program, request):
            again = asyncio.get_running_loop().create_future()
            again.set_result(last[1])
            self.served += 1
            return again
        # Taken, the guess leaves the guesses: it is the child's request now, which make_way spares.
        g = self._sessions.get(session, {}).pop((program, request), None)
        if g is None or not _usable(g):
            return None
        self.served += 1
        return g.future

    def make_way(self) -> None:
        """Cancel every guess, so the child's request that comes now runs next: a waiting one gives
        its place back, a running one stops at its next step."""
        for job in self._jobs():
            job.cancel()

    def running(self) -> int:
        """Guesses the model is working on now (0 or 1: one generation at a time)."""
        return sum(job.state == "running" for job in self._jobs())

    def _jobs(self) -> list[Job]:
        """Every guess not yet done, kept or dropped."""
        self._dropped = [job for job in self._dropped if job.state != "done"]
        return self._dropped + [g.job for guesses in self._sessions.values() for g in guesses.values()
                                if g.job.state != "done"]

    def _drop(self, guesses) -> None:  # noqa: ANN001 - _Guess values
        for g in guesses:
            g.job.cancel()  # a waiting guess gives its place back; a running one stops at its next step
            if g.job.state == "running":
                self._dropped.append(g.job)

    def _child_work_queued(self) -> bool:
        """A child's request is waiting or running: a guess would only delay it (or wait behind it)."""
        return self._queue.waiting + self._queue.running > len(self._jobs())


def _usable(guess: _Guess) -> bool:
    """A guess that is on the way or gave ideas; not one cancelled (before it ran its result is
    None), nor one that failed (the request then asks again and reports its own error)."""
    future = guess.future
    if guess.job.cancelled.is_set():
        return False
    if not future.done():
        return True
    return not future.cancelled() and future.exception() is None and future.result() is not None


def _retrieve(future: asyncio.Future) -> None:
    # A guess nobody asks for may fail (a program the model cannot continue): read its exception so
    # asyncio does not log it as never retrieved; a request that takes the guess asks again.
    if not future.cancelled():
        future.exception()
