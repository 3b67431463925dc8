"""A real ``codehone serve`` app on the tiny GGUF, run by uvicorn on a free loopback port."""

from __future__ import annotations

import contextlib
import socket
import threading
import time

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_healthy(proc, port: int, seconds: float = 60) -> None:
    """Wait for a ``codehone serve`` subprocess to answer /health; fail with its output if it dies."""
    import httpx

    deadline = time.monotonic() + seconds
    while True:
        assert proc.poll() is None, proc.stdout.read()
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.1)


@contextlib.contextmanager
def running_server(model: str, adapters: dict[str, str] | None = None, ctx: int = 1024, models=None, **app_options):
    """Yields (base URL, app); stops the server and frees the models on exit (``models``: a ready ModelSet)."""
    import uvicorn

    from codehone.serve import server as serve_server
    from codehone.serve.app import create_app
    from codehone.serve.cli import load_models
    from codehone.serve.limits import Limits

    models = models or load_models(model, adapters or {}, ctx)
    limits = app_options.setdefault("limits", Limits())
    app = create_app(models, **app_options)
    port = free_port()
    server = uvicorn.Server(serve_server.config(app, "127.0.0.1", port, limits, log_level="error"))
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.01)
        yield f"http://127.0.0.1:{port}", app
    finally:
        server.should_exit = True
        thread.join(20)
        models.close()
        assert not thread.is_alive(), "the server did not stop"


@pytest.fixture(scope="module")
def server(tiny_gguf):
    with running_server(str(tiny_gguf)) as (url, app):
        yield url, app


@pytest.fixture
def url(server):
    return server[0]
