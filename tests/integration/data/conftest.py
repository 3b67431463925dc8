"""Fixtures for the data-stage integration tests: a tokenizer without FIM tokens (the tiny
tokenizer itself is the shared one in tests/conftest.py) and the planted repository."""

from __future__ import annotations

import pytest

from tests.conftest import build_tiny_tokenizer


@pytest.fixture(scope="session")
def no_fim_tokenizer():
    return build_tiny_tokenizer(["<|endoftext|>"], vocab_size=300)


@pytest.fixture(scope="session")
def planted_repo(tmp_path_factory):
    from planted import make_planted_repo

    root = tmp_path_factory.mktemp("planted") / "acme-service"
    return make_planted_repo(root)
