"""Does the exported GGUF compute what training produced? Teacher-forced comparison on held-out text.

For each text, both sides score the same token ids: transformers runs base + PEFT adapter (the
weights training wrote), llama.cpp runs the exported GGUF (+ GGUF LoRA). We report

    top1_agreement   share of positions where both pick the same next token
    mean_abs_logprob_diff   mean |log p_hf(actual next) - log p_gguf(actual next)|

A faithful f16/f32 export agrees on >= 99% of positions; quantization costs a few points.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

DEFAULT_TEXTS = [
    "def binary_search(items, target):\n    lo, hi = 0, len(items) - 1\n    while lo <= hi:\n        mid = (lo + hi) // 2\n"
    "        if items[mid] == target:\n            return mid\n        if items[mid] < target:\n            lo = mid + 1\n"
    "        else:\n            hi = mid - 1\n    return -1\n",
    "import json\nfrom pathlib import Path\n\n\ndef load_config(path: str) -> dict:\n    \"\"\"Read a JSON config file.\"\"\"\n"
    "    with open(path) as f:\n        return json.load(f)\n",
    "class LRUCache:\n    def __init__(self, capacity):\n        self.capacity = capacity\n        self.data = {}\n\n"
    "    def get(self, key):\n        if key not in self.data:\n            return None\n        value = self.data.pop(key)\n"
    "        self.data[key] = value\n        return value\n",
]


def hf_scores(model, ids: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    import torch

    with torch.no_grad():
        logits = model(torch.tensor([list(ids)])).logits[0, :-1].float()  # [n-1, vocab]
        logp = torch.log_softmax(logits, dim=-1)
        nxt = torch.tensor(list(ids[1:]))
        return logits.argmax(-1).numpy(), logp[torch.arange(len(nxt)), nxt].double().numpy()


def compare(hf_model, tokenizer, gguf_backend, texts: Sequence[str] = DEFAULT_TEXTS, max_tokens: int = 512) -> dict:
    agree = total = 0
    diffs: list[float] = []
    for text in texts:
        ids = tokenizer.encode(text, add_special_tokens=False)[:max_tokens]
        if len(ids) < 2:
            continue
        h_top, h_lp = hf_scores(hf_model, ids)
        g_top, g_lp = gguf_backend.score_tokens(ids)
        agree += int((h_top == g_top).sum())
        total += len(h_top)
        diffs += list(np.abs(h_lp - g_lp))
    return {"positions": total, "top1_agreement": agree / total if total else None,
            "mean_abs_logprob_diff": float(np.mean(diffs)) if diffs else None, "texts": len(texts)}


def verify_export(base_hf_dir: str | Path, adapter_dir: str | Path | None, gguf_model: str | Path,
                  gguf_lora: str | Path | None = None, texts: Sequence[str] = DEFAULT_TEXTS) -> dict:
    return verify_exports(base_hf_dir, adapter_dir, {"model": gguf_model}, gguf_lora, texts)["model"]


def verify_exports(base_hf_dir: str | Path, adapter_dir: str | Path | None, gguf_models: dict[str, str | Path],
                   gguf_lora: str | Path | None = None, texts: Sequence[str] = DEFAULT_TEXTS) -> dict[str, dict]:
    """Compare each GGUF (e.g. a merge's f16 and quantized files) with one transformers model, loaded once."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from codehone.backends.llamacpp import LlamaCppBackend
    from codehone.backends.transformers import load_peft_adapter

    model = AutoModelForCausalLM.from_pretrained(str(base_hf_dir), dtype=torch.float32)
    if adapter_dir is not None:
        model = load_peft_adapter(model, adapter_dir)
    model.eval()
    tok = AutoTokenizer.from_pretrained(str(base_hf_dir))
    results: dict[str, dict] = {}
    for label, gguf_model in gguf_models.items():
        backend = LlamaCppBackend(gguf_model, lora_path=gguf_lora, n_ctx=2048, n_seq_max=1)
        try:
            out = compare(model, tok, backend, texts)
        finally:
            backend.close()
        out.update({"gguf": str(gguf_model), "gguf_lora": str(gguf_lora) if gguf_lora else None})
        results[label] = out
    return results
