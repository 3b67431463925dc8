"""Fixtures for the data-stage integration tests: the tiny tokenizer (shared with the unit
tests' conftest, loaded by path so there is one definition) and the planted repository."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_UNIT = Path(__file__).resolve().parents[2] / "unit" / "data" / "conftest.py"
_spec = importlib.util.spec_from_file_location("_data_unit_conftest", _UNIT)
_mod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_mod)
build_tiny_tokenizer = _mod.build_tiny_tokenizer


@pytest.fixture(scope="session")
def tiny_tokenizer():
    return build_tiny_tokenizer()


@pytest.fixture(scope="session")
def no_fim_tokenizer():
    return build_tiny_tokenizer(["<|endoftext|>"])


@pytest.fixture(scope="session")
def planted_repo(tmp_path_factory):
    from planted import make_planted_repo

    root = tmp_path_factory.mktemp("planted") / "acme-service"
    return make_planted_repo(root)
