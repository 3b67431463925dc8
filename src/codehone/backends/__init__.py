"""Generation backends behind one protocol (base.py). ``load_backend`` turns a model reference into one.

Backend modules import heavy libraries (llama_cpp, torch); they are imported only when used, so
``codehone --help`` and the data stage stay fast.
"""

from __future__ import annotations

from pathlib import Path

from codehone.backends.base import Backend, GenerationError, Request, Result, SamplingParams

__all__ = ["Backend", "GenerationError", "Request", "Result", "SamplingParams", "load_backend"]


def load_backend(
    ref: str,
    adapter: str | Path | None = None,
    engine: str = "auto",
    api_key: str | None = None,
    **options,
) -> Backend:
    """A backend for a model reference (see codehone.models.refs).

    engine "auto" picks llama.cpp for GGUF and catalogue models (transformers when the adapter is a
    PEFT directory), transformers for Hugging Face directories and hub ids, HTTP for URLs; "transformers" on a GGUF converts it once (cached).
    "vllm" (the optional extra, CUDA only) runs Hugging Face weights too, with the GGUF converted the same way.
    The adapter is a GGUF LoRA file for llama.cpp, a PEFT directory for transformers and vLLM.
    """
    from codehone.models.refs import resolve_ref

    if engine == "vllm" and not str(ref).startswith(("http://", "https://")):
        # Before a catalogue model is fetched or a GGUF converted: vllm and a GPU are there.
        from codehone.backends.vllm_engine import check_available

        check_available()
    r = resolve_ref(ref)
    if r.kind == "http":
        if adapter:
            raise GenerationError("an adapter cannot be applied to a remote endpoint; serve it there instead")
        from codehone.backends.http import HttpBackend

        return HttpBackend(r.url, r.model_name, api_key=api_key, **options)
    if engine == "auto":
        # A PEFT directory (a training checkpoint before export) runs only under transformers.
        peft = bool(adapter) and Path(adapter).is_dir()
        engine = "llama.cpp" if r.kind == "gguf" and not peft else "transformers"
    if engine == "llama.cpp":
        if r.kind != "gguf":
            raise GenerationError(f"{ref} is a Hugging Face model; llama.cpp needs GGUF (codehone export) or use engine transformers")
        if adapter and Path(adapter).is_dir():
            raise GenerationError(f"{adapter} is a PEFT directory; llama.cpp needs a GGUF adapter (codehone export --to gguf-lora) "
                                  "or use engine transformers")
        from codehone.backends.llamacpp import LlamaCppBackend

        return LlamaCppBackend(r.path, lora_path=adapter, name=r.display_name, **options)
    if engine == "transformers":
        from codehone.backends.transformers import TransformersBackend

        path = r.path
        if r.kind == "gguf":
            from codehone.models.convert import hf_dir_from_gguf

            path = hf_dir_from_gguf(r.path)
        return TransformersBackend(path, adapter=adapter, name=r.display_name, **options)
    if engine == "vllm":
        if adapter and not Path(adapter).is_dir():
            raise GenerationError(f"{adapter} is a GGUF adapter; vLLM loads a PEFT directory (a training run's adapter/)")
        from codehone.backends.vllm_engine import VllmBackend

        path = r.path
        if r.kind == "gguf":  # vLLM runs Hugging Face weights: the GGUF's, converted once and cached
            from codehone.models.convert import hf_dir_from_gguf

            path = hf_dir_from_gguf(r.path)
        return VllmBackend(path, adapter=adapter, name=r.display_name, **options)
    raise GenerationError(f"unknown engine {engine!r}; use auto, llama.cpp, transformers or vllm")
