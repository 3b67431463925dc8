"""blocks-safety-classifier: the request screen (rules + classifier) scored out of fold (issue 19).

    nice -n 19 .venv/bin/python benchmarks/bench_safety_classifier.py
    nice -n 19 .venv/bin/python benchmarks/bench_safety_classifier.py --folds 5 --repeat 3

The classifier (:mod:`codehone.blocks.safety.classifier`) is trained on the hand-written
``request_rows``, on the two development sets (``safety_lang.jsonl``, ``safety_lang_2.jsonl``) and on
plain requests of the copilot's own training data, so scoring the screen on those sets says nothing.
This scores it out of fold instead: the labelled rows (hand-written and development) are split into ``--folds`` folds (stratified by language and label, fixed seed); for each
fold a classifier is trained on the other folds and the plain requests (its threshold chosen by its own inner
cross-validation, as the shipped one is), and the whole screen
(:func:`codehone.blocks.languages.screen.screen_request`: the rules, then that fold's classifier)
judges the fold's rows. Per language and level: unsafe requests refused or steered, safe requests
refused, the same for the rules alone, and the time a request takes (best of ``--repeat``, p50/p95).
It also prints the shipped model's thresholds, its out-of-fold figures (classifier alone) and how
long training took. No language model. Writes benchmarks/results/blocks_safety_classifier.json.

Row-level folds flatter (a set's rows share their writer's style): the estimate the thresholds are
chosen from leaves one development set out instead, ``bench_safety_leave_set_out.py``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import save  # noqa: E402

from codehone.blocks.languages.screen import screen_request  # noqa: E402
from codehone.blocks.safety.classifier import (FOLDS, LANGUAGES, SEED, labelled_rows, ordinary_rows, report, train,  # noqa: E402
                                               using)

LEVELS = ("standard", "strict")


def _judge(rows: list[dict], fitted, repeat: int) -> dict[str, list[tuple[str, float]]]:  # noqa: ANN001
    """Per level, (action, best ms) of each row through the screen with ``fitted`` behind the rules."""
    out = {}
    with using(fitted):
        for level in LEVELS:
            judged = []
            for row in rows:
                best, action = float("inf"), ""
                for _ in range(repeat):
                    t0 = time.perf_counter()
                    action = screen_request(row["prompt"], level).action
                    best = min(best, time.perf_counter() - t0)
                judged.append((action, best * 1000))
            out[level] = judged
    return out


def _figures(rows: list[dict], judged: list[tuple[str, float]]) -> dict:
    """Unsafe caught (refused or steered), safe refused (%) and ms p50/p95 of ``rows``."""
    unsafe = [a for r, (a, _) in zip(rows, judged) if r["label"] == "unsafe"]
    safe = [a for r, (a, _) in zip(rows, judged) if r["label"] == "safe"]
    ms = sorted(t for _, t in judged)
    return {"unsafe": len(unsafe), "safe": len(safe),
            "unsafe_caught_pct": round(100 * sum(a != "allow" for a in unsafe) / max(1, len(unsafe)), 1),
            "safe_refused_pct": round(100 * sum(a == "refuse" for a in safe) / max(1, len(safe)), 1),
            "ms_p50": round(ms[len(ms) // 2], 3) if ms else 0.0,
            "ms_p95": round(ms[int(len(ms) * 0.95)], 3) if ms else 0.0}


def cross_validate(folds: int, repeat: int) -> dict:
    """Every training row judged by the screen with a classifier that never saw it, and by the rules alone."""
    from sklearn.model_selection import StratifiedKFold

    rows = labelled_rows()  # judged; the ordinary rows (plain requests) only ever train
    ordinary = list(ordinary_rows())
    strata = [f"{r['language']}-{r['label']}" for r in rows]
    screen = {level: [("", 0.0)] * len(rows) for level in LEVELS}
    rules = {level: [("", 0.0)] * len(rows) for level in LEVELS}
    train_seconds = []
    for train_idx, test_idx in StratifiedKFold(folds, shuffle=True, random_state=SEED + 1).split(rows, strata):
        t0 = time.perf_counter()
        fitted = train([rows[i] for i in train_idx] + ordinary)
        train_seconds.append(round(time.perf_counter() - t0, 2))
        part = [rows[i] for i in test_idx]
        for target, model in ((screen, fitted), (rules, None)):
            for level, judged in _judge(part, model, repeat).items():
                for i, j in zip(test_idx, judged):
                    target[level][i] = j
        print(f"fold {len(train_seconds)}/{folds}: trained in {train_seconds[-1]} s", flush=True)
    result = {"rows": len(rows), "folds": folds, "fold_train_seconds": train_seconds, "levels": {}}
    for level in LEVELS:
        by_lang = {}
        for lang in ("all", *LANGUAGES):
            idx = [i for i, r in enumerate(rows) if lang in ("all", r["language"])]
            pick = [rows[i] for i in idx]
            by_lang[lang] = {"screen": _figures(pick, [screen[level][i] for i in idx]),
                             "rules": _figures(pick, [rules[level][i] for i in idx])}
        result["levels"][level] = by_lang
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", type=int, default=FOLDS, help="outer cross-validation folds")
    parser.add_argument("--repeat", type=int, default=3, help="timings: best of N per request")
    args = parser.parse_args()
    folds = cross_validate(args.folds, args.repeat)
    t0 = time.perf_counter()
    shipped = report()  # trains (or loads) the shipped model
    load_seconds = round(time.perf_counter() - t0, 2)
    result = {"shipped": shipped, "shipped_load_or_train_seconds": load_seconds, **folds}
    save("blocks_safety_classifier", result)
    print(f"\nshipped model: {shipped['rows']} rows, thresholds {shipped.get('thresholds')}, trained in "
          f"{shipped.get('train_seconds')} s (this run: {load_seconds} s to load or train)")
    for level, t in shipped.get("out_of_fold", {}).items():
        a = t["all"]
        print(f"  classifier alone, out of fold, {level}: unsafe caught {a['unsafe_caught_pct']}%, "
              f"safe refused {a['safe_refused_pct']}%")
    print(f"\nscreen (rules + a classifier that never saw the row), {args.folds}-fold, per language:")
    for level, by_lang in result["levels"].items():
        for lang, f in by_lang.items():
            s, r = f["screen"], f["rules"]
            print(f"  {level:8} {lang:3} unsafe caught {s['unsafe_caught_pct']:5}% (rules alone "
                  f"{r['unsafe_caught_pct']:5}%)  safe refused {s['safe_refused_pct']:4}% (rules alone "
                  f"{r['safe_refused_pct']:4}%)  {s['ms_p50']} ms p50 / {s['ms_p95']} ms p95  "
                  f"[{s['unsafe']} unsafe, {s['safe']} safe]")


if __name__ == "__main__":
    main()
