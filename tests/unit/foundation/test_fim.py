"""FIM detection per family, from the vocabularies of small real tokenizers."""

import pytest

from codehone.core.fim import NoFimError, detect_fim, require_fim, stop_tokens_for

FAMILIES = {
    "qwen2.5-coder": ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>",
                      "<|fim_pad|>", "<|repo_name|>", "<|file_sep|>"],
    "starcoder": ["<|endoftext|>", "<fim_prefix>", "<fim_middle>", "<fim_suffix>", "<fim_pad>", "<repo_name>", "<file_sep>"],
    "codellama": ["<s>", "</s>", "▁<PRE>", "▁<SUF>", "▁<MID>", "▁<EOT>"],
    "deepseek-coder": ["<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>", "<｜fim▁hole｜>", "<｜fim▁begin｜>",
                       "<｜fim▁end｜>", "<|EOT|>"],
    "codegemma": ["<bos>", "<eos>", "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>", "<|file_separator|>"],
}


def tokenizer_vocab(specials):
    from tests.conftest import build_tiny_tokenizer

    return build_tiny_tokenizer(specials=specials, vocab_size=300).get_vocab()


@pytest.mark.parametrize("family", list(FAMILIES))
def test_detects_each_family_from_a_tokenizer(family):
    t = detect_fim(tokenizer_vocab(FAMILIES[family]))
    assert t is not None and t.family == family
    assert t.end, "every family has an end-of-middle token"
    assert t.prefix in t.stop_tokens and t.suffix in t.stop_tokens


def test_qwen_layout_and_stops():
    t = detect_fim(FAMILIES["qwen2.5-coder"])
    assert t.psm("a", "b") == "<|fim_prefix|>a<|fim_suffix|>b<|fim_middle|>"
    assert t.spm("a", "b") == "<|fim_prefix|><|fim_suffix|>b<|fim_middle|>a"
    assert t.repo_header("r") == "<|repo_name|>r\n" and t.file_header("x.py") == "<|file_sep|>x.py\n"
    stops = stop_tokens_for("infill", set(FAMILIES["qwen2.5-coder"]))
    assert stops[0] == "<|endoftext|>" and "<|file_sep|>" in stops
    assert "<|im_end|>" in stop_tokens_for("chat", set(FAMILIES["qwen2.5-coder"]))


def test_codellama_text_form_and_starcoder_repo_tokens():
    assert detect_fim(FAMILIES["codellama"]).psm("a", "b") == "<PRE> a <SUF>b <MID>"
    assert detect_fim(FAMILIES["starcoder"]).file_sep == "<file_sep>"


def test_model_without_fim_is_a_clear_error():
    vocab = tokenizer_vocab(["<|endoftext|>"])
    assert detect_fim(vocab) is None
    with pytest.raises(NoFimError, match="no fill-in-the-middle tokens"):
        require_fim(vocab, "tiny")
    with pytest.raises(NoFimError):
        stop_tokens_for("infill", vocab)


def test_infill_ids_in_both_layouts_match_the_text_forms():
    t = detect_fim(FAMILIES["qwen2.5-coder"])
    ids = {"<|fim_prefix|>": 1, "<|fim_suffix|>": 2, "<|fim_middle|>": 3}
    tokenize = lambda s: [ord(c) for c in s]  # noqa: E731
    assert t.infill_ids(tokenize, ids.__getitem__, "ab", "c") == [1, 97, 98, 2, 99, 3]
    # spm: the prefix last, so a keystroke at the cursor only appends to the prompt
    assert t.infill_ids(tokenize, ids.__getitem__, "ab", "c", "spm") == [1, 2, 99, 3, 97, 98]
    assert t.text("ab", "c") == t.psm("ab", "c") and t.text("ab", "c", "spm") == t.spm("ab", "c")


def test_request_rejects_an_unknown_layout():
    from codehone.backends.base import GenerationError, Request

    Request.infill("a", "b", "spm").validate()
    with pytest.raises(GenerationError, match="layout 'mps'"):
        Request.infill("a", "b", "mps").validate()
