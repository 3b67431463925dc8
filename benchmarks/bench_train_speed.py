"""CPU training speed: codehone's LoRA loop vs a plain transformers Trainer + PEFT script.

Same base (the default Qwen2.5-Coder-0.5B, converted from its GGUF), same data (the data stage
run on this repository's own ``src/``, Qwen tokenizer, examples <= 512 tokens), same LoRA
(r=16, alpha=32, all linear layers), same dtype (bf16 weights where the CPU has AVX512-BF16).
Runs alternate, ours / baseline / ours / baseline ..., each in a fresh process (peak RSS is per
process), so a machine shared with other work loads both sides alike; the load average is
recorded before and after.

Measured: training tokens per second = non-padding input tokens of the optimizer steps after
the first (warm-up) one, divided by their wall time.

The baseline is the script people write: tokenize each example (labels = input ids), pad
batches of 4 with DataCollatorForSeq2Seq, ``Trainer`` with ``bf16=True``. Ours packs rows of 512
tokens without cross-attention (4 rows per step, as the baseline's batch of 4) and applies lm_head
only to labelled positions.

    python benchmarks/bench_train_speed.py [--steps 6] [--rounds 2] [--threads 2]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import save  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
WORK = Path(os.environ.get("BENCH_TRAIN_DIR", "/tmp/codehone-bench-train"))
SEQ, BATCH = 512, 4


def base_dir() -> Path:
    from codehone.models.convert import hf_dir_from_gguf
    from codehone.models.fetch import fetch

    return hf_dir_from_gguf(fetch("qwen2.5-coder-0.5b-instruct"))


def build_data() -> Path:
    run = WORK / "data-run"
    if (run / "data_card.json").exists():
        return run
    from transformers import AutoTokenizer

    from codehone.data.build import BuildOptions, build_dataset

    tok = AutoTokenizer.from_pretrained(str(base_dir()))
    build_dataset(ROOT / "src", tok, run, BuildOptions(seq_len=SEQ, benchmarks=(), progress=False, split=(0.9, 0.05, 0.05)))
    return run


def peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6


def run_ours(steps: int, threads: int) -> dict:
    import shutil

    from codehone.train.config import build_config
    from codehone.train.lora import train

    out = WORK / "ours"
    shutil.rmtree(out, ignore_errors=True)
    cfg = build_config(ROOT / "configs" / "qwen2.5-coder-0.5b" / "lora.yaml",
                       [f"max_steps={steps}", f"grad_accum={BATCH}", "micro_batch_size=1", "eval_every=0",
                        "eval_max_examples=4", "bench=false", "progress=false", f"threads={threads}", "save_every=1000"])
    train(build_data(), str(base_dir()), out, cfg, echo=lambda s: None)
    rows = [json.loads(x) for x in (out / "train_log.jsonl").read_text().splitlines()]
    tokens = rows[-1]["tokens"] - rows[0]["tokens"]
    seconds = rows[-1]["elapsed_s"] - rows[0]["elapsed_s"]
    return {"tokens": tokens, "seconds": round(seconds, 2), "tokens_per_s": round(tokens / seconds, 1),
            "peak_rss_gb": round(peak_rss_gb(), 2), "final_loss": rows[-1]["loss"]}


def run_baseline(steps: int, threads: int) -> dict:
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import (AutoModelForCausalLM, AutoTokenizer, DataCollatorForSeq2Seq, Trainer, TrainerCallback,
                              TrainingArguments)

    from codehone.runs import read_jsonl

    torch.set_num_threads(threads)
    tok = AutoTokenizer.from_pretrained(str(base_dir()))
    rows = list(read_jsonl(build_data() / "data" / "train.jsonl"))
    texts = [r["text"] if "text" in r else tok.apply_chat_template(r["messages"], tokenize=False) for r in rows]
    data = []
    for t in texts:
        ids = tok(t, add_special_tokens=False, truncation=True, max_length=SEQ)["input_ids"]
        data.append({"input_ids": ids, "attention_mask": [1] * len(ids), "labels": list(ids)})
    import random

    random.Random(0).shuffle(data)
    model = AutoModelForCausalLM.from_pretrained(str(base_dir()), dtype=torch.bfloat16)
    model = get_peft_model(model, LoraConfig(r=16, lora_alpha=32, target_modules="all-linear", task_type="CAUSAL_LM"))
    times, tokens = [], []

    class Clock(TrainerCallback):
        def on_step_end(self, args, state, control, **kw):
            times.append(time.perf_counter())

    collator = DataCollatorForSeq2Seq(tok, padding=True, label_pad_token_id=-100)

    def collate(batch):
        tokens.append(sum(len(b["input_ids"]) for b in batch))
        return collator(batch)

    args = TrainingArguments(output_dir=str(WORK / "baseline"), per_device_train_batch_size=BATCH, max_steps=steps,
                             learning_rate=2e-4, bf16=True, use_cpu=True, report_to=[], save_strategy="no",
                             logging_steps=1000, dataloader_num_workers=0, disable_tqdm=True)
    Trainer(model=model, args=args, train_dataset=data, data_collator=collate, callbacks=[Clock()]).train()
    n = sum(tokens[1:steps])  # steps 2..N, as for ours
    seconds = times[-1] - times[0]
    return {"tokens": n, "seconds": round(seconds, 2), "tokens_per_s": round(n / seconds, 1),
            "peak_rss_gb": round(peak_rss_gb(), 2)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=6)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--child", choices=["ours", "baseline"])
    a = ap.parse_args()
    if a.child:
        fn = run_ours if a.child == "ours" else run_baseline
        print("RESULT " + json.dumps(fn(a.steps, a.threads)))
        return
    build_data()
    load_before = os.getloadavg()
    results: dict[str, list] = {"ours": [], "baseline": []}
    for _ in range(a.rounds):
        for side in ("ours", "baseline"):
            proc = subprocess.run([sys.executable, __file__, "--child", side, "--steps", str(a.steps),
                                   "--threads", str(a.threads)], capture_output=True, text=True)
            line = [x for x in proc.stdout.splitlines() if x.startswith("RESULT ")]
            if not line:
                raise SystemExit(f"{side} failed:\n{proc.stderr[-3000:]}")
            results[side].append({**json.loads(line[0][7:]), "load_avg_1min": os.getloadavg()[0]})
            print(side, results[side][-1], flush=True)
    best = {s: max(r["tokens_per_s"] for r in rs) for s, rs in results.items()}
    mean = {s: round(sum(r["tokens_per_s"] for r in rs) / len(rs), 1) for s, rs in results.items()}
    ratios = [round(o["tokens_per_s"] / b["tokens_per_s"], 2) for o, b in zip(results["ours"], results["baseline"])]
    save("train_speed", {
        "settings": {"model": "qwen2.5-coder-0.5b-instruct (bf16)", "lora": "r=16 alpha=32 all-linear", "seq_len": SEQ,
                     "rows_per_step": BATCH, "steps_timed": a.steps - 1, "threads": a.threads},
        "runs": results, "mean_tokens_per_s": mean, "best_tokens_per_s": best, "ratio_per_round": ratios,
        "ratio_of_means": round(mean["ours"] / mean["baseline"], 2),
        "peak_rss_gb": max(r["peak_rss_gb"] for r in results["ours"]),
        "load_avg_before": [round(x, 2) for x in load_before], "load_avg_after": [round(x, 2) for x in os.getloadavg()],
    })


if __name__ == "__main__":
    main()
