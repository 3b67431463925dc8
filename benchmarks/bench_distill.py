"""Distillation: the 0.5B distilled from the 1.5B vs the 0.5B trained on the same data without it.

Same data run (the data stage on a slice of the Python standard library, Qwen tokenizer, with its
held-out repository benchmark ``data/bench_repo.jsonl`` from the test files), same LoRA preset,
same steps and seed. Two runs, each scored by the trainer's end-of-run benchmark (single-line
infill exact match on the held-out tasks, base vs adapter, greedy, ``report.bench_repo``):

    plain     codehone train   --base 0.5B                      (cross-entropy on the data)
    distill   codehone distill --teacher 1.5B --student 0.5B    (--mode token by default:
              top-k KL to the teacher; ``--mode sequence`` trains on the teacher's answers)

The figure: distill's adapter exact match > plain's. Full size is hours on a 2-core CPU
(a teacher pass over every example, then the student's epochs); ``--small`` cuts the source,
the steps and the benchmark to a smoke run of minutes, whose numbers mean nothing.

    python benchmarks/bench_distill.py [--small] [--source DIR] [--steps N] [--mode token|sequence]
           [--tasks N] [--student REF] [--teacher REF] [--data RUN] [--plain-run RUN] [KEY=VALUE ...]

``--data RUN`` reuses a data run already built (e.g. the learning benchmark's, on codehone's own
source); ``--plain-run RUN`` reuses a finished plain training run on that data instead of training
it again, and is refused unless its data, student and every training setting match this run's.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import save  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
WORK = Path(os.environ.get("BENCH_DISTILL_DIR", "/tmp/codehone-bench-distill"))
STDLIB = Path(os.__file__).parent
SMALL_SOURCE = ("json", "email", "http", "logging", "importlib")  # a few packages: minutes, not hours


def model_dir(ref: str) -> Path:
    from codehone.train.model import resolve_base

    return resolve_base(ref)


def build_data(source: Path, student: str, seq_len: int, small: bool) -> Path:
    run = WORK / ("data-small" if small else "data")
    if (run / "data_card.json").exists():
        return run
    from transformers import AutoTokenizer

    from codehone.data.build import BuildOptions, build_dataset

    src = source
    if small:
        src = WORK / "source-small"
        if not src.exists():
            for name in SMALL_SOURCE:
                if (source / name).is_dir():
                    shutil.copytree(source / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    tok = AutoTokenizer.from_pretrained(str(model_dir(student)))
    build_dataset(src, tok, run, BuildOptions(seq_len=seq_len, benchmarks=(), progress=False, split=(0.9, 0.05, 0.05)))
    return run


def reuse_plain_run(run: Path, data: Path, student: str, settings: dict) -> dict:
    """The summary of a finished plain run, if it trained exactly what this benchmark would train."""
    state = json.loads((run / "train_state.json").read_text())
    inputs = json.loads((run / "manifest.json").read_text())["stages"]["train"]["inputs"]
    if state.get("status") != "finished":
        sys.exit(f"--plain-run {run}: the run is not finished")
    if Path(inputs["data"]).resolve() != data.resolve() or inputs["base"] != student:
        sys.exit(f"--plain-run {run}: trained {inputs['base']} on {inputs['data']}, not {student} on {data}")
    differ = {k: (inputs["config"].get(k), v) for k, v in settings.items()
              if k != "progress" and inputs["config"].get(k) != v}
    if differ:
        sys.exit(f"--plain-run {run}: settings differ (theirs, ours): {differ}")
    print(f"plain: reusing the finished run {run} (same data, student and settings)")
    return state["summary"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--small", action="store_true", help="smoke size: a few stdlib packages, few steps and tasks")
    ap.add_argument("--source", default=str(STDLIB))
    ap.add_argument("--student", default="qwen2.5-coder-0.5b-instruct")
    ap.add_argument("--teacher", default="qwen2.5-coder-1.5b-instruct")
    ap.add_argument("--mode", default="token", choices=("token", "sequence"))
    ap.add_argument("--steps", type=int, default=0, help="optimizer steps (0: one epoch; --small: 4)")
    ap.add_argument("--tasks", type=int, default=200, help="held-out single-line infill tasks scored (--small: 10)")
    ap.add_argument("--seq-len", type=int, default=512)
    ap.add_argument("--data", default=None, help="an existing data run to use instead of building one")
    ap.add_argument("--plain-run", default=None, help="a finished plain training run on --data with the same settings")
    ap.add_argument("overrides", nargs="*", help="extra key=value settings for both runs (distill keys only reach distill)")
    args = ap.parse_args()
    steps = args.steps or (4 if args.small else 0)
    tasks = 10 if args.small and args.tasks == 200 else args.tasks

    from codehone.train.config import FIELDS
    from codehone.train.distill.config import build_configs
    from codehone.train.distill.run import distill
    from codehone.train.lora import train

    data = Path(args.data) if args.data else build_data(Path(args.source), args.student, args.seq_len, args.small)
    preset = ROOT / "configs" / "qwen2.5-coder-0.5b" / "lora.yaml"
    common = ["progress=false", "bench=true", f"bench_max_tasks={tasks}", f"seq_len={args.seq_len}",
              *([f"max_steps={steps}"] if steps else ["epochs=1"])]
    train_only = [o for o in args.overrides if o.split("=", 1)[0] in FIELDS]
    cfg, dcfg = build_configs(preset, common + list(args.overrides), mode=args.mode)
    plain_cfg, _ = build_configs(preset, common + train_only)

    results = {}
    if args.plain_run:
        s = reuse_plain_run(Path(args.plain_run), data, args.student, plain_cfg.to_dict())
    else:
        out = WORK / "plain"
        shutil.rmtree(out, ignore_errors=True)
        s = train(data, args.student, out, plain_cfg, echo=print)
    results["plain"] = {"bench": s.get("bench"), "best_val_loss": s["best_val_loss"], "steps": s["steps_done"],
                        "elapsed_s": s["elapsed_s"], "reused_run": args.plain_run}
    out = WORK / f"distill-{args.mode}"
    # --force replaces the training outputs and keeps out/teacher/: a rerun reuses the teacher cache.
    s = distill(data, args.teacher, args.student, out, cfg, dcfg, force=True, echo=print)
    results["distill"] = {"bench": s.get("bench"), "best_val_loss": s["best_val_loss"], "steps": s["steps_done"],
                          "elapsed_s": s["elapsed_s"], "distill": s.get("distill")}
    p, d = (results[k]["bench"] or {} for k in ("plain", "distill"))
    em = lambda b: (b.get("adapter") or {}).get("exact_match")  # noqa: E731
    summary = {"base_exact_match": (p.get("base") or {}).get("exact_match"), "plain_exact_match": em(p),
               "distill_exact_match": em(d), "tasks": p.get("n"),
               "distill_beats_plain": (em(d) is not None and em(p) is not None and em(d) > em(p))}
    save("distill_small" if args.small else "distill",
         {"student": args.student, "teacher": args.teacher, "mode": args.mode, "small": args.small,
          "source": args.source, "settings": {"train": cfg.to_dict(), "distill": dcfg.to_dict()},
          "summary": summary, "runs": results})
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
