"""The ``blocks-safety`` benchmark (``copilot/bench/safety.jsonl``, hand-written and held out; see
``safety.md`` next to it) and how the rules layer scores on it; ``blocks-safety-lang``
(``safety_lang.jsonl``, the same kind of set in Spanish, French, German and Portuguese, see
``safety_lang.md``; ``safety_lang_2.jsonl``, a second set of the same kind, see ``safety_lang_2.md``;
``safety_lang_3.jsonl``, a third, the held-out test set from session 13 on, see ``safety_lang_3.md``:
sets 1 and 2 are development sets) scored per language with the screen the copilot commands use
(:func:`codehone.blocks.languages.screen.screen_request`)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

from codehone.blocks.safety.check import CATEGORIES, Verdict, check_request

SAFETY_SET = Path(__file__).resolve().parents[1] / "copilot" / "bench" / "safety.jsonl"
SAFETY_LANG_SET = SAFETY_SET.with_name("safety_lang.jsonl")  # seen: the development set from here on
SAFETY_LANG_SET_2 = SAFETY_SET.with_name("safety_lang_2.jsonl")  # the held-out test set (safety_lang_2.md)
# the held-out test set from session 13 on (safety_lang_3.md); sets 1 and 2 are development sets
SAFETY_LANG_SET_3 = SAFETY_SET.with_name("safety_lang_3.jsonl")  # scored once in session 13, then development
# The fourth, held-out set (session 14; en, es, fr, de, pt): safety_lang_4.md. Never a training row.
SAFETY_LANG_SET_4 = SAFETY_SET.with_name("safety_lang_4.jsonl")
# The fifth, held-out set (session 15; en, es, fr, de, pt): safety_lang_5.md. Never a training row.
SAFETY_LANG_SET_5 = SAFETY_SET.with_name("safety_lang_5.jsonl")
# The sixth, held-out set (session 16; en, es, fr, de, pt): safety_lang_6.md. Never a training row.
SAFETY_LANG_SET_6 = SAFETY_SET.with_name("safety_lang_6.jsonl")
# The seventh, held-out set (session 17; en, es, fr, de, pt): safety_lang_7.md. Never a training row.
SAFETY_LANG_SET_7 = SAFETY_SET.with_name("safety_lang_7.jsonl")
# The eighth, held-out set (session 18; en, es, fr, de, pt): safety_lang_8.md. Never a training row.
SAFETY_LANG_SET_8 = SAFETY_SET.with_name("safety_lang_8.jsonl")
# The ninth, held-out set (session 18; en, es, fr, de, pt): safety_lang_9.md. Never a training row.
SAFETY_LANG_SET_9 = SAFETY_SET.with_name("safety_lang_9.jsonl")
# The tenth, held-out set (session 20; en, es, fr, de, pt): safety_lang_10.md. Never a training row.
SAFETY_LANG_SET_10 = SAFETY_SET.with_name("safety_lang_10.jsonl")
# The eleventh set (session 20; en, es, fr, de, pt): safety_lang_11.md; scored blind once in session 21,
# a development set since (classifier.DEV_SETS). Never a training row of the copilot.
SAFETY_LANG_SET_11 = SAFETY_SET.with_name("safety_lang_11.jsonl")
# The twelfth set (session 21; en, es, fr, de, pt): safety_lang_12.md; scored blind once in session 21,
# a development set since session 22 (classifier.DEV_SETS). Never a training row of the copilot.
SAFETY_LANG_SET_12 = SAFETY_SET.with_name("safety_lang_12.jsonl")
# The thirteenth, held-out set (session 22; en, es, fr, de, pt): safety_lang_13.md. Never a training row.
SAFETY_LANG_SET_13 = SAFETY_SET.with_name("safety_lang_13.jsonl")
# The fourteenth, held-out set (session 22, after set 13; en, es, fr, de, pt): safety_lang_14.md. Never a training row.
SAFETY_LANG_SET_14 = SAFETY_SET.with_name("safety_lang_14.jsonl")
# The fifteenth, held-out set (session 22, after set 14; en, es, fr, de, pt): safety_lang_15.md. Never a training row.
SAFETY_LANG_SET_15 = SAFETY_SET.with_name("safety_lang_15.jsonl")
# The sixteenth, held-out set (session 22, after set 15; en, es, fr, de, pt): safety_lang_16.md. Never a training row.
SAFETY_LANG_SET_16 = SAFETY_SET.with_name("safety_lang_16.jsonl")


def safety_lang_sets() -> dict[int, Path]:
    """Every multilingual safety set in the package by its number (1 is ``safety_lang.jsonl``, n is
    ``safety_lang_n.jsonl``), found on disk: a set written later is kept out of the training data
    and can be scored (benchmarks/bench_safety_set3.py) as soon as its file is there."""
    found = {1: SAFETY_LANG_SET} if SAFETY_LANG_SET.exists() else {}
    for path in SAFETY_SET.parent.glob("safety_lang_*.jsonl"):
        number = path.stem.removeprefix("safety_lang_")
        if number.isdigit():
            found[int(number)] = path
    return dict(sorted(found.items()))


def load_safety_set(path: Path = SAFETY_SET) -> list[dict]:
    """The rows: ``id``, ``prompt``, ``label`` (safe/unsafe), ``category``."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def score_rules(rows: list[dict], level: str = "standard", repeat: int = 5,
                check: Callable[[str, str], Verdict] = check_request) -> dict:
    """Per category: unsafe refused or steered, safe refused (and steered), and the time one
    request's check takes (best of ``repeat`` per request, so the figure is the check's cost
    rather than the machine's other jobs). ``check(text, level)`` is the English rules by default."""
    by_cat = {c: {"unsafe": 0, "unsafe_refused": 0, "unsafe_steered": 0, "safe": 0, "safe_refused": 0,
                  "safe_steered": 0} for c in CATEGORIES}
    times, misses, over, refused_as = [], [], [], {}
    for row in rows:
        best = float("inf")
        for _ in range(repeat):
            t0 = time.perf_counter()
            verdict = check(row["prompt"], level)
            best = min(best, time.perf_counter() - t0)
        times.append(best * 1000)
        c = by_cat[row["category"]]
        label = row["label"]
        c[label] += 1
        if verdict.action == "refuse":
            c[f"{label}_refused"] += 1
        elif verdict.action == "redirect":
            c[f"{label}_steered"] += 1
        if label == "unsafe" and verdict.action == "allow":
            misses.append(row["id"])
        if label == "safe" and verdict.action == "refuse":
            over.append(row["id"])
            refused_as[row["id"]] = verdict.category
    for c in by_cat.values():
        c["unsafe_caught_pct"] = round(100 * (c["unsafe_refused"] + c["unsafe_steered"]) / max(1, c["unsafe"]), 1)
        c["safe_refused_pct"] = round(100 * c["safe_refused"] / max(1, c["safe"]), 1)
    unsafe = sum(c["unsafe"] for c in by_cat.values())
    safe = sum(c["safe"] for c in by_cat.values())
    times.sort()
    return {
        "level": level,
        "unsafe": unsafe, "safe": safe,
        "unsafe_caught_pct": round(100 * (unsafe - len(misses)) / max(1, unsafe), 1),
        "safe_refused_pct": round(100 * len(over) / max(1, safe), 1),
        "safe_steered": sum(c["safe_steered"] for c in by_cat.values()),
        "ms_p50": round(times[len(times) // 2], 3), "ms_p95": round(times[int(len(times) * 0.95)], 3),
        "ms_max": round(times[-1], 3),
        "by_category": by_cat, "unsafe_missed": misses, "safe_refused": over, "safe_refused_as": refused_as,
    }


def score_languages(rows: list[dict], level: str = "standard", repeat: int = 5,
                    check: Callable[[str, str], Verdict] | None = None) -> dict:
    """:func:`score_rules` per ``language`` of the rows and over all of them, with the screen that
    ``blocks generate``, ``fix`` and ``tutor`` run before the model (``check``, by default
    :func:`codehone.blocks.languages.screen.screen_request`)."""
    if check is None:
        from codehone.blocks.languages.screen import screen_request as check
    languages = sorted({r["language"] for r in rows}, key=[r["language"] for r in rows].index)
    return {"level": level, "all": score_rules(rows, level, repeat, check),
            "languages": {lang: score_rules([r for r in rows if r["language"] == lang], level, repeat, check)
                          for lang in languages}}
