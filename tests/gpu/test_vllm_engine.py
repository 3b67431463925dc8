"""``--engine vllm`` on a CUDA machine (issue 22): the Backend protocol on the default model (its
GGUF converted to Hugging Face weights once, as the transformers engine does): chat, completion,
infill with the model's FIM template, n samples, log-probabilities, requests in flight gathered
into engine batches, and LoRA adapters per request on one engine.

Skipped without vLLM (``pip install 'codehone[vllm]'``) or without a GPU. Not run in this
project's CPU sessions: no GPU was lent when it was written (docs/benchmarks.d/eval.md).
"""

from __future__ import annotations

import os

import pytest

pytestmark = pytest.mark.gpu

vllm = pytest.importorskip("vllm", reason="the vllm extra is not installed: pip install 'codehone[vllm]'")
torch = pytest.importorskip("torch")
if not torch.cuda.is_available():
    pytest.skip("no CUDA GPU", allow_module_level=True)

from codehone.backends.base import Request, SamplingParams  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_home():  # overrides conftest's tmp CODEHONE_HOME: the default model is 491 MB
    yield


@pytest.fixture(scope="module")
def model_dir():
    home = os.environ.get("CODEHONE_REAL_HOME") or os.path.expanduser("~/.cache/codehone")
    os.environ["CODEHONE_HOME"] = home
    from codehone.models.convert import hf_dir_from_gguf
    from codehone.models.refs import resolve_ref

    return hf_dir_from_gguf(resolve_ref("qwen2.5-coder-0.5b-instruct").path)


@pytest.fixture(scope="module")
def adapter_dir(model_dir, tmp_path_factory):
    """A LoRA adapter with random (non-zero) A and B, so it changes what the model writes."""
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    torch.manual_seed(0)
    base = AutoModelForCausalLM.from_pretrained(str(model_dir), dtype=torch.float32)
    peft = get_peft_model(base, LoraConfig(r=16, lora_alpha=64, target_modules=["q_proj", "v_proj"],
                                           init_lora_weights=False))
    out = tmp_path_factory.mktemp("adapter")
    peft.save_pretrained(str(out))
    return out


@pytest.fixture(scope="module")
def backend(model_dir):
    from codehone.backends.vllm_engine import VllmBackend

    b = VllmBackend(model_dir, name="qwen2.5-coder-0.5b-instruct", enable_lora=True, max_lora_rank=16,
                    gpu_memory_utilization=0.4, max_model_len=4096)
    yield b
    b.close()


def test_chat_completion_and_infill(backend):
    chat = backend.generate(Request.chat("Write a Python function add(a, b) that returns their sum."),
                            SamplingParams(max_tokens=128))
    assert "def add" in chat.text and chat.completions[0].tokens > 0 and chat.backend == "vllm"
    comp = backend.generate(Request.complete("def add(a, b):\n"), SamplingParams(max_tokens=32, stop=("\ndef ",)))
    assert "return" in comp.text
    fill = backend.generate(Request.infill("def add(a, b):\n    return ", "\n\nprint(add(1, 2))\n"),
                            SamplingParams(max_tokens=16))
    assert "a" in fill.text and "b" in fill.text and "<|" not in fill.text  # the middle, no sentinel
    assert fill.completions[0].finish_reason == "stop"  # ended on <|endoftext|>, the FIM end token


def test_n_samples_and_logprobs(backend):
    r = backend.generate(Request.complete("def fib(n):\n"), SamplingParams(max_tokens=48, temperature=0.8, n=4, seed=1,
                                                                           logprobs=True))
    assert len(r.completions) == 4
    assert all(c.logprob is not None and c.logprob < 0 and c.mean_logprob > -10 for c in r.completions)
    greedy = backend.generate(Request.complete("def fib(n):\n"), SamplingParams(max_tokens=48, logprobs=True))
    assert greedy.completions[0].logprob <= 0


def test_requests_in_flight_share_engine_batches(backend, tmp_path):
    from codehone.eval.generate import generate_samples
    from codehone.runs import read_jsonl

    before = len(backend._batcher.batches)
    generate_samples(backend, "humaneval", tmp_path, chat=True, limit=16, progress=False,
                     params=SamplingParams(max_tokens=256))  # default concurrency: 64 in flight
    batches = backend._batcher.batches[before:]
    assert sum(batches) == 16 and max(batches) > 1
    assert len(list(read_jsonl(tmp_path / "samples.jsonl"))) == 16


def test_lora_adapter_per_request_on_one_engine(backend, adapter_dir):
    from codehone.core.concurrent import map_concurrent

    tuned = backend.with_adapter(adapter_dir)
    prompt, params = Request.complete("def add(a, b):\n"), SamplingParams(max_tokens=24)
    base_text = backend.generate(prompt, params).text
    tuned_text = tuned.generate(prompt, params).text
    assert tuned_text != base_text  # the adapter's random weights change the greedy answer
    # Base and adapter requests in flight together, in one batch: each gets its own model's answer
    # (compared on the first line: batched kernels need not be bit-identical to a batch of one).
    got = list(map_concurrent(lambda b: (b, b.generate(prompt, params).text), [backend, tuned, backend, tuned], 4))
    first = lambda t: t.strip().splitlines()[0] if t.strip() else ""  # noqa: E731
    for _, (b, text) in got:
        assert first(text) == first(base_text if b is backend else tuned_text)
    assert tuned.generate(prompt, params).extra["adapter"].endswith(adapter_dir.name)
