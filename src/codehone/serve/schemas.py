"""Request bodies of the server's routes, and the OpenAI-style error every failure answers with.

Models are strict (a string where a number belongs is a 400, not a silent coercion) but ignore
unknown fields: editors send many llama.cpp options (``cache_prompt``, ``samplers``, ...) that have
no meaning here, and refusing them would break those editors. Options that would change the
answer and that we cannot honour (log-probabilities per token, echo, penalties) are refused with
a message instead of being ignored.

Everything a hostile client controls is bounded here, before any work is queued: every text field
is valid Unicode (a lone surrogate, which JSON's ``\\ud800`` escape can carry, cannot be encoded
for the tokenizer), every number is finite and in a range the backends can take (``top_k`` 2**70
would overflow llama.cpp's int32), and every list has a length cap. Prompt length against the
context window is checked in ``limits.py``, which needs the tokenizer.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

MAX_STOP = 16  # stop strings per request
MAX_STOP_CHARS = 1000  # per stop string: the text stream holds back this much while it matches
MAX_MESSAGES = 4096  # chat messages (each costs template tokens: more could never fit a context)
MAX_EXTRA_CHUNKS = 128  # llama.cpp input_extra chunks (llama.vscode and llama.vim send 16 by default)
MAX_NAME_CHARS = 1024  # model names, file names, roles and other short strings
INT32_MAX = 2**31 - 1  # top_k goes to llama.cpp as an int32
SEED_RANGE = (-(2**63), 2**64 - 1)  # what torch and llama.cpp (masked to 32 bits) can take
MAX_TIME_MS = 24 * 3600 * 1000

_SURROGATE = re.compile("[\ud800-\udfff]")


def _unicode(v: str) -> str:
    if not v.isascii():
        m = _SURROGATE.search(v)
        if m:
            raise ValueError(f"contains a lone surrogate (U+{ord(m.group()):04X}) at character {m.start()}, "
                             "which is not valid Unicode; send text as UTF-8")
    return v


# Every string a client sends: valid Unicode (see the module doc).
Text = Annotated[str, AfterValidator(_unicode)]
Name = Annotated[str, Field(max_length=MAX_NAME_CHARS), AfterValidator(_unicode)]
Stop = Annotated[str, Field(max_length=MAX_STOP_CHARS), AfterValidator(_unicode)]
Seed = Annotated[int, Field(ge=SEED_RANGE[0], le=SEED_RANGE[1])]


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
    # allow_inf_nan=False: JSON as Python reads it accepts NaN and Infinity; no sampling value may be either.
    model_config = ConfigDict(strict=True, extra="ignore", allow_inf_nan=False)


class _Sampling(_Body):
    model: Optional[Name] = None
    temperature: float = Field(1.0, ge=0, le=2)
    top_p: float = Field(1.0, gt=0, le=1)
    top_k: int = Field(0, ge=0, le=INT32_MAX)  # not OpenAI's, but vLLM and llama.cpp accept it
    n: int = Field(1, ge=1, le=16)
    seed: Optional[Seed] = None
    stop: Union[Stop, list[Stop], None] = None
    stream: bool = False
    stream_options: Optional[dict[str, Any]] = None
    presence_penalty: float = 0.0
    frequency_penalty: float = 0.0
    user: Optional[Name] = None

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
    prompt: Union[Text, list[Text]]
    suffix: Optional[Text] = None  # present: infill (fill-in-the-middle) between prompt and suffix
    max_tokens: int = Field(16, ge=1, le=INT32_MAX)  # OpenAI's default
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
    type: Name
    text: Optional[Text] = None


class ChatMessage(_Body):
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: Union[Text, Annotated[list[ContentPart], Field(max_length=MAX_MESSAGES)], None] = None

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
    messages: list[ChatMessage] = Field(min_length=1, max_length=MAX_MESSAGES)
    max_tokens: Optional[int] = Field(None, ge=1, le=INT32_MAX)
    max_completion_tokens: Optional[int] = Field(None, ge=1, le=INT32_MAX)
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
    filename: Name = "tmp"
    text: Text = ""


class _LlamaSampling(_Body):
    """llama.cpp's names and defaults (its server's /completion and /infill)."""

    model: Optional[Name] = None
    n_predict: int = Field(-1, ge=-1, le=INT32_MAX)  # -1: until the model stops (capped by the server)
    temperature: float = Field(0.8, ge=0, le=2)
    top_p: float = Field(0.95, gt=0, le=1)
    top_k: int = Field(40, ge=0, le=INT32_MAX)
    seed: Optional[Seed] = None
    stop: list[Stop] = Field(default_factory=list, max_length=MAX_STOP)
    stream: bool = False
    t_max_predict_ms: int = Field(0, ge=0, le=MAX_TIME_MS)  # after this long, stop at the next new line
    response_fields: Optional[Annotated[list[Name], Field(max_length=64)]] = None

    @field_validator("seed")
    @classmethod
    def _seed(cls, v):
        return None if v is not None and v < 0 else v  # llama.cpp: -1 is a random seed


class InfillRequest(_LlamaSampling):
    input_prefix: Text = ""
    input_suffix: Text = ""
    input_extra: list[ExtraChunk] = Field(default_factory=list, max_length=MAX_EXTRA_CHUNKS)
    prompt: Text = ""  # llama.vim sends the cursor line's text here; it continues the prefix
    postprocess: Optional[bool] = None


class LlamaCompletionRequest(_LlamaSampling):
    prompt: Text
