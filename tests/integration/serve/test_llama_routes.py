"""llama.cpp's /infill and /completion, as editors call them, over raw HTTP."""

from __future__ import annotations

import json
import os

import httpx
import pytest

from codehone.backends.base import Request, SamplingParams


@pytest.fixture(scope="module")
def local(tiny_gguf):
    from codehone.backends.llamacpp import LlamaCppBackend

    b = LlamaCppBackend(tiny_gguf, n_ctx=1024)
    yield b
    b.close()


def sse_events(resp: httpx.Response) -> list:
    out = []
    for line in resp.iter_lines():
        if line.startswith("data: "):
            payload = line[6:]
            out.append(payload if payload == "[DONE]" else json.loads(payload))
        else:
            assert line == "", f"unexpected SSE line {line!r}"
    return out


def test_infill_answers_like_llama_cpp(url, local):
    # llama.vim's request, field for field (options we do not use are accepted and ignored).
    body = {"input_prefix": "def fib(n):\n", "input_suffix": "\n    return a\n", "prompt": "    ",
            "input_extra": [], "n_predict": 16, "n_indent": 4, "top_k": 40, "top_p": 0.9, "stream": False,
            "samplers": ["top_k", "top_p", "infill"], "cache_prompt": True, "t_max_prompt_ms": 500,
            "t_max_predict_ms": 1000, "temperature": 0}
    r = httpx.post(f"{url}/infill", json=body, timeout=30)
    assert r.status_code == 200, r.text
    data = r.json()
    want = local.generate(Request.infill("def fib(n):\n    ", "\n    return a\n"), SamplingParams(max_tokens=16))
    assert data["content"] == want.text.strip()  # post-processing trims, never adds
    assert data["tokens_evaluated"] == want.prompt_tokens and data["stop"] is True
    assert data["stopped_eos"] == (want.completions[0].finish_reason == "stop")
    assert set(data["timings"]) >= {"prompt_n", "prompt_ms", "predicted_n", "predicted_ms", "predicted_per_second"}


def test_infill_reports_the_prompt_tokens_it_reused(url):
    # llama.cpp's tokens_cached / timings.prompt_n, which editors show: a repeated request re-reads
    # only its last token, a keystroke re-reads less than the whole prompt.
    prefix = "".join(f"def f{i}(x):\n    return x + {i}\n\n" for i in range(12))
    body = {"input_prefix": prefix, "input_suffix": "\nprint(f0(1))\n", "n_predict": 4, "temperature": 0}
    first = httpx.post(f"{url}/infill", json=body, timeout=30).json()
    again = httpx.post(f"{url}/infill", json=body, timeout=30).json()
    assert again["tokens_cached"] == again["tokens_evaluated"] - 1, again
    assert again["timings"]["prompt_n"] == 1
    typed = httpx.post(f"{url}/infill", json={**body, "input_prefix": prefix + "de"}, timeout=30).json()
    assert 0 < typed["tokens_cached"] < typed["tokens_evaluated"]
    assert typed["timings"]["prompt_n"] == typed["tokens_evaluated"] - typed["tokens_cached"]
    assert first["tokens_evaluated"] == again["tokens_evaluated"]


def test_infill_response_fields_pick_nested_values(url):
    r = httpx.post(f"{url}/infill", json={"input_prefix": "x = ", "input_suffix": "", "n_predict": 4,
                                          "response_fields": ["content", "timings/prompt_n", "missing/x"]})
    assert r.status_code == 200 and set(r.json()) == {"content", "timings/prompt_n"}


def test_infill_stream_ends_with_a_stop_event(url):
    body = {"input_prefix": "def f(", "input_suffix": "):\n", "n_predict": 8, "stream": True, "temperature": 0}
    with httpx.stream("POST", f"{url}/infill", json=body, timeout=30) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        events = sse_events(r)
    assert events[-1] == "[DONE]"
    final = events[-2]
    assert final["stop"] is True and final["tokens_evaluated"] > 0
    assert all(e["stop"] is False for e in events[:-2])


def test_infill_with_editor_context_uses_repo_tokens(url, local):
    extra = [{"filename": "util.py", "text": "def add(a, b):\n    return a + b\n"}]
    r = httpx.post(f"{url}/infill", json={"input_prefix": "print(", "input_suffix": ")\n", "input_extra": extra,
                                          "n_predict": 4, "temperature": 0, "postprocess": False})
    assert r.status_code == 200, r.text
    fim = local.fim
    text = (fim.repo_header("myproject") + fim.file_header("util.py") + extra[0]["text"] + fim.file_header("filename")
            + fim.psm("print(", ")\n"))
    want = local.generate(Request.complete(text), SamplingParams(max_tokens=4))
    assert r.json()["tokens_evaluated"] == want.prompt_tokens
    assert r.json()["content"] == want.text


def test_llama_completion_route(url, local):
    r = httpx.post(f"{url}/completion", json={"prompt": "print(i * i)\n", "n_predict": 5, "temperature": 0})
    want = local.generate(Request.complete("print(i * i)\n"), SamplingParams(max_tokens=5))
    assert r.status_code == 200 and r.json()["content"] == want.text and r.json()["stopped_limit"] is True
    with httpx.stream("POST", f"{url}/completion", json={"prompt": "print(i * i)\n", "n_predict": 5,
                                                         "temperature": 0, "stream": True}) as s:
        events = sse_events(s)
    assert "".join(e["content"] for e in events[:-1]) == want.text


def test_spm_layout_puts_the_prefix_last_so_a_keystroke_reuses_the_cached_prompt(tiny_gguf, local):
    from tests.integration.serve.conftest import running_server

    prefix, suffix = "def area(r):\n    return 3.14159 * r", "\n\nprint(area(2))\nprint(area(3))\n"
    typed = prefix + " *"  # the next keystrokes at the cursor
    spm, spm2 = Request.infill(prefix, suffix, "spm"), Request.infill(typed, suffix, "spm")
    ids, ids2 = local.prompt_tokens(spm), local.prompt_tokens(spm2)
    fim = local.fim
    assert ids[:2] == [local.vocab[fim.prefix], local.vocab[fim.suffix]]
    assert ids[-len(local.tokenize(prefix)):] == local.tokenize(prefix)
    # What the backend re-reads after the keystroke (it keeps the common prefix of the two prompts):
    # with spm only the retokenised tail of the prefix; with psm the whole suffix too.
    psm_ids = local.prompt_tokens(Request.infill(prefix, suffix))
    psm_ids2 = local.prompt_tokens(Request.infill(typed, suffix))
    spm_reread = len(ids2) - len(os.path.commonprefix([ids, ids2]))
    psm_reread = len(psm_ids2) - len(os.path.commonprefix([psm_ids, psm_ids2]))
    assert spm_reread <= 4 < len(local.tokenize(suffix)) < psm_reread
    with running_server(str(tiny_gguf), fim_layout="spm") as (url, _):
        r = httpx.post(f"{url}/infill", json={"input_prefix": prefix, "input_suffix": suffix, "n_predict": 8,
                                              "temperature": 0}, timeout=30)
        c = httpx.post(f"{url}/v1/completions", json={"prompt": prefix, "suffix": suffix, "max_tokens": 8,
                                                      "temperature": 0}, timeout=30)
    want = local.generate(spm, SamplingParams(max_tokens=8))
    assert r.status_code == 200 and c.status_code == 200
    assert r.json()["content"].strip() == want.text.strip()
    assert r.json()["tokens_evaluated"] == len(ids) == c.json()["usage"]["prompt_tokens"]
