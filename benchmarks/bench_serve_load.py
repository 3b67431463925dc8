"""Load: 32 concurrent clients for 60 s against one ``codehone serve`` on loopback.

Each client loops over a mix of requests: /infill (n_predict 32), chat (48 tokens), streamed chat
read to the end, and streamed chat abandoned after a few chunks (a client that goes away). A
refused request (429/503) waits its Retry-After, as a well-behaved client would. Recorded: every
status, any client-side failure (timeout, broken connection), and the server's resident memory
once a second; memory should be flat after warm-up.

Pass criteria: no 5xx, every request answered with 200 or refused with 429/503, no client
failure, RSS growth after warm-up under 5%. Reported: p50/p95/max latency of the answered (200)
requests, overall and by kind (from sending the request to its last byte; for an abandoned stream,
to the moment the client left), and of the refusals.

    .venv/bin/python benchmarks/bench_serve_load.py [--clients 32] [--seconds 60] [--max-queue 16]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import random
import time

import httpx

from _common import default_model_path, save
from bench_serve_common import Server, load_avg, percentile


def latency_summary(xs: list[float]) -> dict:
    if not xs:
        return {"n": 0}
    return {"n": len(xs), "p50_s": round(percentile(xs, 0.5), 3), "p95_s": round(percentile(xs, 0.95), 3),
            "max_s": round(max(xs), 3)}

CODE = ["def fib(n):\n    ", "class Stack:\n    def push(self, x):\n        ", "for i in range(10):\n    ",
        "import os\n\ndef list_py(root):\n    ", "def parse(line):\n    key, value = "]


async def client_loop(c: httpx.AsyncClient, url: str, rng: random.Random, until: float, stats: dict) -> None:
    while time.monotonic() < until:
        kind = rng.choice(("infill", "chat", "stream", "abandon"))
        t0 = time.perf_counter()
        try:
            if kind == "infill":
                pre = rng.choice(CODE)
                r = await c.post(f"{url}/infill", json={"input_prefix": pre, "input_suffix": "\n", "n_predict": 32,
                                                       "temperature": 0.2, "seed": rng.randrange(1 << 30)})
                status = r.status_code
            elif kind == "chat":
                r = await c.post(f"{url}/v1/chat/completions", json={
                    "messages": [{"role": "user", "content": f"Explain: {rng.choice(CODE)}"}], "max_tokens": 48})
                status = r.status_code
            else:
                body = {"messages": [{"role": "user", "content": f"Write: {rng.choice(CODE)}"}], "max_tokens": 48,
                        "stream": True}
                async with c.stream("POST", f"{url}/v1/chat/completions", json=body) as r:
                    status = r.status_code
                    n = 0
                    async for line in r.aiter_lines():
                        n += line.startswith("data: ")
                        if kind == "abandon" and n >= 3:
                            break
                    if status == 200 and kind == "stream":
                        assert line == "" or line == "data: [DONE]"
            stats["status"][(kind, status)] += 1
            stats["latency"].setdefault((kind, status), []).append(time.perf_counter() - t0)
            if status in (429, 503):
                await asyncio.sleep(min(float(r.headers.get("retry-after", "1")), 5.0))
        except Exception as e:  # noqa: BLE001 - every failure is a finding to record
            stats["failures"][f"{kind}: {type(e).__name__}: {e}"[:200]] += 1
            await asyncio.sleep(0.5)


async def run(url: str, server: Server, clients: int, seconds: float) -> dict:
    stats = {"status": collections.Counter(), "failures": collections.Counter(), "latency": {}}
    rss: list[tuple[float, float]] = []
    t0 = time.monotonic()
    until = t0 + seconds

    async def sample():
        while time.monotonic() < until + 1:
            rss.append((round(time.monotonic() - t0, 1), round(server.rss_mb(), 1)))
            await asyncio.sleep(1)

    limits = httpx.Limits(max_connections=clients + 4)
    async with httpx.AsyncClient(timeout=300, limits=limits) as c:
        await asyncio.gather(sample(), *(client_loop(c, url, random.Random(i), until, stats) for i in range(clients)))
    stats["rss"] = rss
    stats["wall_s"] = round(time.monotonic() - t0, 1)
    return stats


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--max-queue", type=int, default=16)
    args = ap.parse_args()
    path = default_model_path()
    load_start = load_avg()
    with Server(path, "--max-queue", str(args.max_queue)) as server:
        rss_idle = server.rss_mb()
        stats = asyncio.run(run(server.url, server, args.clients, args.seconds))
        metrics = httpx.get(f"{server.url}/metrics").text
    statuses = collections.Counter()
    for (_kind, status), n in stats["status"].items():
        statuses[status] += n
    rss = stats["rss"]
    warm = [m for t, m in rss if t >= 10] or [m for _, m in rss]
    growth = (warm[-1] - warm[0]) / warm[0]
    ok = (not any(s >= 500 for s in statuses) and set(statuses) <= {200, 429, 503} and not stats["failures"]
          and growth < 0.05)
    save("serve_load", {
        "model": path, "clients": args.clients, "seconds": args.seconds, "max_queue": args.max_queue,
        "load_avg_start": load_start, "load_avg_end": load_avg(), "wall_s": stats["wall_s"],
        "statuses": dict(sorted(statuses.items())),
        "by_kind": {f"{k} {s}": n for (k, s), n in sorted(stats["status"].items())},
        "client_failures": dict(stats["failures"]),
        "latency_answered": latency_summary([x for (k, st), xs in stats["latency"].items() if st == 200 for x in xs]),
        "latency_answered_by_kind": {k: latency_summary([x for (kk, st), xs in stats["latency"].items()
                                                         if kk == k and st == 200 for x in xs])
                                     for k in ("infill", "chat", "stream", "abandon")},
        "latency_refused": latency_summary([x for (k, st), xs in stats["latency"].items() if st != 200 for x in xs]),
        "server_exit_status": server.returncode,
        "rss_mb_idle": round(rss_idle, 1), "rss_mb_after_warmup_first_last_max": [warm[0], warm[-1], max(warm)],
        "rss_growth_after_warmup": round(growth, 4), "rss_mb_series": rss, "pass": ok,
        "server_metrics_tail": [line for line in metrics.splitlines()
                                if line.startswith(("codehone_requests_total", "codehone_generations_cancelled",
                                                    "codehone_completion_tokens_total"))],
    })


if __name__ == "__main__":
    main()
