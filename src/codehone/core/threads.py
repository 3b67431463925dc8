"""How many CPU threads torch and llama.cpp use: the cores other processes leave free.

Why: on a laptop an editor, a browser or a build is running. A thread pool sized to every core
then has one thread that keeps losing its core, and every barrier waits for it; with spin-waiting
pools (OpenMP's default, llama.cpp's) the other threads burn the time they wait. Measured on 2
cores with one busy process beside us, llama.cpp decoded at 27% of its idle speed with 2 threads
and 53% with 1 (issue 21). So:

- threads = the cores that are free: the cores this process may use (``os.sched_getaffinity``)
  minus the cores other processes kept busy, measured from ``/proc/stat`` busy time minus this
  process's own CPU time over a short window (150 ms at start; between re-checks, the time since
  the last one). A competing busy loop shows as one busy core at once, which the load average
  would take a minute to show. Time spent by niced processes (``nice`` > 0: test runs, indexers,
  background builds) counts as free when this process is not niced itself: the scheduler gives
  such a process a sliver of a core against ours (weight 15 against 1024 at nice 19), so it does
  not take the core from us; measured here, one ``nice -n 19`` busy loop beside a 2-thread
  llama.cpp decode costs it a few percent, not the half that dropping to 1 thread costs.
- re-checked between training steps and between llama.cpp requests (``ThreadPolicy.recheck``:
  two small file reads, at most once per ``min_interval`` seconds).
- the OpenMP runtimes' wait policy is left as it is (their default spins briefly, then sleeps).
  Forcing ``OMP_WAIT_POLICY=PASSIVE``, as issue 21's first version of this module did, halved
  llama.cpp's decoding on an idle machine here (2 threads, idle, 96 tokens, alternated:
  15.5-20.6 tok/s passive against 29-33 tok/s with the default or ACTIVE) and did nothing
  measurable for torch (a 4-layer MLP forward+backward: 4.6-5.6 s either way). Sleeping waiters
  only pay off when a pool has more threads than free cores, which the thread count above avoids;
  a user who wants them anyway sets ``OMP_WAIT_POLICY=PASSIVE`` (it is read once, at load).
- ``CODEHONE_THREADS=N`` overrides all of it (no measuring, no re-checks).

No torch or llama.cpp here: this module is read before either loads.
"""

from __future__ import annotations

import math
import os
import threading
import time
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping

from codehone.errors import UserError

ENV = "CODEHONE_THREADS"
_BUSY_FIELDS = (0, 1, 2, 5, 6, 7)  # user nice system . . irq softirq steal (idle, iowait and guests are not)
_IDLE_FIELDS = (3, 4)  # idle iowait
_NICE_FIELD = 1


def allowed_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return max(1, os.cpu_count() or 1)


