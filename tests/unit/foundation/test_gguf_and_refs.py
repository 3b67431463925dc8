"""GGUF header checks and model references (including the real huggingface_hub path, offline)."""

import pytest

from codehone.models.gguf_info import GgufError, check_gguf_file, read_gguf
from codehone.models.refs import ModelRefError, parse_ref, resolve_ref


def test_reads_metadata_tokens_and_size(tiny_gguf):
    info = read_gguf(tiny_gguf)
    assert info.architecture == "qwen2"
    assert info.context_length == 2048
    assert "<|fim_prefix|>" in info.tokens
    assert info.n_params > 0 and info.file_type == "F32"


def test_not_gguf_and_truncated_files_are_named(tmp_path, tiny_gguf):
    bad = tmp_path / "model.gguf"
    bad.write_bytes(b"PK\x03\x04 definitely a zip")
    with pytest.raises(GgufError, match="not a GGUF file"):
        check_gguf_file(bad)
    cut = tmp_path / "cut.gguf"
    data = tiny_gguf.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(GgufError, match="truncated"):
        check_gguf_file(cut)
    cut.write_bytes(data[:100])
    with pytest.raises(GgufError, match="truncated"):
        check_gguf_file(cut)


def test_reference_kinds(tmp_path, tiny_gguf, tiny_model_dir):
    assert parse_ref(str(tiny_gguf)).kind == "gguf"
    assert parse_ref(str(tiny_model_dir)).kind == "hf_dir"
    assert parse_ref("qwen2.5-coder-0.5b-instruct").kind == "catalogue"
    r = parse_ref("http://127.0.0.1:8080?model=m")
    assert (r.kind, r.url, r.model_name) == ("http", "http://127.0.0.1:8080/v1", "m")
    assert parse_ref("Qwen/Qwen2.5-Coder-0.5B@main").kind == "hub"
    with pytest.raises(ModelRefError, match="catalogue models are"):
        parse_ref("qwen-coder-tiny")
    with pytest.raises(ModelRefError, match="does not exist"):
        parse_ref(str(tmp_path / "missing.gguf"))


def test_hub_id_resolves_through_huggingface_hub_cache(tmp_path, monkeypatch, tiny_model_dir):
    """The real snapshot_download code path, offline, against a hub cache laid out on disk."""
    import shutil

    cache = tmp_path / "hub"
    repo = cache / "models--acme--tiny-coder"
    commit = "0" * 40
    snap = repo / "snapshots" / commit
    shutil.copytree(tiny_model_dir, snap)
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(commit)
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    import huggingface_hub.constants as hc

    monkeypatch.setattr(hc, "HF_HUB_CACHE", str(cache))
    monkeypatch.setattr(hc, "HF_HUB_OFFLINE", True)
    r = resolve_ref("acme/tiny-coder")
    assert r.kind == "hf_dir" and (r.path / "config.json").exists()
    with pytest.raises(ModelRefError, match="not in the local Hugging Face cache"):
        resolve_ref("acme/absent-model")


def test_gguf_conversion_keeps_fim_tokens_special(tiny_gguf):
    """transformers' GGUF tokenizer drops most control tokens; the converter must restore them."""
    from codehone.models import load_tokenizer

    tok = load_tokenizer(str(tiny_gguf))
    vocab = tok.get_vocab()
    ids = tok.encode("<|fim_prefix|>a<|fim_suffix|>b<|fim_middle|><|file_sep|>", add_special_tokens=False)
    assert ids[0] == vocab["<|fim_prefix|>"] and ids[-1] == vocab["<|file_sep|>"]
    assert vocab["<|fim_middle|>"] in ids
