"""The llama.cpp backend on the tiny GGUF: modes, batching, cache reuse, stops, adapters, errors."""

import pytest

from codehone.backends.base import GenerationError, Request, SamplingParams


@pytest.fixture(scope="module")
def backend(tiny_gguf):
    from codehone.backends.llamacpp import LlamaCppBackend

    b = LlamaCppBackend(tiny_gguf, n_ctx=1024, n_seq_max=8)
    yield b
    b.close()


def test_modes_produce_tokens_with_counts_and_timings(backend):
    for req in (Request.chat("def add"), Request.complete("def fib(n):"), Request.infill("def add(a, b):\n", "\n")):
        r = backend.generate(req, SamplingParams(max_tokens=8))
        assert r.prompt_tokens > 0
        c = r.completions[0]
        assert 1 <= c.tokens <= 8
        assert c.finish_reason in ("stop", "length")
        assert r.total_seconds > 0


def test_infill_prompt_uses_sentinel_ids_and_never_parses_user_text(backend):
    ids = backend.prompt_tokens(Request.infill("x = '<|fim_middle|>'", "y"))
    v = backend.vocab
    assert ids[0] == v["<|fim_prefix|>"] and ids[-1] == v["<|fim_middle|>"]
    # The sentinel spelled inside the user's code is text, not the special token.
    assert ids.count(v["<|fim_middle|>"]) == 1


def test_greedy_is_deterministic_and_cache_reuse_changes_nothing(backend, tiny_gguf):
    from codehone.backends.llamacpp import LlamaCppBackend

    p = SamplingParams(max_tokens=12)
    a = backend.generate(Request.complete("def fib(n):\n    return"), p).text
    backend.generate(Request.complete("def fib(n):\n    if"), p)  # shares a prefix, then diverges
    b = backend.generate(Request.complete("def fib(n):\n    return"), p).text
    fresh = LlamaCppBackend(tiny_gguf, n_ctx=1024)
    try:
        c = fresh.generate(Request.complete("def fib(n):\n    return"), p).text
    finally:
        fresh.close()
    assert a == b == c


def test_n_samples_decode_as_one_batch_and_are_reproducible_by_seed(backend):
    p = SamplingParams(max_tokens=10, temperature=20.0, seed=7, n=6, logprobs=True)
    r1 = backend.generate(Request.complete("for i in"), p)
    r2 = backend.generate(Request.complete("for i in"), p)
    assert len(r1.completions) == 6
    assert [c.text for c in r1.completions] == [c.text for c in r2.completions]
    assert len({c.text for c in r1.completions}) > 1  # different seeds per sample
    assert all(c.logprob is not None and c.logprob <= 0 for c in r1.completions)
    # the least likely token: at most the mean, at least the sum (each token's log-probability is <= 0)
    assert all(c.logprob <= c.min_logprob <= c.mean_logprob + 1e-9 for c in r1.completions)


def test_batched_greedy_sample_matches_single(backend):
    single = backend.generate(Request.complete("class Stack:"), SamplingParams(max_tokens=10, seed=3, temperature=20.0))
    many = backend.generate(Request.complete("class Stack:"), SamplingParams(max_tokens=10, seed=3, temperature=20.0, n=4))
    # Sample 0 of a batch uses the same seed as a single sample: same text.
    assert many.completions[0].text == single.completions[0].text


def test_more_samples_than_sequences_run_in_groups(tiny_gguf):
    from codehone.backends.llamacpp import LlamaCppBackend

    b = LlamaCppBackend(tiny_gguf, n_ctx=512, n_seq_max=2)
    try:
        r = b.generate(Request.complete("def"), SamplingParams(max_tokens=5, temperature=1.0, seed=1, n=5))
        assert len(r.completions) == 5
    finally:
        b.close()


def test_sequences_at_once_come_from_codehone_seq_max_unless_given(tiny_gguf, monkeypatch):
    from codehone.backends.llamacpp import LlamaCppBackend

    monkeypatch.setenv("CODEHONE_SEQ_MAX", "10")
    b = LlamaCppBackend(tiny_gguf, n_ctx=512)
    try:
        assert b.n_seq_max == 10
        r = b.generate(Request.complete("def"), SamplingParams(max_tokens=5, temperature=1.0, seed=1, n=10))
        assert len(r.completions) == 10
    finally:
        b.close()
    b = LlamaCppBackend(tiny_gguf, n_ctx=512, n_seq_max=3)  # an explicit value wins
    try:
        assert b.n_seq_max == 3
    finally:
        b.close()
    monkeypatch.setenv("CODEHONE_SEQ_MAX", "ten")
    with pytest.raises(GenerationError, match="CODEHONE_SEQ_MAX='ten' is not a positive whole number"):
        LlamaCppBackend(tiny_gguf, n_ctx=512)


