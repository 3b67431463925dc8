"""core/memory.py: the resident set read from /proc, a sampled peak over a block of work, and
giving the C heap's free pages back."""

from __future__ import annotations

import numpy as np

from codehone.core.memory import PeakRss, peak_rss_bytes, rss_bytes, trim_heap


def test_rss_is_read_and_the_high_water_mark_is_at_least_it():
    now = rss_bytes()
    assert now > 10 * 2**20  # a Python process with numpy loaded: tens of MB at least
    assert peak_rss_bytes() >= now


def test_peak_sees_memory_touched_and_freed_inside_the_block():
    size = 200 * 2**20
    before = rss_bytes()
    with PeakRss(interval=0.01) as peak:
        block = np.ones(size, dtype=np.uint8)  # touched: resident
        import time

        time.sleep(0.1)  # several samples while it is held
        del block
    assert peak.bytes >= before + size * 0.9
    assert rss_bytes() < peak.bytes  # freed: gone from the resident set, kept in the peak
    assert peak.gb == peak.bytes / 1024**3


def test_trim_heap_runs_on_glibc():
    # Many blocks below malloc's mmap threshold, freed: their pages are what malloc_trim returns.
    blocks = [np.ones(64 * 1024, dtype=np.uint8) for _ in range(2000)]
    del blocks
    assert trim_heap() is True


_FREED_BUT_RESIDENT = """
import ctypes, sys
from codehone.core.memory import large_blocks_unmapped_on_free, rss_bytes
libc = ctypes.CDLL("libc.so.6")
libc.malloc.restype = ctypes.c_void_p
libc.malloc.argtypes = [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
if sys.argv[1] == "fixed":
    assert large_blocks_unmapped_on_free()
libc.free(libc.malloc(32 << 20))  # a large block freed: glibc's default then raises its threshold to 32 MB
base = rss_bytes()
kept = []
for i in range(20):  # as a training step's tensors: a temporary, a small block kept after it, the temporary freed
    tmp = libc.malloc(8 << 20)
    ctypes.memset(tmp, 1, 8 << 20)
    kept.append(libc.malloc(64 << 10))
    libc.free(tmp)
print((rss_bytes() - base) >> 20)
"""


def test_large_blocks_are_returned_when_freed():
    # In child processes: the setting lasts for the process. glibc's default keeps the freed
    # temporary resident (its dynamic threshold put it in the heap, below a block still in use);
    # with the threshold fixed it is unmapped when freed.
    import subprocess
    import sys

    def grown(mode: str) -> int:
        return int(subprocess.run([sys.executable, "-c", _FREED_BUT_RESIDENT, mode], capture_output=True, text=True,
                                  check=True).stdout)

    assert grown("default") >= 6  # MB
    assert grown("fixed") < 2
