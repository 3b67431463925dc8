"""Process-wide llama.cpp setup: backend init with quiet logs, C stderr capture, threads, extra buffers.

What is decided once per process or per machine, before any model loads, so that ``llamacpp.py``
holds only the backend itself. The extra-buffer policy is here because it is a property of the CPU,
not of a model.
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys
import tempfile
import threading
from typing import Callable, TypeVar

import llama_cpp as C

from codehone.core.threads import ThreadChoice, shared_policy

T = TypeVar("T")

log = logging.getLogger("codehone.threads")
_backend_ready = False
_init_lock = threading.Lock()


def init_backend() -> None:
    """Initialise llama.cpp once. It prints every load detail to stderr; keep errors only unless
    CODEHONE_DEBUG is set."""
    global _backend_ready, _log_cb
    with _init_lock:
        if _backend_ready:
            return
        C.llama_backend_init()
        if not os.environ.get("CODEHONE_DEBUG"):
            @C.llama_log_callback
            def _log_cb(level, text, user_data):  # noqa: ANN001 - ctypes callback
                if level == 4:  # GGML_LOG_LEVEL_ERROR (0 none, 1 debug, 2 info, 3 warn, 5 continuation)
                    sys.stderr.write(text.decode("utf-8", "replace"))
            C.llama_log_set(_log_cb, ctypes.c_void_p(0))
        _backend_ready = True


def c_stderr_of(fn: Callable[[], T]) -> tuple[T, str]:
    """``fn()`` and what it wrote to file descriptor 2 (C code's stderr and our log callback), as text."""
    with tempfile.TemporaryFile() as f, _init_lock:
        sys.stderr.flush()
        saved = os.dup(2)
        os.dup2(f.fileno(), 2)
        try:
            result = fn()
            sys.stderr.flush()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        f.seek(0)
        return result, f.read().decode("utf-8", "replace")


class RequestThreads:
    """llama.cpp's thread count, re-checked before each request.

    llama.cpp can change it after load (``llama_set_n_threads``; ggml sizes its OpenMP team per graph
    from it), so a competing process that starts or stops while we serve is followed at the next
    request. Its spin-polling thread pool is not used here: this ggml is built with OpenMP, and
    llama-cpp-python 0.3.36 does not bind ``llama_attach_threadpool`` (no ``poll`` or ``cpumask``
    to set), so waiting is governed by OpenMP's own policy (left at its default: see core/threads.py). ``fixed`` (a caller's
    ``n_threads``) turns the re-checks off."""

    def __init__(self, fixed: int | None = None):
        policy = shared_policy()
        self.choice: ThreadChoice = (ThreadChoice(fixed, policy.cores, override=f"n_threads={fixed}") if fixed
                                     else policy.recheck())
        self._fixed = bool(fixed)
        log.info(self.choice.describe())

    @property
    def threads(self) -> int:
        return self.choice.threads

    def before_request(self, ctx) -> None:  # noqa: ANN001 - a llama_context pointer
        if self._fixed:
            return
        new = shared_policy().recheck()
        if new.threads != self.choice.threads:
            C.llama_set_n_threads(ctx, new.threads, new.threads)
            log.info(new.describe())
        self.choice = new


def extra_buffers_allowed(system_info: str | None = None) -> bool:
    """Whether llama.cpp may repack weights into its extra CPU buffer types (AMX, CPU_REPACK).

    Not on a CPU with AMX: there llama.cpp puts the quantized weights in its AMX buffer and the
    first decode segfaults in ``ggml_backend_amx_mul_mat``, on the catalogue's Q4_K_M models and
    on a tiny Q8_0 model alike (measured with llama-cpp-python 0.3.36 on a Sapphire Rapids VM;
    reported as ggml-org/llama.cpp#20824, with no fix). Without the extra buffers llama.cpp runs its plain
    CPU kernels. ``CODEHONE_LLAMA_EXTRA_BUFFERS=1`` (or ``0``) forces the choice.
    """
    forced = os.environ.get("CODEHONE_LLAMA_EXTRA_BUFFERS", "").strip()
    if forced in ("0", "1"):
        return forced == "1"
    if system_info is None:
        system_info = C.llama_print_system_info().decode("utf-8", "replace")
    return "AMX_INT8 = 1" not in system_info
