"""Debian's chromium, headless, driven by playwright's Python package; and a studio on a free port.

Used by the browser tests (marker ``browser``) and by ``benchmarks/bench_studio.py``. The browser is
the system's (``/usr/bin/chromium``, apt package ``chromium``; ``CODEHONE_CHROMIUM`` overrides), so
nothing is downloaded. The flags are those that keep a headless chromium from reaching out on its
own (background networking, component updates, sync), so every request it makes is the page's.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import threading
import time
from pathlib import Path

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-default-apps", "--disable-extensions"]


def chromium_path() -> str | None:
    path = os.environ.get("CODEHONE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    return path if path and Path(path).exists() else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_studio(backend, settings=None):  # noqa: ANN001
    """Yields the studio's base URL, served by uvicorn in a thread with ``codehone serve``'s config."""
    import httpx
    import uvicorn

    from codehone.blocks.studio.app import StudioSettings, create_app
    from codehone.serve import server as serve_server
    from codehone.serve.limits import Limits

    port = free_port()
    app = create_app(backend, settings or StudioSettings())
    app.state.studio.warm_up()  # as `codehone blocks studio` does before it serves
    srv = uvicorn.Server(serve_server.config(app, "127.0.0.1", port, Limits()))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(url + "/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("the studio did not start")
        time.sleep(0.05)
    try:
        yield url
    finally:
        srv.should_exit = True
        thread.join(timeout=30)


@contextlib.contextmanager
def browser():
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    if path is None:
        raise RuntimeError("no chromium: apt-get install chromium (or set CODEHONE_CHROMIUM)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_FLAGS)
        try:
            yield b
        finally:
            b.close()


def wait_until(page, expression: str, timeout: float = 120.0, every: float = 0.05):  # noqa: ANN001, ANN201
    """Poll ``expression`` in the page until it is truthy; returns its value. (Playwright's own
    wait_for_function evaluates a string with eval, which the studio's CSP rightly refuses.)"""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"the page never made this true in {timeout:g} s: {expression}")
        time.sleep(every)
