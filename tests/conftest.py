"""Shared fixtures: a tiny Qwen2 model and tokenizer built in-process, and its GGUF.

The tokenizer is a byte-level BPE trained in a fraction of a second on a few lines of code, with
Qwen2.5-Coder's special tokens (chat, FIM, repository) and Qwen2's pre-tokenizer regex, so llama.cpp
(which tokenizes with its "qwen2" pre-tokenizer) and transformers split text the same way. The
model is a randomly initialised Qwen2 with 2 layers and hidden size 64: its text is nonsense, but
every code path (chat template, FIM ids, stop tokens, batching, adapters, export) runs for real.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# The request classifier (blocks/safety/classifier.py) is trained on first use and persisted; every
# test has its own CODEHONE_HOME, so without one shared place each test process and each server a
# test starts would train it again. Set at import, so subprocesses inherit it; one per run.
os.environ.setdefault("CODEHONE_SAFETY_CACHE", tempfile.mkdtemp(prefix="codehone-safety-"))

QWEN_SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|fim_prefix|>", "<|fim_middle|>",
                 "<|fim_suffix|>", "<|fim_pad|>", "<|repo_name|>", "<|file_sep|>"]
QWEN2_SPLIT = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"
               r"|\s*[\r\n]+|\s+(?!\S)|\s+")
CHAT_TEMPLATE = (
    "{% for m in messages %}{{ '<|im_start|>' + m['role'] + '\\n' + m['content'] + '<|im_end|>\\n' }}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)
CORPUS = [
    "def add(a, b):\n    return a + b\n",
    "def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n",
    "class Stack:\n    def __init__(self):\n        self.items = []\n    def push(self, x):\n        self.items.append(x)\n",
    "for i in range(10):\n    print(i * i)\n",
    "import os\nprint(os.path.join('a', 'b'))\n",
    "Write a function that reverses a string. Explain the code.\n",
] * 20


def build_tiny_tokenizer(specials=QWEN_SPECIALS, vocab_size: int = 600):
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(QWEN2_SPLIT), behavior="isolated"),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
    ])
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=list(specials),
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(CORPUS, trainer)
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|im_end|>", pad_token="<|endoftext|>",
                                   bos_token=None, unk_token=None)
    fast.chat_template = CHAT_TEMPLATE
    return fast


@pytest.fixture(scope="session")
def tiny_tokenizer():
    return build_tiny_tokenizer()


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory, tiny_tokenizer) -> Path:
    """A saved Hugging Face directory: random Qwen2 (2 layers, hidden 64) + the tiny tokenizer."""
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    torch.manual_seed(0)
    cfg = Qwen2Config(vocab_size=len(tiny_tokenizer), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                      num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=2048,
                      tie_word_embeddings=True, rms_norm_eps=1e-6)
    model = Qwen2ForCausalLM(cfg)
    # Random init gives nearly flat logits; scale the embeddings so greedy choices are decisive and
    # backends agree on them despite float rounding.
    with torch.no_grad():
        model.model.embed_tokens.weight.mul_(40)
    out = tmp_path_factory.mktemp("tiny-qwen2")
    model.save_pretrained(out)
    tiny_tokenizer.save_pretrained(out)
    return out


@pytest.fixture(scope="session")
def tiny_gguf(tmp_path_factory, tiny_model_dir) -> Path:
    """The tiny model written as an f32 GGUF for llama.cpp."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from codehone.export.hf_to_gguf import write_gguf

    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    return write_gguf(model, tok, tmp_path_factory.mktemp("tiny-gguf") / "tiny-qwen2-f32.gguf", dtype="f32", name="tiny")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """Each test gets its own CODEHONE_HOME so nothing touches the user's cache."""
    monkeypatch.setenv("CODEHONE_HOME", str(tmp_path / "codehone-home"))
    monkeypatch.setenv("CODEHONE_THREADS", os.environ.get("CODEHONE_THREADS", "2"))
