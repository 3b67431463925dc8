"""Hostile clients against ``codehone serve`` on the default model, with the default limits.

1. The fuzz: every case of ``codehone.serve.hostile`` (malformed JSON, lone surrogates, values out
   of range, oversized prompts and lists, broken HTTP framing, random bytes...), 4 at a time, each
   on its own connection, while /health is polled every 0.25 s. Pass: no 5xx, no case without an
   answer (or a close) within 10 s, every case answered as expected, /health always 200.
2. Big bodies: 50 MB declared with Content-Length and sent, and 50 MB chunked; the server's peak
   RSS is sampled every 50 ms (before the limit it parsed them whole: about 1.5 GB).
3. Slow clients: a slowloris head (a byte every 0.5 s) and a stalled body, with /health timed
   meanwhile; each should be closed at its timeout (10 s and 30 s by default).
4. A 200k-character prompt sent while a 64-token generation runs: time to its 400.
5. A client that leaves during a ~1,500-token prompt evaluation: seconds until the worker is free,
   against the time the full evaluation takes.
6. The model named as typed (``--model qwen2.5-coder-0.5b-instruct``), and SIGTERM: exit status.

    .venv/bin/python benchmarks/bench_serve_fuzz.py [--concurrency 4] [--skip-slow]
"""

from __future__ import annotations

import argparse
import asyncio
import threading
import time

import httpx

from _common import save
from bench_serve_common import DEFAULT_MODEL, Server, load_avg
from codehone.serve import hostile


class PeakRSS:
    def __init__(self, server: Server, every_s: float = 0.05):
        self.server, self.every_s = server, every_s
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            try:
                self.peak = max(self.peak, self.server.rss_mb())
            except OSError:
                return
            time.sleep(self.every_s)

    def __enter__(self):
        self.peak = self.server.rss_mb()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


async def big_bodies(host: str, port: int, server: Server) -> dict:
    out = {}
    body = b'{"prompt": "' + b"x" * (50 * 1024 * 1024) + b'"}'
    declared = hostile.Case("50 MB with Content-Length", hostile.post_json("/v1/completions", body), {413})
    chunked_body = b"".join(b"100000\r\n" + b"x" * 0x100000 + b"\r\n" for _ in range(50)) + b"0\r\n\r\n"
    chunked = hostile.Case("50 MB chunked", hostile.http("POST", "/v1/completions", chunked_body, {
        "Content-Type": "application/json", "Transfer-Encoding": "chunked"}), {413})
    for case in (declared, chunked):
        before = server.rss_mb()
        with PeakRSS(server) as rss:
            o = await hostile.send(host, port, case, timeout_s=30)
            await asyncio.sleep(0.5)
        out[case.name] = {"status": o.status, "seconds": round(o.seconds, 2), "rss_mb_before": round(before, 1),
                          "rss_mb_peak": round(rss.peak, 1), "rss_mb_growth": round(rss.peak - before, 1)}
    return out


async def slow_clients(url: str, host: str, port: int) -> dict:
    health: list[float] = []
    stop = asyncio.Event()

    async def poll():
        async with httpx.AsyncClient(timeout=5) as c:
            while not stop.is_set():
                t0 = time.perf_counter()
                r = await c.get(f"{url}/health")
                health.append(time.perf_counter() - t0 if r.status_code == 200 else float("inf"))
                await asyncio.sleep(0.25)

    async def stalled_body():
        reader, writer = await asyncio.open_connection(host, port)
        writer.write(b"POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 1000\r\n\r\n{\"prompt\": ")
        await writer.drain()
        t0 = time.perf_counter()
        data = await asyncio.wait_for(reader.read(), 60)
        writer.close()
        return {"status": hostile._status(data), "seconds": round(time.perf_counter() - t0, 2)}

    poller = asyncio.ensure_future(poll())
    head_closed, body = await asyncio.gather(hostile.slow_head(host, port, byte_every_s=0.5, give_up_s=60),
                                             stalled_body())
    stop.set()
    await poller
    return {"slowloris_head_closed_after_s": None if head_closed is None else round(head_closed, 2),
            "stalled_body": body, "health_checks_meanwhile": len(health),
            "health_max_ms_meanwhile": round(max(health) * 1000, 1)}


