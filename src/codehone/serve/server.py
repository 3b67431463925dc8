"""The HTTP server around the app: uvicorn's h11 protocol with a deadline on request heads.

uvicorn has a keep-alive timeout (an idle connection between requests) but none for the request
head itself: a slowloris client that opens a connection and sends its headers a byte every few
seconds holds a socket and a file descriptor for as long as it likes, and a few thousand of them
exhaust the process's descriptors. ``HeadTimeoutProtocol`` arms a timer when a connection opens and
whenever the first bytes of a new request arrive, disarms it once h11 has parsed the whole head,
and closes the connection if the timer fires first. The body has its own deadline in
``limits.BodyLimit``; a slow client holds nothing but its own socket meanwhile, because the event
loop never waits on one connection.

Used by ``codehone serve`` and by the tests' in-process server, so both run the same protocol.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from codehone.serve.limits import Limits

log = logging.getLogger("codehone.serve")

# Idle keep-alive connections: well past a client's Retry-After wait, because with uvicorn's 5 s
# default a client reusing its connection as the server closes it gets a broken read (seen under load).
KEEP_ALIVE_S = 75


class HeadTimeoutProtocol(H11Protocol):
    """h11 with a deadline from a request's first byte (or the connection's start) to its last header."""

    header_timeout_s = 10.0
    _head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport) -> None:  # noqa: ANN001
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self.conn.their_state is h11.IDLE:  # these bytes start (or continue) a request head
            self._arm()
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:  # the head is complete (or the connection failed)
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(self.header_timeout_s, self._head_timed_out)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            log.info("closing a connection whose request head took over %g s", self.header_timeout_s)
            self.transport.close()


def protocol_class(header_timeout_s: float) -> type[HeadTimeoutProtocol]:
    return type("HeadTimeoutProtocol", (HeadTimeoutProtocol,), {"header_timeout_s": header_timeout_s})


def config(app, host: str, port: int, limits: Limits, log_level: str = "warning", **options) -> uvicorn.Config:
    """uvicorn's config for ``app``: our protocol, a bounded head size, keep-alive and shutdown times."""
    options = {"timeout_graceful_shutdown": 5, "timeout_keep_alive": KEEP_ALIVE_S, **options}
    return uvicorn.Config(app, host=host, port=port, log_level=log_level, http=protocol_class(limits.header_timeout_s),
                          h11_max_incomplete_event_size=64 * 1024, lifespan="on", **options)


@contextlib.contextmanager
def stop_signals(stopped_by: list[int]):
    """SIGTERM and SIGINT are a clean stop with exit status 0.

    uvicorn handles both while it runs (a graceful shutdown: requests in flight get 5 s, the queue's
    generations are cancelled), then raises the signal again under the handlers it found, so that a
    process with default handlers dies of it (status -15). Ours only note it, so the models are
    closed and the command returns normally.
    """
    import signal

    if threading.current_thread() is not threading.main_thread():  # signals are the main thread's
        yield
        return
    saved = {sig: signal.signal(sig, lambda s, _f: stopped_by.append(s)) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
