"""The base model for training: resolve the reference, pick a dtype, wrap it with LoRA.

bf16 on a CPU is only fast with native bf16 instructions (AVX512-BF16 or AMX): there it is about
7x fp32 for the 0.5B (DESIGN.md: 180 vs 25 tokens/s); without them torch emulates bf16 and it
is slower than fp32, so ``dtype=auto`` takes bf16 only where the CPU has them. The frozen base is
stored in that dtype (no fp32 master copy: it never changes); PEFT keeps the adapter weights in
fp32 (``autocast_adapter_dtype``) so AdamW's small updates are not rounded away.
"""

from __future__ import annotations

import json
from pathlib import Path

from codehone.models.convert import hf_dir_from_gguf
from codehone.models.refs import resolve_ref
from codehone.train import TrainError
from codehone.train.config import TrainConfig


def cpu_has_bf16() -> bool:
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        flags = ""
    if "avx512_bf16" in flags or "amx_bf16" in flags:
        return True
    try:
        import torch

        return torch.backends.cpu.get_cpu_capability() in ("AVX512_BF16", "AMX")
    except Exception:
        return False


def pick_dtype(config: TrainConfig, cuda: bool):
    import torch

    if config.dtype != "auto":
        if config.dtype == "float16" and not cuda:
            raise TrainError("dtype=float16 is for GPUs; on a CPU use dtype=bfloat16 (or auto)")
        return getattr(torch, config.dtype)
    if cuda:
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    return torch.bfloat16 if cpu_has_bf16() else torch.float32


def check_environment(config: TrainConfig) -> bool:
    """Errors that must come before any slow work. Returns whether CUDA is used."""
    import torch

    cuda = torch.cuda.is_available()
    if config.qlora:
        if not cuda:
            raise TrainError("qlora=true needs a CUDA GPU (bitsandbytes 4-bit); on a CPU use plain LoRA "
                             "(qlora=false, dtype=auto trains in bf16 where the CPU supports it)")
        try:
            import bitsandbytes  # noqa: F401
        except ImportError:
            raise TrainError("qlora=true needs bitsandbytes: pip install bitsandbytes") from None
    return cuda


def resolve_base(base: str) -> Path:
    """A Hugging Face directory for any local model reference; a GGUF is converted once and cached."""
    ref = resolve_ref(base)
    if ref.kind == "http":
        raise TrainError(f"{base} is a remote endpoint; training needs local weights (a GGUF, a Hugging Face "
                         "directory or a catalogue name)")
    if ref.kind == "gguf":
        return hf_dir_from_gguf(ref.path)
    return Path(ref.path)


def context_length(base_dir: Path) -> int:
    cfg = json.loads((base_dir / "config.json").read_text())
    return int(cfg.get("max_position_embeddings") or cfg.get("max_sequence_length") or 2048)


def target_modules(config: TrainConfig):
    t = config.target_modules.strip()
    return "all-linear" if t == "all-linear" else [m.strip() for m in t.split(",") if m.strip()]


def load_lora_model(base_dir: Path, config: TrainConfig, dtype, cuda: bool):
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    kwargs = {"dtype": dtype}
    if config.qlora:
        from transformers import BitsAndBytesConfig

        kwargs["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True, bnb_4bit_compute_dtype=dtype)
        kwargs["device_map"] = {"": torch.cuda.current_device()}
    # sdpa: on CPU it is the fastest attention transformers has, and it takes the packed
    # block-diagonal mask that transformers builds from restarting position ids.
    from transformers.utils import logging as hf_logging

    # transformers' per-tensor "Loading weights" bar would land in the middle of our own progress
    # (the demo, the training bar); loading the 0.5B takes about a second.
    shown = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        model = AutoModelForCausalLM.from_pretrained(str(base_dir), attn_implementation="sdpa", **kwargs)
    finally:
        if shown:
            hf_logging.enable_progress_bar()
    model.config.use_cache = False
    if config.qlora:
        from peft import prepare_model_for_kbit_training

        model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=config.gradient_checkpointing)
    elif config.gradient_checkpointing:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        model.enable_input_require_grads()
    lora = LoraConfig(r=config.lora_r, lora_alpha=config.lora_alpha, lora_dropout=config.lora_dropout,
                      target_modules=target_modules(config), use_dora=config.dora, bias="none", task_type="CAUSAL_LM")
    try:
        model = get_peft_model(model, lora)
    except ValueError as e:
        raise TrainError(f"target_modules={config.target_modules!r} does not fit this model: {str(e).splitlines()[0]}") from None
    return model
