"""vLLM backend (``--engine vllm``, the optional ``vllm`` extra, CUDA only): throughput on a GPU.

The same protocol as the other backends (base.py): chat with the tokenizer's own chat template,
plain completion, infill with the model's FIM template (prompt ids built exactly as the
transformers backend builds them: hf_prompt.py), ``n`` samples, the sum of the chosen tokens'
log-probabilities, grammar-constrained decoding through vLLM's structured outputs, and LoRA
adapters per request: every request carries a ``LoRARequest`` (or none), so one engine serves
the base model and several PEFT adapters side by side (``with_adapter``).

vLLM's offline engine is fast when it is given many prompts at once and must not be called from
two threads. ``core.concurrent`` keeps ``--concurrency`` requests in flight on as many threads
(default 64 here); each ``generate`` hands its request to a Batcher (batcher.py), whose one
worker runs everything waiting as one ``llm.generate`` call. Results come back per request, so
eval, rerank, the teacher jobs and ``blocks eval`` write rows as they land, as with a server.

What this module does not cover: streaming (the offline engine returns whole answers, so
``on_text`` gets each answer at the end) and GGUF adapters (vLLM loads PEFT directories: a
training run's ``adapter/``). vllm is imported only when this backend is built; without it, or
without a GPU, the error says what to do instead.
"""

from __future__ import annotations

import json
import threading
import time
from copy import copy
from pathlib import Path

from codehone.backends.hf_prompt import HfTokenizer, prompt_ids as hf_prompt_ids, stop_ids as hf_stop_ids
from codehone.backends.base import Completion, GenerationError, OnText, Request, Result, SamplingParams
from codehone.backends.batcher import Batcher

INSTALL = "pip install 'codehone[vllm]'"
# Prompts per engine call when a job does not say: enough to fill a GPU with a small model's
# batches, not so many that a 1.5B's KV cache is preempted and recomputed.
DEFAULT_CONCURRENCY = 64
LORA_RANKS = (8, 16, 32, 64, 128, 256, 320, 512)  # the max_lora_rank values vLLM accepts


def import_vllm():
    """The vllm module, or a GenerationError (a UserError) saying how to get it or what to use instead."""
    try:
        import vllm
    except ImportError as e:
        raise GenerationError(
            f"--engine vllm needs vLLM, which is not installed here ({e.msg}); install the extra on a CUDA "
            f"machine ({INSTALL}), or run `vllm serve MODEL` there and use --model http://HOST:8000/v1 "
            "--concurrency 64 (docs/scale.md)") from None
    return vllm


def require_cuda() -> None:
    import torch

    if not torch.cuda.is_available():
        raise GenerationError("--engine vllm needs a CUDA GPU and torch sees none (torch.cuda.is_available() is "
                              "False); use the default engine (llama.cpp) on this machine, or run vLLM where the "
                              "GPU is and point --model at its http://HOST:PORT/v1 endpoint")


def check_available() -> None:
    """Refuse before a model is fetched or converted: vllm importable and a GPU visible."""
    import_vllm()
    require_cuda()


def sampling_kwargs(params: SamplingParams, stop_ids: list[int]) -> dict:
    """vllm.SamplingParams keyword arguments for codehone's sampling options (no grammar: see
    ``VllmBackend.generate``)."""
    params.validate()
    kw = {"n": params.n, "max_tokens": params.max_tokens, "temperature": params.temperature, "top_p": params.top_p,
          "top_k": params.top_k if params.top_k > 0 else -1,  # -1: off (every vLLM release reads it so)
          "seed": params.seed, "stop": list(params.stop) or None, "stop_token_ids": list(stop_ids),
          "skip_special_tokens": True}
    if params.logprobs:
        kw["logprobs"] = 0  # the chosen token's log-probability only (no alternatives): what Completion.logprob sums
    return kw


def lora_rank_for(adapter_dir: str | Path) -> int:
    """The smallest max_lora_rank vLLM accepts that holds the adapter's rank ``r``."""
    cfg_path = Path(adapter_dir) / "adapter_config.json"
    if not cfg_path.exists():
        raise GenerationError(f"{adapter_dir} is not a PEFT adapter (no adapter_config.json); vLLM loads a training "
                              "run's adapter/ folder (a GGUF adapter is for the llama.cpp engine)")
    r = int(json.loads(cfg_path.read_text()).get("r", 8))
    for rank in LORA_RANKS:
        if rank >= r:
            return rank
    raise GenerationError(f"the adapter's rank r={r} is above the largest vLLM takes ({LORA_RANKS[-1]})")


class _AdapterIds:
    """One LoRARequest per adapter directory, numbered from 1 (vLLM's ids must be positive and
    unique per engine); shared by every view of one engine."""

    def __init__(self):
        self._ids: dict[str, int] = {}
        self._lock = threading.Lock()

    def request(self, adapter_dir: str | Path):
        from vllm.lora.request import LoRARequest

        path = str(Path(adapter_dir).resolve())
        with self._lock:
            n = self._ids.setdefault(path, len(self._ids) + 1)
        return LoRARequest(f"adapter-{n}", n, path)


