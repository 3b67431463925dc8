"""transformers backend on the tiny model: modes, parity with llama.cpp, PEFT adapters."""

import pytest

from codehone.backends.base import GenerationError, Request, SamplingParams


@pytest.fixture(scope="module")
def hf_backend(tiny_model_dir):
    from codehone.backends.transformers import TransformersBackend

    return TransformersBackend(tiny_model_dir)


def test_modes_and_counts(hf_backend):
    for req in (Request.chat("def add"), Request.complete("def fib(n):"), Request.infill("def add(a, b):\n", "\n")):
        r = hf_backend.generate(req, SamplingParams(max_tokens=6))
        assert 1 <= r.completions[0].tokens <= 6 and r.prompt_tokens > 0


def test_greedy_tokens_agree_with_llamacpp_on_the_f32_gguf(hf_backend, tiny_gguf):
    """Same weights, same prompt ids: the two backends must pick the same greedy continuation."""
    from codehone.backends.llamacpp import LlamaCppBackend

    lb = LlamaCppBackend(tiny_gguf, n_ctx=512)
    try:
        for req in (Request.chat("Write a function"), Request.infill("def fib(n):\n", "\nprint(fib(3))\n"),
                    Request.complete("class Stack:\n    def")):
            assert lb.prompt_tokens(req) == hf_backend.prompt_ids(req)
            p = SamplingParams(max_tokens=8)
            assert lb.generate(req, p).text == hf_backend.generate(req, p).text
    finally:
        lb.close()


def test_a_stop_string_ends_decoding_early(hf_backend):
    """The text is cut at the stop string and fewer tokens are decoded than the cap (not decoded, then trimmed).
    The tiny model writes colons after a prompt ending in one: a stop string that begins in the prompt
    must not count."""
    req, cap = Request.complete("def fib(n):"), 24
    free = hf_backend.generate(req, SamplingParams(max_tokens=cap)).completions[0]
    assert free.tokens == cap, "the tiny model stopped on its own; pick a longer prompt"
    cut = next(i for i in range(3, len(free.text)) if free.text[i - 3:i].strip())  # first non-blank 3 characters
    stop = free.text[cut - 3:cut]
    stopped = hf_backend.generate(req, SamplingParams(max_tokens=cap, stop=[stop])).completions[0]
    assert stopped.finish_reason == "stop" and stopped.text == free.text[: free.text.index(stop)]
    assert stopped.tokens < cap


def test_streaming_and_logprobs(hf_backend):
    chunks = []
    r = hf_backend.generate(Request.complete("for i in"), SamplingParams(max_tokens=8, logprobs=True),
                            on_text=lambda i, t: chunks.append(t))
    assert "".join(chunks) == r.text
    c = r.completions[0]
    assert c.logprob <= 0 and c.logprob <= c.min_logprob <= c.mean_logprob + 1e-9


def test_peft_adapter_loads_and_a_foreign_adapter_is_refused(tmp_path, tiny_model_dir):
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, Qwen2Config, Qwen2ForCausalLM

    from codehone.backends.transformers import TransformersBackend

    base = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
    lora = get_peft_model(base, LoraConfig(r=4, target_modules=["q_proj", "v_proj"], init_lora_weights=False))
    lora.save_pretrained(tmp_path / "adapter")
    tb = TransformersBackend(tiny_model_dir, adapter=tmp_path / "adapter")
    assert tb.generate(Request.complete("def"), SamplingParams(max_tokens=3)).completions[0].tokens >= 1

    other = Qwen2ForCausalLM(Qwen2Config(vocab_size=100, hidden_size=32, intermediate_size=64, num_hidden_layers=1,
                                         num_attention_heads=2, num_key_value_heads=1))
    get_peft_model(other, LoraConfig(r=4, target_modules=["q_proj"])).save_pretrained(tmp_path / "foreign")
    with pytest.raises(GenerationError, match="does not fit this base model"):
        TransformersBackend(tiny_model_dir, adapter=tmp_path / "foreign")
    with pytest.raises(GenerationError, match="not a PEFT adapter"):
        TransformersBackend(tiny_model_dir, adapter=tmp_path)


def test_auto_engine_runs_a_peft_checkpoint_under_transformers(tmp_path, tiny_model_dir, tiny_gguf):
    # A training checkpoint (a PEFT directory) over a GGUF base: auto picks transformers, which
    # converts the GGUF once, instead of refusing with "use engine transformers".
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    from codehone.backends import load_backend
    from codehone.backends.transformers import TransformersBackend

    base = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
    get_peft_model(base, LoraConfig(r=4, target_modules=["q_proj", "v_proj"])).save_pretrained(tmp_path / "ckpt")
    backend = load_backend(str(tiny_gguf), adapter=tmp_path / "ckpt")
    try:
        assert isinstance(backend, TransformersBackend)
        assert backend.generate(Request.complete("def"), SamplingParams(max_tokens=2)).completions[0].tokens >= 1
    finally:
        backend.close()
    with pytest.raises(GenerationError, match="PEFT directory"):
        load_backend(str(tiny_gguf), adapter=tmp_path / "ckpt", engine="llama.cpp")
