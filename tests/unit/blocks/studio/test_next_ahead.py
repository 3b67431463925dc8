"""Next-block guesses: kept by exact program and request, never in a child's way, dropped when stale.

The guesses run on the studio's real queue; what they compute is a plain function here (the model
is in tests/integration/blocks/test_studio_api.py), so the scheduling can be held still with a gate.
"""

import asyncio
import threading

from codehone.blocks.studio.next_ahead import GUESSES_PER_SESSION, NextAhead
from codehone.serve.queue import Cancelled, GenerationQueue


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 10))


class Ideas:
    """What a guess computes: the program and request it was asked for, once the gate opens; like
    the model, it calls ``check`` as it works (the queue job's: it raises once the job is cancelled)."""

    def __init__(self):
        self.gate, self.asked, self.stopped = threading.Event(), [], []

    def __call__(self, program: str, request: str, check):
        for _ in range(500):
            opened = self.gate.wait(0.01)
            try:
                check()  # also once the gate is open, so a guess cancelled just before always stops
            except Cancelled:
                self.stopped.append(program)
                raise
            if opened:
                break
        self.asked.append(program)
        if program == "boom":
            raise ValueError("the model could not continue this program")
        return f"ideas after {program} for {request}"


async def settle(queue: GenerationQueue) -> None:
    while queue.running or queue.waiting:
        await asyncio.sleep(0.01)


def test_a_guess_is_served_only_for_its_exact_program_and_request():
    async def main():
        q, ideas = GenerationQueue(max_waiting=4), Ideas()
        ahead = NextAhead(q, ideas)
        ideas.gate.set()
        ahead.guess("tab", ["p1", "p2"], "draw a square")
        await settle(q)
        assert ahead.take("tab", "p1", "draw a red square") is None  # another request
        assert ahead.take("other-tab", "p1", "draw a square") is None  # another tab
        assert await ahead.take("tab", "p2", "draw a square") == "ideas after p2 for draw a square"
        assert ahead.take("tab", "p2", "draw a square") is None  # served once
        assert ideas.asked == ["p1", "p2"] and (ahead.started, ahead.served) == (2, 1)
        q.close()

    run(main())


def test_guesses_start_best_first_and_at_most_one_per_shown_idea():
    async def main():
        q, ideas = GenerationQueue(max_waiting=8), Ideas()
        ahead = NextAhead(q, ideas)
        ahead.guess("tab", [f"p{i}" for i in range(6)], "")
        ideas.gate.set()
        await settle(q)
        assert ideas.asked == [f"p{i}" for i in range(GUESSES_PER_SESSION)]
        q.close()

    run(main())


def test_a_childs_request_never_queues_behind_guesses():
    async def main():
        q, ideas = GenerationQueue(max_waiting=4), Ideas()
        ahead = NextAhead(q, ideas)
        ahead.guess("tab", ["p1", "p2", "p3"], "")
        await asyncio.sleep(0.05)
        assert (q.running, q.waiting, ahead.running()) == (1, 2, 1)
        ahead.make_way()  # what every route does before it queues a child's request
        child = q.submit(lambda job: "the child's answer")[1]
        assert await child == "the child's answer"  # the gate is still shut: the running guess stopped
        assert ideas.stopped == ["p1"] and ideas.asked == []  # the waiting two never ran
        assert ahead.take("tab", "p1", "") is None and ahead.take("tab", "p2", "") is None  # asked afresh
        q.close()

    run(main())


def test_no_guess_is_queued_while_a_child_waits_for_the_model():
    async def main():
        q, ideas = GenerationQueue(max_waiting=4), Ideas()
        ahead = NextAhead(q, ideas)
        child = q.submit(lambda job: ideas.gate.wait(5))[1]
        await asyncio.sleep(0.05)
        ahead.guess("tab", ["p1"], "")
        assert q.waiting == 0 and ahead.started == 0 and ahead.take("tab", "p1", "") is None
        ideas.gate.set()
        await child
        q.close()

    run(main())


def test_adding_an_idea_keeps_its_guess_and_drops_the_others():
    async def main():
        q, ideas = GenerationQueue(max_waiting=4), Ideas()
        ahead = NextAhead(q, ideas)
        ahead.guess("tab", ["p1", "p2", "p3"], "")  # the ideas shown
        await asyncio.sleep(0.05)
        ahead.guess("tab", ["p2"], "")  # the child added the second one
        assert ahead.started == 3 and q.waiting == 1  # p2 still waits its turn; p3 gave its place back
        ideas.gate.set()
        await settle(q)
        assert ideas.stopped == ["p1"] and ideas.asked == ["p2"]  # p1 stopped at its next step
        assert ahead.take("tab", "p1", "") is None  # dropped: not the program on the stage
        assert await ahead.take("tab", "p2", "") == "ideas after p2 for "
        q.close()

    run(main())


