"""The vLLM backend's parts that run without vLLM or a GPU (issue 22): sampling options mapped to
vllm.SamplingParams' arguments, the adapter rank, the batcher that turns requests in flight into
one engine call, the shared prompt ids, and the clear error where the extra or a GPU is missing.
The engine itself is tested in tests/gpu/test_vllm_engine.py."""

from __future__ import annotations

import importlib.util
import json
import threading
import time

import pytest
from typer.testing import CliRunner

from codehone.backends import hf_prompt, load_backend
from codehone.backends.base import GenerationError, Request, SamplingParams
from codehone.backends.batcher import Batcher
from codehone.backends.vllm_engine import DEFAULT_CONCURRENCY, VllmBackend, lora_rank_for, sampling_kwargs
from codehone.core.concurrent import check_concurrency, map_concurrent, refuse_before_loading
from codehone.core.fim import require_fim
from codehone.errors import UserError

HAVE_VLLM = importlib.util.find_spec("vllm") is not None


def test_sampling_options_map_to_vllm_arguments():
    greedy = sampling_kwargs(SamplingParams(max_tokens=64), [7, 9])
    assert greedy == {"n": 1, "max_tokens": 64, "temperature": 0.0, "top_p": 1.0, "top_k": -1, "seed": None,
                      "stop": None, "stop_token_ids": [7, 9], "skip_special_tokens": True}
    sampled = sampling_kwargs(SamplingParams(max_tokens=32, temperature=0.8, top_p=0.95, top_k=40, seed=3, n=5,
                                             stop=("\n```\n",), logprobs=True), [1])
    assert (sampled["n"], sampled["top_k"], sampled["seed"], sampled["stop"]) == (5, 40, 3, ["\n```\n"])
    assert sampled["logprobs"] == 0  # the chosen token's log-probability, which Completion.logprob sums
    assert "logprobs" not in greedy
    with pytest.raises(GenerationError, match="would all be the same"):
        sampling_kwargs(SamplingParams(n=4), [])


def test_prompt_and_stop_ids_are_the_transformers_backends(tiny_tokenizer):
    vocab = tiny_tokenizer.get_vocab()
    fim = require_fim(vocab)
    ids = hf_prompt.prompt_ids(tiny_tokenizer, vocab, lambda: fim, Request.infill("def f(", "\n    return 1\n"), "tiny")
    assert ids[0] == vocab["<|fim_prefix|>"] and ids[-1] == vocab["<|fim_middle|>"]
    assert vocab["<|fim_suffix|>"] in ids
    spm = hf_prompt.prompt_ids(tiny_tokenizer, vocab, lambda: fim, Request.infill("def f(", "x", "spm"), "tiny")
    assert spm[:2] == [vocab["<|fim_prefix|>"], vocab["<|fim_suffix|>"]]
    chat = hf_prompt.prompt_ids(tiny_tokenizer, vocab, lambda: fim, Request.chat("hi"), "tiny")
    assert tiny_tokenizer.decode(chat) == "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n"
    assert vocab["<|im_end|>"] in hf_prompt.stop_ids(tiny_tokenizer, vocab, "chat")
    infill_stops = hf_prompt.stop_ids(tiny_tokenizer, vocab, "infill")
    assert vocab["<|endoftext|>"] in infill_stops and vocab["<|file_sep|>"] in infill_stops


def test_adapter_rank_picks_the_smallest_vllm_rank_that_holds_it(tmp_path):
    for r, rank in ((8, 8), (12, 16), (16, 16), (64, 64), (100, 128)):
        (tmp_path / "adapter_config.json").write_text(json.dumps({"r": r}))
        assert lora_rank_for(tmp_path) == rank
    with pytest.raises(GenerationError, match="not a PEFT adapter.*GGUF adapter is for the llama.cpp engine"):
        lora_rank_for(tmp_path / "missing")


def test_the_batcher_runs_requests_in_flight_as_one_batch():
    seen = []

    def square_all(items):  # one "engine call" for the whole batch
        seen.append(list(items))
        time.sleep(0.05)
        return [x * x for x in items]

    b = Batcher(square_all, max_batch=16)
    got = dict(map_concurrent(b.submit, range(40), 16))
    b.close()
    assert got == {x: x * x for x in range(40)}
    assert sorted(x for batch in seen for x in batch) == list(range(40))
    assert max(b.batches) > 4 and len(b.batches) < 40  # requests in flight shared engine calls


def test_a_failing_batch_fails_its_callers_and_the_next_batch_runs():
    def run(items):
        if 13 in items:
            raise RuntimeError("CUDA out of memory")
        return [x + 1 for x in items]

    b = Batcher(run, max_batch=1)
    with pytest.raises(RuntimeError, match="out of memory"):
        b.submit(13)
    assert b.submit(1) == 2
    b.close()
    assert not any(t.name == "codehone-batcher" and t.is_alive() for t in threading.enumerate())


def test_vllm_takes_many_requests_in_flight_and_in_process_engines_one():
    assert VllmBackend.default_concurrency == DEFAULT_CONCURRENCY == 64
    assert check_concurrency(VllmBackend, None) == 64  # the class attribute is what core.concurrent reads
    refuse_before_loading("qwen2.5-coder-1.5b-instruct", 64, engine="vllm")
    with pytest.raises(UserError, match="needs an HTTP endpoint .* or --engine vllm"):
        refuse_before_loading("qwen2.5-coder-1.5b-instruct", 4, engine="llama.cpp")


@pytest.mark.skipif(HAVE_VLLM, reason="vLLM is installed here: the missing-extra error cannot be seen")
def test_without_the_extra_engine_vllm_is_a_clear_error_before_any_conversion(tmp_path, monkeypatch):
    import codehone.models.convert as convert

    import codehone.models.fetch as fetch

    monkeypatch.setattr(convert, "hf_dir_from_gguf", lambda *a, **k: pytest.fail("converted before the check"))
    monkeypatch.setattr(fetch, "fetch", lambda *a, **k: pytest.fail("fetched before the check"))
    with pytest.raises(GenerationError, match=r"needs vLLM, which is not installed.*pip install 'codehone\[vllm\]'.*"
                                              r"vllm serve"):
        load_backend("qwen2.5-coder-0.5b-instruct", engine="vllm")  # neither fetched nor converted


@pytest.mark.skipif(HAVE_VLLM, reason="vLLM is installed here: the missing-extra error cannot be seen")
def test_eval_with_engine_vllm_passes_the_concurrency_check_and_names_the_extra(tmp_path):
    from codehone.cli import app

    r = CliRunner().invoke(app, ["eval", "--bench", "humaneval", "--model", str(tmp_path / "m.gguf"), "--engine",
                                 "vllm", "--concurrency", "64", "--limit", "1", "--out", str(tmp_path / "o")])
    assert isinstance(r.exception, GenerationError), r.output
    assert "pip install 'codehone[vllm]'" in str(r.exception)


def test_a_gguf_adapter_is_refused_for_vllm(tmp_path, monkeypatch):
    import codehone.backends.vllm_engine as ve

    monkeypatch.setattr(ve, "check_available", lambda: None)  # as on a GPU machine with the extra
    gguf = tmp_path / "adapter.gguf"
    gguf.write_bytes(b"GGUF")
    with pytest.raises(GenerationError, match="GGUF adapter; vLLM loads a PEFT directory"):
        load_backend(str(gguf), adapter=gguf, engine="vllm")
