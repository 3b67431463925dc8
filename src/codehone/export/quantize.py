"""Quantize a GGUF with llama.cpp's own quantizer (through llama-cpp-python's C API)."""

from __future__ import annotations

import os
from pathlib import Path

from codehone.errors import UserError

# Names users know (llama.cpp's quantize tool spells them the same) -> llama_ftype.
QUANT_TYPES = {"f16": 1, "q8_0": 7, "q4_0": 2, "q4_1": 3, "q5_0": 8, "q5_1": 9, "q2_k": 10, "q3_k_m": 12,
               "q4_k_s": 14, "q4_k_m": 15, "q5_k_s": 16, "q5_k_m": 17, "q6_k": 18}


def quantize_gguf(src: str | Path, dst: str | Path, quant: str, threads: int | None = None) -> Path:
    import llama_cpp as C

    key = quant.lower()
    if key not in QUANT_TYPES:
        raise UserError(f"unknown quantization {quant!r}; choose one of {', '.join(QUANT_TYPES)}")
    dst = Path(dst)
    tmp = dst.with_name(dst.name + ".tmp")
    params = C.llama_model_quantize_default_params()
    params.ftype = QUANT_TYPES[key]
    params.nthread = threads or len(os.sched_getaffinity(0))
    rc = C.llama_model_quantize(str(src).encode(), str(tmp).encode(), params)
    if rc != 0:
        tmp.unlink(missing_ok=True)
        raise UserError(f"llama.cpp could not quantize {src} to {quant} (code {rc}); run with CODEHONE_DEBUG=1 for its log")
    tmp.replace(dst)
    return dst
