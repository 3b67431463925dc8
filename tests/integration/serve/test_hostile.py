"""Hostile clients: the fuzz cases of serve/hostile.py on the tiny model, and the slow ones.

The same cases run as benchmarks/bench_serve_fuzz.py on the default model. Here the server runs
in-process (tests/integration/serve/conftest.py), with a 1 s header timeout so the slowloris test
takes seconds.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
from urllib.parse import urlparse

import httpx
import pytest

from codehone.serve import hostile
from codehone.serve.limits import Limits
from tests.integration.serve.conftest import free_port, running_server, wait_until_healthy


@pytest.fixture(scope="module")
def guarded(tiny_gguf):
    limits = Limits(max_body_bytes=8 * 1024 * 1024, header_timeout_s=1.0, body_timeout_s=2.0)
    with running_server(str(tiny_gguf), limits=limits, max_queue=64) as (url, app):
        yield url, app


def host_port(url: str) -> tuple[str, int]:
    u = urlparse(url)
    return u.hostname, u.port


def test_every_fuzz_case_is_refused_or_served_without_a_5xx_or_a_hang(guarded):
    url, _app = guarded
    cases = hostile.cases(seed=0)
    assert len(cases) >= 200
    report = asyncio.run(hostile.fuzz(*host_port(url), cases, concurrency=8, timeout_s=10))
    assert report["server_errors"] == [] and report["hangs"] == [], report
    assert report["unexpected"] == [], report
    assert report["health_failures"] == [] and report["health_checks"] >= 2, report
    assert httpx.get(f"{url}/health").json()["running"] == 0


@pytest.mark.parametrize("route,body,param", [
    ("/v1/completions", {"prompt": "a\ud800b"}, "prompt"),
    ("/v1/completions", {"prompt": "x", "suffix": "\udfff"}, "suffix"),
    ("/v1/chat/completions", {"messages": [{"role": "user", "content": "\ud83d"}]}, "messages.0.content"),
    ("/v1/chat/completions", {"messages": [{"role": "user", "content": [{"type": "text", "text": "\ud800"}]}]},
     "messages.0.content.0.text"),
    ("/infill", {"input_prefix": "x", "input_extra": [{"filename": "a.py", "text": "\udc00"}]}, "input_extra.0.text"),
    ("/completion", {"prompt": "x", "stop": ["\ud800"]}, "stop.0"),
])
def test_lone_surrogates_are_a_400_that_names_the_field(guarded, route, body, param):
    # ensure_ascii: the surrogate travels as a \\uXXXX escape, as a JSON client would send it.
    r = httpx.post(f"{guarded[0]}{route}", content=json.dumps(body).encode(), headers={"content-type": "application/json"})
    assert r.status_code == 400, r.text
    err = r.json()["error"]
    assert err["param"] == param and "lone surrogate" in err["message"], err


@pytest.mark.parametrize("body,param", [
    ({"prompt": "x", "top_k": 2**70}, "top_k"),
    ({"prompt": "x", "top_k": -1}, "top_k"),
    ({"prompt": "x", "n": 10**6}, "n"),
    ({"prompt": "x", "max_tokens": 2**70}, "max_tokens"),
    ({"prompt": "x", "max_tokens": 10**9}, "max_tokens"),
    ({"prompt": "x", "seed": 2**70}, "seed"),
    ({"prompt": "x", "temperature": -0.5}, "temperature"),
])
def test_out_of_range_sampling_values_are_400(guarded, body, param):
    r = httpx.post(f"{guarded[0]}/v1/completions", json=body)
    assert r.status_code == 400, r.text
    assert r.json()["error"]["param"] == param


def test_nan_and_infinity_are_400(guarded):
    for raw in (b'{"prompt": "x", "temperature": NaN}', b'{"prompt": "x", "top_p": Infinity}'):
        r = httpx.post(f"{guarded[0]}/v1/completions", content=raw, headers={"content-type": "application/json"})
        assert r.status_code == 400 and "finite" in r.json()["error"]["message"], r.text


def test_a_body_over_the_limit_is_413_before_it_is_read(tiny_gguf):
    limits = Limits(max_body_bytes=64 * 1024)
    with running_server(str(tiny_gguf), limits=limits) as (url, _app):
        # Declared too large: refused from the headers alone (an Expect: 100-continue client sends nothing).
        big = {"prompt": "x" * 100_000}
        r = httpx.post(f"{url}/v1/completions", json=big)
        assert r.status_code == 413 and r.json()["error"]["code"] == "body_too_large", r.text
        assert "65,536 bytes" in r.json()["error"]["message"]

        # Streamed without a length (chunked): counted while read, refused once past the limit.
        def chunks():
            yield b'{"prompt": "'
            for _ in range(40):
                yield b"x" * 4096
            yield b'"}'

        r = httpx.post(f"{url}/v1/completions", content=chunks(), headers={"content-type": "application/json"})
        assert r.status_code == 413, r.text
        # Under the limit, chunked: served as usual.
        small = (b for b in (b'{"prompt": "def f(",', b' "max_tokens": 2}'))
        r = httpx.post(f"{url}/v1/completions", content=small, headers={"content-type": "application/json"})
        assert r.status_code == 200, r.text
        assert httpx.get(f"{url}/health").status_code == 200


def rss_mb() -> float:
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def test_a_50_mb_body_costs_the_server_no_memory(guarded):
    """The server runs in this process: its resident memory, sampled while 50 MB arrive, stays flat
    (parsed whole, such a body used to cost 1.5 GB for a moment)."""
    url, _app = guarded
    peak = [rss_mb()]
    base = peak[0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak.append(rss_mb())
            time.sleep(0.01)

    def chunks():  # 1 MB at a time: the client holds no copy of the body
        yield b'{"prompt": "'
        block = b"x" * (1024 * 1024)
        for _ in range(50):
            yield block
        yield b'"}'

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        for headers in ({}, {"content-length": str(50 * 1024 * 1024 + 14)}):  # chunked, then declared
            try:
                r = httpx.post(f"{url}/v1/completions", content=chunks(), timeout=30,
                               headers={"content-type": "application/json", **headers})
                assert r.status_code == 413, r.text
            except (httpx.WriteError, httpx.RemoteProtocolError, httpx.ReadError):
                pass  # refused from the headers and closed while the body was still being sent
    finally:
        done.set()
        sampler.join()
    assert max(peak) - base < 40, (base, max(peak))  # the 8 MB limit, and what reading it costs
    assert httpx.get(f"{url}/health").status_code == 200


def test_a_body_that_stalls_is_408_and_the_server_keeps_answering(guarded):
    url, _app = guarded
    host, port = host_port(url)

    async def stall():
        reader, writer = await asyncio.open_connection(host, port)
        writer.write(b"POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 100\r\n\r\n{\"prompt\": ")
        await writer.drain()
        t0 = time.perf_counter()
        health = await asyncio.to_thread(httpx.get, f"{url}/health", timeout=2)  # answered meanwhile
        data = await asyncio.wait_for(reader.read(), 10)
        writer.close()
        return data, time.perf_counter() - t0, health.status_code

    data, seconds, health = asyncio.run(stall())
    assert data.startswith(b"HTTP/1.1 408"), data[:200]
    assert 1.5 < seconds < 5 and health == 200


def test_a_slowloris_client_is_closed_within_the_header_timeout(guarded):
    url, _app = guarded
    host, port = host_port(url)

    async def attack():
        health: list[float] = []

        async def poll():
            for _ in range(8):
                t0 = time.perf_counter()
                r = await asyncio.to_thread(httpx.get, f"{url}/health", timeout=2)
                assert r.status_code == 200
                health.append(time.perf_counter() - t0)
                await asyncio.sleep(0.2)

        closed, _ = await asyncio.gather(hostile.slow_head(host, port, byte_every_s=0.1, give_up_s=6), poll())
        # A connection that never sends a byte is closed too.
        reader, writer = await asyncio.open_connection(host, port)
        t0 = time.perf_counter()
        silent = await asyncio.wait_for(reader.read(), 6)
        writer.close()
        return closed, time.perf_counter() - t0, silent, health

    closed, silent_s, silent, health = asyncio.run(attack())
    assert closed is not None and 0.9 < closed < 2.5, closed  # the header timeout is 1 s
    assert silent == b"" and 0.9 < silent_s < 2.5
    assert max(health) < 1.0


def test_a_keep_alive_connection_still_works_after_the_header_timeout(guarded):
    url, _app = guarded
    with httpx.Client() as c:  # one connection, reused after more than the header timeout
        assert c.get(f"{url}/health").status_code == 200
        time.sleep(1.5)
        assert c.post(f"{url}/v1/completions", json={"prompt": "def f(", "max_tokens": 2}).status_code == 200


def test_a_long_prompt_is_refused_without_waiting_for_the_worker(guarded):
    """The 400 must not queue behind a running generation: hold the worker, then send the prompt."""
    url, app = guarded
    release = threading.Event()

    async def hold_and_ask():
        # The app's own queue; a job that keeps the one worker thread busy until released.
        _job, fut = app.state.queue.submit(lambda job: release.wait(20))
        try:
            t0 = time.perf_counter()
            async with httpx.AsyncClient(timeout=10) as c:
                r = await c.post(f"{url}/v1/completions", json={"prompt": "print(i)\n" * 25_000, "max_tokens": 4})
                r2 = await c.post(f"{url}/infill", json={"input_prefix": "x" * 5000, "n_predict": 2000})
                r3 = await c.post(f"{url}/infill", json={"input_prefix": "x", "top_k": 2**70})
            return r, r2, r3, time.perf_counter() - t0
        finally:
            release.set()
            await fut

    r, r2, r3, seconds = asyncio.run(hold_and_ask())
    assert r.status_code == 400 and r.json()["error"]["code"] == "context_length_exceeded", r.text
    assert r2.status_code == 400 and r2.json()["error"]["param"] == "n_predict", r2.text
    assert r3.status_code == 400 and r3.json()["error"]["param"] == "top_k", r3.text
    assert seconds < 5  # the worker was held for 20 s


def test_the_typed_model_name_is_an_alias(tiny_gguf, tmp_path):
    # Served from a path, as `--model path/to/file.gguf`: the typed reference is accepted as the model's name.
    with running_server(str(tiny_gguf)) as (url, _app):
        for model in (str(tiny_gguf), "tiny-qwen2-f32"):
            r = httpx.post(f"{url}/v1/completions", json={"model": model, "prompt": "def f(", "max_tokens": 2})
            assert r.status_code == 200 and r.json()["model"] == "tiny-qwen2-f32", r.text
        ids = [m["id"] for m in httpx.get(f"{url}/v1/models").json()["data"]]
        assert ids == ["tiny-qwen2-f32"]
        err = httpx.post(f"{url}/v1/completions", json={"model": "nope", "prompt": "x"}).json()["error"]
        assert str(tiny_gguf) in err["message"]


SCRIPT = ("import typer, sys; from codehone.serve.cli import serve_command; app = typer.Typer(); "
          "app.command('serve')(serve_command); app.command('noop')(lambda: None); app(sys.argv[1:])")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_is_a_clean_exit_with_status_0(tiny_gguf, sig):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, "serve", "--model", str(tiny_gguf), "--port", str(port),
                             "--ctx", "512"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "CODEHONE_THREADS": "1"})
    sent = False
    try:
        wait_until_healthy(proc, port)
        # A streamed generation in flight when the signal comes: cut short, not a crash.
        with httpx.stream("POST", f"http://127.0.0.1:{port}/v1/completions", timeout=30,
                          json={"prompt": "def f(", "max_tokens": 200, "stream": True}) as r:
            assert r.status_code == 200
            proc.send_signal(sig)
            sent = True
            for _ in r.iter_lines():
                pass
    except httpx.HTTPError:
        pass
    finally:
        if not sent and proc.poll() is None:
            proc.send_signal(sig)  # once: a second SIGINT is uvicorn's "force quit"
        out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out
    assert "Traceback" not in out, out
    assert out.rstrip().endswith("stopped"), out
