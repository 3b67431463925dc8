"""Fill-in-the-middle templates and stop tokens, detected from a tokenizer's vocabulary.

Each code-model family spells FIM with its own sentinel tokens. We never guess from the model's
name: the sentinels are looked up in the vocabulary, so a fine-tuned or renamed model still gets
the right template, and a model without them gets ``NoFimError`` instead of garbage.

Layouts (PSM = prefix, suffix, middle; SPM = suffix first, as in Bavarian et al. 2022):

    PSM: <PRE> prefix <SUF> suffix <MID>            -> model writes the middle, then an end token
    SPM: <PRE> <SUF> suffix <MID> prefix            -> same, the prefix continues straight into it

Families (token strings as they appear in the vocabulary):

    qwen2.5-coder  <|fim_prefix|> <|fim_suffix|> <|fim_middle|>   ends <|endoftext|>; repo tokens
    codegemma      <|fim_prefix|> <|fim_suffix|> <|fim_middle|>   ends <|file_separator|>, <eos>
    starcoder      <fim_prefix> <fim_suffix> <fim_middle>         ends <|endoftext|>; repo tokens in v2
    codellama      ▁<PRE> ▁<SUF> ▁<MID>                            ends ▁<EOT>
    deepseek-coder <｜fim▁begin｜> <｜fim▁hole｜> <｜fim▁end｜>       ends <|EOT|>, <｜end▁of▁sentence｜>

Qwen2.5-Coder and CodeGemma share sentinel spellings; CodeGemma is told apart by
``<|file_separator|>``, which Qwen does not have.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Collection, Iterable, Sequence

from codehone.errors import UserError


class NoFimError(UserError, ValueError):
    """The model has no fill-in-the-middle tokens, so infill would produce garbage."""


@dataclass(frozen=True)
class FimTemplate:
    family: str
    prefix: str  # sentinel token strings, exactly as in the vocabulary
    suffix: str
    middle: str
    end: tuple[str, ...]  # tokens that end a completed middle
    pad: str | None = None
    repo_name: str | None = None  # repository-level context tokens, where the family has them
    file_sep: str | None = None
    # How sentinels join the text in the prompt. CodeLlama's sentinels carry a leading "▁"
    # (a space) in the vocabulary; as text they are written "<PRE> " etc.
    text_prefix: str | None = None
    text_suffix: str | None = None
    text_middle: str | None = None

    @property
    def sentinels(self) -> tuple[str, ...]:
        return tuple(t for t in (self.prefix, self.suffix, self.middle, self.pad, self.repo_name, self.file_sep) if t)

    @property
    def stop_tokens(self) -> tuple[str, ...]:
        """Everything that must end an infill: the end tokens and any sentinel, since a model
        that starts writing a new FIM segment or file has finished the middle."""
        seen: dict[str, None] = {}
        for t in (*self.end, *self.sentinels):
            seen.setdefault(t, None)
        return tuple(seen)

    def _texts(self) -> tuple[str, str, str]:
        return (self.text_prefix or self.prefix, self.text_suffix or self.suffix, self.text_middle or self.middle)

    def psm(self, prefix: str, suffix: str) -> str:
        """The prompt text for prefix-suffix-middle infill (the layout every family supports)."""
        p, s, m = self._texts()
        return f"{p}{prefix}{s}{suffix}{m}"

    def spm(self, prefix: str, suffix: str) -> str:
        """Suffix-prefix-middle: half of codehone's FIM training data; at inference on request
        (``Request.layout``), since a base model may only know PSM."""
        p, s, m = self._texts()
        return f"{p}{s}{suffix}{m}{prefix}"

    def text(self, prefix: str, suffix: str, layout: str = "psm") -> str:
        """The prompt text in ``layout`` (psm or spm), as ``infill_ids`` lays out the ids."""
        return self.spm(prefix, suffix) if layout == "spm" else self.psm(prefix, suffix)

    def repo_header(self, repo_name: str) -> str:
        if not self.repo_name:
            raise NoFimError(f"{self.family} has no repository-level tokens")
        return f"{self.repo_name}{repo_name}\n"

    def file_header(self, path: str) -> str:
        if not self.file_sep:
            raise NoFimError(f"{self.family} has no file separator token")
        return f"{self.file_sep}{path}\n"

    def infill_ids(
        self,
        tokenize: Callable[[str], list[int]],
        token_id: Callable[[str], int],
        prefix: str,
        suffix: str,
        layout: str = "psm",
    ) -> list[int]:
        """The infill prompt as token ids, with sentinels inserted by id so that no text in the
        user's code can be mistaken for a sentinel (llama.cpp's server builds infill prompts this
        way). ``layout`` "spm" is ``spm()``'s order: the prefix last, the middle continuing it."""
        pre, suf, mid = token_id(self.prefix), token_id(self.suffix), token_id(self.middle)
        if layout == "spm":
            return [pre, suf, *tokenize(suffix), mid, *tokenize(prefix)]
        return [pre, *tokenize(prefix), suf, *tokenize(suffix), mid]


