"""Examples from the data stage's files, as token ids and next-token targets with loss masks.

Reads ``RUN_DIR/data/{train,valid}.jsonl`` (schema in ``codehone.data``) once ``data_card.json``
says the set is complete. Where the loss goes (``targets[t]`` is the id to predict after
``ids[t]``, or -100 for no loss):

    fim       every token except the FIM / repository sentinels (Refact): the model learns the
              code around the hole too, but never to emit ``<|fim_middle|>`` and friends
    lm        every token except the repository sentinels
    instruct  only the assistant's answers and the turn terminator after each (``<|im_end|>``):
              the question is context, not something to imitate

Special strings (``<|fim_prefix|>``, ``<|im_end|>``...) are split out of the text and encoded by id,
the rule the data stage counts tokens with, so a row's ``tokens`` field equals our length exactly
when the tokenizer is the one that built the data. ``check_tokenizer`` uses that to refuse data
built for another model: the card's name alone cannot tell (a GGUF's converted tokenizer lives at
another path than the one the data stage loaded).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from codehone.core.fim import detect_fim
from codehone.core.rundir import RunDir
from codehone.data.limits import built_seq_len
from codehone.runs import read_jsonl
from codehone.train import TrainError

IGNORE = -100
_CHECK_ROWS = 64  # rows re-counted to check the tokenizer
# Share of the training rows that may be dropped as longer than seq_len (with a line saying so);
# more and train refuses: 76% of a FIM set once went with one log line (issue 16).
MAX_DROPPED = 0.10


@dataclass
class Example:
    ids: np.ndarray  # [T] int64 token ids
    targets: np.ndarray  # [T] int64: the id to predict after ids[t], or IGNORE

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def n_targets(self) -> int:
        return int((self.targets != IGNORE).sum())


def read_card(data_dir: str | Path) -> dict:
    data_dir = Path(data_dir)
    run = RunDir(data_dir)
    if not run.is_complete("data"):
        what = "is not a directory" if not data_dir.is_dir() else "has no data_card.json (no complete data set)"
        raise TrainError(f"{data_dir} {what}; build one with `codehone data SOURCE --out {data_dir}` first")
    return json.loads(run.data_card.read_text(encoding="utf-8"))


def read_split(data_dir: str | Path, split: str, kinds: list[str]) -> list[dict]:
    path = RunDir(data_dir).split(split)
    if not path.exists():
        raise TrainError(f"{path} is missing; rebuild the data with `codehone data`")
    rows = [r for r in read_jsonl(path) if r.get("kind") in kinds]
    if not rows:
        raise TrainError(f"{path} has no examples of kind {', '.join(kinds)}; use a bigger source, "
                         f"other kinds (kinds=fim,lm,instruct), or a smaller valid/test share (--split)")
    return rows


class Encoder:
    """Text -> token ids with special strings by id; knows which ids never carry loss."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer
        vocab = tokenizer.get_vocab()
        self.template = detect_fim(vocab)
        found = set(self.template.stop_tokens if self.template else ())
        found.update(getattr(tokenizer, "all_special_tokens", []) or [])
        found.update(tokenizer.get_added_vocab())
        specials = sorted((s for s in found if len(s) >= 3 and s.startswith("<") and s.endswith(">") and s in vocab),
                          key=lambda s: (-len(s), s))
        self.special_ids = {s: vocab[s] for s in specials}
        self.split_re = re.compile("|".join(re.escape(s) for s in specials)) if specials else None
        # Sentinels are structure, not content: no loss on predicting them.
        self.no_loss_ids = {vocab[s] for s in (self.template.sentinels if self.template else ()) if s in vocab}
        self.backend = getattr(tokenizer, "backend_tokenizer", None)

    def _encode_texts(self, texts: list[str]) -> list[list[int]]:
        if not texts:
            return []
        if self.backend is not None:
            return [e.ids for e in self.backend.encode_batch(texts, add_special_tokens=False)]
        return self.tokenizer(texts, add_special_tokens=False)["input_ids"]

    def encode_segments(self, docs: list[list[tuple[str, bool]]]) -> list[tuple[list[int], list[bool]]]:
        """Each doc is [(text, labelled), ...]; returns (ids, labelled-per-token) per doc.
        All plain text of all docs goes to the tokenizer in one batch (the slow part)."""
        plan: list[list[tuple[int | None, int, bool]]] = []  # (special id or None, text index, labelled)
        texts: list[str] = []
        for doc in docs:
            steps = []
            for text, labelled in doc:
                last = 0
                for m in (self.split_re.finditer(text) if self.split_re else ()):
                    if m.start() > last:
                        texts.append(text[last : m.start()])
                        steps.append((None, len(texts) - 1, labelled))
                    steps.append((self.special_ids[m.group()], -1, labelled))
                    last = m.end()
                if last < len(text):
                    texts.append(text[last:])
                    steps.append((None, len(texts) - 1, labelled))
            plan.append(steps)
        encoded = self._encode_texts(texts)
        out = []
        for steps in plan:
            ids: list[int] = []
            lab: list[bool] = []
            for special, ti, labelled in steps:
                piece = [special] if special is not None else encoded[ti]
                ids += piece
                lab += [labelled] * len(piece)
            out.append((ids, lab))
        return out

    def segments(self, row: dict) -> list[tuple[str, bool]]:
        """A row as (text, labelled) pieces."""
        if row["kind"] in ("fim", "lm"):
            return [(row["text"], True)]
        if row["kind"] != "instruct":
            raise TrainError(f"unknown example kind {row['kind']!r} in the data; rebuild it with this codehone")
        return self._chat_segments(row["messages"])

    def _chat_segments(self, messages: list[dict]) -> list[tuple[str, bool]]:
        tok = self.tokenizer
        if not getattr(tok, "chat_template", None):
            raise TrainError("the data has instruction examples but the base model's tokenizer has no chat template; "
                             "train on kinds=fim,lm or use an instruct model")
        text = tok.apply_chat_template(messages, tokenize=False)
        # Find each answer in the rendered text, in order, and label it plus the terminator that
        # the template puts right after it (<|im_end|> for Qwen): the model must learn to stop.
        pieces, cursor = [], 0
        for m in messages:
            if m["role"] != "assistant" or not m["content"]:
                continue
            start = text.find(m["content"], cursor)
            if start < 0:
                raise TrainError("the chat template rewrites assistant messages, so their tokens cannot be found; "
                                 "train on kinds=fim,lm")
            end = start + len(m["content"])
            if self.split_re is not None and (term := self.split_re.match(text, end)):
                end = term.end()
            pieces += [(text[cursor:start], False), (text[start:end], True)]
            cursor = end
        pieces.append((text[cursor:], False))
        return [p for p in pieces if p[0]]

    def examples(self, rows: list[dict], seq_len: int) -> tuple[list[Example], dict]:
        """Examples of at most seq_len tokens, and counts of what did not fit."""
        encoded = self.encode_segments([self.segments(r) for r in rows])
        out, stats = [], {"rows": len(rows), "dropped_too_long": 0, "longest_dropped": 0, "lm_split": 0, "no_targets": 0}
        for row, (ids, labelled) in zip(rows, encoded):
            ids_a = np.asarray(ids, dtype=np.int64)
            lab = np.asarray(labelled, dtype=bool) & ~np.isin(ids_a, list(self.no_loss_ids))
            # targets[t] = ids[t+1] where token t+1 is labelled; the last token predicts nothing.
            targets = np.full(len(ids_a), IGNORE, dtype=np.int64)
            targets[:-1] = np.where(lab[1:], ids_a[1:], IGNORE)
            if len(ids_a) > seq_len:
                if row["kind"] != "lm":
                    stats["dropped_too_long"] += 1  # cutting a FIM or chat example loses its answer
                    stats["longest_dropped"] = max(stats["longest_dropped"], len(ids_a))
                    continue
                stats["lm_split"] += 1
                pieces = [(ids_a[i : i + seq_len], targets[i : i + seq_len].copy()) for i in range(0, len(ids_a), seq_len)]
                for _, t in pieces[:-1]:
                    t[-1] = IGNORE  # the next window's first token is not visible from this one
            else:
                pieces = [(ids_a, targets)]
            for i, t in pieces:
                if (t != IGNORE).any():
                    out.append(Example(i, t))
                else:
                    stats["no_targets"] += 1
        return out, stats

    def check_tokenizer(self, card: dict, rows: list[dict], base_name: str) -> None:
        """Refuse data whose token counts say it was built with another tokenizer."""
        want = (self.template.family if self.template else None)
        have = card.get("tokenizer", {}).get("fim_template")
        built = card.get("tokenizer", {}).get("name", "?")
        if have != want:
            raise TrainError(f"the data was built for {built} (FIM template {have or 'none'}) but the base {base_name} "
                             f"has FIM template {want or 'none'}; rebuild the data with --model {base_name}")
        sample = [r for r in rows[:_CHECK_ROWS] if isinstance(r.get("tokens"), int)]
        if not sample:
            return
        ours = [len(ids) for ids, _ in self.encode_segments([self.segments(r) for r in sample])]
        theirs = [r["tokens"] for r in sample]
        off = sum(abs(a - b) for a, b in zip(ours, theirs)) / max(1, sum(theirs))
        if off > 0.01:
            raise TrainError(f"the data was tokenized with another tokenizer ({built}) than the base {base_name}'s "
                             f"(token counts differ by {off:.0%}); rebuild the data with --model {base_name}")


def check_dropped(stats: dict, seq_len: int, card: dict) -> str | None:
    """Refuse a run that would drop more than MAX_DROPPED of its training rows as longer than
    ``seq_len`` (``stats`` from ``Encoder.examples``, ``card`` the data's); for fewer, the line
    that says how many went (None when none did)."""
    dropped, rows, built_for = stats["dropped_too_long"], stats["rows"], built_seq_len(card)
    if not dropped:
        return None
    share = dropped / max(1, rows)
    if share <= MAX_DROPPED:
        return f"{dropped} of {rows} training rows ({share:.1%}) are longer than seq_len={seq_len} and were dropped"
    fits = built_for if built_for and built_for > seq_len else stats.get("longest_dropped") or 2 * seq_len
    built = f"the data was built for rows of up to {built_for} tokens" if built_for else "the data has longer rows"
    raise TrainError(f"{dropped} of {rows} training rows ({share:.0%}) are longer than seq_len={seq_len} and would be "
                     f"dropped ({built}); either rebuild the data for this length (`codehone data SOURCE --seq-len "
                     f"{seq_len}`) or train at a length that fits them (seq_len={fits}, or leave seq_len unset to "
                     "use the data's own)")
