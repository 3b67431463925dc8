"""Speed under background load: training, decoding and infill, idle and beside a busy process.

Users run codehone beside an editor, a browser and a build. This measures, in one run, each of
  - training tokens/s: LoRA steps on the default model (Qwen2.5-Coder-0.5B from its GGUF), one
    packed row of 512 tokens per step, the first (warm-up) step left out;
  - decode tokens/s: llama.cpp, default model, greedy chat answer of --tokens tokens, rate between
    the first and the last streamed token (prompt evaluation excluded);
  - infill latency: llama.cpp FIM requests as an editor sends them (the prefix grows by a few
    characters per request, 32 tokens each, prompt cache reused), p50 over the requests;
idle and with one competing CPU-bound process (a pure-Python busy loop in a subprocess), under
  - "policy": what codehone does now (core/threads.py: the free cores, OpenMP's default waiting;
    until session 13 it also forced OMP_WAIT_POLICY=PASSIVE, which halved idle decoding);
  - "old": the behaviour before issue 21: every core (CODEHONE_THREADS=<cores>) and spin-waiting
    threads (OMP_WAIT_POLICY=ACTIVE, which is what the OpenMP default amounts to while work keeps
    coming; the unset default spins a shorter while before sleeping);
and reports loaded / idle for each (for infill: loaded p50 / idle p50, lower is better).

Every cell runs in a fresh process (the OpenMP runtimes read their environment once, at load);
cells alternate idle / loaded so drift on a shared machine hits both. The load average is
recorded before and after: on a machine that is not otherwise idle, "idle" means "without our
busy loop".

    .venv/bin/python benchmarks/bench_under_load.py [--quick] [--resume]
    .venv/bin/python benchmarks/bench_under_load.py --load-nice 19 --kinds llama   # the busy loop niced

With ``--load-nice N`` the busy loop runs at nice N (a test run or an indexer started with
``nice``): the policy counts a niced process's time as free, so it keeps every core, and the
loaded / idle ratio says what that costs. Written to under_load_nice<N>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _common import default_model_path, save  # noqa: E402

ROOT = HERE.parent
WORK = Path(os.environ.get("BENCH_UNDER_LOAD_DIR", "/tmp/codehone-bench-under-load"))
BUSY_LOOP = "while True: pass"
PROMPT = "Write a Python module implementing a binary search tree with insert, delete, search and in-order traversal."


# ----- the cells (run in a child process) ------------------------------------------------------


def cell_train(steps: int) -> dict:
    import shutil

    os.environ["BENCH_TRAIN_DIR"] = str(WORK / "train")
    from bench_train_speed import base_dir, build_data

    from codehone.train.config import build_config
    from codehone.train.lora import train

    out = WORK / "train-run"
    shutil.rmtree(out, ignore_errors=True)
    said: list[str] = []
    cfg = build_config(ROOT / "configs" / "qwen2.5-coder-0.5b" / "lora.yaml",
                       [f"max_steps={steps}", "grad_accum=1", "micro_batch_size=1", "eval_every=0", "log_every=1",
                        "eval_max_examples=4", "bench=false", "progress=false", "save_every=1000"])
    train(build_data(), str(base_dir()), out, cfg, echo=said.append)
    rows = [json.loads(x) for x in (out / "train_log.jsonl").read_text().splitlines()]
    tokens = rows[-1]["tokens"] - rows[0]["tokens"]
    seconds = rows[-1]["elapsed_s"] - rows[0]["elapsed_s"]
    return {"train_tokens_per_s": round(tokens / seconds, 1), "train_tokens": tokens,
            "train_threads": [r.get("threads") for r in rows],
            "train_said": next((s for s in said if s.startswith("threads:")), None)}


def cell_llama(tokens: int, infills: int) -> dict:
    from codehone.backends.base import Request, SamplingParams
    from codehone.backends.llamacpp import LlamaCppBackend

    backend = LlamaCppBackend(default_model_path(), n_ctx=2048)
    said = backend.threads.choice.describe()
    backend.generate(Request.chat(PROMPT), SamplingParams(max_tokens=8))  # warm-up: page in the weights
    stamps: list[float] = []
    r = backend.generate(Request.chat(PROMPT), SamplingParams(max_tokens=tokens),
                         on_text=lambda i, t: stamps.append(time.perf_counter()))
    decode = (len(stamps) - 1) / (stamps[-1] - stamps[0])
    # Keystrokes: a real file, the cursor inside a function, a few characters typed per request.
    # Editors send a window around the cursor (here ~1500 characters before, ~500 after, the
    # window's ends fixed, so the prompt cache keeps everything before the cursor).
    text = (ROOT / "src" / "codehone" / "train" / "packing.py").read_text()
    cut = text.index("\ndef ", len(text) // 3) + 1
    start, end = max(0, cut - 1500), cut + 500
    latencies = []
    for k in range(infills + 1):
        at = cut + 3 * k
        t0 = time.perf_counter()
        backend.generate(Request.infill(text[start:at], text[at:end]), SamplingParams(max_tokens=32))
        latencies.append(time.perf_counter() - t0)
    latencies = latencies[1:]  # the first one evaluates the whole file
    return {"decode_tokens_per_s": round(decode, 1), "decode_tokens": r.completions[0].tokens,
        "infill_p50_s": round(statistics.median(latencies), 3),
        "infill_requests": len(latencies), "llama_threads": backend.threads.threads, "llama_said": said}


def child(kind: str, args: argparse.Namespace) -> None:
    result = cell_train(args.steps) if kind == "train" else cell_llama(args.tokens, args.infills)
    print("RESULT " + json.dumps(result), flush=True)


# ----- the driver ------------------------------------------------------------------------------


def env_for(mode: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("CODEHONE_THREADS", "OMP_WAIT_POLICY", "GOMP_SPINCOUNT")}
    if mode == "old":
        env.update(CODEHONE_THREADS=str(len(os.sched_getaffinity(0))), OMP_WAIT_POLICY="ACTIVE")
    return env


def run_cell(kind: str, mode: str, loaded: bool, args: argparse.Namespace) -> dict:
    busy = subprocess.Popen(["nice", "-n", str(args.load_nice), sys.executable, "-c", BUSY_LOOP]) if loaded else None
    try:
        if busy:
            time.sleep(0.3)  # spinning before the child measures the free cores
        cmd = [sys.executable, __file__, "--child", kind, "--steps", str(args.steps), "--tokens", str(args.tokens),
               "--infills", str(args.infills)]
        t0 = time.perf_counter()
        p = subprocess.run(cmd, env=env_for(mode), capture_output=True, text=True, cwd=ROOT)
        wall = time.perf_counter() - t0
    finally:
        if busy:
            busy.kill()
            busy.wait()
    line = next((x for x in p.stdout.splitlines() if x.startswith("RESULT ")), None)
    if p.returncode != 0 or line is None:  # recorded, and the other cells still run
        out = {f"{kind}_error": f"exit {p.returncode}: {p.stderr[-1500:]}"}
    else:
        out = json.loads(line[len("RESULT "):])
    out["wall_s"] = round(wall, 1)
    print(f"{kind:5} {mode:6} {'loaded' if loaded else 'idle':6} {out}", flush=True)
    return out


def prepare(args: argparse.Namespace) -> None:
    """The data stage run and the GGUF->HF conversion, once, outside the timed cells."""
    code = ("import os,sys; sys.path.insert(0, %r); os.environ['BENCH_TRAIN_DIR']=%r\n"
            "from bench_train_speed import base_dir, build_data; base_dir(); build_data()") % (str(HERE), str(WORK / "train"))
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer steps, tokens and requests (a smoke run)")
    ap.add_argument("--steps", type=int, default=3, help="training steps per cell (the first is warm-up)")
    ap.add_argument("--tokens", type=int, default=128, help="decoded tokens per cell")
    ap.add_argument("--infills", type=int, default=6, help="infill requests per cell")
    ap.add_argument("--resume", action="store_true", help="keep the cells a stopped run of the same settings finished")
    ap.add_argument("--report-only", action="store_true",
                    help="with --resume: write the results of the finished cells, run none (the others: *_not_run)")
    ap.add_argument("--load-nice", type=int, default=0, help="run the competing busy loop at this nice value")
    ap.add_argument("--kinds", default="llama,train", help="which cells: llama, train or both (comma-separated)")
    ap.add_argument("--child", choices=["train", "llama"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.quick:
        args.steps, args.tokens, args.infills = 2, 32, 3
    if args.child:
        child(args.child, args)
        return
    WORK.mkdir(parents=True, exist_ok=True)
    if not args.report_only and "train" in args.kinds.split(","):
        prepare(args)
    load_before = os.getloadavg()
    t0 = time.perf_counter()
    # Each finished cell is appended here; --resume keeps those of the same settings and runs the rest.
    done_path = WORK / "cells.jsonl"
    settings = [args.steps, args.tokens, args.infills] + ([args.load_nice] if args.load_nice else [])
    done = {}
    if args.resume and done_path.exists():
        for line in done_path.read_text().splitlines():
            row = json.loads(line)
            if row["settings"] == settings:
                done[tuple(row["cell"])] = row["result"]
    elif done_path.exists():
        done_path.unlink()
    cells: dict = {}
    kinds = [k for k in ("llama", "train") if k in args.kinds.split(",")]
    for kind in kinds:
        for mode in ("policy", "old"):
            for loaded in (False, True):
                key = (kind, mode, "loaded" if loaded else "idle")
                if key not in done and args.report_only:
                    cells.setdefault(mode, {}).setdefault(key[2], {})[f"{kind}_not_run"] = True
                    continue
                if key not in done:
                    done[key] = run_cell(kind, mode, loaded, args)
                    with done_path.open("a") as f:
                        f.write(json.dumps({"cell": key, "settings": settings, "result": done[key]}) + "\n")
                cells.setdefault(mode, {}).setdefault(key[2], {}).update(done[key])

    def ratio(c: dict, key: str) -> float | None:
        a, b = c["loaded"].get(key), c["idle"].get(key)
        return round(a / b, 3) if a and b else None

    ratios = {mode: {"train_loaded_over_idle": ratio(c, "train_tokens_per_s"),
                     "decode_loaded_over_idle": ratio(c, "decode_tokens_per_s"),
                     "infill_p50_loaded_over_idle": ratio(c, "infill_p50_s")} for mode, c in cells.items()}
    # The policy against the old behaviour under the same load (> 1: the policy is faster).
    for load in ("idle", "loaded"):
        new, old = cells["policy"][load], cells["old"][load]
        ratios[f"policy_over_old_{load}"] = {
            k: round((new[k] / old[k]) if k != "infill_p50_s" else (old[k] / new[k]), 2)
            for k in ("train_tokens_per_s", "decode_tokens_per_s", "infill_p50_s") if new.get(k) and old.get(k)}
    targets = {"train_loaded_over_idle": ">= 0.45", "decode_loaded_over_idle": ">= 0.45",
               "infill_p50_loaded_over_idle": "<= 2.0"}
    p = ratios["policy"]
    reached = {"train": p["train_loaded_over_idle"] is not None and p["train_loaded_over_idle"] >= 0.45,
               "decode": p["decode_loaded_over_idle"] is not None and p["decode_loaded_over_idle"] >= 0.45,
               "infill": p["infill_p50_loaded_over_idle"] is not None and p["infill_p50_loaded_over_idle"] <= 2.0}
    name = "under_load" + (f"_nice{args.load_nice}" if args.load_nice else "") + ("" if len(kinds) == 2 else f"_{kinds[0]}")
    save(name, {"settings": {"steps": args.steps, "row_tokens": 512, "decode_tokens": args.tokens,
                                     "infill_requests": args.infills, "quick": args.quick,
                                     "load_nice": args.load_nice, "kinds": kinds},
                        "load_avg_before": [round(x, 2) for x in load_before],
                        "load_avg_after": [round(x, 2) for x in os.getloadavg()],
                        "seconds": round(time.perf_counter() - t0, 1),
                        "cells": cells, "ratios": ratios, "targets_issue_21": targets, "policy_reached": reached})


if __name__ == "__main__":
    main()
