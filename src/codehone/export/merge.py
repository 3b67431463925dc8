"""Merge a PEFT adapter into its base and write the result as GGUF (f16, then quantized)."""

from __future__ import annotations

from pathlib import Path

from codehone.export.hf_to_gguf import write_gguf
from codehone.export.quantize import quantize_gguf


def merge_adapter(base_dir: str | Path, adapter_dir: str | Path):
    """The base model with the adapter folded into its weights, and its tokenizer."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from codehone.backends.transformers import load_peft_adapter

    model = AutoModelForCausalLM.from_pretrained(str(base_dir), dtype=torch.float32)
    merged = load_peft_adapter(model, adapter_dir).merge_and_unload()
    return merged, AutoTokenizer.from_pretrained(str(base_dir))


def write_merged_gguf(base_dir: str | Path, adapter_dir: str | Path | None, out_dir: str | Path, quant: str = "q4_k_m",
                      name: str = "model", keep_f16: bool = True) -> dict[str, Path]:
    """Write ``<name>-f16.gguf`` and, unless quant is f16, ``<name>-<quant>.gguf``."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    out_dir = Path(out_dir)
    if adapter_dir is not None:
        model, tok = merge_adapter(base_dir, adapter_dir)
    else:
        model = AutoModelForCausalLM.from_pretrained(str(base_dir), dtype=torch.float32)
        tok = AutoTokenizer.from_pretrained(str(base_dir))
    f16 = write_gguf(model, tok, out_dir / f"{name}-f16.gguf", dtype="f16", name=name)
    files = {"f16": f16}
    if quant.lower() != "f16":
        files[quant.lower()] = quantize_gguf(f16, out_dir / f"{name}-{quant.lower()}.gguf", quant)
        if not keep_f16:
            f16.unlink()
            del files["f16"]
    return files