def _present(vocab: Collection[str], *tokens: str) -> bool:
    return all(t in vocab for t in tokens)


def detect_fim(vocab: Iterable[str]) -> FimTemplate | None:
    """The FIM template of a vocabulary (token strings), or None when it has no FIM tokens."""
    v = vocab if isinstance(vocab, (set, frozenset, dict)) else set(vocab)
    if _present(v, "<|fim_prefix|>", "<|fim_suffix|>", "<|fim_middle|>"):
        if "<|file_separator|>" in v:
            return FimTemplate(
                family="codegemma",
                prefix="<|fim_prefix|>", suffix="<|fim_suffix|>", middle="<|fim_middle|>",
                end=tuple(t for t in ("<|file_separator|>", "<eos>") if t in v),
                file_sep="<|file_separator|>",
            )
        return FimTemplate(
            family="qwen2.5-coder",
            prefix="<|fim_prefix|>", suffix="<|fim_suffix|>", middle="<|fim_middle|>",
            end=tuple(t for t in ("<|endoftext|>",) if t in v),
            pad="<|fim_pad|>" if "<|fim_pad|>" in v else None,
            repo_name="<|repo_name|>" if "<|repo_name|>" in v else None,
            file_sep="<|file_sep|>" if "<|file_sep|>" in v else None,
        )
    if _present(v, "<fim_prefix>", "<fim_suffix>", "<fim_middle>"):
        return FimTemplate(
            family="starcoder",
            prefix="<fim_prefix>", suffix="<fim_suffix>", middle="<fim_middle>",
            end=tuple(t for t in ("<|endoftext|>",) if t in v),
            pad="<fim_pad>" if "<fim_pad>" in v else None,
            repo_name="<repo_name>" if "<repo_name>" in v else None,
            file_sep="<file_sep>" if "<file_sep>" in v else None,
        )
    for pre, suf, mid, eot in (("▁<PRE>", "▁<SUF>", "▁<MID>", "▁<EOT>"), ("<PRE>", "<SUF>", "<MID>", "<EOT>")):
        if _present(v, pre, suf, mid):
            return FimTemplate(
                family="codellama",
                prefix=pre, suffix=suf, middle=mid,
                end=tuple(t for t in (eot,) if t in v),
                text_prefix="<PRE> ", text_suffix=" <SUF>", text_middle=" <MID>",
            )
    if _present(v, "<｜fim▁begin｜>", "<｜fim▁hole｜>", "<｜fim▁end｜>"):
        return FimTemplate(
            family="deepseek-coder",
            prefix="<｜fim▁begin｜>", suffix="<｜fim▁hole｜>", middle="<｜fim▁end｜>",
            end=tuple(t for t in ("<|EOT|>", "<｜end▁of▁sentence｜>") if t in v),
        )
    return None


def require_fim(vocab: Iterable[str], model_name: str = "this model") -> FimTemplate:
    """Like detect_fim, but a model without FIM tokens is an error that says what to do."""
    template = detect_fim(vocab)
    if template is None:
        raise NoFimError(
            f"{model_name} has no fill-in-the-middle tokens in its vocabulary, so it cannot infill; "
            "use a code model trained for FIM (e.g. qwen2.5-coder-0.5b-instruct) or chat/completion mode"
        )
    return template


# Chat turn terminators by family, looked up in the vocabulary like the FIM sentinels.
_CHAT_END_TOKENS = ("<|im_end|>", "<|eot_id|>", "<end_of_turn>", "<|EOT|>", "<|end|>", "<｜end▁of▁sentence｜>")
_DOC_END_TOKENS = ("<|endoftext|>", "</s>", "<eos>", "<|end_of_text|>", "<｜end▁of▁sentence｜>")


def stop_tokens_for(mode: str, vocab: Collection[str], eos: str | None = None) -> tuple[str, ...]:
    """Token strings that end generation in a mode ("chat", "complete" or "infill").

    chat ends on the turn terminator (Qwen: <|im_end|>) or end of document; completion ends on end
    of document; infill ends on the FIM end token or any sentinel (Qwen also stops on <|file_sep|>).
    """
    out: dict[str, None] = {}
    if eos:
        out[eos] = None
    if mode == "chat":
        for t in _CHAT_END_TOKENS + _DOC_END_TOKENS:
            if t in vocab:
                out[t] = None
    elif mode == "complete":
        for t in _DOC_END_TOKENS:
            if t in vocab:
                out[t] = None
        fim = detect_fim(vocab)
        if fim and fim.file_sep:
            out[fim.file_sep] = None
    elif mode == "infill":
        for t in require_fim(vocab).stop_tokens:
            out[t] = None
    else:
        raise ValueError(f"unknown mode {mode!r}; use chat, complete or infill")
    return tuple(out)


def token_ids(tokens: Sequence[str], vocab: dict[str, int]) -> list[int]:
    return [vocab[t] for t in tokens if t in vocab]
