"""issue 22 on the real default model: llama-cpp-python's own server on loopback, and
``codehone eval --model http://127.0.0.1:PORT/v1`` with --concurrency 4 and 1 gives the same
verdicts, whatever order the answers came back in."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

from codehone.runs import read_jsonl

pytestmark = pytest.mark.slow

TASKS = 6


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server_url():
    import httpx

    home = os.environ.get("CODEHONE_REAL_HOME") or os.path.expanduser("~/.cache/codehone")
    os.environ["CODEHONE_HOME"] = home  # the real cache: the default model is 491 MB
    from codehone.models.refs import resolve_ref

    model = resolve_ref("qwen2.5-coder-0.5b-instruct").path
    if not model.exists():
        pytest.skip(f"the default model is not in {home}: run `codehone models fetch qwen2.5-coder-0.5b-instruct`")
    port = _free_port()
    # llama-cpp-python 0.3.x's server has no parallel slots: it serves one request at a time behind a
    # lock, so concurrent requests queue there; their answers still have to come back right.
    proc = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
                             "--port", str(port), "--n_ctx", "4096", "--verbose", "false"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            if httpx.get(f"{url}/models", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("llama_cpp.server did not start in 120 s")
    yield url
    proc.terminate()
    proc.wait(30)


@pytest.fixture(autouse=True)
def _isolated_home():  # overrides the tmp CODEHONE_HOME of conftest for this module
    yield


def test_concurrency_4_and_1_give_the_same_verdicts(server_url, tmp_path):
    from codehone.cli import app

    verdicts, orders = {}, {}
    for c in (4, 1):
        out = tmp_path / f"c{c}"
        # --base (/v1/completions): llama_cpp.server's chat route starts a new assistant turn instead of
        # continuing eval's response prefix, so its chat answers do not sanitise (a separate problem).
        r = CliRunner().invoke(app, ["eval", "--bench", "humaneval", "--model", server_url, "--concurrency", str(c),
                                     "--base", "--limit", str(TASKS), "--max-tokens", "256", "--k", "1",
                                     "--out", str(out)])
        assert r.exit_code == 0, r.output
        assert json.loads((out / "manifest.json").read_text())["stages"]["eval.generate"]["concurrency"] == c
        orders[c] = [row["task_id"] for row in read_jsonl(out / "samples.jsonl")]
        verdicts[c] = {row["task_id"]: row["passed"] for row in read_jsonl(out / "results.jsonl")}
    assert len(verdicts[1]) == TASKS and sorted(orders[4]) == sorted(orders[1])
    assert verdicts[4] == verdicts[1]
    assert any(verdicts[1].values())  # the model solves some of the first tasks: the verdicts mean something
