"""Behaviour voting, replayed offline on the programs a vote run already kept (issue 21, part 6).

A ``--samples N`` run of ``codehone blocks eval``/``eval-set`` keeps every candidate program beside
the one the vote chose (``samples.jsonl``: ``votes.candidates``). This script scores each candidate
on its task and replays other ways of choosing among the same candidates, so the question "would a
different vote have won?" costs no decoding:

- ``any``: tasks where at least one candidate passes (the most any vote could reach); ``any_or_greedy``:
  or the greedy answer passes;
- with a ``--vote unsure`` run, the tasks whose greedy answer was sure (``sure``) count the greedy
  answer in every column;
- ``majority``: tasks where more than half of the candidates pass;
- ``vote``: the run's own choice (a check on the replay: the same figure as the run);
- ``pen_blind``: the vote with the sprites' final pen state left out of the behaviour (a pen lifted
  after the drawing is invisible on the stage);
- ``greedy_joins``: the greedy answer (from the greedy run) and the first N-1 samples, voted on as
  ``--vote unsure`` does when it votes, but on every task.

    .venv/bin/python benchmarks/vote_ablation.py --greedy runs/vote20/blocks-n1 --votes runs/vote20/blocks-n5 --bench blocks
    .venv/bin/python benchmarks/vote_ablation.py --greedy runs/vote20/blocks-kids-n1 --votes runs/vote20/blocks-kids-n5 --bench blocks-kids
    .venv/bin/python benchmarks/vote_ablation.py --greedy runs/vote21/blocks-n1 --votes runs/vote21/blocks-n5-unsure --bench blocks --name vote_ablation_blocks_long21
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import save  # noqa: E402

from codehone.blocks.copilot import vote as voting  # noqa: E402
from codehone.blocks.copilot.bench import load_benchmark  # noqa: E402
from codehone.blocks.copilot.evaluate import score  # noqa: E402
from codehone.runs import read_jsonl  # noqa: E402


def pen_blind(trace: dict) -> str:
    """:func:`vote.behaviour` without the sprites' pen up/down at the end."""
    sprites = {name: {k: v for k, v in state.items() if k != "pen_down"} for name, state in trace["sprites"].items()}
    return voting.behaviour({**trace, "sprites": sprites})


def choose(texts: list[str], logprobs: list[float], task: dict, digest=voting.behaviour) -> int:  # noqa: ANN001
    """The index the copilot's own vote picks among ``texts``, grouping by ``digest``."""
    return voting.vote(texts, logprobs, task.get("answers"), task.get("events"), behaviour_of=digest).chosen


def replay(bench: str, greedy_dir: Path, votes_dir: Path) -> dict:
    tasks = {t["task_id"]: t for t in load_benchmark(bench=bench)}
    greedy = {s["task_id"]: s for s in read_jsonl(greedy_dir / "samples.jsonl")}
    counts = {"tasks": 0, "greedy": 0, "vote": 0, "any": 0, "any_or_greedy": 0, "majority": 0, "pen_blind": 0,
              "greedy_joins": 0, "sure": 0}
    for sample in read_jsonl(votes_dir / "samples.jsonl"):
        task, g = tasks[sample["task_id"]], greedy[sample["task_id"]]
        if "votes" not in sample:  # a --vote unsure run where the greedy answer was sure: it is the answer
            g_ok = score(task, g["text"], g.get("finish_reason", "stop"))[0]["status"] == "passed"
            for key in counts:
                counts[key] += 1 if key in ("tasks", "sure") else g_ok
            continue
        cands = sample["votes"]["candidates"]
        texts, lps = [c["text"] for c in cands], [c["mean_logprob"] for c in cands]
        ok = [score(task, t)[0]["status"] == "passed" for t in texts]
        g_ok = score(task, g["text"], g.get("finish_reason", "stop"))[0]["status"] == "passed"
        joined = [g["text"]] + texts[: len(texts) - 1]
        joined_lp = [g.get("mean_logprob") or max(lps)] + lps[: len(texts) - 1]
        counts["tasks"] += 1
        counts["greedy"] += g_ok
        counts["vote"] += ok[sample["votes"]["chosen"]]
        counts["any"] += any(ok)
        counts["any_or_greedy"] += any(ok) or g_ok
        counts["majority"] += sum(ok) * 2 > len(ok)
        counts["pen_blind"] += ok[choose(texts, lps, task, pen_blind)]
        counts["greedy_joins"] += ([g_ok] + ok[: len(texts) - 1])[choose(joined, joined_lp, task)]
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--greedy", type=Path, required=True, help="the greedy run (--samples 1)")
    parser.add_argument("--votes", type=Path, required=True, help="the vote run (--samples N, --vote always or unsure)")
    parser.add_argument("--bench", default="blocks", help="the benchmark both runs answered")
    parser.add_argument("--name", default=None, help="result file name (default: vote_ablation_<bench>)")
    args = parser.parse_args()
    counts = replay(args.bench, args.greedy, args.votes)
    print(json.dumps(counts))
    save(args.name or f"vote_ablation_{args.bench.replace('-', '_')}",
         {"bench": args.bench, "greedy_run": str(args.greedy), "vote_run": str(args.votes), **counts})


if __name__ == "__main__":
    main()
