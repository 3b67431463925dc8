"""Prometheus metrics in the text exposition format (version 0.0.4), written by hand.

A few counters and one histogram do not justify a dependency. Labels are bounded: the route is one
of the server's own paths (anything else counts as "other"), so a scanner probing random URLs
cannot grow the label set. The middleware times a request from its first byte in to its last
byte out, so a streamed response counts its whole stream.
"""

from __future__ import annotations

import threading
import time
from typing import Callable

# Seconds: editors care about 0.1-1 s, chat streams run for tens of seconds.
BUCKETS = (0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)


class Metrics:
    def __init__(self, routes: set[str]):
        self.routes = routes
        self._lock = threading.Lock()
        self.requests: dict[tuple[str, int], int] = {}
        self.buckets: dict[str, list[int]] = {}
        self.latency_sum: dict[str, float] = {}
        self.latency_count: dict[str, int] = {}
        self.completion_tokens: dict[str, int] = {}
        self.prompt_tokens: dict[str, int] = {}
        self.early_stops = 0

    def route(self, path: str) -> str:
        return path if path in self.routes else "other"

    def observe_request(self, path: str, status: int, seconds: float) -> None:
        route = self.route(path)
        with self._lock:
            self.requests[(route, status)] = self.requests.get((route, status), 0) + 1
            counts = self.buckets.setdefault(route, [0] * len(BUCKETS))
            for i, b in enumerate(BUCKETS):
                if seconds <= b:
                    counts[i] += 1
            self.latency_sum[route] = self.latency_sum.get(route, 0.0) + seconds
            self.latency_count[route] = self.latency_count.get(route, 0) + 1

    def observe_generation(self, model: str, prompt_tokens: int, completion_tokens: int, early_stop: bool) -> None:
        with self._lock:
            self.prompt_tokens[model] = self.prompt_tokens.get(model, 0) + prompt_tokens
            self.completion_tokens[model] = self.completion_tokens.get(model, 0) + completion_tokens
            self.early_stops += int(early_stop)

    def render(self, waiting: int, running: int, cancelled: int = 0) -> str:
        out: list[str] = []

        def head(name: str, kind: str, help_: str) -> None:
            out.append(f"# HELP {name} {help_}")
            out.append(f"# TYPE {name} {kind}")

        with self._lock:
            head("codehone_requests_total", "counter", "HTTP requests answered, by route and status code.")
            for (route, status), n in sorted(self.requests.items()):
                out.append(f'codehone_requests_total{{route="{route}",status="{status}"}} {n}')
            head("codehone_request_duration_seconds", "histogram", "Time from request to last byte of the response.")
            for route, counts in sorted(self.buckets.items()):
                for b, c in zip(BUCKETS, counts):
                    out.append(f'codehone_request_duration_seconds_bucket{{route="{route}",le="{b}"}} {c}')
                n = self.latency_count[route]
                out.append(f'codehone_request_duration_seconds_bucket{{route="{route}",le="+Inf"}} {n}')
                out.append(f'codehone_request_duration_seconds_sum{{route="{route}"}} {self.latency_sum[route]:.6f}')
                out.append(f'codehone_request_duration_seconds_count{{route="{route}"}} {n}')
            head("codehone_completion_tokens_total", "counter", "Tokens generated, by model.")
            for model, n in sorted(self.completion_tokens.items()):
                out.append(f'codehone_completion_tokens_total{{model="{_esc(model)}"}} {n}')
            head("codehone_prompt_tokens_total", "counter", "Prompt tokens received, by model.")
            for model, n in sorted(self.prompt_tokens.items()):
                out.append(f'codehone_prompt_tokens_total{{model="{_esc(model)}"}} {n}')
            head("codehone_postprocess_early_stops_total", "counter",
                 "Generations ended early because the suggestion was complete.")
            out.append(f"codehone_postprocess_early_stops_total {self.early_stops}")
        head("codehone_queue_waiting", "gauge", "Requests waiting for the model.")
        out.append(f"codehone_queue_waiting {waiting}")
        head("codehone_queue_running", "gauge", "Requests being generated (0 or 1).")
        out.append(f"codehone_queue_running {running}")
        head("codehone_generations_cancelled_total", "counter", "Generations stopped because the client left.")
        out.append(f"codehone_generations_cancelled_total {cancelled}")
        return "\n".join(out) + "\n"


def _esc(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


class MetricsMiddleware:
    """Pure ASGI (not BaseHTTPMiddleware), so streamed responses pass through untouched."""

    def __init__(self, app: Callable, metrics: Metrics):
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        t0 = time.perf_counter()
        status = 499  # nginx's "client closed request": no response was started for it
        recorded = False

        async def timed_send(message):
            nonlocal status, recorded
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body") and not recorded:
                recorded = True
                self.metrics.observe_request(scope["path"], status, time.perf_counter() - t0)

        try:
            await self.app(scope, receive, send=timed_send)
        except BaseException:
            if status == 499:
                status = 500  # the app failed before answering (uvicorn answers 500)
            raise
        finally:
            if not recorded:  # the client left mid-stream, or the app failed before answering
                self.metrics.observe_request(scope["path"], status, time.perf_counter() - t0)
