"""issue 22: eval against an OpenAI-compatible endpoint with several requests in flight, retries on
429, a clear error when the server dies, and a rerun that resumes.

The endpoint is a real HTTP server on loopback (http.server) standing in for a remote one: it
answers HumanEval's reference for even-numbered tasks and a wrong body for the others, counts the
requests in flight, and can be told to answer 429 or to go away. The real llama-cpp-python server
is covered by tests/slow/test_eval_http_llamacpp_server.py.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from typer.testing import CliRunner

from codehone.backends.base import GenerationError, Request, SamplingParams
from codehone.backends.http import HttpBackend
from codehone.eval.benchmarks import load_benchmark
from codehone.eval.generate import generate_samples
from codehone.runs import read_jsonl


class FakeOpenAI:
    """A loopback OpenAI-compatible server: /v1/models and /v1/chat/completions."""

    def __init__(self, port: int = 0, delay: float = 0.0, busy_first: int = 0, die_after: int | None = None):
        self.delay, self.busy_left, self.die_after = delay, busy_first, die_after
        self.answered = 0  # 200 answers to completions
        self.requests = 0  # completion requests, 429s included
        self.in_flight = self.max_in_flight = 0
        self.lock = threading.Lock()
        answers = {}
        for i, task in enumerate(load_benchmark("humaneval").tasks.values()):
            body = task.reference if i % 2 == 0 else "    return None\n"
            answers[task.chat_prompt] = task.prompt + body + "\n```\n"
        self.answers = answers
        ThreadingHTTPServer.request_queue_size = 64  # the default 5 would hold back a burst of 8 connections
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet test output
                pass

            def _send(self, status: int, payload: dict, headers: dict | None = None) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self._send(200, {"object": "list", "data": [{"id": "fake-coder", "object": "model"}]})

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with fake.lock:
                    fake.requests += 1
                    if fake.busy_left > 0:
                        fake.busy_left -= 1
                        busy = True
                    else:
                        busy = False
                        fake.in_flight += 1
                        fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
                if busy:
                    self._send(429, {"error": {"message": "too many requests"}}, {"Retry-After": "0"})
                    return
                time.sleep(fake.delay)
                text = fake.answers.get(body["messages"][0]["content"], "    return 0\n```\n")
                with fake.lock:
                    fake.in_flight -= 1
                    fake.answered += 1
                    dying = fake.die_after is not None and fake.answered >= fake.die_after
                self._send(200, {"choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                                              "finish_reason": "stop"}],
                                 "usage": {"prompt_tokens": 50, "completion_tokens": 20}})
                if dying:  # the server goes away after this answer: later connections are refused
                    fake.die_after = None
                    threading.Thread(target=fake.stop, daemon=True).start()

        return Handler


@pytest.fixture
def fake_server():
    servers = []

    def start(**kw) -> FakeOpenAI:
        s = FakeOpenAI(**kw)
        servers.append(s)
        return s

    yield start
    for s in servers:
        try:
            s.stop()
        except OSError:
            pass


def test_eval_cli_keeps_n_requests_in_flight_and_scores_in_any_order(fake_server, tmp_path):
    from codehone.cli import app

    server = fake_server(delay=0.2)
    verdicts = {}
    for c in (4, 1):
        out = tmp_path / f"c{c}"
        server.max_in_flight = 0
        r = CliRunner().invoke(app, ["eval", "--bench", "humaneval", "--model", server.url, "--limit", "8",
                                     "--concurrency", str(c), "--k", "1", "--out", str(out)])
        assert r.exit_code == 0, r.output
        assert server.max_in_flight == c
        verdicts[c] = {row["task_id"]: row["passed"] for row in read_jsonl(out / "results.jsonl")}
        manifest = json.loads((out / "manifest.json").read_text())
        assert manifest["stages"]["eval.generate"]["concurrency"] == c
    assert verdicts[4] == verdicts[1]
    assert sorted(verdicts[1].values()) == [False] * 4 + [True] * 4  # the even tasks got their reference


def test_http_endpoint_defaults_to_eight_in_flight(fake_server, tmp_path):
    server = fake_server(delay=0.5)
    generate_samples(HttpBackend(server.url), "humaneval", tmp_path, chat=True, limit=10, progress=False)
    assert server.max_in_flight == 8
    assert len(list(read_jsonl(tmp_path / "samples.jsonl"))) == 10


def test_a_busy_server_is_retried_after_two_429s(fake_server):
    server = fake_server(busy_first=2)
    task = next(iter(load_benchmark("humaneval").tasks.values()))
    b = HttpBackend(server.url, backoff=0.01)
    r = b.generate(Request.chat(task.chat_prompt), SamplingParams(max_tokens=16))
    assert server.requests == 3 and server.answered == 1
    assert r.text.startswith(task.prompt)


def test_the_last_429_is_a_clear_error_naming_endpoint_status_and_fix(fake_server):
    server = fake_server(busy_first=10)
    b = HttpBackend(server.url, model_name="fake-coder", retries=2, backoff=0.01)
    with pytest.raises(GenerationError) as e:
        b.generate(Request.chat("hi"), SamplingParams(max_tokens=4))
    assert server.requests == 3
    msg = str(e.value)
    assert server.url in msg and "429" in msg and "lower --concurrency" in msg and "after 3 tries" in msg


def test_a_killed_server_is_a_clear_error_and_the_rerun_resumes(fake_server, tmp_path):
    server = fake_server(delay=0.05, die_after=3)
    with pytest.raises(GenerationError, match=r"cannot reach .*127\.0\.0\.1.* connection refused.*after 2 tries"):
        generate_samples(HttpBackend(server.url, retries=1, backoff=0.05), "humaneval", tmp_path, chat=True, limit=8,
                         progress=False, concurrency=2)
    kept = list(read_jsonl(tmp_path / "samples.jsonl"))
    assert len(kept) == server.answered >= 3  # every answer that came back is on disk
    assert len({r["task_id"] for r in kept}) == len(kept)

    again = fake_server(port=server.port)  # the server is back, on the same address
    generate_samples(HttpBackend(again.url), "humaneval", tmp_path, chat=True, limit=8, progress=False, concurrency=2)
    rows = list(read_jsonl(tmp_path / "samples.jsonl"))
    assert again.answered == 8 - len(kept)  # only what was missing was asked for
    assert sorted(r["task_id"] for r in rows) == sorted(list(load_benchmark("humaneval").tasks)[:8])
    assert rows[: len(kept)] == kept


def test_concurrency_with_an_in_process_model_is_refused_before_loading(tmp_path):
    from codehone.cli import app

    r = CliRunner().invoke(app, ["eval", "--bench", "humaneval", "--model", str(tmp_path / "missing.gguf"),
                                 "--concurrency", "4", "--out", str(tmp_path / "o")])
    said = " ".join(r.output.replace("│", " ").split())  # the error box wraps lines
    assert r.exit_code == 2 and "--concurrency" in said and "needs an HTTP endpoint" in said


def test_blocks_eval_keeps_requests_in_flight_through_the_same_mechanism(fake_server, tmp_path):
    from codehone.blocks.copilot.evaluate import evaluate_blocks

    server = fake_server(delay=0.3)
    s = evaluate_blocks(HttpBackend(server.url), tmp_path, grammar=False, limit=6, progress=False, concurrency=3)
    assert server.max_in_flight == 3 and server.answered == 6
    assert s["tasks"] == 6 and len(list(read_jsonl(tmp_path / "samples.jsonl"))) == 6
    evaluate_blocks(HttpBackend(server.url), tmp_path, grammar=False, limit=6, progress=False, concurrency=3)
    assert server.answered == 6  # the rerun found every answer on disk
