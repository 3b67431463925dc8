"""The "rlimits only" fallback (no namespaces) still judges correctly and enforces time and memory."""

import pytest

from codehone.errors import UserError
from codehone.core.sandbox import run as sandbox

BOX = sandbox.Limits(memory_mb=256, nproc=8, startup_s=0.5, wall_factor=1.0, wall_base_s=1.5)
TEST = "def check(candidate):\n    assert candidate(1, 2) == 3\n"


@pytest.fixture
def fallback(monkeypatch):
    monkeypatch.setenv("CODEHONE_SANDBOX", "rlimits")
    sandbox.isolation.cache_clear()
    yield sandbox.isolation()
    monkeypatch.delenv("CODEHONE_SANDBOX")
    sandbox.isolation.cache_clear()


@pytest.mark.parametrize("program,status", [
    ("def add(a, b):\n    return a + b\n", "passed"),
    ("def add(a, b):\n    return a - b\n", "failed"),
    ("while True:\n    pass\n", "timeout"),
    ("x = bytearray(10**10)\n", "memory"),
    ("import os\nos._exit(0)\n", "error"),
])
def test_fallback_judges(fallback, program, status):
    assert fallback.startswith("rlimits only")
    out = sandbox.run_program(program, test=TEST, entry_point="add", limits=0.5, sandbox=BOX)
    assert out.status == status, out


def test_bad_setting_is_an_error(monkeypatch):
    monkeypatch.setenv("CODEHONE_SANDBOX", "none")
    sandbox.isolation.cache_clear()
    try:
        with pytest.raises(UserError, match="CODEHONE_SANDBOX"):
            sandbox.isolation()
    finally:
        monkeypatch.delenv("CODEHONE_SANDBOX")
        sandbox.isolation.cache_clear()
