"""The bounded queue under concurrent clients, cancellation on disconnect, and /metrics."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from tests.integration.serve.conftest import running_server

# About 1,000 tokens of "\n" from the tiny model: long enough (~1 s) to hold the only slot.
LONG_CHAT = {"messages": [{"role": "user", "content": "hi"}], "max_tokens": 900, "temperature": 0}


def wait_for(predicate, timeout: float) -> float:
    """Seconds until predicate() holds; fails after timeout."""
    t0 = time.monotonic()
    while not predicate():
        if time.monotonic() - t0 > timeout:
            pytest.fail(f"condition not met in {timeout} s")
        time.sleep(0.01)
    return time.monotonic() - t0


@pytest.fixture(scope="module")
def small(tiny_gguf):
    with running_server(str(tiny_gguf), max_queue=1) as (url, app):
        yield url, app


def test_overflow_is_429_with_retry_after_and_everyone_is_answered(small):
    url, app = small
    results: list[httpx.Response] = []
    barrier = threading.Barrier(8)

    def client():
        barrier.wait()
        results.append(httpx.post(f"{url}/v1/chat/completions", json={**LONG_CHAT, "max_tokens": 300}, timeout=60))

    threads = [threading.Thread(target=client) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    statuses = sorted(r.status_code for r in results)
    assert len(results) == 8 and set(statuses) <= {200, 429}, statuses
    assert statuses.count(200) >= 2 and statuses.count(429) >= 1, statuses  # one ran, one waited, the rest refused
    for r in results:
        if r.status_code == 429:
            assert int(r.headers["retry-after"]) >= 1
            assert r.json()["error"]["code"] == "queue_full"
        else:
            assert r.json()["usage"]["completion_tokens"] == 300
    # The slot is released just after the response is sent (the worker's cleanup), so a loaded
    # machine may see it a moment late: the counters must reach zero, soon.
    deadline = time.monotonic() + 5
    while (app.state.queue.waiting, app.state.queue.running) != (0, 0) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert (app.state.queue.waiting, app.state.queue.running) == (0, 0)
    assert httpx.post(f"{url}/v1/chat/completions", json={**LONG_CHAT, "max_tokens": 2}).status_code == 200


def test_disconnect_mid_stream_stops_the_generation_and_frees_the_slot(small):
    url, app = small
    queue = app.state.queue
    cancelled = queue.cancelled_total
    with httpx.stream("POST", f"{url}/v1/chat/completions", json={**LONG_CHAT, "stream": True}, timeout=60) as r:
        lines = r.iter_lines()
        got = [next(lines) for _ in range(6)]
        assert any(line.startswith("data: ") for line in got)
        assert queue.running == 1
    # cancelled_total counts generations stopped inside on_text, i.e. before their 900 tokens.
    wait_for(lambda: queue.running == 0 and queue.cancelled_total == cancelled + 1, timeout=10)
    assert queue.waiting == 0
    assert httpx.post(f"{url}/v1/chat/completions", json={**LONG_CHAT, "max_tokens": 2}).status_code == 200


def test_client_that_gives_up_while_waiting_leaves_the_queue(small):
    url, app = small
    queue = app.state.queue
    with httpx.stream("POST", f"{url}/v1/chat/completions", json={**LONG_CHAT, "stream": True}, timeout=60) as r:
        next(r.iter_lines())  # the long request holds the slot
        with pytest.raises(httpx.ReadTimeout):
            httpx.post(f"{url}/v1/chat/completions", json=LONG_CHAT, timeout=0.3)
        # The waiting request's client is gone: its place is given back before the slot frees.
        wait_for(lambda: queue.waiting == 0, timeout=2)
        assert queue.running == 1
    wait_for(lambda: queue.running == 0, timeout=5)


def parse_metrics(text: str) -> dict[str, float]:
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            out[name] = float(value)
    return out


def test_metrics_count_requests_tokens_latency_and_queue(url):
    before = parse_metrics(httpx.get(f"{url}/metrics").text)
    ok = httpx.post(f"{url}/v1/chat/completions", json={**LONG_CHAT, "max_tokens": 7})
    httpx.post(f"{url}/v1/chat/completions", json={**LONG_CHAT, "max_tokens": -1})
    httpx.get(f"{url}/no/such/route")
    r = httpx.get(f"{url}/metrics")
    assert r.headers["content-type"].startswith("text/plain; version=0.0.4")
    after = parse_metrics(r.text)

    def delta(key):
        return after.get(key, 0) - before.get(key, 0)

    assert ok.status_code == 200
    assert delta('codehone_requests_total{route="/v1/chat/completions",status="200"}') == 1
    assert delta('codehone_requests_total{route="/v1/chat/completions",status="400"}') == 1
    assert delta('codehone_requests_total{route="other",status="404"}') == 1
    assert delta('codehone_completion_tokens_total{model="tiny-qwen2-f32"}') == 7
    assert delta('codehone_request_duration_seconds_count{route="/v1/chat/completions"}') == 2
    assert after['codehone_request_duration_seconds_bucket{route="/v1/chat/completions",le="+Inf"}'] == \
        after['codehone_request_duration_seconds_count{route="/v1/chat/completions"}']
    assert after["codehone_queue_waiting"] == 0 and after["codehone_queue_running"] == 0
