"""Smoke of the real default model: fetch from the registry (verified), chat, infill, batch of samples."""

import os

import pytest

from codehone.backends.base import Request, SamplingParams

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def backend():
    # Use the user's real cache here: the point is the real fetch, and it is 491 MB.
    home = os.environ.get("CODEHONE_REAL_HOME") or os.path.expanduser("~/.cache/codehone")
    os.environ["CODEHONE_HOME"] = home
    from codehone.backends import load_backend

    b = load_backend("qwen2.5-coder-0.5b-instruct")
    yield b
    b.close()


@pytest.fixture(autouse=True)
def _isolated_home():  # overrides the tmp CODEHONE_HOME of conftest for this module
    yield


def test_chat_writes_python(backend):
    r = backend.generate(Request.chat("Write a Python function add(a, b) that returns a + b. Only code."),
                         SamplingParams(max_tokens=60))
    assert "def add" in r.text


def test_infill_completes_the_middle(backend):
    r = backend.generate(Request.infill("def square(x):\n    return ", "\n\nprint(square(3))\n"),
                         SamplingParams(max_tokens=16))
    assert "x" in r.completions[0].text


def test_eight_samples_in_one_batch(backend):
    r = backend.generate(Request.chat("Name a Python keyword."), SamplingParams(max_tokens=8, temperature=0.9, seed=1, n=8))
    assert len(r.completions) == 8 and all(c.tokens >= 1 for c in r.completions)
