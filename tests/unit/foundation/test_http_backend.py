"""The HTTP backend against a real OpenAI-compatible server (llama-cpp-python's) on loopback."""

import socket
import subprocess
import sys
import time

import pytest

from codehone.backends.base import GenerationError, Request, SamplingParams


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tiny_gguf):
    import httpx

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", str(tiny_gguf), "--host", "127.0.0.1",
                             "--port", str(port), "--n_ctx", "512", "--model_alias", "tiny", "--verbose", "false"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if httpx.get(f"{url}/v1/models", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("llama_cpp.server did not start")
    yield url
    proc.terminate()
    proc.wait(10)


def test_chat_completion_and_streaming(server):
    from codehone.backends import load_backend

    b = load_backend(server)
    assert b.name == "tiny"  # discovered through /v1/models
    r = b.generate(Request.chat("def add"), SamplingParams(max_tokens=6))
    assert r.completions and r.prompt_tokens > 0 and r.completion_tokens > 0
    r = b.generate(Request.complete("def fib(n):"), SamplingParams(max_tokens=6))
    assert r.completions[0].finish_reason in ("stop", "length")
    chunks = []
    s = b.generate(Request.complete("def fib(n):"), SamplingParams(max_tokens=6), on_text=lambda i, t: chunks.append(t))
    assert "".join(chunks) == s.text == r.text


def test_unreachable_endpoint_is_a_clear_error():
    from codehone.backends.http import HttpBackend

    b = HttpBackend(f"http://127.0.0.1:{free_port()}/v1", model_name="x", retries=1, backoff=0.01)
    with pytest.raises(GenerationError, match="cannot reach .* connection refused.*after 2 tries"):
        b.generate(Request.chat("hi"), SamplingParams(max_tokens=2))


def test_spm_infill_over_http_is_refused_before_any_request():
    from codehone.backends.http import HttpBackend

    b = HttpBackend(f"http://127.0.0.1:{free_port()}/v1", model_name="x")  # nothing listens: no request is made
    with pytest.raises(GenerationError, match="spm cannot be asked of a remote /infill"):
        b.generate(Request.infill("a", "b", "spm"), SamplingParams(max_tokens=2))
