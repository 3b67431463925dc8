"""A chat request that ends in an assistant message (eval's response prefix) asks an
OpenAI-compatible server to continue that message: vLLM's ``continue_final_message`` and
``add_generation_prompt`` fields go with it (other servers ignore them); a plain chat sends neither."""

from __future__ import annotations

from codehone.backends.base import Request, SamplingParams
from codehone.backends.http import HttpBackend
from tests.support.loopback_teacher import LoopbackTeacher


def test_a_response_prefix_is_sent_as_a_message_to_continue():
    bodies = []
    server = LoopbackTeacher(lambda route, body: bodies.append(body) or "def f():\n    return 1\n```\n")
    try:
        b = HttpBackend(server.url)
        prefixed = [{"role": "user", "content": "write f"}, {"role": "assistant", "content": "```python\n"}]
        b.generate(Request.chat(prefixed), SamplingParams(max_tokens=16))
        b.generate(Request.chat("write f"), SamplingParams(max_tokens=16))
    finally:
        server.stop()
    assert bodies[0]["continue_final_message"] is True and bodies[0]["add_generation_prompt"] is False
    assert bodies[0]["messages"] == prefixed
    assert "continue_final_message" not in bodies[1] and "add_generation_prompt" not in bodies[1]
