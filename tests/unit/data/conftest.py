"""Data-stage fixtures: the shared tiny tokenizer (tests/conftest.py), and one without FIM tokens."""

from __future__ import annotations

import pytest

from tests.conftest import build_tiny_tokenizer


@pytest.fixture(scope="session")
def no_fim_tokenizer():
    return build_tiny_tokenizer(["<|endoftext|>"], vocab_size=300)