async def long_prompt_while_busy(url: str) -> dict:
    async with httpx.AsyncClient(timeout=600) as c:
        busy = asyncio.ensure_future(c.post(f"{url}/v1/completions", json={
            "prompt": "def quicksort(xs):\n", "max_tokens": 64, "temperature": 0.8, "seed": 1, "stop": []}))
        await asyncio.sleep(1.0)
        t0 = time.perf_counter()
        r = await c.post(f"{url}/v1/completions", json={"prompt": "print(i)\n" * 22_300, "max_tokens": 4})
        refused_s = time.perf_counter() - t0
        busy_running = not busy.done()
        b = await busy
        return {"status": r.status_code, "seconds_to_400": round(refused_s, 3), "code": r.json()["error"]["code"],
                "prompt_chars": 9 * 22_300, "busy_request_still_running_at_the_400": busy_running,
                "busy_status": b.status_code}


def disconnect_during_prompt(url: str) -> dict:
    words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu".split()

    def prompt(seed: int) -> str:
        import random
        rng = random.Random(seed)
        return "\n".join(f"{rng.choice(words)}_{i} = {rng.randrange(10**6)}" for i in range(110))  # ~1,500 tokens

    with httpx.Client(timeout=600) as c:
        t0 = time.perf_counter()
        full = c.post(f"{url}/v1/completions", json={"prompt": prompt(1), "max_tokens": 1}).json()
        full_s = time.perf_counter() - t0
        tokens = full["usage"]["prompt_tokens"]
        t0 = time.perf_counter()
        try:
            c.post(f"{url}/v1/completions", json={"prompt": prompt(2), "max_tokens": 1}, timeout=1.0)
        except httpx.ReadTimeout:
            pass
        left = time.perf_counter()
        while c.get(f"{url}/health").json()["running"]:
            time.sleep(0.02)
        freed_s = time.perf_counter() - left
    return {"prompt_tokens": tokens, "full_evaluation_s": round(full_s, 2), "client_left_after_s": 1.0,
            "worker_free_after_leaving_s": round(freed_s, 2)}


async def fuzz(host: str, port: int, concurrency: int, server: Server) -> dict:
    cases = hostile.cases(seed=0)
    with PeakRSS(server, every_s=0.1) as rss:
        report = await hostile.fuzz(host, port, cases, concurrency=concurrency, timeout_s=10)
    report["rss_mb_peak"] = round(rss.peak, 1)
    return report


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=DEFAULT_MODEL)
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--skip-slow", action="store_true", help="skip the slow-client part (about 30 s)")
    args = ap.parse_args()
    load_start = load_avg()
    result: dict = {"model": args.model, "load_avg_start": load_start}
    server = Server(args.model)
    try:
        host, port = "127.0.0.1", server.port
        result["rss_mb_idle"] = round(server.rss_mb(), 1)
        result["fuzz"] = asyncio.run(fuzz(host, port, args.concurrency, server))
        result["big_bodies"] = asyncio.run(big_bodies(host, port, server))
        if not args.skip_slow:
            result["slow_clients"] = asyncio.run(slow_clients(server.url, host, port))
        result["long_prompt_while_busy"] = asyncio.run(long_prompt_while_busy(server.url))
        result["disconnect_during_prompt"] = disconnect_during_prompt(server.url)
        r = httpx.post(f"{server.url}/v1/completions", json={"model": args.model, "prompt": "def f(", "max_tokens": 2},
                       timeout=60)
        result["model_as_typed"] = {"model": args.model, "status": r.status_code, "answered_as": r.json().get("model")}
        result["health_after"] = httpx.get(f"{server.url}/health").json()
        result["rss_mb_end"] = round(server.rss_mb(), 1)
    finally:
        server.stop()
    result["sigterm_exit_status"] = server.returncode
    result["load_avg_end"] = load_avg()
    f = result["fuzz"]
    result["pass"] = bool(
        f["cases"] >= 200 and not f["server_errors"] and not f["hangs"] and not f["unexpected"]
        and not f["health_failures"] and all(v["status"] == 413 for v in result["big_bodies"].values())
        and result["long_prompt_while_busy"]["status"] == 400 and result["model_as_typed"]["status"] == 200
        and server.returncode == 0)
    save("serve_fuzz", result)


if __name__ == "__main__":
    main()
