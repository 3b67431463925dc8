"""How fast the block-language pair generator makes verified pairs (figure for docs/benchmarks.md).

    .venv/bin/python benchmarks/bench_blocks_data.py [--pairs 1000]

Generation alone (templates -> text), then with verification (parse, print, text -> sb3 -> text,
run, check): the second is what `codehone blocks data` pays per pair.
"""

from __future__ import annotations

import argparse
import time

from codehone.blocks.synth import pairs as synth


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=1000)
    args = ap.parse_args()
    t0 = time.perf_counter()
    list(synth.generate_pairs(args.pairs, seed=0, verify_pairs=False))
    t1 = time.perf_counter()
    stats = synth.Stats()
    list(synth.generate_pairs(args.pairs, seed=0, stats=stats))
    t2 = time.perf_counter()
    print(f"generate only: {args.pairs / (t1 - t0):,.0f} pairs/s")
    print(f"generate + verify: {args.pairs / (t2 - t1):,.1f} pairs/s ({args.pairs} pairs in {t2 - t1:.1f} s); "
          f"round trip {stats.round_trip}/{stats.generated}, dropped {sum(stats.dropped.values())}")


if __name__ == "__main__":
    main()
