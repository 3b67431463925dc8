"""Figure: does weighing each language's safe and unsafe rows alike help the request classifier out of set? (issue 19)

Leave one set out over the development sets (``classifier.DEV_SETS``), behind the rules at standard,
for two ways of weighing the training rows:
  base   class balance over all rows (``class_weight="balanced"``, the classifier before session 19)
  group  each (language, label) group the same total weight (``text_model.language_weights``; since
         session 22 the plain requests weigh ``ORDINARY_SHARE`` of their group)
For each set k a regression is fitted on every other row with its own TF-IDF vocabulary (nothing of
set k seen), and set k is judged at the threshold chosen from the *other* sets' out-of-set
probabilities by the shipped rule (the worst set's added safe refusals <= 2%): the closest this
machine gets to scoring a set blind. Printed and saved (``benchmarks/results/safety_weighting.json``):
per variant, per set and on average, unsafe caught (rules + classifier) and the safe refusals the
classifier adds on top of the rules.

Usage: nice .venv/bin/python benchmarks/bench_safety_weighting.py [--variants base,group]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import save  # noqa: E402

from codehone.blocks.safety import classifier as C  # noqa: E402
from codehone.blocks.safety import leave_set_out as lso  # noqa: E402
from codehone.blocks.safety import text_model  # noqa: E402


def _fit_and_score(rows: list[dict], train: list[int], test: list[int], variant: str):  # noqa: ANN202
    """P(unsafe) of the rows ``test`` from the shipped regression fitted on the rows ``train`` (its
    own vocabulary), weighed as ``variant`` says."""
    features = text_model.features()
    x_train = features.fit_transform([rows[i]["prompt"] for i in train])
    part = [rows[i] for i in train]
    if variant == "base":
        model = text_model.regression(balanced=True).fit(x_train, [int(r["label"] == "unsafe") for r in part])
    else:
        model = C._fit_unsafe(x_train, part)
    return model.predict_proba(features.transform([rows[i]["prompt"] for i in test]))[:, 1]


def _rates(rows: list[dict], rules: list[str], probs: list[float], threshold: float) -> tuple[float, float]:
    """(unsafe caught, safe refused on top of the rules), in % of ``rows``."""
    final = lso.final_actions(rules, probs, threshold)
    caught = lso.screen_figures(rows, final)["all"]["unsafe_caught_pct"]
    return caught, round(100 * lso.worst_added_refused(rows, rules, final, pooled=True), 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--variants", default="base,group")
    a = ap.parse_args()
    rows = C.training_rows()
    dev = [r for r in rows if r.get("dev_set")]
    rules = C.rules_actions(dev)["standard"]
    out = {"dev_sets": lso.sets_of(rows), "rows": len(rows), "variants": {}}
    for variant in a.variants.split(","):
        t0 = time.perf_counter()
        probs = [p for p in lso.out_of_set_probs(rows, lambda tr, te: _fit_and_score(rows, tr, te, variant))
                 if p is not None]
        per_set = {}
        for k in lso.sets_of(dev):
            other = [i for i, r in enumerate(dev) if r["dev_set"] != k]
            mine = [i for i, r in enumerate(dev) if r["dev_set"] == k]
            t = lso.choose_threshold([dev[i] for i in other], [rules[i] for i in other], [probs[i] for i in other],
                                     C.SAFE_REFUSED_TARGET["standard"], C.MIN_THRESHOLD, C.POOLED)
            caught, added = _rates([dev[i] for i in mine], [rules[i] for i in mine], [probs[i] for i in mine], t)
            per_set[str(k)] = {"threshold": t, "unsafe_caught_pct": caught, "added_safe_refused_pct": added}
        mean = {key: round(sum(s[key] for s in per_set.values()) / len(per_set), 1)
                for key in ("unsafe_caught_pct", "added_safe_refused_pct")}
        out["variants"][variant] = {"per_set": per_set, "mean": mean, "seconds": round(time.perf_counter() - t0, 1)}
        print(variant, mean, {k: (s["unsafe_caught_pct"], s["added_safe_refused_pct"]) for k, s in per_set.items()}, flush=True)
    save("safety_weighting", out)


if __name__ == "__main__":
    main()
