"""Learning: one epoch of LoRA on a real repository raises held-out single-line infill exact match.

The repository is codehone's own ``src/`` at a fixed git revision (``--revision``, default HEAD):
code written after the model was trained, so the base model cannot have memorised it, and the
same revision rebuilds the same data anywhere. Any other directory works with ``--source``.

Steps, all through the library's own stages:
  1. ``build_dataset`` (the data stage): FIM, LM and instruction examples of <= 512 tokens, split
     by file, and the held-out benchmark ``data/bench_repo.jsonl`` from the test files;
  2. ``train`` with the 0.5B preset (``configs/qwen2.5-coder-0.5b/lora.yaml``), one epoch;
  3. the trainer's end-of-run benchmark (``report.bench_repo``): greedy single-line infill on the
     held-out tasks, the base (adapter disabled) and the adapter, exact match after trimming.

    python benchmarks/bench_train_learning.py [--revision REV] [--source DIR] [--tasks N] [KEY=VALUE ...]

Result: benchmarks/results/train_learning.json (base and adapter exact match, steps, tokens/s).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import save  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
WORK = Path(os.environ.get("BENCH_LEARNING_DIR", "/tmp/codehone-bench-learning"))
MODEL = "qwen2.5-coder-0.5b-instruct"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source", default=None, help="a directory to learn instead of this repository's src/")
    ap.add_argument("--revision", default="HEAD", help="git revision of this repository to read (with no --source)")
    ap.add_argument("--split", default="0.8,0.05,0.15", help="train,valid,test shares by file")
    ap.add_argument("--tasks", type=int, default=120, help="held-out single-line infill tasks scored at most")
    ap.add_argument("overrides", nargs="*", help="extra key=value training settings")
    args = ap.parse_args()

    from transformers import AutoTokenizer

    from codehone.data.build import BuildOptions, build_dataset
    from codehone.train.config import build_config
    from codehone.train.lora import train
    from codehone.train.model import resolve_base

    revision = None
    if args.source:
        source = Path(args.source)
    else:
        source = ROOT
        revision = subprocess.run(["git", "-C", str(ROOT), "rev-parse", args.revision], capture_output=True, text=True,
                                  check=True).stdout.strip()
    split = tuple(float(x) for x in args.split.split(","))
    run = WORK / "run"
    shutil.rmtree(run, ignore_errors=True)
    tok = AutoTokenizer.from_pretrained(str(resolve_base(MODEL)))
    options = BuildOptions(seq_len=512, benchmarks=(), progress=False, split=split,
                           **({"revision": revision, "include": ("src/",)} if revision else {}))
    card = build_dataset(source, tok, run, options)
    cfg = build_config(ROOT / "configs" / "qwen2.5-coder-0.5b" / "lora.yaml",
                       ["epochs=1", "bench=true", f"bench_max_tasks={args.tasks}", "progress=true", *args.overrides])
    summary = train(run, MODEL, run, cfg, echo=print)
    bench = summary.get("bench") or {}
    result = {
        "source": str(source), "revision": revision, "split": split, "model": MODEL,
        "settings": cfg.to_dict(), "data": {k: card.get(k) for k in ("files", "examples", "tokens") if k in card},
        "train": {k: summary.get(k) for k in ("steps_done", "tokens_seen", "elapsed_s", "tokens_per_s",
                                               "best_val_loss", "final_val_loss")},
        "tasks": bench.get("n"),
        "base_exact_match": (bench.get("base") or {}).get("exact_match"),
        "adapter_exact_match": (bench.get("adapter") or {}).get("exact_match"),
        "bench": bench,
    }
    result["raised"] = (result["adapter_exact_match"] or 0) > (result["base_exact_match"] or 0)
    save("train_learning", result)
    print(json.dumps({k: result[k] for k in ("tasks", "base_exact_match", "adapter_exact_match", "raised")}, indent=2))


if __name__ == "__main__":
    main()
