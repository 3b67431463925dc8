"""Throughput of the data step: the Python standard library through the whole pipeline.

    .venv/bin/python benchmarks/bench_data_stdlib.py [--tokenizer REF|HF_DIR] [--source DIR]

Tokenizer: ``codehone.models.load_tokenizer(REF)`` when given a catalogue name and that function
exists, a local Hugging Face tokenizer directory when given a path, else the tiny in-process
test tokenizer (the output says which). Prints files/s and MB/s of source read, with the
per-stage wall time the build records in its manifest.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

STDLIB = Path(os.__file__).parent


def load(ref: str | None):
    if ref and Path(ref).is_dir():
        from transformers import AutoTokenizer

        return AutoTokenizer.from_pretrained(ref), f"HF dir {ref}"
    if ref:
        from codehone.models import load_tokenizer

        return load_tokenizer(ref), ref
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "unit" / "data"))
    from conftest import build_tiny_tokenizer

    return build_tiny_tokenizer(), "tiny in-process BPE (tests/unit/data/conftest.py)"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tokenizer", default=None)
    ap.add_argument("--source", default=str(STDLIB))
    ap.add_argument("--seq-len", type=int, default=2048)
    ap.add_argument("--workers", type=int, default=0, help="0: one per core")
    args = ap.parse_args()
    from codehone.data.build import BuildOptions, build_dataset

    tok, tok_name = load(args.tokenizer)
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        card = build_dataset(args.source, tok, out, BuildOptions(progress=False, seq_len=args.seq_len,
                                                                 workers=args.workers))
        total = time.perf_counter() - t0
        manifest = json.loads(Path(out, "manifest.json").read_text())["stages"]["data"]
        read_bytes = sum(f.stat().st_size for f in Path(out, "data").iterdir())
    files = card["files"]
    src_bytes = sum(p.stat().st_size for p in Path(args.source).rglob("*") if p.is_file() and not p.is_symlink()
                    and "site-packages" not in p.parts and "__pycache__" not in p.parts) if Path(args.source).is_dir() else 0
    print(json.dumps({
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "tokenizer": tok_name,
        "source": args.source,
        "files_seen": files["seen"], "files_kept": files["kept"], "dropped_by_reason": files["dropped_by_reason"],
        "seconds": round(total, 1),
        "files_per_s": round(files["seen"] / total, 1),
        "source_MB": round(src_bytes / 1e6, 1), "MB_per_s": round(src_bytes / 1e6 / total, 2),
        "workers": manifest["workers"], "stage_seconds": manifest["seconds"],
        "examples": card["examples"], "tokens_total": sum(sum(v.values()) for v in card["tokens"].values()),
        "redactions": card["redactions"]["by_kind"], "output_MB": round(read_bytes / 1e6, 1),
    }, indent=1))


if __name__ == "__main__":
    main()