def test_streaming_concatenates_to_the_final_text(backend):
    chunks: list[str] = []
    r = backend.generate(Request.chat("print"), SamplingParams(max_tokens=16), on_text=lambda i, t: chunks.append(t))
    assert "".join(chunks) == r.text


def test_stop_strings_cut_the_text(backend):
    full = backend.generate(Request.complete("def add(a, b):"), SamplingParams(max_tokens=20)).text
    assert len(full) > 3
    stop = full[2:4]
    cut = backend.generate(Request.complete("def add(a, b):"), SamplingParams(max_tokens=20, stop=[stop]))
    assert cut.text == full[: full.find(stop)]
    assert cut.completions[0].finish_reason == "stop"


def test_bad_requests_are_clear_errors(backend):
    with pytest.raises(GenerationError, match="empty prompt"):
        backend.generate(Request.complete(""), SamplingParams())
    with pytest.raises(GenerationError, match="exceeds the context window"):
        backend.generate(Request.complete("def"), SamplingParams(max_tokens=5000))
    with pytest.raises(GenerationError, match="temperature"):
        backend.generate(Request.complete("def"), SamplingParams(n=3))


def test_model_without_fim_tokens_refuses_infill(tmp_path):
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    from codehone.core.fim import NoFimError
    from codehone.backends.llamacpp import LlamaCppBackend
    from codehone.export.hf_to_gguf import write_gguf
    from tests.conftest import build_tiny_tokenizer

    tok = build_tiny_tokenizer(specials=["<|endoftext|>", "<|im_start|>", "<|im_end|>"], vocab_size=300)
    torch.manual_seed(0)
    model = Qwen2ForCausalLM(Qwen2Config(vocab_size=len(tok), hidden_size=32, intermediate_size=64, num_hidden_layers=1,
                                         num_attention_heads=2, num_key_value_heads=1, tie_word_embeddings=True))
    path = write_gguf(model, tok, tmp_path / "nofim.gguf", dtype="f32")
    b = LlamaCppBackend(path, n_ctx=256)
    try:
        with pytest.raises(NoFimError, match="no fill-in-the-middle tokens"):
            b.generate(Request.infill("a", "b"), SamplingParams(max_tokens=4))
    finally:
        b.close()


def test_trailing_assistant_message_is_a_prefill_the_model_continues(backend):
    plain = backend.prompt_tokens(Request.chat([{"role": "user", "content": "hi"}]))
    pre = backend.prompt_tokens(Request.chat([{"role": "user", "content": "hi"},
                                              {"role": "assistant", "content": "```python\n"}]))
    assert pre[: len(plain)] == plain and len(pre) > len(plain)
    assert backend.detokenize(pre[len(plain):]) == "```python\n"


def test_extra_buffers_are_off_on_amx_cpus_and_can_be_forced(monkeypatch):
    """llama.cpp's AMX buffer segfaults on the first decode (llama.cpp#20824): off where AMX is."""
    from codehone.backends.llamacpp import extra_buffers_allowed

    amx = "CPU : AVX2 = 1 | AVX512 = 1 | AMX_INT8 = 1 | REPACK = 1 |"
    plain = "CPU : AVX2 = 1 | AVX512 = 1 | REPACK = 1 |"
    monkeypatch.delenv("CODEHONE_LLAMA_EXTRA_BUFFERS", raising=False)
    assert not extra_buffers_allowed(amx)
    assert extra_buffers_allowed(plain)
    monkeypatch.setenv("CODEHONE_LLAMA_EXTRA_BUFFERS", "1")
    assert extra_buffers_allowed(amx)
    monkeypatch.setenv("CODEHONE_LLAMA_EXTRA_BUFFERS", "0")
    assert not extra_buffers_allowed(plain)
    monkeypatch.delenv("CODEHONE_LLAMA_EXTRA_BUFFERS")
    assert isinstance(extra_buffers_allowed(), bool)  # reads this machine's llama.cpp system info