def _allowed_cpu_ids() -> set[int] | None:
    try:
        return set(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return None


def cpu_seconds(stat_text: str, cpus: Iterable[int] | None = None,
                tick: float | None = None, nice_is_busy: bool = True) -> tuple[float, float]:
    """(busy, idle) seconds since boot of the cores ``cpus`` (all cores when None), from the text of
    ``/proc/stat``. Busy counts steal time: a core the hypervisor took is not ours either. With
    ``nice_is_busy=False`` niced processes' time counts as idle (they yield to a process that is
    not niced)."""
    tick = tick or 1.0 / os.sysconf("SC_CLK_TCK")
    wanted = None if cpus is None else set(cpus)
    busy = idle = 0
    found = False
    for line in stat_text.splitlines():
        name, _, rest = line.partition(" ")
        if not name.startswith("cpu") or name == "cpu":
            continue  # the "cpu" total line would count cores outside our affinity
        try:
            cpu = int(name[3:])
        except ValueError:
            continue
        if wanted is not None and cpu not in wanted:
            continue
        values = [int(v) for v in rest.split()]
        values += [0] * (8 - len(values))  # old kernels have fewer columns
        niced = 0 if nice_is_busy else values[_NICE_FIELD]
        busy += sum(values[i] for i in _BUSY_FIELDS) - niced
        idle += sum(values[i] for i in _IDLE_FIELDS) + niced
        found = True
    if not found:
        raise ValueError("no per-core cpuN lines in /proc/stat text")
    return busy * tick, idle * tick


@dataclass(frozen=True)
class CpuReading:
    """One look at the machine: the allowed cores' busy and idle seconds, this process's CPU seconds."""

    busy: float
    idle: float
    own: float


def busy_elsewhere(before: CpuReading, after: CpuReading, cores: int) -> float:
    """Cores kept busy by other processes between two readings (0..cores). The window is the cores'
    own busy+idle time, so a reading needs no clock of its own."""
    window = (after.busy - before.busy) + (after.idle - before.idle)
    if window <= 0:
        return 0.0
    per_core = window / cores  # ~ wall seconds
    others = (after.busy - before.busy) - (after.own - before.own)
    return min(float(cores), max(0.0, others / per_core))


def threads_for(cores: int, busy: float) -> int:
    """Free cores: a core counts as taken from half busy up; never fewer than 1 thread."""
    return max(1, min(cores, cores - math.floor(busy + 0.5)))


@dataclass(frozen=True)
class ThreadChoice:
    threads: int
    cores: int
    busy: float | None = None  # cores busy with other processes; None when not measured
    override: str | None = None  # what fixed the number without measuring (CODEHONE_THREADS=N, ...)

    def describe(self) -> str:
        head = f"threads: {self.threads} of {self.cores} cores"
        if self.override:
            return f"{head} ({self.override})"
        if self.busy is None:
            return f"{head} (load not measurable here: no /proc/stat; {ENV} unset)"
        return f"{head} ({self.busy:.1f} busy with other processes; {ENV} unset)"


def override_from(environ: Mapping[str, str], cores: int) -> ThreadChoice | None:
    raw = (environ.get(ENV) or "").strip()
    if not raw:
        return None
    try:
        n = int(raw)
    except ValueError:
        n = 0
    if n < 1:
        raise UserError(f"{ENV}={raw!r} is not a number of threads; set a whole number >= 1, or unset it to use the free cores")
    return ThreadChoice(n, cores, override=f"{ENV}={n}")


def _read_proc_stat() -> str:
    with open("/proc/stat") as f:
        return f.read()


def running_niced() -> bool:
    """Whether this process runs at a lower priority than normal (then other niced processes are
    its peers, and their time counts as busy)."""
    try:
        return os.getpriority(os.PRIO_PROCESS, 0) > 0
    except (AttributeError, OSError):  # not POSIX
        return False


def _own_cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system


class ThreadPolicy:
    """The thread count, measured at start and re-checked on request. Thread-safe; one per process
    is enough (``shared_policy``), so torch and llama.cpp in one process read the same figures."""

    def __init__(self, environ: Mapping[str, str] | None = None, *,
                 read_stat: Callable[[], str] = _read_proc_stat, own_seconds: Callable[[], float] = _own_cpu_seconds,
                 cpus: Iterable[int] | None = None, cores: int | None = None, min_interval: float = 1.0,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic,
                 niced: Callable[[], bool] = running_niced):
        self._environ = os.environ if environ is None else environ
        self._read_stat, self._own_seconds, self._sleep, self._clock = read_stat, own_seconds, sleep, clock
        self._niced = niced
        self._cpus = set(cpus) if cpus is not None else _allowed_cpu_ids()
        self.cores = cores or (len(self._cpus) if self._cpus else allowed_cores())
        self.min_interval = min_interval
        self._lock = threading.Lock()
        self._last: CpuReading | None = None
        self._last_at = 0.0
        self.choice: ThreadChoice | None = None

    def _reading(self) -> CpuReading | None:
        try:
            busy, idle = cpu_seconds(self._read_stat(), self._cpus, nice_is_busy=self._niced())
        except (OSError, ValueError):
            return None
        return CpuReading(busy, idle, self._own_seconds())

    def _decide(self, before: CpuReading | None, after: CpuReading | None) -> ThreadChoice:
        if before is None or after is None:
            return ThreadChoice(self.cores, self.cores)
        busy = busy_elsewhere(before, after, self.cores)
        return ThreadChoice(threads_for(self.cores, busy), self.cores, round(busy, 2))

    def choose(self, window: float = 0.15) -> ThreadChoice:
        """Measure over ``window`` seconds (the caller waits that long) and choose; the start of a run."""
        with self._lock:
            fixed = override_from(self._environ, self.cores)
            if fixed is not None:
                self.choice = fixed
                return fixed
            before = self._reading()
            if before is not None:
                self._sleep(window)
            after = self._reading()
            self.choice = self._decide(before, after)
            self._last, self._last_at = after, self._clock()
            return self.choice

    def recheck(self) -> ThreadChoice:
        """The choice for now, from the time since the previous look (no waiting). Within
        ``min_interval`` of it, the previous choice; before any ``choose``, a ``choose``."""
        if self.choice is None:
            return self.choose()
        with self._lock:
            if self.choice.override or self._last is None or self._clock() - self._last_at < self.min_interval:
                return self.choice
            now = self._reading()
            self.choice = self._decide(self._last, now)
            self._last, self._last_at = now, self._clock()
            return self.choice


_shared: ThreadPolicy | None = None
_shared_lock = threading.Lock()


def shared_policy() -> ThreadPolicy:
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = ThreadPolicy()
        return _shared
