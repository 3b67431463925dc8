"""The generation queue: one at a time, a bounded wait, places given back on cancel."""

import asyncio
import threading

import pytest

from codehone.serve.queue import Cancelled, GenerationQueue, QueueFull


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 10))


def test_one_runs_max_wait_and_the_rest_are_refused():
    async def main():
        q = GenerationQueue(max_waiting=2)
        gate = threading.Event()
        order = []

        def work(tag):
            def fn(job):
                gate.wait(5)
                order.append(tag)
                return tag
            return fn

        futs = [q.submit(work(i))[1] for i in range(3)]
        with pytest.raises(QueueFull) as e:
            q.submit(work(9))
        assert e.value.retry_after >= 1
        await asyncio.sleep(0.05)
        assert (q.running, q.waiting) == (1, 2)
        gate.set()
        assert await asyncio.gather(*futs) == [0, 1, 2] and order == [0, 1, 2]  # FIFO
        assert (q.running, q.waiting) == (0, 0)
        q.close()

    run(main())


def test_zero_waiting_still_serves_one_at_a_time():
    async def main():
        q = GenerationQueue(max_waiting=0)
        gate = threading.Event()
        _, fut = q.submit(lambda job: gate.wait(5))
        with pytest.raises(QueueFull):
            q.submit(lambda job: None)
        gate.set()
        await fut
        _, fut = q.submit(lambda job: 7)
        assert await fut == 7
        q.close()

    run(main())


def test_cancel_while_waiting_gives_the_place_back_and_skips_the_job():
    async def main():
        q = GenerationQueue(max_waiting=1)
        gate = threading.Event()
        ran = []
        _, first = q.submit(lambda job: gate.wait(5))
        waiting_job, waiting = q.submit(lambda job: ran.append("should not run"))
        waiting_job.cancel()
        assert q.waiting == 0
        _, third = q.submit(lambda job: ran.append("third"))  # the freed place is usable at once
        gate.set()
        await asyncio.gather(first, waiting, third)
        assert ran == ["third"]
        q.close()

    run(main())


def test_cancel_while_running_stops_at_the_next_check():
    async def main():
        q = GenerationQueue(max_waiting=1)
        started = threading.Event()

        def fn(job):
            started.set()
            for _ in range(1000):
                job.check()
                threading.Event().wait(0.005)
            return "finished"

        job, fut = q.submit(fn)
        await asyncio.get_running_loop().run_in_executor(None, started.wait, 5)
        job.cancel()
        with pytest.raises(Cancelled):
            await fut
        assert q.cancelled_total == 1 and q.running == 0
        q.close()

    run(main())


def test_events_cross_from_the_worker_thread():
    async def main():
        q = GenerationQueue()

        def fn(job):
            for i in range(3):
                job.emit(i)

        job, fut = q.submit(fn)
        await fut
        assert [await job.events.get() for _ in range(3)] == [0, 1, 2]
        q.close()

    run(main())
