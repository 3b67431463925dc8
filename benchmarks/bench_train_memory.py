"""Memory of the demo's training: peak RSS, RSS step by step, tokens/s (issue 21, part 3).

Runs ``codehone demo``'s training configuration (``demo.pipeline.DEMO_TRAIN_SETTINGS``: LoRA r=16 on
all linear layers, seq_len 2048, one multi-turn row per step) on the demo's own data (the blocks
data set the demo builds: 1600 pairs, 16 turns per row, seed 0) with the default model, for a
bounded number of steps (``--steps``; the demo runs 90), in a fresh process. Only ``max_steps``
and ``progress`` differ from the demo; the rows of the first steps are the demo's first rows.

The parent samples the child's resident set (psutil, every ``--every`` seconds) and follows
the child's train_log.jsonl, so every sample is attributed to a phase: ``load`` (reading the data,
loading the model, until the trainer announces the run), ``step N`` (the optimizer step being
computed; the last one includes the validation pass at the end of training) and ``finish``
(publishing the adapter). The exact peak is the child's own VmHWM, read just before it exits.

Printed and saved to benchmarks/results/train_memory[_LABEL].json: peak RSS, peak RSS per step (to
show growth), tokens/s of the steps after the first, and each step's loss (so two runs, before and
after a change, can be checked to learn the same thing).

    .venv/bin/python benchmarks/bench_train_memory.py [--steps 20] [--label before] [--set key=value ...]
                                                      [--longest N]
    .venv/bin/python benchmarks/bench_train_memory.py --conversion [--label after]

``--longest N`` trains on the N longest rows only (up to 2013 tokens; the first steps of the demo's
order are 1280-1561 tokens), so a few steps show the peak the demo reaches somewhere in its run.
``--conversion`` measures the one-off GGUF->HF conversion (about 2 minutes) instead.

One run of 20 steps takes about 6-8 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _common import save  # noqa: E402

ROOT = HERE.parent
WORK = Path(os.environ.get("BENCH_TRAIN_MEMORY_DIR", "/tmp/codehone-bench-train-memory"))
GB = 1024**3
SEQ_LEN = 2048  # the demo's (DEMO_TRAIN_SETTINGS)


def longest_rows_dir(n: int) -> Path:
    """The demo's data with only its ``n`` longest training rows that fit seq_len: every step is
    one of the rows that set the demo's peak (the demo meets them somewhere in its 90 steps)."""
    src = data_dir()
    out = WORK / f"data-longest-{n}"
    if not (out / "data_card.json").exists():
        tmp = WORK / f"data-longest-{n}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(src, tmp)
        train = tmp / "data" / "train.jsonl"
        rows = sorted(train.read_text().splitlines(), key=lambda line: -json.loads(line)["tokens"])[:n]
        train.write_text("".join(line + "\n" for line in rows))
        os.replace(tmp, out)
    return out


def data_dir() -> Path:
    """The demo's training data (as ``codehone demo`` builds it with its default options), less the
    rows longer than the demo's seq_len.

    Why filtered: since the Fix/Change/Teach pairs joined the blocks data (issue 18), 10 of its 95
    training rows are longer than 2048 tokens and the trainer refuses to drop that many, so the
    demo as it stands stops at its training step. The rows kept here are the ones a seq_len=2048
    run trains on (the longest up to 2013 tokens), so the measurement is of the configuration the
    issue sets (seq_len 2048)."""
    from codehone.blocks.copilot.dataset import BlocksDataOptions, build_blocks_data
    from codehone.demo.pipeline import DemoOptions
    from codehone.models import load_tokenizer

    opts = DemoOptions(out=WORK)
    built = WORK / "data-built"
    build_blocks_data(built, load_tokenizer(opts.model),
                      BlocksDataOptions(examples=opts.examples, turns=opts.turns, seed=opts.seed))
    out = WORK / "data"
    if not (out / "data_card.json").exists():
        tmp = WORK / "data.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(built, tmp)
        train = tmp / "data" / "train.jsonl"
        rows = [line for line in train.read_text().splitlines() if json.loads(line)["tokens"] <= SEQ_LEN]
        train.write_text("".join(line + "\n" for line in rows))
        os.replace(tmp, out)
    return out


def child(args: argparse.Namespace) -> None:
    from codehone.demo.pipeline import DEMO_TRAIN_SETTINGS, DemoOptions
    from codehone.train.config import build_config
    from codehone.train.lora import train

    opts = DemoOptions(out=WORK)
    cfg = build_config(None, DEMO_TRAIN_SETTINGS + [f"max_steps={args.steps}", f"seed={opts.seed}", "progress=false"]
                       + list(args.set))
    data = longest_rows_dir(args.longest) if args.longest else data_dir()
    train(data, opts.model, Path(args.run), cfg, force=True, echo=lambda s: print(s, flush=True))
    status = Path("/proc/self/status").read_text()
    hwm = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
    print("VMHWM_KB " + str(hwm), flush=True)


