"""On the real default model: editor requests get suggestions an editor would show (slow: ~490 MB)."""

from __future__ import annotations

import os

import httpx
import pytest

from tests.integration.serve.conftest import running_server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def real():
    # The user's real cache, as in tests/slow: the model is 491 MB.
    old = os.environ.get("CODEHONE_HOME")
    os.environ["CODEHONE_HOME"] = os.environ.get("CODEHONE_REAL_HOME") or os.path.expanduser("~/.cache/codehone")
    try:
        with running_server("qwen2.5-coder-0.5b-instruct", ctx=2048) as (url, _app):
            yield url
    finally:
        if old is None:
            os.environ.pop("CODEHONE_HOME", None)
        else:
            os.environ["CODEHONE_HOME"] = old


@pytest.fixture(autouse=True)
def _isolated_home():  # overrides the tmp CODEHONE_HOME of conftest for this module
    yield


def infill(url, prefix, suffix, **kw):
    r = httpx.post(f"{url}/infill", json={"input_prefix": prefix, "input_suffix": suffix, "n_predict": 48,
                                          "temperature": 0, **kw}, timeout=120)
    assert r.status_code == 200, r.text
    return r.json()


def test_inside_a_line_the_suggestion_is_one_line(real):
    d = infill(real, "def area(radius):\n    return 3.14159 * ", " * radius\n\nprint(area(2))\n")
    assert d["content"].strip() and "\n" not in d["content"]


def test_a_body_ends_with_its_block(real):
    prefix = "def is_even(n):\n    "
    suffix = "\n\ndef is_odd(n):\n    return not is_even(n)\n"
    d = infill(real, prefix, suffix)
    raw = infill(real, prefix, suffix, postprocess=False)
    assert d["content"] and "def is_odd" not in d["content"]
    assert raw["content"].startswith(d["content"].rstrip()[:10])
    assert d["tokens_predicted"] <= raw["tokens_predicted"]
