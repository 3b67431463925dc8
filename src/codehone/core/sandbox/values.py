"""What crosses the sandbox's boundary: the limits a program runs under, the outcome of a run, and
the plain values its answers decode to (``decode``; anything that is not plain data becomes an
``Unencodable`` that equals nothing)."""

from __future__ import annotations

from dataclasses import dataclass, field

STATUSES = ("passed", "failed", "timeout", "memory", "error")


@dataclass(frozen=True)
class Limits:
    memory_mb: int = 1024  # RLIMIT_AS per process
    nproc: int = 16  # processes + threads of the sandbox uid, the harness's two threads included
    fsize_mb: int = 16
    nofile: int = 64
    tmpfs_mb: int = 64
    output_bytes: int = 64 * 1024  # stdout/stderr kept per stream; the rest is read and dropped
    verdict_bytes: int = 8 << 20  # the verdict channel (streamed outputs + verdict); more: "output too large"
    digest_over: int = 65536  # io mode: an output whose encoding is longer travels as its sha256 (Digest)
    max_cpu_s: float = 60.0  # cap on one program's total CPU budget
    startup_s: float = 1.0  # CPU allowance for interpreter start and the program's definitions
    wall_factor: float = 2.0  # wall deadline = wall_base_s + wall_factor x CPU budget
    wall_base_s: float = 2.0


@dataclass
class Outcome:
    status: str  # one of STATUSES ("done" is internal: io mode, outputs still to judge)
    detail: str = ""
    runtime: float = 0.0  # wall seconds, start to verdict
    cpu: float = 0.0  # CPU seconds reported by the harness (0 if it never reported)
    outputs: list = field(default_factory=list)  # io mode: decoded return values, in input order
    raw_outputs: list = field(default_factory=list)  # the same as tagged literals (JSON-safe strings)
    times: list = field(default_factory=list)  # io mode: CPU seconds per input
    stdout: str = ""
    stderr: str = ""

    @property
    def passed(self) -> bool:
        return self.status == "passed"


def decode(x):
    """Rebuild a value from the harness's tagged literal (plain data only)."""
    if x is None or isinstance(x, bool):
        return x
    tag, v = x
    if tag == "i":
        return int(v, 16)
    if tag == "f":
        return float(v)
    if tag == "c":
        return complex(v)
    if tag in ("s", "y"):
        return v
    if tag == "l":
        return [decode(e) for e in v]
    if tag == "t":
        return tuple(decode(e) for e in v)
    if tag == "S":
        return {decode(e) for e in v}
    if tag == "F":
        return frozenset(decode(e) for e in v)
    if tag == "d":
        return {decode(k): decode(e) for k, e in v}
    if tag == "h":
        return Digest(str(v))
    return Unencodable(str(v))


@dataclass(frozen=True)
class Digest:
    """A large output, sent as the sha256 of its encoding: equal only to the same digest."""

    sha256: str


@dataclass(frozen=True)
class Unencodable:
    """A return value that was not plain data: equal to nothing but itself."""

    typename: str
