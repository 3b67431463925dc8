"""The export step: a training run's adapter in, shippable GGUF files + Ollama Modelfile out.

    --to gguf-lora    RUN/export/adapter.gguf  (a few MB, applied over the base GGUF by llama.cpp)
    --to gguf-merged  RUN/export/model-f16.gguf and model-<quant>.gguf (adapter folded in)

Every export is loaded back into llama.cpp before it is reported done, so an adapter that does not
fit its base fails here, not on a user's laptop. ``verify`` adds the teacher-forced comparison
with transformers (verify.py) and writes ``export/verify.json``.
"""

from __future__ import annotations

import json
from pathlib import Path

from codehone.backends.llamacpp import LlamaCppBackend
from codehone.core.fim import stop_tokens_for
from codehone.core.rundir import EXPORT_RECORD, RunDir
from codehone.errors import UserError
from codehone.export.gguf_lora import write_gguf_lora
from codehone.export.merge import write_merged_gguf
from codehone.export.modelfile import write_modelfile
from codehone.models.convert import hf_dir_from_gguf
from codehone.models.gguf_info import read_gguf
from codehone.models.refs import resolve_ref
from codehone.runs import write_json, write_manifest


def run_dir_of(adapter_dir: Path) -> Path | None:
    """The training run an adapter belongs to: RUN/adapter, RUN/checkpoints/best and
    RUN/checkpoints/step-N/adapter all belong to RUN (the directory with its manifest or train_state)."""
    for d in list(adapter_dir.parents)[:3]:
        if RunDir(d).manifest.exists() or RunDir(d).train_state.exists():
            return d
    return None


def find_adapter(path: str | Path) -> Path:
    """Accept a training run directory (with adapter/) or an adapter directory itself (adapter/,
    checkpoints/best, checkpoints/step-N/adapter).

    A run whose training stopped before publishing adapter/ is refused, naming its checkpoints:
    adapter/ is the best validated adapter of a finished run, and which unfinished state to ship
    (the best so far, or the latest step) is the user's choice, as with a PEFT/axolotl
    ``checkpoint-N`` directory, which is always named explicitly."""
    p = Path(path)
    run = RunDir(p)
    if (run.adapter / "adapter_config.json").exists():
        return run.adapter
    if (p / "adapter_config.json").exists():
        return p
    # Training's checkpoints/step-N/adapter (train/checkpoint.py), read as files: export imports no stage's code.
    steps = sorted((d for d in run.checkpoints.glob("step-*") if d.name[5:].isdigit()
                    and (d / "adapter" / "adapter_config.json").exists()), key=lambda d: int(d.name[5:]))
    best = run.best_checkpoint
    if steps or (best / "adapter_config.json").exists():
        state = run.read_train_state()
        how = (f"{state.get('status', 'unfinished')} at step {state['step']} of {state['total_steps']}"
               if "step" in state and "total_steps" in state else "unfinished")
        options = ([f"{best} (the lowest validation loss so far)"] if (best / "adapter_config.json").exists() else [])
        options += [f"{steps[-1] / 'adapter'} (the latest checkpoint)"] if steps else []
        raise UserError(f"{p} is a training run {how}: it has checkpoints but no published adapter/ yet. "
                        f"Export a checkpoint with --adapter {' or '.join(options)}, or finish the training "
                        f"with `codehone train --resume --out {p}` (its original settings; max_steps may change)")
    raise UserError(f"{p} holds no PEFT adapter (no adapter_config.json, no adapter/ folder, no checkpoints/); "
                    "give a training run directory or an adapter directory")


def base_from_run(adapter_dir: Path) -> str | None:
    """The base model a run trained on, as its --base was given (its manifest). Inside a run
    without that record there is none: a checkpoint's adapter_config.json names the Hugging Face
    folder PEFT loaded, for a GGUF base a conversion, and exporting over it would re-quantize it.
    Only an adapter outside any run falls back on that note."""
    run = run_dir_of(adapter_dir)
    for candidate in ((RunDir(run).manifest,) if run else ()) + (RunDir(adapter_dir).manifest,):
        if candidate.exists():
            stages = json.loads(candidate.read_text()).get("stages", {})
            for stage in ("train", "distill"):
                base = (stages.get(stage, {}).get("inputs") or {}).get("base")
                if base:
                    return str(base)
    if run is not None:
        return None
    cfg = json.loads((adapter_dir / "adapter_config.json").read_text())
    return cfg.get("base_model_name_or_path")


# Below 8 bits a quantizer's grid is coarser than most LoRA updates: re-quantizing a merge of an
# already-quantized base snaps many weights back to the base's own values. Measured on the default
# (Q4_K_M) model with a real adapter: the f16 merge agrees with base + adapter on 100% of next
# tokens and the q8_0 merge on 100%, the q4_k_m merge on 93.5% and scores HumanEval 53.7% against
# the f16 merge's 38.4% (the base: 56.1%) - it has mostly become the base again.
FINE_QUANTS = ("q8_0", "f16", "bf16", "f32")


