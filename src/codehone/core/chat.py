"""Chat text and token counts: how a training row becomes the string the trainer sees, and how
long that string is in the model's tokens. The data stage and the blocks data both size their
rows with these, so both count the same way.

Token counts treat the special strings (the FIM template's sentinels and the tokenizer's markup
tokens such as ``<|im_start|>``) as one token each, split out before the rest is tokenized: that
is how the trainer must encode them (by id, as ``FimTemplate.infill_ids`` does), whether or not a
given tokenizer happens to match them inside text.
"""

from __future__ import annotations

import re


def chat_text(tokenizer, messages: list[dict]) -> str:
    """The text of ``messages`` ([{"role", "content"}, ...]) as the model reads it: the
    tokenizer's chat template if it has one, ChatML if its vocabulary has ``<|im_start|>``,
    otherwise the contents separated by blank lines."""
    if getattr(tokenizer, "chat_template", None):
        return tokenizer.apply_chat_template(messages, tokenize=False)
    if "<|im_start|>" in tokenizer.get_vocab():
        return "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages)
    return "\n\n".join(m["content"] for m in messages)


def special_strings(tokenizer, template=None) -> list[str]:
    """Strings that must be one token each: the template's sentinels (``template.stop_tokens``,
    a FIM template or None) and the tokenizer's special/added tokens that look like markup
    (``<|...|>``, ``<fim_prefix>``). Longest first, so a regex alternation matches greedily."""
    found = set(template.stop_tokens if template else ())
    found.update(getattr(tokenizer, "all_special_tokens", []) or [])
    try:
        found.update(tokenizer.get_added_vocab())
    except AttributeError:
        pass
    return sorted((s for s in found if len(s) >= 3 and s.startswith("<") and s.endswith(">")), key=lambda s: (-len(s), s))


class TokenCounter:
    """Token counts of many texts, special strings counted as one token each (see module doc).

    The pieces between special strings of all texts go to the tokenizer as one batch (the fast
    tokenizer's ``encode_batch`` where there is one): tokenizing is the data stage's main cost."""

    def __init__(self, tokenizer, specials: list[str]):
        self.tokenizer = tokenizer
        self.split = re.compile("|".join(re.escape(s) for s in specials)) if specials else None
        self.backend = getattr(tokenizer, "backend_tokenizer", None)

    def _encode_lengths(self, pieces: list[str]) -> list[int]:
        if not pieces:
            return []
        if self.backend is not None:
            return [len(e) for e in self.backend.encode_batch(pieces, add_special_tokens=False)]
        return [len(ids) for ids in self.tokenizer(pieces, add_special_tokens=False)["input_ids"]]

    def count(self, texts: list[str]) -> list[int]:
        pieces, owner, totals = [], [], [0] * len(texts)
        for i, text in enumerate(texts):
            last = 0
            if self.split is not None:
                for m in self.split.finditer(text):
                    if m.start() > last:
                        pieces.append(text[last : m.start()])
                        owner.append(i)
                    totals[i] += 1
                    last = m.end()
            if last < len(text):
                pieces.append(text[last:])
                owner.append(i)
        for i, n in zip(owner, self._encode_lengths(pieces)):
            totals[i] += n
        return totals

    def count_chats(self, rows: list[list[dict]]) -> list[int]:
        """Token counts of chat rows (message lists), each rendered by ``chat_text``."""
        return self.count([chat_text(self.tokenizer, m) for m in rows])
