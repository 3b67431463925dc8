"""The thread policy: override, /proc/stat arithmetic, the floor of one thread, the logged reason."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from codehone.core import threads as th
from codehone.errors import UserError

TICK = 1.0 / os.sysconf("SC_CLK_TCK")  # what ThreadPolicy reads /proc/stat with


def stat_text(per_cpu: list[tuple[int, int]]) -> str:
    """/proc/stat text with cores given as (busy ticks, idle ticks); busy split over user and system."""
    lines = [f"cpu  {sum(b for b, _ in per_cpu)} 0 0 {sum(i for _, i in per_cpu)} 0 0 0 0 0 0"]
    for n, (busy, idle) in enumerate(per_cpu):
        lines.append(f"cpu{n} {busy - busy // 3} 0 {busy // 3} {idle} 0 0 0 0 0 0")
    lines += ["intr 12345 0 0", "ctxt 999", "btime 1700000000", "processes 42"]
    return "\n".join(lines) + "\n"


def test_cpu_seconds_reads_per_core_lines_and_skips_the_total_and_other_cores():
    text = stat_text([(100, 900), (300, 700), (5000, 5000)])
    assert th.cpu_seconds(text, tick=0.01) == pytest.approx((54.0, 66.0))
    assert th.cpu_seconds(text, cpus={0, 1}, tick=0.01) == pytest.approx((4.0, 16.0))
    # irq, softirq and steal are busy; iowait is idle; guest columns are already in user
    line = "cpu0 10 1 2 30 4 5 6 7 100 100\n"
    assert th.cpu_seconds(line, tick=1.0) == (10 + 1 + 2 + 5 + 6 + 7, 30 + 4)


def test_cpu_seconds_refuses_text_without_per_core_lines():
    with pytest.raises(ValueError):
        th.cpu_seconds("cpu  1 2 3 4\nintr 1\n", tick=TICK)


def test_busy_elsewhere_subtracts_our_own_cpu_time():
    before = th.CpuReading(busy=10.0, idle=10.0, own=1.0)
    # 1 s of wall on 2 cores: 1.6 core-seconds busy, 0.6 of them ours -> 1.0 core busy elsewhere
    after = th.CpuReading(busy=11.6, idle=10.4, own=1.6)
    assert th.busy_elsewhere(before, after, cores=2) == pytest.approx(1.0)
    assert th.busy_elsewhere(before, before, cores=2) == 0.0  # no time passed
    ours_only = th.CpuReading(busy=12.0, idle=10.0, own=3.0)
    assert th.busy_elsewhere(before, ours_only, cores=2) == 0.0


@pytest.mark.parametrize("cores,busy,want", [(2, 0.0, 2), (2, 0.4, 2), (2, 0.6, 1), (2, 1.0, 1), (2, 2.0, 1),
                                             (8, 3.2, 5), (8, 8.0, 1), (1, 1.0, 1)])
def test_threads_for_counts_half_busy_cores_as_taken_and_keeps_one(cores, busy, want):
    assert th.threads_for(cores, busy) == want


class FakeMachine:
    """/proc/stat and our CPU time, advanced by hand: ``run(seconds, others, ours)`` busy cores."""

    def __init__(self, cores: int):
        self.cores = cores
        self.busy = [0] * cores
        self.idle = [0] * cores
        self.own = 0.0
        self.now = 0.0

    def run(self, seconds: float, others: float, ours: float = 0.0) -> None:
        ticks = round(seconds / TICK)
        load = (others + ours) / self.cores
        for c in range(self.cores):
            b = round(ticks * min(1.0, load))
            self.busy[c] += b
            self.idle[c] += ticks - b
        self.own += seconds * ours
        self.now += seconds

    def stat(self) -> str:
        return stat_text(list(zip(self.busy, self.idle)))

    def policy(self, environ=None) -> th.ThreadPolicy:
        return th.ThreadPolicy(environ or {}, read_stat=self.stat, own_seconds=lambda: self.own,
                            cpus=range(self.cores), sleep=lambda s: self.run(s, self.others_now),
                            clock=lambda: self.now, min_interval=1.0)

    others_now = 0.0


def test_choose_uses_the_free_cores_and_says_why():
    m = FakeMachine(2)
    m.others_now = 1.0  # a busy loop elsewhere
    choice = m.policy().choose(window=0.2)  # 20 ticks a core: halves are exact
    assert choice.threads == 1 and choice.cores == 2 and choice.busy == pytest.approx(1.0)
    assert choice.describe() == "threads: 1 of 2 cores (1.0 busy with other processes; CODEHONE_THREADS unset)"

    m2 = FakeMachine(2)
    idle = m2.policy().choose()
    assert idle.threads == 2
    assert idle.describe() == "threads: 2 of 2 cores (0.0 busy with other processes; CODEHONE_THREADS unset)"


def test_floor_of_one_thread_when_every_core_is_busy():
    m = FakeMachine(4)
    m.others_now = 4.0
    assert m.policy().choose().threads == 1


def test_recheck_follows_load_that_starts_and_stops_while_we_run():
    m = FakeMachine(2)
    p = m.policy()
    assert p.choose().threads == 2
    m.run(5.0, others=0.67, ours=1.33)  # a busy loop started: it gets its share beside our 2 threads
    assert p.recheck().threads == 1
    m.run(0.5, others=0.0, ours=1.0)
    assert p.recheck().threads == 1  # within min_interval: no new look
    m.run(5.0, others=0.0, ours=1.0)  # the loop ended; our one thread is not "other" load
    assert p.recheck().threads == 2


def test_codehone_threads_overrides_without_measuring():
    m = FakeMachine(2)
    m.others_now = 2.0

    def no_reading():
        raise AssertionError("an override must not read /proc/stat")

    p = th.ThreadPolicy({"CODEHONE_THREADS": " 3 "}, read_stat=no_reading, own_seconds=lambda: 0.0, cpus=[0, 1])
    choice = p.choose()
    assert choice.threads == 3 and p.recheck() is choice
    assert choice.describe() == "threads: 3 of 2 cores (CODEHONE_THREADS=3)"


@pytest.mark.parametrize("value", ["0", "-1", "two", "1.5"])
def test_a_bad_override_is_a_user_error_naming_the_variable(value):
    p = th.ThreadPolicy({"CODEHONE_THREADS": value}, cpus=[0, 1])
    with pytest.raises(UserError, match="CODEHONE_THREADS"):
        p.choose()


def test_without_proc_stat_all_cores_and_the_reason():
    def missing():
        raise FileNotFoundError("/proc/stat")

    p = th.ThreadPolicy({}, read_stat=missing, own_seconds=lambda: 0.0, cpus=[0, 1, 2], sleep=lambda s: None)
    choice = p.choose()
    assert choice.threads == 3 and choice.busy is None
    assert "load not measurable" in choice.describe()


@pytest.mark.skipif(not os.path.exists("/proc/stat") or not hasattr(os, "sched_getaffinity"), reason="Linux only")
def test_a_real_busy_loop_is_seen_as_busy_cores():
    """On the real /proc/stat: a child spinning in Python raises the measured load by about a core.
    The machine may be shared, so the check is on the difference, taken as the best of 3 tries."""
    cores = len(os.sched_getaffinity(0))
    diffs = []
    for _ in range(3):
        quiet = th.ThreadPolicy({}).choose(window=0.2).busy
        child = subprocess.Popen([sys.executable, "-c", "while True: pass"])
        try:
            time.sleep(0.1)  # let it start spinning
            loaded = th.ThreadPolicy({}).choose(window=0.2).busy
        finally:
            child.kill()
            child.wait()
        diffs.append(loaded - quiet)
        if diffs[-1] >= 0.6:
            break
        if quiet >= cores - 0.5:
            pytest.skip(f"the machine is already saturated ({quiet:.1f} of {cores} cores busy): nothing to see")
    assert max(diffs) >= 0.6, diffs


def test_niced_time_counts_as_free_unless_we_run_niced_too():
    line = "cpu0 10 40 2 30 4 5 6 7 0 0\n"  # 40 ticks of niced processes
    assert th.cpu_seconds(line, tick=1.0) == (10 + 40 + 2 + 5 + 6 + 7, 30 + 4)
    assert th.cpu_seconds(line, tick=1.0, nice_is_busy=False) == (10 + 2 + 5 + 6 + 7, 30 + 4 + 40)


def test_policy_keeps_every_core_beside_a_niced_busy_loop_but_not_beside_a_normal_one():
    def reading(nice_ticks: int, user_ticks: int) -> str:  # then a window of 100 ticks on both cores
        ticks = 100 if nice_ticks or user_ticks else 0
        return f"cpu0 {user_ticks} {nice_ticks} 0 {100 + ticks - nice_ticks - user_ticks} 0 0 0 0 0 0\n" \
               f"cpu1 0 0 0 {100 + ticks} 0 0 0 0 0 0\n"

    texts = iter([reading(0, 0), reading(100, 0)])  # one core spent a window on a niced process
    policy = th.ThreadPolicy({}, read_stat=lambda: next(texts), own_seconds=lambda: 0.0, cpus={0, 1},
                             sleep=lambda s: None, niced=lambda: False)
    assert policy.choose().threads == 2
    texts = iter([reading(0, 0), reading(100, 0)])
    peer = th.ThreadPolicy({}, read_stat=lambda: next(texts), own_seconds=lambda: 0.0, cpus={0, 1},
                           sleep=lambda s: None, niced=lambda: True)
    assert peer.choose().threads == 1  # niced ourselves: the other niced process is a peer
    texts = iter([reading(0, 0), reading(0, 100)])
    normal = th.ThreadPolicy({}, read_stat=lambda: next(texts), own_seconds=lambda: 0.0, cpus={0, 1},
                             sleep=lambda s: None, niced=lambda: False)
    assert normal.choose().threads == 1
