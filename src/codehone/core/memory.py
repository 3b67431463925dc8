"""This process's memory: how much is resident (now and at its highest over a stretch of work), and
giving freed heap memory back to the system.

Why a sampler: the kernel keeps one high-water mark per process (``VmHWM``), which cannot be reset,
and ``getrusage``'s ``ru_maxrss`` is the same figure; so "the peak of this stage" (the demo's report
shows one per stage) is measured by a thread that reads ``VmRSS`` every ``interval`` seconds while
the stage runs. Reading /proc/self/statm costs microseconds; a spike shorter than the interval can
be missed, so the process-wide ``VmHWM`` is reported beside it.

Why ``large_blocks_unmapped_on_free`` and ``trim_heap``: glibc's malloc serves blocks under its
mmap threshold from heaps it does not shrink while any block above a free region is still in
use, and the threshold is dynamic: it starts at 128 kB and rises to the size of each large block
freed, up to 32 MB. Training on a CPU allocates and frees activation tensors of 1-40 MB by the
hundred per step (sizes follow each row's length), so after the first free they all come from
the heap, saved tensors and temporaries interleave, and freed space is kept rather than returned.
Measured on the demo's training (Qwen2.5 0.5B, fp32, gradient checkpointing, 400-token rows):
0.8 GB of freed but resident heap after one forward, 1.1 GB after two steps and growing; with the
threshold fixed at 1 MB the same steps stay at their live size (+0.07 GB), at no measurable cost
in speed (mmap's page faults are a small part of the matmuls that fill the block). Fixing the
threshold also stops its dynamic growth for the rest of the process, which is what is wanted
in a process that trains. ``malloc_trim(0)`` between steps returns what the smaller blocks left
free. Both are no-ops where the C library is not glibc.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import threading
from pathlib import Path

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_libc = None


def rss_bytes() -> int:
    """Resident set size of this process now (0 where /proc is not available)."""
    try:
        return int(Path("/proc/self/statm").read_text().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


def peak_rss_bytes() -> int:
    """The process's resident high-water mark since it started (VmHWM)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports kB


_M_MMAP_THRESHOLD = -3  # glibc malloc.h
LARGE_BLOCK = 1 << 20  # blocks from 1 MB up get their own mapping, unmapped when freed


def _glibc():
    global _libc
    if _libc is None:
        try:
            lib = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            lib.malloc_trim.argtypes = [ctypes.c_size_t]
            lib.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
            _libc = lib
        except (OSError, AttributeError):  # not glibc (musl, macOS): no malloc_trim / mallopt
            _libc = False
    return _libc


def trim_heap() -> bool:
    """Give the C heap's free pages back to the system (glibc ``malloc_trim``); True if it ran."""
    lib = _glibc()
    if not lib:
        return False
    lib.malloc_trim(0)
    return True


def large_blocks_unmapped_on_free(threshold: int = LARGE_BLOCK) -> bool:
    """From now on, blocks of ``threshold`` bytes or more are mapped on their own and returned to
    the system when freed (glibc ``mallopt(M_MMAP_THRESHOLD)``, fixed; see the module doc).
    True if it took effect."""
    lib = _glibc()
    return bool(lib) and lib.mallopt(_M_MMAP_THRESHOLD, threshold) == 1


class PeakRss:
    """The highest resident set seen while the ``with`` block runs (sampled; see the module doc).

        with PeakRss() as peak:
            work()
        peak.bytes  # highest sample, including the first and the last
    """

    def __init__(self, interval: float = 0.1):
        self.interval = interval
        self.bytes = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _sample(self) -> None:
        self.bytes = max(self.bytes, rss_bytes())

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def __enter__(self) -> "PeakRss":
        self._sample()
        self._thread = threading.Thread(target=self._run, name="codehone-peak-rss", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self._sample()

    @property
    def gb(self) -> float:
        return self.bytes / 1024**3
