"""How ``blocks-lang`` is judged (``bench/lang.jsonl``, hand-written and held out; ``lang.md`` says
how): the task's behaviour check, as for ``blocks``, and then the language of what the program says
(:func:`codehone.blocks.languages.speech.check_language`). The summary adds each language's pass
rate next to English's on the same tasks, with a 95% interval for that gap, and the seed's example.
"""

from __future__ import annotations

import random

from codehone.blocks.copilot.evaluate import score
from codehone.blocks.languages.detect import COVERED
from codehone.blocks.languages.speech import check_language

__all__ = ["gap_interval", "language_summary", "score_lang"]

GAP_DRAWS = 2000  # bootstrap resamples of the tasks: enough for a 95% interval to the nearest point


def score_lang(task: dict, text: str, finish_reason: str = "stop") -> tuple[dict, dict | None]:
    """(result row, trace or None): ``score`` and, on a program that ran, the language check; a
    program that behaves but speaks another language fails, and the row says which check failed."""
    row, trace = score(task, text, finish_reason)
    row.update(language=task["language"], concept=task.get("concept", task["task_id"]),
               behaviour_ok=row["status"] == "passed", language_ok=None)
    if trace is None:
        return row, trace
    said = check_language(trace, task["language"], task.get("answers", ()))
    row.update(language_ok=said.ok, language_detail=said.detail)
    if row["status"] == "passed" and not said.ok:
        row.update(status="failed", detail=f"behaves as asked, but {said.detail}")
    return row, trace


def language_summary(rows: list[dict]) -> dict:
    """Per language: tasks, passed, behaviour passed, language passed, pass rate, and the points
    behind English on the same concepts; the seed's row apart."""
    english = {r["concept"]: r["status"] == "passed" for r in rows if r["language"] == "en" and r["family"] != "seed"}
    out: dict = {"languages": {}}
    for lang in COVERED:
        mine = [r for r in rows if r["language"] == lang and r["family"] != "seed"]
        if not mine:
            continue
        passed = sum(r["status"] == "passed" for r in mine)
        entry = {"tasks": len(mine), "passed": passed, "pass_rate": round(passed / len(mine), 4),
                 "behaviour_passed": sum(bool(r["behaviour_ok"]) for r in mine),
                 "language_passed": sum(bool(r["language_ok"]) for r in mine)}
        shared = [r for r in mine if r["concept"] in english]
        if lang != "en" and shared:
            mine_rate = sum(r["status"] == "passed" for r in shared) / len(shared)
            en_rate = sum(english[r["concept"]] for r in shared) / len(shared)
            entry["points_behind_english"] = round(100 * (en_rate - mine_rate), 1)
            pairs = [(english[r["concept"]], r["status"] == "passed") for r in shared]
            entry["points_behind_english_95"] = list(gap_interval(pairs))
        out["languages"][lang] = entry
    seed = [r for r in rows if r["family"] == "seed"]
    if seed:
        out["seed"] = {"status": seed[0]["status"], "detail": seed[0]["detail"], "program": seed[0].get("program", "")}
    return out


def gap_interval(pairs: list[tuple[bool, bool]], draws: int = GAP_DRAWS, seed: int = 0) -> tuple[float, float]:
    """The 95% interval of English's pass rate minus another language's, in points, by a paired
    bootstrap over the tasks: ``pairs`` holds (English passed, the other passed) per task. Why: with
    40-odd tasks a language one task is 2.3 points, so a gap of 9.3 and one of 11.6 can be the same
    model; the interval says how far a gap is from the 10-point line."""
    if not pairs:
        raise ValueError("no tasks to compare: each pair is (English passed, the other language passed)")
    diffs = [int(en) - int(other) for en, other in pairs]
    rng = random.Random(seed)
    n = len(diffs)
    gaps = sorted(100 * sum(rng.choices(diffs, k=n)) / n for _ in range(draws))
    return round(gaps[int(0.025 * draws)], 1), round(gaps[int(0.975 * draws) - 1], 1)
