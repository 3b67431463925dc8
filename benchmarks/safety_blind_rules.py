"""The rules' blind verdicts on every safety set, as they were when the set was scored blind (issue 19).

The leave-one-set-out estimate (``bench_safety_leave_set_out.py``) keeps each set out of the
classifier's training, but not out of the rules: their word and phrase lists were widened after
each set was read, so on a development set they refuse almost no play (0.7% of the safe rows),
while on each fresh set they refused 0.7-12.7% (sets 3-12). What the rules do on a set nobody has read is only known
from the code as it stood when that set was scored blind. This script rebuilds it: for each set it
takes ``src/`` at the commit that recorded the set's blind score (``git archive``), runs that
code's rules (``languages.screen.screen_request``, no classifier) on the set, and writes one line a
row (no prompt text: set, id, label, category, and each level's action and category) to
``src/codehone/blocks/safety/blind_rule_verdicts.jsonl``, which ships with the package (the
classifier chooses its thresholds behind these verdicts: ``leave_set_out.blind_rule_verdicts``). It then
checks each set's rules-alone figures against the ones recorded at the time.

    .venv/bin/python benchmarks/safety_blind_rules.py

When a set scored blind is read (it becomes a development set), add it to :data:`SCORED_AT` with the
commit that recorded its blind score, and run this again.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

from codehone.blocks.safety.classifier import BENCH_DIR, DEV_SETS
from codehone.blocks.safety.leave_set_out import BLIND_VERDICTS as OUT
from codehone.blocks.safety.leave_set_out import screen_figures

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
# set -> the commit that recorded its one blind score (the result file's first commit; none of these
# commits changes src/, so src/ there is the code that was scored).
SCORED_AT = {3: "0125d52", 4: "1b8313c", 5: "16c22af", 6: "65df6b6", 7: "23f0246", 8: "7b35231", 9: "1538627",
             10: "d963304", 11: "f48e8b2", 12: "b516fe0"}
LEVELS = ("standard", "strict")

# Run inside the old tree: the rules alone on the set's rows, one JSON line a row.
_RUNNER = """
import json, sys
from codehone.blocks.languages.screen import screen_request
for line in open(sys.argv[1], encoding="utf-8"):
    row = json.loads(line)
    out = {"id": row["id"], "label": row["label"], "category": row["category"], "language": row["language"]}
    for level in ("standard", "strict"):
        v = screen_request(row["prompt"], level)
        out[level] = {"action": v.action, "category": v.category}
    print(json.dumps(out, sort_keys=True))
"""


def verdicts_at(commit: str, rows_path: Path) -> list[dict]:
    """The rules of ``commit`` on every row of ``rows_path``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "src"], check=True, capture_output=True).stdout
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        done = subprocess.run([sys.executable, "-c", _RUNNER, str(rows_path)], check=True, capture_output=True, text=True,
                              env={"PYTHONPATH": str(Path(tmp) / "src"), "PATH": "/usr/bin:/bin"})
    return [json.loads(line) for line in done.stdout.splitlines()]


def recorded(number: int, level: str) -> dict:
    """The rules-alone figures recorded when ``number`` was scored blind."""
    data = json.loads((RESULTS / f"blocks_safety_lang_{number}_classifier.json").read_text())
    return data[level]["rules"]["all"]


def rules_figures(rows: list[dict], level: str) -> dict:
    """Unsafe caught (refused or steered) and safe refused (a safe request steered to a gentler
    version is answered), as the leave-one-set-out estimate scores them."""
    return screen_figures(rows, [r[level]["action"] for r in rows])["all"]


def main() -> None:
    lines, checks = [], []
    for number, commit in SCORED_AT.items():
        rows = verdicts_at(commit, BENCH_DIR / DEV_SETS[number])
        for r in rows:
            r["set"], r["rules_commit"] = number, commit
        lines += rows
        for level in LEVELS:
            now, then = rules_figures(rows, level), recorded(number, level)
            same = all(abs(now[k] - then[k]) < 0.05 for k in ("unsafe_caught_pct", "safe_refused_pct"))
            checks.append(same)
            print(f"set {number:2d} {level:8s} at {commit}: caught {now['unsafe_caught_pct']:5.1f}% "
                  f"refused {now['safe_refused_pct']:4.1f}%  (recorded {then['unsafe_caught_pct']}/"
                  f"{then['safe_refused_pct']}{'' if same else '  MISMATCH'})")
    OUT.write_text("".join(json.dumps(r, sort_keys=True) + "\n" for r in lines))
    print(f"{len(lines)} rows -> {OUT.relative_to(ROOT)}; {sum(checks)}/{len(checks)} match the recorded figures")


if __name__ == "__main__":
    main()
