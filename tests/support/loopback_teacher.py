"""A real OpenAI-compatible HTTP server on loopback for teacher tests (issue 22): /v1/models,
/v1/chat/completions, /v1/completions and llama.cpp's /infill.

Its answer is a function of the request body (``answer(route, body) -> text``), so a run with
several requests in flight can be compared with a run with one. It sleeps ``delay`` seconds per
answer, counts the requests in flight (``max_in_flight``) and can go away after ``die_after``
answers (later connections are refused), which is how a killed server looks to a client.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable


class LoopbackTeacher:
    def __init__(self, answer: Callable[[str, dict], str], delay: float = 0.0, die_after: int | None = None,
                 port: int = 0, routes: tuple[str, ...] = ("chat", "completions", "infill")):
        # routes: those it serves; any other answers 404, as /infill does on a vLLM server
        self.answer, self.delay, self.die_after, self.routes = answer, delay, die_after, routes
        self.answered = self.in_flight = self.max_in_flight = 0
        self.lock = threading.Lock()
        ThreadingHTTPServer.request_queue_size = 64  # the default 5 would hold back a burst of connections
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handler(self):
        srv = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet test output
                pass

            def _send(self, payload: dict, status: int = 200) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self._send({"object": "list", "data": [{"id": "loopback-teacher", "object": "model"}]})

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                route = "chat" if "/chat/" in self.path else self.path.rsplit("/", 1)[-1]  # chat, completions, infill
                if route not in srv.routes:
                    self._send({"detail": "Not Found"}, 404)
                    return
                with srv.lock:
                    srv.in_flight += 1
                    srv.max_in_flight = max(srv.max_in_flight, srv.in_flight)
                time.sleep(srv.delay)
                text = srv.answer(route, body)
                with srv.lock:
                    srv.in_flight -= 1
                    srv.answered += 1
                    dying = srv.die_after is not None and srv.answered >= srv.die_after
                if route == "infill":
                    self._send({"content": text, "tokens_predicted": 4, "tokens_evaluated": 10, "stopped_eos": True})
                elif route == "chat":
                    self._send({"choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                                             "finish_reason": "stop"}],
                                "usage": {"prompt_tokens": 10, "completion_tokens": 4}})
                else:
                    self._send({"choices": [{"index": 0, "text": text, "finish_reason": "stop"}],
                                "usage": {"prompt_tokens": 10, "completion_tokens": 4}})
                if dying:
                    srv.die_after = None
                    threading.Thread(target=srv.stop, daemon=True).start()

        return Handler
