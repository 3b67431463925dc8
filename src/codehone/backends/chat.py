"""Render chat messages with the model's own Jinja chat template.

GGUF files carry the template in ``tokenizer.chat_template``; Hugging Face tokenizers carry it in
``tokenizer_config.json`` (there we call ``apply_chat_template``). Rendering it ourselves for GGUF
models keeps the prompt byte-identical to what transformers produces, which matters when we
compare backends (export --verify) and when an adapter trained through transformers runs in
llama.cpp.
"""

from __future__ import annotations

import datetime
from functools import lru_cache
from typing import Sequence

from codehone.backends.base import GenerationError


class ChatTemplateError(GenerationError):
    """The model's own chat template cannot render these messages (a server answers 400 on ``messages``)."""


def template_refused(error: Exception) -> ChatTemplateError:
    """The error for a template that raised while rendering: Qwen's, for one, reads ``messages[0]``, so a
    chat made of a lone assistant message (a prefill with no turn before it) leaves it nothing to read."""
    return ChatTemplateError(f"the model's chat template cannot render these messages ({error}); check the roles "
                             "and their order (e.g. a lone assistant message)")


def _raise(message: str) -> None:
    raise ChatTemplateError(f"the chat template refused the messages: {message}")


@lru_cache(maxsize=8)
def _compile(template: str):
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
    env.globals["raise_exception"] = _raise
    env.globals["strftime_now"] = lambda fmt: datetime.datetime.now().strftime(fmt)
    return env.from_string(template)


def split_prefill(messages: Sequence[dict]) -> tuple[list[dict], str]:
    """A conversation ending in an assistant message asks the model to *continue* that message
    (a response prefix, as EvalPlus uses "```python\n"): render the turns before it with the
    generation prompt, then append its text. Returns (turns to render, prefill text)."""
    msgs = list(messages)
    if msgs and msgs[-1].get("role") == "assistant":
        return msgs[:-1], str(msgs[-1].get("content", ""))
    return msgs, ""


def render_chat(
    template: str | None,
    messages: Sequence[dict],
    bos_token: str = "",
    eos_token: str = "",
    add_generation_prompt: bool = True,
) -> str:
    if not template:
        raise GenerationError(
            "this model has no chat template, so chat mode cannot format a conversation; "
            "use completion mode (codehone generate --complete) or a chat model"
        )
    for i, m in enumerate(messages):
        if "role" not in m or "content" not in m:
            raise GenerationError(f"chat message {i} needs 'role' and 'content', got keys {sorted(m)}")
    from jinja2 import TemplateError

    try:
        return _compile(template).render(messages=list(messages), bos_token=bos_token, eos_token=eos_token,
                                         add_generation_prompt=add_generation_prompt)
    except TemplateError as e:  # includes a template that is not valid Jinja at all
        raise template_refused(e) from None
