"""GGUF -> Hugging Face directory, once: training and the transformers backend need torch weights.

transformers reads a GGUF with ``gguf_file=`` and dequantizes every tensor in numpy (about 44 s for
the 0.5B). We do that once per file and keep the result as safetensors under
``$CODEHONE_HOME/converted/``; the key is the file's name, size and modification time, so a
re-fetched or replaced file converts again. A conversion is written to a temporary directory
and renamed when complete, so an interrupted one is never mistaken for a finished one.
"""

from __future__ import annotations

import gc
import hashlib
import os
import shutil
from pathlib import Path

from codehone.core.memory import large_blocks_unmapped_on_free, trim_heap
from codehone.models.fetch import codehone_home


# Bumped when the conversion itself changes, so caches written by older code are not reused.
_CONVERSION_VERSION = 2


def _key(gguf_path: Path) -> str:
    st = gguf_path.stat()
    h = hashlib.sha256(f"{gguf_path.resolve()}:{st.st_size}:{st.st_mtime_ns}:{_CONVERSION_VERSION}".encode()).hexdigest()[:12]
    return f"{gguf_path.stem}-{h}"


def converted_dir(gguf_path: str | Path) -> Path:
    return codehone_home() / "converted" / _key(Path(gguf_path))


def _convert(gguf_path: Path, out: Path, tokenizer_only: bool) -> None:
    from transformers import AutoTokenizer

    tmp = out.with_name(out.name + f".tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tok = AutoTokenizer.from_pretrained(str(gguf_path.parent), gguf_file=gguf_path.name)
    _register_control_tokens(tok, gguf_path)
    tok.save_pretrained(tmp)
    if not tokenizer_only:
        import torch
        from transformers import AutoModelForCausalLM

        model = AutoModelForCausalLM.from_pretrained(str(gguf_path.parent), gguf_file=gguf_path.name, dtype=torch.float32)
        # The weights are already dequantized to float; transformers still marks the model as
        # "GGUF-quantized" and refuses to save it. Drop that mark: what we save is plain float.
        model.hf_quantizer = None
        if hasattr(model.config, "quantization_config"):
            del model.config.quantization_config
        model.save_pretrained(tmp, safe_serialization=True)
    os.replace(tmp, out) if not out.exists() else shutil.rmtree(tmp)


def _register_control_tokens(tok, gguf_path: Path) -> None:
    """transformers' GGUF tokenizer registers only a few special tokens (for Qwen: <|endoftext|>,
    <|im_start|>, <|im_end|>); the FIM and repository sentinels stay ordinary vocabulary entries,
    so text containing "<|fim_prefix|>" would be split into characters. Every token the GGUF marks
    as control or user-defined becomes an added special token, as in the original tokenizer."""
    from tokenizers import AddedToken

    from codehone.models.gguf_info import read_gguf

    info = read_gguf(gguf_path)
    have = set(tok.get_added_vocab())
    missing = [t for t, ty in zip(info.tokens, info.token_types) if ty in (3, 4) and t not in have]
    if missing:
        tok.add_tokens([AddedToken(t, special=True, normalized=False) for t in missing], special_tokens=True)
    if len(tok) != len(info.tokens) and len(tok) > len(info.tokens):
        raise RuntimeError(f"converted tokenizer has {len(tok)} tokens, the GGUF {len(info.tokens)}: ids would shift")


def hf_dir_from_gguf(gguf_path: str | Path, tokenizer_only: bool = False) -> Path:
    """A Hugging Face directory with the GGUF's weights (and tokenizer), converting if needed."""
    gguf_path = Path(gguf_path)
    base = converted_dir(gguf_path)
    out = base / ("tokenizer" if tokenizer_only else "model")
    if not (out / ("tokenizer_config.json" if tokenizer_only else "config.json")).exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        # The conversion dequantizes every tensor (numpy, then torch: ~5 GB for the 0.5B in fp32)
        # and the caller goes on to load the saved model. Large blocks are unmapped when freed and
        # the heap is trimmed after, so none of the conversion's buffers stay resident beside the
        # weights that are then loaded (issue 21; core/memory.py says why glibc would keep them).
        large_blocks_unmapped_on_free()
        try:
            _convert(gguf_path, out, tokenizer_only)
        finally:
            gc.collect()
            trim_heap()
    return out


def load_tokenizer(ref: str):
    """The Hugging Face tokenizer of any local model reference (catalogue name, GGUF, HF dir, hub id)."""
    from transformers import AutoTokenizer

    from codehone.models.refs import resolve_ref

    r = resolve_ref(ref)
    if r.kind == "http":
        raise ValueError(f"{ref} is a remote endpoint; its tokenizer is not available locally, give a local model")
    if r.kind == "gguf":
        full = converted_dir(r.path) / "model"
        path = full if (full / "tokenizer_config.json").exists() else hf_dir_from_gguf(r.path, tokenizer_only=True)
        return AutoTokenizer.from_pretrained(str(path))
    return AutoTokenizer.from_pretrained(str(r.path))
