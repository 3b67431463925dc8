"""llama.cpp backend (through llama-cpp-python's C API): GGUF models on CPU, optional GGUF LoRA.

We use the C API rather than the high-level ``Llama`` class for one reason: n samples of one prompt.
``Llama`` makes a context for a single sequence, so n samples cost n prompt evaluations and n
separate decode loops. Here the context holds up to ``n_seq_max`` sequences in one unified KV
cache: the prompt is evaluated once in sequence 0, its cache is shared with sequences 1..n-1
(``llama_memory_seq_cp`` copies cell ownership, not data), and each decode step feeds one token per
live sequence in a single batch. On 2 CPU cores a step of 8 sequences of the 0.5B model costs
about 4x a step of one, not 8x (82 against 45 tokens/s; docs/benchmarks.md, n = 8 samples): the
step is partly compute bound here, the 151,936-way output layer included.

Sequence 0 also keeps the last prompt between calls, so a request that shares a prefix with the
previous one (the next keystroke in an editor, the same few-shot header in an evaluation) only
evaluates the new tail.

Sampling runs inside llama.cpp, a sampler chain per sequence, with a grammar sampler when
``SamplingParams.grammar`` is set (llamacpp_sampling.py). Process-wide setup (quiet logs, threads,
the extra-buffer policy) is in llamacpp_setup.py.
"""

from __future__ import annotations

import ctypes
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property
from pathlib import Path
from typing import Callable, Sequence

import llama_cpp as C
import numpy as np

from codehone.backends.base import Completion, GenerationError, OnText, Request, Result, SamplingParams
from codehone.backends.chat import render_chat, split_prefill
from codehone.backends.llamacpp_beam import beam_search
from codehone.backends.llamacpp_kept import KeptPrompt, common_prefix
from codehone.backends.llamacpp_sampling import (TokenSampler, compile_grammar, grammar_allows, logprob_of,
                                                 sampler_chain)
from codehone.backends.llamacpp_setup import RequestThreads, extra_buffers_allowed, init_backend
from codehone.backends.textstream import TextAssembler
from codehone.core.fim import FimTemplate, require_fim, stop_tokens_for
from codehone.models.gguf_info import check_gguf_file


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise GenerationError(f"{name}={value!r} is not a positive whole number; unset it or set e.g. {name}={default}")
    return int(value)