def conversion_child() -> None:
    """The GGUF->HF conversion of the default model into a temporary CODEHONE_HOME (the model file
    is linked in, not fetched), as the demo's first run does it before training; prints RSS after."""
    import tempfile

    from codehone.core.memory import peak_rss_bytes, rss_bytes
    from codehone.models.fetch import codehone_home

    models = codehone_home() / "models"
    home = Path(tempfile.mkdtemp(prefix="codehone-bench-conversion-"))
    try:
        os.environ["CODEHONE_HOME"] = str(home)
        (home / "models").symlink_to(models)
        from codehone.models.convert import hf_dir_from_gguf
        from codehone.models.fetch import fetch

        t0 = time.perf_counter()
        hf_dir_from_gguf(fetch("qwen2.5-coder-0.5b-instruct"))
        print("CONVERSION " + json.dumps({"seconds": round(time.perf_counter() - t0, 1),
                                          "rss_after_gb": round(rss_bytes() / GB, 2),
                                          "peak_rss_gb": round(peak_rss_bytes() / GB, 2)}), flush=True)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def run_conversion() -> dict:
    p = subprocess.run([sys.executable, __file__, "--child-conversion"], cwd=ROOT, capture_output=True, text=True)
    line = next((x for x in p.stdout.splitlines() if x.startswith("CONVERSION ")), None)
    if p.returncode != 0 or line is None:
        raise SystemExit(f"conversion child failed (exit {p.returncode}):\n{p.stderr[-3000:]}")
    return json.loads(line[len("CONVERSION "):])


def run(args: argparse.Namespace) -> dict:
    import psutil

    run_dir = WORK / f"run-{args.label or 'default'}"
    shutil.rmtree(run_dir, ignore_errors=True)
    log = run_dir / "train_log.jsonl"
    cmd = [sys.executable, __file__, "--child", "--steps", str(args.steps), "--run", str(run_dir),
           "--longest", str(args.longest)]
    for s in args.set:
        cmd += ["--set", s]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    announced = threading.Event()

    def read_output() -> None:
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            print("   | " + line.rstrip("\n"), flush=True)
            if " rows of <= " in line:  # lora._announce: the model is loaded, the steps begin
                announced.set()

    reader = threading.Thread(target=read_output, daemon=True)
    reader.start()
    ps = psutil.Process(proc.pid)
    peaks: dict[str, float] = {}  # phase -> highest sampled RSS (bytes)
    order: list[str] = []
    while proc.poll() is None:
        try:
            rss = ps.memory_info().rss
        except psutil.NoSuchProcess:
            break
        done = sum(1 for _ in log.open()) if log.exists() else 0
        if not announced.is_set():
            phase = "load"
        elif done < args.steps:
            phase = f"step {done + 1}"
        else:
            phase = "finish"
        if phase not in peaks:
            order.append(phase)
        peaks[phase] = max(peaks.get(phase, 0), rss)
        time.sleep(args.every)
    reader.join(timeout=10)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"training child failed (exit {proc.returncode}):\n" + "\n".join(lines[-40:]))
    hwm_kb = next(int(x.split()[1]) for x in lines if x.startswith("VMHWM_KB "))
    rows = [json.loads(x) for x in log.read_text().splitlines()]
    later = rows[1:] or rows  # the first step warms up (page faults, first allocations)
    tokens = later[-1]["tokens"] - (rows[0]["tokens"] if len(rows) > 1 else 0)
    seconds = later[-1]["elapsed_s"] - (rows[0]["elapsed_s"] if len(rows) > 1 else 0)
    row_tokens = [r["tokens"] - (rows[i - 1]["tokens"] if i else 0) for i, r in enumerate(rows)]
    per_step = [round(peaks[f"step {i + 1}"] / GB, 2) if f"step {i + 1}" in peaks else None for i in range(len(rows))]
    steps_seen = [p for p in per_step if p is not None]
    growth = None
    if len(steps_seen) >= 8:
        # Growth: the mean of the last quarter of the steps minus the mean of steps 2-5 (after
        # warm-up), per step between the two windows' middles.
        q = max(2, len(steps_seen) // 4)
        first, last = steps_seen[1:5], steps_seen[-q:]
        span = (len(steps_seen) - (q + 1) / 2) - 2.5
        growth = round((sum(last) / len(last) - sum(first) / len(first)) / span * 1024, 1)
    result = {
        "steps": args.steps, "label": args.label, "settings": args.set, "longest_rows_only": args.longest or None, "wall_s": round(wall, 1),
        "peak_rss_gb": round(hwm_kb * 1024 / GB, 2),
        "peak_rss_sampled_gb": {k: round(peaks[k] / GB, 2) for k in order if not k.startswith("step ")},
        "peak_rss_per_step_gb": per_step,
        "rss_growth_mb_per_step": growth,
        "tokens_per_s_after_step_1": round(tokens / seconds, 1) if seconds > 0 else None,
        "row_tokens": row_tokens,
        "loss": [r["loss"] for r in rows],
        "val_loss": rows[-1].get("val_loss"),
        "threads": sorted({r.get("threads") for r in rows if r.get("threads")}),
        "load_avg_1min_at_end": os.getloadavg()[0],
    }
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=20, help="optimizer steps (the demo runs 90)")
    ap.add_argument("--label", default="", help="names the result file (train_memory_LABEL.json), e.g. before/after")
    ap.add_argument("--set", action="append", default=[], help="an extra training setting key=value (repeatable)")
    ap.add_argument("--longest", type=int, default=0,
                    help="train on only the N longest rows that fit seq_len (the rows that set the peak)")
    ap.add_argument("--every", type=float, default=0.2, help="seconds between RSS samples")
    ap.add_argument("--conversion", action="store_true",
                    help="measure the GGUF->HF conversion instead (a fresh one, in a temporary CODEHONE_HOME): "
                         "its peak RSS and what stays resident after it")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--child-conversion", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--run", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args)
        return
    if args.child_conversion:
        conversion_child()
        return
    if args.conversion:
        save("train_memory_conversion" + (f"_{args.label}" if args.label else ""), run_conversion())
        return
    if args.steps < 1:
        raise SystemExit("--steps must be at least 1")
    # built once, outside the measured process (the demo builds it in an earlier stage too)
    longest_rows_dir(args.longest) if args.longest else data_dir()
    result = run(args)
    save("train_memory" + (f"_{args.label}" if args.label else ""), result)


if __name__ == "__main__":
    main()
