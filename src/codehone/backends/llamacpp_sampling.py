"""Drawing tokens inside llama.cpp: sampler chains, GBNF grammars, log-probabilities.

A sampler chain per sequence (top-k, top-p, temperature, seeded draw; or greedy) draws from the
logits llama.cpp left at a batch row. A grammar is used the way llama.cpp's common/sampling.cpp
does: draw from the plain chain first and ask the grammar about that one token; only if it is
rejected, mask the whole vocabulary with the grammar and draw again. Masking 151,936 candidates
costs milliseconds per step; most steps never pay it. Log-probabilities come from the same logits,
in numpy.
"""

from __future__ import annotations

import ctypes
import os
from functools import cached_property

import llama_cpp as C
import numpy as np

from codehone.backends.base import GenerationError, SamplingParams
from codehone.backends.llamacpp_setup import c_stderr_of


def sampler_chain(params: SamplingParams, index: int):
    """The chain for sample ``index`` of a request (its seed is the request's seed + index); caller frees it."""
    chain = C.llama_sampler_chain_init(C.llama_sampler_chain_default_params())
    if params.temperature <= 0:
        C.llama_sampler_chain_add(chain, C.llama_sampler_init_greedy())
        return chain
    if params.top_k > 0:
        C.llama_sampler_chain_add(chain, C.llama_sampler_init_top_k(params.top_k))
    if params.top_p < 1.0:
        C.llama_sampler_chain_add(chain, C.llama_sampler_init_top_p(params.top_p, 1))
    C.llama_sampler_chain_add(chain, C.llama_sampler_init_temp(params.temperature))
    seed = (params.seed if params.seed is not None else int.from_bytes(os.urandom(4), "little")) + index
    C.llama_sampler_chain_add(chain, C.llama_sampler_init_dist(seed & 0xFFFFFFFF))
    return chain


def compile_grammar(vocab_p, grammar: str):
    """A llama.cpp grammar sampler for GBNF text (root rule ``root``); caller frees it.

    Raises GenerationError with llama.cpp's own parse message when the text is not valid GBNF.
    """
    g = C.llama_sampler_init_grammar(vocab_p, grammar.encode("utf-8"), b"root")
    if g:
        return g
    # llama.cpp prints why to the C stderr; compile again with it captured, for the message.
    again, detail = c_stderr_of(lambda: C.llama_sampler_init_grammar(vocab_p, grammar.encode("utf-8"), b"root"))
    if again:  # a sampler after all; nothing to report
        C.llama_sampler_free(again)
    detail = " ".join(line.strip() for line in detail.splitlines() if line.strip() and "::=" not in line)
    raise GenerationError(f"the grammar is not valid GBNF ({detail or 'llama.cpp could not parse it'}); write it "
                          "in llama.cpp's GBNF format (see its grammars/README.md) with a start rule named root")


def grammar_allows(grammar, token: int) -> bool:
    """Ask the grammar about one token (cheap: one candidate, not the vocabulary)."""
    one = (C.llama_token_data * 1)()
    one[0].id, one[0].logit, one[0].p = token, 1.0, 0.0
    arr = C.llama_token_data_array(one, 1, -1, False)
    C.llama_sampler_apply(grammar, ctypes.byref(arr))
    return arr.data[0].logit != float("-inf")


def log_normalizer(logits: np.ndarray) -> float:
    """log sum exp(logits), stable (the max subtracted first): logits[t] minus it is t's log-probability."""
    m = float(logits.max())
    return m + float(np.log(np.exp(logits - m).sum()))


def logprob_of(logits: np.ndarray, token: int) -> float:
    """log softmax(logits)[token]; logits [n_vocab]."""
    return float(logits[token]) - log_normalizer(logits)


class TokenSampler:
    """Draws from one context's logits, by batch row; knows which tokens end generation or are controls."""

    def __init__(self, ctx, vocab_p, n_vocab: int):
        self._ctx, self._vocab_p, self._n_vocab = ctx, vocab_p, n_vocab

    def logits(self, row: int) -> np.ndarray:
        """The logits llama.cpp left at batch ``row``, as a view; shape [n_vocab]."""
        return np.ctypeslib.as_array(C.llama_get_logits_ith(self._ctx, row), shape=(self._n_vocab,))

    def logprob(self, row: int, token: int) -> float:
        return logprob_of(self.logits(row), token)

    @cached_property
    def eog_ids(self) -> frozenset[int]:
        return frozenset(i for i in range(self._n_vocab) if C.llama_vocab_is_eog(self._vocab_p, i))

    @cached_property
    def _candidate_ids(self) -> np.ndarray:
        return np.arange(self._n_vocab, dtype=np.int32)

    @cached_property
    def _control_ids(self) -> np.ndarray:
        """Special tokens that do not end generation (<|im_start|>, <|fim_prefix|>, ...). The grammar
        reads them as their literal text, but they print as nothing, so under a grammar they are
        never drawn: the text would not be what the grammar checked."""
        return np.array([i for i in range(self._n_vocab)
                         if C.llama_vocab_is_control(self._vocab_p, i) and i not in self.eog_ids], dtype=np.int64)

    @cached_property
    def control_set(self) -> frozenset[int]:
        return frozenset(self._control_ids.tolist())

    def sample(self, chain, grammar, row: int) -> int:
        tok = C.llama_sampler_sample(chain, self._ctx, row)
        if grammar is None or (tok not in self.control_set and grammar_allows(grammar, tok)):
            return tok
        return self._sample_masked(chain, grammar, row)

    def _masked(self, grammar, row: int) -> tuple[np.ndarray, "C.llama_token_data_array"]:
        """Row ``row``'s candidates with every token the grammar rejects (and every control token) at -inf."""
        cand = np.empty(self._n_vocab, dtype=[("id", np.int32), ("logit", np.float32), ("p", np.float32)])
        cand["id"], cand["logit"], cand["p"] = self._candidate_ids, self.logits(row), 0.0
        cand["logit"][self._control_ids] = -np.inf
        arr = C.llama_token_data_array(cand.ctypes.data_as(C.llama_token_data_p), self._n_vocab, -1, False)
        C.llama_sampler_apply(grammar, ctypes.byref(arr))
        return cand, arr

    def masked_logits(self, grammar, row: int) -> np.ndarray:
        """Row ``row``'s logits, -inf where the grammar (in its current state) rejects the token."""
        cand, _ = self._masked(grammar, row)
        return cand["logit"].copy()

    def _sample_masked(self, chain, grammar, row: int) -> int:
        """Mask every token the grammar rejects, then draw with the chain; -1 if none is left."""
        cand, arr = self._masked(grammar, row)
        C.llama_sampler_apply(chain, ctypes.byref(arr))
        chosen = arr.data[arr.selected]
        return -1 if chosen.logit == float("-inf") else int(chosen.id)