def test_a_failed_guess_is_not_served_and_its_error_is_not_lost_in_the_log():
    async def main():
        q, ideas = GenerationQueue(max_waiting=4), Ideas()
        ahead = NextAhead(q, ideas)
        ideas.gate.set()
        ahead.guess("tab", ["boom"], "")
        await settle(q)
        await asyncio.sleep(0.01)
        assert ahead.take("tab", "boom", "") is None  # the request asks again and reports its own error
        q.close()

    run(main())


def test_turned_off_it_queues_nothing_and_tabs_are_capped():
    async def main():
        q, ideas = GenerationQueue(max_waiting=4), Ideas()
        off = NextAhead(q, ideas, enabled=False)
        off.guess("tab", ["p1"], "")
        assert q.waiting + q.running == 0 and off.take("tab", "p1", "") is None
        no_waiting = GenerationQueue(max_waiting=0)  # a running guess would get a child refused as busy
        NextAhead(no_waiting, ideas).guess("tab", ["p1"], "")
        assert no_waiting.running + no_waiting.waiting == 0
        no_waiting.close()
        ideas.gate.set()
        capped = NextAhead(q, ideas, max_sessions=2)
        for tab in ("a", "b", "c"):
            capped.guess(tab, [tab], "")
            await settle(q)
        assert capped.take("a", "a", "") is None  # the oldest tab's guesses were dropped
        assert await capped.take("c", "c", "") == "ideas after c for "
        q.close()

    run(main())


def test_a_new_program_is_guessed_for_only_in_tabs_that_use_ideas():
    async def main():
        q, ideas = GenerationQueue(max_waiting=4), Ideas()
        ahead = NextAhead(q, ideas)
        ideas.gate.set()
        ahead.program_changed("tab", "p1", "draw a cat")  # this tab never asked for ideas: nothing to do
        assert ahead.started == 0
        assert ahead.take("tab", "p0", "draw a cat") is None  # now it has (nothing was guessed for p0)
        ahead.program_changed("tab", "p1", "draw a cat; make it red")
        await settle(q)
        assert await ahead.take("tab", "p1", "draw a cat; make it red") == "ideas after p1 for draw a cat; make it red"
        q.close()

    run(main())


def test_a_dropped_guess_still_running_is_not_taken_for_a_childs_request():
    async def main():
        q, ideas = GenerationQueue(max_waiting=4), Ideas()
        ahead = NextAhead(q, ideas)
        ahead.guess("tab", ["p1"], "")
        await asyncio.sleep(0.05)
        ahead.guess("tab", ["p2"], "")  # p1's guess is dropped while it runs: still a guess, not a child's work
        assert ahead.started == 2 and q.waiting == 1
        ideas.gate.set()
        await settle(q)
        assert ideas.stopped == ["p1"] and ideas.asked == ["p2"]
        assert await ahead.take("tab", "p2", "") == "ideas after p2 for "
        q.close()

    run(main())


def test_a_guess_taken_while_it_waits_behind_others_goes_next():
    async def main():
        q, ideas = GenerationQueue(max_waiting=8), Ideas()
        ahead = NextAhead(q, ideas)
        ahead.guess("tab-a", ["a1", "a2", "a3"], "")
        await asyncio.sleep(0.05)
        ahead.guess("tab-b", ["b1"], "")  # queued behind tab a's three
        taken = ahead.take("tab-b", "b1", "")
        ahead.make_way()  # what /api/next does when the guess it took is not done: the others give way
        await asyncio.sleep(0.1)
        ideas.gate.set()
        assert await taken == "ideas after b1 for "
        assert ideas.stopped == ["a1"] and ideas.asked == ["b1"]  # a2 and a3 never ran
        q.close()

    run(main())


def test_the_ideas_last_shown_are_served_again_for_the_same_program():
    async def main():
        q, ideas = GenerationQueue(max_waiting=4), Ideas()
        ahead = NextAhead(q, ideas)
        assert ahead.take("tab", "p1", "a cat") is None  # asked, nothing guessed: the route asks the model
        ahead.shown("tab", "p1", "a cat", "the ideas for p1")
        assert await ahead.take("tab", "p1", "a cat") == "the ideas for p1"  # clicked again: no model
        assert ahead.take("tab", "p1", "a dog") is None and ahead.take("tab", "p2", "a cat") is None
        ahead.shown("other-tab", "p1", "a cat", "never asked")  # a tab that never asked keeps nothing
        assert ahead.take("other-tab", "p1", "a cat") is None
        assert q.running + q.waiting == 0
        q.close()

    run(main())
