"""transformers backend (+ optional PEFT adapter): Hugging Face directories, evaluation in training.

Slow on a CPU (about 3.6 tokens/s in fp32 for the 0.5B) but it runs exactly the weights that
training produces, so it is the reference that the GGUF export is checked against.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from codehone.backends.hf_prompt import HfTokenizer, prompt_ids as hf_prompt_ids, stop_ids as hf_stop_ids
from codehone.backends.base import Completion, GenerationError, OnText, Request, Result, SamplingParams
from codehone.backends.textstream import TextAssembler


def load_peft_adapter(model, adapter_dir: str | Path):
    """Wrap ``model`` with a PEFT adapter; an adapter for another base is a clear error."""
    from peft import PeftModel

    adapter_dir = Path(adapter_dir)
    if not (adapter_dir / "adapter_config.json").exists():
        raise GenerationError(f"{adapter_dir} is not a PEFT adapter (no adapter_config.json); give the adapter/ folder of a training run")
    try:
        return PeftModel.from_pretrained(model, str(adapter_dir))
    except (RuntimeError, ValueError, KeyError) as e:
        raise GenerationError(
            f"the adapter {adapter_dir} does not fit this base model (it was made for another one): {str(e).splitlines()[0][:200]}"
        ) from None


class TransformersBackend(HfTokenizer):
    def __init__(self, model_dir: str | Path, adapter: str | Path | None = None, dtype: str = "float32",
                 name: str | None = None, model=None, tokenizer=None):
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        self.model_dir = Path(model_dir) if model_dir else None
        self.name = name or (self.model_dir.name if self.model_dir else "model")
        self.tokenizer = tokenizer or AutoTokenizer.from_pretrained(str(model_dir))
        if model is None:
            model = AutoModelForCausalLM.from_pretrained(str(model_dir), dtype=getattr(torch, dtype))
        if adapter:
            model = load_peft_adapter(model, adapter)
        self.model = model.eval()
        self._lock = threading.Lock()

    @property
    def context_length(self) -> int:
        cfg = self.model.config
        return int(getattr(cfg, "max_position_embeddings", None) or self.tokenizer.model_max_length)

    def prompt_ids(self, request: Request) -> list[int]:
        return hf_prompt_ids(self.tokenizer, self.vocab, lambda: self.fim, request, self.name)

    def stop_ids(self, mode: str) -> list[int]:
        return hf_stop_ids(self.tokenizer, self.vocab, mode)

    def generate(self, request: Request, params: SamplingParams, on_text: OnText | None = None) -> Result:
        import torch

        params.validate()
        if params.grammar:
            raise GenerationError("grammar-constrained decoding needs the llama.cpp backend (a GGUF model, engine "
                                  "llama.cpp); the transformers backend cannot follow a GBNF grammar")
        t0 = time.perf_counter()
        ids = self.prompt_ids(request)
        if len(ids) + params.max_tokens > self.context_length:
            raise GenerationError(
                f"prompt ({len(ids)} tokens) + max tokens ({params.max_tokens}) exceeds the context window "
                f"({self.context_length} tokens); lower max tokens or shorten the prompt"
            )
        stop_ids = self.stop_ids(request.mode)
        device = next(self.model.parameters()).device
        input_ids = torch.tensor([ids], device=device)
        sample = params.temperature > 0
        kwargs = dict(
            max_new_tokens=params.max_tokens, do_sample=sample, num_return_sequences=params.n,
            eos_token_id=stop_ids, pad_token_id=self.tokenizer.pad_token_id or stop_ids[0],
            return_dict_in_generate=True, output_scores=params.logprobs,
        )
        if sample:
            kwargs.update(temperature=params.temperature, top_p=params.top_p, top_k=params.top_k or None)
        if any(params.stop):  # stop decoding at a stop string, as llama.cpp does, rather than decode to the cap and trim
            kwargs.update(stopping_criteria=[_stop_in_generated(self.tokenizer, [s for s in params.stop if s], len(ids))])
        streamer = _Streamer(self.tokenizer, params.stop, on_text) if on_text and params.n == 1 else None
        with self._lock, torch.no_grad():
            if params.seed is not None:
                torch.manual_seed(params.seed)
            out = self.model.generate(input_ids, attention_mask=torch.ones_like(input_ids), streamer=streamer, **kwargs)
        seqs = out.sequences[:, len(ids):]
        token_logprobs = None
        if params.logprobs:
            token_logprobs = self.model.compute_transition_scores(out.sequences, out.scores, normalize_logits=True)
        completions = []
        stop_set = set(stop_ids)
        for i, row in enumerate(seqs.tolist()):
            n_tok, finish = len(row), "length"
            for j, t in enumerate(row):
                if t in stop_set:
                    n_tok, finish = j + 1, "stop"
                    break
            text_tokens = row[: n_tok - 1] if finish == "stop" else row[:n_tok]
            asm = TextAssembler(params.stop)
            asm.feed(self.tokenizer.decode(text_tokens, skip_special_tokens=False).encode("utf-8"))
            asm.finish()
            if asm.stopped:
                finish = "stop"
            lp = least = None
            if token_logprobs is not None:
                lp = float(token_logprobs[i, :n_tok].sum())
                least = float(token_logprobs[i, :n_tok].min()) if n_tok else 0.0
            completions.append(Completion(asm.text, finish, n_tok, lp, least))
            if on_text and streamer is None:
                on_text(i, asm.text)
        if streamer is not None:
            streamer.flush()
        return Result(completions, prompt_tokens=len(ids), total_seconds=time.perf_counter() - t0, backend="transformers")

    def close(self) -> None:
        self.model = None


def _stop_in_generated(tokenizer, stops: list[str], prompt_len: int):
    """A stopping criterion that looks at the generated text only. transformers' own ``stop_strings``
    also matches a stop string that begins in the prompt (a prompt ending in ":" and a stop of ":::"
    stop after two generated colons), which llama.cpp never does."""
    import torch
    from transformers import StoppingCriteria

    class StopInGenerated(StoppingCriteria):
        def __call__(self, input_ids, scores, **kwargs):
            texts = tokenizer.batch_decode(input_ids[:, prompt_len:], skip_special_tokens=False)
            return torch.tensor([any(s in t for s in stops) for t in texts], dtype=torch.bool, device=input_ids.device)

    return StopInGenerated()


class _Streamer:
    """Feeds decoded text of sample 0 to ``on_text`` as tokens arrive (transformers' streamer protocol)."""

    def __init__(self, tokenizer, stop, on_text: OnText):
        self.tokenizer, self.on_text = tokenizer, on_text
        self.asm = TextAssembler(stop)
        self.ids: list[int] = []
        self.sent = ""
        self.first = True

    def put(self, value) -> None:
        if self.first:  # the first call carries the prompt
            self.first = False
            return
        self.ids += value.flatten().tolist()
        text = self.tokenizer.decode(self.ids, skip_special_tokens=True)
        if text.endswith("\ufffd"):  # half a character: wait for the rest
            return
        delta, self.sent = text[len(self.sent):], text
        if delta:
            out = self.asm.feed(delta.encode("utf-8"))
            if out:
                self.on_text(0, out)

    def end(self) -> None:
        pass

    def flush(self) -> None:
        out = self.asm.finish()
        if out:
            self.on_text(0, out)
