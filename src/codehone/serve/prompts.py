"""Prompts the server builds itself: editor context (``input_extra``) and default token limits.

Editors send chunks of other files (``input_extra``: ``[{"filename", "text"}]``) to give the model
the context of the repository. Models with repository tokens (Qwen2.5-Coder, StarCoder2) were
trained on exactly this layout, which llama.cpp's server also uses:

    <|repo_name|>myproject\\n<|file_sep|>a.py\\n...text...<|file_sep|>filename\\n
    <|fim_prefix|>prefix<|fim_suffix|>suffix<|fim_middle|>

The sentinels must be real special tokens, so this prompt goes to the backend as a raw completion
(which parses special tokens in the text) rather than as an infill (which does not). That would let
a sentinel written in the user's code act as one, so when any text contains something sentinel-like
we fall back to plain-text snippets (llama.cpp's "--- snippet ---" layout) inside the prefix.
Either way the latest chunks are kept first and older ones dropped to fit the context window.
Everything here runs on the worker thread: tokenizing the context is not free.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import Sequence

from codehone.backends.base import Backend, Request, SamplingParams

REPO_NAME = "myproject"  # what llama.cpp's server calls the repository; models only need a name
CURRENT_FILE = "filename"
SNIPPET = "\n\n--- snippet ---\n\n"
_SUSPECT = ("<|", "|>", "<fim", "<PRE>", "<SUF>", "<MID>", "<file_sep>", "<repo_name>", "<｜")


@lru_cache(maxsize=512)
def _count(backend: Backend, text: str) -> int:
    # Chunks repeat from keystroke to keystroke; counting them again would cost every request.
    return backend.count_tokens(text)


def with_extra(backend: Backend, request: Request, params: SamplingParams,
               extra: Sequence[tuple[str, str]]) -> Request:
    """The infill request with the editor's other-file chunks in front (see the module doc)."""
    fim = getattr(backend, "fim", None)
    if not extra or fim is None:  # remote backends do not expose their template: send no extra
        return request
    prefix, suffix = request.prefix, request.suffix
    texts = [prefix, suffix, *(n for n, _ in extra), *(t for _, t in extra)]
    clean = not any(s in t for t in texts for s in _SUSPECT)
    budget = backend.context_length - params.max_tokens - _count(backend, prefix) - _count(backend, suffix) - 16
    kept: list[str] = []
    for name, text in reversed(extra):  # latest first: editors append the most relevant last
        if clean and fim.file_sep:
            piece = fim.file_header(name) + text + ("" if text.endswith("\n") else "\n")
        else:
            piece = SNIPPET + text
        cost = _count(backend, piece)
        if cost > budget:
            break
        budget -= cost
        kept.append(piece)
    kept.reverse()
    if not kept:
        return request
    if clean and fim.file_sep:
        head = (fim.repo_header(REPO_NAME) if fim.repo_name else "") + "".join(kept) + fim.file_header(CURRENT_FILE)
        return Request.complete(head + fim.text(prefix, suffix, request.layout))
    return Request.infill("".join(kept) + SNIPPET + prefix, suffix, request.layout)


def fit_max_tokens(backend: Backend, request: Request, params: SamplingParams, wanted: int) -> SamplingParams:
    """For requests that set no limit: ``wanted`` tokens, or what the context has left if less."""
    tokens = getattr(backend, "prompt_tokens", None)
    if tokens is None:
        return replace(params, max_tokens=wanted)
    left = backend.context_length - len(tokens(request))
    return replace(params, max_tokens=max(1, min(wanted, left)))
