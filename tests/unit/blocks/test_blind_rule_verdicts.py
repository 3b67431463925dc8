"""The rules' blind verdicts (safety/blind_rule_verdicts.jsonl, made by benchmarks/safety_blind_rules.py):
what the rules did to each development set before it was read, which the classifier's standard
threshold and veto are chosen behind. Checked against the figures recorded when each set was scored
blind, so the file is what those runs saw and not a later rules' output."""

import json
from pathlib import Path

from codehone.blocks.safety.check import CATEGORIES
from codehone.blocks.safety.classifier import DEV_SETS, labelled_rows
from codehone.blocks.safety.leave_set_out import blind_rule_verdicts, screen_figures

RESULTS = Path(__file__).resolve().parents[3] / "benchmarks" / "results"


def test_every_verdict_is_a_development_rows_and_every_set_matches_its_blind_score():
    verdicts = blind_rule_verdicts()
    rows = {(r["dev_set"], r["id"]): r for r in labelled_rows() if r.get("dev_set")}
    assert set(verdicts) <= set(rows)
    # every development set since set 3 has its blind verdicts: a set read later needs its own
    # (add it to SCORED_AT in benchmarks/safety_blind_rules.py with the commit of its blind score, rerun)
    assert {k for k, _ in verdicts} == {k for k in DEV_SETS if k >= 3}, "run benchmarks/safety_blind_rules.py"
    for key, levels in verdicts.items():
        for action, category in levels.values():
            assert action in ("allow", "redirect", "refuse") and (action == "allow") == (category == ""), key
            assert action == "allow" or category in CATEGORIES or category in ("injection", "insult", "language"), key
    for k in sorted({k for k, _ in verdicts}):
        recorded = json.loads((RESULTS / f"blocks_safety_lang_{k}_classifier.json").read_text())
        keys = [key for key in verdicts if key[0] == k]
        assert len(keys) == sum(1 for key in rows if key[0] == k)  # the whole set
        for level in ("standard", "strict"):
            now = screen_figures([rows[key] for key in keys], [verdicts[key][level][0] for key in keys])["all"]
            then = recorded[level]["rules"]["all"]
            assert now["unsafe_caught_pct"] == then["unsafe_caught_pct"], (k, level)
            assert now["safe_refused_pct"] == then["safe_refused_pct"], (k, level)
