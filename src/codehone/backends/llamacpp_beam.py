"""Beam search in llama.cpp: the ``width`` likeliest completions of one prompt, best first.

For answers that are wanted *ranked* rather than drawn: the next-block skill's top 3 is the three
likeliest block lines, and drawing five samples at temperature 1 to find them (the other way,
``SamplingParams.n``) costs several times a greedy answer on a CPU, because a sample the grammar
rejects is drawn again over the whole masked vocabulary, and samples wander into long unlikely
lines. Here every step extends each live beam by its likeliest tokens that the grammar allows and
keeps the ``width`` best of all extensions (summed log-probability under the model, as
``SamplingParams.logprobs`` reports; a text spelled again in other tokens is not kept, else one
block line would fill the beam three times); a beam that ends (a stop token) is set aside, and the search
stops when ``width`` ended beams are better than every live one: a live beam's log-probability can
only fall, so none of them could still overtake (the answer is exact for the beam).

KV cache: the prompt is evaluated once into sequence 0 (reusing the previous request's common
prefix, as ``generate`` does) and stays there for the next request. The live beams are sequences
1..w: a beam's first child grows in its parent's sequence, another child gets a free one with the
parent's cells copied in (``llama_memory_seq_cp`` copies cell ownership, not data), a beam with no
child frees its own; each step decodes one token per live beam as one batch, so a step costs about what one token does: a CPU decode is bound by reading the weights.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

import llama_cpp as C
import numpy as np

from codehone.backends.base import Completion, GenerationError, Request, Result, SamplingParams
from codehone.backends.llamacpp_sampling import grammar_allows, log_normalizer

__all__ = ["CANDIDATES", "beam_search"]

CANDIDATES = 16  # a beam's extensions come from its 16 likeliest tokens; only if the grammar allows none, from all


@dataclass
class _Beam:
    tokens: list[int]
    text: bytes  # what the tokens spell: two beams that spell the same are one (the likelier is kept)
    logprob: float
    grammar: object | None  # this beam's own grammar state (a llama.cpp sampler), None without a grammar
    seq: int  # the KV-cache sequence holding its tokens
    row: int  # the batch row holding the logits after its last token


def beam_search(backend, request: Request, params: SamplingParams, width: int,
                check: Callable[[], None] | None = None) -> Result:
    """The ``width`` likeliest completions of ``request`` under ``params.grammar`` (if any), best
    first. Temperature, top-p, top-k, seed and n are not used; ``max_tokens`` caps each beam.
    ``check`` (optional) runs before the prompt and before each step; raise from it to stop (a
    server's job cancelled: the studio stops a guess so a child's request goes first)."""
    params.validate()
    if width < 1:
        raise GenerationError(f"beam width must be at least 1, got {width}")
    if width + 1 > backend.n_seq_max:
        raise GenerationError(f"a beam of width {width} needs {width + 1} sequences, the backend has "
                              f"{backend.n_seq_max}; load it with n_seq_max >= {width + 1} or use a narrower beam")
    if params.stop:
        raise GenerationError("beam search takes no stop strings: end the answer with a grammar or a stop token")
    stop_ids = backend.stop_ids(request.mode)
    t0 = time.perf_counter()
    grammar = backend.compile_grammar(params.grammar) if params.grammar else None
    try:
        with backend._lock:
            backend.threads.before_request(backend._ctx)
            prompt = backend.prompt_tokens(request)
            if not prompt:
                raise GenerationError("empty prompt: it produced no tokens")
            if len(prompt) + params.max_tokens > backend.context_length:
                raise GenerationError(f"prompt ({len(prompt)} tokens) + max tokens ({params.max_tokens}) exceeds the "
                                      f"context window ({backend.context_length} tokens); lower max tokens")
            tp = time.perf_counter()
            cached = backend.last_cached_tokens = backend._eval_prompt(prompt, check)
            prompt_seconds = time.perf_counter() - tp
            ended = _search(backend, len(prompt), params.max_tokens, width, stop_ids, grammar, check)
            backend._cached = prompt
    finally:
        if grammar is not None:
            C.llama_sampler_free(grammar)
    completions = [Completion(backend.detokenize(tokens[:-1] if finish == "stop" else tokens), finish, len(tokens), lp)
                   for lp, tokens, finish in ended]
    return Result(completions, prompt_tokens=len(prompt), prompt_seconds=prompt_seconds, cached_tokens=cached,
                  total_seconds=time.perf_counter() - t0, backend="llama.cpp", extra={"beam": width})


def _search(backend, n_prompt: int, max_tokens: int, width: int, stop_ids: set[int], grammar,
            check: Callable[[], None] | None = None) -> list[tuple]:
    """(log-probability, tokens, finish reason) of the best ``width`` beams, best first."""
    start = C.llama_sampler_clone(grammar) if grammar is not None else None
    live = [_Beam([], b"", 0.0, start, 0, backend._last_index)]
    ended: list[tuple] = []
    spelled: set[bytes] = set()  # the texts of the ended beams
    reached: set[bytes] = set()  # every text a live beam has spelled so far, at any step
    try:
        for step in range(max_tokens):
            if check is not None:
                check()
            chosen = _step(backend, live, width, stop_ids, ended, (spelled, reached))
            ended.sort(key=lambda e: -e[0])
            if not chosen or (len(ended) >= width and ended[width - 1][0] >= chosen[0][0]):
                break  # nothing left that could still beat the ended beams
            if step == max_tokens - 1:  # cut off: these beams end unfinished
                ended += [(s, live[i].tokens + [tok], "length") for s, i, tok in chosen]
                break
            live = _advance(backend, live, chosen, width, n_prompt)
        ended.sort(key=lambda e: -e[0])
        return ended[:width]
    finally:
        _free(live)
        for seq in range(1, width + 1):
            C.llama_memory_seq_rm(backend._mem, seq, -1, -1)


def _step(backend, live: list[_Beam], width: int, stop_ids: set[int], ended: list[tuple],
          texts: tuple[set[bytes], set[bytes]]) -> list[tuple[float, int, int]]:
    """The ``width`` best allowed extensions of all live beams: those that end go to ``ended``, the
    others, (score, beam, token) best first, are returned to go on.

    The beams' likeliest tokens are walked best score first and asked to the grammar one by one
    until ``width`` are allowed: at most steps the grammar allows one token, the model agrees, and
    a step asks it ``width`` times. Only a beam whose every looked-at token was walked past (so a
    token it did not look at could still rank) is looked at in full, a masked pass over the vocabulary.
    An ended beam counts against the width: a beam that ranks below ``width`` ended ones now can
    only fall further, so it could never make the answer."""
    sampling = backend._sampling
    tops = [_likeliest(sampling.logits(b.row)) for b in live]
    walk = sorted(((b.logprob + lp, i, tok) for i, b in enumerate(live) for tok, lp in tops[i][0]), reverse=True)
    picked = _pick(backend, live, walk, width, stop_ids, texts)
    worst = picked[-1][0] if len(picked) == width else -np.inf
    redo = {i for i, b in enumerate(live) if b.grammar is not None and b.logprob + tops[i][1] > worst}
    if redo:
        walk = [w for w in walk if w[1] not in redo] + [
            (live[i].logprob + lp, i, tok) for i in redo for tok, lp in _allowed(sampling, live[i], width, tops[i][2])]
        picked = _pick(backend, live, sorted(walk, reverse=True), width, stop_ids, texts)
    chosen = []
    for score, i, tok in picked:
        if tok in stop_ids:
            texts[0].add(live[i].text)
            ended.append((score, live[i].tokens + [tok], "stop"))
        else:
            texts[1].add(live[i].text + backend.piece(tok))
            chosen.append((score, i, tok))
    return chosen


def _pick(backend, live: list[_Beam], walk: list[tuple], width: int, stop_ids: set[int],
          texts: tuple[set[bytes], set[bytes]]) -> list[tuple]:
    """The first ``width`` entries of ``walk`` (best first) that their beam's grammar allows and that
    say something new. ``texts``: the texts ended so far and those live beams have spelled so far.
    A text spelled again in other tokens (now, or at another step: "erase_all" as one token, then as
    "erase_al" + "l") is not a new answer, and would fill the beam with one block three times."""
    control = backend._sampling.control_set
    spelled, reached = texts
    picked, seen = [], set()
    for score, i, tok in walk:
        beam = live[i]
        key = (True, beam.text) if tok in stop_ids else (False, beam.text + backend.piece(tok))
        if key in seen or (beam.text in spelled if key[0] else key[1] in reached):
            continue
        if beam.grammar is None or (tok not in control and grammar_allows(beam.grammar, tok)):
            seen.add(key)
            picked.append((score, i, tok))
            if len(picked) == width:
                break
    return picked


def _likeliest(logits: np.ndarray) -> tuple[list[tuple[int, float]], float, float]:
    """((token, log-probability) of the CANDIDATES likeliest tokens, best first; the last one's
    log-probability, the most a token not among them can have; the logits' log normalizer)."""
    lse = log_normalizer(logits)
    top = np.argpartition(-logits, CANDIDATES)[:CANDIDATES]
    order = top[np.argsort(-logits[top])]
    found = [(int(t), float(logits[t]) - lse) for t in order]
    return found, found[-1][1], lse


def _allowed(sampling, beam: _Beam, width: int, lse: float) -> list[tuple[int, float]]:
    """(token, log-probability) of the ``width`` likeliest tokens the beam's grammar allows, from
    the whole vocabulary; ``lse``: the beam's log normalizer, from :func:`_likeliest`."""
    logits = sampling.logits(beam.row)
    masked = sampling.masked_logits(beam.grammar, beam.row)
    best = np.argsort(-masked)[:width]
    return [(int(t), float(logits[t]) - lse) for t in best if masked[t] != -np.inf]


def _advance(backend, live: list[_Beam], chosen: list[tuple], width: int, n_prompt: int) -> list[_Beam]:
    """The next beams: each chosen (score, parent, token) gets a sequence (its parent's own for the
    first child, a copy of it for the others; a parent with no child frees its), a copy of the
    parent's grammar state, and its token, decoded for all of them as one batch."""
    parents = {i for _, i, _ in chosen}
    for i, b in enumerate(live):
        if i not in parents and b.seq != 0:
            C.llama_memory_seq_rm(backend._mem, b.seq, -1, -1)
    free = sorted(set(range(1, width + 1)) - {live[i].seq for i in parents})
    taken: set[int] = set()
    beams = []
    for row, (score, i, tok) in enumerate(chosen):
        parent = live[i]
        if parent.seq != 0 and parent.seq not in taken:  # the first child grows in its parent's sequence
            seq = parent.seq
        else:
            seq = free.pop(0)
            C.llama_memory_seq_rm(backend._mem, seq, -1, -1)
            C.llama_memory_seq_cp(backend._mem, parent.seq, seq, -1, -1)
        taken.add(seq)
        g = C.llama_sampler_clone(parent.grammar) if parent.grammar is not None else None
        if g is not None:
            C.llama_sampler_accept(g, tok)
        beams.append(_Beam(parent.tokens + [tok], parent.text + backend.piece(tok), score, g, seq, row))
        backend._batch_add(row, tok, n_prompt + len(parent.tokens), (seq,), logits=True)
    _free(live)
    backend._decode(len(beams))
    return beams


def _free(beams: list[_Beam]) -> None:
    for b in beams:
        if b.grammar is not None:
            C.llama_sampler_free(b.grammar)
            b.grammar = None
