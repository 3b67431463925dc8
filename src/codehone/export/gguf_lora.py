"""PEFT LoRA adapter -> GGUF LoRA adapter that llama.cpp applies over the (quantized) base.

The small file users ship: a few MB beside a base GGUF they already have. Layout, as llama.cpp's
``convert_lora_to_gguf.py`` writes it and ``llama_adapter_lora_init`` checks it:

    general.type = "adapter", adapter.type = "lora", adapter.lora.alpha = alpha
    <base tensor name>.lora_a : numpy (r, in)   -> ggml ne = [in, r]
    <base tensor name>.lora_b : numpy (out, r)  -> ggml ne = [r, out]

llama.cpp adds scale * B @ (A @ x) with scale = alpha / r, which is PEFT's scaling; for rsLoRA
(alpha / sqrt(r)) we write alpha * sqrt(r) so the product is the same. DoRA rescales the merged
weight's columns, which a GGUF adapter cannot express: such adapters must be merged instead.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np

from codehone.errors import UserError
from codehone.export.hf_to_gguf import finish_gguf, gguf_tensor_name

_PEFT_KEY = re.compile(r"^base_model\.model\.(.+)\.lora_([AB])(?:\.default)?\.weight$")


class ExportError(UserError):
    pass


def read_peft_adapter(adapter_dir: str | Path) -> tuple[dict, dict[str, np.ndarray]]:
    from safetensors.numpy import load_file

    adapter_dir = Path(adapter_dir)
    cfg_path = adapter_dir / "adapter_config.json"
    if not cfg_path.exists():
        raise ExportError(f"{adapter_dir} is not a PEFT adapter (no adapter_config.json); give the adapter/ folder of a training run")
    cfg = json.loads(cfg_path.read_text())
    weights = adapter_dir / "adapter_model.safetensors"
    if not weights.exists():
        raise ExportError(f"{adapter_dir} has no adapter_model.safetensors; save the adapter with safe_serialization")
    # safetensors.numpy cannot read bf16; go through torch then.
    try:
        tensors = load_file(str(weights))
    except (TypeError, ValueError):
        from safetensors.torch import load_file as load_torch

        tensors = {k: v.float().numpy() for k, v in load_torch(str(weights)).items()}
    return cfg, tensors


def write_gguf_lora(adapter_dir: str | Path, out_path: str | Path, arch: str = "qwen2", dtype: str = "f32") -> Path:
    import gguf

    cfg, tensors = read_peft_adapter(adapter_dir)
    if cfg.get("peft_type", "LORA") != "LORA":
        raise ExportError(f"adapter type {cfg.get('peft_type')} cannot be a GGUF LoRA; only LoRA can")
    if cfg.get("use_dora"):
        raise ExportError("DoRA adapters cannot be applied by llama.cpp as an adapter; export with --to gguf-merged")
    r, alpha = int(cfg["r"]), float(cfg.get("lora_alpha", cfg["r"]))
    if cfg.get("rank_pattern") or cfg.get("alpha_pattern"):
        raise ExportError("adapters with per-module rank or alpha patterns are not supported; use one r and alpha")
    if cfg.get("use_rslora"):
        alpha = alpha * math.sqrt(r)  # llama.cpp scales by alpha / r; rsLoRA by alpha / sqrt(r)
    pairs: dict[str, dict[str, np.ndarray]] = {}
    for key, arr in tensors.items():
        m = _PEFT_KEY.match(key)
        if not m:
            raise ExportError(f"adapter tensor {key} is not a LoRA matrix of a linear layer (embeddings and "
                              "modules_to_save cannot be a GGUF LoRA); export with --to gguf-merged")
        pairs.setdefault(m.group(1) + ".weight", {})[m.group(2)] = arr
    if not pairs:
        raise ExportError(f"{adapter_dir} holds no LoRA weights")

    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(out_path.name + ".tmp")
    w = gguf.GGUFWriter(str(tmp), arch)
    w.add_string(gguf.Keys.General.TYPE, gguf.GGUFType.ADAPTER)
    w.add_string(gguf.Keys.Adapter.TYPE, "lora")
    w.add_float32(gguf.Keys.Adapter.LORA_ALPHA, alpha)
    np_dtype = np.float16 if dtype == "f16" else np.float32
    for hf_name in sorted(pairs):
        ab = pairs[hf_name]
        if set(ab) != {"A", "B"}:
            raise ExportError(f"adapter for {hf_name} lacks its lora_{'B' if 'A' in ab else 'A'} matrix")
        base = gguf_tensor_name(hf_name)
        w.add_tensor(base + ".lora_a", ab["A"].astype(np_dtype))  # (r, in)
        w.add_tensor(base + ".lora_b", ab["B"].astype(np_dtype))  # (out, r)
    return finish_gguf(w, tmp, out_path)
