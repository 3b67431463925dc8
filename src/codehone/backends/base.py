"""The one generation protocol every backend speaks.

A request is one of three modes: ``chat`` (a list of messages, rendered with the model's own chat
template), ``complete`` (a raw prompt continued as is) and ``infill`` (prefix and suffix, rendered
with the model's fill-in-the-middle template). Sampling options are shared by all backends;
``n`` asks for several samples of the same prompt, which the llama.cpp backend decodes as one
batch over a shared prompt cache.

Results carry token counts and timings so that every stage can report throughput honestly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Literal, Protocol, Sequence, runtime_checkable

from codehone.errors import UserError

Mode = Literal["chat", "complete", "infill"]
FIM_LAYOUTS = ("psm", "spm")


def check_layout(layout: str) -> str:
    """``layout`` if it is an infill layout, else a GenerationError that names the choices."""
    if layout not in FIM_LAYOUTS:
        raise GenerationError(f"unknown infill layout {layout!r}; use {' or '.join(FIM_LAYOUTS)}")
    return layout

# Called as tokens arrive: (sample index, new text). Text is whole UTF-8 characters and never
# contains a stop string, so it can go straight to a terminal or an SSE stream.
OnText = Callable[[int, str], None]


class GenerationError(UserError, RuntimeError):
    """A request the backend cannot serve; the message says what was wrong and how to fix it."""


@dataclass
class Request:
    mode: Mode
    messages: Sequence[dict] = ()  # chat: [{"role": "user", "content": "..."}]
    prompt: str = ""  # complete
    prefix: str = ""  # infill
    suffix: str = ""  # infill
    # infill layout: "psm" (prefix, suffix, middle: what every FIM model knows) or "spm" (suffix
    # first, then the prefix, which the middle continues). SPM puts the text an editor changes on
    # every keystroke at the end of the prompt, so consecutive requests share all but their last
    # tokens with the cached prompt (fim.py); only for models trained on it (codehone's FIM data is
    # half SPM), which `codehone eval --fim-layout spm` on the infilling benchmarks measures.
    layout: str = "psm"

    @classmethod
    def chat(cls, messages: Sequence[dict] | str) -> "Request":
        if isinstance(messages, str):
            messages = [{"role": "user", "content": messages}]
        return cls(mode="chat", messages=list(messages))

    @classmethod
    def complete(cls, prompt: str) -> "Request":
        return cls(mode="complete", prompt=prompt)

    @classmethod
    def infill(cls, prefix: str, suffix: str = "", layout: str = "psm") -> "Request":
        return cls(mode="infill", prefix=prefix, suffix=suffix, layout=layout)

    def validate(self) -> None:
        if self.mode == "chat":
            if not self.messages or not any(str(m.get("content", "")).strip() for m in self.messages):
                raise GenerationError("empty prompt: give at least one chat message with some text")
        elif self.mode == "complete":
            if not self.prompt:
                raise GenerationError("empty prompt: completion needs some text to continue")
        elif self.mode == "infill":
            if not self.prefix and not self.suffix:
                raise GenerationError("empty prompt: infill needs a prefix or a suffix")
            check_layout(self.layout)
        else:
            raise GenerationError(f"unknown mode {self.mode!r}; use chat, complete or infill")


@dataclass
class SamplingParams:
    max_tokens: int = 256
    temperature: float = 0.0  # 0 means greedy
    top_p: float = 1.0
    top_k: int = 0  # 0 means off
    seed: int | None = None
    stop: Sequence[str] = ()  # extra stop strings, on top of the mode's stop tokens
    n: int = 1
    logprobs: bool = False  # fill Completion.logprob (sum of chosen tokens' log-probabilities)
    # GBNF grammar (llama.cpp's format) the output must follow; backends that cannot constrain
    # decoding raise GenerationError rather than silently ignore it.
    grammar: str | None = None

    def validate(self) -> None:
        if self.max_tokens < 1:
            raise GenerationError(f"max tokens must be at least 1, got {self.max_tokens}")
        if self.n < 1:
            raise GenerationError(f"n must be at least 1, got {self.n}")
        if self.temperature < 0:
            raise GenerationError(f"temperature must be >= 0, got {self.temperature}")
        if not 0 < self.top_p <= 1:
            raise GenerationError(f"top_p must be in (0, 1], got {self.top_p}")
        if self.n > 1 and self.temperature == 0:
            raise GenerationError(f"n={self.n} samples with temperature 0 would all be the same; set a temperature > 0")


@dataclass
class Completion:
    text: str
    finish_reason: Literal["stop", "length"]
    tokens: int  # generated tokens, including the one that stopped it
    logprob: float | None = None  # sum over generated tokens (natural log), when asked for
    # the least likely generated token's log-probability, when asked for: a low one marks a fork
    # where the model's first choice had little of its belief (the blocks vote's "unsure" gate)
    min_logprob: float | None = None

    @property
    def mean_logprob(self) -> float | None:
        return None if self.logprob is None or self.tokens == 0 else self.logprob / self.tokens


@dataclass
class Result:
    completions: list[Completion]
    prompt_tokens: int
    prompt_seconds: float = 0.0  # time to evaluate the prompt (time to first token, less sampling)
    cached_tokens: int = 0  # prompt tokens reused from the previous request's KV cache, not evaluated again
    total_seconds: float = 0.0
    backend: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.completions[0].text

    @property
    def completion_tokens(self) -> int:
        return sum(c.tokens for c in self.completions)

    @property
    def decode_tokens_per_second(self) -> float:
        t = self.total_seconds - self.prompt_seconds
        return self.completion_tokens / t if t > 0 else 0.0


@runtime_checkable
class Backend(Protocol):
    name: str  # what the model is called in results and reports

    @property
    def context_length(self) -> int: ...

    @property
    def vocab(self) -> dict[str, int] | None:
        """Token string -> id, or None where the backend cannot see it (remote HTTP)."""

    def generate(self, request: Request, params: SamplingParams, on_text: OnText | None = None) -> Result: ...

    def count_tokens(self, text: str) -> int: ...

    def close(self) -> None: ...
