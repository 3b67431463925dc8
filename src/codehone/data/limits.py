"""The longest example, in tokens: one default for the data step and the trainer.

``codehone data`` writes no example longer than ``seq_len`` tokens and records the value in
``data_card.json`` (``options.seq_len``); ``codehone train`` with no ``seq_len`` of its own trains at
that recorded length (as Axolotl's one ``sequence_len`` governs both tokenizing and training).
Two separate defaults (2048 here, 512 in the trainer) once dropped 76% of a FIM set with one log
line (issue 16). Importing this module costs nothing: the trainer's settings read it for ``--help``.
"""

from __future__ import annotations

# 2048: a FIM example keeps a function's worth of context on each side of the hole, and on the
# development CPU a packed 2048-token row trains at the same tokens/s as a 512 one (the demo's
# rows, docs/benchmarks.d/train.md).
DEFAULT_SEQ_LEN = 2048


def built_seq_len(card: dict) -> int | None:
    """The length a data set was built for, from its card; None for a card that does not say."""
    value = (card.get("options") or {}).get("seq_len")
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None
