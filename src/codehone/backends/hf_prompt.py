"""Prompt ids and stop ids from a Hugging Face tokenizer: what the transformers and vLLM backends
send to their models, so both run the exact same prompt for a request.

chat renders the tokenizer's own chat template (a trailing assistant message is a prefill the
model continues, chat.py); complete encodes the prompt as is; infill lays out the model's FIM
template with the sentinels inserted by id (core/fim.py), so no text in the user's code can pass
for a sentinel.
"""

from __future__ import annotations

from functools import cached_property
from typing import Callable

from codehone.backends.base import GenerationError, Request
from codehone.backends.chat import split_prefill, template_refused
from codehone.core.fim import FimTemplate, require_fim, stop_tokens_for


def prompt_ids(tokenizer, vocab: dict[str, int], fim: Callable[[], FimTemplate], request: Request,
               name: str) -> list[int]:
    """The token ids of ``request``'s prompt. ``fim()`` gives the model's FIM template (or raises
    NoFimError); it is called for infill only, so a model without FIM tokens still chats."""
    request.validate()
    if request.mode == "chat":
        if not tokenizer.chat_template:
            raise GenerationError(f"{name} has no chat template; use completion mode or a chat model")
        from jinja2 import TemplateError

        turns, prefill = split_prefill(request.messages)
        try:
            text = tokenizer.apply_chat_template(turns, tokenize=False, add_generation_prompt=True) + prefill
        except TemplateError as e:
            raise template_refused(e) from None
        return tokenizer.encode(text, add_special_tokens=False)
    if request.mode == "complete":
        return tokenizer.encode(request.prompt)
    return fim().infill_ids(lambda t: tokenizer.encode(t, add_special_tokens=False), lambda t: vocab[t],
                          request.prefix, request.suffix, request.layout)


def stop_ids(tokenizer, vocab: dict[str, int], mode: str) -> list[int]:
    """Token ids that end generation in ``mode`` (core/fim.py's stop tokens, plus EOS outside infill)."""
    ids = [vocab[t] for t in stop_tokens_for(mode, vocab, tokenizer.eos_token) if t in vocab]
    if mode != "infill" and tokenizer.eos_token_id is not None and tokenizer.eos_token_id not in ids:
        ids.append(tokenizer.eos_token_id)
    return ids


class HfTokenizer:
    """The vocabulary, FIM template and token count of a backend holding a Hugging Face
    ``tokenizer`` and a ``name`` (the transformers and vLLM backends share these)."""

    tokenizer: object
    name: str

    @cached_property
    def vocab(self) -> dict[str, int]:
        return self.tokenizer.get_vocab()

    @cached_property
    def fim(self) -> FimTemplate:
        return require_fim(self.vocab, self.name)

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer.encode(text, add_special_tokens=False))
