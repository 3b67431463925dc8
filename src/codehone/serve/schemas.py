"""Request bodies of the server's routes, and the OpenAI-style error every failure answers with.

Models are strict (a string where a number belongs is a 400, not a silent coercion) but ignore
unknown fields: editors send many llama.cpp options (``cache_prompt``, ``samplers``, ...) that have
no meaning here, and refusing them would break those editors. Options that would change the
answer and that we cannot honour (log-probabilities per token, echo, penalties) are refused with
a message instead of being ignored.
"""

from __future__ import annotations

from typing import Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator

MAX_STOP = 16


class APIError(Exception):
    """An error answered as ``{"error": {"message", "type", "param", "code"}}`` with its status."""

    def __init__(self, status: int, message: str, type: str = "invalid_request_error", param: str | None = None,
                 code: str | None = None, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.type, self.param, self.code = status, message, type, param, code
        self.headers = headers or {}

    def body(self) -> dict:
        return error_body(self.message, self.type, self.param, self.code)


def error_body(message: str, type: str, param: str | None = None, code: str | None = None) -> dict:
    return {"error": {"message": message, "type": type, "param": param, "code": code}}


class _Body(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")


class _Sampling(_Body):
    model: Optional[str] = None
    temperature: float = Field(1.0, ge=0, le=2)
    top_p: float = Field(1.0, gt=0, le=1)
    top_k: int = Field(0, ge=0)  # not OpenAI's, but vLLM and llama.cpp accept it
    n: int = Field(1, ge=1, le=16)
    seed: Optional[int] = None
    stop: Union[str, list[str], None] = None
    stream: bool = False
    stream_options: Optional[dict[str, Any]] = None
    presence_penalty: float = 0.0
    frequency_penalty: float = 0.0
    user: Optional[str] = None

    @field_validator("stop")
    @classmethod
    def _stop_list(cls, v):
        if isinstance(v, list) and len(v) > MAX_STOP:
            raise ValueError(f"at most {MAX_STOP} stop strings")
        return v

    @field_validator("presence_penalty", "frequency_penalty")
    @classmethod
    def _no_penalty(cls, v: float) -> float:
        if v:
            raise ValueError("penalties are not supported by this server; leave them at 0")
        return v

    def stop_list(self) -> list[str]:
        return [self.stop] if isinstance(self.stop, str) else list(self.stop or [])

    @property
    def include_usage(self) -> bool:
        return bool((self.stream_options or {}).get("include_usage"))


class CompletionRequest(_Sampling):
    prompt: Union[str, list[str]]
    suffix: Optional[str] = None  # present: infill (fill-in-the-middle) between prompt and suffix
    max_tokens: int = Field(16, ge=1)  # OpenAI's default
    echo: bool = False
    logprobs: Optional[int] = None
    best_of: Optional[int] = None
    postprocess: Optional[bool] = None  # codehone: editor-style clean-up of infill (default: server's)

    @field_validator("echo")
    @classmethod
    def _no_echo(cls, v: bool) -> bool:
        if v:
            raise ValueError("echo is not supported; the prompt is yours already")
        return v

    @field_validator("logprobs", "best_of")
    @classmethod
    def _no_logprobs(cls, v):
        if v not in (None, 0, 1):
            raise ValueError("not supported by this server; leave it unset")
        return v

    def prompt_text(self) -> str:
        if isinstance(self.prompt, str):
            return self.prompt
        if len(self.prompt) == 1:
            return self.prompt[0]
        raise ValueError("one prompt per request; send a list of prompts as separate requests")


class ContentPart(_Body):
    type: str
    text: Optional[str] = None


class ChatMessage(_Body):
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: Union[str, list[ContentPart], None] = None

    def text(self) -> str:
        if self.content is None or isinstance(self.content, str):
            return self.content or ""
        parts = []
        for p in self.content:
            if p.type != "text" or p.text is None:
                raise ValueError(f"content of type {p.type!r} is not supported; this model reads text only")
            parts.append(p.text)
        return "".join(parts)


class ChatRequest(_Sampling):
    messages: list[ChatMessage] = Field(min_length=1)
    max_tokens: Optional[int] = Field(None, ge=1)
    max_completion_tokens: Optional[int] = Field(None, ge=1)
    logprobs: Optional[bool] = None

    @field_validator("logprobs")
    @classmethod
    def _no_logprobs(cls, v):
        if v:
            raise ValueError("per-token log-probabilities are not supported by this server")
        return v

    def token_limit(self, default: int) -> int:
        return self.max_completion_tokens or self.max_tokens or default

    def message_dicts(self) -> list[dict]:
        # System prompts sent as "developer" (newer OpenAI clients) mean the same to a local model.
        return [{"role": "system" if m.role == "developer" else m.role, "content": m.text()} for m in self.messages]


class ExtraChunk(_Body):
    filename: str = "tmp"
    text: str = ""


class _LlamaSampling(_Body):
    """llama.cpp's names and defaults (its server's /completion and /infill)."""

    model: Optional[str] = None
    n_predict: int = Field(-1, ge=-1)  # -1: until the model stops (capped by the server)
    temperature: float = Field(0.8, ge=0, le=2)
    top_p: float = Field(0.95, gt=0, le=1)
    top_k: int = Field(40, ge=0)
    seed: Optional[int] = None
    stop: list[str] = Field(default_factory=list, max_length=MAX_STOP)
    stream: bool = False
    t_max_predict_ms: int = Field(0, ge=0)  # after this long, stop at the next new line
    response_fields: Optional[list[str]] = None

    @field_validator("seed")
    @classmethod
    def _seed(cls, v):
        return None if v is not None and v < 0 else v  # llama.cpp: -1 is a random seed


class InfillRequest(_LlamaSampling):
    input_prefix: str = ""
    input_suffix: str = ""
    input_extra: list[ExtraChunk] = Field(default_factory=list)
    prompt: str = ""  # llama.vim sends the cursor line's text here; it continues the prefix
    postprocess: Optional[bool] = None


class LlamaCompletionRequest(_LlamaSampling):
    prompt: str
