"""``codehone models info``: the facts a user checks before training on or serving a model."""

from __future__ import annotations

import json
from pathlib import Path

from codehone.core.fim import detect_fim
from codehone.models.catalogue import CATALOGUE
from codehone.models.refs import ModelRef, resolve_ref


def describe(spec: str) -> dict:
    """Architecture, size, quantization, context length, chat template, FIM tokens, sha256."""
    ref = resolve_ref(spec)
    if ref.kind == "http":
        return {"reference": spec, "kind": "http endpoint", "url": ref.url, "model": ref.model_name}
    if ref.kind == "gguf":
        return _describe_gguf(spec, ref)
    return _describe_hf_dir(spec, ref)


def _describe_gguf(spec: str, ref: ModelRef) -> dict:
    from codehone.models.gguf_info import read_gguf
    from codehone.runs import sha256_file

    info = read_gguf(ref.path)
    cat = CATALOGUE.get(spec)
    fim = detect_fim(info.tokens)
    md = info.metadata
    return {
        "reference": spec,
        "kind": "catalogue GGUF" if cat else ("GGUF LoRA adapter" if info.is_lora else "GGUF"),
        "path": str(ref.path),
        "name": md.get("general.name"),
        "architecture": info.architecture,
        "parameters": info.n_params,
        "file size": info.size,
        "quantization": info.file_type,
        "context length": info.context_length,
        "layers": md.get(f"{info.architecture}.block_count"),
        "vocabulary": len(info.tokens),
        "chat template": "tokenizer.chat_template" in md,
        "fim family": fim.family if fim else None,
        "fim tokens": list(fim.sentinels) if fim else [],
        "fim end tokens": list(fim.end) if fim else [],
        # Catalogue files were verified against this pin when fetched (and on load, via the stamp).
        "sha256": cat.sha256 if cat else sha256_file(ref.path),
        "sha256 verified": bool(cat),
    }


def _describe_hf_dir(spec: str, ref: ModelRef) -> dict:
    path = Path(ref.path)
    cfg = json.loads((path / "config.json").read_text())
    tok_cfg_path = path / "tokenizer_config.json"
    tok_cfg = json.loads(tok_cfg_path.read_text()) if tok_cfg_path.exists() else {}
    vocab: set[str] = set()
    if (path / "tokenizer.json").exists():
        tj = json.loads((path / "tokenizer.json").read_text())
        vocab |= set((tj.get("model") or {}).get("vocab") or {})
        vocab |= {t["content"] for t in tj.get("added_tokens", [])}
    vocab |= {t["content"] if isinstance(t, dict) else t for t in (tok_cfg.get("added_tokens_decoder") or {}).values()}
    fim = detect_fim(vocab)
    weights = sum(f.stat().st_size for f in path.glob("*.safetensors"))
    return {
        "reference": spec,
        "kind": "Hugging Face directory" + (" (PEFT adapter)" if (path / "adapter_config.json").exists() else ""),
        "path": str(path),
        "architecture": (cfg.get("architectures") or [cfg.get("model_type")])[0],
        "weights size": weights,
        "dtype": cfg.get("torch_dtype") or cfg.get("dtype"),
        "quantization": (cfg.get("quantization_config") or {}).get("quant_method", "none"),
        "context length": cfg.get("max_position_embeddings"),
        "layers": cfg.get("num_hidden_layers"),
        "vocabulary": cfg.get("vocab_size"),
        "chat template": bool(tok_cfg.get("chat_template")) or (path / "chat_template.jinja").exists(),
        "fim family": fim.family if fim else None,
        "fim tokens": list(fim.sentinels) if fim else [],
        "fim end tokens": list(fim.end) if fim else [],
    }
