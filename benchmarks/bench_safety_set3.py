"""blocks-safety-lang-3 (the held-out set written in session 13): the screen as shipped (rules only)
and the screen with the request classifier behind it (not wired into the copilot yet), per language
and level. No language model.

    .venv/bin/python benchmarks/bench_safety_set3.py            # -> benchmarks/results/blocks_safety_lang_3_classifier.json
    .venv/bin/python benchmarks/bench_safety_set3.py --set 4    # set 4 (held out in session 14; development since 15)
    .venv/bin/python benchmarks/bench_safety_set3.py --set 5    # set 5 (held out in session 15)
    .venv/bin/python benchmarks/bench_safety_set3.py --set 6    # set 6 (held out in session 16)
    .venv/bin/python benchmarks/bench_safety_set3.py --set 7    # set 7 (held out in session 17)
    .venv/bin/python benchmarks/bench_safety_set3.py --set 8    # set 8 (held out in session 18)
    .venv/bin/python benchmarks/bench_safety_set3.py --set 9    # set 9 (held out in session 18, after set 8)
    .venv/bin/python benchmarks/bench_safety_set3.py --set 10   # set 10 (written blind in session 20)
    .venv/bin/python benchmarks/bench_safety_set3.py --set 11   # set 11 (written blind in session 20, after set 10)
    .venv/bin/python benchmarks/bench_safety_set3.py --set 12   # set 12 (written blind in session 21)
    .venv/bin/python benchmarks/bench_safety_set3.py --set 13   # set 13 (written blind in session 22)
    .venv/bin/python benchmarks/bench_safety_set3.py --set 14   # set 14 (written blind in session 22, after set 13)
    .venv/bin/python benchmarks/bench_safety_set3.py --set 15   # set 15 (written blind in session 22, after set 14)
    .venv/bin/python benchmarks/bench_safety_set3.py --set 16   # set 16 (written blind in session 22, after set 15)

Set 3 was held out when this was run (session 13). Since session 14 it is a development set: the
classifier trains on it (``classifier.DEV_SETS``), so this script's rules+classifier figures now
measure nothing blind; the out-of-set estimate is ``bench_safety_leave_set_out.py``. Set 4 was the
held-out set when scored here (session 14); since session 15 it is a development set too, and the
blind set is set 5. Set 6 (safety_lang_6.md, written blind in session 16) is the next held-out set,
for when set 5 becomes a development set; set 7 (safety_lang_7.md, written blind in session 17)
is the one after it; set 8 (safety_lang_8.md, written blind in session 18) is the one after set 7;
set 9 (safety_lang_9.md, also written blind in session 18) is the one after set 8; set 10
(safety_lang_10.md, written blind in session 20) is the blind set once set 9 became a development set;
set 11 (safety_lang_11.md, also written blind in session 20) is the one after set 10, scored blind in
session 21 and then read; set 12 (safety_lang_12.md, written blind in session 21) is the blind set after it, scored blind in
session 21 and a development set since session 22; set 13 (safety_lang_13.md, written blind in session 22)
is the blind set after it, scored blind once in session 22; set 14 (safety_lang_14.md, also written blind in
session 22) is the one after set 13, scored blind once in session 22; set 15 (safety_lang_15.md, written
blind in session 22 too) is the one after set 14, scored blind once in session 22; set 16 (safety_lang_16.md,
written blind in session 22 too) is the one after set 15.
``with_classifier`` is the screen with the classifier behind it, as that estimate judges rows.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import save  # noqa: E402

from codehone.blocks.safety.bench import load_safety_set, safety_lang_sets, score_languages  # noqa: E402
from codehone.blocks.safety.classifier import model  # noqa: E402
from codehone.blocks.safety.request_screen import screen  # noqa: E402


def with_classifier(text: str, level: str):  # noqa: ANN201 - a Verdict
    """The screen, then the classifier's second look at what it allows (in the request's language):
    the copilot's own screen since session 14 (safety/request_screen.py)."""
    return screen(text, level)


def _summary(scored: dict) -> dict:
    keep = ("unsafe_caught_pct", "safe_refused_pct", "ms_p50", "ms_p95")
    return {"all": {k: scored["all"][k] for k in keep},
            **{lang: {k: s[k] for k in keep} for lang, s in scored["languages"].items()},
            "by_category": {c: {k: v[k] for k in ("unsafe", "unsafe_caught_pct", "safe", "safe_refused_pct")}
                            for c, v in scored["all"]["by_category"].items()}}


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sets = {n: path for n, path in safety_lang_sets().items() if n >= 3}
    parser.add_argument("--set", type=int, choices=tuple(sets), default=3,
                        help="which safety set (4: held out in session 14; 5: in session 15; 6: in session 16; "
                             "7: in session 17; 8 and 9: in session 18; 10 and 11: written in session 20; 12: in session 21; 13-16: in session 22; any later set whose file is in the package)")
    number = parser.parse_args().set
    rows = load_safety_set(sets[number])
    t0 = time.perf_counter()
    fitted = model()
    load_s = round(time.perf_counter() - t0, 1)
    out = {"rows": len(rows), "classifier_load_or_train_s": load_s, "thresholds": fitted.thresholds}
    for level in ("standard", "strict"):
        out[level] = {"rules": _summary(score_languages(rows, level, repeat=3)),
                      "rules+classifier": _summary(score_languages(rows, level, repeat=3, check=with_classifier))}
        for name, s in out[level].items():
            print(level, name, {k: v for k, v in s.items() if k != "by_category"})
    save(f"blocks_safety_lang_{number}_classifier", out)


if __name__ == "__main__":
    main()