def requantize_warning(base_file_type: str, quant: str) -> str | None:
    """Why merging into this quantized base at this quantization loses the adapter, or None."""
    base_type = base_file_type.lower()
    if base_type in FINE_QUANTS or quant.lower() in FINE_QUANTS:
        return None
    return (f"the base is a {base_file_type} GGUF: quantizing the merge to {quant} rounds much of the adapter's change "
            f"back onto the base's grid (export --verify shows it). Ship --to gguf-lora over the base instead, "
            f"or merge with --quant q8_0")


def run_export(adapter: str | Path | None, to: str, base: str | None = None, out: str | Path | None = None,
               quant: str = "q4_k_m", verify: bool = False, bench: list[str] | None = None,
               bench_limit: int | None = None) -> dict:
    if to not in ("gguf-lora", "gguf-merged"):
        raise UserError(f"unknown export target {to!r}; use gguf-lora or gguf-merged")
    if bench and (to != "gguf-merged" or quant.lower() == "f16"):
        raise UserError("--bench compares the f16 merge with the quantized one; use --to gguf-merged --quant q4_k_m (or another)")
    adapter_dir = find_adapter(adapter) if adapter else None
    base = base or (base_from_run(adapter_dir) if adapter_dir else None)
    if not base:
        raise UserError(f"no base model recorded for {adapter_dir or 'this export'} (no training manifest); pass "
                        "--base REF, the model the run trained on (catalogue name, GGUF or HF directory)")
    ref = resolve_ref(base)
    if ref.kind not in ("gguf", "hf_dir"):
        raise UserError(f"{base} is not a local model; export needs the base weights (a GGUF, HF directory or catalogue name)")
    run_dir = run_dir_of(adapter_dir) if adapter_dir else None  # a checkpoint exports into its run, not into checkpoints/
    out_dir = Path(out) if out else RunDir(run_dir or (adapter_dir.parent if adapter_dir and adapter_dir.name == "adapter"
                                                        else Path("."))).export_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    base_hf = hf_dir_from_gguf(ref.path) if ref.kind == "gguf" else ref.path
    result: dict = {"to": to, "base": base, "adapter": str(adapter_dir) if adapter_dir else None}

    if to == "gguf-lora":
        if adapter_dir is None:
            raise UserError("--to gguf-lora needs --adapter")
        base_gguf = ref.path if ref.kind == "gguf" else None
        if base_gguf is None:  # an HF base: users need it as GGUF too, quantized like the merge would be
            base_gguf = write_merged_gguf(base_hf, None, out_dir, quant=quant, name="base", keep_f16=quant == "f16")[quant.lower()]
        arch = read_gguf(base_gguf, with_tokens=False).architecture
        lora = write_gguf_lora(adapter_dir, out_dir / "adapter.gguf", arch=arch)
        model_file, adapter_file = base_gguf, lora
    else:
        if ref.kind == "gguf" and adapter_dir is not None:
            warning = requantize_warning(read_gguf(ref.path, with_tokens=False).file_type, quant)
            if warning:
                result["warnings"] = [warning]
        files = write_merged_gguf(base_hf, adapter_dir, out_dir, quant=quant, name="model")
        model_file, adapter_file = files[quant.lower()], None
        result["files"] = {k: str(v) for k, v in files.items()}

    # Load it back: the export is done only when llama.cpp accepts it.
    backend = LlamaCppBackend(model_file, lora_path=adapter_file, n_ctx=512, n_seq_max=1)
    try:
        vocab = backend.vocab
        stops = [t for t in stop_tokens_for("chat", vocab) if t in vocab]
    finally:
        backend.close()
    result.update({"model": str(model_file), "adapter_gguf": str(adapter_file) if adapter_file else None,
                   "modelfile": str(write_modelfile(out_dir, model_file, adapter_file, vocab, stops))})
    if adapter_file:
        result["adapter_bytes"] = Path(adapter_file).stat().st_size
    if verify:
        from codehone.export.verify import verify_export, verify_exports

        if to == "gguf-merged":
            # Every precision written is checked, so the f16 figure shows what the merge itself
            # costs and the quantized one what quantization adds on top.
            checked = verify_exports(base_hf, adapter_dir, result["files"])
            result["verify"], result["verify_by_precision"] = checked[quant.lower()], checked
            write_json(out_dir / "verify.json", checked)
        else:
            result["verify"] = verify_export(base_hf, adapter_dir, model_file, adapter_file)
            write_json(out_dir / "verify.json", result["verify"])
    if bench:
        from codehone.export.bench import bench_quantization

        result["bench"] = bench_quantization({k: Path(v) for k, v in result["files"].items()}, quant, bench, out_dir,
                                             limit=bench_limit)
    write_manifest(out_dir.parent if out_dir.name == "export" else out_dir, "export",
                   {"adapter": result["adapter"], "base": base, "to": to, "quant": quant})
    write_json(out_dir / EXPORT_RECORD, result)  # last: the export is complete
    return result
