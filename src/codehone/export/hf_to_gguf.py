"""Write a Hugging Face Qwen2-family causal LM (and its byte-level BPE tokenizer) as a GGUF file.

llama.cpp's own converter is a script inside its source tree, not part of any wheel, so we write
the GGUF with the ``gguf`` package directly. The scope is the architecture codehone trains (Qwen2,
which Qwen2.5-Coder uses); other architectures are refused with a clear error rather than written
wrong. Tensors are written in f32 or f16; quantization is llama.cpp's job (export/quantize).

Tensor names follow llama.cpp's qwen2 layout:

    model.embed_tokens            -> token_embd
    model.layers.N.input_layernorm -> blk.N.attn_norm      self_attn.{q,k,v}_proj -> blk.N.attn_{q,k,v} (+bias)
    self_attn.o_proj              -> blk.N.attn_output     post_attention_layernorm -> blk.N.ffn_norm
    mlp.{gate,up,down}_proj       -> blk.N.ffn_{gate,up,down}
    model.norm                    -> output_norm            lm_head -> output (omitted when tied)
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

from codehone.errors import UserError

_LAYER = re.compile(r"^model\.layers\.(\d+)\.(.+)\.(weight|bias)$")
_LAYER_NAMES = {
    "input_layernorm": "attn_norm", "self_attn.q_proj": "attn_q", "self_attn.k_proj": "attn_k",
    "self_attn.v_proj": "attn_v", "self_attn.o_proj": "attn_output", "post_attention_layernorm": "ffn_norm",
    "mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up", "mlp.down_proj": "ffn_down",
}
_TOP_NAMES = {"model.embed_tokens.weight": "token_embd.weight", "model.norm.weight": "output_norm.weight",
              "lm_head.weight": "output.weight"}


def gguf_tensor_name(hf_name: str) -> str:
    if hf_name in _TOP_NAMES:
        return _TOP_NAMES[hf_name]
    m = _LAYER.match(hf_name)
    if not m or m.group(2) not in _LAYER_NAMES:
        raise UserError(f"tensor {hf_name} has no place in a qwen2 GGUF; only Qwen2-architecture models can be exported")
    return f"blk.{m.group(1)}.{_LAYER_NAMES[m.group(2)]}.{m.group(3)}"


def _tokenizer_fields(tokenizer) -> dict:
    """Vocabulary in id order, token types, merges and special ids, as llama.cpp's gpt2 BPE wants."""
    tj = json.loads(tokenizer.backend_tokenizer.to_str())
    if tj["model"]["type"] != "BPE":
        raise UserError(f"tokenizer model {tj['model']['type']} cannot be exported; only byte-level BPE is supported")
    vocab = tokenizer.get_vocab()
    n = max(vocab.values()) + 1
    tokens = [f"[PAD{i}]" for i in range(n)]
    types = [5] * n  # UNUSED until filled
    for tok, i in vocab.items():
        tokens[i], types[i] = tok, 1  # NORMAL
    for added in tj.get("added_tokens", []):
        types[added["id"]] = 3 if added.get("special") else 4  # CONTROL / USER_DEFINED
    merges = [m if isinstance(m, str) else " ".join(m) for m in tj["model"]["merges"]]
    return {"tokens": tokens, "types": types, "merges": merges}


def finish_gguf(writer, tmp: Path, out_path: Path) -> Path:
    """Write everything added to ``writer`` into ``tmp`` and rename it: a file under the final
    name is always complete."""
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    tmp.replace(out_path)
    return out_path


def add_fim_token_ids(writer, vocab: dict[str, int]) -> None:
    """Name the FIM sentinels in the metadata, as llama.cpp's converter does, so that editors and
    llama.cpp's /infill find them without guessing from token text."""
    import gguf

    from codehone.core.fim import detect_fim

    fim = detect_fim(vocab)
    if fim is None:
        return
    keys = gguf.Keys.Tokenizer
    for key, tok in ((keys.FIM_PRE_ID, fim.prefix), (keys.FIM_SUF_ID, fim.suffix), (keys.FIM_MID_ID, fim.middle),
                     (keys.FIM_PAD_ID, fim.pad), (keys.FIM_REP_ID, fim.repo_name), (keys.FIM_SEP_ID, fim.file_sep)):
        if tok and tok in vocab:
            writer.add_uint32(key, vocab[tok])


def write_gguf(model, tokenizer, out_path: str | Path, dtype: str = "f16", name: str | None = None) -> Path:
    """Write ``model`` (a transformers Qwen2ForCausalLM, adapters already merged) to ``out_path``."""
    import gguf

    cfg = model.config
    if cfg.model_type != "qwen2":
        raise UserError(f"cannot export model type {cfg.model_type!r}; codehone writes GGUF for qwen2 models")
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(out_path.name + ".tmp")
    w = gguf.GGUFWriter(str(tmp), "qwen2")
    w.add_name(name or getattr(cfg, "_name_or_path", "") or "codehone model")
    w.add_block_count(cfg.num_hidden_layers)
    w.add_context_length(cfg.max_position_embeddings)
    w.add_embedding_length(cfg.hidden_size)
    w.add_feed_forward_length(cfg.intermediate_size)
    w.add_head_count(cfg.num_attention_heads)
    w.add_head_count_kv(cfg.num_key_value_heads)
    w.add_rope_freq_base(float(getattr(cfg, "rope_theta", None) or (cfg.rope_parameters or {}).get("rope_theta", 10000.0)))
    w.add_layer_norm_rms_eps(cfg.rms_norm_eps)
    ftype = gguf.LlamaFileType.MOSTLY_F16 if dtype == "f16" else gguf.LlamaFileType.ALL_F32
    w.add_file_type(ftype)

    tf = _tokenizer_fields(tokenizer)
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("qwen2")
    w.add_token_list(tf["tokens"])
    w.add_token_types(tf["types"])
    w.add_token_merges(tf["merges"])
    vocab = tokenizer.get_vocab()
    eos = tokenizer.eos_token
    w.add_eos_token_id(vocab[eos])
    bos = tokenizer.bos_token or "<|endoftext|>"
    if bos in vocab:
        w.add_bos_token_id(vocab[bos])
    pad = tokenizer.pad_token or "<|endoftext|>"
    if pad in vocab:
        w.add_pad_token_id(vocab[pad])
    w.add_add_bos_token(False)
    if tokenizer.chat_template:
        w.add_chat_template(tokenizer.chat_template)
    add_fim_token_ids(w, vocab)

    tied = bool(getattr(cfg, "tie_word_embeddings", False))
    for hf_name, tensor in model.state_dict().items():
        if hf_name == "lm_head.weight" and tied:
            continue
        arr = tensor.detach().float().cpu().numpy()
        # Norms and biases stay f32 (llama.cpp expects it; they are tiny); matrices take the dtype.
        if dtype == "f16" and arr.ndim == 2:
            arr = arr.astype(np.float16)
        w.add_tensor(gguf_tensor_name(hf_name), arr)
    return finish_gguf(w, tmp, out_path)
