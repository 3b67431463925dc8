"""issue 22's GPU figures, for a machine with a CUDA GPU (none was lent when this was written):

    humaneval  HumanEval greedy end to end (generation + sandboxed scoring) for the 1.5B through
               vLLM; target: under 2 minutes. --model http://HOST:8000/v1 measures a vLLM server,
               the default measures --engine vllm in process (needs the vllm extra).
    qlora      QLoRA on the 1.5B (configs/qwen2.5-coder-1.5b/qlora.yaml) for --steps optimizer
               steps on a data run built from --source: tokens/s (train_log.jsonl) and the peak
               GPU memory torch allocated (torch.cuda.max_memory_allocated).

    .venv/bin/python benchmarks/bench_gpu_scale.py humaneval [--model http://gpu-box:8000/v1] [--concurrency 64]
    .venv/bin/python benchmarks/bench_gpu_scale.py qlora --source src/codehone --steps 30

Results go to benchmarks/results/gpu_scale_<what>.json; record them in docs/benchmarks.d/eval.md.
Without CUDA (and, for --engine vllm, without vLLM) it stops at once and says so.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import save  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TEACHER = "qwen2.5-coder-1.5b-instruct"


def gpu() -> dict:
    import torch

    if not torch.cuda.is_available():
        raise SystemExit("no CUDA GPU visible (torch.cuda.is_available() is False): these figures need one")
    props = torch.cuda.get_device_properties(0)
    return {"gpu": props.name, "gpu_memory_gib": round(props.total_memory / 2**30, 1),
            "gpus": torch.cuda.device_count(), "torch": torch.__version__}


def humaneval(args) -> None:
    from codehone.eval.run import EvalOptions, run_eval

    remote = args.model.startswith(("http://", "https://"))
    facts = {} if remote else gpu()  # a server may sit on another machine
    out = Path(tempfile.mkdtemp(prefix="bench-vllm-humaneval-"))
    t0 = time.perf_counter()
    summary = run_eval(EvalOptions(bench="humaneval", out=out, model=args.model, engine="auto" if remote else "vllm",
                                   concurrency=args.concurrency, k=[1], report=False, progress=False))
    seconds = time.perf_counter() - t0
    rows = [json.loads(x) for x in (out / "samples.jsonl").read_text().splitlines()]
    save(f"gpu_scale_humaneval{'_server' if remote else ''}", {
        **facts, "model": args.model, "engine": "http (vLLM server)" if remote else "vllm in process",
        "concurrency": args.concurrency, "tasks": len(rows), "pass@1": summary["pass@1"],
        "completion_tokens": sum(r["tokens"] for r in rows), "seconds_end_to_end": round(seconds, 1),
        "target_seconds": 120, "met": seconds < 120})


def qlora(args) -> None:
    import torch

    from codehone.data.build import BuildOptions, build_dataset
    from codehone.models import load_tokenizer
    from codehone.train.config import build_config
    from codehone.train.lora import train

    facts = gpu()
    run = Path(tempfile.mkdtemp(prefix="bench-qlora-"))
    build_dataset(args.source, load_tokenizer(TEACHER), run, BuildOptions(progress=False, bench=False))
    settings = [f"max_steps={args.steps}", "eval_every=0", f"save_every={args.steps}", "bench=false", "progress=false"]
    config = build_config(ROOT / "configs" / "qwen2.5-coder-1.5b" / "qlora.yaml", settings)
    torch.cuda.reset_peak_memory_stats()
    summary = train(run, TEACHER, run, config, echo=lambda s: None)
    log = [json.loads(x) for x in (run / "train_log.jsonl").read_text().splitlines()]
    steady = log[len(log) // 3:] or log  # the first steps include warm-up (allocator, kernels)
    save("gpu_scale_qlora", {
        **facts, "model": TEACHER, "config": "configs/qwen2.5-coder-1.5b/qlora.yaml", "steps": len(log),
        "tokens_per_s_overall": summary["tokens_per_s"],
        "tokens_per_s_steady": round(sum(r["tokens_per_s"] for r in steady) / len(steady), 1),
        "peak_gpu_memory_gib": round(torch.cuda.max_memory_allocated() / 2**30, 2)})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="what", required=True)
    h = sub.add_parser("humaneval")
    h.add_argument("--model", default=TEACHER, help="a catalogue name (--engine vllm) or a vLLM server URL")
    h.add_argument("--concurrency", type=int, default=64)
    q = sub.add_parser("qlora")
    q.add_argument("--source", default=str(ROOT / "src" / "codehone"), help="code to build the data run from")
    q.add_argument("--steps", type=int, default=30)
    args = ap.parse_args()
    humaneval(args) if args.what == "humaneval" else qlora(args)


if __name__ == "__main__":
    main()
