"""Shared by the bench_serve_* scripts: start ``codehone serve`` as its own process, read its memory.

The server runs in a separate process (as users run it) so that the client's own work in the
benchmark never shares a GIL with it; the client talks to it over loopback only.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

# The command as the main CLI will register it; spelled out so the benchmark does not depend on that.
SERVE = ("import sys, typer; from codehone.serve.cli import serve_command; app = typer.Typer(); "
         "app.command('serve')(serve_command); app.command('_')(lambda: None); app(sys.argv[1:])")
DEFAULT_MODEL = "qwen2.5-coder-0.5b-instruct"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, model: str = DEFAULT_MODEL, *args: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(os.environ.get("TMPDIR", "/tmp")) / f"codehone-serve-{self.port}.log"
        self._log = open(self.log, "w")
        self.proc = subprocess.Popen([sys.executable, "-c", SERVE, "serve", "--model", model, "--port", str(self.port),
                                      *args], stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("server did not start in 120 s")
            time.sleep(0.2)

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        """SIGTERM, as a service manager stops it; ``returncode`` is then its exit status (0: clean)."""
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self.returncode = self.proc.returncode
        self._log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def percentile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    k = (len(xs) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def load_avg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]