class LlamaCppBackend:
    """A GGUF model loaded in llama.cpp; thread-safe (one request at a time)."""

    def __init__(
        self,
        model_path: str | Path,
        lora_path: str | Path | None = None,
        lora_scale: float = 1.0,
        n_ctx: int | None = None,
        n_seq_max: int | None = None,
        n_batch: int = 512,
        n_threads: int | None = None,
        name: str | None = None,
    ):
        init_backend()
        self.model_path = Path(model_path)
        check_gguf_file(self.model_path)
        self.name = name or self.model_path.stem
        mparams = C.llama_model_default_params()
        mparams.n_gpu_layers = int(os.environ.get("CODEHONE_GPU_LAYERS", "0"))
        mparams.use_extra_bufts = extra_buffers_allowed()
        self._model = C.llama_model_load_from_file(str(self.model_path).encode(), mparams)
        if not self._model:
            raise GenerationError(f"llama.cpp could not load {self.model_path}; run `codehone models info {self.model_path}` to see why")
        self._vocab_p = C.llama_model_get_vocab(self._model)
        self.n_ctx_train = C.llama_model_n_ctx_train(self._model)
        # Sequences decoded at once (llama-server's --parallel): n samples of one request, or requests
        # batched by the server. 8 by default; CODEHONE_SEQ_MAX raises it, e.g. to 10 for `eval --n 10`,
        # whose samples then decode as one batch instead of 8 and then 2.
        self.n_seq_max = max(1, n_seq_max if n_seq_max is not None else _env_int("CODEHONE_SEQ_MAX", 8))
        self.n_batch = n_batch
        cparams = C.llama_context_default_params()
        cparams.n_ctx = n_ctx or min(8192, self.n_ctx_train)
        cparams.n_batch = n_batch
        cparams.n_ubatch = n_batch
        cparams.n_seq_max = self.n_seq_max
        cparams.kv_unified = True  # sequences share cells, so a shared prompt is stored once
        self.threads = RequestThreads(n_threads)  # re-checked before each request
        cparams.n_threads = cparams.n_threads_batch = self.threads.threads
        self._ctx = C.llama_init_from_model(self._model, cparams)
        if not self._ctx:
            C.llama_model_free(self._model)
            raise GenerationError(f"llama.cpp could not create a context of {cparams.n_ctx} tokens; lower n_ctx")
        self._n_ctx = C.llama_n_ctx(self._ctx)
        self._mem = C.llama_get_memory(self._ctx)
        self._batch = C.llama_batch_init(max(n_batch, self.n_seq_max), 0, self.n_seq_max)
        self._n_vocab = C.llama_vocab_n_tokens(self._vocab_p)
        self._sampling = TokenSampler(self._ctx, self._vocab_p, self._n_vocab)
        self._pool = ThreadPoolExecutor(max_workers=cparams.n_threads, thread_name_prefix="codehone-sample")
        self._cached: list[int] = []  # tokens of sequence 0 held in the KV cache
        self._kept: KeptPrompt | None = None  # a prompt kept aside in host memory (keep_prompt)
        self.last_cached_tokens = 0  # of the latest request's prompt, how many came from that cache
        self._lock = threading.Lock()
        self._lora = None
        self.lora_path = Path(lora_path) if lora_path else None
        if self.lora_path:
            self._load_lora(self.lora_path, lora_scale)

    # ----- model facts -------------------------------------------------------------------

    @property
    def context_length(self) -> int:
        return self._n_ctx

    def meta(self, key: str) -> str | None:
        buf = ctypes.create_string_buffer(1 << 16)
        n = C.llama_model_meta_val_str(self._model, key.encode(), buf, len(buf))
        if n < 0:
            return None
        if n >= len(buf):  # long values (chat templates) need a bigger buffer
            buf = ctypes.create_string_buffer(n + 1)
            C.llama_model_meta_val_str(self._model, key.encode(), buf, len(buf))
        return buf.value.decode("utf-8", "replace")

    @cached_property
    def vocab(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for i in range(self._n_vocab):
            out.setdefault(C.llama_vocab_get_text(self._vocab_p, i).decode("utf-8", "replace"), i)
        return out

    @cached_property
    def chat_template(self) -> str | None:
        t = C.llama_model_chat_template(self._model, None)
        return t.decode("utf-8", "replace") if t else None

    @cached_property
    def fim(self) -> FimTemplate:
        return require_fim(self.vocab, self.name)

    def _token_text(self, tok: int) -> str:
        return C.llama_vocab_get_text(self._vocab_p, tok).decode("utf-8", "replace") if tok >= 0 else ""

    # ----- tokens ------------------------------------------------------------------------

    def tokenize(self, text: str, add_special: bool = False, parse_special: bool = False) -> list[int]:
        data = text.encode("utf-8")
        cap = len(data) + 8
        buf = (C.llama_token * cap)()
        n = C.llama_tokenize(self._vocab_p, data, len(data), buf, cap, add_special, parse_special)
        if n < 0:
            cap = -n
            buf = (C.llama_token * cap)()
            n = C.llama_tokenize(self._vocab_p, data, len(data), buf, cap, add_special, parse_special)
        return list(buf[:n])

    def count_tokens(self, text: str) -> int:
        return len(self.tokenize(text))

    def piece(self, tok: int) -> bytes:
        buf = ctypes.create_string_buffer(64)
        n = C.llama_token_to_piece(self._vocab_p, tok, buf, len(buf), 0, False)
        if n < 0:
            buf = ctypes.create_string_buffer(-n)
            n = C.llama_token_to_piece(self._vocab_p, tok, buf, len(buf), 0, False)
        return buf.raw[:n]

    def detokenize(self, tokens: Sequence[int]) -> str:
        return b"".join(self.piece(t) for t in tokens).decode("utf-8", "replace")

    # ----- prompts -----------------------------------------------------------------------

    def prompt_tokens(self, request: Request) -> list[int]:
        request.validate()
        if request.mode == "chat":
            bos = self._token_text(C.llama_vocab_bos(self._vocab_p))
            eos = self._token_text(C.llama_vocab_eos(self._vocab_p))
            turns, prefill = split_prefill(request.messages)
            text = render_chat(self.chat_template, turns, bos, eos) + prefill
            # Templates that write the BOS themselves must not get a second one.
            add_bos = not (bos and text.startswith(bos))
            return self.tokenize(text, add_special=add_bos, parse_special=True)
        if request.mode == "complete":
            # Like llama.cpp's server: special tokens written in a raw prompt are honoured.
            return self.tokenize(request.prompt, add_special=True, parse_special=True)
        fim = self.fim
        ids = fim.infill_ids(lambda t: self.tokenize(t), lambda t: self.vocab[t], request.prefix, request.suffix,
                             request.layout)
        if C.llama_vocab_get_add_bos(self._vocab_p):
            ids.insert(0, C.llama_vocab_bos(self._vocab_p))
        return ids

    def stop_ids(self, mode: str) -> set[int]:
        ids = {self.vocab[t] for t in stop_tokens_for(mode, self.vocab, self._token_text(C.llama_vocab_eos(self._vocab_p))) if t in self.vocab}
        if mode != "infill":
            # llama.cpp's own end-of-generation set covers templates we do not know by name.
            ids |= self._sampling.eog_ids
        return ids

    # ----- LoRA --------------------------------------------------------------------------

    def _load_lora(self, path: Path, scale: float) -> None:
        check_gguf_file(path, what="LoRA adapter")
        self._lora = C.llama_adapter_lora_init(self._model, str(path).encode())
        if not self._lora:
            raise GenerationError(
                f"llama.cpp refused the adapter {path}: it was most likely made for another base model "
                f"(this base is {self.name}, {self.meta('general.architecture')}); "
                "export the adapter from a run trained on this base"
            )
        adapters = (C.llama_adapter_lora_p_ctypes * 1)(self._lora)
        scales = (ctypes.c_float * 1)(scale)
        if C.llama_set_adapters_lora(self._ctx, adapters, 1, scales) != 0:
            raise GenerationError(f"llama.cpp could not apply the adapter {path}")

    # ----- grammar ----------------------------------------------------------------------

    def compile_grammar(self, grammar: str):
        """A llama.cpp grammar sampler for GBNF text (root rule ``root``); caller frees it.

        Raises GenerationError with llama.cpp's own parse message when the text is not valid GBNF.
        """
        return compile_grammar(self._vocab_p, grammar)

    def grammar_check(self, grammar: str, text: str) -> str | None:
        """None if llama.cpp's grammar engine takes ``text`` (as this model tokenizes it) as a whole
        answer, with end-of-text allowed after it; otherwise where it stopped. For tests and tools."""
        g = self.compile_grammar(grammar)
        try:
            done = b""
            for tok in self.tokenize(text):
                if not grammar_allows(g, tok):
                    return f"rejected after {done.decode('utf-8', 'replace')!r} at {self.piece(tok)!r}"
                C.llama_sampler_accept(g, tok)
                done += self.piece(tok)
            eos = C.llama_vocab_eos(self._vocab_p)
            eos = eos if eos >= 0 else min(self._sampling.eog_ids)
            if not grammar_allows(g, eos):
                return f"incomplete: the grammar does not allow the text to end after {text[-40:]!r}"
            return None
        finally:
            C.llama_sampler_free(g)

    # ----- generation --------------------------------------------------------------------

    def _batch_add(self, i: int, token: int, pos: int, seqs: Sequence[int], logits: bool) -> None:
        b = self._batch
        b.token[i] = token
        b.pos[i] = pos
        b.n_seq_id[i] = len(seqs)
        for j, s in enumerate(seqs):
            b.seq_id[i][j] = s
        b.logits[i] = logits

    def _decode(self, n_tokens: int) -> None:
        self._batch.n_tokens = n_tokens
        rc = C.llama_decode(self._ctx, self._batch)
        if rc != 0:
            raise GenerationError(f"llama.cpp decode failed (code {rc}); the context ({self._n_ctx} tokens) may be full")

    def _eval_prompt(self, tokens: list[int], check: Callable[[], None] | None = None) -> int:
        """Bring sequence 0 to exactly ``tokens``, reusing the cached common prefix.

        Leaves the logits of the last prompt token at batch index ``self._last_index``; returns how
        many tokens came from the cache (also kept in ``last_cached_tokens``, for a caller whose
        generation ends early by raising from ``on_text`` and so never sees the Result).

        The prompt is evaluated ``n_batch`` tokens per llama_decode call; ``check`` runs before each
        call and may raise to stop (a server's client gone). The cache then holds the chunks done,
        so a retry of the same prompt resumes where this one stopped.
        """
        common = common_prefix(self._cached, tokens)
        if self._kept is not None and common_prefix(self._kept.tokens, tokens) > common:
            self._kept.restore(self._ctx, self._mem)  # milliseconds, where evaluating it again takes seconds
            self._cached = list(self._kept.tokens)
            common = common_prefix(self._cached, tokens)
        common = min(common, len(tokens) - 1)  # the last token is always evaluated, for its logits
        C.llama_memory_seq_rm(self._mem, 0, common, -1)
        for s in range(1, self.n_seq_max):
            C.llama_memory_seq_rm(self._mem, s, -1, -1)
        self._cached = tokens[:common]
        pos = common
        while pos < len(tokens):
            if check is not None:
                check()
            chunk = tokens[pos: pos + self.n_batch]
            for i, t in enumerate(chunk):
                last = pos + i == len(tokens) - 1
                self._batch_add(i, t, pos + i, (0,), logits=last)
                if last:
                    self._last_index = i
            self._decode(len(chunk))
            pos += len(chunk)
            self._cached = tokens[:pos]
        return common

    def generate(self, request: Request, params: SamplingParams, on_text: OnText | None = None,
                 check: Callable[[], None] | None = None) -> Result:
        """``check`` (optional) is called between prompt chunks and decode steps; raise from it to stop."""
        params.validate()
        stop_ids = self.stop_ids(request.mode)  # first call builds the vocabulary: not decode time
        t0 = time.perf_counter()
        grammar = self.compile_grammar(params.grammar) if params.grammar else None
        if grammar is not None:
            self._sampling.control_set  # built once, outside the timed sampling threads  # noqa: B018
        try:
            return self._generate(request, params, on_text, stop_ids, grammar, t0, check)
        finally:
            if grammar is not None:
                C.llama_sampler_free(grammar)

    def _generate(self, request: Request, params: SamplingParams, on_text: OnText | None, stop_ids: set[int],
                  grammar, t0: float, check: Callable[[], None] | None = None) -> Result:
        with self._lock:
            self.threads.before_request(self._ctx)
            prompt = self.prompt_tokens(request)
            if not prompt:
                raise GenerationError("empty prompt: it produced no tokens")
            budget = self._n_ctx - len(prompt)
            if params.max_tokens > budget:
                raise GenerationError(
                    f"prompt ({len(prompt)} tokens) + max tokens ({params.max_tokens}) exceeds the context window "
                    f"({self._n_ctx} tokens); lower max tokens or shorten the prompt"
                )
            # How many sequences fit at once: each needs its own max_tokens cells beside the shared prompt.
            group = max(1, min(self.n_seq_max, params.n, budget // params.max_tokens))
            completions: list[Completion] = []
            prompt_seconds = 0.0
            for start in range(0, params.n, group):
                idx = list(range(start, min(params.n, start + group)))
                tp = time.perf_counter()
                reused = self._eval_prompt(prompt, check)
                if start == 0:  # later groups reuse this request's own prompt: not the client's cache
                    cached = self.last_cached_tokens = reused
                prompt_seconds += time.perf_counter() - tp
                completions += self._decode_group(prompt, idx, params, stop_ids, on_text, grammar, check)
                C.llama_memory_seq_rm(self._mem, 0, len(prompt), -1)
                self._cached = prompt
        return Result(completions, prompt_tokens=len(prompt), prompt_seconds=prompt_seconds, cached_tokens=cached,
                      total_seconds=time.perf_counter() - t0, backend="llama.cpp")

    def _decode_group(self, prompt: list[int], idx: list[int], params: SamplingParams, stop_ids: set[int],
                      on_text: OnText | None, grammar=None, check: Callable[[], None] | None = None) -> list[Completion]:
        k = len(idx)
        n_prompt = len(prompt)
        for s in range(1, k):
            C.llama_memory_seq_cp(self._mem, 0, s, -1, -1)
        samplers = [sampler_chain(params, i) for i in idx]
        # One grammar state per sequence, cloned from the compiled one (cheaper than re-parsing).
        grammars = [C.llama_sampler_clone(grammar) if grammar is not None else None for _ in idx]
        texts = [TextAssembler(params.stop) for _ in idx]
        counts = [0] * k
        logprobs = [0.0] * k
        least = [0.0] * k  # the least likely token's log-probability, per sequence
        finish = ["length"] * k
        live = list(range(k))
        out_index = {s: self._last_index for s in range(k)}  # batch row holding each sequence's logits
        try:
            while live:
                if check is not None:
                    check()
                next_live: list[int] = []
                tokens: dict[int, int] = {}
                # Sampling a 151,936-way distribution (top-p sorts it) costs milliseconds per
                # sequence; ctypes releases the GIL, so the live sequences sample in parallel.
                sample = lambda s: self._sampling.sample(samplers[s], grammars[s], out_index[s])  # noqa: E731
                drawn = list(self._pool.map(sample, live)) if len(live) > 1 else [sample(live[0])]
                for s, tok in zip(live, drawn):
                    if tok < 0:  # the grammar allows no token at all here: end the sequence
                        finish[s] = "stop"
                        continue
                    counts[s] += 1
                    if params.logprobs:
                        lp = self._sampling.logprob(out_index[s], tok)
                        logprobs[s] += lp
                        least[s] = min(least[s], lp)
                    if tok in stop_ids:
                        finish[s] = "stop"
                        continue
                    if grammars[s] is not None:
                        C.llama_sampler_accept(grammars[s], tok)  # advance the grammar past this token
                    delta = texts[s].feed(self.piece(tok))
                    if delta and on_text:
                        on_text(idx[s], delta)
                    if texts[s].stopped:
                        finish[s] = "stop"
                    elif counts[s] < params.max_tokens:
                        tokens[s] = tok
                        next_live.append(s)
                if not next_live:
                    break
                for row, s in enumerate(next_live):
                    self._batch_add(row, tokens[s], n_prompt + counts[s] - 1, (s,), logits=True)
                    out_index[s] = row
                self._decode(len(next_live))
                live = next_live
        finally:
            for smp in samplers + [g for g in grammars if g is not None]:
                C.llama_sampler_free(smp)
            for s in range(1, k):
                C.llama_memory_seq_rm(self._mem, s, -1, -1)
        results = []
        for s in range(k):
            tail = texts[s].finish()
            if tail and on_text:
                on_text(idx[s], tail)
            results.append(Completion(texts[s].text, finish[s], counts[s], logprobs[s] if params.logprobs else None,
                                      least[s] if params.logprobs else None))
        return results

    def keep_prompt(self) -> int:
        """Keep the prompt now cached in sequence 0 aside (llamacpp_kept.py), so a later prompt that
        starts like it reuses its evaluation even after other prompts took its place; returns the
        bytes kept. One is kept at a time: a server keeps its most shared prompt (the studio's chat)."""
        with self._lock:
            self._kept = KeptPrompt(self._ctx, self._cached) if self._cached else None
            return self._kept.nbytes if self._kept is not None else 0

    def beam_search(self, request: Request, params: SamplingParams, width: int,
                    check: Callable[[], None] | None = None) -> Result:
        """The ``width`` likeliest completions, best first, each with its log-probability (llamacpp_beam.py);
        ``check`` as for generate."""
        return beam_search(self, request, params, width, check)

    def score_tokens(self, tokens: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """Teacher-forced pass over ``tokens``: for each position i < n-1, the model's top-1 next
        token and the log-probability it gives to tokens[i+1]. Used to check an export against
        transformers (export --verify); shapes [n-1], [n-1]."""
        tokens = list(tokens)
        if len(tokens) < 2 or len(tokens) > self._n_ctx:
            raise GenerationError(f"scoring needs 2..{self._n_ctx} tokens, got {len(tokens)}")
        top1 = np.empty(len(tokens) - 1, dtype=np.int64)
        logp = np.empty(len(tokens) - 1, dtype=np.float64)
        with self._lock:
            C.llama_memory_seq_rm(self._mem, -1, -1, -1)
            self._cached = []
            for start in range(0, len(tokens), self.n_batch):
                chunk = tokens[start: start + self.n_batch]
                for i, t in enumerate(chunk):
                    self._batch_add(i, t, start + i, (0,), logits=True)
                self._decode(len(chunk))
                for i in range(len(chunk)):
                    pos = start + i
                    if pos == len(tokens) - 1:
                        break
                    row = self._sampling.logits(i)
                    top1[pos] = int(row.argmax())
                    logp[pos] = logprob_of(row, tokens[pos + 1])
            C.llama_memory_seq_rm(self._mem, -1, -1, -1)
        return top1, logp

    def close(self) -> None:
        if getattr(self, "_ctx", None):
            C.llama_batch_free(self._batch)
            if self._lora:
                C.llama_adapter_lora_free(self._lora)
                self._lora = None
            C.llama_free(self._ctx)
            C.llama_model_free(self._model)
            self._ctx = None
            self._pool.shutdown(wait=False)

    def __del__(self):  # pragma: no cover - best effort at interpreter exit
        try:
            self.close()
        except Exception:
            pass
