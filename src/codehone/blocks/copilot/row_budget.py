"""Fit training rows to the trainer's sequence length by splitting the long ones between turns.

A row holds the system card and up to ``turns`` request/answer pairs. Plain requests make rows of
about 1.2k tokens at 16 turns, but the skill pairs carry whole programs on both sides (a buggy
program and its fix, a tutorial's steps), and 16 of them passed 2,048 tokens: the trainer then
refused the demo's data (``10 of 95 training rows are longer than seq_len=2048``). A row over the
budget is cut in two at its middle turn, each half under its own copy of the system card, until
every row fits; a single pair that alone passes the budget is left whole for the trainer to report.
Counting is by the caller's tokenizer (the trainer's own count), so "fits" means what the trainer
will see. Order is kept: the halves take the row's place.
"""

from __future__ import annotations

from typing import Callable

__all__ = ["fit_rows"]


def _halves(row: dict) -> list[dict]:
    system, turns = row["messages"][:1], row["messages"][1:]
    pairs = len(turns) // 2
    cut = 2 * (pairs // 2)
    families = row.get("families") or []
    first = {**row, "messages": system + turns[:cut], "families": families[: pairs // 2]}
    second = {**row, "messages": system + turns[cut:], "families": families[pairs // 2:]}
    return [first, second]


def fit_rows(rows: list[dict], count: Callable[[list[dict]], list[int]], budget: int) -> list[dict]:
    """``rows`` with every instruct row of more than ``budget`` tokens split between turns, in
    place of the row; each returned row carries its ``tokens``. ``count`` maps rows to their token
    counts, in order (one call for all rows, then one per split)."""
    out: list[dict] = []
    for row, n in zip(rows, count(rows) if rows else []):
        pairs = (len(row.get("messages", ())) - 1) // 2
        if n <= budget or row.get("kind") != "instruct" or pairs < 2:
            out.append({**row, "tokens": n})
        else:
            out += fit_rows(_halves(row), count, budget)
    return out
