"""Build ``blocks.jsonl`` from the synthesizer's bench-only wordings, with a fixed seed.

    python -m codehone.blocks.copilot.bench.build      # rewrites the shipped file

Each family gives ``Family.bench`` tasks drawn with ``split="bench"`` (wordings and some values
that training never sees). Prompts are unique; every reference program is verified (parse, print,
sb3 round trip, run, check) and a failure is an error here, not a dropped task: the benchmark
must be exactly what this function returns, because a test compares it with the shipped file.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from codehone.blocks.synth.pairs import FAMILIES, make_pair, prompt_key, verify

BENCH_SEED = 0


def build_benchmark(seed: int = BENCH_SEED) -> list[dict]:
    rows: list[dict] = []
    seen: set[str] = set()
    for family in FAMILIES:
        rng = random.Random(f"codehone.blocks.bench:{seed}:{family.name}")
        i = tries = 0
        while i < family.bench:
            tries += 1
            if tries > 100 * family.bench:
                raise RuntimeError(f"cannot make {family.bench} distinct {family.name} tasks")
            pair = make_pair(family, random.Random(rng.getrandbits(64)), "bench")
            if prompt_key(pair.prompt) in seen:
                continue
            v = verify(pair)
            if not v.ok:
                raise RuntimeError(f"bench reference for {pair.prompt!r} fails ({v.reason}): {v.detail}")
            seen.add(prompt_key(pair.prompt))
            rows.append({"task_id": f"{family.name}-{i:02d}", "family": family.name, "prompt": pair.prompt,
                         "check": pair.check, "answers": list(pair.answers), "events": [dict(e) for e in pair.events],
                         "reference": pair.program})
            i += 1
    return rows


def to_jsonl(rows: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)


def shipped_path() -> Path:
    return Path(__file__).with_name("blocks.jsonl")


def main() -> None:
    rows = build_benchmark()
    shipped_path().write_text(to_jsonl(rows), encoding="utf-8")
    print(f"wrote {len(rows)} tasks to {shipped_path()}")


if __name__ == "__main__":
    main()
