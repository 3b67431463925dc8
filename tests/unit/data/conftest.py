"""A tiny byte-level BPE tokenizer with Qwen2.5-Coder's special tokens, built in-process.

Trained in a fraction of a second on a few lines of code, so tests never download anything;
the special tokens are the ones the data stage looks up (FIM sentinels, repository tokens,
chat markers), registered as added special tokens the way Qwen's tokenizer.json has them.
"""

from __future__ import annotations

import pytest

QWEN_SPECIALS = [
    "<|endoftext|>", "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>", "<|fim_pad|>",
    "<|repo_name|>", "<|file_sep|>", "<|im_start|>", "<|im_end|>",
]
_CORPUS = [
    "def add(a, b):\n    return a + b\n",
    "class Point:\n    def __init__(self, x, y):\n        self.x = x\n        self.y = y\n",
    "function f(x) { return x * 2; }\n",
    "for i in range(10):\n    print(i)\n",
    "import os\nimport sys\n\nif __name__ == '__main__':\n    main()\n",
]


def build_tiny_tokenizer(specials: list[str] = QWEN_SPECIALS, vocab_size: int = 400):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=specials,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(_CORPUS * 4, trainer)
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token=specials[0] if specials else None)
    fast.add_special_tokens({"additional_special_tokens": [s for s in specials[1:]]})
    return fast


@pytest.fixture(scope="session")
def tiny_tokenizer():
    return build_tiny_tokenizer()


@pytest.fixture(scope="session")
def no_fim_tokenizer():
    return build_tiny_tokenizer(["<|endoftext|>"])
