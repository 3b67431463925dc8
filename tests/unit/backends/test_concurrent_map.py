"""core.concurrent: results as they complete, at most N in flight, the first error raised only after
the calls in flight have finished (their results are yielded, so their rows are kept)."""

from __future__ import annotations

import threading
import time

import pytest

from codehone.core.concurrent import check_concurrency, map_concurrent
from codehone.errors import UserError


def test_results_come_in_completion_order_with_n_in_flight():
    lock, state = threading.Lock(), {"now": 0, "most": 0}

    def slow(x):
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
        time.sleep(0.3 if x == 0 else 0.02)
        with lock:
            state["now"] -= 1
        return x * 10

    got = list(map_concurrent(slow, range(6), 3))
    assert sorted(got) == [(x, x * 10) for x in range(6)]
    assert got[-1] == (0, 0)  # the slow first item lands last
    assert state["most"] == 3


def test_an_error_stops_new_calls_but_keeps_those_in_flight():
    started = []

    def fn(x):
        started.append(x)
        if x == 1:
            raise ValueError("boom")
        time.sleep(0.1)
        return x

    done = []
    with pytest.raises(ValueError, match="boom"):
        for item, _ in map_concurrent(fn, range(20), 2):
            done.append(item)
    assert 0 in done  # in flight beside the failure: finished and yielded
    assert len(started) <= 4  # nothing much was started after the failure


def test_one_at_a_time_without_threads():
    names = []
    list(map_concurrent(lambda x: names.append(threading.current_thread().name), range(3), 1))
    assert names == [threading.main_thread().name] * 3


def test_in_process_backends_take_one_request_at_a_time():
    class InProcess:
        pass

    class Remote:
        default_concurrency = 8

    assert check_concurrency(InProcess(), None) == 1 and check_concurrency(Remote(), None) == 8
    assert check_concurrency(Remote(), 64) == 64
    with pytest.raises(UserError, match="needs an HTTP endpoint"):
        check_concurrency(InProcess(), 2)
    with pytest.raises(UserError, match="at least 1"):
        check_concurrency(Remote(), 0)