class VllmBackend(HfTokenizer):
    default_concurrency = DEFAULT_CONCURRENCY  # requests in flight become one engine batch (core.concurrent)

    def __init__(self, model_dir: str | Path, adapter: str | Path | None = None, name: str | None = None,
                 dtype: str = "auto", gpu_memory_utilization: float = 0.85, max_model_len: int | None = None,
                 tensor_parallel_size: int = 1, enable_lora: bool | None = None, max_lora_rank: int | None = None,
                 max_loras: int = 4, max_batch: int = 256, **engine_args):
        vllm = import_vllm()
        require_cuda()
        from transformers import AutoTokenizer

        self.model_dir = Path(model_dir)
        self.name = name or self.model_dir.name
        self.tokenizer = AutoTokenizer.from_pretrained(str(self.model_dir))
        lora = bool(adapter) if enable_lora is None else enable_lora
        kw = dict(model=str(self.model_dir), tokenizer=str(self.model_dir), dtype=dtype,
                  gpu_memory_utilization=gpu_memory_utilization, tensor_parallel_size=tensor_parallel_size,
                  **engine_args)
        if max_model_len:
            kw["max_model_len"] = max_model_len
        if lora:
            kw.update(enable_lora=True, max_loras=max_loras,
                      max_lora_rank=max_lora_rank or (lora_rank_for(adapter) if adapter else 64))
        self._vllm = vllm
        self.llm = vllm.LLM(**kw)
        self.lora_enabled = lora
        self._batcher = Batcher(self._run_batch, max_batch=max_batch)
        self._adapters = _AdapterIds()
        self._owner = True
        self.lora = self._adapters.request(adapter) if adapter else None

    def with_adapter(self, adapter: str | Path | None) -> "VllmBackend":
        """A view of this engine whose requests carry ``adapter`` (None: the base model); the
        engine, its KV cache and its batches are shared, so base and adapters run side by side."""
        if adapter and not self.lora_enabled:
            raise GenerationError("this vLLM engine was started without LoRA; load it with an adapter or "
                                  "enable_lora=True to serve adapters per request")
        if adapter:
            lora_rank_for(adapter)  # a clear error for a folder that is not a PEFT adapter
        view = copy(self)
        view._owner = False
        view.lora = self._adapters.request(adapter) if adapter else None
        return view

    @property
    def context_length(self) -> int:
        cfg = getattr(getattr(self.llm, "llm_engine", None), "model_config", None)
        if cfg is not None and getattr(cfg, "max_model_len", None):
            return int(cfg.max_model_len)
        return int(json.loads((self.model_dir / "config.json").read_text()).get("max_position_embeddings", 32768))

    def _run_batch(self, items: list[tuple]) -> list:
        """One engine call for (prompt ids, vllm.SamplingParams, LoRARequest or None) items; outputs in order."""
        prompts = [{"prompt_token_ids": ids} for ids, _, _ in items]
        loras = [lora for _, _, lora in items]
        return self.llm.generate(prompts, [sp for _, sp, _ in items],
                                 lora_request=loras if any(loras) else None, use_tqdm=False)

    def generate(self, request: Request, params: SamplingParams, on_text: OnText | None = None) -> Result:
        t0 = time.perf_counter()
        kw = sampling_kwargs(params, hf_stop_ids(self.tokenizer, self.vocab, request.mode))
        ids = hf_prompt_ids(self.tokenizer, self.vocab, lambda: self.fim, request, self.name)
        if len(ids) + params.max_tokens > self.context_length:
            raise GenerationError(
                f"prompt ({len(ids)} tokens) + max tokens ({params.max_tokens}) exceeds the context window "
                f"({self.context_length} tokens); lower max tokens or shorten the prompt")
        if params.grammar:
            kw["structured_outputs"] = self._grammar(params.grammar)
        out = self._batcher.submit((ids, self._vllm.SamplingParams(**kw), self.lora))
        completions = [completion_from(o, params.logprobs) for o in sorted(out.outputs, key=lambda o: o.index)]
        if on_text is not None:  # the offline engine returns whole answers: each is "streamed" at the end
            for i, c in enumerate(completions):
                if c.text:
                    on_text(i, c.text)
        return Result(completions, prompt_tokens=len(ids), total_seconds=time.perf_counter() - t0, backend="vllm",
                      extra={"adapter": self.lora.lora_path if self.lora else None})

    def _grammar(self, grammar: str):
        try:
            from vllm.sampling_params import StructuredOutputsParams
        except ImportError:
            raise GenerationError("this vLLM has no structured outputs (StructuredOutputsParams, vLLM 0.12 and "
                                  f"later); {INSTALL} gives one that has, or run without the grammar") from None
        return StructuredOutputsParams(grammar=grammar)

    def close(self) -> None:
        if not self._owner:
            return
        self._batcher.close()
        self.llm = None


def completion_from(output, want_logprob: bool) -> Completion:
    """A Completion from one of vLLM's CompletionOutput (text, token_ids, finish_reason, logprobs)."""
    token_ids = list(output.token_ids)
    logprob = least = None
    if want_logprob:
        logprob = output.cumulative_logprob
        steps = [step[t].logprob for step, t in zip(output.logprobs or [], token_ids) if t in step]
        if logprob is None and steps:  # some releases fill only the per-token entries
            logprob = float(sum(steps))
        least = float(min(steps)) if steps else None
    return Completion(output.text, "length" if output.finish_reason == "length" else "stop", len(token_ids), logprob,
                      least)
